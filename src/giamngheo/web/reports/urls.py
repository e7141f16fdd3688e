from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("review-tables.xlsx", views.review_tables, name="review_tables"),
    path("report.<str:kind>", views.implementation_report, name="report"),
]
