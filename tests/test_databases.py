"""The same code on SQLite and on a real PostgreSQL server started by the tests."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from importlib.resources import files

import pytest
from sqlalchemy import create_engine, text

from plancheck.cli import cli

EXAMPLE = files("plancheck_hung_yen") / "example" / "observations.csv"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, isolated_db):
    if request.param == "sqlite":
        return isolated_db
    return request.getfixturevalue("postgres_url")


def filled_rows():
    with EXAMPLE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r for r in rows if r["value"] or r["date"]]


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def current_rows(url):
    engine = create_engine(url)
    with engine.connect() as conn:
        total = conn.execute(text("select count(*) from observation where superseded_at is null")).scalar()
        keys = conn.execute(text(
            "select count(*) from (select distinct province, plan, item, agency, unit, period "
            "from observation where superseded_at is null) k")).scalar()
        every = conn.execute(text("select count(*) from observation")).scalar()
    engine.dispose()
    return total, keys, every


def test_ingest_correct_history_and_run(runner, tmp_path, db_url):
    rows = filled_rows()
    f = tmp_path / "all.csv"
    write_csv(f, rows)
    res = runner.invoke(cli, ["--db", db_url, "ingest", str(f), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["new"] == len(rows)
    # a correction of one commune's hotspot count (Hải Triều fails II.1.1 in the example)
    fix = [dict(r) for r in rows if r["item"] == "hotspots" and r["unit"] == "tien_lu.hai_trieu"]
    fix[0]["value"] = "0"
    f2 = tmp_path / "fix.csv"
    write_csv(f2, fix)
    res = runner.invoke(cli, ["--db", db_url, "ingest", str(f2), "--format", "json"])
    assert json.loads(res.stdout)[0]["updated"] == 1
    total, keys, every = current_rows(db_url)
    assert (total, keys, every) == (len(rows), len(rows), len(rows) + 1)
    hist = json.loads(runner.invoke(cli, ["--db", db_url, "history", "--province", "hung_yen",
                                          "--item", "hotspots", "--format", "json"]).stdout)
    hai_trieu = [(h["value"], h["current"]) for h in hist if h["unit"] == "tien_lu.hai_trieu"]
    assert hai_trieu == [(1.0, False), (0.0, True)]
    res = runner.invoke(cli, ["--db", db_url, "run", "--province", "hung_yen", "--format", "json"])
    assert res.exit_code == 1
    out = json.loads(res.stdout)
    f53 = next(f for f in out["findings"] if f["item"] == "drug_free_53_of_161")
    assert f53["actual"] == 45  # 44 in the example, plus Hải Triều after the correction


def test_password_is_never_printed(runner, tmp_path):
    url = "postgresql+psycopg://officer:s3cret-pw@127.0.0.1:1/nowhere"
    res = runner.invoke(cli, ["--db", url, "run", "--province", "hung_yen"])
    assert res.exit_code == 2
    assert "database postgresql+psycopg://officer:***@127.0.0.1:1/nowhere: cannot open" in res.stderr
    assert "s3cret-pw" not in res.output


@pytest.mark.slow
def test_four_concurrent_ingests_lose_nothing_and_duplicate_nothing(tmp_path, db_url):
    rows = filled_rows()
    files_ = []
    for i in range(4):
        part = rows[i::4]
        f = tmp_path / f"part{i}.csv"
        write_csv(f, part)
        files_.append(f)
    procs = [subprocess.Popen([sys.executable, "-m", "plancheck", "--db", db_url, "ingest", str(f),
                               "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for f in files_]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "database is locked" not in err
    assert sum(json.loads(out)[0]["new"] for out, _ in outs) == len(rows)
    total, keys, every = current_rows(db_url)
    assert total == keys == every == len(rows)
