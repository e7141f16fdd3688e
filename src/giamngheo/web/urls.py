from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from giamngheo.web.api.api import api
from giamngheo.web.households.views import home

urlpatterns = [
    path("", home, name="home"),
    # no password reset by e-mail (the officers have none the server could trust): an
    # administrator sets a new password, which the login page says
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
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
