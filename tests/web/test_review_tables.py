"""The review's result tables for an area and a year: commune rows that add up to the area's
total, movements between annual reviews, deprivations, ethnicity, causes; an XLSX a reader
opens; a year without a closed review says so."""

from __future__ import annotations

import fastexcel
import pytest
from django.urls import reverse

from giamngheo.web.reports.tables import NoClosedReview, result_tables

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
    assert moves["escaped_poverty"] == 1
    ta_lai = row_of(tables["poor_movements"], commune.name)
    assert (ta_lai["đầu kỳ"], ta_lai["cuối kỳ"]) == (2, 1)
    assert row_of(tables["near_poor_movements"], commune.name)["new_near_poor"] == 1
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
    assert book.sheet_names == ["summary", "poor_movements", "near_poor_movements",
                                "deprivations", "ethnicity", "causes"]
    summary = book.load_sheet("summary", header_row=2, dtypes="string").to_polars()
    assert summary[-1, 0] == "Tổng cộng" and summary[-1, 1] == "4"


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
