"""Issue 21, class 1: no silent misfiling. A row is stored only when every cell of it is unambiguous
and accounted for; a file whose structure is not the form's is refused with the reason, nothing written.

Every form here starts from the blank form ``plancheck template`` makes for the plan (Hưng Yên's, or
a test plugin's where the plan needs a feature Hưng Yên's text does not have), filled as a clerk would,
then broken the way the adversarial tester broke it.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.cli import cli
from plancheck.data.excel_form import locate

COLUMNS = ("province", "plan", "item", "kind", "agency", "unit", "period", "due", "description", "value", "date")


# -- helpers shared by the reliability tests ----------------------------------------------------

def blank(runner, province: str = "hung_yen", agency: str | None = None) -> list[dict[str, str]]:
    """The rows of the province's blank CSV form, as ``plancheck template`` writes them."""
    res = runner.invoke(cli, ["template", "--province", province, *(["--agency", agency] if agency else [])])
    assert res.exit_code == 0, res.output
    return list(csv.DictReader(io.StringIO(res.stdout)))


def pick(rows: list[dict[str, str]], **match: str) -> dict[str, str]:
    """A copy of the first blank row with these cells."""
    return dict(next(r for r in rows if all(r[k] == v for k, v in match.items())))


def filled(row: dict[str, str], **cells: str) -> dict[str, str]:
    return {**row, **cells}


def csv_text(rows: list[dict[str, str]], header: tuple[str, ...] = COLUMNS) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(header), lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def stored(url: str) -> list[tuple]:
    """The current rows of the SQLite database: (item, agency, unit, period, value, date)."""
    try:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as c:
            return sorted(c.execute("select item, agency, unit, period, value, date from observation "
                                    "where superseded_at is null").fetchall())
    except sqlite3.OperationalError:
        return []  # no database or no table: nothing written


def ingest(runner, *paths, args: tuple[str, ...] = ()):
    return runner.invoke(cli, ["ingest", *map(str, paths), "--format", "json", *args])


def assert_refused(res, *fragments: str, url: str | None = None) -> None:
    """Exit 2, every fragment in the messages, no traceback, and (with ``url``) nothing stored."""
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    for fragment in fragments:
        assert fragment in res.stderr, res.stderr
    if url is not None:
        assert stored(url) == []


# -- CSV quoting that swallows rows ------------------------------------------------------------

def hotspot_rows(runner) -> list[dict[str, str]]:
    rows = blank(runner)
    communes = [r for r in rows if r["item"] == "hotspots" and r["period"] == "2024"][:4]
    return [filled(r, value=str(i)) for i, r in enumerate(communes, start=1)]


def test_a_quote_opened_in_one_row_and_closed_rows_later_is_refused(runner, tmp_path, isolated_db):
    rows = [filled(r, description=f"Số điểm nóng xã {r['unit']}") for r in hotspot_rows(runner)]
    lines = csv_text(rows).splitlines()
    # The clerk typed a quote at the start of row 2's description and another at the end of
    # row 4's: read naively, rows 2-4 become one row carrying row 4's value, filed under row 2's commune.
    for at, fix in ((2, lambda c: '"' + c), (4, lambda c: c + '"')):
        cells = next(csv.reader([lines[at - 1]]))
        cells[8] = fix(cells[8])
        lines[at - 1] = ",".join(cells)
    path = tmp_path / "quoted.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = ingest(runner, path)
    assert_refused(res, f"{path}, cell I2 (column “description”):",
                   "a line break inside a cell (it runs over lines 2-4)",
                   "stray quote",
                   "nothing was written", url=isolated_db)


def test_the_same_rows_without_the_stray_quote_are_stored_each_under_its_unit(runner, tmp_path, isolated_db):
    rows = hotspot_rows(runner)
    path = tmp_path / "clean.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    res = ingest(runner, path)
    assert res.exit_code == 0, res.output
    assert [(r[2], r[4]) for r in stored(isolated_db)] == sorted((r["unit"], float(r["value"])) for r in rows)


def test_a_row_wider_than_the_header_with_a_value_outside_it_is_refused(runner, tmp_path, isolated_db):
    row = hotspot_rows(runner)[0]
    text = csv_text([row]).rstrip("\n") + ",,7\n"  # a value two columns right of 'date'
    path = tmp_path / "wide.csv"
    path.write_text(text, encoding="utf-8")
    assert_refused(ingest(runner, path), f"{path}, cell M2: '7': a value in column M, which has no heading",
                   url=isolated_db)


def test_empty_cells_beyond_the_header_are_accounted_for(runner, tmp_path, isolated_db):
    row = hotspot_rows(runner)[0]
    path = tmp_path / "trailing.csv"
    path.write_text(csv_text([row]).rstrip("\n") + ",,\n", encoding="utf-8")
    res = ingest(runner, path)
    assert res.exit_code == 0, res.output
    assert len(stored(isolated_db)) == 1


def test_a_row_narrower_than_the_header_is_refused(runner, tmp_path, isolated_db):
    rows = hotspot_rows(runner)
    text = csv_text(rows)
    lines = text.splitlines()
    lines[2] = ",".join(lines[2].split(",")[:6])  # cut after the unit: period, value, date lost
    path = tmp_path / "short.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_refused(ingest(runner, path), f"{path}, row 3: this row has 6 cells, the heading row has 11",
                   url=isolated_db)


# -- columns -----------------------------------------------------------------------------------

@pytest.mark.parametrize("second", ["value", "Giá trị", "VALUE "])
def test_a_second_value_column_is_refused_not_ignored(runner, tmp_path, isolated_db, second):
    row = hotspot_rows(runner)[0]
    header = (*COLUMNS, second)
    text = csv_text([row], header).rstrip("\n") + "9\n"  # the clerk's correction in the second column
    path = tmp_path / "two-values.csv"
    path.write_text(text, encoding="utf-8")
    assert_refused(ingest(runner, path), f"{path}, cell L1 (column “{second.strip()}”): {second.strip()!r}: "
                   "columns J, L are all 'value'", url=isolated_db)


def test_a_column_that_is_not_the_forms_is_refused(runner, tmp_path, isolated_db):
    row = hotspot_rows(runner)[0]
    path = tmp_path / "note.csv"
    path.write_text(csv_text([{**row, "ghi chú": "số liệu quý 4"}], (*COLUMNS, "ghi chú")), encoding="utf-8")
    assert_refused(ingest(runner, path), "cell L1 (column “ghi chú”): 'ghi chú': 'ghi chú' is not a column of the form",
                   url=isolated_db)


# -- ids that name more than one thing, or nothing -------------------------------------------------

SHARED_NAMES = MINIMAL_PLAN.replace('''[[tasks]]''', '''[[agencies]]
id = "ubnd_cap_xa"
name = "Ủy ban nhân dân cấp xã"
name_en = "Commune People's Committees"
level = "commune"
source = "V.3"

[[units]]
id = "huyen_a"
name = "Huyện A"
name_en = "District A"
level = "district"
parent = "test_province"
source = "I"

[[units]]
id = "huyen_b"
name = "Huyện B"
name_en = "District B"
level = "district"
parent = "test_province"
source = "I"

[[units]]
id = "huyen_a.an_binh"
name = "Xã An Bình"
name_en = "An Binh commune"
level = "commune"
parent = "huyen_a"
source = "I"

[[units]]
id = "huyen_b.an_binh"
name = "Xã An Bình"
name_en = "An Binh commune"
level = "commune"
parent = "huyen_b"
source = "I"

[[measures]]
id = "hotspots"
name = "Số điểm nóng về ma túy"
name_en = "Drug hotspots"
unit = "điểm"
level = "commune"
period_type = "yearly"
source = "II.1"

[[targets]]
id = "no_hotspots"
name = "Không còn điểm nóng về ma túy"
name_en = "No drug hotspots"
kind = "value"
measure = "hotspots"
comparator = "<="
threshold = 0
scope = "each_commune"
period = "2024"
source = "II.1"

[[obligations]]
id = "commune_reports"
name = "Xã báo cáo kết quả"
name_en = "Commune reports"
agencies = ["ubnd_cap_xa"]
recipient = ["cong_an_tinh"]
per_unit = "commune"
source = "V.3"
schedule = [{ period = "2024Q3", deadline = "trước ngày 15/10/2024" }]

[[tasks]]''')


@pytest.fixture
def two_an_binh(install_plugin):
    install_plugin("plancheck_test_shared", PLUGIN_SOURCE, {"plan.toml": SHARED_NAMES}, entry_point="test_province")


def test_a_unit_name_two_communes_share_is_refused_naming_both(runner, tmp_path, isolated_db, two_an_binh):
    rows = blank(runner, "test_province")
    row = filled(pick(rows, item="hotspots", unit="huyen_b.an_binh"), unit="Xã An Bình", value="2")
    path = tmp_path / "by-name.csv"
    path.write_text(csv_text([row]), encoding="utf-8")
    assert_refused(ingest(runner, path), "cell F2 (column “unit”): 'Xã An Bình': this name is shared by 2 units "
                   "of plan test-2024 (huyen_a.an_binh, huyen_b.an_binh); write the unit's id instead", url=isolated_db)
    # the id is unambiguous
    path.write_text(csv_text([filled(row, unit="huyen_b.an_binh")]), encoding="utf-8")
    assert ingest(runner, path).exit_code == 0
    assert [(r[2], r[4]) for r in stored(isolated_db)] == [("huyen_b.an_binh", 2.0)]


def test_a_report_row_with_an_unknown_unit_is_refused_not_stored_without_it(runner, tmp_path, isolated_db,
                                                                            two_an_binh):
    rows = blank(runner, "test_province")
    row = filled(pick(rows, item="commune_reports", unit="huyen_a.an_binh"), unit="huyen_a.an_binhh",
                 date="2024-10-10")
    path = tmp_path / "report.csv"
    path.write_text(csv_text([row]), encoding="utf-8")
    assert_refused(ingest(runner, path), "cell F2 (column “unit”): 'huyen_a.an_binhh': unknown unit in plan "
                   "test-2024; did you mean 'huyen_a.an_binh'", url=isolated_db)


def test_a_task_row_naming_a_unit_is_refused(runner, tmp_path, isolated_db):
    rows = blank(runner)
    task = next(r for r in rows if r["kind"] == "task")
    path = tmp_path / "task.csv"
    path.write_text(csv_text([filled(task, unit="kim_dong", date="2024-03-01")]), encoding="utf-8")
    assert_refused(ingest(runner, path),
                   f"cell F2 (column “unit”): 'kim_dong': {task['item']} is reported per agency, not per unit",
                   url=isolated_db)
    path.write_text(csv_text([filled(task, unit="no_such_unit", date="2024-03-01")]), encoding="utf-8")
    assert_refused(ingest(runner, path), "is reported per agency, not per unit", url=isolated_db)


def test_an_unknown_agency_on_a_measure_row_is_refused(runner, tmp_path, isolated_db):
    row = hotspot_rows(runner)[0]
    path = tmp_path / "agency.csv"
    path.write_text(csv_text([filled(row, agency="ubnd_cap_huyenn")]), encoding="utf-8")
    assert_refused(ingest(runner, path), "cell E2 (column “agency”): 'ubnd_cap_huyenn': unknown agency in plan",
                   url=isolated_db)


# -- workbooks: the sheet the clerk filled, and cells that hold more than one row ---------------------

@pytest.fixture
def kim_dong_xlsx(runner, tmp_path):
    path = tmp_path / "kim_dong.xlsx"
    res = runner.invoke(cli, ["template", "--province", "hung_yen", "--agency", "ubnd_kim_dong", "--format",
                              "xlsx", "--lang", "vi", "-o", str(path)])
    assert res.exit_code == 0, res.output
    return path


def fill_sheet(ws, values: dict[str, object]) -> None:
    """Fill the value cell of the rows whose item is a key (below the form's header block)."""
    heading, col = locate(ws)
    for row in ws.iter_rows(min_row=heading + 1):
        if row[2].value in values:
            row[col["value"]].value = values[row[2].value]


VALUES = {"district_bodies_total": 131, "district_bodies_drug_free": 120}


def test_a_filled_copy_of_the_form_sheet_is_refused_not_ignored(runner, kim_dong_xlsx, isolated_db):
    wb = openpyxl.load_workbook(kim_dong_xlsx)
    copy = wb.copy_worksheet(wb["form"])
    copy.title = "form (2)"
    fill_sheet(copy, VALUES)  # the clerk filled the copy; 'form' is empty (before: exit 0, nothing stored)
    wb.save(kim_dong_xlsx)
    assert_refused(ingest(runner, kim_dong_xlsx), "sheet 'form (2)' holds the filled rows, not sheet 'form'",
                   url=isolated_db)


def test_an_empty_copy_beside_the_filled_form_sheet_is_harmless(runner, kim_dong_xlsx, isolated_db):
    wb = openpyxl.load_workbook(kim_dong_xlsx)
    fill_sheet(wb["form"], VALUES)
    wb.copy_worksheet(wb["huong_dan"])
    wb.save(kim_dong_xlsx)
    res = ingest(runner, kim_dong_xlsx)
    assert res.exit_code == 0, res.output
    assert sorted(r[4] for r in stored(isolated_db)) == [120.0, 131.0]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_filled_rows_in_a_hidden_sheet_are_refused(runner, kim_dong_xlsx, isolated_db, state):
    wb = openpyxl.load_workbook(kim_dong_xlsx)
    wb["form"].title = "biểu mẫu"  # no sheet called 'form': the last form-like sheet used to be read
    hidden = wb.copy_worksheet(wb["biểu mẫu"])
    hidden.title = "old"
    fill_sheet(hidden, {"district_bodies_total": 999})
    hidden.sheet_state = state
    wb.save(kim_dong_xlsx)
    assert_refused(ingest(runner, kim_dong_xlsx), "sheet 'old' holds the filled rows but is hidden",
                   url=isolated_db)


def test_rows_filled_in_two_sheets_are_refused(runner, kim_dong_xlsx, isolated_db):
    wb = openpyxl.load_workbook(kim_dong_xlsx)
    fill_sheet(wb["form"], VALUES)
    other = wb.copy_worksheet(wb["form"])
    other.title = "Q4"
    fill_sheet(other, {"district_bodies_total": 140})
    wb.save(kim_dong_xlsx)
    assert_refused(ingest(runner, kim_dong_xlsx), "2 sheets hold filled form rows ('form', 'Q4')", url=isolated_db)


def test_merged_value_cells_are_refused(runner, kim_dong_xlsx, isolated_db):
    wb = openpyxl.load_workbook(kim_dong_xlsx)
    ws = wb["form"]
    fill_sheet(ws, VALUES)
    heading, col = locate(ws)
    value = col["value"]
    rows = [r for r in ws.iter_rows(min_row=heading + 1) if r[2].value in VALUES]
    ws.protection.sheet = False
    ws.merge_cells(f"{rows[0][value].coordinate}:{rows[-1][value].coordinate}")  # one value for both rows
    wb.save(kim_dong_xlsx)
    assert_refused(ingest(runner, kim_dong_xlsx), f"cells {rows[0][value].coordinate}:{rows[-1][value].coordinate} "
                   "are merged", url=isolated_db)


def test_a_duplicated_value_column_in_a_workbook_is_refused(runner, kim_dong_xlsx, isolated_db):
    wb = openpyxl.load_workbook(kim_dong_xlsx)
    ws = wb["form"]
    heading, col = locate(ws)
    second = ws.max_column + 1
    ws.cell(row=heading, column=second, value="Giá trị")
    for row in ws.iter_rows(min_row=heading + 1):
        if row[2].value == "district_bodies_total":
            ws.cell(row=row[0].row, column=second, value=131)  # the second column is the one filled
    wb.save(kim_dong_xlsx)
    first, other = get_column_letter(col["value"] + 1), get_column_letter(second)
    assert_refused(ingest(runner, kim_dong_xlsx), f"sheet “form”, cell {other}{heading} (column “Giá trị”): "
                   f"'Giá trị': columns {first}, {other} are all 'Giá trị'", url=isolated_db)


def test_the_json_summary_counts_what_was_stored(runner, kim_dong_xlsx, isolated_db):
    wb = openpyxl.load_workbook(kim_dong_xlsx)
    fill_sheet(wb["form"], VALUES)
    wb.save(kim_dong_xlsx)
    [summary] = json.loads(ingest(runner, kim_dong_xlsx).stdout)
    assert summary["new"] == len(stored(isolated_db)) == 2
