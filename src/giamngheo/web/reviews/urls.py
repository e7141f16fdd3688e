from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("requests/", views.request_list, name="requests"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/certificates/", views.review_certificates, name="certificates"),
    path("<int:pk>/certificates/<int:certificate>/", views.review_certificates,
         name="certificate"),
    path("<int:pk>/lists/", views.review_lists, name="lists"),
    path("<int:pk>/lists.xlsx", views.review_lists_xlsx, name="lists_xlsx"),
    path("<int:pk>/<slug:action>/", views.review_action, name="act"),
]
