"""scripts/fuzz.py runs, finds crashes, and the crashes it found stay fixed.

The long run (an hour, say) is for a person or a nightly job; here it runs
at a tiny fixed budget, so it cannot rot, and on an input known to crash, so
it is known to catch one.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
import zipfile
from functools import cache

import pytest

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE, ROOT
from plancheck.cli import cli

FUZZ = ROOT / "scripts" / "fuzz.py"
HY = "hung_yen-2024-xa-khong-ma-tuy"


@cache
def fuzz_module():
    spec = importlib.util.spec_from_file_location("plancheck_fuzz", FUZZ)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_fuzzer_runs_every_target_at_a_tiny_budget():
    res = subprocess.run([sys.executable, str(FUZZ), "--examples", "6", "--seed", "20240312"],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    targets = sorted(fuzz_module().TARGETS)
    assert len(targets) == 12
    assert f"no crash in {6 * len(targets)} inputs ({', '.join(f'{t} 6' for t in targets)})" in res.stderr


# -- issue 21: a target per class of defect, each keeping its invariant under hypothesis -----------------

#: The class of issue 21 each target generates.
CLASS_TARGETS = {"misfile": 1, "values": 2, "plan": 2, "conflicts": 3, "cli": 5, "unicode": 8, "workbook": 1,
                 "cache": 9, "waivers": 10, "formulas": 11}
EXAMPLES = 300 if os.environ.get("PLANCHECK_HYPOTHESIS") == "long" else 40


@pytest.fixture(scope="module")
def corpus():
    return fuzz_module().Corpus()


@pytest.mark.parametrize("target", sorted(CLASS_TARGETS))
def test_each_class_of_defect_is_generated_and_its_invariant_kept(corpus, target):
    """Refused (an InputError: exit 2) or taken exactly as meant; never a crash (exit 3), never a
    silent misfiling; and the generator makes inputs of both kinds, so the invariant is tested."""
    crash = fuzz_module().run_target(corpus, target, EXAMPLES, seed_value=20240312 + CLASS_TARGETS[target])
    assert crash is None, f"{crash[0]}: {crash[1][:500]!r}\n{crash[2]}"
    outcomes = corpus.outcomes[target]
    assert outcomes.get("taken", 0) > 0, outcomes
    if target != "formulas":  # the form writer refuses nothing: it escapes
        assert outcomes.get("refused", 0) > 0, outcomes


def test_the_invariants_catch_what_they_are_for(corpus, monkeypatch):
    """With the old reader (a quote spanning rows accepted), the misfile target reports it."""
    import plancheck.data.forms as forms

    mod = fuzz_module()
    monkeypatch.setattr(forms, "_csv_rows", lambda name, reader, header, problems: (
        (i, cells) for i, cells in enumerate(reader, start=2)))
    crash = mod.run_target(corpus, "misfile", 60, seed_value=5)
    assert crash is not None and "Broken" in crash[2]


def test_the_fuzzer_takes_a_time_budget():
    res = subprocess.run([sys.executable, str(FUZZ), "--seconds", "1", "--target", "csv", "--batch", "5"],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    assert "fuzz: no crash in" in res.stderr and "; seed " in res.stderr


def test_the_fuzzer_reports_a_crash_and_saves_the_input(tmp_path, monkeypatch):
    mod = fuzz_module()

    def crashing(corpus, name, raw):
        if b"hung_yen" in raw:
            raise RuntimeError("a crash the contract does not allow")

    monkeypatch.setattr(mod, "check_form", crashing)
    code = mod.main(["--examples", "5", "--target", "csv", "--seed", "1", "--crash-dir", str(tmp_path)])
    assert code == 1
    [saved] = tmp_path.glob("csv-1-*.csv")
    assert b"hung_yen" in saved.read_bytes()
    assert "RuntimeError: a crash the contract does not allow" in saved.with_suffix(".txt").read_text()


def test_the_toml_writer_round_trips_the_real_plans():
    import tomllib

    mod = fuzz_module()
    for path in ROOT.glob("plugins/*/plan.toml"):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        assert tomllib.loads(mod.toml_dumps(doc)) == doc, path


# -- crashes the fuzzer found, kept as regressions ---------------------------------------

def template(runner, tmp_path) -> bytes:
    path = tmp_path / "t.xlsx"
    assert runner.invoke(cli, ["template", "--province", "hung_yen", "--agency", "ubnd_kim_dong", "--format",
                               "xlsx", "-o", str(path)]).exit_code == 0
    return path.read_bytes()


def sheet_edit(raw: bytes, edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in src.namelist():
            data = src.read(n)
            z.writestr(n, edit(data) if n == "xl/worksheets/sheet2.xml" else data)
    return out.getvalue()


@pytest.mark.parametrize(("case", "message"), [
    # one byte short at the start: zipfile raised "ValueError: negative seek value -1"
    ("first_byte_gone", "damaged workbook"),
    # a cell reference openpyxl cannot parse: "ValueError: invalid literal for int()", a traceback
    ("bad_cell_reference", "cannot read row 2 of the workbook: ValueError"),
    # malformed XML in the middle of the sheet: openpyxl parses lazily, so this was an
    # xml.etree ParseError traceback halfway through the rows
    ("broken_xml", "not a well-formed workbook: xl/worksheets/sheet2.xml"),
])
def test_workbooks_that_used_to_crash_ingest(runner, tmp_path, isolated_db, case, message):
    raw = template(runner, tmp_path)
    if case == "first_byte_gone":
        raw = raw[1:]
    elif case == "bad_cell_reference":
        # row 2's first cell (the form's header block starts in column H, the ids A-G being hidden)
        raw = sheet_edit(raw, lambda s: s.replace(b'r="H2"', b'r="!!"', 1))
    else:
        raw = sheet_edit(raw, lambda s: s.replace(b'<row r="5"', b'<<row r="5"', 1))
    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(raw)
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.exit_code == 2
    assert message in res.stderr and "nothing was written" in res.stderr


def test_the_same_row_twice_in_a_workbook_is_one_observation(runner, tmp_path, isolated_db):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "form"
    ws.append(["province", "plan", "item", "kind", "agency", "unit", "period", "due", "description", "value",
               "date"])
    for _ in range(2):  # was an IntegrityError traceback from the unique current-value index
        ws.append(["hung_yen", HY, "district_bodies_total", "measure", "", "kim_dong", "2024", None, None, 5, None])
    path = tmp_path / "twice.xlsx"
    wb.save(path)
    res = runner.invoke(cli, ["ingest", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["new"] == 1


PLAN_WITH_DERIVED = MINIMAL_PLAN + '''
[[measures]]
id = "users"
name = "Người sử dụng"
name_en = "Users"
unit = "count"
level = "province"
period_type = "yearly"
source = "I.1"

[[measures]]
id = "users_counted"
name = "Người sử dụng được tính"
name_en = "Users counted"
unit = "count"
level = "province"
period_type = "yearly"
derived = true
inputs = ["users", "no_such_measure"]
source = "I.1"

[[targets]]
id = "no_users"
name = "Không còn người sử dụng"
name_en = "No users"
kind = "value"
measure = "users_counted"
comparator = "<="
threshold = 0
period = "2024"
source = "I.1"
'''

PLAN_WITH_EXCLUSIVE = MINIMAL_PLAN + '''
[[checks]]
id = "one_class"
name = "Một loại"
name_en = "One class"
source = "I.2"
exclusive = ["no_such_rule", "nor_this_one"]
'''


def test_a_derived_measure_with_an_unknown_input_is_a_plan_error(runner, install_plugin):
    """Found by scripts/fuzz.py: such a plan loaded, then the form raised KeyError."""
    install_plugin("plancheck_test_inputs", PLUGIN_SOURCE, {"plan.toml": PLAN_WITH_DERIVED},
                   entry_point="test_province")
    res = runner.invoke(cli, ["template", "--province", "test_province"])
    assert res.exit_code == 2 and "no_such_measure" in res.stderr


def test_a_check_naming_unknown_rules_is_a_plan_error(runner, install_plugin):
    """Found by scripts/fuzz.py: such a plan loaded, then the evaluation raised KeyError."""
    install_plugin("plancheck_test_checks", PLUGIN_SOURCE, {"plan.toml": PLAN_WITH_EXCLUSIVE},
                   entry_point="test_province")
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2025-01-01"])
    assert res.exit_code == 2 and "no_such_rule" in res.stderr
