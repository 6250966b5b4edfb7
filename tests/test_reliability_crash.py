"""Crash safety: an ingest killed with SIGKILL in the middle of writing leaves all of its file or none.

Two ways to kill, on SQLite and on a real PostgreSQL server:

* at a chosen point inside the write transaction (the ingest record written
  but no rows; old values superseded but new ones not inserted; every row
  inserted but not committed): the ingest runs in a child process with a
  SQLAlchemy event listener that pauses after that statement, and the test
  kills it there, so the kill is certainly mid-write;
* at random delays, with no instrumentation at all: the invariant is
  asserted after every kill, whatever the delay hit.

Afterwards the database holds either every row of the file or none of them,
nothing else changed, and running the same ingest again succeeds.
"""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from plancheck.data.store import file_sha256

pytestmark = pytest.mark.slow

COLUMNS = ("province", "plan", "item", "kind", "agency", "unit", "period", "due", "description", "value", "date")

#: Runs plancheck with a listener that pauses (forever, until killed) right after the first
#: statement starting with PLANCHECK_TEST_PAUSE_AT, having written PLANCHECK_TEST_MARKER.
PAUSING_PLANCHECK = r"""
import os, sys, time
from sqlalchemy import event
from sqlalchemy.engine import Engine

point = os.environ["PLANCHECK_TEST_PAUSE_AT"].lower()
marker = os.environ["PLANCHECK_TEST_MARKER"]

@event.listens_for(Engine, "after_cursor_execute")
def pause(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().lower().startswith(point):
        with open(marker, "w") as fh:
            fh.write(statement[:60])
        time.sleep(3600)

from plancheck.cli import main
main()
"""


@cache
def valid_rows() -> tuple[dict[str, str], ...]:
    """Every datum the installed plans accept: each measure for every unit of its level and
    every period from the baseline year to the plan's end, every task and obligation."""
    from plancheck.plans.calendar import Period, periods_in
    from plancheck.plans.planfile import load_plan
    from plancheck.plans.plugins import load_registry
    from plancheck.plans.schedule import obligation_occurrences, obligation_parties, plan_year_period, task_due

    _, registry = load_registry()
    out = []
    for srcs in registry.provinces().values():
        for src in srcs:
            plan = load_plan(src.path)
            base = {"province": plan.province, "plan": plan.id}
            start = Period.of("yearly", plan.period.start.year).previous().start
            for m in plan.measures:
                if m.derived:
                    continue
                for u in plan.units:
                    if u.level == m.level:
                        for p in periods_in(start, plan.period.end, m.period_type):
                            out.append({**base, "item": m.id, "kind": "measure", "unit": u.id, "period": p.id})
            for t in plan.tasks:
                for a in t.agencies:
                    period = plan_year_period(plan, task_due(plan, t))
                    out.append({**base, "item": t.id, "kind": "task", "agency": a, "period": period,
                                "day": max(plan.period.start, Period.parse(period).start)})
            for ob in plan.obligations:
                for occ in obligation_occurrences(plan, ob):
                    # sent once the period began (or by its due date, when the plan sets that earlier)
                    day = max(plan.period.start, min(Period.parse(occ.period).start, occ.due or date.max))
                    for a, u in obligation_parties(plan, ob.agencies, ob.per_unit):
                        out.append({**base, "item": ob.id, "kind": "obligation", "agency": a, "unit": u,
                                    "period": occ.period, "day": day})
    return tuple(out)


def big_form(path: Path, version: int = 0, rows: tuple[dict, ...] | None = None) -> Path:
    """A valid filled form with every datum of every plan; ``version`` changes every value and date."""
    from datetime import timedelta

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, COLUMNS, restval="", extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows if rows is not None else valid_rows():
            if r["kind"] == "measure":
                w.writerow({**r, "value": str(version)})
            else:
                w.writerow({**r, "date": (r["day"] + timedelta(days=version)).isoformat()})
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, isolated_db):
    if request.param == "sqlite":
        return isolated_db
    return request.getfixturevalue("postgres_url")


def db_state(url: str, sha: str | None = None) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            def one(sql, **kw):
                return c.execute(text(sql), kw).scalar()

            if not one("select count(*) from plancheck_schema"):
                return {"rows": 0, "current": 0, "keys": 0, "from_file": 0, "ingests": 0, "files": 0}
            state = {
                "rows": one("select count(*) from observation"),
                "current": one("select count(*) from observation where superseded_at is null"),
                "keys": one("select count(*) from (select distinct province, plan, item, agency, unit, period "
                            "from observation where superseded_at is null) k"),
                "files": one("select count(distinct source_sha256) from observation where superseded_at is null"),
                "from_file": one("select count(*) from observation where source_sha256 = :s", s=sha),
                "ingests": one("select count(*) from ingest where sha256 = :s", s=sha),
            }
            if url.startswith("sqlite"):
                assert c.exec_driver_sql("pragma integrity_check").scalar() == "ok"
            return state
    except Exception as exc:  # no database file or no tables yet: nothing was written
        if "no such table" in str(exc) or "does not exist" in str(exc):
            return {"rows": 0, "current": 0, "keys": 0, "from_file": 0, "ingests": 0, "files": 0}
        raise
    finally:
        engine.dispose()


def plancheck(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plancheck", "--db", url, *args], capture_output=True,
                          text=True, timeout=300)


def kill_at(url: str, form: Path, point: str, tmp_path: Path) -> None:
    """Start an ingest of ``form``, wait until it has executed ``point``, SIGKILL it."""
    marker = tmp_path / f"paused-{point.replace(' ', '_')}"
    marker.unlink(missing_ok=True)
    env = {**os.environ, "PLANCHECK_TEST_PAUSE_AT": point, "PLANCHECK_TEST_MARKER": str(marker)}
    proc = subprocess.Popen([sys.executable, "-c", PAUSING_PLANCHECK, "--db", url, "ingest", str(form)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while not marker.exists():
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"ingest ended (exit {proc.returncode}) before reaching {point!r}:\n{err}")
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


@pytest.mark.parametrize("point", ["insert into ingest", "insert into observation"])
def test_a_first_ingest_killed_mid_write_leaves_nothing_and_a_rerun_takes_it_all(tmp_path, db_url, point):
    form = big_form(tmp_path / "all.csv")
    n, sha = len(valid_rows()), file_sha256(form.read_bytes())
    assert n > 2000
    kill_at(db_url, form, point, tmp_path)
    state = db_state(db_url, sha)
    assert (state["rows"], state["from_file"], state["ingests"]) == (0, 0, 0)
    res = plancheck(db_url, "ingest", str(form))
    assert res.returncode == 0, res.stderr
    state = db_state(db_url, sha)
    assert (state["from_file"], state["current"], state["keys"], state["rows"], state["ingests"]) == (n, n, n, n, 1)


@pytest.mark.parametrize("point", ["update observation", "insert into observation"])
def test_a_correction_killed_mid_write_leaves_the_old_values_current(tmp_path, db_url, point):
    first, second = big_form(tmp_path / "v1.csv", 1), big_form(tmp_path / "v2.csv", 2)
    n = len(valid_rows())
    assert plancheck(db_url, "ingest", str(first)).returncode == 0
    sha1, sha2 = file_sha256(first.read_bytes()), file_sha256(second.read_bytes())
    kill_at(db_url, second, point, tmp_path)
    assert db_state(db_url, sha2)["from_file"] == 0
    state = db_state(db_url, sha1)
    assert (state["current"], state["from_file"], state["rows"], state["files"]) == (n, n, n, 1)
    res = plancheck(db_url, "ingest", str(second), "--format", "json")
    assert res.returncode == 0, res.stderr
    state = db_state(db_url, sha2)
    assert (state["current"], state["keys"], state["from_file"], state["rows"], state["files"]) == (n, n, n, 2 * n, 1)


def test_ingests_killed_at_random_moments_leave_whole_files(tmp_path, db_url):
    """No instrumentation: kill after a random delay, several times, and check every time."""
    n = len(valid_rows())
    seed = random.randrange(2**32)
    rnd = random.Random(seed)
    started = time.monotonic()
    res = plancheck(db_url, "ingest", str(big_form(tmp_path / "v0.csv", 0)))
    assert res.returncode == 0, res.stderr
    span = time.monotonic() - started  # how long a whole ingest takes here, start-up included
    for attempt in range(1, 4):
        form = big_form(tmp_path / f"v{attempt}.csv", attempt)
        sha = file_sha256(form.read_bytes())
        proc = subprocess.Popen([sys.executable, "-m", "plancheck", "--db", db_url, "ingest", str(form)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(rnd.uniform(0.3, 1.1) * span)
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode in (0, -signal.SIGKILL), err
        state = db_state(db_url, sha)
        context = f"seed {seed}, attempt {attempt}, exit {proc.returncode}: {state}"
        assert state["from_file"] in (0, n), context
        assert state["ingests"] == (1 if state["from_file"] else 0), context
        # every current value comes from one whole file: this one, or one before it
        assert state["current"] == state["keys"] == n and state["files"] == 1, context
    res = plancheck(db_url, "ingest", str(form), "--format", "json")  # the rerun of the last one
    assert res.returncode == 0, res.stderr
    after = db_state(db_url, sha)
    assert (after["from_file"], after["current"], after["files"]) == (n, n, 1)
