from django.urls import path

from . import views

app_name = "analysis"
urlpatterns = [
    path("", views.index, name="index"),
    path("reviews/<int:pk>/whatif/", views.whatif_review, name="whatif_review"),
    path("whatif/<int:pk>/", views.whatif_run, name="whatif"),
    path("whatif/<int:pk>.xlsx", views.whatif_xlsx, name="whatif_xlsx"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<uuid:pk>/", views.plan_page, name="plan"),
    path("plans/<uuid:pk>/accept/", views.plan_accept, name="plan_accept"),
    path("plans/<uuid:pk>.xlsx", views.plan_xlsx, name="plan_xlsx"),
]
