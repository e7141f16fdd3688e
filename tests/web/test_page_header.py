"""The page header written once per language, URL configuration and roles
(``accounts/templatetags/header.py``) is the text its template wrote, for every role, both
languages and nobody logged in; what it keeps changes when the roles, the language or the
login change."""

from __future__ import annotations

import itertools
import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from giamngheo.web.accounts.models import Assignment, Role, menu, navigation, roles_of

pytestmark = pytest.mark.django_db

# base.html's header before it was written once (the menu was the context's ``menu``)
TEMPLATE = """{% load i18n %}{% get_current_language as LANG %}<header class="top">
  <a class="brand" href="{% url 'home' %}">GiảmNghèo</a>
  {# the menu folds behind a button on a phone: a checkbox and CSS, no script #}
  <input type="checkbox" id="menu-open" class="menu-open">
  <label for="menu-open" class="menu-button">☰ {% translate "Menu" %}</label>
  <div class="menu">
  {% if user.is_authenticated %}
  <nav aria-label="{% translate 'Menu' %}">
    {% for url, label in menu %}<a href="{{ url }}"{% if request.path == url %} \
aria-current="page"{% endif %}>{{ label }}</a>{% endfor %}
  </nav>
  <form method="post" action="{% url 'logout' %}" class="inline who">{% csrf_token %}
    <span class="who">{{ user.get_full_name|default:user.username }}</span>
    <button type="submit" class="link">{% translate "Log out" %}</button>
  </form>
  {% endif %}
  <form method="post" action="{% url 'set_language' %}" class="inline lang">{% csrf_token %}
    <input type="hidden" name="next" value="{{ request.get_full_path }}">
    {% if LANG == "vi" %}<button name="language" value="en" class="link">English</button>
    {% else %}<button name="language" value="vi" class="link">Tiếng Việt</button>{% endif %}
  </form>
  </div>
</header>"""


def both_ways(user, path: str) -> tuple[str, str]:
    request = RequestFactory().get(path)
    request.user = user
    roles = frozenset(roles_of(user))
    old_menu = [(reverse(name), label) for name, label in menu(roles)]
    # one token for both (each rendering would mask it anew)
    context = {"csrf_token": "t0k3n<&>", "menu": old_menu}
    django = engines["django"]
    return (django.from_string(TEMPLATE).render(context, request),
            django.from_string("{% load header %}{% page_header %}").render(context, request))


def test_the_header_is_the_text_of_its_template_for_every_role_and_language(place):
    commune, _hamlet = place
    users: list = [AnonymousUser(), User.objects.create_superuser("quantri", "", "mật khẩu")]
    for role in Role:
        user = User.objects.create_user(f"u-{role}", first_name="Văn <A>", last_name="Tư & Co")
        Assignment.objects.create(user=user, role=role, unit=commune)
        users.append(user)
    both = User.objects.create_user("hai-vai")  # two roles, no full name
    Assignment.objects.create(user=both, role=Role.SURVEYOR, unit=commune)
    Assignment.objects.create(user=both, role=Role.MONITOR, unit=commune.parent)
    users += [both, User.objects.create_user("khong-vai")]  # no role at all
    pages = [reverse("households:list"), reverse("reviews:list"),
             reverse("households:list") + '?q=<Nguyễn "A">&page=2', "/khong-co/"]
    menus = set()
    for language, user, path in itertools.product(("vi", "en"), users, pages):
        with translation.override(language):
            old, new = both_ways(user, path)
            links = {reverse(name) for name, _label in menu(frozenset(roles_of(user)))}
        assert new == old, (language, user, path)
        # the current page marked when it is in the menu; nobody's header without a menu
        assert ('aria-current="page"' in new) is (user.is_authenticated
                                                  and path.split("?")[0] in links)
        assert ("<nav" in new) is user.is_authenticated
        menus.add((language, tuple(re.findall(r">([^<]+)</a>", new))))
    # the roles open different menus (surveyor, editor, reader, figures only, administrator)
    assert len(menus) >= 2 * 5


def test_what_is_kept_follows_roles_language_and_login(client, place):
    commune, _hamlet = place
    officer = User.objects.create_user("xa", password="giamngheo-demo")
    Assignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=commune)
    client.force_login(officer)

    def header() -> str:
        page = client.get(reverse("reviews:list")).content.decode()
        return re.sub(r'"csrfmiddlewaretoken" value="\w+"', "", # masked anew each time
                      page[page.index('<header'):page.index('</header>')])

    commune_officer = header()
    assert reverse("exchange:upload") in commune_officer and "Đăng xuất" in commune_officer
    # the role changed: the next page has the menu of the new role
    Assignment.objects.filter(user=officer).update(role=Role.FINANCE_OFFICER)
    finance = header()
    assert reverse("exchange:upload") not in finance
    assert reverse("households:list") not in finance and reverse("reports:dashboard") in finance
    Assignment.objects.filter(user=officer).update(role=Role.COMMUNE_OFFICER)
    assert header() == commune_officer
    # the language switched: the same menu in English, and back
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = header()
    assert "Log out" in english and "Households" in english and "Hộ gia đình" not in english
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert header() == commune_officer
    # logged out: no menu, no name
    client.post(reverse("logout"))
    page = client.get(reverse("login")).content.decode()
    assert "<nav" not in page and "xa</span>" not in page and 'class="inline lang"' in page


def test_the_context_works_out_what_a_template_asks_only(client, place):
    commune, _hamlet = place
    officer = User.objects.create_user("xa2")
    Assignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=commune)
    request = RequestFactory().get("/")
    request.user = officer
    context = navigation(request)
    assert "_request_cache" not in vars(officer)  # nothing read yet
    assert bool(context["can_edit"]) and bool(context["can_import"])
    assert bool(context["can_export"])
    assert vars(officer)["_request_cache"]["roles"] == {Role.COMMUNE_OFFICER}
