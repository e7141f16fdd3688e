"""The household list's rows and commune options written by Python (``households.fragments``)
are the very text the template's loops wrote, for every kind of row and user."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from giamngheo.web.accounts.models import Role
from giamngheo.web.accounts.privacy import disclosure
from giamngheo.web.households.fragments import DetailLinks, commune_options, list_rows
from giamngheo.web.households.models import Household
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import make_household, users_with_roles

# the loops of households/list.html before they were written by Python
OLD_ROWS = """{% load i18n giamngheo %}{% for h in page %}{% with head=heads|get_item:h.pk %}
  <tr><td class="code"><a href="{% url 'households:detail' h.code %}">{{ h.code }}</a></td>
    <td>{{ head.full_name|default:"—" }}</td>
    <td class="wide">{% id_number head h %}</td>
    <td class="wide">{{ h.commune.name }}{% if h.hamlet %}, {{ h.hamlet.name }}{% endif %}</td>
    <td>{% if h.current_status %}<span class="badge {{ h.current_status }}">{{ h.current_status|classification_label }}</span>{% else %}<span
      class="muted">{% translate "not reviewed" %}</span>{% endif %}</td></tr>
  {% endwith %}{% endfor %}"""  # noqa: E501 (the template's own lines)
OLD_OPTIONS = """{% for c in communes %}<option value="{{ c.pk }}" {% if c.pk|stringformat:"s" == commune %}selected{% endif %}>{{ c.name }}
      ({{ c.period_label }})</option>{% endfor %}"""  # noqa: E501


@pytest.fixture
def rows(place):
    """Households of every kind of row: with and without a hamlet, a head, a name, an ID
    number, a status; names and codes with the characters HTML escapes."""
    commune, hamlet = place
    hamlet.name = 'Ấp <4> & "Tà Lài"'
    hamlet.save()
    plain = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    plain.members.update(id_number="075080000123")
    odd = make_household(commune, None, "TL-2&<'x'>", 3_000_000, deprived=False)
    odd.members.update(full_name="Nguyễn <Văn> & \"Hùng\" 'A'")
    headless = make_household(commune, hamlet, "TL-3", 1_000_000, deprived=True)
    headless.members.all().delete()
    unnamed = make_household(commune, hamlet, "TL-4", 1_000_000, deprived=True)
    unnamed.members.update(full_name="")
    for household, status in ((plain, "poor"), (odd, "near_poor"), (unnamed, "weird<>")):
        Household.objects.filter(pk=household.pk).update(current_status=status)
    return commune


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.MONITOR])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_rows_are_those_the_template_wrote(client, rows, role, lang):
    user = users_with_roles(rows.parent, role)[role]
    client.force_login(user)
    with translation.override(lang):
        response = client.get(reverse("households:list"), HTTP_ACCEPT_LANGUAGE=lang)
        page = response.context["page"]
        heads = {h.pk: h.heads[0] for h in page if h.heads}
        request = RequestFactory().get("/")
        request.user = user
        old = engines["django"].from_string(OLD_ROWS).render(
            {"page": page, "heads": heads}, request)
        new = list_rows(page, heads, disclosure(user))
    assert len(page) == 4 and new == old
    assert new in response.content.decode()
    masked = role == Role.MONITOR
    assert ("075***" in new) is masked and ("075080000123" in new) is not masked
    assert "&lt;Văn&gt; &amp; &quot;Hùng&quot; &#x27;A&#x27;" in new


def test_the_commune_options_are_those_the_template_wrote(client, rows):
    user = users_with_roles(rows.parent, Role.AREA_OFFICER)[Role.AREA_OFFICER]
    client.force_login(user)
    # the communes as the view reads them, former ones (with their periods) included
    communes = list(Unit.objects.filter(level="commune").order_by("code", "valid_from")
                    .only("name", "valid_from", "valid_until"))
    assert {c.valid_until is None for c in communes} == {True, False}
    old = engines["django"].from_string(OLD_OPTIONS).render(
        {"communes": communes, "commune": str(rows.pk)})
    new = commune_options(communes, str(rows.pk))
    assert new == old and new.count(" selected>") == 1
    page = client.get(reverse("households:list"), {"commune": rows.pk, "history": "1"})
    chosen = commune_options([rows], str(rows.pk))
    assert chosen in new and chosen in page.content.decode()


@pytest.mark.parametrize("code", ["TL-1", "TP-26134-0212", "Hộ 1 & <2>", "a%20b?c#d", "x'y\"z",
                                  "~:@!$&'()*+,;=", "Đ"])
def test_the_household_links_are_those_reverse_writes(code):
    assert DetailLinks()(code) == reverse("households:detail", args=[code])
