import pytest


@pytest.fixture
def place(db):
    """The Tân Phú units, with Xã Tà Lài (2024) and a synthetic hamlet Ấp 4 under it."""
    from giamngheo.web.units.loading import load_units_file
    from giamngheo.web.units.models import AdministrativeUnit as Unit

    load_units_file()
    commune = Unit.objects.get(level="commune", code="26131")
    hamlet = Unit.objects.create(code="26131-04", name="Ấp 4", kind="ap", level="hamlet",
                                 parent=commune)
    return commune, hamlet
