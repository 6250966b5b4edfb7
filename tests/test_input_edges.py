"""Input edges where a form was misfiled silently or something was written when nothing should be.

* An Excel cell formatted as a percentage holds a hundredth of what it shows (a clerk who types
  "85%" stores 0.85): a share takes the figure shown (85, exactly), any other measure refuses the cell.
* A file's name reaches the terminal escaped: a name with control characters cannot rewrite it.
* ``ingest --dry-run`` writes nothing: no database file, no directory.

Every test goes through the CLI with forms written by ``plancheck template``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import openpyxl
import pytest
from test_reliability_misfiling import blank, csv_text, filled, pick, stored
from test_reliability_values import QUANTITIES

from conftest import PLUGIN_SOURCE
from plancheck.cli import cli
from plancheck.data.excel_form import locate
from plancheck.data.workbook import hundredfold, is_percent_format

#: What no line printed by ingest may hold: every control character but the line feed between lines.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def quantities(install_plugin):
    """A province whose plan has a count (vụ), a share (%) and an amount (m²), yearly, 2024-2025."""
    install_plugin("plancheck_test_edges", PLUGIN_SOURCE, {"plan.toml": QUANTITIES}, entry_point="test_province")


def xlsx_form(runner, tmp_path, province: str, name: str = "form.xlsx"):
    path = tmp_path / name
    res = runner.invoke(cli, ["template", "--province", province, "--format", "xlsx", "-o", str(path)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(path)
    heading, col = locate(wb["form"])
    return path, wb, heading, col


def value_cell(wb, heading: int, col: dict[str, int], item: str, period: str | None = None):
    """The value cell of the first row of ``item`` (and ``period``) on the form sheet."""
    for row in wb["form"].iter_rows(min_row=heading + 1):
        if row[col["item"]].value == item and (period is None or str(row[col["period"]].value) == period):
            return row[col["value"]]
    raise AssertionError(f"no row for {item} {period}")


def history(runner, province: str, item: str) -> list[dict]:
    res = runner.invoke(cli, ["history", "--province", province, "--item", item, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


# -- 1. percentage-formatted cells -----------------------------------------------------------------

@pytest.mark.parametrize(("typed", "fmt", "expected"), [
    (0.85, "0%", 85.0),          # "85%" typed in a cell formatted 0%
    (0.07, "0.0%", 7.0),         # never 7.000000000000001
    (0.855, "0.0%", 85.5),
    (0.8555, "0%", 85.55),       # shown as 86%, but the clerk typed 85.55: the figure is kept
    (1, "0%", 100.0),            # "100%": an int in the workbook, and a plain whole number once read
    (0.1 + 0.2, "0.00%", 30.0),  # a float's last-bit noise is not a figure
])
def test_a_share_typed_as_a_percentage_is_stored_as_the_percentage_shown(runner, tmp_path, quantities, typed, fmt,
                                                                         expected):
    path, wb, heading, col = xlsx_form(runner, tmp_path, "test_province")
    cell = value_cell(wb, heading, col, "coverage", "2024")
    cell.value, cell.number_format = typed, fmt
    wb.save(path)
    assert openpyxl.load_workbook(path)["form"][cell.coordinate].number_format == fmt  # what Excel would save
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 0, res.output
    [row] = history(runner, "test_province", "coverage")
    assert (row["period"], row["value"]) == ("2024", expected)


def test_a_share_in_percent_judges_its_target_as_the_clerk_meant(runner, tmp_path, quantities):
    # the plan: "Trên 80% xã được tuyên truyền" (coverage > 80); 85% read as 0.85 was "not met"
    path, wb, heading, col = xlsx_form(runner, tmp_path, "test_province")
    cell = value_cell(wb, heading, col, "coverage", "2024")
    cell.value, cell.number_format = 0.85, "0%"
    wb.save(path)
    assert runner.invoke(cli, ["ingest", str(path)]).exit_code == 0
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2025-06-30", "--format", "json"])
    doc = json.loads(res.stdout)
    [finding] = [f for f in doc["findings"] if f["item"] == "coverage_80"]
    assert finding["status"] == "met", finding


def test_a_share_above_100_percent_is_refused_as_excel_shows_it(runner, tmp_path, isolated_db, quantities):
    path, wb, heading, col = xlsx_form(runner, tmp_path, "test_province")
    cell = value_cell(wb, heading, col, "coverage", "2024")
    cell.value, cell.number_format = 1.2, "0%"
    wb.save(path)
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 2, res.output
    assert f"cell {cell.coordinate} (column “Value”): '120%': a share in percent is between 0 and 100" in res.stderr
    assert stored(isolated_db) == []


@pytest.mark.parametrize(("province", "item", "what"), [
    ("hung_yen", "hotspots", "a count"),                  # Hưng Yên's "số điểm, tụ điểm phức tạp"
    ("vinh_long", "drug_cases", "a count of cases"),
    ("test_province", "cultivation_area", "an amount in m²"),
])
def test_a_percentage_in_a_measure_that_is_not_a_share_is_refused(runner, tmp_path, isolated_db, quantities,
                                                                  province, item, what):
    path, wb, heading, col = xlsx_form(runner, tmp_path, province)
    cell = value_cell(wb, heading, col, item)
    cell.value, cell.number_format = 0.85, "0%"
    wb.save(path)
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert (f"{path}, sheet “form”, cell {cell.coordinate} (column “Value”): '85%': a cell formatted as a "
            f"percentage (Excel keeps 85% as 0.85), and {what} is not a percentage; type the number without %"
            in res.stderr), res.stderr
    assert "nothing was written" in res.stderr
    assert stored(isolated_db) == []


def test_a_whole_percentage_in_a_count_is_refused_not_read_as_1(runner, tmp_path, isolated_db):
    # 100% is kept as 1: a whole number, which the fast path for counts used to take as it is
    path, wb, heading, col = xlsx_form(runner, tmp_path, "hung_yen")
    cell = value_cell(wb, heading, col, "hotspots")
    cell.value, cell.number_format = 1, "0%"
    wb.save(path)
    res = runner.invoke(cli, ["ingest", str(path), "--format", "json"])
    assert res.exit_code == 2, res.output
    [problem] = json.loads(res.stdout)
    assert (problem["cell"], problem["heading"], problem["value"]) == (cell.coordinate, "Value", "100%")
    assert problem["fix"].startswith("type the number without %")
    assert stored(isolated_db) == []


def test_a_percentage_format_elsewhere_changes_no_value(runner, tmp_path, isolated_db):
    # a workbook with a % format read cell by cell: the other rows' values as typed
    path, wb, heading, col = xlsx_form(runner, tmp_path, "hung_yen")
    value_cell(wb, heading, col, "hotspots").value = 7
    wb["form"].cell(row=1, column=1).number_format = "0%"  # the header block, formatted by mistake
    described = value_cell(wb, heading, col, "hotspots")
    wb["form"].cell(row=described.row, column=col["description"] + 1).number_format = "0.0%"
    wb.save(path)
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 0, res.output
    assert [r[4] for r in stored(isolated_db)] == [7.0]


@pytest.mark.parametrize(("fmt", "percent"), [
    ("0%", True), ("0.00%", True), ("#,##0.0%;[Red]-#,##0.0%", True), ("0.0%_);(0.0%)", True),
    ("General", False), ("0.00", False), ('0" %"', False), ("0\\%", False), ("[Red]0", False), ("DD/MM/YYYY", False),
])
def test_which_number_formats_show_a_percentage(fmt, percent):
    assert is_percent_format(fmt) is percent


def test_the_figure_a_percentage_shows_is_exact():
    assert [hundredfold(v) for v in (0.07, 0.85, 0.29, 1, 0, -0.0, 0.5e-2, 12.345)] == \
        ["7", "85", "29", "100", "0", "0", "0.5", "1234.5"]


# -- 2. control characters in a file's name ---------------------------------------------------------

HOSTILE = "evil\x1b[31mred\x07\r\x9b2J\u202egpj"


def hotspot_csv(runner, path, value: str = "3"):
    row = filled(pick(blank(runner), item="hotspots", period="2024"), value=value)
    path.write_text(csv_text([row]), encoding="utf-8")
    return path


def test_a_file_name_with_control_characters_is_printed_escaped(runner, tmp_path, isolated_db):
    path = hotspot_csv(runner, tmp_path / f"{HOSTILE}.csv")
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 0, res.output
    assert not RAW_CONTROL.search(res.output), repr(res.output)
    assert "evil\\x1b[31mred\\x07\\r\\x9b2J\\u202egpj.csv" in res.stdout  # named, recognisably
    assert len(stored(isolated_db)) == 1
    # and wherever it is shown again: history, and a verdict's evidence (the file of each datum), which
    # shows the name as it was stored
    for args in (["history", "--province", "hung_yen", "--item", "hotspots"],
                 ["explain", "keep_22_drug_free", "--province", "hung_yen", "--unit", "van_lam.minh_hai",
                  "--as-of", "2025-01-15"]):
        res = runner.invoke(cli, args)
        assert res.exit_code in (0, 1), res.output
        assert not RAW_CONTROL.search(res.output) and "evil\\x1b[31mred" in res.stdout, args


def test_a_refused_file_with_control_characters_is_named_escaped(runner, tmp_path, isolated_db):
    path = hotspot_csv(runner, tmp_path / f"{HOSTILE}.csv", value="-3")
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 2, res.output
    assert not RAW_CONTROL.search(res.output), repr(res.output)
    shown = str(path).replace(HOSTILE, "evil\\x1b[31mred\\x07\\r\\x9b2J\\u202egpj")
    assert f"{shown}, cell J2 (column “value”): '-3': a count cannot be negative" in res.stderr
    # ingest --format json: the name is the file's own, and no character of it reaches the terminal raw
    res = runner.invoke(cli, ["ingest", str(path), "--format", "json"])
    assert res.exit_code == 2 and not RAW_CONTROL.search(res.output), repr(res.output)
    assert json.loads(res.stdout)[0]["file"] == str(path)
    assert stored(isolated_db) == []


def test_a_directory_or_a_missing_file_with_control_characters_is_named_escaped(runner, tmp_path, isolated_db):
    directory = tmp_path / "forms\x1b]0;owned\x07"
    directory.mkdir()
    res = runner.invoke(cli, ["ingest", str(directory), str(tmp_path / "gone\r.csv")])
    assert res.exit_code == 2, res.output
    assert not RAW_CONTROL.search(res.output), repr(res.output)
    # both named, with every other problem (click refused a directory alone, before any file was read)
    assert "forms\\x1b]0;owned\\x07: cannot read: Is a directory" in res.stderr, res.stderr
    assert "gone\\r.csv: cannot read: No such file or directory" in res.stderr, res.stderr


def test_a_file_name_that_is_not_utf8_is_printed_escaped_and_stored(runner, tmp_path, isolated_db):
    # a real process, as a shell runs it: the name's bytes are not UTF-8 (\xff), plus an escape sequence
    good = hotspot_csv(runner, tmp_path / "good.csv")
    name = os.fsencode(str(tmp_path)) + b"/bad\xff\x1b[2J.csv"
    with open(name, "wb") as fh:
        fh.write(good.read_bytes())

    def plancheck(*args) -> str:
        res = subprocess.run([sys.executable, "-m", "plancheck", *args], capture_output=True,
                             env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        assert res.returncode == 0, res.stderr.decode(errors="replace")  # not a bug's exit 3
        out = res.stdout.decode("utf-8")  # what was printed is UTF-8 throughout
        assert not RAW_CONTROL.search(out) and b"\x1b" not in res.stderr, out
        return out

    assert "bad\\xff\\x1b[2J.csv" in plancheck("ingest", name, "--dry-run")
    assert json.loads(plancheck("ingest", name, "--dry-run", "--format", "json"))[0]["file"] == "bad\\xff\\x1b[2J.csv"
    assert "bad\\xff\\x1b[2J.csv" in plancheck("ingest", name)  # stored: no database takes \xff as text
    assert "bad\\xff\\x1b[2J.csv" in plancheck("history", "--province", "hung_yen", "--item", "hotspots")
    assert len(stored(isolated_db)) == 1


# -- 3. a dry run writes nothing ---------------------------------------------------------------------

def test_a_dry_run_creates_no_database_and_a_real_ingest_then_works(runner, tmp_path, monkeypatch):
    db = tmp_path / "not-yet" / "plancheck.db"
    monkeypatch.setenv("PLANCHECK_DB", f"sqlite:///{db}")
    first = hotspot_csv(runner, tmp_path / "first.csv", value="3")
    again = hotspot_csv(runner, tmp_path / "again.csv", value="3")
    res = runner.invoke(cli, ["ingest", str(first), str(again), "--dry-run", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert [(s["file"], s["new"], s["unchanged"], s["dry_run"]) for s in json.loads(res.stdout)] == \
        [("first.csv", 1, 0, True), ("again.csv", 0, 1, True)]  # the files fully checked, as a real ingest sees them
    assert f"the database {db} does not exist yet" in res.stderr
    assert not db.exists() and not db.parent.exists()

    bad = hotspot_csv(runner, tmp_path / "bad.csv", value="-1")
    assert runner.invoke(cli, ["ingest", str(bad), "--dry-run"]).exit_code == 2
    assert not db.parent.exists()

    res = runner.invoke(cli, ["ingest", str(first)])
    assert res.exit_code == 0, res.output
    assert db.exists() and len(stored(f"sqlite:///{db}")) == 1
    res = runner.invoke(cli, ["ingest", str(again), "--dry-run", "--format", "json"])  # the database exists now
    assert res.exit_code == 0, res.output
    assert [(s["new"], s["unchanged"]) for s in json.loads(res.stdout)] == [(0, 1)]
    assert "does not exist" not in res.stderr
