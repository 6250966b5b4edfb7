"""A clerk's form, read as a clerk fills it and refused in the clerk's words (issue 17, items 3 and 4).

Every problem names the file, the sheet, the cell (``K12``) and the column's heading as the
form prints it, says what is wrong and how to fix it, in the chosen language; ``ingest
--format json`` gives the same as data. Excel's CSV under Vietnamese regional settings
(';'), tab-separated text, a header block above the heading row, and the day-first dates
Vietnam writes (12/03/2024, 12.03.2024, 12-03-2024) are read; what could be read two ways
(5/3/24, 1.000) is refused with the fix. Forms come from ``plancheck template`` for the
plans' own rows.
"""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from test_cli import rows_in_db

from plancheck.cli import cli

PROVINCE, AGENCY = "hung_yen", "ubnd_kim_dong"


def template(runner, *extra: str) -> list[dict[str, str]]:
    res = runner.invoke(cli, ["template", "--province", PROVINCE, *extra])
    assert res.exit_code == 0, res.output
    return list(csv.DictReader(io.StringIO(res.stdout)))


def kim_dong(runner) -> tuple[dict[str, str], dict[str, str]]:
    """The Kim Động district's count of its bodies (a measure) and its directive (a task), as the plan writes them."""
    rows = template(runner, "--agency", AGENCY)
    measure = next(r for r in rows if r["item"] == "district_bodies_total")
    task = next(r for r in rows if r["item"] == "kim_dong_directive")
    return measure, task


def write(path, rows: list[dict[str, str]], sep: str = ",", above: list[list[str]] = ()) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    for line in above:
        w.writerow(line)
    w.writerow(list(rows[0]))
    for r in rows:
        w.writerow(list(r.values()))
    path.write_text(buf.getvalue(), encoding="utf-8-sig")


@pytest.mark.parametrize("sep", [";", "\t"])
def test_excel_csv_with_semicolons_or_tabs_is_read(runner, tmp_path, isolated_db, sep):
    """Excel saves 'CSV' with ';' under Vietnamese regional settings (decimal comma): it was refused as
    missing columns."""
    measure, task = kim_dong(runner)
    path = tmp_path / "kim_dong.csv"
    write(path, [measure | {"value": "131"}, task | {"date": "12.03.2024"}], sep)
    res = runner.invoke(cli, ["ingest", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["new"] == 2
    history = json.loads(runner.invoke(cli, ["history", "--province", PROVINCE, "--item", "kim_dong_directive",
                                             "--format", "json"]).stdout)
    assert [h["date"] for h in history] == ["2024-03-12"]


@pytest.mark.parametrize(("written", "day"), [("12/03/2024", "2024-03-12"), ("12.03.2024", "2024-03-12"),
                                              ("12-03-2024", "2024-03-12"), ("2024-03-12", "2024-03-12"),
                                              ("1/3/2024", "2024-03-01")])
def test_dates_as_vietnam_writes_them(runner, tmp_path, isolated_db, written, day):
    _, task = kim_dong(runner)
    path = tmp_path / "task.csv"
    write(path, [task | {"date": written}])
    assert runner.invoke(cli, ["ingest", str(path)]).exit_code == 0
    history = json.loads(runner.invoke(cli, ["history", "--province", PROVINCE, "--item", "kim_dong_directive",
                                             "--format", "json"]).stdout)
    assert [h["date"] for h in history] == [day]


def test_a_header_block_above_the_heading_row_is_skipped(runner, tmp_path, isolated_db):
    """A reporting body, period and preparer above the headings (as the Excel form has them) are not rows."""
    measure, _ = kim_dong(runner)
    path = tmp_path / "with-block.csv"
    write(path, [measure | {"value": "131"}], ";",
          above=[["Cơ quan báo cáo:", "UBND huyện Kim Động"], ["Người lập:", "Nguyễn Văn A"], []])
    res = runner.invoke(cli, ["ingest", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["new"] == 1
    # and a problem below it names the sheet's own row: the heading is row 4, the datum row 5
    write(path, [measure | {"value": "131,5"}], ";", above=[["Cơ quan báo cáo:", "UBND huyện Kim Động"], [], []])
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 2
    assert f"{path}, cell J5 (column “value”): '131,5': a count is a whole number" in res.stderr


@pytest.mark.parametrize(("value", "vi_fix"), [
    ("131%", "bỏ dấu %: ghi 131"),
    ("130,5", "ghi số nguyên"),
    ("1 310", "bỏ dấu cách: ghi 1310"),
    ("1.310", "ghi không dùng dấu phân cách hàng nghìn"),
    ("-3", "ghi số từ 0 trở lên"),
])
def test_a_bad_value_is_refused_in_vietnamese_naming_the_cell_and_its_heading(runner, tmp_path, isolated_db,
                                                                               value, vi_fix):
    """An xlsx form as `template --format xlsx` makes it, filled wrongly: the message is the clerk's."""
    path = tmp_path / "kim_dong.xlsx"
    assert runner.invoke(cli, ["template", "--province", PROVINCE, "--agency", AGENCY, "--format", "xlsx",
                               "--lang", "vi", "-o", str(path)]).exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["form"]
    heads = {c.value: c.column_letter for row in ws.iter_rows(max_row=40) for c in row
             if c.value == "Giá trị"}
    [letter] = heads.values()
    row = next(r for r in ws.iter_rows() if any(c.value == "district_bodies_total" for c in r))
    cell = ws[f"{letter}{row[0].row}"]
    cell.value = value
    wb.save(path)
    res = runner.invoke(cli, ["ingest", str(path)], env={"PLANCHECK_LANG": "vi"})
    assert res.exit_code == 2
    line = next(x for x in res.stderr.splitlines() if f"ô {cell.coordinate}" in x)
    assert line.startswith(f"{path}, trang tính “form”, ô {cell.coordinate} (cột “Giá trị”): {value!r}: ")
    assert f"Cách sửa: {vi_fix}" in line
    assert res.stderr.rstrip().endswith("chưa lưu gì")
    assert "Traceback" not in res.output and "invalid" not in res.stderr
    assert rows_in_db(isolated_db) == 0


def test_ingest_json_gives_every_problem_as_data(runner, tmp_path, isolated_db):
    measure, task = kim_dong(runner)
    path = tmp_path / "bad.csv"
    write(path, [measure | {"value": "12,5%"}, task | {"date": "31/02/2024"}, task | {"date": "5/3/24"}])
    res = runner.invoke(cli, ["ingest", str(path), "--format", "json"])
    assert res.exit_code == 2
    problems = json.loads(res.stdout)
    assert problems == [
        {"file": str(path), "sheet": None, "cell": "J2", "row": 2, "column": "value", "heading": "value",
         "value": "12,5%", "problem": "a number with a % sign", "fix": "remove the % sign: write 12,5"},
        {"file": str(path), "sheet": None, "cell": "K3", "row": 3, "column": "date", "heading": "date",
         "value": "31/02/2024", "problem": "month 2 of 2024 has 29 days", "fix": "check the day (day/month/year)"},
        {"file": str(path), "sheet": None, "cell": "K4", "row": 4, "column": "date", "heading": "date",
         "value": "5/3/24", "problem": "the year has two digits, which can be read several ways",
         "fix": "write the year in full, e.g. 05/03/2024"},
    ]
    assert "nothing was written" in res.stderr and rows_in_db(isolated_db) == 0
    # the same in Vietnamese, and never Python's own words
    vi = json.loads(runner.invoke(cli, ["ingest", str(path), "--format", "json"],
                                  env={"PLANCHECK_LANG": "vi"}).stdout)
    assert [p["problem"] for p in vi] == ["số có dấu %", "tháng 2 năm 2024 chỉ có 29 ngày",
                                          "năm chỉ có hai chữ số, có thể hiểu theo nhiều cách"]
    assert "out of range" not in res.output


def test_the_locale_chooses_the_language_of_the_messages(runner, tmp_path, isolated_db):
    """LANG=vi_VN.UTF-8 is enough for a clerk's machine; PLANCHECK_LANG wins over it; --lang over both."""
    _, task = kim_dong(runner)
    path = tmp_path / "bad.csv"
    write(path, [task | {"date": "someday"}])
    vi = runner.invoke(cli, ["ingest", str(path)], env={"LANG": "vi_VN.UTF-8"})
    assert "không phải là ngày. Cách sửa: ghi ngày dạng 31/12/2024" in vi.stderr
    en = runner.invoke(cli, ["ingest", str(path)], env={"LANG": "vi_VN.UTF-8", "PLANCHECK_LANG": "en"})
    assert "not a date; write 31/12/2024 (day/month/year) or 2024-12-31" in en.stderr
    assert "không" not in en.stderr


def test_two_digit_years_and_dates_that_are_not_are_refused_in_waivers_too(runner, tmp_path):
    waivers = tmp_path / "w.csv"
    waivers.write_text("item,agency,new_due,justification,approved_by,document\n"
                       "kim_dong_directive,ubnd_kim_dong,30/6/24,Bão số 3,Chủ tịch UBND tỉnh,Công văn 12/UBND\n",
                       encoding="utf-8")
    res = runner.invoke(cli, ["run", "--province", PROVINCE, "--example", "--waivers", str(waivers)])
    assert res.exit_code == 2 and "write the year in full" in res.stderr
    for written in ("30/06/2024", "30.06.2024"):
        waivers.write_text(waivers.read_text(encoding="utf-8").replace("30/6/24", written)
                           .replace("30/06/2024", written), encoding="utf-8")
        res = runner.invoke(cli, ["run", "--province", PROVINCE, "--example", "--waivers", str(waivers),
                                  "--format", "json"])
        assert res.exit_code in (0, 1), res.output
        [directive] = [f for f in json.loads(res.stdout)["findings"] if f["item"] == "kim_dong_directive"]
        assert directive["waiver"]["new_due"] == "2024-06-30"
    toml = tmp_path / "w.toml"
    toml.write_text('[[waivers]]\nitem = "kim_dong_directive"\nagency = "ubnd_kim_dong"\nnew_due = "30/06/2024"\n'
                    'justification = "Bão số 3"\napproved_by = "Chủ tịch UBND tỉnh"\ndocument = "Công văn 12/UBND"\n',
                    encoding="utf-8")
    res = runner.invoke(cli, ["run", "--province", PROVINCE, "--example", "--waivers", str(toml), "--format", "json"])
    [directive] = [f for f in json.loads(res.stdout)["findings"] if f["item"] == "kim_dong_directive"]
    assert directive["waiver"]["new_due"] == "2024-06-30"
    toml.write_text(toml.read_text(encoding="utf-8").replace("30/06/2024", "31/06/2024"), encoding="utf-8")
    res = runner.invoke(cli, ["run", "--province", PROVINCE, "--example", "--waivers", str(toml)])
    assert res.exit_code == 2
    assert f"{toml}: '31/06/2024': month 6 of 2024 has 30 days; check the day (day/month/year) @ $.waivers[0].new_due" \
        in res.stderr


def test_as_of_takes_the_dates_forms_take(runner):
    for written in ("30/06/2024", "30.06.2024", "30-06-2024"):
        res = runner.invoke(cli, ["run", "--province", PROVINCE, "--example", "--as-of", written, "--format", "json"])
        assert json.loads(res.stdout)["as_of"] == "2024-06-30"
    res = runner.invoke(cli, ["run", "--province", PROVINCE, "--example", "--as-of", "30/6/24"])
    assert res.exit_code == 2 and "write the year in full, e.g. 05/03/2024" in res.stderr


def test_units_as_of_takes_them_too(runner):
    day_first = runner.invoke(cli, ["compare", "--example", "--as-of", "2025-08-01", "--units-as-of", "01/07/2025",
                                    "--format", "json"])
    iso = runner.invoke(cli, ["compare", "--example", "--as-of", "2025-08-01", "--units-as-of", "2025-07-01",
                              "--format", "json"])
    assert day_first.exit_code == 0 and json.loads(day_first.stdout)["units"] == json.loads(iso.stdout)["units"]
    bad = runner.invoke(cli, ["compare", "--example", "--units-as-of", "1/7/25"])
    assert bad.exit_code == 2 and "is not a date like 01/07/2025 or 2025-07-01" in bad.stderr
