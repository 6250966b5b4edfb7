"""Excel forms: written for agencies, read back with openpyxl, filled, ingested."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from test_cli import rows_in_db

from plancheck.cli import cli


@pytest.fixture
def kim_dong_form(runner, tmp_path):
    path = tmp_path / "kim_dong.xlsx"
    res = runner.invoke(cli, ["template", "--province", "hung_yen", "--format", "xlsx",
                              "--agency", "ubnd_kim_dong", "-o", str(path)])
    assert res.exit_code == 0, res.output
    return path


def test_xlsx_form_layout(kim_dong_form):
    wb = openpyxl.load_workbook(kim_dong_form)
    assert wb.sheetnames == ["huong_dan", "form"]
    assert wb["huong_dan"]["A1"].value == "HƯỚNG DẪN ĐIỀN BIỂU MẪU"
    ws = wb["form"]
    assert [c.value for c in ws[1]] == ["Tỉnh", "Kế hoạch", "Mục", "Loại", "Cơ quan", "Đơn vị hành chính",
                                        "Kỳ", "Hạn", "Nội dung", "Căn cứ (điều khoản)", "Giá trị",
                                        "Ngày thực hiện/gửi"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert {r[4] for r in rows} == {"ubnd_kim_dong"}  # only the rows that agency must fill
    # III.1.3: "ban hành văn bản chỉ đạo trong tháng 2/2024" → due 29/02/2024, clause on the row
    directive = next(r for r in rows if r[2] == "kim_dong_directive")
    assert (directive[7], directive[9]) == (datetime(2024, 2, 29), "III.1.3")
    # ids locked, value/date open; sheet protected
    assert ws.protection.sheet is True
    assert ws["C2"].protection.locked is True
    assert ws["K2"].protection.locked is False and ws["L2"].protection.locked is False
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"whole", "date"} <= kinds
    # what ingest accepts for each kind of quantity: counts are whole numbers from 0, shares 0 to 100
    counts = next(dv for dv in ws.data_validations.dataValidation if dv.type == "whole")
    assert (counts.operator, counts.formula1) == ("between", "0")
    total = next(r for r in ws.iter_rows(min_row=2) if r[2].value == "district_bodies_total")
    assert total[10].coordinate in str(counts.sqref)


def test_english_headings(runner, tmp_path):
    path = tmp_path / "en.xlsx"
    runner.invoke(cli, ["template", "--province", "hung_yen", "--format", "xlsx", "--lang", "en",
                        "-o", str(path)])
    ws = openpyxl.load_workbook(path)["form"]
    assert ws["A1"].value == "Province" and ws["K1"].value == "Value"


def fill(path, values: dict[tuple[str, str], object]):
    wb = openpyxl.load_workbook(path)
    ws = wb["form"]
    for row in ws.iter_rows(min_row=2):
        key = (row[2].value, row[5].value or row[6].value)
        if key in values:
            v = values[key]
            (row[11] if isinstance(v, date) else row[10]).value = v
    wb.save(path)


def test_filled_xlsx_is_ingested_and_judged(runner, kim_dong_form):
    fill(kim_dong_form, {("kim_dong_directive", "2024"): date(2024, 3, 5),
                         ("district_bodies_total", "kim_dong"): 131,
                         ("district_bodies_drug_free", "kim_dong"): 131})
    res = runner.invoke(cli, ["ingest", str(kim_dong_form), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["new"] == 3
    out = json.loads(runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "2025-01-10",
                                         "--format", "json"]).stdout)
    d = next(f for f in out["findings"] if f["item"] == "kim_dong_directive")
    assert (d["status"], d["reason"], d["days_late"]) == ("not_met", "late", 5)
    b = next(f for f in out["findings"] if f["item"] == "kim_dong_bodies_drug_free_100")
    assert (b["status"], b["actual"]) == ("met", 100.0)


def test_xlsx_errors_name_sheet_row_and_column(runner, kim_dong_form, isolated_db):
    fill(kim_dong_form, {("kim_dong_directive", "2024"): 7, ("district_bodies_total", "kim_dong"): -3})
    res = runner.invoke(cli, ["ingest", str(kim_dong_form)])
    assert res.exit_code == 2
    lines = res.stderr.splitlines()
    bodies = next(r for r in openpyxl.load_workbook(kim_dong_form)["form"].iter_rows(min_row=2)
                  if r[2].value == "district_bodies_total")[10].coordinate
    assert f"{kim_dong_form}, sheet “form”, cell {bodies} (column “Giá trị”): '-3': a count cannot be negative; " \
        "give the figure, 0 or more" in lines
    assert any(line.endswith("(column “Giá trị”): '7': task rows take a date (when it was done), not a value; "
                             "move it to the date column") for line in lines)
    assert rows_in_db(isolated_db) == 0


def test_formulas_are_not_evaluated(runner, kim_dong_form, isolated_db):
    """A formula is never computed; one with no saved value (issue 16 section 4: its value was
    silently lost) refuses the file, naming the cell."""
    wb = openpyxl.load_workbook(kim_dong_form)
    ws = wb["form"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[2].value == "district_bodies_total")
    row[10].value = "=100+31"  # saved by openpyxl without a cached value
    wb.save(kim_dong_form)
    res = runner.invoke(cli, ["ingest", str(kim_dong_form), "--format", "json"])
    assert res.exit_code == 2
    assert f"{kim_dong_form}, sheet “form”, cell {row[10].coordinate}: holds the formula '=100+31' with no " \
        "saved value" in res.stderr
    problem = next(p for p in json.loads(res.stdout) if p["cell"] == row[10].coordinate)
    assert (problem["file"], problem["sheet"], problem["problem"][:32]) == (str(kim_dong_form), "form",
                                                                             "holds the formula '=100+31' with")
    assert problem["fix"] == "open it in Excel, let it calculate and save it, or type the value"
    assert rows_in_db(isolated_db) == 0


def test_zip_bomb_is_refused_before_parsing(runner, tmp_path, isolated_db):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    assert bomb.stat().st_size < 2 * 1024 * 1024
    res = runner.invoke(cli, ["ingest", str(bomb)])
    assert res.exit_code == 2
    assert "refused: the workbook unpacks to 210 MiB" in res.stderr
    assert rows_in_db(isolated_db) == 0


def test_huge_sheet_dimensions_are_refused(runner, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "form"
    ws.cell(row=1, column=16000, value="x")
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 2 and "16000 columns" in res.stderr


def test_not_a_workbook(runner, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"province,plan\n")
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 2 and "not an .xlsx workbook" in res.stderr
