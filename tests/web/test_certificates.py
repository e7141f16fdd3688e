"""Certificates of poor and near-poor households: issued by the chair after the decision,
numbered, printed, revoked (never deleted) when the review is reopened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from giamngheo.web.accounts.models import AccessLog, Role
from giamngheo.web.reviews.models import Certificate, Step

from .factories import act, make_household, run_review, users_with_roles

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 12, 12)


@pytest.fixture
def setting(place):
    commune, hamlet = place
    users = users_with_roles(commune, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.MONITOR)
    households = [make_household(commune, hamlet, f"TL-{n}", income, deprived=n == 0)
                  for n, income in enumerate((1_000_000, 1_400_000, 2_500_000))]
    return commune, hamlet, users, households


def test_the_chair_issues_certificates_to_the_recognised_households(setting):
    commune, hamlet, users, households = setting
    chair = users[Role.COMMUNE_CHAIR]
    review = run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2024, households,
                        until=Step.DECISION)
    with pytest.raises(ValidationError):
        review.issue_certificates(chair, DAY)
    review.advance(chair)
    assert review.issue_certificates(chair, DAY) == 2
    assert review.issue_certificates(chair, DAY) == 0
    issued = list(Certificate.objects.values_list("household__code", "classification",
                                                  "number"))
    assert issued == [("TL-0", "poor", "1/2025/GCN"), ("TL-1", "near_poor", "2/2025/GCN")]


def test_reopening_revokes_the_certificates_and_closing_again_reprints_them(client, setting):
    """The chair reopens to correct the decision's number and date: the corrected decision
    is kept in its history, the certificates are revoked and issued again with their numbers
    (the classifications are unchanged) and print the corrected decision."""
    commune, hamlet, users, households = setting
    chair = users[Role.COMMUNE_CHAIR]
    review = run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2024, households)
    review.issue_certificates(chair, DAY)
    review.reopen(chair, "Sai sót số quyết định")
    assert set(Certificate.objects.values_list("revoked_because", flat=True)) == {
        "Sai sót số quyết định"}
    with pytest.raises(ValidationError):  # a correction says why
        review.record_decision("15/QĐ-UBND", dt.date(2024, 12, 11), "Lê Minh Tâm", chair)
    review.record_decision("15/QĐ-UBND", dt.date(2024, 12, 11), "Lê Minh Tâm", chair,
                           "số quyết định ghi nhầm")
    review.refresh_from_db()
    review.advance(chair)
    assert review.issue_certificates(chair, DAY) == 2
    valid = dict(Certificate.objects.filter(revoked_on=None).values_list(
        "household__code", "number"))
    assert valid == {"TL-0": "1/2025/GCN", "TL-1": "2/2025/GCN"}
    assert Certificate.objects.count() == 4
    assert households[0].certificates.first().history.count() == 2
    assert [d.number for d in review.decision.history.order_by("history_date")] == [
        "12/QĐ-UBND-2024", "15/QĐ-UBND"]
    client.force_login(chair)
    page = client.get(reverse("reviews:certificates", args=[review.pk])).content.decode()
    assert "15/QĐ-UBND" in page and "11/12/2024" in page and "12/QĐ-UBND-2024" not in page


def test_a_certificate_prints_alone(client, setting):
    commune, hamlet, users, households = setting
    review = run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2024, households)
    review.issue_certificates(users[Role.COMMUNE_CHAIR], DAY)
    first = Certificate.objects.get(household=households[0])
    client.force_login(users[Role.COMMUNE_OFFICER])
    page = client.get(reverse("reviews:certificate", args=[review.pk, first.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and html.count('class="sheet"') == 1
    assert "Chủ hộ TL-0" in html and "Chủ hộ TL-1" not in html
    lists = client.get(reverse("reviews:lists", args=[review.pk])).content.decode()
    assert reverse("reviews:certificate", args=[review.pk, first.pk]) in lists


def test_certificates_are_printed_by_exporting_roles_and_logged(client, setting):
    commune, hamlet, users, households = setting
    review = run_review(commune, hamlet, users[Role.COMMUNE_OFFICER], 2024, households)
    url = reverse("reviews:certificates", args=[review.pk])
    client.force_login(users[Role.COMMUNE_CHAIR])
    assert client.get(url).status_code == 404  # none issued yet
    page = act(client, review, "issue_certificates").content.decode()
    assert "2 giấy chứng nhận đã được cấp" in page
    page = client.get(url).content.decode()
    assert "GIẤY CHỨNG NHẬN HỘ NGHÈO" in page and "GIẤY CHỨNG NHẬN HỘ CẬN NGHÈO" in page
    assert "Chủ hộ TL-0" in page and "Chủ hộ TL-2" not in page
    assert "12/QĐ-UBND-2024" in page
    assert AccessLog.objects.get(action="export").rows == 2
    client.force_login(users[Role.MONITOR])
    assert client.get(url).status_code == 403
    client.force_login(users[Role.COMMUNE_OFFICER])
    act(client, review, "issue_certificates")
    assert Certificate.objects.count() == 2  # only the chair issues
