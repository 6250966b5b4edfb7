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
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs

from plancheck.calendar import Period
from plancheck.model import Plan, Programme
from plancheck.verdicts import Finding, Report

RANKING_RULE = (
    "Provinces are ranked by the share of their national-indicator verdicts that are met "
    "(met / (met + not met)) over the shared periods; ties are broken by the on-time reporting "
    "rate, then by province id. A province with no judged indicator, or with data for under half "
    "of its due plan items (coverage < 50%), is listed unranked, so little data cannot rank first."
)


@attrs.frozen
class ProvinceAssessment:
    """One province's input to a comparison: its report, or why there is none."""

    province: str
    name: str
    plans: tuple[Plan, ...] = ()
    report: Report | None = None
    failure: str | None = None


def _years(plans: Sequence[Plan]) -> set[int]:
    return {y for p in plans for y in range(p.period.start.year, p.period.end.year + 1)}


def _in_years(period_id: str, years: set[int]) -> bool:
    return Period.parse(period_id).start.year in years


def _attainment(actual: object, threshold: float | None, direction: str) -> float | None:
    if not isinstance(actual, int | float) or threshold is None or threshold <= 0:
        return None
    if direction == "higher":
        return round(actual / threshold, 3)
    return round(threshold / actual, 3) if actual > 0 else None


def compare(assessments: Sequence[ProvinceAssessment], programme: Programme, as_of: date,
            period: str | None = None) -> dict[str, object]:
    """The comparison as a JSON-ready document (see docs and ``plancheck compare --help``)."""
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

    def keep(f: Finding) -> bool:
        if period is not None:
            return f.period == period or (Period.parse(f.period).type != "yearly" and _in_years(f.period, years)
                                          and Period.parse(period).type == "yearly")
        return _in_years(f.period, years)

    indicators: list[dict[str, Any]] = []
    for ind in programme.indicators:
        rows: list[dict[str, Any]] = []
        for a in assessments:
            if a.report is None:
                rows.append({"province": a.province, "adoption": "failed", "reason": a.failure})
                continue
            targets = [(p, t) for p in a.plans for t in p.targets if t.national == ind.code]
            skipped = any(p.adopts and ind.code in p.adopts.skip and p.adopts.programme == programme.id
                          for p in a.plans)
            if not targets:
                rows.append({"province": a.province, "adoption": "skipped" if skipped else "not_in_plan"})
                continue
            plan, target = targets[0]
            adoption = "included" if target.id.startswith("national.") else "restated"
            found = [f for f in a.report.findings
                     if f.kind == "target" and f.item == target.id and f.plan == plan.id and keep(f)]
            for f in found:
                rows.append({
                    "province": a.province, "adoption": adoption, "plan": plan.id, "target": target.id,
                    "source": target.source, "comparator": target.comparator, "threshold": target.threshold,
                    "period": f.period, "unit": f.unit, "actual": f.actual, "status": f.status,
                    "attainment": _attainment(f.actual, target.threshold, ind.direction)
                    if f.status in ("met", "not_met") else None,
                })
            if not found:
                rows.append({"province": a.province, "adoption": adoption, "plan": plan.id,
                             "target": target.id, "status": "no_period_shared"})
        indicators.append({
            "code": ind.code, "name": ind.name, "name_en": ind.name_en, "unit": ind.unit,
            "direction": ind.direction, "national": {"comparator": ind.comparator, "threshold": ind.threshold},
            "confirmed": ind.confirmed, "provinces": rows,
        })

    reporting: list[dict[str, Any]] = []
    coverage: list[dict[str, Any]] = []
    scores: list[dict[str, Any]] = []
    for a in ok:
        assert a.report is not None
        due = [f for f in a.report.findings if keep(f) and f.due is not None and f.due <= as_of]
        obs = [f for f in due if f.kind == "obligation"]
        on_time = sum(1 for f in obs if f.status == "met")
        late = [f for f in obs if f.reason == "late"]
        missing = sum(1 for f in obs if f.reason == "missing")
        received = on_time + len(late)
        reporting.append({
            "province": a.province, "expected": len(obs), "received": received, "on_time": on_time,
            "late": len(late), "missing": missing,
            "received_rate": _rate(received, len(obs)), "on_time_rate": _rate(on_time, len(obs)),
            "mean_days_late": round(sum(f.days_late or 0 for f in late) / len(late), 1) if late else None,
        })
        with_data = sum(1 for f in due if f.status in ("met", "not_met") and f.reason != "missing")
        share = _rate(with_data, len(due))
        coverage.append({"province": a.province, "items_due": len(due), "with_data": with_data,
                         "share": share})
        verdicts = [r for i in indicators for r in i["provinces"]
                    if r["province"] == a.province and r.get("status") in ("met", "not_met")]
        met = sum(1 for r in verdicts if r["status"] == "met")
        scores.append({"province": a.province, "met": met, "judged": len(verdicts),
                       "score": _rate(met, len(verdicts)), "coverage": share,
                       "on_time_rate": reporting[-1]["on_time_rate"]})
    ranked = sorted((s for s in scores if s["judged"] and (s["coverage"] or 0) >= 0.5),
                    key=lambda s: (-(s["score"] or 0), -(s["on_time_rate"] or 0), s["province"]))
    unranked = [dict(s, rank=None, why="insufficient data") for s in scores if s not in ranked]
    return {
        "as_of": as_of.isoformat(),
        "programme": {"id": programme.id, "name": programme.name, "name_en": programme.name_en,
                      "document": programme.document},
        "provinces": [{"province": a.province, "name": a.name, "status": "failed" if a.report is None else "ok",
                       "reason": a.failure, "notices": list(a.report.notices) if a.report else []}
                      for a in assessments],
        "periods": {"years": sorted(years), "rule": period_note},
        "indicators": indicators,
        "reporting": reporting,
        "coverage": coverage,
        "ranking": {"rule": RANKING_RULE,
                    "rows": [dict(s, rank=i) for i, s in enumerate(ranked, start=1)] + unranked},
    }


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 3) if d else None


def _span(years: set[int]) -> str:
    ys = sorted(years)
    return str(ys[0]) if len(ys) == 1 else f"{ys[0]}–{ys[-1]}"
