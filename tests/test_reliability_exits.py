"""Issue 21, classes 5 and 7: every failure a user can cause is one clear message and exit 2; a bug
exits 3 with its traceback, never 1 (which reads as "something not met"); storage in memory is
refused for commands that write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_reliability_misfiling import assert_refused, blank, csv_text, filled, pick

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.cli import cli

# -- output that cannot be written -------------------------------------------------------------------

WRITERS = [
    ["run", "--province", "hung_yen", "--example", "--format", "html", "-o", "OUT"],
    ["run", "--province", "hung_yen", "--example", "--format", "json", "-o", "OUT"],
    ["run", "--province", "hung_yen", "--example", "--format", "docx", "-o", "OUT"],
    ["template", "--province", "hung_yen", "--format", "xlsx", "-o", "OUT"],
    ["template", "--province", "hung_yen", "-o", "OUT"],
    ["compare", "--example", "--format", "csv", "-o", "OUT"],
]


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: " ".join(c[:4]))
def test_an_output_into_a_missing_directory_is_exit_2_in_one_line(runner, tmp_path, command):
    target = tmp_path / "no" / "such" / "dir" / "out"
    args = [str(target) if a == "OUT" else a for a in command]
    res = runner.invoke(cli, args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    [line] = res.stderr.strip().splitlines()[-1:]
    assert "No such file or directory" in line or "Not a directory" in line, res.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="a full disk needs /dev/full (Linux)")
@pytest.mark.parametrize("command", [["plan", "show", "--province", "hung_yen"],
                                     ["run", "--province", "hung_yen", "--example", "--format", "json"]])
@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_full_disk_is_exit_2(command, unbuffered):
    # Buffered (as a user's shell has it) and not (as some CI machines set PYTHONUNBUFFERED): buffered,
    # what is left to write fails again when the process ends, and Python's own exit said 120.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | (
        {"PYTHONUNBUFFERED": unbuffered} if unbuffered else {})
    with open("/dev/full", "w") as full:
        res = subprocess.run([sys.executable, "-m", "plancheck", *command], stdout=full, stderr=subprocess.PIPE,
                             text=True, timeout=120, env=env)
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip().endswith("No space left on device; check the path and the free space")
    assert res.stderr.count("No space left on device") == 1, res.stderr  # said once
    assert "Traceback" not in res.stderr and "Exception ignored" not in res.stderr


@pytest.mark.parametrize("command", [["plan", "show", "--province", "hung_yen", "--format", "json"],
                                     ["run", "--province", "hung_yen", "--example", "--format", "json"],
                                     ["template", "--province", "hung_yen"]])
def test_a_closed_pipe_is_exit_2(command):
    read, write = os.pipe()
    os.close(read)  # `plancheck ... | head -0`: nobody reads
    try:
        res = subprocess.run([sys.executable, "-m", "plancheck", *command], stdout=write, stderr=subprocess.PIPE,
                             text=True, timeout=120)
    finally:
        os.close(write)
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip() == "the output was closed before plancheck finished writing (Broken pipe)"


# -- arguments and plans a user can get wrong --------------------------------------------------------

@pytest.mark.parametrize("run_id", ["99999999999999999999999", "-99999999999999999999999", "9223372036854775808"])
def test_a_run_id_out_of_any_range_is_no_saved_run(runner, run_id):
    res = runner.invoke(cli, ["diff", "--", run_id, "1"])
    assert (res.exit_code, res.stderr.strip()) == (2, f"no saved run {run_id}, 1")


@pytest.mark.parametrize("name", ['Tỉnh "Mẫu"', "Tỉnh\nMẫu", "Tỉnh \\ Mẫu", "Tỉnh\x07Mẫu", "Tỉnh\u2028Mẫu"])
def test_plugin_new_refuses_a_name_that_cannot_be_written_into_its_files(runner, tmp_path, name):
    res = runner.invoke(cli, ["plugin", "new", "my_province", "--name", name, "-o", str(tmp_path)])
    assert res.exit_code == 2 and "a province's name has no quote, backslash, line break" in res.stderr
    assert not (tmp_path / "plancheck-my-province").exists()


def test_plugin_new_takes_a_vietnamese_name(runner, tmp_path):
    res = runner.invoke(cli, ["plugin", "new", "my_province", "--name", "Tỉnh Mẫu (thử)", "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output


RULE_PLAN = MINIMAL_PLAN + '''
[[units]]
id = "xa_a"
name = "Xã A"
name_en = "Commune A"
level = "commune"
parent = "test_province"
source = "I"

[[measures]]
id = "hotspots"
name = "Số điểm nóng"
name_en = "Hotspots"
unit = "điểm"
level = "commune"
period_type = "yearly"
source = "II.1"

[[rules]]
id = "drug_free"
name = "Xã không ma túy"
name_en = "Drug-free commune"
level = "commune"
source = "II.1"
when = { measure = "hotspots", op = "<=", value = 0 }

[[targets]]
id = "all_drug_free"
name = "Mọi xã không ma túy"
name_en = "Every commune drug-free"
kind = "class_count"
rule = "drug_free"
comparator = ">="
threshold = 1
period = "2024"
source = "II.1"
'''


@pytest.mark.parametrize(("edit", "message"), [
    (('measure = "hotspots", op', 'measure = "hotspot", op'), "unknown measure 'hotspot' @ $.rules[0].when.measure"),
    (('id = "drug_free"', 'id = ""'), "id is empty @ $.rules[0].id"),
    (("source = \"preamble\"\n", "source = \"preamble\"\nx = " + "[" * 3000 + "]" * 3000 + "\n"),
     "nested too deeply"),
    (('name = "Mọi xã không ma túy"', 'name = "Mọi xã\\u0007 không ma túy"'), "control character U+0007"),
])
def test_plugin_check_lists_what_used_to_be_a_traceback(runner, tmp_path, edit, message):
    path = tmp_path / "plan.toml"
    text = RULE_PLAN.replace(*edit, 1)
    assert text != RULE_PLAN
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(cli, ["plugin", "check", str(path)])
    assert res.exit_code == 1, res.output  # problems found: listed, one per line
    assert message in res.output and "Traceback" not in res.output


def test_a_plan_name_with_a_control_character_never_reaches_the_word_and_excel_writers(runner, install_plugin,
                                                                                       tmp_path):
    plan = MINIMAL_PLAN.replace('name = "Ban hành tiêu chí"', 'name = "Ban hành\\u000b tiêu chí"')
    install_plugin("plancheck_test_ctrl", PLUGIN_SOURCE, {"plan.toml": plan}, entry_point="test_province")
    for fmt in ("docx", "xlsx"):
        res = runner.invoke(cli, ["run", "--province", "test_province", "--format", fmt, "-o",
                                  str(tmp_path / f"r.{fmt}")])
        assert res.exit_code == 2, res.output
        assert "holds the control character U+000B" in res.stderr and "Traceback" not in res.output


# -- a bug is exit 3, with its traceback ---------------------------------------------------------------

def test_a_bug_exits_3_with_its_traceback_never_1(runner, monkeypatch):
    from plancheck.publish import terminal

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("a bug in the renderer")

    monkeypatch.setattr(terminal, "report_text", broken)
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--example"])
    assert res.exit_code == 3
    assert "Traceback" in res.stderr and "ZeroDivisionError: a bug in the renderer" in res.stderr
    assert "plancheck: a bug (exit 3)" in res.stderr


def test_the_installed_command_exits_3_on_a_bug(tmp_path):
    # The console script and python -m go through the same guard.
    code = ("import plancheck.publish.text as t\n"
            "t.plan_text = lambda *a, **k: 1 / 0\n"
            "from plancheck.cli import main\nmain()\n")
    res = subprocess.run([sys.executable, "-c", code, "plan", "show", "--province", "hung_yen"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 3 and "ZeroDivisionError" in res.stderr


# -- storage that is not storage (class 7) -----------------------------------------------------------------

MEMORY = ["sqlite://", "sqlite:///:memory:", "sqlite+pysqlite:///:memory:", "sqlite:///file::memory:?uri=true",
          "sqlite:///file:x?mode=memory&uri=true"]


@pytest.mark.parametrize("url", MEMORY)
def test_an_in_memory_database_is_refused_for_an_ingest(runner, tmp_path, url):
    rows = blank(runner)
    path = tmp_path / "f.csv"
    path.write_text(csv_text([filled(pick(rows, item="bodies_total"), value="10")]), encoding="utf-8")
    res = runner.invoke(cli, ["--db", url, "ingest", str(path)])
    assert_refused(res, "is in memory: what is written there vanishes when the command ends")
    # a dry run writes nothing, so it may look at an empty database in memory
    assert runner.invoke(cli, ["--db", url, "ingest", str(path), "--dry-run"]).exit_code == 0


@pytest.mark.parametrize("url", MEMORY[:2])
def test_an_in_memory_database_is_refused_for_a_saved_run(runner, url):
    res = runner.invoke(cli, ["--db", url, "run", "--province", "hung_yen", "--example", "--save"])
    assert_refused(res, "is in memory")
