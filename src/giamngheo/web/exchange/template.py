"""The household workbook template: Vietnamese headers, drop-down lists for every enumeration,
yes/no and dates explained, and an instructions sheet."""

from __future__ import annotations

import io

from xlsxwriter.utility import xl_col_to_name

from ...xlsx import new_workbook
from .columns import Column, household_columns, member_columns

ROWS = 5000  # rows prepared with drop-down lists
INSTRUCTIONS = [
    "BIỂU MẪU NHẬP DANH SÁCH HỘ GIA ĐÌNH VÀ THÀNH VIÊN — GiảmNghèo",
    "",
    "1. Sheet \"Hộ gia đình\": mỗi hộ một dòng; \"Mã hộ\" không trùng nhau.",
    "2. Sheet \"Thành viên\": mỗi người một dòng, ghi \"Mã hộ\" của hộ; mỗi hộ có đúng một "
    "chủ hộ.",
    "3. Cột có dấu * là bắt buộc. Các cột có danh sách: chọn trong danh sách thả xuống.",
    "4. Ngày ghi dd/mm/yyyy (ví dụ 05/03/1990); số tiền ghi số nguyên (ví dụ 1.500.000).",
    "5. Có / Không: để trống nếu chưa thu thập (chỉ số sẽ là \"chưa xác định\", không phải "
    "\"không\").",
    "6. Thu nhập: chỉ ghi MỘT trong ba cột (bình quân người/tháng, tổng 12 tháng, điểm B1).",
    "7. Hộ đã có trong hệ thống (cùng mã hộ, hoặc cùng số CCCD của chủ hộ) sẽ được cập "
    "nhật; hộ chưa có sẽ được thêm mới.",
    "8. Trước khi nhập, hệ thống kiểm tra thử và báo mọi lỗi theo sheet/dòng/cột; "
    "không có gì được ghi khi còn lỗi.",
    "",
    "Có thể dùng một sheet duy nhất: mỗi dòng một thành viên, các cột của hộ ghi ở dòng "
    "đầu tiên của hộ (ô gộp hoặc để trống ở các dòng sau).",
]


def build_template() -> bytes:
    out = io.BytesIO()
    book = new_workbook(out, in_memory=True)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                            "bg_color": "#F2E6D9", "border": 1})
    text = book.add_format({"num_format": "@"})
    guide = book.add_worksheet("Hướng dẫn")
    guide.set_column(0, 0, 110)
    for n, line in enumerate(INSTRUCTIONS):
        guide.write(n, 0, line, bold if n == 0 else None)
    lists = book.add_worksheet("Danh mục")
    sources: dict[str, str] = {}
    column = 0
    for spec in household_columns() + member_columns():
        if spec.kind == "choice" and spec.key not in sources:
            lists.write(0, column, spec.header, bold)
            lists.write_column(1, column, list(spec.choices.values()))
            letter = xl_col_to_name(column)
            sources[spec.key] = f"='Danh mục'!${letter}$2:${letter}${len(spec.choices) + 1}"
            column += 1
    for name, columns in (("Hộ gia đình", household_columns()),
                          ("Thành viên", member_columns())):
        sheet = book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for index, spec in enumerate(columns):
            sheet.write(0, index, spec.header + (" *" if spec.required else ""), bold)
            sheet.set_column(index, index, 18 if spec.kind != "text" else 22,
                             text if spec.key in ("code", "household", "id_number", "phone",
                                                  "commune") else None)
            _validation(sheet, index, spec, sources)
            if spec.note:
                sheet.write_comment(0, index, spec.note)
        sheet.set_row(0, 45)
    guide.activate()
    lists.hide()
    book.close()
    return out.getvalue()


def _validation(sheet, index: int, spec: Column, sources: dict[str, str]) -> None:
    if spec.kind == "choice":
        sheet.data_validation(1, index, ROWS, index, {
            "validate": "list", "source": sources[spec.key],
            "error_title": spec.header, "error_message": "Chọn trong danh sách."})
    elif spec.kind == "bool":
        sheet.data_validation(1, index, ROWS, index, {
            "validate": "list", "source": ["Có", "Không"]})
    elif spec.kind == "date":
        sheet.data_validation(1, index, ROWS, index, {
            "validate": "any", "input_title": spec.header, "input_message": "dd/mm/yyyy"})
