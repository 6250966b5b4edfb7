"""Verdicts: a plan, what was reported, and a date → findings.

Pure functions, no database: :func:`evaluate` takes the plan, the current
observations and the as-of date and returns one :class:`Finding` per target,
task and obligation, per period and unit (and per agency where several
agencies owe the same thing: each is judged on its own).

Statuses: ``met``, ``not_met``, ``pending`` (not yet due, or the period is
not over) and ``no_data`` (a target whose period is over with nothing to judge
it by). A ``not_met`` finding says why in ``reason``: ``late`` (with
``days_late``), ``missing`` (past due, nothing submitted), ``below_target``,
``above_limit``, ``growth_too_low``, ``growth_too_high``, ``not_increased``,
``not_decreased``, ``not_in_class``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date

import attrs

from plancheck.calendar import Period
from plancheck.model import Condition, Observation, Plan, Rule, Target
from plancheck.schedule import (
    obligation_occurrences,
    plan_year_period,
    target_occurrences,
    task_due,
)

ValueKey = tuple[str, str, str]
Values = Mapping[ValueKey, float]
Deriver = Callable[[Plan, Values], Iterable[Mapping[ValueKey, float]]]

STATUSES = ("met", "not_met", "pending", "no_data")


@attrs.frozen(kw_only=True)
class Finding:
    """The verdict on one target, task or obligation, for one period, unit and agency."""

    plan: str
    item: str
    kind: str
    name: str
    agency: str
    unit: str
    period: str
    due: date | None
    status: str
    reason: str | None
    expected: str
    actual: float | str | None
    source: str
    days_late: int | None = None
    assumed: str | None = None

    def to_json(self) -> dict[str, object]:
        """The finding as the JSON output documents it."""
        return {
            "plan": self.plan,
            "item": self.item,
            "kind": self.kind,
            "name": self.name,
            "agency": self.agency,
            "unit": self.unit,
            "period": self.period,
            "due": self.due.isoformat() if self.due else None,
            "status": self.status,
            "reason": self.reason,
            "expected": self.expected,
            "actual": self.actual,
            "days_late": self.days_late,
            "source": self.source,
            "assumed": self.assumed,
        }


@attrs.frozen
class Report:
    """All findings of a run, with the summary and the exit code they imply."""

    province: str
    as_of: date
    findings: tuple[Finding, ...]
    notices: tuple[str, ...] = ()

    def summary(self) -> dict[str, int]:
        """Number of findings per status (every status present, zero or not)."""
        counts = Counter(f.status for f in self.findings)
        return {s: counts.get(s, 0) for s in STATUSES} | {"total": len(self.findings)}

    @property
    def return_code(self) -> int:
        """1 if anything is not met, else 0 (as black's Report.return_code)."""
        return 1 if any(f.status == "not_met" for f in self.findings) else 0

    def to_json(self) -> dict[str, object]:
        return {
            "province": self.province,
            "as_of": self.as_of.isoformat(),
            "notices": list(self.notices),
            "findings": [f.to_json() for f in self.findings],
            "summary": self.summary(),
        }


def evaluate(
    plan: Plan,
    observations: Iterable[Observation],
    as_of: date,
    derive: Deriver | None = None,
) -> list[Finding]:
    """Judge every target, task and obligation of ``plan`` as of ``as_of``.

    ``observations`` are the current values (corrections already applied);
    ``derive`` computes a plugin's derived measures (the ``derive_values`` hook).
    """
    values: dict[ValueKey, float] = {}
    dates: dict[tuple[str, str, str, str], date] = {}
    for ob in observations:
        if ob.plan != plan.id:
            continue
        if ob.kind == "measure" and ob.value is not None:
            values[(ob.item, ob.unit, ob.period)] = ob.value
        elif ob.date is not None:
            dates[(ob.item, ob.agency, ob.unit, ob.period)] = ob.date
    if derive is not None:
        derived_ids = {m.id for m in plan.measures if m.derived}
        for result in derive(plan, dict(values)):
            for key, value in result.items():
                if key[0] not in derived_ids:
                    raise ValueError(
                        f"plugin derived {key[0]!r}, which plan {plan.id} does not declare "
                        "as a derived measure"
                    )
                values[key] = float(value)

    judge = _Judge(plan, values, as_of)
    findings: list[Finding] = []
    for target in plan.targets:
        findings.extend(judge.target(target))
    findings.extend(_tasks(plan, dates, as_of))
    findings.extend(_obligations(plan, dates, as_of))
    return findings


# -- targets -----------------------------------------------------------------

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
}


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


class _Judge:
    def __init__(self, plan: Plan, values: Values, as_of: date) -> None:
        self.plan = plan
        self.values = values
        self.as_of = as_of
        self.units = {u.id: u for u in plan.units}
        self.rules = {r.id: r for r in plan.rules}
        self.province_unit = plan.province_unit()

    def scope_units(self, target: Target) -> list[str]:
        if target.scope == "units":
            return list(target.units)
        if target.scope == "province":
            return [self.province_unit.id] if self.province_unit else []
        level = "district" if target.scope == "each_district" else "commune"
        return [u.id for u in self.plan.units if u.level == level]

    def under(self, unit_id: str, ancestor: str) -> bool:
        seen = set()
        u = self.units.get(unit_id)
        while u is not None and u.parent is not None and u.id not in seen:
            seen.add(u.id)
            if u.parent == ancestor:
                return True
            u = self.units.get(u.parent)
        return False

    def target(self, t: Target) -> Iterable[Finding]:
        for occ in target_occurrences(self.plan, t):
            period = Period.parse(occ.period)
            if t.kind == "class_count":
                yield self._class_count(t, period, occ.due)
                continue
            for unit in self.scope_units(t):
                yield self._one(t, unit, period, occ.due)

    def _finding(self, t: Target, unit: str, period: Period, due: date | None, ok: bool | None,
                 reason: str, expected: str, actual: float | str | None) -> Finding:
        if due is not None and self.as_of <= due:
            status, why = "pending", None
        elif ok is None:
            status, why = "no_data", None
        else:
            status, why = ("met", None) if ok else ("not_met", reason)
        return Finding(
            plan=self.plan.id, item=t.id, kind="target", name=t.name, agency=t.agency or "",
            unit=unit, period=period.id, due=due, status=status, reason=why, expected=expected,
            actual=actual, source=t.source, assumed=t.assumed,
        )

    def _one(self, t: Target, unit: str, period: Period, due: date | None) -> Finding:
        v = self.values
        cmp, thr = t.comparator or ">=", t.threshold if t.threshold is not None else 0.0
        low_reason = "below_target" if cmp in (">=", ">", "==") else "above_limit"
        if t.kind == "value":
            actual = v.get((t.measure or "", unit, period.id))
            ok = None if actual is None else _OPS[cmp](actual, thr)
            return self._finding(t, unit, period, due, ok, low_reason, f"{cmp} {_fmt(thr)}", actual)
        if t.kind == "ratio":
            num = v.get((t.numerator or "", unit, period.id))
            den = v.get((t.denominator or "", unit, period.id))
            pct = _percent(num, den)
            ok = None if pct is None else _OPS[cmp](pct, thr)
            actual = None if pct is None else round(pct, 2)
            return self._finding(t, unit, period, due, ok, low_reason, f"{cmp} {_fmt(thr)}%", actual)
        if t.kind in ("growth", "change"):
            cur = v.get((t.measure or "", unit, period.id))
            prev = v.get((t.measure or "", unit, period.previous().id))
            change: float | None = None
            if cur is not None and prev is not None:
                if t.kind == "change":
                    change = cur - prev
                elif prev != 0:
                    change = round((cur - prev) / prev * 100, 2)
                elif cur == 0:
                    change = 0.0
            ok = None if change is None else _OPS[cmp](change, thr)
            if t.kind == "growth":
                reason = "growth_too_low" if cmp in (">=", ">") else "growth_too_high"
                expected = f"growth {cmp} {_fmt(thr)}% vs {period.previous().id}"
            else:
                reason = "not_increased" if cmp in (">=", ">") else "not_decreased"
                expected = f"change {cmp} {_fmt(thr)} vs {period.previous().id}"
            return self._finding(t, unit, period, due, ok, reason, expected, change)
        # in_class
        rule = self.rules[t.rule or ""]
        ok = _holds(rule.when, unit, period.id, v)
        in_class = None if ok is None else ("in class" if ok else "not in class")
        return self._finding(t, unit, period, due, ok, "not_in_class", f"is {rule.id}", in_class)

    def _class_count(self, t: Target, period: Period, due: date | None) -> Finding:
        rule: Rule = self.rules[t.rule or ""]
        if t.units:
            candidates = list(t.units)
        elif t.within:
            candidates = [u.id for u in self.plan.units
                          if u.level == rule.level and self.under(u.id, t.within)]
        else:
            candidates = [u.id for u in self.plan.units if u.level == rule.level]
        verdicts = [_holds(rule.when, u, period.id, self.values) for u in candidates]
        known = [x for x in verdicts if x is not None]
        count = sum(1 for x in known if x)
        cmp, thr = t.comparator or ">=", t.threshold or 0.0
        ok = None if not known else _OPS[cmp](count, thr)
        of = f" of {t.of}" if t.of else ""
        share = f" ({_fmt(round(thr / t.of * 100, 1))}%)" if t.of else ""
        reason = "below_target" if cmp in (">=", ">") else "above_limit"
        parents = {self.units[u].parent for u in candidates if u in self.units}
        if t.within:
            unit = t.within
        elif t.units and len(parents) == 1 and None not in parents:
            unit = parents.pop() or ""
        else:
            unit = self.province_unit.id if self.province_unit else ""
        return self._finding(t, unit, period, due, ok, reason,
                             f"{cmp} {_fmt(thr)}{of}{share} {rule.id}", None if not known else count)


def _percent(num: float | None, den: float | None) -> float | None:
    if num is None or den is None:
        return None
    if den == 0:
        # "100% of addicts have records" with no addicts holds; anything over 0/0 is bad data.
        return 100.0 if num == 0 else None
    return num / den * 100


def _holds(cond: Condition, unit: str, period: str, values: Values) -> bool | None:
    """True, False, or None when a value the condition needs is missing."""
    if cond.all is not None:
        results = [_holds(c, unit, period, values) for c in cond.all]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if cond.any is not None:
        results = [_holds(c, unit, period, values) for c in cond.any]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if cond.measure is not None:
        x = values.get((cond.measure, unit, period))
    else:
        num, den = cond.ratio or ("", "")
        x = _percent(values.get((num, unit, period)), values.get((den, unit, period)))
    if x is None or cond.op is None or cond.value is None:
        return None
    return _OPS[cond.op](x, cond.value)


# -- tasks and obligations ------------------------------------------------------

def _dated(plan: Plan, *, item: str, kind: str, name: str, agency: str, unit: str, period: str,
           due: date | None, done: date | None, as_of: date, source: str,
           assumed: str | None) -> Finding:
    days_late = None
    if done is not None:
        if due is None or done <= due:
            status, reason = "met", None
        else:
            status, reason, days_late = "not_met", "late", (done - due).days
    elif due is None:
        status, reason = "pending", "no_deadline"
    elif as_of > due:
        status, reason, days_late = "not_met", "missing", (as_of - due).days
    else:
        status, reason = "pending", None
    expected = f"by {due.isoformat()}" if due else "no deadline in the plan"
    return Finding(
        plan=plan.id, item=item, kind=kind, name=name, agency=agency, unit=unit, period=period,
        due=due, status=status, reason=reason, expected=expected,
        actual=done.isoformat() if done else None, source=source, days_late=days_late,
        assumed=assumed,
    )


def _tasks(plan: Plan, dates: Mapping[tuple[str, str, str, str], date], as_of: date) -> Iterable[Finding]:
    for task in plan.tasks:
        due = task_due(plan, task)
        period = plan_year_period(plan, due)
        for agency in task.agencies:
            yield _dated(plan, item=task.id, kind="task", name=task.name, agency=agency, unit="",
                         period=period, due=due, done=dates.get((task.id, agency, "", period)),
                         as_of=as_of, source=task.source, assumed=task.assumed)


def obligation_parties(plan: Plan, ob_agencies: tuple[str, ...], per_unit: str | None) -> list[tuple[str, str]]:
    """(agency, unit) pairs that each owe one submission of an obligation."""
    if per_unit is not None:
        agency = ob_agencies[0] if ob_agencies else ""
        return [(agency, u.id) for u in plan.units if u.level == per_unit]
    return [(a, "") for a in ob_agencies]


def _obligations(plan: Plan, dates: Mapping[tuple[str, str, str, str], date], as_of: date) -> Iterable[Finding]:
    for ob in plan.obligations:
        for occ in obligation_occurrences(plan, ob):
            assumed = "; ".join(x for x in (ob.assumed, occ.assumed) if x) or None
            name = f"{ob.name} — {occ.name}" if occ.name else ob.name
            for agency, unit in obligation_parties(plan, ob.agencies, ob.per_unit):
                yield _dated(plan, item=ob.id, kind="obligation", name=name, agency=agency,
                             unit=unit, period=occ.period, due=occ.due,
                             done=dates.get((ob.id, agency, unit, occ.period)), as_of=as_of,
                             source=occ.source or ob.source, assumed=assumed)
