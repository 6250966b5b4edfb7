"""Input edges, continued: what an Excel cell holds, and a dry run against a database that exists.

* A value cell that holds a number (not text) holds exactly that number: 12.345 there is 12.345, never
  twelve thousand as "12.345" written in Vietnamese could be; the unit's rules still apply. The same
  figure typed as text is ambiguous, as in a CSV.
* ``ingest --dry-run`` writes nothing to a database that exists either: no table, no upgrade, no switch
  of SQLite's journal to WAL; on SQLite and on a real PostgreSQL server.

Every test goes through the CLI with forms written by ``plancheck template``.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3

import openpyxl
import pytest
from test_input_edges import history, value_cell, xlsx_form
from test_reliability_misfiling import blank, csv_text, filled, pick, stored
from test_reliability_values import QUANTITIES

from conftest import PLUGIN_SOURCE
from plancheck.cli import cli
from plancheck.data.store import close_engines


@pytest.fixture
def quantities(install_plugin):
    """A province whose plan has a count (vụ), a share (%) and an amount (m²), yearly, 2024-2025."""
    install_plugin("plancheck_test_edges", PLUGIN_SOURCE, {"plan.toml": QUANTITIES}, entry_point="test_province")


# -- 1. a number cell is never ambiguous ----------------------------------------------------------------

def filled_form(runner, tmp_path, values: dict[str, object]):
    """The test province's xlsx form with the 2024 value cell of each item filled as given (a float
    or int is stored as a number cell, a str as a text cell); the path and the cells."""
    path, wb, heading, col = xlsx_form(runner, tmp_path, "test_province")
    cells = {}
    for item, value in values.items():
        cell = cells[item] = value_cell(wb, heading, col, item, "2024")
        cell.value = value
    wb.save(path)
    back = openpyxl.load_workbook(path)["form"]
    for item, value in values.items():  # as Excel keeps what a clerk typed: a number, or text
        assert back[cells[item].coordinate].data_type == ("s" if isinstance(value, str) else "n")
        assert back[cells[item].coordinate].value == value
    return path, cells


def test_a_number_cell_with_three_decimals_is_stored_as_that_number(runner, tmp_path, quantities):
    path, _cells = filled_form(runner, tmp_path, {"coverage": 12.345, "cultivation_area": 32.857})
    res = runner.invoke(cli, ["ingest", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert [s["new"] for s in json.loads(res.stdout)] == [2]
    [share] = history(runner, "test_province", "coverage")
    [area] = history(runner, "test_province", "cultivation_area")
    assert (share["period"], share["value"]) == ("2024", 12.345)
    assert (area["period"], area["value"]) == ("2024", 32.857)


def test_a_number_cell_judges_its_target_as_the_number_it_holds(runner, tmp_path, quantities):
    # "Trên 80% xã được tuyên truyền" (coverage > 80): 80.125 is above 80, 80125 would be no share at all
    path, _cells = filled_form(runner, tmp_path, {"coverage": 80.125})
    assert runner.invoke(cli, ["ingest", str(path)]).exit_code == 0
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2025-06-30", "--format", "json"])
    [finding] = [f for f in json.loads(res.stdout)["findings"] if f["item"] == "coverage_80"]
    assert finding["status"] == "met", finding


@pytest.mark.parametrize(("item", "value", "message"), [
    ("cases", 12.345, "'12.345': a count of vụ is a whole number, this has a fraction"),
    ("coverage", 112.345, "'112.345': a share in percent is between 0 and 100"),
    ("cultivation_area", -32.857, "'-32.857': an amount in m² cannot be negative"),
])
def test_a_number_cell_still_keeps_its_units_rules(runner, tmp_path, isolated_db, quantities, item, value, message):
    path, cells = filled_form(runner, tmp_path, {item: value})
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 2, res.output
    assert f"{path}, sheet “form”, cell {cells[item].coordinate} (column “Value”): {message}" in res.stderr, res.stderr
    assert "ambiguous" not in res.stderr
    assert stored(isolated_db) == []


@pytest.mark.parametrize("item", ["coverage", "cultivation_area", "cases"])
def test_a_text_cell_with_three_decimals_is_still_ambiguous(runner, tmp_path, isolated_db, quantities, item):
    path, cells = filled_form(runner, tmp_path, {item: "12.345"})
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 2, res.output
    assert f"cell {cells[item].coordinate} (column “Value”): '12.345': ambiguous number" in res.stderr, res.stderr
    assert stored(isolated_db) == []


def test_number_cells_among_whole_numbers_and_percentages(runner, tmp_path, isolated_db, quantities):
    # a workbook with a percentage format is read cell by cell: a number cell there is a number too
    path, wb, heading, col = xlsx_form(runner, tmp_path, "test_province")
    value_cell(wb, heading, col, "cases", "2024").value = 7
    share = value_cell(wb, heading, col, "coverage", "2024")
    share.value, share.number_format = 0.85, "0%"
    value_cell(wb, heading, col, "cultivation_area", "2024").value = 1.5e-05  # shown as 1e-05 in its text
    wb.save(path)
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 0, res.output
    assert sorted((r[0], r[4]) for r in stored(isolated_db)) == \
        [("cases", 7.0), ("coverage", 85.0), ("cultivation_area", 1.5e-05)]


# -- 2. a dry run writes nothing to a database that exists -------------------------------------------------

def hotspot_form(runner, tmp_path, name: str = "form.csv"):
    """Hưng Yên's CSV form with one figure filled (hotspots, 2024: 3)."""
    row = filled(pick(blank(runner), item="hotspots", period="2024"), value="3")
    path = tmp_path / name
    path.write_text(csv_text([row]), encoding="utf-8")
    return path


def sqlite_state(db) -> tuple[list[str], str, object]:
    """(the tables, the journal mode, the schema version or None) of a SQLite file, read without changing it."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        tables = sorted(r[0] for r in conn.execute("select name from sqlite_master where type = 'table'"))
        mode = conn.execute("pragma journal_mode").fetchone()[0]
        version = conn.execute("select version from plancheck_schema").fetchone()[0] \
            if "plancheck_schema" in tables else None
    return tables, mode, version


def leave_wal(db) -> None:
    """Put a SQLite file back in SQLite's default journal mode (plancheck's own commands leave it in WAL)."""
    close_engines()  # the connections the CLI's commands left open in this process: a change of mode waits for none
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        assert conn.execute("pragma journal_mode=delete").fetchone()[0] == "delete"


def dry_run(runner, path, db_note: str) -> list[tuple[int, int]]:
    res = runner.invoke(cli, ["ingest", str(path), "--dry-run", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert db_note in res.stderr, res.stderr
    return [(s["new"], s["unchanged"]) for s in json.loads(res.stdout)]


def test_a_dry_run_on_a_sqlite_file_without_tables_writes_nothing(runner, tmp_path, monkeypatch):
    db = tmp_path / "empty.db"
    with contextlib.closing(sqlite3.connect(db)) as conn:  # a database with no table, in SQLite's default journal
        conn.execute("pragma user_version = 7")
    raw = db.read_bytes()
    assert raw.startswith(b"SQLite format 3") and sqlite_state(db) == ([], "delete", None)
    monkeypatch.setenv("PLANCHECK_DB", f"sqlite:///{db}")
    form = hotspot_form(runner, tmp_path)
    assert dry_run(runner, form, f"the database sqlite:///{db} does not have this plancheck's tables yet") == [(1, 0)]
    assert sqlite_state(db) == ([], "delete", None)
    assert db.read_bytes() == raw and sorted(p.name for p in tmp_path.glob("empty.db*")) == ["empty.db"]
    # the real ingest then writes the schema and the row
    res = runner.invoke(cli, ["ingest", str(form)])
    assert res.exit_code == 0, res.output
    assert len(stored(f"sqlite:///{db}")) == 1


def test_a_dry_run_on_an_older_sqlite_schema_does_not_upgrade_it(runner, tmp_path, isolated_db):
    form = hotspot_form(runner, tmp_path)
    assert runner.invoke(cli, ["ingest", str(form)]).exit_code == 0
    db = isolated_db.removeprefix("sqlite:///")
    # what plancheck with schema 2 left: no assessment table
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("drop table assessment")
        conn.execute("update plancheck_schema set version = 2")
    leave_wal(db)
    before = sqlite_state(db)
    assert "assessment" not in before[0] and before[1:] == ("delete", 2)
    dry_run(runner, form, "does not have this plancheck's tables yet; the ingest would create or upgrade them")
    assert sqlite_state(db) == before  # not upgraded, not in WAL
    assert not any(p.name.endswith(("-wal", "-shm")) for p in tmp_path.iterdir())
    assert runner.invoke(cli, ["ingest", str(form)]).exit_code == 0  # the real ingest upgrades it
    assert sqlite_state(db)[2] == 3 and "assessment" in sqlite_state(db)[0]


def test_a_dry_run_on_a_current_sqlite_file_previews_it_and_leaves_its_journal(runner, tmp_path, isolated_db):
    form = hotspot_form(runner, tmp_path)
    assert runner.invoke(cli, ["ingest", str(form)]).exit_code == 0
    db = isolated_db.removeprefix("sqlite:///")
    leave_wal(db)  # a copy, a backup restored, another tool's doing
    before = sqlite_state(db)
    res = runner.invoke(cli, ["ingest", str(form), "--dry-run", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert [(s["new"], s["unchanged"]) for s in json.loads(res.stdout)] == [(0, 1)]  # read from the file itself
    assert "tables yet" not in res.stderr and "does not exist" not in res.stderr
    assert sqlite_state(db) == before and before[1] == "delete"
    assert not any(p.name.endswith("-wal") for p in tmp_path.iterdir())


def test_a_dry_run_on_an_empty_postgresql_database_creates_no_table(runner, tmp_path, postgres_url):
    import psycopg

    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")

    def tables() -> list[str]:
        with psycopg.connect(plain) as conn:
            return sorted(r[0] for r in conn.execute(
                "select table_name from information_schema.tables where table_schema not in "
                "('pg_catalog', 'information_schema')"))

    form = hotspot_form(runner, tmp_path)
    assert dry_run(runner, form, "does not have this plancheck's tables yet") == [(1, 0)]
    assert tables() == []
    res = runner.invoke(cli, ["ingest", str(form), "--format", "json"])  # then a real ingest works
    assert res.exit_code == 0, res.output
    assert [s["new"] for s in json.loads(res.stdout)] == [1]
    assert {"observation", "plancheck_schema"} <= set(tables())
    assert dry_run(runner, form, "") == [(0, 1)]  # and a dry run now reads the database itself
    [row] = history(runner, "hung_yen", "hotspots")
    assert (row["period"], row["value"], row["current"]) == ("2024", 3.0, True)
