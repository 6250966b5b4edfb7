"""Forms a clerk can fill (issue 17 §2): every row has the agency that must fill it, a district gets its
communes' rows, and the rows carry names and units in words instead of ids.

The forms are the ones ``plancheck template`` writes for the shipped plans; what a row must say comes from
the plans' own text (their units, agencies and reporting clauses).
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from plancheck.cli import cli
from plancheck.data.expected import form_rows, units_under


def blank(runner, *args: str) -> list[dict[str, str]]:
    res = runner.invoke(cli, ["template", *args])
    assert res.exit_code == 0, res.output
    return list(csv.DictReader(io.StringIO(res.stdout)))


def plans_of(province: str):
    from plancheck.judge.assessment import province_plans
    from plancheck.plans.plugins import load_registry

    _, registry = load_registry()
    return province_plans(registry, province)


@pytest.mark.parametrize("province", ["hung_yen", "vinh_long", "tien_giang"])
def test_every_row_names_the_agency_that_fills_it(runner, province):
    rows = blank(runner, "--province", province)
    assert rows and all(r["agency"] for r in rows), [r for r in rows if not r["agency"]][:3]
    # and so every row is in exactly one agency's form
    agencies = {r["agency"] for r in rows}
    per_agency = sum(len(blank(runner, "--province", province, "--agency", a)) for a in agencies)
    assert per_agency == len(rows)


def test_hung_yen_figures_no_target_charges_go_on_the_form_of_whoever_fills_the_commune(runner):
    """Population and addicts living in the community (II.1.3's key-complex communes, needed by the
    consistency check) had no agency, so no agency's form held them (issue 17: 159 rows with the
    year's drug offenders). They go to whoever fills the rest of that commune's figures."""
    [plan] = plans_of("hung_yen")
    rows = form_rows(plan)
    for item in ("population", "addicts_outside_with_records", "drug_offenders"):
        mine = [r for r in rows if r.item == item]
        assert len(mine) == sum(1 for u in plan.units if u.level == "commune")
        for r in mine:
            others = {o.agency for o in rows if o.unit == r.unit and o.kind == "measure" and o.item != item}
            assert r.agency in others
    district = blank(runner, "--province", "hung_yen", "--agency", "ubnd_cap_huyen")
    assert sum(r["item"] == "population" for r in district) == sum(1 for u in plan.units if u.level == "commune")


def test_a_figure_no_clause_charges_goes_to_who_reports_the_plan_out(runner):
    """Tiền Giang's plan holds no body to most targets; its last paragraph has the provincial police (the
    standing body) report to the national committee and the ministry: they fill the figures, and the
    row says which clause it follows."""
    [plan] = plans_of("tien_giang")
    sender = next(o for o in plan.obligations if {"bo_cong_an"} & set(o.recipient))
    routed = [r for r in form_rows(plan) if r.agency_basis]
    assert routed and {(r.agency, r.agency_basis) for r in routed} == {(sender.agencies[0], sender.source)}
    assert not any(t.agency for t in plan.targets if t.measure in {r.item for r in routed})


def test_a_plan_that_says_nothing_of_reporting_leaves_the_row_open():
    """Ninh Bình's text is cut after III.4: no clause says who reports, so no agency is made up."""
    [plan] = plans_of("ninh_binh")
    assert not plan.obligations
    open_rows = [r for r in form_rows(plan) if not r.agency]
    assert open_rows and all(not t.agency for t in plan.targets)


def test_template_for_one_unit_gives_a_district_its_communes_rows(runner):
    [plan] = plans_of("hung_yen")
    everything = blank(runner, "--province", "hung_yen")
    district = blank(runner, "--province", "hung_yen", "--unit", "kim_dong")
    under = {"kim_dong"} | {u.id for u in plan.units if u.parent == "kim_dong"}
    assert units_under(plan, "kim_dong") == under and len(under) > 10
    assert {r["unit"] for r in district} == under
    assert district == [r for r in everything if r["unit"] in under]  # every row of those units, in form order
    # a commune's own rows; with --agency, the rows of that agency among them
    commune = blank(runner, "--province", "hung_yen", "--unit", "kim_dong.nhan_la")
    assert commune and {r["unit"] for r in commune} == {"kim_dong.nhan_la"}
    both = blank(runner, "--province", "hung_yen", "--unit", "kim_dong", "--agency", "ubnd_cap_xa")
    assert both and both == [r for r in district if r["agency"] == "ubnd_cap_xa"]


def test_template_refuses_a_unit_the_plan_does_not_name(runner, tmp_path):
    out = tmp_path / "f.csv"
    res = runner.invoke(cli, ["template", "--province", "hung_yen", "--unit", "kim_dongg", "-o", str(out)])
    assert res.exit_code == 2
    assert "unknown unit 'kim_dongg'" in res.stderr and "kim_dong" in res.stderr
    assert not out.exists()


@pytest.mark.parametrize(("province", "item", "vi", "en"), [
    ("hung_yen", "addicts", "người", "count"),
    ("hung_yen", "hotspots", "điểm", "count"),
    ("hung_yen", "drug_offenders", "đối tượng", "count"),
    ("hung_yen", "cultivation_area_m2", "m²", "m²"),
    ("hung_yen", "population", "người", "people"),
    ("tien_giang", "communes_total", "xã", "count"),
    ("vinh_long", "drug_cases", "vụ", "cases"),
])
def test_units_of_measure_in_words(province, item, vi, en):
    """The form's unit column says what a figure counts, as the measure's name says it ("Số người ..."),
    never the encoding's "count"."""
    [plan] = plans_of(province)
    row = next(r for r in form_rows(plan) if r.item == item)
    assert (row.measure_unit, row.measure_unit_en) == (vi, en.replace("count", "number"))


def test_names_beside_the_ids():
    [plan] = plans_of("hung_yen")
    row = next(r for r in form_rows(plan) if r.unit == "kim_dong.nhan_la" and r.kind == "measure")
    assert (row.unit_name, row.unit_name_en) == ("Xã Nhân La (Huyện Kim Động)", "Nhan La commune (Kim Dong district)")
    assert row.agency_name == next(a.name for a in plan.agencies if a.id == row.agency)


def test_reorganised_units_show_what_they_are_now():
    """Issue 19: Tiền Giang became part of Đồng Tháp on 1 July 2025 (Resolution 202/2025/QH15); Hưng Yên's
    districts ended with the district level. A form made today says so beside the plan's names."""
    from plancheck.plans.lineage import load_lineage
    from plancheck.plans.plugins import load_registry

    pm, _ = load_registry()
    lineage = load_lineage(pm)
    [tg] = plans_of("tien_giang")
    row = next(r for r in form_rows(tg, lineage=lineage, today=date(2026, 6, 30)) if r.unit == "tien_giang")
    assert (row.unit_since, row.unit_now) == (date(2025, 7, 1), "Tỉnh Đồng Tháp")
    before = next(r for r in form_rows(tg, lineage=lineage, today=date(2025, 6, 30)) if r.unit == "tien_giang")
    assert (before.unit_since, before.unit_now) == (None, "")
    [hy] = plans_of("hung_yen")
    rows = form_rows(hy, lineage=lineage, today=date(2026, 6, 30))
    district = next(r for r in rows if r.unit == "kim_dong")
    assert (district.unit_since, district.unit_now) == (date(2025, 7, 1), "")  # the district level ended
    province = next(r for r in rows if r.unit == "hung_yen")
    assert province.unit_since is None  # Hưng Yên goes on under its own name (it absorbed Thái Bình)
