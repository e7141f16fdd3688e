from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from giamngheo.web.api.api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="households:list"), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("households/", include("giamngheo.web.households.urls")),
    path("reviews/", include("giamngheo.web.reviews.urls")),
    path("exchange/", include("giamngheo.web.exchange.urls")),
    path("api/", api.urls),
    path("reports/", include("giamngheo.web.reports.urls")),
    path("program/", include("giamngheo.web.program.urls")),
    path("support/", include("giamngheo.web.support.urls")),
    path("analysis/", include("giamngheo.web.analysis.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "giamngheo.web.middleware.server_error"
