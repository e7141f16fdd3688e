"""Administrative units of Tân Phú with their 2024 and 2025 reorganisations."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.web.units.loading import hamlet_names, load_units_file
from giamngheo.web.units.models import AdministrativeUnit as Unit

pytestmark = pytest.mark.django_db
NOV_2024, JUL_2025 = dt.date(2024, 11, 1), dt.date(2025, 7, 1)


def commune(code: str, day: dt.date) -> Unit:
    return next(u for u in Unit.objects.filter(level="commune", code=code) if u.is_valid_on(day))


def communes_on(day: dt.date) -> list[str]:
    return sorted(u.code for u in Unit.objects.filter(level="commune") if u.is_valid_on(day))


@pytest.fixture
def units():
    load_units_file()


def test_units_in_force_on_each_date(units):
    assert len(communes_on(dt.date(2024, 10, 15))) == 18
    assert len(communes_on(dt.date(2025, 1, 1))) == 16
    assert communes_on(dt.date(2026, 1, 1)) == ["26116", "26119", "26122", "26134", "26158",
                                                "26221"]
    district = Unit.objects.get(level="district", code="734")
    assert district.is_valid_on(dt.date(2025, 6, 30)) and not district.is_valid_on(JUL_2025)
    assert commune("26116", dt.date(2024, 1, 1)).area_type == "urban"  # Thị trấn Tân Phú
    assert commune("26116", JUL_2025).area_type == "rural"  # Xã Tân Phú


def test_a_reused_code_names_different_units_over_time(units):
    assert commune("26146", dt.date(2024, 10, 31)).name == "Xã Phú Trung"
    assert commune("26146", NOV_2024).name == "Xã Phú Sơn"
    assert commune("26134", dt.date(2025, 6, 30)).name == "Xã Phú Lập"
    assert commune("26134", JUL_2025).name == "Xã Tà Lài"


def test_a_2024_commune_under_its_2025_commune_and_back(units):
    ta_lai_2024 = commune("26131", dt.date(2024, 10, 15))
    assert ta_lai_2024.successor_on(dt.date(2026, 3, 1)).name == "Xã Tà Lài"
    assert ta_lai_2024.successor_on(dt.date(2026, 3, 1)).code == "26134"
    nui_tuong = commune("26128", dt.date(2024, 10, 15))
    assert nui_tuong.successor_on(dt.date(2025, 1, 1)).name == "Xã Nam Cát Tiên"
    assert nui_tuong.successor_on(dt.date(2026, 1, 1)).valid_from == JUL_2025
    phu_trung = commune("26146", dt.date(2024, 1, 1))
    assert phu_trung.successor_on(dt.date(2025, 1, 1)).name == "Xã Phú Sơn"
    assert phu_trung.successor_on(dt.date(2026, 1, 1)).name == "Xã Phú Lâm"
    new_ta_lai = commune("26134", JUL_2025)
    assert [u.name for u in new_ta_lai.predecessors_on(dt.date(2024, 10, 15))] == \
        ["Xã Tà Lài", "Xã Phú Lập", "Xã Phú Thịnh"]
    nam_cat_tien = commune("26122", JUL_2025)
    assert {u.code for u in nam_cat_tien.predecessors_on(dt.date(2024, 10, 15))} == \
        {"26122", "26125", "26128"}


def test_hamlets_of_the_2025_communes(units):
    hamlets = Unit.objects.filter(level="hamlet", parent=commune("26122", JUL_2025))
    assert [h.name for h in hamlets.order_by("code")] == [f"Ấp {n}" for n in range(1, 12)]
    assert hamlet_names("Tân Phú 1-3; Bàu Chim; Bầu Mây (may be incomplete)") == \
        ["Tân Phú 1", "Tân Phú 2", "Tân Phú 3", "Bàu Chim", "Bầu Mây"]


def test_loading_twice_changes_nothing(units):
    def snapshot():
        return sorted(map(str, Unit.objects.values_list("level", "code", "name", "valid_from",
                                                        "valid_until")))

    before = snapshot()
    assert load_units_file() == 0
    after = snapshot()
    assert before == after


def test_another_province_from_a_csv_list(tmp_path):
    from django.core.management import call_command

    from giamngheo.web.units.loading import UnitDataError, load_units_table

    good = tmp_path / "units.csv"
    good.write_text("code,name,kind,parent_code,valid_from,valid_until\n"
                    "01,Thành phố Hà Nội,thanh_pho,,,\n"
                    "00004,Phường Ba Đình,phuong,01,2025-07-01,\n"
                    "00004-01,Tổ dân phố 1,khu_pho,00004,2025-07-01,\n", encoding="utf-8")
    call_command("load_units", str(good))
    ward = Unit.objects.get(code="00004")
    assert ward.parent.code == "01" and ward.area_type == "urban"
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,kind,parent_code,valid_from,valid_until\n"
                   "02,Tỉnh Hà Giang,tinh,,,\n"
                   "00100,Xã X,village,02,,\n"
                   "00101,Xã Y,xa,99,,\n"
                   "00102,Xã Z,xa,02,15/07/2025,\n", encoding="utf-8")
    with pytest.raises(UnitDataError) as error:
        load_units_table(bad)
    message = str(error.value)
    assert "row 3: kind 'village'" in message and "row 4: parent 99" in message
    assert "row 5:" in message
    assert not Unit.objects.filter(code="02").exists()  # all or nothing
