"""Issue 21, class 3: two files of one ingest that disagree on a datum are refused (the last used to win
silently), and ``--dry-run`` is the exact preview of the real run, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from test_reliability_misfiling import assert_refused, blank, csv_text, filled, pick, stored

from plancheck.cli import cli


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, isolated_db):
    if request.param == "sqlite":
        return isolated_db
    return request.getfixturevalue("postgres_url")


def write(tmp_path, name: str, rows: list[dict[str, str]]):
    path = tmp_path / name
    path.write_text(csv_text(rows), encoding="utf-8")
    return path


def run_ingest(runner, url: str, *paths, dry_run: bool = False):
    return runner.invoke(cli, ["--db", url, "ingest", *map(str, paths), "--format", "json",
                               *(["--dry-run"] if dry_run else [])])


def test_two_files_giving_different_values_for_one_datum_are_refused(runner, tmp_path, isolated_db):
    rows = blank(runner)
    total = pick(rows, item="bodies_total")
    a = write(tmp_path, "so_tu_phap.csv", [filled(total, value="1250")])
    b = write(tmp_path, "cong_an.csv", [filled(pick(rows, item="hotspots"), value="0"), filled(total, value="1251")])
    res = run_ingest(runner, isolated_db, a, b)
    assert_refused(res, "cong_an.csv, row 3: '1251': so_tu_phap.csv row 2 gives 1250 for the same datum: "
                   "the files disagree", "nothing was written", url=isolated_db)
    # one after the other, the second is a correction, kept in history
    assert run_ingest(runner, isolated_db, a).exit_code == 0
    assert json.loads(run_ingest(runner, isolated_db, b).stdout)[0]["updated"] == 1


def test_two_files_agreeing_on_a_datum_are_taken_once(runner, tmp_path, db_url):
    rows = blank(runner)
    total = filled(pick(rows, item="bodies_total"), value="1250")
    a = write(tmp_path, "a.csv", [total])
    b = write(tmp_path, "b.csv", [total, filled(pick(rows, item="bodies_drug_free"), value="1198")])
    res = run_ingest(runner, db_url, a, b)
    assert res.exit_code == 0, res.output
    assert [(s["file"], s["new"], s["unchanged"]) for s in json.loads(res.stdout)] == [("a.csv", 1, 0),
                                                                                        ("b.csv", 1, 1)]


def scenarios(runner, tmp_path) -> list[tuple[list, list]]:
    """(files ingested before, files of the previewed run), from Hưng Yên's own form."""
    rows = blank(runner)
    communes = [r for r in rows if r["item"] == "hotspots" and r["period"] == "2024"][:6]
    v = [filled(r, value=str(i % 3)) for i, r in enumerate(communes)]
    w = [filled(r, value=str(i % 3 + (i % 2))) for i, r in enumerate(communes)]  # some corrected
    task = next(r for r in rows if r["kind"] == "task")
    f = {name: write(tmp_path, f"{name}.csv", content) for name, content in {
        "first": v[:4], "second": v[2:], "corrected": w, "task": [filled(task, date="2024-03-01")],
        "again": v[:4]}.items()}
    return [
        ([], [f["first"]]),
        ([], [f["first"], f["second"]]),  # overlapping, agreeing
        ([f["first"]], [f["first"]]),  # the same file again: all unchanged
        ([f["first"]], [f["corrected"], f["task"]]),  # corrections and something new
        ([f["first"], f["task"]], [f["second"], f["again"], f["corrected"]]),  # corrections after a repeat
    ]


def test_the_dry_run_says_exactly_what_the_real_run_does(runner, tmp_path, db_url):
    for i, (before, files) in enumerate(scenarios(runner, tmp_path)):
        url = db_url if i == 0 else _fresh(runner, db_url, tmp_path, i)
        for path in before:
            assert run_ingest(runner, url, path).exit_code == 0
        dry = run_ingest(runner, url, *files, dry_run=True)
        if dry.exit_code == 2:  # the preview refuses what the real run refuses, with the same words
            real = run_ingest(runner, url, *files)
            assert (real.exit_code, real.stderr) == (2, dry.stderr)
            continue
        assert dry.exit_code == 0, dry.output
        preview = json.loads(dry.stdout)
        real = run_ingest(runner, url, *files)
        assert real.exit_code == 0, real.output
        done = json.loads(real.stdout)
        assert [{**s, "dry_run": True} for s in done] == preview, f"scenario {i}"


def test_the_dry_run_writes_nothing(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'never.db'}"
    rows = blank(runner)
    path = write(tmp_path, "a.csv", [filled(pick(rows, item="bodies_total"), value="10")])
    res = run_ingest(runner, url, path, dry_run=True)
    assert res.exit_code == 0 and json.loads(res.stdout)[0]["new"] == 1
    assert stored(url) == []


def _fresh(runner, url: str, tmp_path, i: int) -> str:
    """Another empty database of the same kind for scenario ``i``."""
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / f'scenario{i}.db'}"
    import uuid

    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"t_{uuid.uuid4().hex[:12]}"
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"
