"""Django settings of the GiảmNghèo web application.

SQLite is the embedded default; set DATABASE_URL (e.g. postgres://user@host/db) for PostgreSQL.
Vietnamese is the default language, English is available.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GIAMNGHEO_DATA_DIR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("GIAMNGHEO_SECRET_KEY", "dev-only-not-secret")
DEBUG = os.environ.get("GIAMNGHEO_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("GIAMNGHEO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "giamngheo.web.units",
    "giamngheo.web.accounts",
    "giamngheo.web.households",
    "giamngheo.web.reviews",
    "giamngheo.web.exchange",
    "giamngheo.web.api",
    "giamngheo.web.program",
    "giamngheo.web.support",
    "giamngheo.web.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "giamngheo.web.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "giamngheo.web.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "giamngheo.web.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "giamngheo.web.accounts.models.navigation",
    ]},
}]
WSGI_APPLICATION = "giamngheo.web.wsgi.application"

if "DATABASE_URL" not in os.environ:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.config(
    default=f"sqlite:///{DATA_DIR / 'giamngheo.sqlite3'}", conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "households:list"
LOGOUT_REDIRECT_URL = "login"
STATICFILES_DIRS = [BASE_DIR / "static"]
