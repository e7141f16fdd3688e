from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("review-tables.xlsx", views.review_tables, name="review_tables"),
    path("", views.reports_page, name="reports"),
    path("report.<str:kind>", views.implementation_report, name="report"),
]
