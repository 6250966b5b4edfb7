"""Concurrency: eight ingests and two reports at once, on one SQLite file and on PostgreSQL.

No "database is locked" (or any other failure) reaches the user, every row
arrives exactly once, and each report is valid JSON describing one
consistent state (its summary counts its findings).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text
from test_reliability_crash import big_form, valid_rows

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
