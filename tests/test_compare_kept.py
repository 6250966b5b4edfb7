"""A comparison keeps each province's judged counts (issue 9) and never shows stale ones.

The data are those of test_compare (Vĩnh Long and Tiền Giang, figures from their plans' targets).
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from test_compare import TG, VL, by, form, ingested  # noqa: F401 (a fixture)

from plancheck.cli import cli
from plancheck.judge import assessment

# --jobs 1: judged here, where the test can see it (forked processes are tested below).
ARGS = ["compare", "--province", "vinh_long", "--province", "tien_giang", "--as-of", "2025-02-01",
        "--format", "json", "--jobs", "1"]


@pytest.fixture
def judged(monkeypatch):
    """The provinces a comparison actually judged (rather than read back)."""
    calls: list[str] = []
    real = assessment.count

    def counting(pm, province, *args, **kwargs):
        calls.append(province)
        return real(pm, province, *args, **kwargs)

    monkeypatch.setattr(assessment, "count", counting)
    return calls


def growth(doc, province):
    ind = {i["code"]: i for i in doc["indicators"]}
    return by(ind["crimes_detected_growth"]["provinces"], province=province)[0]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, isolated_db):
    """SQLite, and a real PostgreSQL server (set as PLANCHECK_DB before anything is ingested)."""
    return isolated_db if request.param == "sqlite" else request.getfixturevalue("postgres_url")


def kept_rows(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("select count(*) from assessment")).scalar_one()
    finally:
        engine.dispose()


def test_unchanged_provinces_are_read_back_changed_ones_judged_again(db_url, runner, ingested, judged,  # noqa: F811
                                                                     tmp_path):
    first = runner.invoke(cli, ARGS)
    assert first.exit_code == 0, first.output
    assert sorted(judged) == ["tien_giang", "vinh_long"]
    second = runner.invoke(cli, ARGS)
    assert second.stdout == first.stdout
    assert sorted(judged) == ["tien_giang", "vinh_long"]  # nothing judged the second time
    assert kept_rows(db_url) == 2

    # A correction for Tiền Giang: 2024 detections 103 → 106 (+6%, now above the plan's "tăng 5%").
    f = tmp_path / "correction.csv"
    f.write_text(form([["tien_giang", TG, "drug_crimes_detected", "measure", "", "tien_giang", "2024", "106", ""]]),
                 encoding="utf-8")
    assert runner.invoke(cli, ["ingest", str(f)]).exit_code == 0
    third = runner.invoke(cli, ARGS)
    assert judged[2:] == ["tien_giang"]
    tg = growth(json.loads(third.stdout), "tien_giang")
    assert (tg["actual"], tg["status"]) == (6.0, "met")
    assert growth(json.loads(third.stdout), "vinh_long") == growth(json.loads(first.stdout), "vinh_long")
    # What was read back is exactly what judging afresh gives.
    fresh = runner.invoke(cli, [*ARGS, "--fresh"])
    assert fresh.stdout == third.stdout
    assert judged[3:] == ["vinh_long", "tien_giang"]


def test_another_date_or_no_cache_judges_again(runner, ingested, judged, monkeypatch):  # noqa: F811
    runner.invoke(cli, ARGS)
    other = [a if a != "2025-02-01" else "2025-03-01" for a in ARGS]
    assert runner.invoke(cli, other).exit_code == 0
    assert len(judged) == 4
    monkeypatch.setenv("PLANCHECK_NO_CACHE", "1")
    runner.invoke(cli, ARGS)
    assert len(judged) == 6


def test_an_older_database_is_upgraded_in_place(runner, ingested, isolated_db):  # noqa: F811
    db = isolated_db.removeprefix("sqlite:///")
    with sqlite3.connect(db) as conn:  # what plancheck with schema 2 left: no assessment table
        conn.execute("drop table assessment")
        conn.execute("update plancheck_schema set version = 2")
    res = runner.invoke(cli, ARGS)
    assert res.exit_code == 0, res.output
    assert growth(json.loads(res.stdout), "vinh_long")["actual"] == 6.0  # the ingested data are still there
    with sqlite3.connect(db) as conn:
        assert conn.execute("select version from plancheck_schema").fetchone()[0] == 3
        assert conn.execute("select count(*) from assessment").fetchone()[0] == 2


def test_a_newer_database_is_refused(runner, ingested, isolated_db):  # noqa: F811
    db = isolated_db.removeprefix("sqlite:///")
    with sqlite3.connect(db) as conn:
        conn.execute("update plancheck_schema set version = 9")
    res = runner.invoke(cli, ARGS)
    assert res.exit_code == 2
    assert "newer plancheck (schema 9)" in res.output and "Traceback" not in res.output


def test_judging_in_several_processes_gives_the_same_comparison(db_url, runner, ingested, judged):  # noqa: F811
    alone = runner.invoke(cli, [*ARGS, "--fresh"])
    assert judged == ["vinh_long", "tien_giang"]
    together = runner.invoke(cli, [*ARGS[:-1], "2", "--fresh"])
    assert together.exit_code == alone.exit_code == 0, together.output
    assert judged == ["vinh_long", "tien_giang"]  # the second time, judged in two other processes
    assert together.stdout == alone.stdout
    assert growth(json.loads(together.stdout), "tien_giang")["actual"] == 3.0


def test_a_changed_plan_is_judged_again(runner, install_plugin, judged):
    from conftest import MINIMAL_PLAN, PLUGIN_SOURCE

    site = install_plugin("plancheck_test_kept", PLUGIN_SOURCE, {"plan.toml": MINIMAL_PLAN},
                          entry_point="test_province")
    args = ["compare", "--province", "test_province", "--as-of", "2024-06-30", "--format", "json", "--jobs", "1"]
    late = json.loads(runner.invoke(cli, args).stdout)
    assert json.loads(runner.invoke(cli, args).stdout) == late
    assert judged == ["test_province"]
    # The plan now gives the task until the end of the year: as of 30/6 it is no longer late.
    plan = site / "plancheck_test_kept" / "plan.toml"
    plan.write_text(MINIMAL_PLAN.replace("trong quý I/2024", "trong năm 2024"), encoding="utf-8")
    later = json.loads(runner.invoke(cli, args).stdout)
    assert judged == ["test_province", "test_province"]
    assert [c["items_due"] for c in late["coverage"]] == [1]
    assert [c["items_due"] for c in later["coverage"]] == [0]
