"""plancheck plugin new and plancheck plugin check: the commands a province's developer uses.

Bad plans are written here, one mistake at a time, and the exact lines
``plugin check`` prints for them are asserted. Plugins are installed for real
(conftest's install_plugin), never mocked.
"""

from __future__ import annotations

import json
import textwrap
import tomllib

import pytest

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.authoring.scaffold import Names, skeleton
from plancheck.cli import cli
from plancheck.plans.plugins import load_registry

INSTALLED = sorted(load_registry()[1].provinces())

#: The conftest's minimal plan with a district and a commune under the province.
BASE = MINIMAL_PLAN.replace('id = "test-2024"', 'id = "t-2024"', 1).replace('\n[[tasks]]', '''
[[units]]
id = "huyen_a"
name = "Huyện A"
name_en = "District A"
level = "district"
parent = "test_province"
source = "I"

[[units]]
id = "huyen_a.xa_a"
name = "Xã A"
name_en = "Commune A"
level = "commune"
parent = "huyen_a"
source = "I"

[[tasks]]''', 1)


def measure(mid: str, level: str = "commune", period_type: str = "yearly", unit: str = "count",
            extra: str = "") -> str:
    return f'''
[[measures]]
id = "{mid}"
name = "{mid}"
name_en = "{mid}"
unit = "{unit}"
level = "{level}"
period_type = "{period_type}"
source = "II"
{extra}'''


def target(tid: str, body: str) -> str:
    return f'''
[[targets]]
id = "{tid}"
name = "{tid}"
name_en = "{tid}"
source = "I.2"
period = "2024"
{textwrap.dedent(body).strip()}
'''


def rule(rid: str, conditions: str, level: str = "commune") -> str:
    return f'''
[[rules]]
id = "{rid}"
name = "{rid}"
name_en = "{rid}"
level = "{level}"
source = "II.1"
{textwrap.dedent(conditions).strip()}
''' + target(f"count_{rid}", f'kind = "class_count"\nrule = "{rid}"\ncomparator = ">="\nthreshold = 1')


@pytest.fixture
def check(runner, tmp_path):
    """Write a plan file and run ``plancheck plugin check`` on it: (exit code, stdout lines, file)."""

    def run(text: str, *args: str):
        path = tmp_path / "plan.toml"
        path.write_text(text, encoding="utf-8")
        res = runner.invoke(cli, ["plugin", "check", str(path), *args])
        return res.exit_code, res.stdout.splitlines(), str(path), res

    return run


# -- the built-in plans ---------------------------------------------------------------

@pytest.mark.parametrize("province", ["hung_yen", "vinh_long"])
def test_built_in_plans_the_lead_relies_on_have_no_errors(runner, province):
    res = runner.invoke(cli, ["plugin", "check", province, "--format", "json"])
    out = json.loads(res.stdout)
    errors = [p for p in out["problems"] if p["severity"] == "error"]
    assert errors == []
    assert res.exit_code == 0
    assert out["files"] == [str(p.path) for p in load_registry()[1].provinces()[province]]


@pytest.mark.parametrize("province", [p for p in INSTALLED if p not in ("hung_yen", "vinh_long")])
def test_other_built_in_plans_have_no_errors(runner, province):
    res = runner.invoke(cli, ["plugin", "check", province])
    assert [line for line in res.stdout.splitlines() if ": warning: " not in line] == []
    assert res.exit_code == 0


def test_hung_yen_text_output_and_summary(runner):
    res = runner.invoke(cli, ["plugin", "check", "hung_yen"])
    warnings = res.stdout.splitlines()
    assert all(": warning: " in line and " @ $." in line for line in warnings)
    if warnings:
        plural = "s" if len(warnings) != 1 else ""
        assert res.stderr.strip() == f"0 errors, {len(warnings)} warning{plural} in 1 plan file"
    else:  # issue 16: the plugin is clean
        assert (res.exit_code, res.stderr.strip()) == (0, "ok: 1 plan file checked, no problems")


# -- each kind of problem -----------------------------------------------------------

def test_a_clean_plan_exits_0(check):
    code, lines, path, res = check(BASE)
    assert (code, lines) == (0, [])
    assert res.stderr.strip() == "ok: 1 plan file checked, no problems"


def test_structure_errors_are_listed_and_nothing_else(check):
    bad_target = target("t", 'kind = "value"\nmeasure = "nowhere"\ncomparator = ">="\nthreshold = "5"')
    code, lines, path, _ = check(BASE.replace('source = "III.1.2"', 'soruce = "III.1.2"') + bad_target)
    assert code == 1
    assert lines == [
        f"{path}: expected a number, got str '5' @ $.targets[0].threshold",
        f"{path}: required field missing @ $.tasks[0].source",
        f"{path}: unknown keys: soruce @ $.tasks[0]",
    ]


def test_undefined_unit_named_by_a_target_is_listed(check):
    text = BASE + measure("x") + target("t", '''
        kind = "value"
        measure = "x"
        comparator = "<="
        threshold = 0
        scope = "units"
        units = ["huyen_a.xa_a", "huyen_x.xa_b"]''')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [f"{path}: unknown unit 'huyen_x.xa_b' @ $.targets[0].units[1]"])


def test_target_whose_scope_has_no_units_can_never_be_fed(check):
    district = BASE[BASE.index('[[units]]\nid = "huyen_a"\n'):BASE.index('[[units]]\nid = "huyen_a.xa_a"')]
    text = BASE.replace(district, "").replace('parent = "huyen_a"', 'parent = "test_province"') \
        + measure("d", level="district") + target("each_district", '''
        kind = "value"
        measure = "d"
        comparator = "<="
        threshold = 0
        scope = "each_district"''')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [
        f"{path}: target 'each_district' can never be fed: its scope is each_district, but no unit "
        "of level 'district' is defined @ $.targets[0]",
        # and so its measure never reaches the form either
        f"{path}: warning: measure 'd' is not on the reporting form: no target asks for it "
        "(directly, through a rule, or as an input of a derived measure) @ $.measures[0]"])


def test_class_count_within_a_unit_with_nothing_under_it_can_never_be_fed(check):
    text = BASE + measure("x") + rule("r", '''
        [rules.when]
        measure = "x"
        op = "<="
        value = 0''').replace('threshold = 1', 'threshold = 1\nwithin = "test_province"\n') + '''
[[units]]
id = "other"
name = "Huyện Khác"
name_en = "Other district"
level = "district"
source = "I"
'''
    text = text.replace('within = "test_province"', 'within = "other"')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [
        f"{path}: target 'count_r' can never be fed: no unit of level 'commune' lies under 'other' "
        "@ $.targets[0]",
        f"{path}: warning: measure 'x' is not on the reporting form: no target asks for it "
        "(directly, through a rule, or as an input of a derived measure) @ $.measures[0]"])


def test_ratio_of_derived_measures_without_inputs_can_never_be_fed(check):
    text = BASE + measure("a", level="province", extra="derived = true") + measure("b", level="province") \
        + target("share", '''
        kind = "ratio"
        numerator = "a"
        denominator = "b"
        comparator = ">="
        threshold = 50''')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [
        f"{path}: target 'share' can never be fed: measure 'a' is derived but declares no inputs, so "
        "no form row asks for what it is computed from @ $.targets[0]"])


def test_yearly_target_on_a_quarterly_measure_can_never_be_fed(check):
    text = BASE + measure("q", level="province", period_type="quarterly") + target("yearly_q", '''
        kind = "value"
        measure = "q"
        comparator = ">="
        threshold = 1''')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [
        f"{path}: target 'yearly_q' can never be fed: ingest refuses every form row it needs, e.g. q "
        "for test_province 2024: period: '2024': q is reported per quarterly period @ $.targets[0]"])


def test_listed_units_at_another_level_than_the_measure_are_refused_by_ingest(check):
    text = BASE + measure("x") + target("t", '''
        kind = "value"
        measure = "x"
        comparator = "<="
        threshold = 0
        scope = "units"
        units = ["huyen_a.xa_a", "huyen_a"]''')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [
        f"{path}: target 't' can never be fully fed: ingest refuses 1 of the 2 form rows it needs, e.g. "
        "x for huyen_a 2024: unit: 'huyen_a': x is reported per commune, this unit is a district "
        "@ $.targets[0]"])


def test_empty_sources_are_listed(check):
    text = BASE.replace('source = "preamble"', 'source = " "').replace('source = "V.2"', 'source = ""')
    code, lines, path, _ = check(text)
    assert code == 1
    assert lines == [
        f"{path}: source is empty @ $.agencies[0].source",
        f"{path}: source is empty @ $.source",
    ]


def test_duplicate_ids_are_listed(check):
    text = BASE + '''
[[agencies]]
id = "cong_an_tinh"
name = "Công an tỉnh (lặp)"
name_en = "Provincial Police again"
level = "province"
source = "V.3"
''' + measure("x") + '''
[[checks]]
id = "c"
name = "c"
name_en = "c"
left = "x"
op = ">="
value = 0
source = "II"

[[checks]]
id = "c"
name = "c2"
name_en = "c2"
left = "x"
op = "<="
value = 100
source = "II"
'''
    code, lines, path, _ = check(text)
    assert code == 1
    assert lines == [
        f"{path}: duplicate id 'cong_an_tinh' @ $.agencies[0].id",
        f"{path}: duplicate id 'cong_an_tinh' @ $.agencies[1].id",
        f"{path}: duplicate id 'c' @ $.checks[0].id",
        f"{path}: duplicate id 'c' @ $.checks[1].id",
        f"{path}: warning: measure 'x' is not on the reporting form: no target asks for it (directly, "
        "through a rule, or as an input of a derived measure) @ $.measures[0]",
        f"{path}: warning: check 'c' needs measures that are not on the reporting form, so it is never "
        "made from form data: x @ $.checks[0]",
        f"{path}: warning: check 'c' needs measures that are not on the reporting form, so it is never "
        "made from form data: x @ $.checks[1]",
    ]


def test_contradictory_bounds_in_an_all_group(check):
    text = BASE + measure("x") + rule("r", '''
        [[rules.when.all]]
        measure = "x"
        op = ">="
        value = 5

        [[rules.when.all]]
        measure = "x"
        op = "<"
        value = 3''')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [
        f"{path}: rule 'r' can never be true: x >= 5 and x < 3 cannot both hold @ $.rules[0].when"])


def test_contradiction_across_nested_all_groups_and_whole_numbers(check):
    text = BASE + measure("x") + rule("r", '''
        [[rules.when.all]]
        measure = "x"
        op = ">"
        value = 3

        [[rules.when.all]]
        source = "II.1 (2)"

        [[rules.when.all.all]]
        measure = "x"
        op = "<"
        value = 4''')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [
        f"{path}: rule 'r' can never be true: x > 3 and x < 4 cannot both hold (x is a whole number) "
        "@ $.rules[0].when"])


def test_a_count_compared_below_zero(check):
    text = BASE + measure("x") + rule("r", '''
        [[rules.when.all]]
        measure = "x"
        op = "<"
        value = 0''')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [
        f"{path}: rule 'r' can never be true: x < 0, but x is a count and never negative "
        "@ $.rules[0].when.all[0]"])


def test_a_count_compared_with_a_fraction(check):
    text = BASE + measure("x") + rule("r", '''
        [rules.when]
        measure = "x"
        op = "=="
        value = 2.5''')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [
        f"{path}: rule 'r' can never be true: x == 2.5, but x is a whole number @ $.rules[0].when"])


def test_a_negative_bound_is_reported_once(check):
    # check_plan already says it; the review does not say it again
    text = BASE + measure("x") + rule("r", '''
        [rules.when]
        measure = "x"
        op = "<="
        value = -1''')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [f"{path}: x <= -1 can never be true for a count @ $.rules[0].when"])


def test_a_ratio_above_100_and_a_dead_branch_of_any(check):
    text = BASE + measure("a") + measure("b") + rule("over", '''
        [rules.when]
        ratio = ["a", "b"]
        op = ">"
        value = 100''') + rule("either", '''
        [[rules.when.any]]
        measure = "a"
        op = ">="
        value = 1

        [[rules.when.any]]
        measure = "b"
        op = "<"
        value = 0''')
    code, lines, path, _ = check(text)
    assert code == 1
    assert lines == [
        f"{path}: rule 'over' can never be true: ratio a/b > 100, but a ratio is between 0 and 100% "
        "(ingest refuses a numerator above its denominator) @ $.rules[0].when",
        f"{path}: warning: rule 'either': this branch of 'any' can never be true: b < 0, but b is a "
        "count and never negative @ $.rules[1].when.any[1]",
    ]


def test_unused_agency_is_a_warning_not_a_failure(check):
    text = BASE + '''
[[agencies]]
id = "so_yte"
name = "Sở Y tế"
name_en = "Department of Health"
level = "province"
source = "III.4"
'''
    code, lines, path, res = check(text)
    assert (code, lines) == (0, [
        f"{path}: warning: agency 'so_yte' is defined but no task, obligation, project or target names "
        "it @ $.agencies[1]"])
    assert res.stderr.strip() == "0 errors, 1 warning in 1 plan file"
    code, lines, path, _ = check(text, "--strict")
    assert code == 1 and len(lines) == 1


def test_due_dates_and_periods_outside_the_plan_period(check):
    text = BASE.replace("trong quý I/2024", "trong quý I/2025") + measure("p", level="province") \
        + target("later", '''
        kind = "value"
        measure = "p"
        comparator = ">="
        threshold = 1
        deadline = "trong năm 2024"''').replace('period = "2024"', 'period = "2025"') + '''
[[obligations]]
id = "reports"
name = "Báo cáo"
name_en = "Reports"
agencies = ["cong_an_tinh"]
recipient = ["cong_an_tinh"]
source = "V.2"

[[obligations.schedule]]
period = "2023Q4"
deadline = "trong ngày 15/1/2024"
'''
    code, lines, path, _ = check(text)
    assert code == 1
    assert lines == [
        f"{path}: task criteria is due 2025-03-31, outside the plan period 2024-01-01..2024-12-31 @ $.tasks[0]",
        f"{path}: period 2025 is outside the plan period 2024-01-01..2024-12-31 @ $.targets[0].period",
        f"{path}: period 2023Q4 is outside the plan period 2024-01-01..2024-12-31 "
        "@ $.obligations[0].schedule[0].period",
    ]


def test_checks_naming_unknown_measures_and_rules(check):
    text = BASE + measure("x") + target("t", '''
        kind = "value"
        measure = "x"
        comparator = "<="
        threshold = 0
        scope = "each_commune"''') + '''
[[checks]]
id = "c1"
name = "c1"
name_en = "c1"
left = "x"
op = "<="
right = "y"
source = "II"

[[checks]]
id = "c2"
name = "c2"
name_en = "c2"
exclusive = ["nope"]
source = "II"
'''
    code, lines, path, _ = check(text)
    assert code == 1
    assert lines == [
        f"{path}: unknown measure 'y' @ $.checks[0].right",
        f"{path}: unknown rule 'nope' @ $.checks[1].exclusive[0]",
        f"{path}: exclusive needs at least two rules @ $.checks[1].exclusive",
    ]


def test_draft_elements_fail_until_confirmed(check):
    text = BASE.replace('source = "III.1.2"', 'source = "III.1.2"\ndraft = true\nquote = "Ban hành tiêu chí"')
    code, lines, path, _ = check(text)
    assert (code, lines) == (1, [
        f"{path}: task 'criteria' is a draft: confirm it against the plan's text (its quote), then remove "
        "draft = true @ $.tasks[0].draft"])


def test_json_output(check):
    text = BASE + measure("x") + rule("r", '''
        [[rules.when.all]]
        measure = "x"
        op = ">="
        value = 5

        [[rules.when.all]]
        measure = "x"
        op = "<"
        value = 3''')
    code, _, path, res = check(text, "--format", "json")
    assert code == 1
    assert json.loads(res.stdout) == {
        "files": [path],
        "problems": [{"file": path, "path": "$.rules[0].when", "severity": "error", "check": "rules",
                      "message": "rule 'r' can never be true: x >= 5 and x < 3 cannot both hold"}],
        "summary": {"errors": 1, "warnings": 0, "files": 1},
    }


def test_everything_load_plan_reports_is_listed(check):
    from plancheck.errors import InputError
    from plancheck.plans.planfile import load_plan

    text = BASE.replace('agencies = ["cong_an_tinh"]', 'agencies = ["cong_an_huyen"]') + target("t", '''
        kind = "ratio"
        comparator = ">="
        threshold = 120''')
    code, lines, path, _ = check(text)
    with pytest.raises(InputError) as exc:
        load_plan(path)
    assert exc.value.problems and set(exc.value.problems) <= set(lines)
    assert code == 1


# -- provinces: plugins, API versions, examples ----------------------------------------

def test_check_an_installed_plugin(runner, install_plugin):
    install_plugin("plancheck_test_ok", PLUGIN_SOURCE, {"plan.toml": MINIMAL_PLAN}, entry_point="test_province")
    res = runner.invoke(cli, ["plugin", "check", "test_province"])
    assert (res.exit_code, res.stdout) == (0, "")
    assert res.stderr.strip() == "ok: 1 plan file checked, no problems"


def test_plugin_for_an_unsupported_api_version_is_reported(runner, install_plugin):
    install_plugin("plancheck_test_future", PLUGIN_SOURCE.replace("api_version=1", "api_version=7"),
                   {"plan.toml": MINIMAL_PLAN}, entry_point="test_province")
    res = runner.invoke(cli, ["plugin", "check", "test_province"])
    assert res.exit_code == 1
    [line] = res.stdout.splitlines()
    assert line.startswith("plancheck_test_future: plugin 'test_province' failed to load: ValueError: "
                           "written for plugin API version 7; this plancheck supports version 1")


def test_example_forms_are_checked_as_ingest_would(runner, install_plugin):
    source = PLUGIN_SOURCE.replace(
        'api_version=1)', 'api_version=1,\n             examples=[Path(__file__).parent / "ex.csv"])')
    site = install_plugin("plancheck_test_ex", source, {
        "plan.toml": MINIMAL_PLAN,
        "ex.csv": "province,plan,item,kind,agency,unit,period,due,description,value,date\n"
                  "test_province,test-2024,criteria,task,cong_an_tinh,,2024,,,,31/02/2024\n",
    }, entry_point="test_province")
    res = runner.invoke(cli, ["plugin", "check", "test_province"])
    assert res.exit_code == 1
    assert res.stdout.splitlines() == [
        f"{site / 'plancheck_test_ex' / 'ex.csv'}, cell K2 (column “date”): '31/02/2024': month 2 of 2024 has 29 "
        "days; check the day (day/month/year)"]


def test_plan_registered_for_another_province(runner, install_plugin):
    install_plugin("plancheck_test_other", PLUGIN_SOURCE,
                   {"plan.toml": MINIMAL_PLAN.replace('province = "test_province"', 'province = "elsewhere"')},
                   entry_point="test_province")
    res = runner.invoke(cli, ["plugin", "check", "test_province"])
    assert res.exit_code == 1
    [line] = res.stdout.splitlines()
    assert line.endswith("plan.toml: province is 'elsewhere' but plugin 'test_province' registered it "
                         "for 'test_province' @ $.province")


def test_unknown_province_and_missing_file_are_usage_errors(runner, tmp_path):
    res = runner.invoke(cli, ["plugin", "check", "ha_noi"])
    assert res.exit_code == 2
    assert f"unknown province 'ha_noi'; installed: {', '.join(INSTALLED)} (or give the path of a plan file)" \
        in res.stderr
    res = runner.invoke(cli, ["plugin", "check", str(tmp_path / "nope.toml")])
    assert res.exit_code == 2
    assert f"file not found: {tmp_path / 'nope.toml'}" in res.stderr


# -- plancheck plugin new ---------------------------------------------------------------

def test_new_writes_a_standalone_distribution(runner, tmp_path):
    res = runner.invoke(cli, ["plugin", "new", "bac_giang", "--name", "Bắc Giang", "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    top = tmp_path / "plancheck-bac-giang"
    assert sorted(str(p.relative_to(top)) for p in top.rglob("*") if p.is_file()) == [
        "README.md", "plancheck_bac_giang/__init__.py", "plancheck_bac_giang/example/observations.csv",
        "plancheck_bac_giang/plan.toml", "pyproject.toml", "tests/test_plan.py"]
    meta = tomllib.loads((top / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["name"] == "plancheck-bac-giang"
    assert meta["project"]["dependencies"] == ["plancheck"]
    assert meta["project"]["entry-points"]["plancheck.provinces"] == {"bac_giang": "plancheck_bac_giang"}
    assert meta["tool"]["setuptools"]["package-data"]["plancheck_bac_giang"] == ["*.toml", "example/*.csv"]
    assert meta["build-system"]["build-backend"] == "setuptools.build_meta"
    init = (top / "plancheck_bac_giang" / "__init__.py").read_text(encoding="utf-8")
    assert "api_version=1,  # the plugin API this plugin was written for" in init
    assert "# def derive_values(plan, values):" in init
    compile(init, "__init__.py", "exec")
    compile((top / "tests" / "test_plan.py").read_text(encoding="utf-8"), "test_plan.py", "exec")
    plan = tomllib.loads((top / "plancheck_bac_giang" / "plan.toml").read_text(encoding="utf-8"))
    assert (plan["province"], plan["province_name"]) == ("bac_giang", "Bắc Giang")
    res = runner.invoke(cli, ["plugin", "check", str(top / "plancheck_bac_giang" / "plan.toml"), "--strict"])
    assert (res.exit_code, res.stdout) == (0, "")


@pytest.mark.parametrize("bad", ["Bac_Giang", "bắc_giang", "bac-giang", "bac giang", ""])
def test_new_refuses_an_id_that_is_not_lowercase_ascii(runner, tmp_path, bad):
    res = runner.invoke(cli, ["plugin", "new", bad, "-o", str(tmp_path)])
    assert res.exit_code == 2
    assert (f"Error: {bad!r} is not a province id: use lowercase ASCII letters, digits and underscores, "
            "e.g. my_province") in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_an_existing_directory(runner, tmp_path):
    (tmp_path / "plancheck-bac-giang").mkdir()
    (tmp_path / "plancheck-bac-giang" / "keep.txt").write_text("mine")
    res = runner.invoke(cli, ["plugin", "new", "bac_giang", "-o", str(tmp_path)])
    assert res.exit_code == 2
    assert (f"Error: {tmp_path / 'plancheck-bac-giang'} already exists; remove it or choose another "
            "directory with -o") in res.stderr
    assert [p.name for p in (tmp_path / "plancheck-bac-giang").iterdir()] == ["keep.txt"]


def test_the_skeleton_shows_every_key_of_the_format():
    from plancheck.authoring.plugin_docs import _child, _hints, model_fields, skeleton_examples

    examples = skeleton_examples(skeleton(Names("bac_giang", "Bắc Giang", 2025)))
    missing = [f"{cls.__name__}.{key}" for cls, key in model_fields()
               if (cls, key) not in examples and _child(_hints(cls)[key]) is None]
    assert missing == []


def test_the_skeleton_has_an_active_example_of_every_kind():
    plan = tomllib.loads(skeleton(Names("bac_giang", "Bắc Giang", 2025)))
    from plancheck.plans import model

    kinds = {t["kind"] for t in plan["targets"]}
    assert kinds == set(model.TargetKind.__args__)
    scopes = {t.get("scope", "province") for t in plan["targets"]}
    assert scopes == set(model.Scope.__args__)
    ways = {w for ob in plan["obligations"] for w in ("schedule", "deadline", "calendar") if w in ob}
    assert ways == {"schedule", "deadline", "calendar"}
    for section in ("agencies", "units", "measures", "projects", "rules", "targets", "tasks", "obligations",
                    "checks", "adopts", "importance"):
        assert plan[section], section
    conds = plan["rules"][0]["when"]["all"]
    assert any("ratio" in c for c in conds) and any("any" in c for c in conds)


def test_the_skeleton_plan_loads_for_any_year(tmp_path):
    from plancheck.authoring.review import review_plan
    from plancheck.plans.planfile import load_plan

    for year in (2024, 2031):
        path = tmp_path / f"plan-{year}.toml"
        path.write_text(skeleton(Names("tinh_thu", "Tỉnh Thử", year)), encoding="utf-8")
        plan = load_plan(path)
        assert plan.period.start.year == year
        assert review_plan(plan) == []
