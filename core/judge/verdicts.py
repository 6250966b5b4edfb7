"""Verdicts: a plan, what was reported, and a date → findings.

Pure functions, no database: :func:`evaluate` takes the plan, the current
observations and the as-of date and returns one :class:`Finding` per target,
task and obligation, per period and unit (and per agency where several
agencies owe the same thing: each is judged on its own), plus one per
violated data-consistency check.

Statuses: ``met``, ``not_met``, ``pending`` (not yet due, or the period is
not over) and ``no_data`` (a target whose period is over with nothing to judge
it by). A ``not_met`` finding says why in ``reason``: ``late`` (with
``days_late``), ``missing`` (past due, nothing submitted), ``below_target``,
``above_limit``, ``growth_too_low``, ``growth_too_high``, ``not_increased``,
``not_decreased``, ``not_in_class``, ``inconsistent`` (a consistency check).

Every finding carries its evidence: the observations it was computed from
(value, unit, period, source file and row), the rule with its threshold and
clause, and the comparison made ("44 of 161 = 27.3% ... >= 53").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import Any

import attrs

from plancheck.data.bulk import gc_paused
from plancheck.judge.duties import judge_obligations, judge_tasks
from plancheck.judge.findings import IMPORTANCE_RANK, STATUSES, Evidence, Finding, Report
from plancheck.language import _
from plancheck.plans.calendar import Period
from plancheck.plans.model import Condition, Observation, Plan, Rule, Target
from plancheck.plans.provenance import Provenance, describe_reading, provenance
from plancheck.plans.schedule import Occurrence, target_occurrences

__all__ = ["IMPORTANCE_RANK", "STATUSES", "Evidence", "Finding", "Report", "condition_holds", "evaluate",
           "ratio_pairs"]

ValueKey = tuple[str, str, str]
Values = Mapping[ValueKey, float]
Deriver = Callable[[Plan, Values], Iterable[Mapping[ValueKey, float]]]


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
    with gc_paused():
        return _evaluate(plan, observations, as_of, derive)


def _evaluate(plan: Plan, observations: Iterable[Observation], as_of: date,
              derive: Deriver | None) -> list[Finding]:
    values: dict[ValueKey, float] = {}
    origin: dict[ValueKey, Observation] = {}
    dates: dict[tuple[str, str, str, str], Observation] = {}
    plan_id = plan.id
    for ob in observations:
        if ob.plan != plan_id:
            continue
        if ob.kind == "measure" and ob.value is not None:
            key = (ob.item, ob.unit, ob.period)
            values[key] = ob.value
            origin[key] = ob
        elif ob.date is not None:
            dates[(ob.item, ob.agency, ob.unit, ob.period)] = ob
    if derive is not None:
        add_derived(plan, values, derive)

    judge = _Judge(plan, values, origin, as_of)
    findings: list[Finding] = []
    for target in plan.targets:
        findings.extend(judge.target(target))
    findings.extend(judge_tasks(plan, dates, as_of))
    findings.extend(judge_obligations(plan, dates, as_of))
    violations = list(_consistency(plan, judge))
    if violations:
        findings = _mark_doubt(findings, violations)
    return findings + violations


def add_derived(plan: Plan, values: dict[ValueKey, float], derive: Deriver) -> None:
    """The plugins' derived measures (``derive_values``) joined to ``values``: the one rule, for
    judging and for counting. ValueError (the province's run refused, the plugin named by the
    caller) for a measure the plan does not declare as derived, or a value that is not a finite
    number: a NaN or an infinity would be judged "not met" without a word."""
    import math

    derived_ids = {m.id for m in plan.measures if m.derived}
    for result in derive(plan, dict(values)):
        for key, value in result.items():
            if key[0] not in derived_ids:
                raise ValueError(f"plugin derived {key[0]!r}, which plan {plan.id} does not declare "
                                 "as a derived measure")
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = math.nan
            if not math.isfinite(number):
                raise ValueError(f"plugin derived {key[0]!r} = {value!r} for {key[1]} {key[2]} (plan {plan.id}): "
                                 "not a finite number; the plugin's derive_values must be fixed")
            values[key] = number


# -- targets -----------------------------------------------------------------

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
}
_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def _comparison(t: Target, unit: str) -> tuple[Callable[[float, float], bool], float, str, str, str]:
    """A value or ratio target's test, its threshold, the reason when it fails, the expected text, and
    the end of its computation text; ``unit``: "%" for ratios."""
    cmp, thr = t.comparator or ">=", t.threshold if t.threshold is not None else 0.0
    thr_s = _fmt(thr)
    reason = "below_target" if cmp in (">=", ">", "==") else "above_limit"
    return _OPS[cmp], thr, reason, f"{cmp} {thr_s}{unit}", f"{unit} {_SYMBOL[cmp]} {thr_s}{unit}: "


class _FmtCache(dict[float, str]):
    """``_fmt`` of each value, worked out once per plan (the same counts recur in many findings)."""

    def __missing__(self, x: float) -> str:
        s = self[x] = _fmt(x)
        return s


class _Judge:
    def __init__(self, plan: Plan, values: Values, origin: Mapping[ValueKey, Observation],
                 as_of: date) -> None:
        self.plan = plan
        self.values = values
        self.origin = origin
        self.as_of = as_of
        self.units = {u.id: u for u in plan.units}
        self.rules = {r.id: r for r in plan.rules}
        self.province_unit = plan.province_unit()
        # Performance (issue 9): one Evidence per datum, shared by every finding that
        # rests on it (a ratio's denominator is often another ratio's numerator);
        # Evidence is frozen, and values do not change while a plan is judged.
        self._evidence: dict[ValueKey, Evidence] = {}
        # Performance (issue 9): each period id parsed once per plan, and only units with
        # validity bounds looked at when asking whether a unit existed in a period.
        self._periods: dict[str, Period] = {}
        self._bounded = {u.id: u for u in self.units.values() if u.valid_from is not None or u.valid_to is not None}
        self.fmt = _FmtCache()
        self._marks: dict[str, dict[str, str | None]] = {}

    def evidence(self, keys: Iterable[ValueKey]) -> tuple[Evidence, ...]:
        out = []
        for key in keys:
            ev = self._evidence.get(key)
            if ev is None:
                if key not in self.values:
                    continue
                ev = self._new_evidence(key)
            out.append(ev)
        return tuple(out)

    def _new_evidence(self, key: ValueKey) -> Evidence:
        """The Evidence of a datum in ``values``, made and remembered."""
        ob = self.origin.get(key)
        if ob is None:
            ev = Evidence(item=key[0], unit=key[1], period=key[2], value=self.values[key], derived=True)
        else:
            ev = Evidence(item=key[0], unit=key[1], period=key[2], value=self.values[key],
                          source_file=ob.source_file, row=ob.row)
        self._evidence[key] = ev
        return ev

    def marks(self, t: Target) -> dict[str, str | None]:
        """What a target's findings rest on besides the data (worked out once per target)."""
        found = self._marks.get(t.id)
        if found is None:
            prov: Provenance = provenance(self.plan, t)
            found = self._marks[t.id] = {"assumed": prov.assumed_text, "reading": prov.reading_text,
                                         "proxy": prov.proxy_text, "doubt": prov.doubt}
        return found

    def period(self, period_id: str) -> Period:
        p = self._periods.get(period_id)
        if p is None:
            p = self._periods[period_id] = Period.parse(period_id)
        return p

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

    def exists(self, unit_id: str, period: Period) -> bool:
        u = self._bounded.get(unit_id)
        return u is None or u.exists_during(period.start, period.end)

    def target(self, t: Target) -> Iterable[Finding]:
        occurrences = target_occurrences(self.plan, t)
        if t.kind == "class_count":
            for occ in occurrences:
                yield self._class_count(t, self.period(occ.period), occ.due)
            return
        # Performance (issue 9): the scope is the same for every period of a target, and most
        # scopes hold no unit that was created or abolished during the plan.
        scope = self.scope_units(t)
        bounded = any(u in self._bounded for u in scope)
        memo: dict[Any, tuple[bool | None, float | None, str]] = {}
        for occ in occurrences:
            period = self.period(occ.period)
            units = [u for u in scope if self.exists(u, period)] if bounded else scope
            if t.kind == "value":
                yield from self._values(t, units, period.id, occ.due, memo)
            elif t.kind == "ratio":
                yield from self._ratios(t, units, period.id, occ.due, memo)
            else:
                for unit in units:
                    yield self._one(t, unit, period, occ)

    def _values(self, t: Target, units: list[str], period: str, due: date | None,
                memo: dict[Any, tuple[bool | None, float | None, str]]) -> Iterator[Finding]:
        """The findings of a value target (``measure`` ``comparator`` ``threshold``) for units in one period.

        Performance (issue 9): a national comparison judges tens of thousands of these;
        what is the same for every unit (texts, status when pending) is worked out once,
        and the verdict on a value once per target (``memo``: the same counts recur).
        """
        values, evidence, fmt, new_evidence = self.values, self._evidence, self.fmt, self._new_evidence
        op, thr, reason, expected, tail = _comparison(t, "")
        make = self._target_finding(t, period, due, expected)
        pending = due is not None and self.as_of <= due
        head, measure = f"{t.measure} = ", t.measure or ""
        yes_no = {True: _("yes"), False: _("no")}
        ev: tuple[Evidence, ...]
        for unit in units:
            key = (measure, unit, period)
            actual = values.get(key)
            if actual is None:
                status, why = ("pending" if pending else "no_data"), None
                comp, ev = "", ()
            else:
                known = memo.get(actual)
                if known is None:
                    yes = op(actual, thr)
                    known = memo[actual] = (yes, actual, f"{head}{fmt[actual]}{tail}{yes_no[bool(yes)]}")
                comp = known[2]
                status, why = ("pending", None) if pending else ("met", None) if known[0] else ("not_met", reason)
                ev = (evidence.get(key) or new_evidence(key),)
            yield make(unit=unit, status=status, reason=why, actual=actual, computation=comp, evidence=ev)

    def _ratios(self, t: Target, units: list[str], period: str, due: date | None,
                memo: dict[Any, tuple[bool | None, float | None, str]]) -> Iterator[Finding]:
        """The findings of a ratio target (numerator as a percentage of denominator) (see :meth:`_values`)."""
        values, evidence, fmt, new_evidence = self.values, self._evidence, self.fmt, self._new_evidence
        op, thr, reason, expected, tail = _comparison(t, "%")
        make = self._target_finding(t, period, due, expected)
        pending = due is not None and self.as_of <= due
        numerator, denominator = t.numerator or "", t.denominator or ""
        of = _("{part} of {whole} = {share}")
        for unit in units:
            kn, kd = (numerator, unit, period), (denominator, unit, period)
            num, den = values.get(kn), values.get(kd)
            status, why, actual, comp = ("pending" if pending else "no_data"), None, None, ""
            if num is not None and den is not None:
                ev: tuple[Evidence, ...] = (evidence.get(kn) or new_evidence(kn),
                                            evidence.get(kd) or new_evidence(kd))
                # Not remembered for a zero numerator: 0.0 and -0.0 are one key but print apart.
                known = memo.get((num, den)) if num else None
                if known is None:
                    pct = _percent(num, den)
                    if pct is None:
                        known = (None, None, "")
                    else:
                        ok = op(pct, thr)
                        comp = of.format(part=fmt[num], whole=fmt[den], share=f"{pct:.1f}") + f"{tail}{_yes(ok)}"
                        known = (ok, round(pct, 2), comp)
                    if num:
                        memo[(num, den)] = known
                verdict, actual, comp = known
                if verdict is not None and not pending:
                    status, why = ("met", None) if verdict else ("not_met", reason)
            elif num is not None:
                ev = (evidence.get(kn) or new_evidence(kn),)
            else:
                ev = () if den is None else (evidence.get(kd) or new_evidence(kd),)
            yield make(unit=unit, status=status, reason=why, actual=actual, computation=comp, evidence=ev)

    def _target_finding(self, t: Target, period: str, due: date | None,
                        expected: str) -> Callable[..., Finding]:
        """``Finding`` with what is the same for every unit of a target in one period already given."""
        return functools.partial(Finding, plan=self.plan.id, item=t.id, kind="target", name=t.name,
                                 agency=t.agency or "", period=period, due=due, expected=expected, source=t.source,
                                 importance=t.importance or self.plan.importance.target, **self.marks(t))

    def _finding(self, t: Target, unit: str, period: Period, due: date | None, ok: bool | None,
                 reason: str, expected: str, actual: float | str | None, computation: str,
                 keys: Iterable[ValueKey]) -> Finding:
        if due is not None and self.as_of <= due:
            status, why = "pending", None
        elif ok is None:
            status, why = "no_data", None
        else:
            status, why = ("met", None) if ok else ("not_met", reason)
        return Finding(
            plan=self.plan.id, item=t.id, kind="target", name=t.name, agency=t.agency or "",
            unit=unit, period=period.id, due=due, status=status, reason=why, expected=expected,
            actual=actual, source=t.source, importance=t.importance or self.plan.importance.target,
            computation=computation, evidence=self.evidence(keys), **self.marks(t),
        )

    def _one(self, t: Target, unit: str, period: Period, occ: Occurrence) -> Finding:
        """The finding of a growth, change or in_class target for one unit and period.

        A growth or change is measured against the occurrence's baseline: the period the plan
        names ("so với năm 2023"), else the one before."""
        v, due = self.values, occ.due
        cmp, thr = t.comparator or ">=", t.threshold if t.threshold is not None else 0.0
        sym = _SYMBOL[cmp]
        if t.kind in ("growth", "change"):
            prev_p = self.period(occ.baseline) if occ.baseline else period.previous()
            kc, kp = (t.measure or "", unit, period.id), (t.measure or "", unit, prev_p.id)
            cur, prev = v.get(kc), v.get(kp)
            change: float | None = None
            comp = ""
            if cur is not None and prev is not None:
                if t.kind == "change":
                    change = cur - prev
                    comp = f"{_fmt(cur)} − {_fmt(prev)} = {_fmt(change)}"
                elif prev != 0:
                    change = round((cur - prev) / prev * 100, 2)
                    comp = f"({_fmt(cur)} − {_fmt(prev)}) / {_fmt(prev)} = {_fmt(change)}%"
                elif cur == 0:
                    change = 0.0
                    comp = "0 → 0 = 0%"
            ok = None if change is None else _OPS[cmp](change, thr)
            if comp:
                unit_s = "%" if t.kind == "growth" else ""
                comp += " " + _("{sym} {threshold} ({period} vs {baseline}): {verdict}").format(
                    sym=sym, threshold=f"{_fmt(thr)}{unit_s}", period=period.id, baseline=prev_p.id, verdict=_yes(ok))
            if t.kind == "growth":
                reason = "growth_too_low" if cmp in (">=", ">") else "growth_too_high"
                expected = f"growth {cmp} {_fmt(thr)}% vs {prev_p.id}"
            else:
                reason = "not_increased" if cmp in (">=", ">") else "not_decreased"
                expected = f"change {cmp} {_fmt(thr)} vs {prev_p.id}"
            return self._finding(t, unit, period, due, ok, reason, expected, change, comp, [kp, kc])
        # in_class
        rule = self.rules[t.rule or ""]
        ok = _holds(rule.when, unit, period.id, v)
        in_class = None if ok is None else ("in class" if ok else "not in class")
        if ok is None:
            missing = sorted({m for m in _measures(rule.when) if (m, unit, period.id) not in v})
            comp = _("cannot tell: no value for {measures}").format(measures=", ".join(missing)) if missing else ""
        elif ok:
            comp = _("{unit} meets every condition of {rule} ({clause})").format(unit=unit, rule=rule.id,
                                                                                 clause=rule.source)
        else:
            comp = _("{unit} is not {rule}: ").format(unit=unit, rule=rule.id) + "; ".join(
                _failed(rule.when, unit, period.id, v))
        keys = [(m, unit, period.id) for m in _measures(rule.when)]
        return self._finding(t, unit, period, due, ok, "not_in_class", f"is {rule.id}", in_class,
                             comp, keys)

    def _class_count(self, t: Target, period: Period, due: date | None) -> Finding:
        rule: Rule = self.rules[t.rule or ""]
        if t.units:
            candidates = list(t.units)
        elif t.within:
            candidates = [u.id for u in self.plan.units
                          if u.level == rule.level and self.under(u.id, t.within)]
        else:
            candidates = [u.id for u in self.plan.units if u.level == rule.level]
        candidates = [u for u in candidates if self.exists(u, period)]
        verdicts = {u: _holds(rule.when, u, period.id, self.values) for u in candidates}
        known = [x for x in verdicts.values() if x is not None]
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
        unknown = [u for u, x in verdicts.items() if x is None]
        comp = ""
        if known:
            total = _(" = {share}% of {of}").format(share=f"{count / t.of * 100:.1f}", of=t.of) if t.of else ""
            comp = (_("{count} of {n} units are {rule}{total}; ").format(count=count, n=len(candidates), rule=rule.id,
                                                                           total=total)
                    + f"{count} {_SYMBOL[cmp]} {_fmt(thr)}: {_yes(ok)}")
            out = sorted(u for u, x in verdicts.items() if x is False)
            if out:
                comp += _("; not {rule}: {units}").format(rule=rule.id, units=", ".join(out))
            if unknown:
                comp += _("; no data: {units}").format(units=", ".join(sorted(unknown)))
        keys = [(m, u, period.id) for u in candidates for m in _measures(rule.when)]
        return self._finding(t, unit, period, due, ok, reason,
                             f"{cmp} {_fmt(thr)}{of}{share} {rule.id}", None if not known else count,
                             comp, keys)


def _yes(ok: bool | None) -> str:
    return _("yes") if ok else _("no")


def _percent(num: float | None, den: float | None) -> float | None:
    if num is None or den is None:
        return None
    if den == 0:
        # "100% of addicts have records" with no addicts holds; anything over 0/0 is bad data.
        return 100.0 if num == 0 else None
    return num / den * 100


def _measures(cond: Condition) -> list[str]:
    out: list[str] = []
    if cond.measure:
        out.append(cond.measure)
    if cond.ratio:
        out.extend(cond.ratio)
    for sub in (cond.all or ()) + (cond.any or ()):
        out.extend(m for m in _measures(sub) if m not in out)
    return out


def condition_holds(cond: Condition, values: Mapping[str, float]) -> bool | None:
    """Whether ``cond`` holds for one unit and period whose measures have ``values`` (by measure id):
    True, False, or None when a value it needs is missing. The same test judging makes."""
    return _holds(cond, "", "", {(m, "", ""): x for m, x in values.items()})


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
    x = _leaf_value(cond, unit, period, values)
    if x is None or cond.op is None or cond.value is None:
        return None
    return _OPS[cond.op](x, cond.value)


def _leaf_value(cond: Condition, unit: str, period: str, values: Values) -> float | None:
    if cond.measure is not None:
        return values.get((cond.measure, unit, period))
    num, den = cond.ratio or ("", "")
    return _percent(values.get((num, unit, period)), values.get((den, unit, period)))


def _failed(cond: Condition, unit: str, period: str, values: Values) -> list[str]:
    """The leaf conditions that make a rule false, in words ("hotspots = 1, needs ≤ 0")."""
    if cond.all is not None:
        return [x for c in cond.all if _holds(c, unit, period, values) is False
                for x in _failed(c, unit, period, values)]
    if cond.any is not None:
        return [_("none of: ") + " | ".join(x for c in cond.any for x in _failed(c, unit, period, values))]
    x = _leaf_value(cond, unit, period, values)
    what = cond.measure or "/".join(cond.ratio or ())
    pct = "%" if cond.ratio else ""
    where = f" [{cond.source}]" if cond.source else ""
    return [_("{what} = {value}, needs {op} {threshold}").format(
        what=what, value=f"{_fmt(x) if x is not None else '?'}{pct}", op=_SYMBOL[cond.op or "=="],
        threshold=f"{_fmt(cond.value or 0)}{pct}") + where]


# -- data consistency -------------------------------------------------------------

def ratio_pairs(plan: Plan) -> list[tuple[str, str, str]]:
    """(part, whole, clause) for every ratio the plan uses: a part is never larger than its whole."""
    out: list[tuple[str, str, str]] = []

    def walk(cond: Condition, src: str) -> None:
        if cond.ratio and (cond.ratio[0], cond.ratio[1]) not in [(a, b) for a, b, _ in out]:
            out.append((cond.ratio[0], cond.ratio[1], src))
        for sub in (cond.all or ()) + (cond.any or ()):
            walk(sub, src)

    for t in plan.targets:
        if t.kind == "ratio" and t.numerator and t.denominator:
            if (t.numerator, t.denominator) not in [(a, b) for a, b, _ in out]:
                out.append((t.numerator, t.denominator, t.source))
    for r in plan.rules:
        walk(r.when, r.source)
    return out


def _consistency(plan: Plan, judge: _Judge) -> Iterable[Finding]:
    values = judge.values
    importance_default = plan.importance.consistency

    def violation(check_id: str, name: str, unit: str, period: str, expected: str, computation: str,
                  keys: list[ValueKey], source: str, importance: str | None,
                  reading: str | None = None) -> Finding:
        return Finding(plan=plan.id, item=check_id, kind="consistency", name=name, agency="", unit=unit,
                       period=period, due=None, status="not_met", reason="inconsistent",
                       expected=expected, actual=None, source=source,
                       importance=importance or importance_default, computation=computation,
                       evidence=judge.evidence(keys), reading=reading,
                       doubt="rests on a reading of unclear text" if reading else None)

    # Performance (issue 9): each value of a part is looked up against its whole, in one pass
    # over the values, rather than every unit and period grouped and sorted; the few
    # violations are then sorted by unit and period, the order they are reported in.
    pairs = ratio_pairs(plan)
    wholes: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {}
    hits: list[list[tuple[str, str]]] = []
    for part, whole, _clause in pairs:
        hits.append([])
        wholes.setdefault(part, []).append((whole, hits[-1]))
    if wholes:
        for (m, u, p), x in values.items():
            if m in wholes:
                for whole, found in wholes[m]:
                    y = values.get((whole, u, p))
                    if y is not None and x > y:
                        found.append((u, p))
    for (part, whole, src), found in zip(pairs, hits, strict=True):
        for u, p in sorted(found):
            yield violation(f"part_of_whole:{part}:{whole}", f"{part} ≤ {whole}", u, p,
                            f"{part} ≤ {whole}",
                            f"{part} = {_fmt(values[(part, u, p)])} > {whole} = {_fmt(values[(whole, u, p)])}",
                            [(part, u, p), (whole, u, p)], src, None)
    if not plan.checks:
        return
    by_unit_period: dict[tuple[str, str], dict[str, float]] = {}
    for (m, u, p), x in values.items():
        by_unit_period.setdefault((u, p), {})[m] = x
    ordered = sorted(by_unit_period.items())
    rules = {r.id: r for r in plan.rules}
    units_of_level = {lvl: [u.id for u in plan.units if u.level == lvl] for lvl in ("province", "district", "commune")}
    periods = sorted({p for (_, _, p) in values})
    for c in plan.checks:
        if c.exclusive:
            level = rules[c.exclusive[0]].level
            for u in units_of_level[level]:
                for p in periods:
                    held = [r for r in c.exclusive if _holds(rules[r].when, u, p, values)]
                    if len(held) > 1:
                        keys = [(m, u, p) for r in held for m in _measures(rules[r].when)]
                        readings = [describe_reading(f"rule {r}", rules[r].reading) for r in held
                                    if rules[r].reading is not None]
                        yield violation(c.id, c.name, u, p, f"at most one of {', '.join(c.exclusive)}",
                                        f"{u} is {' and '.join(held)} in {p}", keys, c.source, c.importance,
                                        " | ".join(readings) or None)
            continue
        for (u, p), ms in ordered:
            left = ms.get(c.left or "")
            right = ms.get(c.right) if c.right else c.value
            if left is None and right is None:
                continue
            if left is None or right is None:
                if c.missing == "fail" and (c.left in ms or (c.right or "") in ms):
                    yield violation(c.id, c.name, u, p, f"{c.left} {c.op} {c.right or c.value}",
                                    f"missing {c.left if left is None else c.right}",
                                    [(c.left or "", u, p)], c.source, c.importance)
                continue
            if not _OPS[c.op or "<="](left, right):
                rhs = c.right or _fmt(right)
                yield violation(c.id, c.name, u, p, f"{c.left} {_SYMBOL[c.op or '<=']} {rhs}",
                                f"{c.left} = {_fmt(left)}, {rhs} = {_fmt(right)}",
                                [(c.left or "", u, p)] + ([(c.right, u, p)] if c.right else []),
                                c.source, c.importance)


def _mark_doubt(findings: list[Finding], violations: list[Finding]) -> list[Finding]:
    bad: dict[tuple[str, str, str], str] = {}
    for v in violations:
        for e in v.evidence:
            bad.setdefault((e.item, e.unit, e.period), v.item)
    out = []
    for f in findings:
        hits = sorted({bad[(e.item, e.unit, e.period)] for e in f.evidence if (e.item, e.unit, e.period) in bad})
        if hits:
            data = f"computed from data that fail {', '.join(hits)}"
            f = attrs.evolve(f, doubt=f"{data}; {f.doubt}" if f.doubt else data)
        out.append(f)
    return out
