"""Excel forms: written for agencies (a header block, names and words beside the ids, instructions a clerk
reads), read back with openpyxl, filled, ingested."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from test_cli import rows_in_db

from conftest import ROOT
from plancheck.cli import cli
from plancheck.data.excel_form import locate


@pytest.fixture
def kim_dong_form(runner, tmp_path):
    path = tmp_path / "kim_dong.xlsx"
    res = runner.invoke(cli, ["template", "--province", "hung_yen", "--format", "xlsx", "--lang", "vi",
                              "--agency", "ubnd_kim_dong", "-o", str(path)])
    assert res.exit_code == 0, res.output
    return path


def form_rows(ws) -> list[dict[str, object]]:
    """The form's rows below its heading row, as dicts by column key."""
    heading, col = locate(ws)
    return [{k: r[i].value for k, i in col.items()} for r in ws.iter_rows(min_row=heading + 1)]


def cell_of(ws, item: str, key: str):
    heading, col = locate(ws)
    return next(r for r in ws.iter_rows(min_row=heading + 1) if r[col["item"]].value == item)[col[key]]


def test_xlsx_form_layout(kim_dong_form):
    wb = openpyxl.load_workbook(kim_dong_form)
    assert wb.sheetnames == ["huong_dan", "form"]
    assert wb["huong_dan"]["A1"].value == "HƯỚNG DẪN ĐIỀN BIỂU MẪU"
    ws = wb["form"]
    heading, col = locate(ws)
    assert heading > 5  # a header block above the heading row
    assert [c.value for c in ws[heading]] == [
        "Tỉnh", "Kế hoạch", "Mục", "Loại", "Cơ quan", "Đơn vị hành chính", "Kỳ",  # the ids, hidden
        "STT", "Nội dung", "Tên đơn vị hành chính", "Đơn vị hiện nay (sau sắp xếp)", "Cơ quan báo cáo",
        "Phân loại", "Đơn vị tính", "Kỳ báo cáo", "Hạn", "Căn cứ (điều khoản)", "Giá trị", "Ngày thực hiện/gửi"]
    for letter in "ABCDEFG":
        assert ws.column_dimensions[letter].hidden, letter
    rows = form_rows(ws)
    assert {r["agency"] for r in rows} == {"ubnd_kim_dong"}  # only the rows that agency must fill
    assert [r["no"] for r in rows] == list(range(1, len(rows) + 1))
    # III.1.3: "ban hành văn bản chỉ đạo trong tháng 2/2024" → due 29/02/2024, clause on the row, in words
    directive = next(r for r in rows if r["item"] == "kim_dong_directive")
    assert (directive["due"], directive["clause"]) == (datetime(2024, 2, 29), "III.1.3")
    assert (directive["kind_name"], directive["measure_unit"], directive["period_name"],
            directive["agency_name"]) == ("Nhiệm vụ", "ngày/tháng/năm", "Năm 2024", "Ủy ban nhân dân huyện Kim Động")
    total = next(r for r in rows if r["item"] == "district_bodies_total")
    assert (total["description"], total["unit_name"], total["kind_name"], total["measure_unit"]) == (
        "Số cơ quan, đơn vị, trường học trên địa bàn huyện", "Huyện Kim Động", "Số liệu", "đơn vị")
    # issue 19: the district level ended on 1 July 2025; the form says so beside the plan's district
    assert total["unit_now"] == "không còn (từ 01/07/2025)"
    # ids locked, value/date open; sheet protected
    assert ws.protection.sheet is True
    value, day = cell_of(ws, "district_bodies_total", "value"), cell_of(ws, "district_bodies_total", "date")
    assert cell_of(ws, "district_bodies_total", "item").protection.locked is True
    assert value.protection.locked is False and day.protection.locked is False
    assert value.fill.fgColor.rgb.endswith("FFF2CC") and day.fill.fgColor.rgb.endswith("E7E6E6")  # fill / n.a.
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"whole", "date"} <= kinds
    # what ingest accepts for each kind of quantity: counts are whole numbers from 0, shares 0 to 100
    counts = next(dv for dv in ws.data_validations.dataValidation if dv.type == "whole")
    assert (counts.operator, counts.formula1) == ("between", "0")
    assert value.coordinate in str(counts.sqref)
    assert counts.error == "Ghi số nguyên từ 0 trở lên, không dùng dấu chấm, dấu phẩy."


def test_header_block_for_the_body_the_preparer_and_the_signature(kim_dong_form):
    ws = openpyxl.load_workbook(kim_dong_form)["form"]
    heading, _ = locate(ws)
    block = {c.value: c for row in ws.iter_rows(max_row=heading - 1) for c in row if isinstance(c.value, str)}
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH" in block
    labels = ["Cơ quan báo cáo:", "Kỳ báo cáo:", "Người lập biểu (họ và tên):", "Số điện thoại:",
              "Ngày lập báo cáo:", "Thủ trưởng cơ quan (ký, ghi rõ họ tên, đóng dấu):"]
    for label in labels:
        cell = block[label]
        answer = ws.cell(row=cell.row, column=cell.column + (1 if cell.column == 9 else 2))
        assert answer.protection.locked is False, label  # the clerk writes here
        assert answer.fill.fgColor.rgb.endswith("FFF2CC"), label
    # one agency's form names it as the reporting body, and its period
    assert ws.cell(row=block["Cơ quan báo cáo:"].row, column=10).value == "Ủy ban nhân dân huyện Kim Động"
    assert ws.cell(row=block["Kỳ báo cáo:"].row, column=10).value == "Năm 2024"


def test_instructions_in_plain_words(kim_dong_form):
    wb = openpyxl.load_workbook(kim_dong_form)
    lines = [c.value for c in wb["huong_dan"]["A"] if c.value]
    text = "\n".join(lines)
    assert len(lines) >= 7
    assert "plancheck" not in text and "<" not in text and "ingest" not in text  # no command line
    assert "Giá trị" in text and "Ngày thực hiện/gửi" in text and "05/03/2024" in text
    assert "Kế hoạch triển khai thực hiện Đề án" in text  # the plan it is for, by its title


def test_a_filled_header_block_is_skipped_when_read(runner, kim_dong_form, isolated_db):
    """What the clerk writes above the heading row (who, when, the signature) is theirs: the rows are read."""
    wb = openpyxl.load_workbook(kim_dong_form)
    ws = wb["form"]
    heading, _ = locate(ws)
    for row in ws.iter_rows(max_row=heading - 1):
        for c in row:
            if isinstance(c.value, str) and c.value.endswith(":"):
                target = ws.cell(row=c.row, column=c.column + (1 if c.column == 9 else 2))
                target.value = datetime(2025, 1, 5) if c.value == "Ngày lập báo cáo:" else "Nguyễn Văn A, 0912345678"
    cell_of(ws, "district_bodies_total", "value").value = 131
    wb.save(kim_dong_form)
    res = runner.invoke(cli, ["ingest", str(kim_dong_form), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["new"] == 1
    assert rows_in_db(isolated_db) == 1


def test_reorganised_units_and_routed_agencies_are_explained(runner, tmp_path):
    """Tiền Giang is part of Đồng Tháp since 1 July 2025 (issue 19); its province-wide figures no target charges
    a body with are the police's, who report the plan's results (the row says which clause)."""
    path = tmp_path / "tg.xlsx"
    res = runner.invoke(cli, ["template", "--province", "tien_giang", "--format", "xlsx", "--lang", "vi",
                              "-o", str(path)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(path)
    ws = wb["form"]
    heading, col = locate(ws)
    rows = form_rows(ws)
    assert rows and all(r["agency_name"] for r in rows)  # every row names who fills it
    province = [r for r in rows if r["unit"] == "tien_giang"]
    assert province and {r["unit_now"] for r in province} == {"Tỉnh Đồng Tháp (từ 01/07/2025)"}
    media = next(r for r in ws.iter_rows(min_row=heading + 1) if r[col["item"]].value == "media_items")
    assert media[col["agency"]].value == "cong_an_tinh"
    comment = media[col["agency_name"]].comment
    assert comment is not None and "Kế hoạch không giao cơ quan báo cáo số liệu này" in comment.text
    assert "7. Đơn vị hành chính đã sắp xếp lại" in "\n".join(c.value for c in wb["huong_dan"]["A"] if c.value)


def test_english_headings(runner, tmp_path):
    path = tmp_path / "en.xlsx"
    runner.invoke(cli, ["template", "--province", "hung_yen", "--format", "xlsx", "--lang", "en",
                        "-o", str(path)])
    wb = openpyxl.load_workbook(path)
    ws = wb["form"]
    heading, col = locate(ws)
    assert ws.cell(row=heading, column=1).value == "Province"
    assert ws.cell(row=heading, column=col["value"] + 1).value == "Value"
    assert ws.cell(row=heading, column=col["unit_name"] + 1).value == "Administrative unit (name)"
    assert wb.sheetnames == ["instructions", "form"] and wb["instructions"]["A1"].value == "HOW TO FILL IN THIS FORM"
    row = next(r for r in form_rows(ws) if r["unit"] == "kim_dong.nhan_la")
    assert row["unit_name"] == "Nhan La commune (Kim Dong district)"


def fill(path, values: dict[tuple[str, str], object]):
    wb = openpyxl.load_workbook(path)
    ws = wb["form"]
    heading, col = locate(ws)
    for row in ws.iter_rows(min_row=heading + 1):
        key = (row[col["item"]].value, row[col["unit"]].value or row[col["period"]].value)
        if key in values:
            v = values[key]
            row[col["date"] if isinstance(v, date) else col["value"]].value = v
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
    bodies = cell_of(openpyxl.load_workbook(kim_dong_form)["form"], "district_bodies_total", "value").coordinate
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
    value = cell_of(ws, "district_bodies_total", "value")
    value.value = "=100+31"  # saved by openpyxl without a cached value
    wb.save(kim_dong_form)
    res = runner.invoke(cli, ["ingest", str(kim_dong_form), "--format", "json"])
    assert res.exit_code == 2
    assert f"{kim_dong_form}, sheet “form”, cell {value.coordinate}: holds the formula '=100+31' with no " \
        "saved value" in res.stderr
    problem = next(p for p in json.loads(res.stdout) if p["cell"] == value.coordinate)
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


def test_control_characters_never_reach_the_form_writer():
    """A plan title, unit or agency name with a control character (found by the fuzzer) is written without it."""
    import io

    import attrs
    import openpyxl

    from plancheck import load_plan
    from plancheck.data.excel_form import write_xlsx
    from plancheck.data.forms import form_rows

    plan = load_plan(ROOT / "plugins" / "hung_yen" / "plan.toml")
    bell = attrs.evolve(plan, title=plan.title + "\x07\x00", agencies=tuple(
        attrs.evolve(a, name=a.name + "\x1b") for a in plan.agencies))
    rows = form_rows(bell)[:20]
    wb = openpyxl.load_workbook(io.BytesIO(write_xlsx(rows, "vi", [bell])))
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(plan.title in t for t in texts)
    assert not any(ch in t for t in texts for ch in ("\x07", "\x00", "\x1b"))
