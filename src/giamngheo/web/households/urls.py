from django.urls import path

from . import views, views_reorganise

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_edit, name="new"),
    path("reorganise/", views_reorganise.reorganise, name="reorganise"),
    path("communes/<int:pk>/", views.commune_summary, name="summary"),
    path("<str:code>/edit/", views.household_edit, name="edit"),
    path("<str:code>/", views.household_detail, name="detail"),
]
