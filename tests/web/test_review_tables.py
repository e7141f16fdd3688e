"""The review's result tables for an area and a year: commune rows that add up to the area's
total, movements between annual reviews, deprivations, target groups, support received,
ethnicity, causes, children, detailed lists (for those who may take names away, logged); an
XLSX a reader opens; a year without a closed review says so."""

from __future__ import annotations

import datetime as dt

import fastexcel
import pytest
from django.urls import reverse

from giamngheo.web.accounts.models import AccessLog, Role
from giamngheo.web.households.models import Household, Member
from giamngheo.web.reports.tables import NoClosedReview, result_tables
from giamngheo.web.support.models import Support
from giamngheo.web.units.models import AdministrativeUnit as Unit

from .factories import make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db


def row_of(table, name):
    return dict(zip(table.headers, next(r for r in table.rows if r[0] == name), strict=True))


def test_commune_rows_add_up_to_the_district(area):
    district, commune, _officer = area
    tables = {t.key: t for t in result_tables(district, 2025)}
    summary = tables["summary"]
    names = [row[0] for row in summary.rows]
    assert names[-1] == "Tổng cộng" and len(names) == 3
    total = summary.rows[-1]
    assert total[1] == sum(r[1] for r in summary.rows[:-1]) == 4  # households
    assert total[3] == 2 and total[5] == 1  # poor (TL-1, DL-1), near-poor (TL-3)
    assert total[4] == 50.0  # a rate from the sums, not a sum of rates
    moves = dict(zip(tables["poor_movements"].headers, tables["poor_movements"].rows[-1],
                     strict=True))
    assert moves["giảm: thoát nghèo"] == 1
    ta_lai = row_of(tables["poor_movements"], commune.name)
    assert (ta_lai["đầu kỳ"], ta_lai["cuối kỳ"]) == (2, 1)
    assert row_of(tables["near_poor_movements"], commune.name)[
        "tăng: cận nghèo phát sinh"] == 1
    # Đak Lua's first annual review: no earlier one to count movements from
    first = row_of(tables["poor_movements"], "Xã Đak Lua")
    assert first["đầu kỳ"] == "chưa có kỳ rà soát trước" and first["cuối kỳ"] == 1
    water = next(r for r in tables["deprivations"].rows if "nước" in r[0].lower())
    assert water[1:3] == [2, 100.0]
    assert ["Mạ", 1, 0] in tables["ethnicity"].rows
    causes = dict(tables["causes"].rows)
    assert causes["Không có đất sản xuất"] == 1


def test_the_tables_download_as_a_workbook(client, area):
    district, commune, officer = area
    client.force_login(officer)
    response = client.get(reverse("reports:review_tables"), {"unit": district.pk,
                                                             "year": 2025})
    book = fastexcel.read_excel(response.content)
    assert book.sheet_names == ["Tổng hợp theo đơn vị", "Biến động hộ nghèo",
                                "Biến động hộ cận nghèo", "Thiếu hụt dịch vụ xã hội",
                                "Theo nhóm đối tượng", "Trẻ em thiếu hụt", "Hỗ trợ đã nhận",
                                "Theo dân tộc", "Nguyên nhân nghèo", "Danh sách chi tiết"]
    summary = book.load_sheet("Tổng hợp theo đơn vị", header_row=4).to_polars()
    assert summary[2, 0] == "Tổng cộng" and summary[2, 1] == 4  # numbers as numbers
    lists = book.load_sheet("Danh sách chi tiết", header_row=4, dtypes="string").to_polars()
    assert sorted(c for c in lists["mã hộ"].to_list() if c) == ["DL-1", "TL-1", "TL-3"]
    # names left: the export is logged
    assert AccessLog.objects.get(user=officer, action="export").rows == 3


def test_without_the_right_to_take_names_away_no_detailed_lists(client, area):
    district, _commune, _officer = area
    monitor = users_with_roles(district, Role.MONITOR)[Role.MONITOR]
    client.force_login(monitor)
    response = client.get(reverse("reports:review_tables"), {"unit": district.pk,
                                                             "year": 2025})
    assert "Danh sách chi tiết" not in fastexcel.read_excel(response.content).sheet_names
    assert not AccessLog.objects.filter(action="export").exists()


def test_target_groups_children_and_support_received(area):
    district, _commune, officer = area
    third = Unit.objects.filter(level="commune", kind="xa", parent=district).exclude(
        code__in=["26131", "26119"]).first()
    hamlet = Unit.objects.create(code=f"{third.code}-01", name="Ấp 1", kind="ap",
                                 level="hamlet", parent=third)
    with_child = make_household(third, hamlet, "X-1", 1_000_000, deprived=True)
    Member.objects.create(household=with_child, position=2, full_name="Con", relation="child",
                          birth_date=dt.date(2016, 5, 1), sex="female", disability="none",
                          unable_to_work=False, in_education=True, school_level="primary",
                          education="none", employment="student", health_insurance=True)
    run_review(third, hamlet, officer, 2024, [with_child])
    stays = Household.objects.get(code="TL-1")
    Support.objects.create(household=stays, kind="health_insurance_card",
                           given_on=dt.date(2025, 1, 10), amount=1_105_650, source="provincial",
                           recorded_by=officer)
    tables = {t.key: t for t in result_tables(district, 2025)}
    children = row_of(tables["children"], "Tất cả trẻ em dưới 16 tuổi")
    assert children["trẻ em thuộc hộ nghèo"] == 1  # the child of X-1
    water = next(r for r in tables["children"].rows if "nước" in r[0].lower())
    assert water[1:3] == [1, 100.0]
    groups = tables["target_groups"].rows[1]
    assert groups[0] == "dân tộc thiểu số (chủ hộ)"
    assert groups[1:3] == [1, 33.33]  # the Mạ head of TL-1, of the 3 poor
    card = next(r for r in tables["support_received"].rows if r[0] == "Thẻ bảo hiểm y tế")
    assert card[1:] == [1, 0, 0, 1_105_650]


def test_a_year_without_a_closed_review_says_so(client, area):
    district, _commune, officer = area
    with pytest.raises(NoClosedReview):
        result_tables(district, 2030)
    client.force_login(officer)
    response = client.get(reverse("reports:review_tables"), {"unit": district.pk,
                                                             "year": 2030})
    assert response.status_code == 404
    assert "Chưa có xã nào của Huyện Tân Phú có kỳ rà soát định kỳ đã kết thúc" in \
        response.content.decode()


def test_commune_tables_roll_up_to_the_district_and_province(area):
    """Every count of the district's tables is the sum of its communes' own tables; the
    province (one district with figures) has the district's."""
    district, _commune, _officer = area
    communes = [c for c in district.communes() if _has_tables(c)]
    assert len(communes) == 2
    whole = {t.key: t for t in result_tables(district, 2025)}
    parts = [{t.key: t for t in result_tables(c, 2025)} for c in communes]
    province = {t.key: t for t in result_tables(district.parent, 2025)}
    for key, table in whole.items():
        for row_index, row in enumerate(table.rows):
            if key in ("summary", "poor_movements", "near_poor_movements"):
                if row[0] != "Tổng cộng":
                    continue  # a row per commune; its total adds the communes' totals
                sums = [sum(p[key].rows[-1][i] for p in parts) for i in range(1, len(row))]
            else:
                sums = [sum(_cell(p[key], row[0], i) for p in parts) for i in range(1, len(row))]
            for i, value in enumerate(row[1:], start=1):
                header = table.headers[i]
                if isinstance(value, int) and "%" not in str(header):
                    assert value == sums[i - 1], (key, row[0], header)
            assert province[key].rows[row_index] == row, key


def _has_tables(commune) -> bool:
    try:
        result_tables(commune, 2025)
    except NoClosedReview:
        return False
    return True


def _cell(table, name, index):
    row = next((r for r in table.rows if r[0] == name), None)
    return row[index] if row and isinstance(row[index], (int, float)) else 0
