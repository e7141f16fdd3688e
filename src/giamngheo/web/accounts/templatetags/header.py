"""The page header: the brand, the menu the user's roles open, the user with the logout button
and the language switch. Its text is written once for each language, URL configuration,
script prefix and set of roles, and kept; a request adds what is its own: the CSRF token, the
user's name, the page's address (the language switch comes back to it) and which menu entry
is the current page."""

from __future__ import annotations

import functools

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..models import menu, roles_of

register = template.Library()

# where a request's own text goes in the kept text
LINKS, CSRF, NAME, ADDRESS = object(), object(), object(), object()


@register.simple_tag(takes_context=True)
def page_header(context) -> SafeString:
    request = context.get("request")
    user = context.get("user")
    signed_in = bool(user and user.is_authenticated)
    path = request.path if request is not None else ""
    parts = _written(translation.get_language(), get_urlconf(), get_script_prefix(),
                     frozenset(roles_of(user)) if signed_in else None)
    own = {CSRF: CsrfTokenNode().render(context),
           ADDRESS: conditional_escape(request.get_full_path()) if request is not None else "",
           NAME: conditional_escape(user.get_full_name() or user.username) if signed_in else "",
           LINKS: "".join(f'<a href="{url}" aria-current="page">{label}</a>' if path == raw
                          else f'<a href="{url}">{label}</a>'
                          for raw, url, label in parts[0])}
    return mark_safe("".join(own.get(part, part) for part in parts[1]))


@functools.lru_cache(maxsize=1024)
def _written(language: str | None, urlconf: str | None, prefix: str,
             roles: frozenset[str] | None) -> tuple[tuple[tuple[str, str, str], ...], list]:
    """(address, its text and label of each menu link, the header's text with the places of
    what a request adds) for a language, a URL configuration, a script prefix (what
    ``reverse`` and the translations read: the active ones, passed to be the key) and the
    roles of the user (None: nobody is logged in)."""
    def escaped(text) -> str:
        return str(conditional_escape(text))

    links = tuple((url, escaped(url), escaped(label)) for url, label in (
        (reverse(name), label) for name, label in menu(roles))) if roles is not None else ()
    who = [f'\n  <nav aria-label="{escaped(_("Menu"))}">\n    ', LINKS,
           f'\n  </nav>\n  <form method="post" action="{escaped(reverse("logout"))}" '
           f'class="inline who">', CSRF, '\n    <span class="who">', NAME,
           f'</span>\n    <button type="submit" class="link">{escaped(_("Log out"))}</button>'
           f'\n  </form>\n  '] if roles is not None else []
    switch = ('<button name="language" value="en" class="link">English</button>\n    '
              if language == "vi" else
              '<button name="language" value="vi" class="link">Tiếng Việt</button>')
    return links, [
        f'<header class="top">\n  <a class="brand" href="{escaped(reverse("home"))}">'
        f'GiảmNghèo</a>\n  \n  <input type="checkbox" id="menu-open" class="menu-open">\n'
        f'  <label for="menu-open" class="menu-button">☰ {escaped(_("Menu"))}</label>\n'
        f'  <div class="menu">\n  ', *who,
        f'\n  <form method="post" action="{escaped(reverse("set_language"))}" '
        f'class="inline lang">', CSRF, '\n    <input type="hidden" name="next" value="',
        ADDRESS, f'">\n    {switch}\n  </form>\n  </div>\n</header>']
