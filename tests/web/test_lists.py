"""The lists of a closed review, by hamlet, and their logged XLSX export."""

from __future__ import annotations

import io

import fastexcel
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from giamngheo.web.accounts.models import AccessLog, Assignment, Role

from .factories import make_household, run_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_reviews(place):
    commune, hamlet = place
    officer = User.objects.create_user("officer", password="pw")
    Assignment.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=commune)
    monitor = User.objects.create_user("monitor", password="pw")
    Assignment.objects.create(user=monitor, role=Role.MONITOR, unit=commune)
    poor = make_household(commune, hamlet, "TL-P", 1_000_000, deprived=True)
    escapes = make_household(commune, hamlet, "TL-E", 1_000_000, deprived=True)
    near = make_household(commune, hamlet, "TL-N", 1_400_000, deprived=False)
    run_review(commune, hamlet, officer, 2023, [poor, escapes, near])
    escapes.income_monthly_per_capita = 5_000_000
    escapes.save()
    review = run_review(commune, hamlet, officer, 2024, [poor, escapes, near])
    return review, officer, monitor


def test_lists_and_rates(client, closed_reviews):
    review, officer, monitor = closed_reviews
    client.force_login(monitor)
    page = client.get(reverse("reviews:lists", args=[review.pk])).content.decode()
    assert "TL-P" in page and "TL-N" in page
    assert "33,33" in page or "33.33" in page  # 1 poor of 3 households in Ấp 2
    assert "Hộ thoát nghèo trong kỳ rà soát này" in page
    assert "số tháng còn được hưởng" in page
    assert client.get(reverse("reviews:lists_xlsx", args=[review.pk])).status_code == 403
    assert not AccessLog.objects.filter(action="export").exists()
    seen = AccessLog.objects.get(action="view")  # the names on the page were seen
    assert seen.user == monitor and seen.rows == 3


def test_export_every_list_to_xlsx_and_log_it(client, closed_reviews):
    review, officer, monitor = closed_reviews
    client.force_login(officer)
    response = client.get(reverse("reviews:lists_xlsx", args=[review.pk]))
    assert response.status_code == 200
    book = fastexcel.read_excel(io.BytesIO(response.content).getvalue())
    assert book.sheet_names == [
        "Tổng hợp theo ấp", "Hộ nghèo nhóm A", "Hộ nghèo nhóm B", "Hộ cận nghèo",
        "Hộ mới thoát nghèo", "Hộ NLNDN mức sống TB", "Hộ chưa có kết quả",
        "Hộ đưa ra khỏi rà soát"]
    poor = book.load_sheet("Hộ nghèo nhóm A", header_row=4).to_polars()
    assert poor.get_column(poor.columns[0]).to_list()[0] == "TL-P"
    escaped = book.load_sheet("Hộ mới thoát nghèo", header_row=4).to_polars()
    assert escaped.get_column(escaped.columns[0]).to_list()[0] == "TL-E"
    months = escaped.get_column(escaped.columns[5]).to_list()[0]
    assert isinstance(months, float) and months > 0  # a number, not text
    summary = book.load_sheet("Tổng hợp theo ấp", header_row=4).to_polars()
    assert summary.row(0)[:4] == ("Ấp 4", 3, 3, 1)
    log = AccessLog.objects.get(action="export")
    assert log.user == officer and log.rows == 3
