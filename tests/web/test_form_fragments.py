"""The edit form's groups and members written by Python (``households.form_fragments``) are
the very text the template's loops and ``_member.html`` wrote, for two roles, both languages,
values HTML escapes, a member who left, a new household, a form sent back with problems and
one given an empty member."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from giamngheo.web.accounts.models import Role
from giamngheo.web.households.form_fragments import household_groups, member_block, member_blocks
from giamngheo.web.households.models import Household, Member
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import make_household, users_with_roles
from .submitted import submitted

pytestmark = pytest.mark.django_db

# the loop of households/edit.html over the form's groups, before it was written by Python
OLD_GROUPS = """{% load i18n %}{% for key, legend, fields in form.groups %}
  <fieldset class="card" id="group-{{ key }}"><legend>{{ legend }}</legend>
    <div class="fields">{% for field in fields %}{{ field.as_field_group }}{% endfor %}</div>
    {% if key == "household" and household %}
    <details{% if household.left_on or form.status.errors or form.left_on.errors %} open{% endif %}>
      <summary>{% translate "The household left the commune" %}</summary>
      <div class="fields">{% for field in form.leaving %}{{ field.as_field_group }}{% endfor %}</div>
    </details>
    {% endif %}
  </fieldset>
  {% endfor %}"""  # noqa: E501 (the template's own lines)
# households/_member.html, included for each member and for the empty one
OLD_MEMBER = """{% load i18n %}<fieldset class="card member{% if member.instance.left_on %} left{% endif %}" id="member-{{ number }}">
  <legend>{% translate "Member" %} <span class="number">{{ number }}</span>{% if member.instance.pk %} <span class="who">—
    {{ member.instance.full_name }}</span>{% endif %}</legend>
  {% for hidden in member.hidden_fields %}{{ hidden }}{% endfor %}
  {% for key, legend, fields in member.groups %}
  {% if legend %}<h3>{{ legend }}</h3>{% endif %}
  <div class="fields">{% for field in fields %}{{ field.as_field_group }}{% endfor %}</div>
  {% endfor %}
  {% if member.instance.pk %}
  <details{% if member.instance.left_on or member.left_on.errors or member.left_on.value %} open{% endif %}>
    <summary>{% translate "This member left the household" %}</summary>
    <div class="fields">{{ member.left_on.as_field_group }}</div>
  </details>
  {% else %}
  <div class="actions">{{ member.DELETE.as_field_group }}</div>
  {% endif %}
</fieldset>
"""  # noqa: E501


def old(template: str, **context) -> str:
    return engines["django"].from_string(template).render(context)


@pytest.fixture
def awkward(place):
    """A household whose texts hold quotes, brackets, ampersands and Vietnamese letters, with
    an ID number, a member who left and one who left with no date shown yet."""
    commune, hamlet = place
    Unit.objects.filter(pk=hamlet.pk).update(name='Ấp <4> & "Tà Lài"')
    household = make_household(commune, hamlet, "TL-1", 1_000_000, deprived=True)
    Household.objects.filter(pk=household.pk).update(
        address='Tổ 3 "Đồi <Cao>" & \'B\'', notes="Ghi chú <b>đậm</b>\n& \"trích\"",
        phone="0912 <345>")
    members = list(household.members.all())
    Member.objects.filter(pk=members[0].pk).update(
        full_name='Nguyễn "Văn" <Hùng> & \'Ánh\'', id_number="075080000123",
        ethnicity="Xơ Đăng <&>")
    Member.objects.create(household=household, position=9, full_name="Điểu K' Lâm",
                          relation="child", sex="male", birth_date=dt.date(1990, 3, 2),
                          left_on=dt.date(2024, 5, 6))
    return Household.objects.get(pk=household.pk)


def edit(client, household, data=None):
    url = reverse("households:edit", args=[household.code]) if household \
        else reverse("households:new")
    response = client.get(url) if data is None else client.post(url, data)
    assert response.status_code == 200
    return response


def sent_back_with_problems(client, household):
    data = submitted(edit(client, household).content.decode())
    data |= {"address": ['Số "5" <b>'], "income_monthly_per_capita": ["nhiều <lắm>"],
             "walls": ['<script>"'], "left_on": ["31/02/2024"], "status": ["moved"],
             "members-0-full_name": ['Lê "<Thị>" Hoa'], "members-0-birth_date": ["32/13/1990"],
             "members-0-id_number": ["12ab<"], "members-1-left_on": ["hôm qua"],
             "members-0-relation": [""]}
    return edit(client, household, data)


def with_an_empty_member(client, household):
    data = submitted(edit(client, household).content.decode())
    return edit(client, household, data | {"add_member": ["1"]})


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.SURVEYOR])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("case", ["shown", "problems", "empty member", "new"])
def test_the_form_is_what_the_templates_wrote(client, request, awkward, role, lang, case):
    # a new household lives in a commune in force today
    unit = request.getfixturevalue("todays_place")[0] if case == "new" else awkward.commune
    user = users_with_roles(unit, role)[role]
    client.force_login(user)
    client.cookies["django_language"] = lang
    response = {"shown": lambda: edit(client, awkward),
                "problems": lambda: sent_back_with_problems(client, awkward),
                "empty member": lambda: with_an_empty_member(client, awkward),
                "new": lambda: edit(client, None)}[case]()
    form, members, household = (response.context[k] for k in ("form", "members", "household"))
    page = response.content.decode()
    with translation.override(lang):
        groups = household_groups(form, household)
        assert groups == old(OLD_GROUPS, form=form, household=household)
        blocks = member_blocks(members)
        assert blocks == "".join(old(OLD_MEMBER, member=member, number=number)
                                 for number, member in enumerate(members, start=1))
        empty = member_block(members.empty_form, "__number__")
        assert empty == old(OLD_MEMBER, member=members.empty_form, number="__number__")
    assert groups in page and blocks in page and empty in page
    # what the cases are about is on the page
    assert ("Họ và tên" if lang == "vi" else "Full name") in page
    if case != "new":
        assert "Số &#34;5&#34; &lt;b&gt;" in page if case == "problems" else \
            "Tổ 3 &#34;Đồi &lt;Cao&gt;&#34; &amp; &#39;B&#39;" in page
        assert ("Lê &quot;&lt;Thị&gt;&quot; Hoa" if case == "problems" else
                "Nguyễn &quot;Văn&quot; &lt;Hùng&gt; &amp; &#x27;Ánh&#x27;") in page
        assert ("075080000123" in page) == (role == Role.COMMUNE_OFFICER and case != "problems")
        assert 'class="card member left"' in page
    if case == "problems":
        assert page.count('class="error"') >= 5
    if case in ("empty member", "new"):
        assert 'name="members-__prefix__-DELETE"' in page and len(members.forms) >= 1
        assert members.forms[-1].instance.pk is None
