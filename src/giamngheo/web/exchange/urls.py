from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("export.xlsx", views.export, name="export"),
    path("xlsform.xlsx", views.xlsform, name="xlsform"),
    path("import/template.xlsx", views.template, name="template"),
    path("import/<uuid:pk>/", views.job_page, name="job"),
    path("import/<uuid:pk>/commit/", views.job_commit, name="commit"),
]
