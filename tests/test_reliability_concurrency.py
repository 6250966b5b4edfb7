"""Concurrency: eight ingests and two reports at once, on one SQLite file and on PostgreSQL.

No "database is locked" (or any other failure) reaches the user, every row
arrives exactly once, and each report is valid JSON describing one
consistent state (its summary counts its findings). Readers never wait for a
writer (issue 21, class 4): with an ingest held inside its write transaction,
every reading command answers, from the last committed state.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text
from test_reliability_crash import PAUSING_PLANCHECK, big_form, plancheck, valid_rows

pytestmark = pytest.mark.slow

INGESTS = 8
REPORTS = 2


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, isolated_db):
    if request.param == "sqlite":
        return isolated_db
    return request.getfixturevalue("postgres_url")


def test_eight_ingests_and_two_reports_at_once(tmp_path, db_url):
    rows = valid_rows()
    hung_yen = [r for r in rows if r["province"] == "hung_yen"]
    assert len(hung_yen) > 500  # the reports below read a province being written
    parts = [big_form(tmp_path / f"part{i}.csv", 0, rows[i::INGESTS]) for i in range(INGESTS)]
    cmd = [sys.executable, "-m", "plancheck", "--db", db_url]
    # one fresh database: the first statements of all ten processes race to create the schema too
    procs = [subprocess.Popen([*cmd, "ingest", str(p), "--format", "json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for p in parts]
    procs += [subprocess.Popen([*cmd, "run", "--province", "hung_yen", "--as-of", "2025-01-15", "--format",
                                "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(REPORTS)]
    outs = [p.communicate(timeout=300) for p in procs]
    for _, err in outs:
        assert "locked" not in err.lower() and "Traceback" not in err, err
        assert "OperationalError" not in err and "IntegrityError" not in err, err
    new = 0
    for p, (out, err) in zip(procs[:INGESTS], outs[:INGESTS], strict=True):
        assert p.returncode == 0, err
        new += json.loads(out)[0]["new"]
    assert new == len(rows)
    for p, (out, err) in zip(procs[INGESTS:], outs[INGESTS:], strict=True):
        assert p.returncode in (0, 1), err
        report = json.loads(out)
        summary = report["summary"]
        assert summary["total"] == len(report["findings"])
        assert summary["total"] == sum(summary[s] for s in ("met", "not_met", "pending", "no_data"))
        assert (p.returncode == 1) == any(f["status"] == "not_met" for f in report["findings"])
    engine = create_engine(db_url)
    with engine.connect() as c:
        every = c.execute(text("select count(*) from observation")).scalar()
        current = c.execute(text("select count(*) from observation where superseded_at is null")).scalar()
        keys = c.execute(text("select count(*) from (select distinct province, plan, item, agency, unit, period "
                              "from observation) k")).scalar()
        ingests = c.execute(text("select count(*) from ingest")).scalar()
    engine.dispose()
    assert every == current == keys == len(rows)
    assert ingests == INGESTS


def test_readers_are_never_blocked_by_a_writer(tmp_path, db_url):
    """An ingest is held inside its write transaction (paused after its first rows are inserted);
    meanwhile history, run, compare, diff and a dry run all answer, and see the last committed data."""
    rows = [r for r in valid_rows() if r["province"] == "hung_yen"]
    first = big_form(tmp_path / "first.csv", 1, tuple(rows))
    assert plancheck(db_url, "ingest", str(first)).returncode == 0
    marker = tmp_path / "paused"
    env = {**os.environ, "PLANCHECK_TEST_PAUSE_AT": "insert into observation", "PLANCHECK_TEST_MARKER": str(marker)}
    second = big_form(tmp_path / "second.csv", 2, tuple(rows))  # a correction of every value
    writer = subprocess.Popen([sys.executable, "-c", PAUSING_PLANCHECK, "--db", db_url, "ingest", str(second)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            assert writer.poll() is None, writer.communicate()[1]
            assert time.monotonic() < deadline, "the writer never reached its write transaction"
            time.sleep(0.05)
        readers = {
            "history": (["history", "--province", "hung_yen", "--item", "hotspots", "--format", "json"], {0}),
            "run": (["run", "--province", "hung_yen", "--as-of", "2025-01-15", "--format", "json"], {0, 1}),
            "compare": (["compare", "--province", "hung_yen", "--as-of", "2025-01-15", "--format", "json"], {0}),
            "diff": (["diff", "1", "2"], {2}),  # no saved run: a clear answer, not a lock
            "dry run": (["ingest", str(second), "--dry-run", "--format", "json"], {0}),
        }
        for name, (args, codes) in readers.items():
            # A reader that waited for the lock would give up after the 30 s busy timeout, "locked".
            res = subprocess.run([sys.executable, "-m", "plancheck", "--db", db_url, *args], capture_output=True,
                                 text=True, timeout=120)
            assert res.returncode in codes, f"{name}: {res.stderr}"
            assert "locked" not in res.stderr.lower() and "Traceback" not in res.stderr, f"{name}: {res.stderr}"
            if name == "history":  # the paused correction is not visible: the first file's values are
                assert {h["value"] for h in json.loads(res.stdout)} == {1.0}
            if name == "dry run":
                assert json.loads(res.stdout)[0]["updated"] > 0
        assert writer.poll() is None  # the writer was held the whole time
    finally:
        writer.kill()
        writer.communicate()
