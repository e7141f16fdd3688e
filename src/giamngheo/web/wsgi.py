import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.web.settings")
application = get_wsgi_application()

from .collector import set_for_serving  # noqa: E402 (Django is set up first)

set_for_serving()
