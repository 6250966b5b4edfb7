"""The counting path a comparison judges by (issue 20) gives exactly what the full path gives.

The full path is what ``plancheck run`` does (``assessment.assess``: every finding built, with its
evidence and texts); the counting path (``assessment.count``) counts most findings without building
them. For every province, plan, kind, item, period, due day, status and reason the two give the same
number of findings and days late, the same findings of national targets (whole, in order) and the
same notices. Nothing here names a target or a status: whatever targets, tasks, obligations and
checks the plans have (they are being extended), each is counted both ways and held equal.

Data: every plugin's example data as shipped, the synthetic national data of benchmarks/national.py,
and both perturbed by hypothesis (values changed or dropped, units and periods the plans do not
have, reports sent early, late or never, any as-of date); then through the database and the CLI.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from plancheck.cli import cli
from plancheck.judge.assessment import assess, count, example_observations, province_plans
from plancheck.judge.compare import ProvinceAssessment, compare
from plancheck.judge.counting import DatabaseRows, ObservationRows, split, tally_findings
from plancheck.plans.model import Observation, Plan
from plancheck.plans.plugins import load_registry
from plancheck.plans.programme import get_programme, national_target_ids

PROFILE = settings(max_examples=int(os.environ.get("PLANCHECK_COUNTING_EXAMPLES", "60")), deadline=None,
                   database=None, print_blob=True,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
EXAMPLE_PROVINCES = ("hung_yen", "ninh_binh", "tien_giang", "vinh_long")
AS_OF = (date(2024, 6, 30), date(2025, 3, 31), date(2025, 12, 31), date(2026, 6, 30))


def both_ways(pm, province: str, plans: list[Plan], observations: list[Observation], as_of: date):
    """(full path, counting path): each as (counts per finding's what and verdict, national findings, notices)."""
    report = assess(pm, province, plans, observations, as_of)
    national = {(p.id, t) for p in plans for t in national_target_ids(p)}
    full = (tally_findings(report.findings),
            [f.to_json() for f in report.findings if f.kind == "target" and (f.plan, f.item) in national],
            report.notices)
    counts, kept = count(pm, province, plans, ObservationRows(observations), as_of)
    return full, (counts, [f.to_json() for f in kept.findings], kept.notices)


def assert_same(full, counted) -> None:
    (full_counts, full_kept, full_notices), (counts, kept, notices) = full, counted
    differ = {k: (full_counts.get(k), counts.get(k)) for k in set(full_counts) | set(counts)
              if full_counts.get(k) != counts.get(k)}
    assert not differ, f"counts differ (full path, counting path): {differ}"
    assert kept == full_kept
    assert notices == full_notices


# -- the data ------------------------------------------------------------------------------------

@cache
def registry():
    return load_registry()


@cache
def examples() -> dict[str, tuple[list[Plan], list[Observation]]]:
    _, reg = registry()
    out = {}
    for p in EXAMPLE_PROVINCES:
        plans = province_plans(reg, p)
        out[p] = (plans, example_observations(reg, p, plans, date(2026, 12, 31)))
    return out


def _national_module():
    spec = importlib.util.spec_from_file_location("bench_national", ROOT / "benchmarks" / "national.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # attrs classes look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> dict:
    """Two synthetic provinces of benchmarks/national.py (a few communes each), as the benchmark writes them."""
    from plancheck.data.workbook import read_form_bytes
    from plancheck.plans.planfile import load_plan

    out = tmp_path_factory.mktemp("national")
    info = _national_module().generate(out, scale=0.002, provinces=2)
    provinces = {}
    for p in info["provinces"]:
        plans = [load_plan(Path(info["site"]) / "plancheck_bench_national" / "plans" / f"{p}.toml")]
        form = Path(info["forms"]) / f"{p}.csv"
        obs = read_form_bytes(form, form.read_bytes(), {(x.province, x.id): x for x in plans},
                              date(2026, 12, 31)).observations
        provinces[p] = (plans, list(obs))
    return {"info": info, "provinces": provinces}


# -- as shipped ----------------------------------------------------------------------------------

@pytest.mark.parametrize("province", EXAMPLE_PROVINCES)
@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_every_plugin_s_example_data_is_counted_as_judged(province, as_of):
    plans, observations = examples()[province]
    full, counted = both_ways(registry()[0], province, plans, observations, as_of)
    assert sum(n for n, _ in full[0].values()) > 40  # something to count
    assert_same(full, counted)


def test_the_example_data_reach_every_part_of_the_counting():
    """What the comparisons above cover: counted value and ratio targets, every status, findings
    marked by the lineage, national targets kept whole, late reports, consistency checks."""
    seen = set()
    for province, (plans, observations) in examples().items():
        for as_of in AS_OF:
            report = assess(registry()[0], province, plans, observations, as_of)
            kinds = {(p.id, t.id): t.kind for p in plans for t in p.targets}
            seen |= {(kinds.get((f.plan, f.item), f.kind), f.status, f.reason) for f in report.findings}
    assert {("value", "met", None), ("ratio", "not_met", "below_target"), ("ratio", "no_data", None),
            ("ratio", "no_data", "unit_reorganised"), ("value", "no_data", "unit_reorganised"),
            ("obligation", "not_met", "late"), ("task", "pending", "no_deadline")} <= seen


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_national_data_are_counted_as_judged(national, as_of):
    for province, (plans, observations) in national["provinces"].items():
        full, counted = both_ways(registry()[0], province, plans, observations, as_of)
        assert len(counted[1]) > 0  # national targets kept
        assert_same(full, counted)


# -- perturbed -----------------------------------------------------------------------------------

VALUES = st.one_of(st.sampled_from([0.0, -0.0, 1.0, 2.0, 5.0, 40.0, 100.0, 161.0, 1000.0]),
                   st.floats(min_value=-10, max_value=5000, allow_nan=False, allow_infinity=False))


@st.composite
def perturbation(draw, observations: list[Observation], plans: list[Plan]):
    """One change an agency's form could bring: a value, a day, a unit, a period, a row dropped or added."""
    units = sorted({u.id for p in plans for u in p.units}) + ["x_not_in_the_plan"]
    periods = sorted({o.period for o in observations}) + ["2019", "2030Q1", "2024H2"]
    i = draw(st.integers(0, len(observations) - 1))
    ob = observations[i]
    what = draw(st.sampled_from(["value", "value", "drop", "date", "unit", "period", "copy"]))
    if what == "value":
        return i, attrs.evolve(ob, value=draw(VALUES) if ob.kind == "measure" else ob.value)
    if what == "drop":
        return i, None
    if what == "date":
        day = draw(st.one_of(st.none(), st.integers(-400, 400).map(
            lambda d: (ob.date or date(2024, 12, 31)) + timedelta(days=d))))
        return i, attrs.evolve(ob, date=day)
    if what == "unit":
        return i, attrs.evolve(ob, unit=draw(st.sampled_from(units)))
    if what == "period":
        return i, attrs.evolve(ob, period=draw(st.sampled_from(periods)))
    # a second row for the same datum (the later one is current, as in the full path)
    return len(observations), attrs.evolve(ob, value=draw(VALUES) if ob.kind == "measure" else ob.value)


@st.composite
def perturbed(draw, data: dict[str, tuple[list[Plan], list[Observation]]]):
    province = draw(st.sampled_from(sorted(data)))
    plans, observations = data[province]
    rows: list[Observation | None] = list(observations)
    for i, changed in draw(st.lists(perturbation(observations, plans), max_size=40)):
        if i >= len(rows):
            rows.append(changed)
        else:
            rows[i] = changed
    as_of = draw(st.dates(date(2020, 12, 1), date(2026, 12, 31)))
    return province, plans, [o for o in rows if o is not None], as_of


@PROFILE
@given(data=st.data())
def test_perturbed_example_data_are_counted_as_judged(data):
    province, plans, observations, as_of = data.draw(perturbed(examples()))
    assert_same(*both_ways(registry()[0], province, plans, observations, as_of))


@PROFILE
@given(data=st.data())
def test_perturbed_national_data_are_counted_as_judged(national, data):
    province, plans, observations, as_of = data.draw(perturbed(national["provinces"]))
    assert_same(*both_ways(registry()[0], province, plans, observations, as_of))


def test_the_perturbations_make_every_verdict_the_rules_have(national):
    """The national data perturbed reach what they were made to: parts larger than their whole,
    no data, pending, late and missing reports (so the properties above are not vacuous)."""
    plans, observations = national["provinces"]["tinh_01"]
    rows = list(observations)
    users = next(i for i, o in enumerate(rows) if o.item == "users" and o.value)
    rows[users] = attrs.evolve(rows[users], value=0.0)  # records > users: inconsistent, and not 100%
    rows = [o for o in rows if not (o.item == "awareness_sessions" and o.period == "2023Q2")]
    full, counted = both_ways(registry()[0], "tinh_01", plans, rows, date(2023, 5, 15))
    statuses = {(k[1], k[5], k[6]) for k in full[0]}
    assert {("consistency", "not_met", "inconsistent"), ("target", "no_data", None), ("target", "pending", None),
            ("obligation", "not_met", "late"), ("target", "met", None)} <= statuses
    assert_same(full, counted)


@pytest.fixture
def lineage_plugin(install_plugin):
    """test_lineage's province: communes merged, split and renamed, values carried over or not; a value
    for every commune of the lineage every year (whether or not it existed then)."""
    from test_lineage import LINEAGE, LINEAGE_PLUGIN, PLAN

    install_plugin("plancheck_test_lineage", LINEAGE_PLUGIN, {"plan.toml": PLAN, "lineage.toml": LINEAGE},
                   entry_point="test_province")
    pm, reg = load_registry()
    plans = province_plans(reg, "test_province")
    rows = [(u, p, "addicts", v) for u in ("xa_a", "xa_b", "xa_ab", "xa_s", "xa_s1", "xa_s2", "xa_old", "xa_new")
            for p, v in (("2024", 4), ("2025", 12), ("2026", 7))]
    rows += [("xa_a", "2024", "treated_share", 90), ("xa_b", "2024", "treated_share", 70)]
    observations = [Observation(province="test_province", plan=plans[0].id, item=item, kind="measure", period=period,
                                unit=unit, value=float(value), source_file="data.csv", row=i)
                    for i, (unit, period, item, value) in enumerate(rows, start=2)]
    return pm, plans, observations


def test_units_reorganised_are_counted_as_marked(lineage_plugin):
    pm, plans, observations = lineage_plugin
    reasons = set()
    for as_of in (date(2024, 6, 30), date(2025, 3, 31), date(2025, 12, 31), date(2026, 6, 30), date(2027, 1, 15)):
        full, counted = both_ways(pm, "test_province", plans, observations, as_of)
        assert_same(full, counted)
        reasons |= {(k[5], k[6]) for k in full[0]}
    assert {("no_data", "unit_reorganised"), ("pending", None), ("met", None), ("not_met", "above_limit")} <= reasons


@PROFILE
@given(data=st.data())
def test_perturbed_reorganised_units_are_counted_as_marked(lineage_plugin, data):
    pm, plans, observations = lineage_plugin
    province, plans, observations, as_of = data.draw(perturbed({"test_province": (plans, observations)}))
    assert_same(*both_ways(pm, province, plans, observations, as_of))


# -- through the database and the CLI ------------------------------------------------------------

def test_the_database_s_rows_are_read_as_the_observations_are(runner, national, isolated_db, monkeypatch):
    """What the counting path reads from the database (tuples of the needed columns) is what the
    observations give, and counts the same."""
    from plancheck.data import store

    info = national["info"]
    monkeypatch.syspath_prepend(info["site"])
    forms = [str(Path(info["forms"]) / f"{p}.csv") for p in info["provinces"]]
    assert runner.invoke(cli, ["ingest", *forms]).exit_code == 0
    engine = store.open_engine(isolated_db)
    for province, (plans, _) in national["provinces"].items():
        plan = plans[0]
        sourced = {"prov_users_reached", "prov_cases"}
        observations = store.current_observations(engine, province)
        values, others, periods = DatabaseRows(engine, province).load(plan, sourced, ())
        rest = split(others, sourced)
        assert split(observations, sourced) == ({**values, **rest[0]}, rest[1], rest[2])
        assert periods == {o.period for o in observations}
        assert len(values) > 1000 and len(others) > 30 + 12
        as_of = date(2026, 6, 30)
        counts, kept = count(registry()[0], province, plans, DatabaseRows(engine, province), as_of)
        assert_same(both_ways(registry()[0], province, plans, observations, as_of)[0],
                    (counts, [f.to_json() for f in kept.findings], kept.notices))


@settings(PROFILE, max_examples=max(5, PROFILE.max_examples // 3))
@given(data=st.data())
def test_perturbed_data_read_from_the_database_are_counted_as_judged(lineage_plugin, national, data,
                                                                      tmp_path_factory):
    """The database's rows read as tuples (units the lineage knows apart, as observations) count as the
    full path judges the same rows read as observations; each way of reading gives the same data."""
    from plancheck.data import store

    pm, plans, observations = lineage_plugin
    sources = {"test_province": (plans, observations), **national["provinces"], **examples()}
    province, plans, rows, as_of = data.draw(perturbed(sources))
    latest = {(o.plan, o.item, o.agency, o.unit, o.period): o for o in rows}  # one row per datum, as stored
    engine = store.open_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'plancheck.db'}")
    try:
        store.ingest(engine, list(latest.values()), file="perturbed.csv", sha256="0" * 64, reporter="test")
        stored = store.current_observations(engine, province)
        source, given_ = DatabaseRows(engine, province), ObservationRows(stored)
        for plan in plans:
            apart = {u.id for u in plan.units[:3]} | {"x_not_in_the_plan"}
            for sourced, units in (({"addicts"}, apart), ((), ())):
                (values, others, periods), (values_, others_, periods_) = (
                    source.load(plan, sourced, units), given_.load(plan, sourced, units))
                assert (values, periods) == (values_, periods_)
                assert sorted(map(repr, others)) == sorted(map(repr, others_))
        counts, kept = count(pm, province, plans, source, as_of)
        assert_same(both_ways(pm, province, plans, stored, as_of)[0],
                    (counts, [f.to_json() for f in kept.findings], kept.notices))
    finally:
        engine.dispose()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_compare_through_the_cli_is_what_the_full_path_gives(runner, national, monkeypatch, jobs):
    """``plancheck compare --fresh`` (the counting path, in this process or in forked workers) prints
    the comparison the full path's reports give, byte for byte."""
    from plancheck.publish.text import json_text

    info = national["info"]
    monkeypatch.syspath_prepend(info["site"])
    forms = [str(Path(info["forms"]) / f"{p}.csv") for p in info["provinces"]]
    assert runner.invoke(cli, ["ingest", *forms]).exit_code == 0
    as_of = date(2026, 6, 30)
    args = ["compare", "--as-of", as_of.isoformat(), "--programme", "decision-1452-2021", "--format", "json",
            "--fresh", "--jobs", jobs]
    for p in info["provinces"]:
        args += ["--province", p]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    pm, reg = load_registry()
    full = []
    for province in info["provinces"]:
        plans = province_plans(reg, province)
        report = assess(pm, province, plans, national["provinces"][province][1], as_of)
        full.append(ProvinceAssessment(province, reg.provinces()[province][0].province_name, tuple(plans), report))
    doc = compare(full, get_programme("decision-1452-2021"), as_of)
    assert res.stdout == json_text(doc) + "\n"
    shown = json.loads(res.stdout)
    assert shown["reporting"][0]["expected"] > 0
    assert any(r.get("status") == "met" for i in shown["indicators"] for r in i["provinces"])
