"""docs/reliability.md keeps its word: every test it cites exists, and verdicts are reproducible.

A verdict is a function of the stored data, the plan file and the as-of
date: the same three give the same findings, in another process, in another
database filled in another order; a saved run records the plan version and
the data state it came from, and neither changes when nothing was written.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys

from test_reliability_crash import big_form, valid_rows

from conftest import ROOT
from plancheck.cli import cli

DOC = ROOT / "docs" / "reliability.md"


def test_every_test_the_document_cites_exists():
    cited = set(re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", DOC.read_text(encoding="utf-8")))
    assert len(cited) >= 20
    missing = []
    for path, name in sorted(cited):
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        if name not in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}:
            missing.append(f"{path}::{name}")
    assert missing == []


def run_json(runner, url: str, as_of: str = "2025-01-15") -> dict:
    res = runner.invoke(cli, ["--db", url, "run", "--province", "hung_yen", "--as-of", as_of, "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


def test_the_same_data_plan_and_date_give_the_same_findings(runner, tmp_path):
    rows = [r for r in valid_rows() if r["province"] == "hung_yen"]
    parts = [big_form(tmp_path / f"part{i}.csv", 3, rows[i::3]) for i in range(3)]
    first, second = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    for url, order in ((first, parts), (second, parts[::-1])):
        for p in order:
            assert runner.invoke(cli, ["--db", url, "ingest", str(p)]).exit_code == 0
    a, b = run_json(runner, first), run_json(runner, second)
    assert a["findings"] and a == b
    # in a fresh interpreter too: nothing depends on process state or hash seeds
    res = subprocess.run([sys.executable, "-m", "plancheck", "--db", first, "run", "--province", "hung_yen",
                          "--as-of", "2025-01-15", "--format", "json"], capture_output=True, text=True,
                         env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert json.loads(res.stdout) == a


def test_a_saved_run_records_the_plan_version_and_data_state(runner, tmp_path, isolated_db):
    rows = [r for r in valid_rows() if r["province"] == "hung_yen"]
    form = big_form(tmp_path / "form.csv", 1, rows)
    assert runner.invoke(cli, ["ingest", str(form)]).exit_code == 0

    def saved():
        res = runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "2025-01-15", "--save",
                                  "--format", "json"])
        return json.loads(res.stdout)

    one = saved()
    assert runner.invoke(cli, ["ingest", str(form)]).exit_code == 0  # the same file again: nothing written
    two = saved()
    assert one["plan_version"] == two["plan_version"] and "sha256" in one["plan_version"]
    assert one["data_state"] == two["data_state"]
    assert one["findings"] == two["findings"]
    res = runner.invoke(cli, ["diff", str(one["run_id"]), str(two["run_id"]), "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["plan_changed"] is False and not d["newly_not_met"] and not d["changed"]
