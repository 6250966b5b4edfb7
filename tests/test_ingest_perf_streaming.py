"""Ingest at national scale (issue 9): forms are checked as they are read, and what that must not change.

A CSV form is decoded and checked as it is read (never held whole), each line
composed (NFC) at once rather than cell by cell, nearly every measure row
checked against caches, and the checked rows kept as tuples until every file
of the call is checked. These tests hold that to the slower, plainer paths:
the same observations, the same problems, the same sha256, all or nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from plancheck.cli import cli
from plancheck.data import store
from plancheck.data.forms import ROW_FIELDS, decode_csv, read_csv_file, read_form, read_rows
from plancheck.data.workbook import read_form_file
from plancheck.errors import InputError
from plancheck.plans.planfile import load_plan
from plancheck.plans.plugins import load_registry

HY = "hung_yen-2024-xa-khong-ma-tuy"
TODAY = date(2025, 1, 15)
COLUMNS = ["province", "plan", "item", "kind", "agency", "unit", "period", "due", "description", "value", "date"]


@pytest.fixture(scope="module")
def plans():
    _, registry = load_registry()
    out = {}
    for src in registry.provinces()["hung_yen"]:
        p = load_plan(src.path)
        out[(p.province, p.id)] = p
    return out


def form(rows: list[dict[str, str]], lineterminator: str = "\n") -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator=lineterminator)
    w.writeheader()
    for r in rows:
        w.writerow({"province": "hung_yen", "plan": HY, "agency": "", "unit": "", "due": "",
                    "description": "", "value": "", "date": "", **r})
    return buf.getvalue()


GOOD = [
    {"item": "periodic_reports", "kind": "obligation", "agency": "so_ban_nganh_doan_the", "period": "2024Q1",
     "date": "14/03/2024"},
    {"item": "bodies_total", "kind": "measure", "unit": "hung_yen", "period": "2024", "value": "1250"},
    {"item": "bodies_drug_free", "kind": "measure", "unit": " hung_yen ", "period": "2024", "value": "1198"},
    {"item": "hotspots", "kind": "Measure", "unit": unicodedata.normalize("NFD", "Xã Nhân La"), "period": "2024",
     "value": "0"},
    {"item": "hotspots", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024", "value": "0"},  # again
    {"item": "population", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024", "value": "1234,0"},
    {"item": "population", "kind": "measure", "unit": "kim_dong.toan_thang", "period": "2024"},  # not filled
    {"description": "a row nobody filled in"},
]


def per_cell(name: str, text: str, plans) -> object:
    """The form read cell by cell (the path workbooks take), for comparison."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    return read_rows(name, header, enumerate(reader, start=2), plans, TODAY)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_streamed_csv_reads_as_its_text_does(plans, encoding, newline):
    text = form(GOOD, newline) + " ,,\t,,,,,,,," + newline  # a blank row: not counted
    raw = text.encode(encoding)
    streamed = read_csv_file("f.csv", io.BufferedReader(io.BytesIO(raw)), plans, TODAY)
    whole = read_form("f.csv", decode_csv("f.csv", raw), plans, TODAY)
    cells = per_cell("f.csv", text, plans)
    assert streamed == whole == cells
    assert streamed.ignored == 2
    assert [r[2] for r in streamed.rows] == ["periodic_reports", "bodies_total", "bodies_drug_free", "hotspots",
                                             "population"]
    assert streamed.rows[3][5] == "kim_dong.nhan_la"  # the unit's name, composed, is the unit
    assert streamed.rows[4][7] == 1234.0
    assert streamed.rows[0][8] == date(2024, 3, 14)


def test_rows_and_observations_hold_the_same(plans):
    reading = read_form("f.csv", form(GOOD), plans, TODAY)
    obs = reading.observations
    assert len(obs) == len(reading.rows)
    for o, r in zip(obs, reading.rows, strict=True):
        assert tuple(getattr(o, f) for f in ROW_FIELDS) == r
        assert o.source_file == "f.csv"
    # the columns the store writes per row, in the same order
    assert store._ROW_COLUMNS == (*ROW_FIELDS[:-1], "source_row")


def test_problems_are_the_same_whichever_path_a_row_takes(plans):
    rows = [
        {"item": "hotspots", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024", "value": "0"},
        {"item": "hotspots", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024", "value": "2"},
        {"item": "bodies_total", "kind": "measure", "unit": "hung_yen", "period": "2024", "value": "1250"},
        {"item": "bodies_drug_free", "kind": "measure", "unit": "hung_yen", "period": "2024", "value": "1300"},
        {"item": "hotspots", "kind": "measure", "unit": "ha_noi", "period": "2024", "value": "1"},
        {"item": "hotspots", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2031", "value": "1"},
        {"item": "hotspots", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024Q9", "value": "1"},
        {"item": "hotspots", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024", "value": "9" * 16},
        {"item": "nothing", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024", "value": "1"},
        {"item": "hotspots", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024", "value": "1",
         "date": "2024-01-01"},
    ]
    text = form(rows)
    with pytest.raises(InputError) as fast:
        read_form("f.csv", text, plans, TODAY)
    with pytest.raises(InputError) as slow:
        per_cell("f.csv", text, plans)
    assert fast.value.lines() == slow.value.lines()
    lines = "\n".join(fast.value.lines())
    assert "f.csv, cell J3 (column “value”): '2': row 2 gives 0 for the same datum" in lines
    assert ("f.csv, cell J5 (column “value”): '1300': bodies_drug_free is larger than bodies_total (1250, row 4) "
            "for hung_yen 2024") in lines
    for row in range(6, 12):
        assert f"{row} (column “" in lines


def test_an_undecodable_byte_is_named_where_it_is_in_the_file(plans):
    raw = form(GOOD * 2000).encode("utf-8") + b"\xe3 late,\n"
    with pytest.raises(InputError) as streamed:
        read_csv_file("f.csv", io.BufferedReader(io.BytesIO(raw)), plans, TODAY)
    with pytest.raises(InputError) as whole:
        decode_csv("f.csv", raw)
    assert streamed.value.lines() == whole.value.lines()
    assert f"at offset {len(raw) - 8}" in streamed.value.lines()[0]


def test_a_csv_file_is_streamed_and_hashed_as_read(plans, tmp_path, monkeypatch):
    p = tmp_path / "f.csv"
    p.write_bytes(form(GOOD * 500).encode("utf-8-sig"))
    raw = p.read_bytes()

    def no_whole_file(self):
        raise AssertionError("a CSV form is read whole")

    monkeypatch.setattr(Path, "read_bytes", no_whole_file)
    reading, sha = read_form_file(p, plans, TODAY)
    assert sha == store.file_sha256(raw) == hashlib.sha256(raw).hexdigest()
    assert reading == read_form(str(p), decode_csv(str(p), raw), plans, TODAY)


def test_rows_and_observations_are_stored_alike(plans, tmp_path):
    reading = read_form("f.csv", form(GOOD), plans, TODAY)
    dumps = []
    for how, given in (("rows", reading.rows), ("obs", reading.observations)):
        url = f"sqlite:///{tmp_path / how}.db"
        engine = store.open_engine(url)
        s = store.ingest(engine, given, file="f.csv", sha256="x", reporter="me")
        again = store.ingest(engine, given, file="f.csv", sha256="x", reporter="me")
        assert (s.new, s.updated, s.unchanged, again.new, again.unchanged) == (5, 0, 0, 0, 5)
        engine.dispose()
        with sqlite3.connect(tmp_path / f"{how}.db") as conn:
            dumps.append(conn.execute(
                "select id, province, plan, item, kind, agency, unit, period, value, typeof(value), date, "
                "source_file, source_row, ingest_id from observation order by id").fetchall())
    assert dumps[0] == dumps[1]
    assert dumps[0][0][10] == "2024-03-14" and dumps[0][1][9] == "real"


def test_one_bad_file_writes_nothing_of_any_file(runner, tmp_path, isolated_db):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(form(GOOD), encoding="utf-8")
    bad.write_text(form([{"item": "hotspots", "kind": "measure", "unit": "ha_noi", "period": "2024",
                          "value": "1"}]), encoding="utf-8")
    missing = tmp_path / "missing.csv"
    res = runner.invoke(cli, ["ingest", str(good), str(bad), str(missing), str(good)])
    assert res.exit_code == 2
    assert f"{bad}, cell F2 (column “unit”): 'ha_noi': unknown unit in plan {HY}" in res.stderr
    assert f"{missing}: cannot read: No such file or directory" in res.stderr
    assert res.stderr.rstrip().endswith("nothing was written")
    with sqlite3.connect(isolated_db.removeprefix("sqlite:///")) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        assert "observation" not in tables or conn.execute("select count(*) from observation").fetchone()[0] == 0
    res = runner.invoke(cli, ["ingest", str(good), "--format", "json"])
    assert res.exit_code == 0, res.output
    [s] = json.loads(res.stdout)
    assert (s["new"], s["ignored"], s["sha256"]) == (5, 2, hashlib.sha256(good.read_bytes()).hexdigest())
