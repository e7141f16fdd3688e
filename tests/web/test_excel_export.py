"""Exporting households with members: the import template's shape (round trip), the list's
filters, ID numbers masked for roles that do not need them, every export logged."""

from __future__ import annotations

import datetime as dt
import io

import fastexcel
import pytest
from django.core.management import call_command
from django.urls import reverse

from giamngheo.web.accounts.models import AccessLog, Role
from giamngheo.web.exchange.export import write_households
from giamngheo.web.exchange.importer import plan_import
from giamngheo.web.households.models import Household

from .factories import make_household, users_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(place):
    commune, hamlet = place
    for n in range(3):
        household = make_household(commune, hamlet, f"TL-{n}", 1_000_000 + n, deprived=n == 0)
        household.members.update(id_number=f"07508000{n:04d}")
    return commune, users_with_roles(commune, Role.COMMUNE_OFFICER, Role.MONITOR,
                                     Role.AREA_OFFICER)


def sheets(content: bytes) -> dict:
    book = fastexcel.read_excel(content)
    return {name: book.load_sheet(name, dtypes="string").to_polars()
            for name in book.sheet_names}


def test_the_export_reads_back_as_an_unchanged_import(client, registry, tmp_path):
    commune, users = registry
    client.force_login(users[Role.COMMUNE_OFFICER])
    response = client.get(reverse("exchange:export"))
    content = b"".join(response.streaming_content)
    book = sheets(content)
    assert book["Hộ gia đình"]["Mã hộ"].to_list() == ["TL-0", "TL-1", "TL-2"]
    assert book["Thành viên"]["Số CCCD"].to_list() == ["075080000000", "075080000001",
                                                       "075080000002"]
    assert book["Hộ gia đình"]["Nguồn nước sinh hoạt"].to_list()[1] == "nước máy"
    assert AccessLog.objects.get(action="export").rows == 3
    path = tmp_path / "xuat.xlsx"
    path.write_bytes(content)
    plan = plan_import(path, users[Role.COMMUNE_OFFICER])
    assert plan.problems == [] and plan.counts["unchanged"] == 3


def test_the_export_follows_the_list_filters_and_masks_id_numbers(client, registry):
    commune, users = registry
    client.force_login(users[Role.AREA_OFFICER])
    response = client.get(reverse("exchange:export"), {"q": "TL-1"})
    book = sheets(b"".join(response.streaming_content))
    assert book["Hộ gia đình"]["Mã hộ"].to_list() == ["TL-1"]
    assert book["Thành viên"]["Số CCCD"].to_list() == ["075******001"]
    client.force_login(users[Role.MONITOR])
    assert client.get(reverse("exchange:export")).status_code == 403


def test_the_export_command(registry, tmp_path):
    out = io.StringIO()
    call_command("export_households", "-o", str(tmp_path / "x.xlsx"), "--commune", "26131",
                 stdout=out)
    assert "3 hộ" in out.getvalue()
    book = sheets((tmp_path / "x.xlsx").read_bytes())
    assert len(book["Thành viên"]) == Household.objects.count()


def test_decimals_and_answers_that_no_longer_apply_read_back_unchanged(registry, tmp_path):
    """A floor area of 45.7 m² and a B1 score read back as the stored decimals (not as
    floats that differ from them), and a grown-up child's nutrition answer recorded when a
    child is no error on the way back."""
    commune, users = registry
    Household.objects.filter(code="TL-0").update(floor_area_m2="45.7")
    Household.objects.filter(code="TL-1").update(income_monthly_per_capita=None,
                                                 income_b1_score="152.35")
    household = Household.objects.get(code="TL-2")
    household.members.create(position=2, full_name="Con đã lớn", relation="child",
                             birth_date=dt.date(dt.date.today().year - 17, 1, 1), sex="male",
                             stunted=True)
    path = tmp_path / "xuat.xlsx"
    write_households(Household.objects.all(), path, shows_id_numbers=lambda *_unit: True)
    plan = plan_import(path, users[Role.COMMUNE_OFFICER])
    assert plan.problems == [] and plan.counts["unchanged"] == 3


def test_the_record_fields_columns_are_their_declarations():
    """Each record field the workbook carries is headed by its declared Vietnamese label,
    typed and offered the choices its declaration gives: a field declared anew or relabelled
    in record.py reaches the workbook without a second edit."""
    from giamngheo import record
    from giamngheo.web.exchange.columns import household_columns, member_columns

    carried = {c.header: c for c in (*household_columns(), *member_columns())}
    workbook_own = {"reference_date", "province_code", "commune_code", "members.id"}
    fields = [f for f in record.FIELDS.values() if f.path not in workbook_own]
    assert len(fields) == 29
    for f in (*fields, record.DWELLING_PRESENCE):
        column = carried[f.label["vi"]]
        assert column.kind == {"enum": "choice", "enum_list": "choices", "bool": "bool",
                               "integer": "int", "number": "decimal", "date": "date",
                               "string": "text"}[f.kind], f.path
        assert column.choices == {code: f.vocabulary.label(code, "vi") for code in f.codes} \
            if f.vocabulary else column.choices == {}, f.path
        assert column.flag == f.flag, f.path
