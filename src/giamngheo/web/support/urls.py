from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.support_list, name="list"),
    path("eligible/", views.eligible_list, name="eligible"),
    path("<int:pk>/given/", views.mark_given, name="given"),
]
