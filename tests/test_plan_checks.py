"""What ``plancheck plugin check`` refuses so that a criterion cannot be encoded and left unenforced (issue 16 §1).

The defect the audit found in Hưng Yên: II.1.2's rule "has drug problems" was
defined, used by nothing, its measures on no form, and a commune with an
arrest was still counted drug-free. Each part of that is now an error: a
rule or measure used by nothing, a measure only an unused rule needs (it is
on no form), and two classes a check says are exclusive that one commune's
data can put it in at once. The four built-in plugins are clean.
"""

from __future__ import annotations

import json

import pytest

from conftest import MINIMAL_PLAN
from plancheck.cli import cli

BASE = MINIMAL_PLAN + '''
[[units]]
id = "xa_a"
name = "Xã A"
name_en = "Commune A"
level = "commune"
parent = "test_province"
source = "I"
'''


def measure(mid: str) -> str:
    return f'''
[[measures]]
id = "{mid}"
name = "{mid}"
name_en = "{mid}"
unit = "count"
level = "commune"
period_type = "yearly"
source = "II.1"
'''


def rule(rid: str, body: str) -> str:
    return f'''
[[rules]]
id = "{rid}"
name = "{rid}"
name_en = "{rid}"
level = "commune"
source = "II.1"
{body}
'''


COUNT_FREE = '''
[[targets]]
id = "free_1"
name = "Có 01 xã không có ma túy"
name_en = "One drug-free commune"
kind = "class_count"
rule = "free"
comparator = ">="
threshold = 1
period = "2024"
source = "I.2"
'''

FREE = rule("free", '''
[[rules.when.all]]
measure = "hotspots"
op = "<="
value = 0

[[rules.when.all]]
measure = "arrests"
op = "<="
value = 0
''')

PROBLEMS = rule("problems", '''
[[rules.when.any]]
measure = "arrests"
op = ">"
value = 0

[[rules.when.any]]
measure = "new_addicts"
op = ">"
value = 0
''')


@pytest.fixture
def check(runner, tmp_path):
    def run(text: str):
        path = tmp_path / "plan.toml"
        path.write_text(text, encoding="utf-8")
        res = runner.invoke(cli, ["plugin", "check", str(path), "--format", "json"])
        return res.exit_code, [(p["severity"], p["path"], p["message"]) for p in json.loads(res.stdout)["problems"]]

    return run


def test_a_rule_nothing_uses_and_the_measures_only_it_needs_are_errors(check):
    # as Hưng Yên's II.1.2 was: defined, used by no target or check, its measures on no form
    code, problems = check(BASE + measure("hotspots") + measure("arrests") + measure("new_addicts")
                           + FREE + PROBLEMS + COUNT_FREE)
    assert code == 1
    errors = [(path, msg) for sev, path, msg in problems if sev == "error"]
    assert ("$.rules[1]", "rule 'problems' is defined but used by nothing: no target or check uses it, so no "
            "unit is ever classified by it (have a target or an exclusive check use it, or remove it)") in errors
    assert ("$.measures[2]", "measure 'new_addicts' is needed by rule problems but is on no reporting form, so "
            "it is never reported and the rule is never applied as the plan says: have a target or an "
            "exclusive check use the rule") in errors
    # "arrests" is on the form through "free": no error for it
    assert not [e for e in errors if "'arrests'" in e[1]]


def test_a_measure_nothing_uses_is_an_error(check):
    code, problems = check(BASE + measure("hotspots") + measure("arrests") + measure("orphan") + FREE + COUNT_FREE)
    assert code == 1
    assert ("error", "$.measures[2]", "measure 'orphan' is defined but used by nothing: no target, rule, check or "
            "derived measure names it (remove it, or encode what the plan uses it for)") in problems


EXCLUSIVE = '''
[[checks]]
id = "free_xor_problems"
name = "Không thể vừa không có vừa có tệ nạn ma túy"
name_en = "Not drug-free and with drug problems at once"
exclusive = ["free", "problems"]
source = "II.1"
'''


def test_classes_said_exclusive_that_can_both_hold_are_an_error_with_the_data(check):
    # "free" asks nothing of new addicts, "problems" counts them: a commune with a new addict is both
    code, problems = check(BASE + measure("hotspots") + measure("arrests") + measure("new_addicts")
                           + FREE + PROBLEMS + COUNT_FREE + EXCLUSIVE)
    assert code == 1
    [(sev, path, msg)] = [p for p in problems if p[1] == "$.checks[0].exclusive"]
    assert sev == "error"
    assert msg.startswith("check 'free_xor_problems' says a unit cannot be both 'free' and 'problems', but both "
                          "rules hold for a unit reporting new_addicts = ")
    assert "(every other measure of the two rules 0)" in msg


def test_excluding_the_other_class_makes_the_check_clean(check):
    # the fix the plan's text asks for: a drug-free commune has no new addict either (II.1.2)
    free = FREE + '''
[[rules.when.all]]
measure = "new_addicts"
op = "<="
value = 0
'''
    code, problems = check(BASE + measure("hotspots") + measure("arrests") + measure("new_addicts")
                           + free + PROBLEMS + COUNT_FREE + EXCLUSIVE)
    assert (code, [p for p in problems if p[0] == "error"]) == (0, [])


def test_a_ratio_is_searched_too(check):
    # "từ 0,1% đến dưới 0,3%" of the population against "no offender at all": cannot overlap; against
    # "fewer than 1 in 100": can (1 offender in 1,000 people)
    key = rule("key", '''
[rules.when]
all = [
    { ratio = ["offenders", "population"], op = ">=", value = 0.1 },
    { ratio = ["offenders", "population"], op = "<", value = 0.3 },
]
''')
    text = BASE + measure("offenders") + measure("population") + key + '''
[[targets]]
id = "count_key"
name = "key"
name_en = "key"
kind = "class_count"
rule = "key"
comparator = "<="
threshold = 0
period = "2024"
source = "I.2"
'''
    exclusive = '''
[[checks]]
id = "c"
name = "c"
name_en = "c"
exclusive = ["free", "key"]
source = "II.1"
'''
    none = rule("free", '''
[rules.when]
measure = "offenders"
op = "<="
value = 0
''')
    code, problems = check(text + none + COUNT_FREE + exclusive)
    assert (code, [p for p in problems if p[0] == "error"]) == (0, [])
    few = rule("free", '''
[rules.when]
ratio = ["offenders", "population"]
op = "<"
value = 1
''')
    code, problems = check(text + few + COUNT_FREE + exclusive)
    [(_, _, msg)] = [p for p in problems if p[1] == "$.checks[0].exclusive"]
    assert "offenders = " in msg and "population = " in msg


@pytest.mark.parametrize("province", ["hung_yen", "vinh_long", "tien_giang", "ninh_binh"])
def test_the_four_plugins_are_clean(runner, province):
    res = runner.invoke(cli, ["plugin", "check", province])
    assert (res.exit_code, res.stdout, res.stderr.strip()) == (0, "", "ok: 1 plan file checked, no problems")
