"""Each target kind and each status, judged by the pure evaluation function.

Plans are written inline in the TOML format, with thresholds taken from the
plans' own text (Hưng Yên I.2: 53 of 161; Vĩnh Long I.1: over 80%, +5% a year,
growth under 1%).
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import MINIMAL_PLAN
from plancheck.judge.verdicts import Report, evaluate
from plancheck.plans.model import Observation
from plancheck.plans.planfile import load_plan

MEASURES = '''
[[measures]]
id = "users"
name = "Người nghiện, người sử dụng có hồ sơ quản lý"
name_en = "Users with records"
unit = "count"
level = "province"
period_type = "yearly"
source = "I.1"

[[measures]]
id = "reached"
name = "Được tiếp cận dịch vụ"
name_en = "Reached by services"
unit = "count"
level = "province"
period_type = "yearly"
source = "I.1"

[[measures]]
id = "hotspots"
name = "Điểm nóng"
name_en = "Hotspots"
unit = "count"
level = "province"
period_type = "yearly"
source = "I.1"
'''


def plan_with(tmp_path, targets: str):
    p = tmp_path / "plan.toml"
    p.write_text(MINIMAL_PLAN + MEASURES + targets, encoding="utf-8")
    return load_plan(p)


def m(item, period, value, unit="test_province"):
    return Observation(province="test_province", plan="test-2024", item=item, kind="measure",
                       period=period, unit=unit, value=value)


def target(kind, **fields):
    lines = ['id = "t"', 'name = "chỉ tiêu"', 'name_en = "target"', f'kind = "{kind}"',
             'source = "I.1"', 'period = "2024"']
    for k, v in fields.items():
        lines.append(f"{k} = {v!r}" if not isinstance(v, str) else f'{k} = "{v}"')
    return "\n[[targets]]\n" + "\n".join(lines) + "\n"


AFTER = date(2025, 3, 1)


def only_target(findings):
    return [f for f in findings if f.kind == "target"]


@pytest.mark.parametrize(
    ("num", "status", "actual"),
    [(81, "met", 81.0), (80, "not_met", 80.0)],  # "trên 80%" is strictly more than 80
)
def test_ratio_more_than(tmp_path, num, status, actual):
    plan = plan_with(tmp_path, target("ratio", numerator="reached", denominator="users",
                                      comparator=">", threshold=80))
    [f] = only_target(evaluate(plan, [m("reached", "2024", num), m("users", "2024", 100)], AFTER))
    assert (f.status, f.actual, f.expected) == (status, actual, "> 80%")
    assert f.reason == (None if status == "met" else "below_target")


def test_value_at_most_zero_tolerance(tmp_path):
    plan = plan_with(tmp_path, target("value", measure="hotspots", comparator="<=", threshold=0))
    [f] = only_target(evaluate(plan, [m("hotspots", "2024", 2)], AFTER))
    assert (f.status, f.reason, f.actual, f.expected) == ("not_met", "above_limit", 2, "<= 0")


def test_growth_at_least_five_percent(tmp_path):
    plan = plan_with(tmp_path, target("growth", measure="users", comparator=">=", threshold=5))
    obs = [m("users", "2023", 200), m("users", "2024", 209)]
    [f] = only_target(evaluate(plan, obs, AFTER))
    assert (f.status, f.actual, f.reason) == ("not_met", 4.5, "growth_too_low")
    obs = [m("users", "2023", 200), m("users", "2024", 210)]
    assert only_target(evaluate(plan, obs, AFTER))[0].status == "met"


def test_growth_below_one_percent(tmp_path):
    plan = plan_with(tmp_path, target("growth", measure="users", comparator="<", threshold=1))
    [f] = only_target(evaluate(plan, [m("users", "2023", 1000), m("users", "2024", 1010)], AFTER))
    assert (f.status, f.reason, f.actual) == ("not_met", "growth_too_high", 1.0)


def test_growth_without_baseline_is_no_data(tmp_path):
    plan = plan_with(tmp_path, target("growth", measure="users", comparator=">=", threshold=5))
    [f] = only_target(evaluate(plan, [m("users", "2024", 209)], AFTER))
    assert f.status == "no_data"


@pytest.mark.parametrize(("cmp", "prev", "cur", "status", "reason"), [
    (">", 10, 11, "met", None), (">", 10, 10, "not_met", "not_increased"),
    ("<", 10, 9, "met", None), ("<", 10, 12, "not_met", "not_decreased"),
])
def test_increase_and_decrease(tmp_path, cmp, prev, cur, status, reason):
    plan = plan_with(tmp_path, target("change", measure="hotspots", comparator=cmp, threshold=0))
    [f] = only_target(evaluate(plan, [m("hotspots", "2023", prev), m("hotspots", "2024", cur)], AFTER))
    assert (f.status, f.reason, f.actual) == (status, reason, cur - prev)


def test_pending_until_the_period_is_over_then_no_data(tmp_path):
    plan = plan_with(tmp_path, target("value", measure="hotspots", comparator="<=", threshold=0))
    assert only_target(evaluate(plan, [], date(2024, 12, 31)))[0].status == "pending"
    assert only_target(evaluate(plan, [], date(2025, 1, 1)))[0].status == "no_data"


def test_task_statuses(tmp_path):
    plan = plan_with(tmp_path, "")
    def task(done, as_of):
        obs = [] if done is None else [Observation(
            province="test_province", plan="test-2024", item="criteria", kind="task",
            period="2024", agency="cong_an_tinh", date=done)]
        [f] = evaluate(plan, obs, as_of)
        return f.status, f.reason, f.days_late
    # due "trong quý I/2024" = 2024-03-31
    assert task(date(2024, 3, 31), AFTER) == ("met", None, None)
    assert task(date(2024, 4, 3), AFTER) == ("not_met", "late", 3)
    assert task(None, date(2024, 4, 10)) == ("not_met", "missing", 10)
    assert task(None, date(2024, 3, 31)) == ("pending", None, None)


def test_report_return_code_and_summary(tmp_path):
    plan = plan_with(tmp_path, target("value", measure="hotspots", comparator="<=", threshold=0))
    ok = Report("test_province", AFTER, tuple(evaluate(plan, [m("hotspots", "2024", 0)], AFTER)))
    assert ok.summary() == {"met": 1, "not_met": 1, "pending": 0, "no_data": 0, "waived": 0, "total": 2}
    assert ok.return_code == 1  # the task was never reported done: missing
    findings = tuple(f for f in ok.findings if f.kind == "target")
    assert Report("test_province", AFTER, findings).return_code == 0


def test_findings_do_not_depend_on_row_order(tmp_path):
    plan = plan_with(tmp_path, target("ratio", numerator="reached", denominator="users",
                                      comparator=">", threshold=80))
    obs = [m("reached", "2024", 90), m("users", "2024", 100)]
    assert evaluate(plan, obs, AFTER) == evaluate(plan, list(reversed(obs)), AFTER)
