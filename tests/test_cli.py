"""The `giamngheo` CLI contract: formats, exit codes, errors on stderr only."""

from __future__ import annotations

import copy
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import fastexcel
import pytest
import xlsxwriter

from giamngheo import cli

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "households.json"
CONTRACT_RESULT = {
    "id": "TP-26131-0001",
    "standard": "vn-2022-2025",
    "area": "rural",
    "income_per_capita_month": 1350000,
    "income_poor": True,
    "deprivations": {"employment": False, "dependants": False, "nutrition": False,
                     "health_insurance": False, "adult_education": False,
                     "child_school_attendance": False, "housing_quality": True,
                     "housing_area": False, "water": False, "latrine": False,
                     "telecom": False, "information_assets": False},
    "deprivation_count": 1,
    "classification": "near_poor",
    "labour_capacity": True,
    "poor_group": None,
    "reasons": ["housing_quality: 2 of the 3 main structures (frame, roof) are non-durable",
                "income: 1,350,000 VND/person/month is at or below the rural line of 1,500,000"],
    "other_standards": {"dong-nai-2022-2025": {"income_poor": True,
                                               "classification": "near_poor",
                                               "poor_group": None}},
}


def run(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "giamngheo.cli", *map(str, args)],
                          input=stdin, capture_output=True, cwd=ROOT)


def examples() -> list[dict]:
    return json.loads(EXAMPLES.read_text(encoding="utf-8"))


def test_the_contract_example_exactly(tmp_path):
    record = examples()[0]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    done = run("classify", path, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [CONTRACT_RESULT]
    assert done.stderr == b""


def test_jsonl_with_bad_records_keeps_order_and_exits_1(tmp_path):
    good = examples()
    bad = copy.deepcopy(good[1])
    bad["id"] = "BAD-1"
    bad["members"][0]["birth_date"] = "2030-01-01"
    lines = [json.dumps(good[0]), "{not json", json.dumps(bad), json.dumps(good[2])]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run("classify", path, "--lang", "en")
    assert done.returncode == 1
    results = json.loads(done.stdout)
    assert [r["id"] for r in results] == ["TP-26131-0001", None, "BAD-1", "TP-26119-0001"]
    assert results[1]["errors"][0].startswith("$: line 2 is not valid JSON")
    assert results[2] == {"id": "BAD-1",
                          "errors": ["members[0].birth_date: after reference_date"]}
    assert results[3]["classification"] == "poor"


def test_standard_input_json_and_jsonl():
    records = examples()[:2]
    as_json = run("classify", "-", stdin=json.dumps(records).encode())
    as_jsonl = run("classify", "-", "--format", "jsonl",
                   stdin="\n".join(json.dumps(r) for r in records).encode())
    assert as_json.returncode == as_jsonl.returncode == 0
    from_jsonl = [json.loads(line) for line in as_jsonl.stdout.splitlines()]
    assert json.loads(as_json.stdout) == from_jsonl
    assert from_jsonl[1]["reasons"][0].startswith("employment: Thành viên 1 (38 tuổi)")


@pytest.mark.parametrize("args", [
    ("classify", "missing.json"),
    ("classify", "README.md"),
    ("classify", "examples/households.json", "--standard", "vn-1999"),
    ("classify", "examples/households.json", "--lang", "fr"),
    ("classify",),
    ("classify", "examples/households.json", "--format", "xlsx"),
    ("classify", "examples/households.json", "-o", "no/such/folder/out.json"),
])
def test_usage_errors_exit_2_with_one_line_on_stderr(args):
    done = run(*args)
    assert done.returncode == 2
    assert done.stdout == b""
    assert len(done.stderr.decode().strip().splitlines()) == 1


def test_unparsable_json_file_exits_2(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"id": "x",', encoding="utf-8")
    done = run("classify", path)
    assert done.returncode == 2 and done.stdout == b""
    assert b"not valid JSON" in done.stderr


def test_csv_and_xlsx_output(tmp_path):
    done = run("classify", EXAMPLES, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode())))
    assert [r["classification"] for r in rows] == \
        ["near_poor", "poor", "poor", "average", "poor", "near_poor"]
    assert rows[2]["poor_group"] == "B"
    assert rows[5]["housing_area"] == "unknown"
    target = tmp_path / "out.xlsx"
    assert run("classify", EXAMPLES, "-o", target).returncode == 0
    sheet = fastexcel.read_excel(str(target)).load_sheet("results").to_polars()
    assert sheet.get_column("id").to_list() == [r["id"] for r in examples()]
    assert sheet.get_column("classification").to_list()[1] == "poor"


def _write_tables(records, tmp_path):
    """The examples as the CSV and XLSX import layout (households + members)."""
    household_rows, member_rows = [], []
    for r in records:
        row = {k: r[k] for k in ("id", "reference_date", "area", "province_code", "commune_code")}
        row.update({f"income_{k}": v for k, v in r["income"].items()})
        row.update({f"dwelling_{k}": v for k, v in (r.get("dwelling") or {}).items()})
        info = r.get("information", {})
        if "uses_internet" in info:
            row["information_uses_internet"] = str(info["uses_internet"]).lower()
        if "devices" in info:
            row["information_devices"] = ";".join(info["devices"]) or "-"
        household_rows.append(row)
        for m in r["members"]:
            member_rows.append({"household_id": r["id"], **{
                k: str(v).lower() if isinstance(v, bool) else v for k, v in m.items()}})
    workbook_path = tmp_path / "households.xlsx"
    workbook = xlsxwriter.Workbook(workbook_path)
    for name, rows in (("households", household_rows), ("members", member_rows)):
        sheet = workbook.add_worksheet(name)
        header = sorted({k for row in rows for k in row})
        sheet.write_row(0, 0, header)
        for i, row in enumerate(rows, start=1):
            sheet.write_row(i, 0, [row.get(k, "") for k in header])
    workbook.close()
    flat = tmp_path / "households.csv"
    header = sorted({k for row in household_rows for k in row}) + \
        sorted({f"member_{k}" for row in member_rows for k in row if k != "household_id"})
    with flat.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        for r, row in zip(records, household_rows, strict=True):
            for m in (x for x in member_rows if x["household_id"] == r["id"]):
                writer.writerow({**row, **{f"member_{k}": v for k, v in m.items()
                                           if k != "household_id"}})
    return workbook_path, flat


def test_xlsx_and_csv_input_give_the_json_results(tmp_path):
    records = examples()
    expected = json.loads(run("classify", EXAMPLES).stdout)
    workbook, flat = _write_tables(records, tmp_path)
    for path in (workbook, flat):
        done = run("classify", path)
        assert done.returncode == 0, done.stdout[:500]
        assert json.loads(done.stdout) == expected


def test_spreadsheet_cells_are_converted_strictly(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,reference_date,area,income_monthly_per_capita,member_id,"
                    "member_relation,member_birth_date,member_sex\n"
                    "H1,15/10/2024,rural,1.500.000,1,head,1980-01-01,male\n", encoding="utf-8")
    done = run("classify", path, "--lang", "en")
    assert done.returncode == 1
    errors = json.loads(done.stdout)[0]["errors"]
    assert "reference_date: must be a valid date YYYY-MM-DD" in errors
    assert "income.monthly_per_capita: must be an integer" in errors


def test_forced_standard(tmp_path):
    done = run("classify", EXAMPLES, "--standard", "vn-2027-2030")
    results = json.loads(done.stdout)
    assert {r["standard"] for r in results} == {"vn-2027-2030"}
    assert results[3]["classification"] == "near_poor"  # 2,400,000 <= the urban line 2,800,000


def test_standards_list_and_show():
    listing = run("standards").stdout.decode()
    for sid in ("vn-2022-2025", "vn-2027-2030", "dong-nai-2022-2025"):
        assert sid in listing
    shown = run("standards", "show", "vn-2027-2030", "--lang", "en").stdout.decode()
    assert "income_line = {\"rural\":2200000,\"urban\":2800000}" in shown
    assert "employment — Employment (Employment) [UNVERIFIED]" in shown
    assert "average_upper = —" in shown
    assert "Chuẩn nghèo đa chiều 2027-2030 (NĐ 351/2025/NĐ-CP)" in run("standards").stdout.decode()
    assert "legal basis: Điểm a khoản 1 Điều 3 Nghị định số 07/2021/NĐ-CP" in \
        run("standards", "show", "vn-2022-2025", "--lang", "en").stdout.decode()
    assert run("standards", "show", "nope").returncode == 2


def test_measures_json_and_table(tmp_path):
    done = run("measures", EXAMPLES, "--by", "commune_code")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["population"] == 5 and result["excluded"] == 1
    assert result["poor"] == 3 and result["H"] == pytest.approx(0.6)
    assert result["by"]["M0_from_groups"] == pytest.approx(result["M0"])
    persons = json.loads(run("measures", EXAMPLES, "--unit", "person").stdout)
    assert persons["population"] == 13
    table = run("measures", EXAMPLES, "--format", "table", "--no-income-gate").stdout.decode()
    assert "M0 =" in table and "health_insurance" in table
    assert run("measures", EXAMPLES, "--by", "hamlet").returncode == 2


def test_scorecard_check():
    done = run("scorecard", "example")
    assert done.returncode == 0
    assert "MINH HỌA" in done.stdout.decode()


def test_progress_bar_only_on_a_terminal_for_large_inputs(monkeypatch, capsys):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli.progress_bar(cli.PROGRESS_FROM, "Phân loại") as update:
        assert update is not None
        update(cli.PROGRESS_FROM)
    assert "Phân loại" in terminal.getvalue() and "100%" in terminal.getvalue()
    with cli.progress_bar(cli.PROGRESS_FROM - 1, "x") as update:
        assert update is None
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with cli.progress_bar(cli.PROGRESS_FROM * 10, "x") as update:
        assert update is None


def test_batch_command_on_tables(tmp_path):
    from giamngheo.synthetic import synthetic_tables

    households, members = synthetic_tables(300, seed=5)
    households = households.with_columns(
        area=households.get_column("area").scatter(7, "city"))
    households.write_parquet(tmp_path / "h.parquet")
    members.write_parquet(tmp_path / "m.parquet")
    done = run("batch", tmp_path / "h.parquet", tmp_path / "m.parquet", "-o",
               tmp_path / "r.jsonl", "--reasons")
    assert done.returncode == 1
    rows = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert len(rows) == 300
    assert rows[7]["errors"] == ["area: giá trị 'city' không hợp lệ; chấp nhận: rural, urban"]
    assert all(r["classification"] for i, r in enumerate(rows) if i != 7)
    assert rows[0]["reasons"][-1].startswith("income: ")


def test_the_waste_field_through_every_format_and_columns_from_the_standard(tmp_path):
    """A 2026 household (vn-2022-2025) and a 2027 one (vn-2027-2030, with waste): JSON, CSV
    and XLSX input agree; the CSV and XLSX results have one column per indicator of the
    standards used, so waste beside information_assets, each empty where it does not apply."""
    records = copy.deepcopy(examples()[:2])
    records[1]["reference_date"] = "2027-03-01"
    records[1]["dwelling"]["waste_disposal"] = "burned_open"
    records[0]["dwelling"]["waste_disposal"] = "collected"  # accepted, not used in 2026
    source = tmp_path / "two.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    expected = json.loads(run("classify", source).stdout)
    assert "waste" not in expected[0]["deprivations"]
    assert expected[1]["deprivations"]["waste"] is True
    assert "information_assets" not in expected[1]["deprivations"]
    workbook, flat = _write_tables(records, tmp_path)
    for path in (workbook, flat):
        assert json.loads(run("classify", path).stdout) == expected
    rows = list(csv.DictReader(io.StringIO(run("classify", source, "--format",
                                               "csv").stdout.decode())))
    assert rows[0]["information_assets"] == "false" and rows[0]["waste"] == ""
    assert rows[1]["waste"] == "true" and rows[1]["information_assets"] == ""
    target = tmp_path / "out.xlsx"
    assert run("classify", source, "-o", target).returncode == 0
    sheet = fastexcel.read_excel(str(target)).load_sheet("results").to_polars()
    assert {"waste", "information_assets", "telecom"} <= set(sheet.columns)


def test_batch_refuses_a_parquet_file_that_is_not_one(tmp_path):
    from giamngheo.synthetic import synthetic_tables

    households, members = synthetic_tables(20, seed=5)
    households.write_parquet(tmp_path / "h.parquet")
    (tmp_path / "m.parquet").write_bytes(b"not a table")
    done = run("batch", tmp_path / "h.parquet", tmp_path / "m.parquet", "-o",
               tmp_path / "r.parquet")
    assert done.returncode == 2
    assert done.stdout == b""
    assert len(done.stderr.strip().splitlines()) == 1 and b"m.parquet" in done.stderr
    assert not (tmp_path / "r.parquet").exists()
