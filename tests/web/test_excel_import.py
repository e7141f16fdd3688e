"""Importing households from Excel: the template, the dry run with every problem by
sheet/row/column, matching, and the all-or-nothing import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import fastexcel
import pytest
import xlsxwriter

from giamngheo.web.accounts.models import Role
from giamngheo.web.exchange.columns import household_columns, member_columns
from giamngheo.web.exchange.importer import apply_import, plan_import
from giamngheo.web.exchange.models import ImportRecord
from giamngheo.web.exchange.template import build_template
from giamngheo.web.exchange.workbook import WorkbookError
from giamngheo.web.households.models import Household, Member

from .factories import make_household, users_with_roles

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 1)
HOUSEHOLD = {"Mã hộ": "TL-100", "Mã xã": "26131", "Ấp, khu phố": "Ấp 4",
             "Thu nhập bình quân người/tháng (đồng)": "1.100.000", "Có nhà ở": "Có",
             "Tường nhà": "bền chắc", "Khung nhà": "bền chắc", "Mái nhà": "bền chắc",
             "Diện tích nhà ở (m²)": "45,5", "Nguồn nước sinh hoạt": "nước máy",
             "Nhà tiêu": "tự hoại", "Có thành viên sử dụng internet": "Có",
             "Thiết bị tiếp cận thông tin": "điện thoại thông minh"}
HEAD = {"Mã hộ": "TL-100", "STT trong hộ": "1", "Họ và tên": "Điểu Thị Mai",
        "Số CCCD": "075190004321", "Quan hệ với chủ hộ": "Chủ hộ", "Ngày sinh": "12/4/1990",
        "Giới tính": "Nữ", "Dân tộc": "Mạ", "Việc làm": "tự làm (nông nghiệp, buôn bán...)",
        "Có thẻ BHYT": "Không", "Trình độ học vấn cao nhất": "THPT", "Đang đi học": "Không",
        "Khuyết tật": "không khuyết tật", "Không có khả năng lao động": "Không"}
CHILD = HEAD | {"STT trong hộ": "2", "Họ và tên": "K' Bình", "Số CCCD": "",
                "Quan hệ với chủ hộ": "con", "Ngày sinh": "03/09/15", "Giới tính": "Nam",
                "Việc làm": "", "Trình độ học vấn cao nhất": "tiểu học", "Đang đi học": "Có",
                "Cấp học đang học": "THCS"}


def write(path: Path, sheets: dict[str, list[dict[str, str]]]) -> Path:
    book = xlsxwriter.Workbook(path)
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        headers = list(dict.fromkeys(k for row in rows for k in row))
        sheet.write_row(0, 0, headers)
        for n, row in enumerate(rows, start=1):
            sheet.write_row(n, 0, [row.get(h, "") for h in headers])
    book.close()
    return path


@pytest.fixture
def officer(place):
    commune, _hamlet = place
    return users_with_roles(commune, Role.COMMUNE_OFFICER)[Role.COMMUNE_OFFICER]


def test_the_template_has_every_column_and_its_lists(tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(build_template())
    book = fastexcel.read_excel(str(path))
    assert book.sheet_names == ["Hướng dẫn", "Danh mục", "Hộ gia đình", "Thành viên"]
    headers = book.load_sheet("Hộ gia đình", header_row=None, dtypes="string") \
        .to_polars().row(0)
    assert [h.rstrip(" *") for h in headers] == [c.header for c in household_columns()]
    headers = book.load_sheet("Thành viên", header_row=None, dtypes="string").to_polars().row(0)
    assert [h.rstrip(" *") for h in headers] == [c.header for c in member_columns()]
    lists = book.load_sheet("Danh mục", dtypes="string").to_polars()
    assert "nước máy" in lists["Nguồn nước sinh hoạt"].to_list()


def test_a_dry_run_then_the_import_of_new_households(tmp_path, place, officer):
    path = write(tmp_path / "ds.xlsx", {"Hộ gia đình": [HOUSEHOLD],
                                        "Thành viên": [HEAD, CHILD]})
    plan = plan_import(path, officer, today=TODAY)
    assert plan.problems == []
    assert plan.counts == {"create": 1, "update": 0, "unchanged": 0, "members": 2}
    assert not Household.objects.exists()  # a dry run writes nothing
    record = apply_import(plan, officer)
    household = Household.objects.get(code="TL-100")
    assert (household.income_monthly_per_capita, float(household.floor_area_m2),
            household.hamlet.name, household.devices) == (1_100_000, 45.5, "Ấp 4",
                                                          ["smartphone"])
    child = household.members.get(position=2)
    assert (child.birth_date, child.relation, child.school_level) == (
        dt.date(2015, 9, 3), "child", "lower_secondary")
    assert household.history.get().history_change_reason == "import ds.xlsx"
    assert (record.created, record.members, record.user) == (1, 2, officer)
    assert household.classify(TODAY)["classification"] == "near_poor"  # 1 deprivation
    assert " dieu thi mai" in household.search_text
    again = plan_import(path, officer, today=TODAY)
    assert again.counts["unchanged"] == 1 and again.problems == []


def test_existing_households_are_matched_by_code_then_by_the_heads_id_number(
        tmp_path, place, officer):
    commune, hamlet = place
    by_code = make_household(commune, hamlet, "TL-100", 2_000_000, deprived=False)
    by_id = make_household(commune, hamlet, "TL-7", 2_000_000, deprived=False)
    by_id.members.update(id_number="075080009999")
    rows = {"Hộ gia đình": [HOUSEHOLD, HOUSEHOLD | {"Mã hộ": "MOI-7"}],
            "Thành viên": [HEAD, HEAD | {"Mã hộ": "MOI-7", "Số CCCD": "075080009999",
                                         "Ngày sinh": "01/01/1980", "Giới tính": "Nam",
                                         "Họ và tên": "Chủ hộ TL-7"}]}
    plan = plan_import(write(tmp_path / "ds.xlsx", rows), officer, today=TODAY)
    assert plan.problems == []
    assert plan.counts == {"create": 0, "update": 2, "unchanged": 0, "members": 2}
    apply_import(plan, officer)
    by_code.refresh_from_db()
    by_id.refresh_from_db()
    assert by_code.income_monthly_per_capita == by_id.income_monthly_per_capita == 1_100_000
    assert by_code.version == 2 and by_code.members.get().full_name == "Điểu Thị Mai"
    assert Household.objects.count() == 2  # MOI-7 is TL-7, kept under its registry code


def test_every_problem_is_reported_and_nothing_is_written(tmp_path, place, officer):
    rows = {"Hộ gia đình": [
        HOUSEHOLD | {"Thu nhập bình quân người/tháng (đồng)": "nhiều",
                     "Nguồn nước sinh hoạt": "nước mưa trời"},
        HOUSEHOLD,  # the same code twice
        HOUSEHOLD | {"Mã hộ": "DL-1", "Mã xã": "26119"},  # another commune
        HOUSEHOLD | {"Mã hộ": "TL-101", "Ấp, khu phố": "Ấp 99"},
        HOUSEHOLD | {"Mã hộ": "TL-102", "Cột lạ": "x"},
    ], "Thành viên": [
        HEAD | {"Ngày sinh": "31/02/1990"},
        HEAD | {"Mã hộ": "TL-101", "Số CCCD": "075090004321"},  # 4th digit says male
        HEAD | {"Mã hộ": "TL-102", "Quan hệ với chủ hộ": "con"},  # no head
        HEAD | {"Mã hộ": "KHONG-CO"},
    ]}
    plan = plan_import(write(tmp_path / "loi.xlsx", rows), officer, today=TODAY)
    found = {(p.sheet, p.row, p.column) for p in plan.problems}
    assert ("Hộ gia đình", 1, "Cột lạ") in found
    assert ("Hộ gia đình", 2, "Thu nhập bình quân người/tháng (đồng)") in found
    assert ("Hộ gia đình", 2, "Nguồn nước sinh hoạt") in found
    assert ("Hộ gia đình", 3, "Mã hộ") in found
    assert ("Hộ gia đình", 4, "Mã xã") in found
    assert ("Hộ gia đình", 5, "Ấp, khu phố") in found
    assert ("Thành viên", 2, "Ngày sinh") in found
    assert ("Thành viên", 3, "Số CCCD") in found
    assert ("Thành viên", 5, "Mã hộ") in found
    assert any(p.row == 6 and p.sheet == "Hộ gia đình" and "đúng một chủ hộ" in p.message
               for p in plan.problems)
    messages = " ".join(p.message for p in plan.problems)
    assert '"nhiều" không phải là số nguyên' in messages
    with pytest.raises(ValueError):
        apply_import(plan, officer)
    assert not Household.objects.exists() and not ImportRecord.objects.exists()


def test_one_sheet_with_merged_household_cells(tmp_path, place, officer):
    path = tmp_path / "gop.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Danh sách")
    headers = ["Mã hộ", "Mã xã", "Thu nhập bình quân người/tháng (đồng)"] + [
        h for h in HEAD if h != "Mã hộ"]
    sheet.write_row(0, 0, headers)
    sheet.merge_range(1, 0, 2, 0, "TL-100")
    sheet.merge_range(1, 1, 2, 1, "26131")
    sheet.merge_range(1, 2, 2, 2, 1100000)
    for n, member in enumerate((HEAD, CHILD), start=1):
        sheet.write_row(n, 3, [member[h] for h in headers[3:]])
    sheet.write_row(4, 0, [""] * 3)  # an empty row in between is skipped
    book.close()
    plan = plan_import(path, officer, today=TODAY)
    assert plan.problems == []
    apply_import(plan, officer)
    assert Member.objects.filter(household__code="TL-100").count() == 2


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken zip"])
def test_a_file_that_is_not_a_workbook(tmp_path, officer, content):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookError, match="không phải là tệp Excel"):
        plan_import(path, officer)


def test_a_file_over_the_size_limit_is_refused(tmp_path, officer, settings):
    settings.GIAMNGHEO_MAX_UPLOAD = 1024
    path = write(tmp_path / "lon.xlsx", {"Hộ gia đình": [HOUSEHOLD] * 1, "Thành viên": [HEAD]})
    path.write_bytes(path.read_bytes() + b"\0" * 2048)
    with pytest.raises(WorkbookError, match="Tệp lớn hơn 0 MB"):
        plan_import(path, officer)


def test_the_import_command_checks_then_imports(tmp_path, place, officer):
    import io

    from django.core.management import CommandError, call_command

    good = write(tmp_path / "ds.xlsx", {"Hộ gia đình": [HOUSEHOLD],
                                        "Thành viên": [HEAD, CHILD]})
    out = io.StringIO()
    call_command("import_households", str(good), "--user", officer.username, stdout=out)
    assert "thêm mới 1 hộ" in out.getvalue() and not Household.objects.exists()
    call_command("import_households", str(good), "--user", officer.username, "--commit",
                 stdout=out)
    assert "Đã nhập" in out.getvalue() and Household.objects.count() == 1
    bad = write(tmp_path / "loi.xlsx", {"Hộ gia đình": [HOUSEHOLD | {"Mã xã": "99999"}],
                                        "Thành viên": [HEAD]})
    with pytest.raises(CommandError, match="Không nhập gì"):
        call_command("import_households", str(bad), "--user", officer.username, "--commit",
                     stdout=io.StringIO())
