from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.support_list, name="list"),
    path("support.xlsx", views.support_xlsx, name="list_xlsx"),
    path("eligible/", views.eligible_list, name="eligible"),
    path("eligible.xlsx", views.eligible_xlsx, name="eligible_xlsx"),
    path("<int:pk>/given/", views.mark_given, name="given"),
]
