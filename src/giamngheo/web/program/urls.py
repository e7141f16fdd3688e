from django.urls import path

from . import views

app_name = "program"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("activities/", views.activities, name="activities"),
    path("models/", views.model_list, name="models"),
    path("models/<int:pk>/", views.model_detail, name="model"),
    path("tasks/", views.tasks, name="tasks"),
    path("funding/<slug:kind>/<int:pk>/", views.add_funding, name="add_funding"),
]
