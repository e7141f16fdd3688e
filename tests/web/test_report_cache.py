"""The report pages' per-process caches (``giamngheo.web.memo``): the figures of an area added
up, the dashboard's tables, the workbooks and documents. What they hand out is what the pages
compute afresh; a change of any input (a new closed review, a target, a support record, the
stored figures, the language) shows at once; access and the export log stay as they were."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from giamngheo.figures import add
from giamngheo.web import memo
from giamngheo.web.accounts.models import AccessLog, Role
from giamngheo.web.households.models import Household, Member
from giamngheo.web.program.models import AssignedTarget
from giamngheo.web.reports import docx_writer
from giamngheo.web.reviews import figures as stored
from giamngheo.web.reviews.models import ReviewFigures
from giamngheo.web.support.models import Support
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
CREATED = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def parts(content: bytes) -> dict[str, bytes]:
    """A .docx or .xlsx as its parts, less the moment it was made (the zip's dates, the
    workbook's creation time): what it shows."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return {name: CREATED.sub(b"", book.read(name)) for name in book.namelist()}


def pages(client, district) -> dict[str, object]:
    """Every page and file of the cached kinds, for the district."""
    def get(name, *args, **params):
        response = client.get(reverse(name, args=args), {"unit": district.pk, **params})
        assert response.status_code == 200, name
        return response.content

    return {
        "dashboard": CSRF.sub(b"", get("reports:dashboard", year=2024)),
        "dashboard.xlsx": parts(get("reports:dashboard_xlsx", year=2024)),
        "tables.xlsx": parts(get("reports:review_tables", year=2025)),
        "annual.docx": parts(get("reports:report", "docx", year=2024)),
        "6-month.docx": parts(get("reports:report", "docx", year=2025, half="1")),
    }


def fresh(client, district) -> dict[str, object]:
    """The pages computed afresh: every cache emptied first."""
    memo.clear()
    return pages(client, district)


@pytest.fixture
def writes(monkeypatch):
    """How many times each file was written and the figures added up."""
    count = {"workbook": 0, "document": 0, "add": 0}

    def counted(name, function):
        def call(*args, **kwargs):
            count[name] += 1
            return function(*args, **kwargs)
        return call

    from giamngheo.web import sheets

    monkeypatch.setattr(sheets, "_workbook", counted("workbook", sheets._workbook))
    monkeypatch.setattr(docx_writer, "write_docx", counted("document", docx_writer.write_docx))
    monkeypatch.setattr(stored, "add", counted("add", stored.add))
    return count


def test_what_the_caches_hand_out_is_what_the_pages_compute_afresh(client, area, writes):
    district, _commune, officer = area
    client.force_login(officer)
    memo.clear()
    first = pages(client, district)
    written = dict(writes)
    assert written["workbook"] == 2 and written["document"] == 2 and written["add"] > 0
    again = pages(client, district)
    assert writes == written  # nothing written or added up again: all from the caches
    assert again == first
    assert fresh(client, district) == first
    assert writes["document"] == 4  # afresh: written again


def test_a_change_of_any_input_shows_at_once(client, area):
    district, commune, officer = area
    client.force_login(officer)
    before = pages(client, district)

    # a target of the district
    AssignedTarget.objects.create(target="hygienic_water", unit=district, year=2024,
                                  value=30, recorded_by=officer)
    with_target = pages(client, district)
    changed = {k for k in before if with_target[k] != before[k]}
    assert {"dashboard", "dashboard.xlsx", "annual.docx"} <= changed
    assert with_target == fresh(client, district)

    # support given in 2025: the tables' support received, the 6-month report's training
    Support.objects.create(household=Household.objects.get(code="TL-1"),
                           kind="vocational_training", given_on=dt.date(2025, 3, 10),
                           amount=2_000_000, source="provincial", recorded_by=officer)
    with_support = pages(client, district)
    changed = {k for k in before if with_support[k] != with_target[k]}
    assert {"tables.xlsx", "6-month.docx"} <= changed
    assert with_support == fresh(client, district)

    # a third commune's annual review of 2024 closes: new stored figures for the lists of 2025
    third = Unit.objects.filter(level="commune", kind="xa", parent=district).exclude(
        code__in=["26131", "26119"]).first()
    hamlet = Unit.objects.create(code=f"{third.code}-01", name="Ấp 1", kind="ap",
                                 level="hamlet", parent=third)
    run_review(third, hamlet, officer, 2024, [make_household(third, hamlet, "X-1", 1_000_000,
                                                             deprived=True)])
    with_review = pages(client, district)
    changed = {k for k in before if with_review[k] != with_support[k]}
    assert changed == set(before)  # every page counts the lists of 2025
    assert with_review == fresh(client, district)


def test_new_stored_figures_are_read_at_once(area):
    district, commune, _officer = area
    communes = stored.territory_communes(district)
    area_2025 = stored.area_figures(district, 2025)
    by_year = stored.figures_by_year(district)
    assert area_2025 == by_year[2025] == add(
        ReviewFigures.objects.filter(commune__in=communes, year=2025)
        .values_list("figures", flat=True))
    # the commune's figures stored again (its review reopened and closed): a new version
    row = ReviewFigures.objects.get(commune=commune, year=2025)
    row.figures = {**row.figures, "households": {**row.figures["households"], "poor": 7}}
    row.save()
    assert stored.figures_by_commune(communes, 2025)[commune.pk]["households"]["poor"] == 7
    assert stored.area_figures(district, 2025) == stored.figures_by_year(district)[2025] == add(
        ReviewFigures.objects.filter(commune__in=communes, year=2025)
        .values_list("figures", flat=True)) != area_2025
    # and gone: computed again from the closed review (what it decided, not the 7)
    row.delete()
    assert stored.figures_by_commune(communes, 2025)[commune.pk]["households"]["poor"] != 7
    assert stored.area_figures(district, 2025) == stored.figures_by_year(district)[2025] == add(
        ReviewFigures.objects.filter(commune__in=communes, year=2025)
        .values_list("figures", flat=True)) == area_2025


def test_the_figures_handed_out_cannot_be_changed(area):
    district, commune, _officer = area
    figures = stored.area_figures(district, 2025)
    by_commune = stored.figures_by_commune(stored.territory_communes(district), 2025)
    for shared in (figures, figures["households"], by_commune[commune.pk]):
        assert isinstance(shared, stored.Frozen)
        with pytest.raises(TypeError):
            shared["households"] = 0
        with pytest.raises(TypeError):
            shared.update({})
        with pytest.raises(TypeError):
            shared.pop("households", None)
    # a page that changes figures adds them up into its own
    own = add([figures])
    own["households"]["poor"] += 100
    assert stored.area_figures(district, 2025) == figures
    assert figures["households"]["poor"] == own["households"]["poor"] - 100


def test_the_fingerprint_tells_apart_what_reads_differently():
    fingerprint = memo.fingerprint
    assert len({fingerprint(v) for v in (1, 1.0, True, "1", SafeString("1"), None, "")}) == 7
    assert fingerprint([1, 2]) != fingerprint((1, 2))
    assert fingerprint([["a", 1]]) == fingerprint([["a", 1]])
    assert fingerprint(dt.date(2025, 1, 2)) != fingerprint("2025-01-02")
    label = gettext_lazy("Total")
    with translation.override("vi"):
        vietnamese = fingerprint([label])
        assert vietnamese == fingerprint([gettext_lazy("Total")])
    with translation.override("en"):
        assert fingerprint([label]) != vietnamese
    with pytest.raises(TypeError):
        fingerprint([object()])  # its text would be its address


def test_each_language_has_its_own_pages(client, area):
    district, _commune, officer = area
    client.force_login(officer)
    vietnamese = pages(client, district)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = pages(client, district)
    assert all(english[k] != vietnamese[k] for k in english)
    assert english == fresh(client, district)
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert pages(client, district) == vietnamese


def test_access_and_the_export_log_stay_as_they_were(client, area):
    district, _commune, officer = area
    params = {"unit": district.pk, "year": 2025}
    client.force_login(officer)
    for _ in range(2):
        assert client.get(reverse("reports:review_tables"), params).status_code == 200
    # every download with names is logged, the cached one too
    assert AccessLog.objects.filter(user=officer, action="export").count() == 2
    # a monitor may not take names away: not the officer's workbook, nothing logged
    monitor = users_with_roles(district, Role.MONITOR)[Role.MONITOR]
    client.force_login(monitor)
    response = client.get(reverse("reports:review_tables"), params)
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        assert not any(b"TL-1" in book.read(n) for n in book.namelist())
    assert not AccessLog.objects.filter(user=monitor).exists()
    # another commune's officer: none of the district's pages, cached or not
    dak_lua = district.children.get(code="26119", valid_from=None)
    client.force_login(users_with_roles(dak_lua, Role.COMMUNE_CHAIR)[Role.COMMUNE_CHAIR])
    for name, args in (("reports:dashboard", ()), ("reports:review_tables", ()),
                       ("reports:report", ("docx",)), ("reports:dashboard_xlsx", ())):
        assert client.get(reverse(name, args=args), params).status_code == 404


def test_members_of_the_lists_are_read_afresh(client, area):
    """The detailed lists (names) are part of what a workbook is kept by: a name changed
    shows in the next file."""
    district, _commune, officer = area
    params = {"unit": district.pk, "year": 2025}
    client.force_login(officer)
    first = client.get(reverse("reports:review_tables"), params).content
    Member.objects.filter(household__code="TL-1", relation="head").update(full_name="Tên Mới")
    second = client.get(reverse("reports:review_tables"), params).content
    assert parts(first) != parts(second)
    with zipfile.ZipFile(io.BytesIO(second)) as book:
        assert any("Tên Mới".encode() in book.read(n) for n in book.namelist())


def test_the_dashboard_is_the_very_page_of_its_former_template(client, area):
    """The page with its parts kept (the choice of units, the tables and charts) is the page
    the template wrote whole: the template with the parts put back in place, rendered."""
    from pathlib import Path

    from django.template import engines

    import giamngheo
    from giamngheo.web.scope import area_choices

    district, _commune, officer = area
    folder = Path(giamngheo.__file__).parent / "web" / "templates" / "reports"
    whole = (folder / "dashboard.html").read_text(encoding="utf-8").replace(
        "{{ unit_options }}", (folder / "_unit_options.html").read_text(encoding="utf-8")
        .removeprefix("{% load i18n %}")).replace(
        "{{ sections_html }}", (folder / "_dashboard_sections.html").read_text(encoding="utf-8"))
    client.force_login(officer)
    for params in ({"unit": district.pk, "year": 2024}, {"unit": district.pk, "year": 2030},
                   {"unit": district.pk, "year": 2024, "history": "1"}):
        for _ in range(2):  # afresh, then from the caches
            response = client.get(reverse("reports:dashboard"), params)
            board = response.context["board"]
            request = response.wsgi_request
            expected = engines["django"].from_string(whole).render({
                "unit": response.context["unit"], "year": response.context["year"],
                "board": board, "units": area_choices(request.user, request),
                "sections": [(t.key, t) for t in board.tables] if board else []}, request)
            assert CSRF.sub(b"", response.content) == CSRF.sub(b"", expected.encode())
