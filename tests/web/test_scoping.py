"""What a user may see: their assigned units and everything below them."""

import pytest
from django.contrib.auth.models import User

from giamngheo.web.accounts.models import Assignment, Role, roles_of, visible_units
from giamngheo.web.units.loading import load_units_file
from giamngheo.web.units.models import AdministrativeUnit as Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    load_units_file()


def user_with(role, unit):
    user = User.objects.create_user(f"{role}-{unit.code}", password="x")
    Assignment.objects.create(user=user, role=role, unit=unit)
    return user


def test_a_commune_officer_sees_the_commune_and_its_hamlets_only(units):
    commune = Unit.objects.get(level="commune", code="26122", valid_from__isnull=False)
    officer = user_with(Role.COMMUNE_OFFICER, commune)
    seen = visible_units(officer)
    assert commune.pk in seen
    assert set(commune.children.values_list("pk", flat=True)) <= seen
    other = Unit.objects.get(level="commune", code="26119", valid_from__isnull=False)
    assert other.pk not in seen
    assert roles_of(officer) == {Role.COMMUNE_OFFICER}


def test_a_provincial_officer_sees_every_unit_of_the_province(units):
    province = Unit.objects.get(level="province", code="75")
    officer = user_with(Role.AREA_OFFICER, province)
    assert visible_units(officer) == set(Unit.objects.values_list("pk", flat=True))


def test_nobody_else_sees_anything(units):
    assert visible_units(User.objects.create_user("nobody", password="x")) == set()
