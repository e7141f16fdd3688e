"""The household search: names without tone marks, codes, exact ID numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from giamngheo.text import fold, search_words
from giamngheo.web.accounts.models import Role
from giamngheo.web.households.models import Household, Member, search_terms_query

from .factories import users_with_roles

pytestmark = pytest.mark.django_db
ID_NUMBER = "075080001234"


def test_fold_removes_tone_marks_and_case():
    assert fold("  Nguyễn   Văn ĐẠT ") == "nguyen van dat"
    assert fold("K' Điểu Thị Ửng") == "k' dieu thi ung"
    assert search_words("TP-26131-0012, K' Điểu") == "tp 26131 0012 k dieu"


@pytest.fixture
def household(place):
    commune, hamlet = place
    household = Household.objects.create(code="TL-0042", commune=commune, hamlet=hamlet,
                                         area="rural")
    Member.objects.create(household=household, full_name="Nguyễn Văn Đạt", relation="head",
                          birth_date=dt.date(1980, 5, 1), sex="male", id_number=ID_NUMBER)
    Member.objects.create(household=household, position=2, full_name="Điểu Thị Hoa",
                          relation="spouse", birth_date=dt.date(1982, 2, 1), sex="female")
    return household


def found(client, query: str) -> bool:
    return "TL-0042" in client.get(reverse("households:list"), {"q": query}).content.decode()


def test_search_by_name_code_and_id_number(client, place, household):
    commune, _hamlet = place
    client.force_login(users_with_roles(commune, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER])
    assert found(client, "nguyen van dat") and found(client, "NGUYỄN VĂN")
    assert found(client, "van dat") and found(client, "nguyen van d")
    assert not found(client, "uyen van")  # a search starts a word
    assert not found(client, "nguyen dat")  # words in their order
    assert found(client, "dieu thi hoa")  # any member, not only the head
    assert found(client, "tl-0042") and found(client, "0042") and found(client, "TL 0042")
    assert found(client, ID_NUMBER)
    assert not found(client, ID_NUMBER[:6])  # ID numbers match whole, never in part
    assert not found(client, "tran van dat")


def test_renaming_a_member_updates_the_search(client, place, household):
    commune, _hamlet = place
    client.force_login(users_with_roles(commune, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER])
    member = household.members.get(position=2)
    member.full_name = "Lê Thị Hồng"
    member.save()
    assert found(client, "le thi hong") and not found(client, "dieu thi hoa")


def test_a_surveyor_of_one_hamlet_sees_its_households_only(client, place, household):
    commune, hamlet = place
    other = Household.objects.create(code="TL-0043", commune=commune, area="rural")
    client.force_login(users_with_roles(hamlet, Role.SURVEYOR)[Role.SURVEYOR])
    page = client.get(reverse("households:list")).content.decode()
    assert "TL-0042" in page and other.code not in page


def test_a_broad_search_lists_the_first_matches_and_asks_to_narrow_it(client, place,
                                                                      monkeypatch):
    commune, _hamlet = place
    monkeypatch.setattr("giamngheo.web.households.views.MAX_MATCHES", 3)
    for n in range(5):
        Household.objects.create(code=f"TL-9{n}", commune=commune, area="rural")
    client.force_login(users_with_roles(commune, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER])
    page = client.get(reverse("households:list"), {"q": "tl-9"}).content.decode()
    assert "Có hơn 3 hộ phù hợp" in page
    assert "TL-90" in page and "TL-92" in page and "TL-93" not in page
    page = client.get(reverse("households:list"), {"q": "tl-94"}).content.decode()
    assert "Có hơn" not in page and "TL-94" in page


@pytest.mark.parametrize("query", ["nguyen van dat", "van d", "dieu thi hoa", "tl 0042",
                                   "0042", "uyen van", "nguyen dat", "d", "tran van dat"])
def test_a_search_in_a_few_communes_finds_what_the_full_text_index_finds(household, query):
    """A search within a few communes reads their rows, one of the whole country goes through
    the full-text index first (PostgreSQL): the same households either way."""
    households = Household.objects.all()
    assert set(households.matching(query, whole_country=False)) \
        == set(households.matching(query, whole_country=True))


def test_a_search_of_several_words_looks_for_their_pairs():
    assert search_terms_query("nguyen") == "nguyen:*"
    assert search_terms_query("nguyen van h") == "nguyen_van & van_h:*"
    assert search_terms_query("tl 0042") == "tl_0042:*"


@pytest.mark.parametrize("query", ["dat dieu thi", "tl 0042 nguyen van", "0042 ng",
                                   "nguyen van dat dieu thi hoa", "van dat dieu th", "thi hoa",
                                   "dat dieu hoa", "hoa nguyen"])
def test_the_pairs_of_words_find_what_the_words_in_order_find(household, query):
    """The full-text index's pairs of adjacent words (PostgreSQL) run across the code and the
    members' names, as the words in order do."""
    households = Household.objects.all()
    expected = set(households.matching(query, whole_country=False))
    assert set(households.matching(query, whole_country=True)) == expected
    assert bool(expected) == (query not in ("dat dieu hoa", "hoa nguyen"))
