"""Issue 21, class 2, and issue 16 section 4: values that cannot be true are refused, with the reason.

Every measure's unit says what kind of quantity it is (:mod:`plancheck.plans.quantity`): a count is
a whole number from 0, a share a percentage from 0 to 100, an amount a number from 0. Ingest refuses
what the unit cannot have, the plan check refuses thresholds that are not numbers or can never be
reached, and a report cannot be dated before the period it reports on began.
"""

from __future__ import annotations

import math

import openpyxl
import pytest
from test_reliability_misfiling import assert_refused, blank, csv_text, filled, ingest, pick, stored

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.cli import cli
from plancheck.data.excel_form import locate
from plancheck.plans.quantity import kind_of, quantity_of, value_problem

# -- the kind of quantity, read from the unit's text --------------------------------------------------


@pytest.mark.parametrize(("unit", "kind"), [
    # as the four plugins write them
    ("count", "count"), ("people", "count"), ("cases", "count"), ("percent", "share"), ("m2", "amount"),
    # as plans' texts write them
    ("người", "count"), ("xã", "count"), ("vụ", "count"), ("vụ án", "count"), ("lượt", "count"),
    ("số người", "count"), ("người nghiện có hồ sơ", "count"), ("Xã", "count"), ("cơ sở", "count"),
    ("%", "share"), ("tỷ lệ", "share"), ("tỷ lệ %", "share"), ("phần trăm", "share"),
    ("m²", "amount"), ("ha", "amount"), ("triệu đồng", "amount"), ("VND", "amount"), ("ngày", "amount"),
])
def test_a_units_text_says_its_kind(unit, kind):
    assert quantity_of(unit) == kind == kind_of(unit)


@pytest.mark.parametrize("unit", ["", "abc", "chỉ số tổng hợp", "widgets per fortnight"])
def test_an_unknown_unit_is_an_amount_never_negative(unit):
    assert quantity_of(unit) is None and kind_of(unit) == "amount"
    assert value_problem(unit, 2.5) is None and value_problem(unit, 1e12) is None
    assert value_problem(unit, -1) == "negative"


# -- a plan whose measures are of every kind ----------------------------------------------------------

QUANTITIES = MINIMAL_PLAN.replace("[[tasks]]", '''
[[measures]]
id = "cases"
name = "Số vụ án ma túy"
name_en = "Drug cases"
unit = "vụ"
level = "province"
period_type = "yearly"
source = "I.1"

[[measures]]
id = "coverage"
name = "Tỷ lệ xã được tuyên truyền"
name_en = "Share of communes reached"
unit = "%"
level = "province"
period_type = "yearly"
source = "I.2"

[[measures]]
id = "cultivation_area"
name = "Diện tích trồng cây có chứa chất ma túy"
name_en = "Area of drug crops"
unit = "m²"
level = "province"
period_type = "yearly"
source = "I.3"

[[targets]]
id = "cases_down"
name = "Giảm số vụ án ma túy"
name_en = "Fewer drug cases"
kind = "change"
measure = "cases"
comparator = "<"
threshold = 0
period = "2024"
source = "I.1"

[[targets]]
id = "coverage_80"
name = "Trên 80% xã được tuyên truyền"
name_en = "Over 80% of communes reached"
kind = "value"
measure = "coverage"
comparator = ">"
threshold = 80
period = "2024"
source = "I.2"

[[targets]]
id = "no_cultivation"
name = "Không để tái trồng cây có chứa chất ma túy"
name_en = "No drug crops"
kind = "value"
measure = "cultivation_area"
comparator = "<="
threshold = 0
period = "2024"
source = "I.3"

[[obligations]]
id = "quarterly_report"
name = "Báo cáo quý"
name_en = "Quarterly report"
agencies = ["cong_an_tinh"]
recipient = ["cong_an_tinh"]
source = "V.1"
schedule = [{ period = "2024Q3", deadline = "trước ngày 12/9/2024" },
            { period = "2025", deadline = "trước ngày 15/12/2024" }]

[[tasks]]''').replace("end = 2024-12-31", "end = 2025-12-31")


@pytest.fixture
def quantities(install_plugin):
    install_plugin("plancheck_test_quantities", PLUGIN_SOURCE, {"plan.toml": QUANTITIES}, entry_point="test_province")


def one(runner, tmp_path, item: str, province: str = "test_province", **cells: str):
    rows = blank(runner, province)
    path = tmp_path / f"{item}.csv"
    path.write_text(csv_text([filled(pick(rows, item=item, period=cells.pop("period", "2024")), **cells)]),
                    encoding="utf-8")
    return ingest(runner, path)


@pytest.mark.parametrize("value", ["95,5", "100.7", "0,5", "2.25"])
def test_a_fraction_in_a_count_is_refused(runner, tmp_path, isolated_db, quantities, value):
    assert_refused(one(runner, tmp_path, "cases", value=value),
                   f"(column “value”): {value!r}: a count of vụ is a whole number, this has a fraction",
                   url=isolated_db)


@pytest.mark.parametrize("value", ["95", "100.0", "100,0", "0"])
def test_a_whole_count_is_taken_however_it_is_written(runner, tmp_path, isolated_db, quantities, value):
    res = one(runner, tmp_path, "cases", value=value)
    assert res.exit_code == 0, res.output
    assert [r[4] for r in stored(isolated_db)] == [float(value.replace(",", "."))]


def test_a_negative_in_a_plans_own_count_unit_is_refused(runner, tmp_path, isolated_db):
    # Vĩnh Long writes its cases as unit "cases": a count too, not only the fixed list of the past
    assert_refused(one(runner, tmp_path, "drug_cases", "vinh_long", value="-3", period="2024"),
                   "(column “value”): '-3': a count of cases cannot be negative", url=isolated_db)


@pytest.mark.parametrize(("item", "value", "words"), [
    ("coverage", "120", "a share in percent is between 0 and 100"),
    ("coverage", "-5", "a share in percent is between 0 and 100"),
    ("coverage", "100,01", "a share in percent is between 0 and 100"),
    ("cultivation_area", "-12,5", "an amount in m² cannot be negative"),
])
def test_a_share_outside_0_to_100_and_a_negative_amount_are_refused(runner, tmp_path, isolated_db, quantities,
                                                                     item, value, words):
    assert_refused(one(runner, tmp_path, item, value=value), f"(column “value”): {value!r}: {words}", url=isolated_db)


@pytest.mark.parametrize(("item", "value"), [("coverage", "0"), ("coverage", "100"), ("coverage", "85,5"),
                                             ("cultivation_area", "12,5")])
def test_shares_and_amounts_in_range_are_taken(runner, tmp_path, isolated_db, quantities, item, value):
    assert one(runner, tmp_path, item, value=value).exit_code == 0


def test_a_ratio_of_two_negatives_cannot_be_reported(runner, tmp_path, isolated_db):
    rows = blank(runner)
    whole = filled(pick(rows, item="bodies_total"), value="-10")
    part = filled(pick(rows, item="bodies_drug_free"), value="-12")  # -12/-10 = 120%: was judged met
    path = tmp_path / "negatives.csv"
    path.write_text(csv_text([whole, part]), encoding="utf-8")
    assert_refused(ingest(runner, path), "cell J2 (column “value”): '-10': a count cannot be negative",
                   "cell J3 (column “value”): '-12': a count cannot be negative", url=isolated_db)


def test_a_fraction_in_a_workbook_count_is_refused(runner, tmp_path, isolated_db):
    path = tmp_path / "kim_dong.xlsx"
    runner.invoke(cli, ["template", "--province", "hung_yen", "--agency", "ubnd_kim_dong", "--format", "xlsx",
                        "--lang", "vi", "-o", str(path)])
    wb = openpyxl.load_workbook(path)
    heading, col = locate(wb["form"])
    row = next(r for r in wb["form"].iter_rows(min_row=heading + 1) if r[2].value == "district_bodies_total")
    row[col["value"]].value = 130.5  # a real Excel number, as a clerk types "130,5"
    wb.save(path)
    assert_refused(ingest(runner, path), "(column “Giá trị”): '130.5': a count is a whole number", url=isolated_db)


# -- a report dated before the period it reports on began (issue 16 section 4: refused at ingest) ------

def test_a_q3_report_dated_in_june_is_refused(runner, tmp_path, isolated_db):
    rows = blank(runner)
    q3 = next(r for r in rows if r["kind"] == "obligation" and r["period"] == "2024Q3")
    path = tmp_path / "q3.csv"
    path.write_text(csv_text([filled(q3, date="10/06/2024")]), encoding="utf-8")
    assert_refused(ingest(runner, path), "(column “date”): '10/06/2024': dated 2024-06-10, before the period 2024Q3 "
                   "it is for began (2024-07-01)", url=isolated_db)
    path.write_text(csv_text([filled(q3, date="10/09/2024")]), encoding="utf-8")
    assert ingest(runner, path).exit_code == 0


def test_a_report_the_plan_dues_before_its_period_may_be_sent_by_that_date(runner, tmp_path, isolated_db,
                                                                          quantities):
    # the 2025 report (a plan for the year ahead) is due 14/12/2024: sent on 01/12/2024 is on time, not refused
    assert one(runner, tmp_path, "quarterly_report", period="2025", date="2024-12-01").exit_code == 0
    # (the bound is then the plan's start)
    assert_refused(one(runner, tmp_path, "quarterly_report", period="2025", date="2023-12-30"),
                   "before the plan starts (2024-01-01)")


def test_a_task_done_early_in_the_plan_is_taken(runner, tmp_path, isolated_db):
    rows = blank(runner)
    task = next(r for r in rows if r["kind"] == "task" and r["due"] > "2024-06-30")
    path = tmp_path / "task.csv"
    path.write_text(csv_text([filled(task, date="2024-01-15")]), encoding="utf-8")
    assert ingest(runner, path).exit_code == 0  # a one-off task may be done long before it is due


# -- the plan check: thresholds that are not numbers, or that no value of the measure can reach ---------

@pytest.mark.parametrize(("edit", "message"), [
    (("threshold = 80", "threshold = nan"),
     "threshold nan is not a number: give the figure the plan states @ $.targets[1]"),
    (("threshold = 80", "threshold = inf"),
     "threshold inf is not a number: give the figure the plan states @ $.targets[1]"),
    (("threshold = 80", "threshold = -inf"), "threshold -inf is not a number"),
    (("threshold = 80", "threshold = 120"), "coverage > 120 can never be true: coverage is a share ('%')"),
    (('comparator = "<="\nthreshold = 0', 'comparator = "<"\nthreshold = 0'),
     "cultivation_area < 0 can never be true: cultivation_area is an amount"),
])
def test_the_plan_check_refuses_thresholds_no_value_can_meet(runner, tmp_path, edit, message):
    text = QUANTITIES.replace(*edit, 1)
    assert text != QUANTITIES
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(cli, ["plugin", "check", str(path)])
    assert res.exit_code == 1, res.output
    assert message in res.stdout


def test_the_plan_as_written_passes_the_check(runner, tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(QUANTITIES, encoding="utf-8")
    res = runner.invoke(cli, ["plugin", "check", str(path), "--format", "json"])
    assert '"severity": "error"' not in res.stdout, res.stdout


def test_value_problem_agrees_with_ingest_on_the_bounds():
    assert [value_problem("%", v) for v in (0, 100, -0.0001, 100.0001)] == [None, None, "share_range", "share_range"]
    assert [value_problem("người", v) for v in (0, 3, 3.5, -1)] == [None, None, "count_fraction", "negative"]
    assert value_problem("m²", math.ulp(0)) is None
