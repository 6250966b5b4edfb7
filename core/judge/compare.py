"""The national view: provinces side by side on a national programme's indicators.

Each province wrote its plan in its own words and for its own period. Targets
that declare ``national = "<code>"`` (or that a plan includes from the
programme) are lined up by indicator; provinces are compared only on the
years every compared plan covers, and the output says which.

Per indicator and province: the province's own threshold, the actual value,
the verdict, and *attainment*, the actual as a share of the province's own
threshold (threshold/actual where lower is better), so that different
thresholds compare fairly. "not in plan" (the plan does not adopt the
indicator) is distinct from "no data" and from "skipped" (the plan says it
leaves it out).

Provinces are grouped as they exist on the units date (``--as-of``, or
``--units-as-of``): after the 2025 reorganisation one group per current
province, with the plans of the provinces it was formed from under it (see
docs/reorganisation.md). A count of units that the plan states with its total
("53 of 161 communes drug-free") stands for a share indicator as a percentage,
and an indicator set by each province's roadmap is compared with the
province's own figure for the year.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

import attrs

from plancheck.judge.counting import TallyKey, summarise, tally_findings
from plancheck.judge.verdicts import Evidence, Finding, Report
from plancheck.plans.calendar import Period
from plancheck.plans.model import Plan, Programme, Target
from plancheck.plans.programme import national_target_ids, national_targets, skips

ROADMAP_RULE = ("Each province is compared with its own figure for the year, which it registers on its "
                "roadmap towards the national threshold; the national threshold is for the programme's end.")

GROUPING_RULE = ("Provinces are grouped as they exist on the units date: a province formed by a merger is one "
                 "group, with the plans of the provinces it was formed from under it, each judged on the units "
                 "it was written for (a finding on a unit since reorganised without an exact mapping is "
                 "no_data, unit_reorganised).")

RANKING_RULE = (
    "Provinces are ranked by the share of their national-indicator verdicts that are met "
    "(met / (met + not met)) over the shared periods; ties are broken by the on-time reporting "
    "rate, then by province id. A province with no judged indicator, or with data for under half "
    "of its due plan items (coverage < 50%), is listed unranked, so little data cannot rank first."
)



@attrs.frozen
class ProvinceAssessment:
    """One province's input to a comparison: its report, or why there is none.

    Memory (issue 9): a national comparison holds every province's assessment at
    once, and one province's report can hold tens of thousands of findings (63
    such reports took 1.5 GB). So the report kept here holds only the findings of
    national targets, which :func:`compare` shows one by one; every finding of the
    report given is first counted in ``tally`` by all the reporting and coverage
    figures read of it (``[count, days late summed]`` per :data:`TallyKey`), so the
    comparison is exactly what the whole report gives. A comparison judges by the
    counting path (:meth:`counted`, issue 20), which never builds the findings it
    would only count.
    """

    province: str
    name: str
    plans: tuple[Plan, ...] = ()
    report: Report | None = None
    failure: str | None = None
    tally: dict[TallyKey, list[int]] = attrs.field(factory=dict, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.report is None:
            return
        # An assessment read back from the cache (:meth:`from_saved`) or counted (:meth:`counted`)
        # comes counted already.
        if not self.tally:
            self.tally.update(summarise(tally_findings(self.report.findings)))
        national = {(p.id, t) for p in self.plans for t in national_target_ids(p)}
        kept = tuple(f for f in self.report.findings if f.kind == "target" and (f.plan, f.item) in national)
        # A frozen class sets its own fields in post-init this way (attrs' documented idiom).
        object.__setattr__(self, "report", attrs.evolve(self.report, findings=kept))


    @classmethod
    def counted(cls, province: str, name: str, plans: Sequence[Plan], counts: dict[Any, list[int]],
                report: Report) -> ProvinceAssessment:
        """The assessment from the counting path (:func:`plancheck.judge.assessment.count`): every
        finding counted per plan, item and the rest (``counts``), a report of the national targets' findings."""
        return cls(province, name, tuple(plans), report, tally=summarise(counts))

    def to_saved(self) -> dict[str, Any]:
        """What a later comparison needs of this assessment, as JSON (see :meth:`from_saved`)."""
        assert self.report is not None, "only a province that was assessed is kept"
        return {
            "tally": [[k[0], k[1], k[2].isoformat() if k[2] else None, k[3], k[4], *v]
                      for k, v in self.tally.items()],
            "findings": [f.to_json() for f in self.report.findings],
            "notices": list(self.report.notices),
        }

    @classmethod
    def from_saved(cls, province: str, name: str, plans: Sequence[Plan], as_of: date,
                   saved: dict[str, Any]) -> ProvinceAssessment:
        """The assessment :meth:`to_saved` kept: the same tally, national findings and notices."""
        tally = {(k, p, date.fromisoformat(d) if d else None, s, r): [n, late]
                 for k, p, d, s, r, n, late in saved["tally"]}
        report = Report(province, as_of, tuple(_finding(f) for f in saved["findings"]),
                        tuple(saved["notices"]))
        return cls(province, name, tuple(plans), report, tally=tally)


def _finding(d: dict[str, Any]) -> Finding:
    """A Finding from its ``to_json`` form."""
    fields = dict(d)
    fields["due"] = date.fromisoformat(d["due"]) if d["due"] else None
    fields["evidence"] = tuple(
        Evidence(**{**e, "date": date.fromisoformat(e["date"]) if e["date"] else None}) for e in d["evidence"])
    return Finding(**fields)


def _years(plans: Sequence[Plan]) -> set[int]:
    return {y for p in plans for y in range(p.period.start.year, p.period.end.year + 1)}


#: Performance (issue 9): a comparison asks for the same few dozen period ids once per
#: finding; Period is immutable, so each id is parsed once.
_period = lru_cache(maxsize=4096)(Period.parse)


def _in_years(period_id: str, years: set[int]) -> bool:
    return _period(period_id).start.year in years


def _attainment(actual: object, threshold: float | None, direction: str) -> float | None:
    if not isinstance(actual, int | float) or threshold is None or threshold <= 0:
        return None
    if direction == "higher":
        return round(actual / threshold, 3)
    return round(threshold / actual, 3) if actual > 0 else None


def compare(assessments: Sequence[ProvinceAssessment], programme: Programme, as_of: date,
            period: str | None = None, units_as_of: date | None = None) -> dict[str, object]:
    """The comparison as a JSON-ready document (see docs and ``plancheck compare --help``)."""
    units_day = units_as_of or as_of
    groups, group_of = group_provinces(assessments, units_day)
    # One row per current province, the plans of its predecessors under it: rows in group order.
    assessments = sorted(assessments, key=lambda a: (group_of.get(a.province, a.province), a.province))
    ok = [a for a in assessments if a.report is not None]
    year_sets = [_years(a.plans) for a in ok if a.plans]
    shared = set.intersection(*year_sets) if year_sets else set()
    if period is not None:
        wanted = {Period.parse(period).start.year}
        period_note = (f"period {period} requested" +
                       ("" if wanted <= shared else "; it is NOT covered by every compared plan"))
        years = wanted
    elif shared:
        years = shared
        period_note = f"compared on the years every compared plan covers: {_span(shared)}"
    else:
        years = set().union(*year_sets) if year_sets else set()
        period_note = "no year is covered by every compared plan; each province is shown on its own years"

    def keep_period(pid: str) -> bool:
        if period is not None:
            return pid == period or (_period(pid).type != "yearly" and _in_years(pid, years)
                                     and _period(period).type == "yearly")
        return _in_years(pid, years)

    def keep(f: Finding) -> bool:
        return keep_period(f.period)

    indicators: list[dict[str, Any]] = []
    for ind in programme.indicators:
        rows: list[dict[str, Any]] = []
        for a in assessments:
            if a.report is None:
                rows.append({"province": a.province, "adoption": "failed", "reason": a.failure})
                continue
            group = group_of.get(a.province, a.province)
            targets = [(p, t, how) for p in a.plans for t, code, how in national_targets(p, programme.id)
                       if code == ind.code]
            skipped = any(skips(p, programme.id, ind.code) for p in a.plans)
            if not targets:
                rows.append({"province": a.province, "group": group,
                             "adoption": "skipped" if skipped else "not_in_plan"})
                continue
            plan, target, adoption = targets[0]
            share = _as_share(target, ind.unit)
            threshold = share(target.threshold)
            found = [f for f in a.report.findings
                     if f.kind == "target" and f.item == target.id and f.plan == plan.id and keep(f)]
            for f in found:
                actual = share(f.actual) if isinstance(f.actual, int | float) else f.actual
                row = {
                    "province": a.province, "group": group, "adoption": adoption, "plan": plan.id,
                    "target": target.id, "source": target.source, "comparator": target.comparator,
                    "threshold": threshold, "period": f.period, "unit": f.unit, "actual": actual,
                    "status": f.status, "reason": f.reason,
                    "attainment": _attainment(actual, threshold, ind.direction)
                    if f.status in ("met", "not_met") else None,
                }
                if share is not _same:
                    row["count"] = {"actual": f.actual, "threshold": target.threshold, "of": target.of}
                rows.append(row)
            if not found:
                rows.append({"province": a.province, "group": group, "adoption": adoption, "plan": plan.id,
                             "target": target.id, "status": "no_period_shared"})
        indicators.append({
            "code": ind.code, "name": ind.name, "name_en": ind.name_en, "unit": ind.unit,
            "direction": ind.direction, "national": {"comparator": ind.comparator, "threshold": ind.threshold},
            "by": ind.by.isoformat() if ind.by else None, "roadmap": ind.roadmap,
            "threshold_rule": (ROADMAP_RULE if ind.roadmap else None),
            "confirmed": ind.confirmed, "provinces": rows,
        })

    reporting: list[dict[str, Any]] = []
    coverage: list[dict[str, Any]] = []
    scores: list[dict[str, Any]] = []
    for a in ok:
        assert a.report is not None
        # Findings counted by (kind, period, due, status, reason): see ProvinceAssessment.
        due = [(k, n) for k, n in a.tally.items() if k[2] is not None and k[2] <= as_of and keep_period(k[1])]
        obs = [(k, n) for k, n in due if k[0] == "obligation"]
        expected = sum(n[0] for _, n in obs)
        on_time = sum(n[0] for k, n in obs if k[3] == "met")
        late = sum(n[0] for k, n in obs if k[4] == "late")
        days_late = sum(n[1] for k, n in obs if k[4] == "late")
        missing = sum(n[0] for k, n in obs if k[4] == "missing")
        received = on_time + late
        reporting.append({
            "province": a.province, "expected": expected, "received": received, "on_time": on_time,
            "late": late, "missing": missing,
            "received_rate": _rate(received, expected), "on_time_rate": _rate(on_time, expected),
            "mean_days_late": round(days_late / late, 1) if late else None,
        })
        items_due = sum(n[0] for _, n in due)
        with_data = sum(n[0] for k, n in due if k[3] in ("met", "not_met") and k[4] != "missing")
        share = _rate(with_data, items_due)
        coverage.append({"province": a.province, "items_due": items_due, "with_data": with_data,
                         "share": share})
        verdicts = [r for i in indicators for r in i["provinces"]
                    if r["province"] == a.province and r.get("status") in ("met", "not_met")]
        met = sum(1 for r in verdicts if r["status"] == "met")
        scores.append({"province": a.province, "met": met, "judged": len(verdicts),
                       "score": _rate(met, len(verdicts)), "coverage": share,
                       "on_time_rate": reporting[-1]["on_time_rate"]})
    ranked = sorted((s for s in scores if s["judged"] and (s["coverage"] or 0) >= 0.5),
                    key=lambda s: (-(s["score"] or 0), -(s["on_time_rate"] or 0), s["province"]))
    unranked = [dict(s, rank=None, why=_unranked_why(s, indicators)) for s in scores if s not in ranked]
    return {
        "as_of": as_of.isoformat(),
        "programme": {"id": programme.id, "name": programme.name, "name_en": programme.name_en,
                      "document": programme.document},
        "provinces": [{"province": a.province, "name": a.name, "group": group_of.get(a.province, a.province),
                       "status": "failed" if a.report is None else "ok",
                       "reason": a.failure, "notices": list(a.report.notices) if a.report else []}
                      for a in assessments],
        "units": {"as_of": units_day.isoformat(), "rule": GROUPING_RULE, "groups": groups},
        "periods": {"years": sorted(years), "rule": period_note},
        "indicators": indicators,
        "reporting": reporting,
        "coverage": coverage,
        "ranking": {"rule": RANKING_RULE,
                    "rows": [dict(s, rank=i) for i, s in enumerate(ranked, start=1)] + unranked},
    }


def group_provinces(assessments: Sequence[ProvinceAssessment], day: date) -> tuple[list[dict[str, Any]],
                                                                                  dict[str, str]]:
    """The provinces that exist on ``day``, each with the provinces it was formed from and their plans;
    and, for each assessed province, the id of its group.

    A plan is placed by the province it was written for (the version in force when it starts), followed
    through the lineage to ``day``. A province the lineage does not know is a group of its own.
    """
    from plancheck.plans.lineage import load_lineage, provinces_on

    lineage = load_lineage(None)  # provinces are national reference data: core's lineage alone
    group_of: dict[str, str] = {}
    for a in assessments:
        start = min((p.period.start for p in a.plans), default=day)
        known = [v for v in lineage.versions_of(a.province) if (v.valid_from or date.min) <= min(start, day)]
        if known:
            now = lineage.successors_on(known[-1], day)
            group_of[a.province] = now[0].id if now else a.province
    by_id = {a.province: a for a in assessments}

    def entry(province: str, name: str, valid_to: date | None) -> dict[str, Any]:
        a = by_id.get(province)
        return {"province": province, "name": name, "valid_to": valid_to.isoformat() if valid_to else None,
                "plans": [p.id for p in a.plans] if a else [],
                "status": "no_plugin" if a is None else "failed" if a.report is None else "ok"}

    groups = []
    placed: set[str] = set()
    for current in provinces_on(lineage, day):
        step = lineage.created(current)
        before = list(step.before) if step else [current]
        # Every province this one was formed from; an assessed one only if its plans fall here.
        members = [entry(v.id, v.name, v.valid_to) for v in before
                   if v.id not in by_id or group_of.get(v.id) == current.id]
        members += [entry(p, by_id[p].name, None) for p, g in sorted(group_of.items())
                    if g == current.id and p not in {m["province"] for m in members}]
        placed.update(m["province"] for m in members)
        groups.append({"province": current.id, "name": current.name,
                       "valid_from": current.valid_from.isoformat() if current.valid_from else None,
                       "formed_by": step.describe() if step else None, "predecessors": members})
    for a in assessments:
        if a.province not in placed:
            group_of.setdefault(a.province, a.province)
            groups.append({"province": a.province, "name": a.name, "valid_from": None, "formed_by": None,
                           "predecessors": [entry(a.province, a.name, None)]})
    return groups, group_of


def _same(x: Any) -> Any:
    return x


def _as_share(target: Target, unit: str) -> Any:
    """How a target's figures stand for a percentage indicator: a count of units the plan states with its
    total ("53 of 161") as that share of the total (32.9%); anything else as it is."""
    if unit == "percent" and target.kind == "class_count" and target.of:
        of = target.of
        return lambda x: None if x is None else round(x / of * 100, 1)
    return _same


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 3) if d else None


def _span(years: set[int]) -> str:
    ys = sorted(years)
    return str(ys[0]) if len(ys) == 1 else f"{ys[0]}–{ys[-1]}"


#: Why a province is listed unranked (``ranking.rows[].why``), the first that applies.
UNRANKED_WHY = ("no_national_indicator", "nothing_judged", "low_coverage")


def _unranked_why(score: dict[str, Any], indicators: list[dict[str, Any]]) -> str:
    """The real reason a province is not ranked: its plan adopts none of the programme's indicators
    (``no_national_indicator``: however complete its data), none of those it adopts could be judged
    in the periods compared (``nothing_judged``), or it has data for under half of its plan items
    due (``low_coverage``)."""
    if not score["judged"]:
        rows = [r for i in indicators for r in i["provinces"] if r["province"] == score["province"]]
        adopted = [r for r in rows if r.get("adoption") not in ("not_in_plan", "skipped", "failed")]
        return "no_national_indicator" if not adopted else "nothing_judged"
    return "low_coverage"
