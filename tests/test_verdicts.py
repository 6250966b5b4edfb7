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


# -- recurring and continuous tasks, baselines (issue 16 §3) --------------------------------------

TWO_YEARS = MINIMAL_PLAN.replace("period = { start = 2024-01-01, end = 2024-12-31 }",
                                 "period = { start = 2024-01-01, end = 2025-12-31 }")


def two_year_plan(tmp_path, extra: str):
    p = tmp_path / "plan.toml"
    p.write_text(TWO_YEARS + MEASURES + extra, encoding="utf-8")
    return load_plan(p)


def done(item, period, day):
    return Observation(province="test_province", plan="test-2024", item=item, kind="task",
                       period=period, agency="cong_an_tinh", date=day)


def test_a_yearly_task_is_judged_each_year_by_its_own_phrase(tmp_path):
    # II.2.1 "Hoàn thành trước 31/12 hàng năm": one due date a year, each judged on its own
    plan = two_year_plan(tmp_path, '''
[[tasks]]
id = "self_assessment"
name = "Tự đánh giá"
name_en = "Self-assessment"
agencies = ["cong_an_tinh"]
recurrence = "annual"
deadline = "Hoàn thành trước 31/12 hàng năm"
source = "II.2.1"
''')
    found = {(f.period, f.status, f.reason) for f in evaluate(plan, [done("self_assessment", "2024",
                                                                           date(2024, 12, 20))],
                                                             date(2026, 1, 5)) if f.item == "self_assessment"}
    assert found == {("2024", "met", None), ("2025", "not_met", "missing")}
    dues = {f.period: f.due for f in evaluate(plan, [], date(2026, 1, 5)) if f.item == "self_assessment"}
    assert dues == {"2024": date(2024, 12, 30), "2025": date(2025, 12, 30)}


def test_a_continuous_duty_needs_evidence_in_each_period(tmp_path):
    # "thường xuyên": never done once and for all; evidence dated in the period counts for it
    plan = two_year_plan(tmp_path, '''
[[tasks]]
id = "monitor"
name = "Thường xuyên rà soát"
name_en = "Keep reviewing"
agencies = ["cong_an_tinh"]
recurrence = "annual"
continuous = true
source = "III.3.1"
''')
    obs = [done("monitor", "2024", date(2024, 11, 2)), done("monitor", "2025", date(2024, 12, 30))]
    got = {f.period: f for f in evaluate(plan, obs, date(2026, 2, 1)) if f.item == "monitor"}
    assert (got["2024"].status, got["2024"].expected) == ("met", "evidence of continuing work by 2024-12-31")
    # a day of 2024 is evidence for 2024, not for 2025: still missing, and said why
    assert (got["2025"].status, got["2025"].reason) == ("not_met", "missing")
    assert got["2025"].computation.startswith("the day reported (2024-12-30) is before 2025 began")
    # no date in the plan: the due date is the year's last day, and the finding says it is assumed
    assert "due on its last day" in got["2025"].assumed


def test_a_baseline_year_is_what_a_growth_is_compared_with(tmp_path):
    # "so với năm 2023": each year is compared with 2023, not with the year before
    plan = two_year_plan(tmp_path, '''
[[targets]]
id = "detected_up"
name = "tăng ít nhất 5% so với năm 2023"
name_en = "up 5% on 2023"
kind = "growth"
measure = "users"
comparator = ">="
threshold = 5
recurrence = "annual"
baseline = "2023"
source = "I.1"
''')
    obs = [m("users", "2023", 200), m("users", "2024", 230), m("users", "2025", 205)]
    got = {f.period: f for f in evaluate(plan, obs, date(2026, 2, 1)) if f.item == "detected_up"}
    assert (got["2024"].status, got["2024"].actual, got["2024"].expected) == ("met", 15.0, "growth >= 5% vs 2023")
    # against 2024 this would be a fall; against 2023 it is +2.5%: below 5%
    assert (got["2025"].status, got["2025"].actual) == ("not_met", 2.5)


@pytest.mark.parametrize(("extra", "problem"), [
    ('recurrence = "annual"\ndeadline = "trong quý I/2024"', "names one date, not one per year"),
    ('continuous = true', "a continuous duty ('thường xuyên') needs a recurrence"),
    ('recurrence = "quarterly"\ndeadline = "trước 31/12 hằng năm"', "only an annual task takes a deadline"),
])
def test_recurring_tasks_are_checked(tmp_path, extra, problem):
    from plancheck.errors import InputError

    p = tmp_path / "plan.toml"
    p.write_text(MINIMAL_PLAN.replace('deadline = "Hoàn thành trong quý I/2024"\n', extra + "\n"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_plan(p)
    assert any(problem in line for line in err.value.problems), err.value.problems


def test_a_baseline_must_come_before_and_be_reportable(tmp_path):
    from plancheck.errors import InputError

    for baseline, problem in (("2024", "is not before the period judged"),
                              ("2020", "the earliest year a form can report")):
        with pytest.raises(InputError) as err:
            plan_with(tmp_path, target("growth", measure="users", comparator=">=", threshold=5,
                                       baseline=baseline))
        assert any(problem in line for line in err.value.problems), err.value.problems


# -- readings, proxies and the bodies the plan does not name (issue 16 §2) -------------------------

READING = '''
[targets.reading]
quote = "số xã không có tệ nạn ma túy dưới 1%"
chosen = "communes WITH drug problems"
why = "restraining the growth of drug-free communes contradicts the aim"
'''


def test_a_reading_is_on_every_finding_computed_from_it(tmp_path):
    plan = plan_with(tmp_path, target("growth", measure="users", comparator="<", threshold=1,
                                      importance="medium") + READING)
    [f] = only_target(evaluate(plan, [m("users", "2023", 100), m("users", "2024", 110)], AFTER))
    assert "the text says “số xã không có tệ nạn ma túy dưới 1%”" in f.reading
    assert "read as: communes WITH drug problems" in f.reading and "[not confirmed]" in f.reading
    assert f.doubt == "rests on a reading of unclear text (target t)"
    assert f.to_json()["reading"] == f.reading


def test_an_unconfirmed_reading_cannot_be_of_high_importance(tmp_path):
    from plancheck.errors import InputError

    with pytest.raises(InputError) as err:
        plan_with(tmp_path, target("growth", measure="users", comparator="<", threshold=1) + READING)
    assert any("is of high importance but rests on an unconfirmed reading" in line and
               "$.targets[0].importance" in line for line in err.value.problems)
    # once a reviewer confirms it, it may be
    confirmed = READING + 'confirmed_by = "Phòng PC04, Công an tỉnh"\nconfirmed_on = 2024-05-02\n'
    plan = plan_with(tmp_path, target("growth", measure="users", comparator="<", threshold=1) + confirmed)
    [f] = only_target(evaluate(plan, [m("users", "2023", 100), m("users", "2024", 110)], AFTER))
    assert "[confirmed by Phòng PC04, Công an tỉnh, 2024-05-02]" in f.reading and f.doubt is None


def test_a_rule_s_reading_makes_its_targets_medium_at_most(tmp_path):
    from plancheck.errors import InputError

    rule = '''
[[units]]
id = "xa_a"
name = "Xã A"
name_en = "Commune A"
level = "commune"
parent = "test_province"
source = "I"

[[measures]]
id = "points"
name = "Điểm"
name_en = "Points"
unit = "count"
level = "commune"
period_type = "yearly"
source = "II.1"

[[rules]]
id = "clean"
name = "Xã sạch"
name_en = "Clean commune"
level = "commune"
source = "II.1"

[rules.when]
measure = "points"
op = "<="
value = 0

[rules.reading]
quote = "không có hoặc có ít điểm"
chosen = "no point at all"
why = "'ít' gives no figure"
'''
    count = target("class_count", rule="clean", comparator=">=", threshold=1)
    with pytest.raises(InputError) as err:
        plan_with(tmp_path, rule + count)
    assert any("rule clean" in line for line in err.value.problems)
    plan = plan_with(tmp_path, rule + count.replace('source = "I.1"', 'source = "I.1"\nimportance = "medium"'))
    [f] = only_target(evaluate(plan, [m("points", "2024", 0, unit="xa_a")], AFTER))
    assert f.reading.startswith("rule clean: the text says “không có hoặc có ít điểm”")


def test_a_proxy_is_shown_and_never_fails_the_run(tmp_path):
    proxy = 'proxy = "The plan says tăng cường without a figure; hotspots stand in."\n'
    plan = plan_with(tmp_path, target("value", measure="hotspots", comparator="<=", threshold=0) + proxy)
    findings = tuple(f for f in evaluate(plan, [m("hotspots", "2024", 3)], AFTER) if f.kind == "target")
    [f] = findings
    assert (f.status, f.proxy) == ("not_met", "target t: The plan says tăng cường without a figure; hotspots stand in.")
    assert "judged on a proxy the plan does not state (target t)" in f.doubt
    assert Report("test_province", AFTER, findings).return_code == 0
    assert Report("test_province", AFTER, findings, fail_on_proxy=True).return_code == 1


def test_a_target_without_a_body_says_the_plan_names_none(tmp_path):
    plan = plan_with(tmp_path, target("value", measure="hotspots", comparator="<=", threshold=0))
    [f] = only_target(evaluate(plan, [m("hotspots", "2024", 0)], AFTER))
    assert (f.agency, f.assumed) == ("", "the plan names no accountable body for this target")
    plan = plan_with(tmp_path, target("value", measure="hotspots", comparator="<=", threshold=0,
                                      agency="cong_an_tinh", agency_assumed="I.1 names no body; V.2 names the police"))
    [f] = only_target(evaluate(plan, [m("hotspots", "2024", 0)], AFTER))
    assert (f.agency, f.assumed) == ("cong_an_tinh", "agency: I.1 names no body; V.2 names the police")
