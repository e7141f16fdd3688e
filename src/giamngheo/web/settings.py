"""Django settings of the GiảmNghèo web application, read from the environment.

SQLite is the embedded default; set DATABASE_URL (e.g. postgres://user@host/db) for PostgreSQL.
Vietnamese is the default language, English is available.

How it runs is one rule (``environment.mode``): a developer's checkout (debug on); the local
demo (``giamngheo demo``: debug off with the application's own error pages, plain http on
127.0.0.1, a secret key made once in its data folder); production (``giamngheo serve``,
GIAMNGHEO_DEBUG=0: a real GIAMNGHEO_SECRET_KEY is then required, cookies are secure, HTTPS is
enforced behind nginx, which sets X-Forwarded-Proto, and ``giamngheo manage check --deploy``
passes).
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from giamngheo.web import environment

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GIAMNGHEO_DATA_DIR", Path.cwd() / "var"))

try:  # every value understood, or the start refused (environment.py)
    MODE = environment.mode(os.environ, DATA_DIR)
    DEBUG = MODE.debug
    # proxies in front of the application (nginx: 1), whose X-Forwarded-For gives the address
    GIAMNGHEO_PROXIES = environment.integer(os.environ, "GIAMNGHEO_PROXIES",
                                            1 if MODE.https else 0, 0, 5)
    HTTPS_REDIRECT = environment.flag(os.environ, "GIAMNGHEO_HTTPS_REDIRECT", True)
    # what the worker's process for one upload may use (exchange/worker.py)
    GIAMNGHEO_JOB_MEMORY_MB = environment.integer(os.environ, "GIAMNGHEO_JOB_MEMORY_MB", 1536,
                                                  512, 65536)
    GIAMNGHEO_JOB_SECONDS = environment.integer(os.environ, "GIAMNGHEO_JOB_SECONDS", 900, 30,
                                                86400)
    # the login throttle's limit per address (accounts/throttle.py); an office whose officers
    # all reach the server from one address may need it higher
    GIAMNGHEO_ADDRESS_FAILURE_LIMIT = environment.integer(
        os.environ, "GIAMNGHEO_ADDRESS_FAILURE_LIMIT", 30, 5, 10_000)
except environment.EnvironmentValueError as error:
    raise ImproperlyConfigured(str(error)) from None
SECRET_KEY = MODE.secret_key
ALLOWED_HOSTS = os.environ.get("GIAMNGHEO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "csp",
    "ninja",  # the API docs from its own static files, no CDN
    "giamngheo.web.units",
    "giamngheo.web.accounts",
    "giamngheo.web.households",
    "giamngheo.web.reviews",
    "giamngheo.web.exchange",
    "giamngheo.web.api",
    "giamngheo.web.program",
    "giamngheo.web.support",
    "giamngheo.web.reports",
    "giamngheo.web.backups",
    "giamngheo.web.analysis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),  # static files
    "csp.middleware.CSPMiddleware",
    "giamngheo.web.middleware.BoundedBodiesMiddleware",
    "giamngheo.web.middleware.JsonApiMiddleware",
    "giamngheo.web.middleware.RefuseNulCharactersMiddleware",
    "giamngheo.web.middleware.DatabaseTroubleMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "giamngheo.web.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "giamngheo.web.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers a locked-out login
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
FORM_RENDERER = "giamngheo.web.renderers.FastFormRenderer"
WSGI_APPLICATION = "giamngheo.web.wsgi.application"

if "DATABASE_URL" not in os.environ:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
# connections are kept a minute and checked before reuse: after a database restart the next
# request reconnects instead of failing
DATABASES = {"default": dj_database_url.config(
    default=f"sqlite:///{DATA_DIR / 'giamngheo.sqlite3'}", conn_max_age=60,
    conn_health_checks=True)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A transaction that writes takes the write lock when it begins and the next one waits
    # its turn (up to 30 s) instead of failing as "database is locked"; readers are not
    # blocked by a writer (WAL), e.g. the pages while the worker imports.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE", "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"})
if os.environ.get("GIAMNGHEO_REPLICA_URL"):  # a PostgreSQL read replica for the reports
    DATABASES["replica"] = dj_database_url.parse(os.environ["GIAMNGHEO_REPLICA_URL"],
                                                 conn_max_age=60, conn_health_checks=True)
    DATABASE_ROUTERS = ["giamngheo.web.routers.ReportsFromTheReplica"]
for database in DATABASES.values():
    # The values are sent apart from the statement (not quoted into it by the application), and
    # a statement a connection has run five times is prepared there: PostgreSQL parses and
    # plans it once, not at each run. The statements every request runs (its session, user,
    # units, a page's queries) cost about a third less in PostgreSQL, a tenth less in the
    # application (benchmarks/load_test.py). A pooler must keep prepared statements
    # (docs/deployment.md).
    if database["ENGINE"].endswith("postgresql"):
        database.setdefault("OPTIONS", {}).update({
            "server_side_binding": True, "prepare_threshold": 5})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("GIAMNGHEO_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("GIAMNGHEO_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "uploads"

# Security: passwords, sessions, login throttling, no inline script or style, HTTPS cookies
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "giamngheo.web.accounts.passwords.NotLikeTheUser"},
    {"NAME": "giamngheo.web.accounts.passwords.MinimumLength", "OPTIONS": {"min_length": 10}},
    {"NAME": "giamngheo.web.accounts.passwords.NotCommon"},
    {"NAME": "giamngheo.web.accounts.passwords.NotOnlyDigits"},
]
AUTHENTICATION_BACKENDS = ["giamngheo.web.accounts.throttle.ThrottleBackend",
                           "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5  # failed logins of a user name from an address, then a pause
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# failed logins from an address, any user names: GIAMNGHEO_ADDRESS_FAILURE_LIMIT (above)
# The client's address (accounts/throttle.py): behind GIAMNGHEO_PROXIES proxies, the one the
# nearest proxy appended to X-Forwarded-For, whatever the client put before it; without a
# proxy, the connection's address. django-ipware reads it for axes.
if GIAMNGHEO_PROXIES:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = GIAMNGHEO_PROXIES - 1  # the proxies before the nearest one
    IPWARE_STRICT = False  # a client's own X-Forwarded-For entries are left of ours: ignored
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
SESSION_COOKIE_AGE = 8 * 3600  # a working day from the login (no write on every request)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF], "script-src": [SELF], "style-src": [SELF], "img-src": [SELF, "data:"],
    "font-src": [SELF], "connect-src": [SELF], "object-src": [NONE], "base-uri": [NONE],
    "form-action": [SELF], "frame-ancestors": [NONE]}}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; workbooks have their own limit
# Uploads (workbooks, ODK/Kobo exports): the size accepted, and what the worker process that
# checks and imports them may use (exchange/worker.py): address space and CPU time per job
GIAMNGHEO_MAX_UPLOAD = 25 * 1024 * 1024
if MODE.https:
    SECURE_SSL_REDIRECT = HTTPS_REDIRECT
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Personal data stays out of the logs: requests are logged by path (no query string, which
# may hold a searched name or ID number), and nothing else of a request is.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query": {"()": "giamngheo.web.middleware.DropQueryStrings"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_query"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"handlers": ["console"], "level": "WARNING",
                                   "propagate": False},
                "django.server": {"handlers": ["console"], "level": "INFO",
                                  "propagate": False}},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
STATICFILES_DIRS = [BASE_DIR / "static"]
