"""Plugin isolation: a broken province plugin is reported, and every other province carries on.

Broken in every way a plugin can be short of hanging (hangs: see the plugin
timeout tests): raising on import, failing to import a dependency, a syntax
error, exiting the interpreter at import, raising in register_plans or in
derive_values, registering a missing file, a plan that is not TOML or has
unknown keys. For each: ``plancheck provinces`` names it as failed with the
reason and still lists the four built-in provinces; ``plancheck run`` for it
exits 2 with the reason; the other provinces still run, ingest and compare.
Plugins are installed for real (``install_plugin`` in conftest.py).
"""

from __future__ import annotations

import json

import pytest

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.cli import cli

BUILT_IN = {"hung_yen", "ninh_binh", "tien_giang", "vinh_long"}
HY = "hung_yen-2024-xa-khong-ma-tuy"

#: (name, module source, files, what the reason must say) — the plugin is installed as
#: plancheck_test_<name> with the entry point test_province
BROKEN_AT_LOAD = {
    "raises": ("raise RuntimeError('boom at import')\n", None, "RuntimeError: boom at import"),
    "missing_dependency": ("import plancheck_no_such_dependency\n", None,
                           "No module named 'plancheck_no_such_dependency'"),
    "syntax_error": ("def register_plans(:\n", None, "SyntaxError"),
    "register_raises": (PLUGIN_SOURCE.replace("    register(", "    raise KeyError('no plan today')\n    register("),
                        {"plan.toml": MINIMAL_PLAN}, "KeyError: 'no plan today'"),
    "exits": ("import sys\nsys.exit('cannot start without the provincial VPN')\n", None,
              "cannot start without the provincial VPN"),
}

#: plans that a plugin registers fine but that cannot be read
BROKEN_PLANS = {
    "not_toml": ("id = 'test-2024\nprovince = ", "not valid TOML"),
    "unknown_keys": (MINIMAL_PLAN.replace('source = "III.1.2"', 'source = "III.1.2"\nowner = "nobody"'),
                     "unknown keys: owner @ $.tasks[0]"),
    "not_utf8": (MINIMAL_PLAN.replace("Tỉnh Thử", "T\udcecnh Th\udcec"), "not UTF-8"),
}


def provinces_json(runner) -> dict:
    res = runner.invoke(cli, ["provinces", "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def others_still_work(runner, tmp_path) -> None:
    """The four built-in provinces are listed, run, ingest and compare as if nothing were wrong."""
    data = provinces_json(runner)
    assert {p["province"] for p in data["provinces"]} >= BUILT_IN
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--example", "--format", "json"])
    assert res.exit_code == 1, res.output  # the example has targets not met
    assert json.loads(res.stdout)["summary"]["not_met"] > 0
    form = tmp_path / "form.csv"
    form.write_text("province,plan,item,kind,agency,unit,period,due,description,value,date\n"
                    f"hung_yen,{HY},hotspots,measure,,kim_dong.nhan_la,2024,,,0,\n", encoding="utf-8")
    res = runner.invoke(cli, ["ingest", str(form), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["new"] == 1
    res = runner.invoke(cli, ["compare", "--example", "--format", "json"])
    assert res.exit_code in (0, 1), res.output


@pytest.mark.parametrize("kind", sorted(BROKEN_AT_LOAD))
def test_a_plugin_that_fails_to_load_is_listed_as_failed_and_breaks_nothing(runner, install_plugin, tmp_path,
                                                                             kind):
    source, files, reason = BROKEN_AT_LOAD[kind]
    install_plugin(f"plancheck_test_{kind}", source, files, entry_point="test_province")
    data = provinces_json(runner)
    [failed] = [f for f in data["failed"] if f["plugin"] == "test_province"]
    assert reason in failed["reason"]
    assert failed["distribution"] == f"plancheck_test_{kind}"
    table = runner.invoke(cli, ["provinces"])
    assert table.exit_code == 0 and "FAILED" in table.stdout and "hung_yen" in table.stdout
    res = runner.invoke(cli, ["run", "--province", "test_province"])
    assert res.exit_code == 2
    assert "plugin failed to load" in res.stderr and reason in res.stderr
    others_still_work(runner, tmp_path)


@pytest.mark.parametrize("kind", sorted(BROKEN_PLANS))
def test_a_plugin_with_an_unreadable_plan_fails_alone(runner, install_plugin, tmp_path, kind):
    text, reason = BROKEN_PLANS[kind]
    site = install_plugin(f"plancheck_test_{kind}", PLUGIN_SOURCE, {}, entry_point="test_province")
    (site / f"plancheck_test_{kind}" / "plan.toml").write_bytes(text.encode("utf-8", "surrogateescape"))
    res = runner.invoke(cli, ["run", "--province", "test_province"])
    assert res.exit_code == 2
    assert "plan.toml" in res.stderr and reason in res.stderr and "Traceback" not in res.output
    res = runner.invoke(cli, ["plan", "show", "--province", "test_province"])
    assert res.exit_code == 2 and reason in res.stderr
    compared = json.loads(runner.invoke(cli, ["compare", "--example", "--format", "json"]).stdout)
    assert reason in json.dumps(compared, ensure_ascii=False)
    others_still_work(runner, tmp_path)


@pytest.mark.parametrize("kind", sorted(BROKEN_PLANS))
def test_provinces_shows_a_plugin_with_an_unreadable_plan_as_failed(runner, install_plugin, kind):
    text, reason = BROKEN_PLANS[kind]
    site = install_plugin(f"plancheck_test_{kind}", PLUGIN_SOURCE, {}, entry_point="test_province")
    (site / f"plancheck_test_{kind}" / "plan.toml").write_bytes(text.encode("utf-8", "surrogateescape"))
    data = provinces_json(runner)
    assert {p["province"] for p in data["provinces"]} >= BUILT_IN
    assert any(f["plugin"] == "test_province" and reason in f["reason"] for f in data["failed"])


def test_a_plugin_registering_a_missing_plan_file_fails_alone(runner, install_plugin, tmp_path):
    install_plugin("plancheck_test_missing", PLUGIN_SOURCE.replace('"plan.toml"', '"no_such_plan.toml"'), {},
                   entry_point="test_province")
    res = runner.invoke(cli, ["run", "--province", "test_province"])
    assert res.exit_code == 2 and "no_such_plan.toml: file not found" in res.stderr
    others_still_work(runner, tmp_path)


DERIVE_RAISES = PLUGIN_SOURCE + '''

@hookimpl
def derive_values(plan, values):
    if plan.province != "test_province":
        return None
    raise ZeroDivisionError("division by zero in the province's own formula")
'''

DERIVE_RAISES_FOR_EVERY_PLAN = PLUGIN_SOURCE + '''

@hookimpl
def derive_values(plan, values):
    raise ZeroDivisionError("division by zero in the province's own formula")
'''

PLAN_WITH_A_MEASURE = MINIMAL_PLAN + '''
[[measures]]
id = "users"
name = "Người sử dụng"
name_en = "Users"
unit = "count"
level = "province"
period_type = "yearly"
source = "I.1"
'''


def test_a_plugin_whose_derive_values_raises_fails_its_own_run_only(runner, install_plugin, tmp_path):
    install_plugin("plancheck_test_derive", DERIVE_RAISES, {"plan.toml": PLAN_WITH_A_MEASURE},
                   entry_point="test_province")
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2025-01-01"])
    assert res.exit_code == 2
    assert "derive_values failed" in res.stderr and "division by zero in the province's own formula" in res.stderr
    others_still_work(runner, tmp_path)


def test_a_derive_values_that_raises_for_every_plan_does_not_stop_other_provinces(runner, install_plugin,
                                                                                   tmp_path):
    install_plugin("plancheck_test_derive_all", DERIVE_RAISES_FOR_EVERY_PLAN, {"plan.toml": PLAN_WITH_A_MEASURE},
                   entry_point="test_province")
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--example"])
    assert res.exit_code == 1, res.output


DERIVES_NAN = PLUGIN_SOURCE + '''

@hookimpl
def derive_values(plan, values):
    if plan.province != "test_province":
        return None
    return {("share", "test_province", "2024"): VALUE}
'''

PLAN_WITH_A_DERIVED_MEASURE = PLAN_WITH_A_MEASURE + '''
[[measures]]
id = "share"
name = "Tỷ lệ"
name_en = "Share"
unit = "percent"
level = "province"
period_type = "yearly"
derived = true
source = "I.1"

[[targets]]
id = "share_80"
name = "Tỷ lệ trên 80%"
name_en = "Share over 80%"
kind = "value"
measure = "share"
comparator = ">="
threshold = 80
scope = "province"
period = "2024"
deadline = "năm 2024"
source = "I.1"
'''


@pytest.mark.parametrize("value", ["float('nan')", "float('inf')", "'a lot'"])
def test_a_derived_value_that_is_not_a_number_refuses_the_run_and_names_it(runner, install_plugin, tmp_path, value):
    """A NaN from a plugin's formula would be judged 'not met' without a word (every comparison with it
    is false): the run is refused with the measure, unit and period, in both paths (run and compare)."""
    install_plugin("plancheck_test_nan", DERIVES_NAN.replace("VALUE", value),
                   {"plan.toml": PLAN_WITH_A_DERIVED_MEASURE}, entry_point="test_province")
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2025-03-01"])
    assert res.exit_code == 2, res.output
    assert "plugin derived 'share' = " in res.stderr and "for test_province 2024" in res.stderr
    assert "not a finite number" in res.stderr and "Traceback" not in res.stderr
    compared = runner.invoke(cli, ["compare", "--example", "--province", "test_province", "--province", "hung_yen",
                                   "--as-of", "2025-03-01", "--format", "json"])
    assert "not a finite number" in compared.output, compared.output
    others_still_work(runner, tmp_path)


def test_a_derive_values_of_the_wrong_shape_is_the_plugins_error_not_a_bug(runner, install_plugin, tmp_path):
    """The hook returns a mapping; a list from the province's own plugin refuses its run (exit 2) with
    what it returned, not plancheck's 'a bug' (exit 3)."""
    wrong = DERIVES_NAN.replace("return {(\"share\", \"test_province\", \"2024\"): VALUE}",
                                "return [{(\"share\", \"test_province\", \"2024\"): 1.0}]")
    assert wrong != DERIVES_NAN
    install_plugin("plancheck_test_shape", wrong, {"plan.toml": PLAN_WITH_A_DERIVED_MEASURE},
                   entry_point="test_province")
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2025-03-01"])
    assert res.exit_code == 2, res.output
    assert "a plugin's derive_values failed: TypeError: returned a list, not a mapping" in res.stderr
    assert "a bug" not in res.stderr
    others_still_work(runner, tmp_path)
