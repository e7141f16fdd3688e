"""Vietnamese first: the interface speaks Vietnamese unless the user chose English with the
language switch (a cookie), whatever language the browser asks for."""

from django.conf import settings
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.known = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.known else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
