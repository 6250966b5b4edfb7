"""Counting a province's verdicts for a comparison, without building what the comparison throws away.

A national comparison shows the findings of national targets one by one; of
every other finding it reads only what its reporting and coverage figures
count: the kind, period, due day, status and reason, and the days late
(:data:`TallyKey`). At national scale that is a million findings, nearly all
of them one commune's value or ratio in one quarter; building each as a
:class:`~plancheck.judge.findings.Finding` with its evidence and computation
text, only to count it and drop it, was most of a comparison's time (issue 20).

So value and ratio targets that no programme indicator reads are counted
straight from the values, with verdicts' own test (``_comparison``,
``_percent``), its units and periods (``_Judge.scope_units``, ``exists``,
``target_occurrences``) and its pending and no-data rules. Everything else is
judged by :mod:`~plancheck.judge.verdicts` and :mod:`~plancheck.judge.duties`
themselves, whole, and counted: national targets (kept, as the comparison
shows them), growth, change and class targets, tasks, obligations and the
consistency checks. The lineage (:mod:`~plancheck.judge.reorganisation`)
is applied as for a run: the data about units it knows are read as
observations and prepared the same way (:func:`prepared_read`), and what
``mark`` would turn into ``no_data``/``unit_reorganised`` is counted so.

What this module shares with verdicts rather than copies: the test
(``_comparison``, ``_percent``), ``_Judge`` (units, periods, and every finding
built whole), ``_consistency`` and ``_mark_doubt``. What it mirrors, and must
follow if verdicts changes it (tests/test_counting.py fails until it does):
how ``_evaluate`` splits observations into values and dated ones and joins the
plugins' derived values (:func:`split`, :func:`_count_plan`), and the status a
value or ratio finding gets (:func:`_judged`, :func:`_count_target`).

The values come from the database as plain tuples of the columns a verdict
reads (:class:`DatabaseRows`), or from observations (:class:`ObservationRows`:
the plugins' example data). tests/test_counting.py holds the counts equal to
the full path's (:func:`~plancheck.judge.assessment.assess`), per plan, kind,
item, period, due, status and reason, on every plugin's example data and on
perturbed national data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date
from operator import itemgetter
from typing import Any

from plancheck.data.bulk import gc_paused
from plancheck.judge.duties import judge_obligations, judge_tasks
from plancheck.judge.findings import Finding
from plancheck.judge.verdicts import _comparison, _consistency, _Judge, _mark_doubt, _percent, add_derived
from plancheck.plans.model import Condition, Observation, Plan, Target
from plancheck.plans.programme import national_target_ids
from plancheck.plans.schedule import target_occurrences

#: What the reporting and coverage figures read of a finding: kind, period, due, status, reason.
TallyKey = tuple[str, str, date | None, str, str | None]
#: A finding counted with what it is about: plan, kind, item, period, due, status, reason.
DetailKey = tuple[str, str, str, str, date | None, str, str | None]
#: ``[number of findings, days late summed]`` per key.
Counts = dict[Any, list[int]]

ValueKey = tuple[str, str, str]
DateKey = tuple[str, str, str, str]
Deriver = Callable[[Plan, Mapping[ValueKey, float]], Iterable[Mapping[ValueKey, float]]]

#: The target kinds counted without building findings: one per unit and period, judged on one
#: value or one ratio (the bulk of a national comparison).
COUNTED_KINDS = ("value", "ratio")

UNIT_REORGANISED = "unit_reorganised"
_UNKNOWN: Any = object()


def tally_findings(findings: Iterable[Finding], counts: Counts | None = None) -> Counts:
    """Findings counted per :data:`DetailKey`: what the full path gives, and what :func:`count_plan` must."""
    out: Counts = {} if counts is None else counts
    for f in findings:
        c = out.setdefault((f.plan, f.kind, f.item, f.period, f.due, f.status, f.reason), [0, 0])
        c[0] += 1
        c[1] += f.days_late or 0
    return out


def summarise(detail: Counts) -> dict[TallyKey, list[int]]:
    """Counts per :data:`DetailKey` summed per :data:`TallyKey` (what a comparison keeps)."""
    out: dict[TallyKey, list[int]] = {}
    for (_, kind, _, period, due, status, reason), (n, late) in detail.items():
        c = out.setdefault((kind, period, due, status, reason), [0, 0])
        c[0] += n
        c[1] += late
    return out


# -- where the values come from -------------------------------------------------------------

Read = tuple[dict[ValueKey, float], dict[DateKey, Observation], dict[ValueKey, Observation]]
#: What a source gives of a plan (see :meth:`ObservationRows.load`).
Loaded = tuple[dict[ValueKey, float], list[Observation], set[str]]


class ObservationRows:
    """A province's data given as observations (a plugin's example forms; tests)."""

    def __init__(self, observations: Iterable[Observation]) -> None:
        self._observations = list(observations)

    def observations(self, plan: Plan) -> list[Observation]:
        """Every observation of the plan."""
        return [o for o in self._observations if o.plan == plan.id]

    def load(self, plan: Plan, sourced: Collection[str], apart: Collection[str]) -> Loaded:
        """(the measures' values by (item, unit, period), but for the units ``apart``; the rest as
        observations: every one not a measure's value, and every one of a ``sourced`` measure or a
        unit ``apart``; every period the plan's data are about)."""
        values: dict[ValueKey, float] = {}
        others: list[Observation] = []
        periods: set[str] = set()
        for o in self.observations(plan):
            periods.add(o.period)
            measure_value = o.kind == "measure" and o.value is not None
            if measure_value and o.unit not in apart:
                values[(o.item, o.unit, o.period)] = o.value  # type: ignore[assignment]
            if not measure_value or o.item in sourced or o.unit in apart:
                others.append(o)
        return values, others, periods


class DatabaseRows:
    """A province's current data in the database, read as tuples of the columns a verdict needs."""

    def __init__(self, engine: Any, province: str) -> None:
        self.engine, self.province = engine, province

    def observations(self, plan: Plan) -> list[Observation]:
        from plancheck.data import store

        return store.current_observations(self.engine, self.province, plan.id)

    def load(self, plan: Plan, sourced: Collection[str], apart: Collection[str]) -> Loaded:
        """As :meth:`ObservationRows.load`, in two queries: the values as tuples of the three columns
        that say what they are about (all most findings need), the rest as observations."""
        from plancheck.data import store

        rows = store.current_rows(self.engine, self.province, plan.id, ("item", "unit", "period", "value"),
                                  measure_values=True)
        periods = set(map(itemgetter(2), rows))
        if apart:
            values = {(it, un, pe): va for it, un, pe, va in rows if un not in apart}
        else:
            values = {(it, un, pe): va for it, un, pe, va in rows}
        others = [Observation(province=pr, plan=pl, item=it, kind=ki, period=pe, agency=ag, unit=un, value=va,
                              date=da, source_file=sf, row=sr)
                  for pr, pl, it, ki, pe, ag, un, va, da, sf, sr in store.current_rows(
                      self.engine, self.province, plan.id, OBSERVATION_COLUMNS, measure_values=False,
                      items=sorted(sourced), units=sorted(apart))]
        periods.update(o.period for o in others)
        return values, others, periods


#: The columns an Observation holds, in its fields' order.
OBSERVATION_COLUMNS = ("province", "plan", "item", "kind", "period", "agency", "unit", "value", "date",
                       "source_file", "source_row")


def split(observations: Iterable[Observation], sourced: Collection[str]) -> Read:
    """A plan's observations as verdicts read them: values, dated observations, and the observations
    behind the values of ``sourced`` measures (for evidence). The same split as ``verdicts._evaluate``."""
    values: dict[ValueKey, float] = {}
    origin: dict[ValueKey, Observation] = {}
    dates: dict[DateKey, Observation] = {}
    for ob in observations:
        if ob.kind == "measure" and ob.value is not None:
            key = (ob.item, ob.unit, ob.period)
            values[key] = ob.value
            if ob.item in sourced:
                origin[key] = ob
        elif ob.date is not None:
            dates[(ob.item, ob.agency, ob.unit, ob.period)] = ob
    return values, dates, origin


#: Above this many units the lineage knows, a plan's data are all read as observations.
LINEAGE_UNITS_READ_APART = 500


def prepared_read(plan: Plan, rows: ObservationRows | DatabaseRows, sourced: set[str],
                  reorganisation: Any) -> tuple[Read, Any]:
    """The plan's data as :func:`split` gives them, after the lineage has prepared them as for a run
    (``Reorganisation.prepare``), and the preparation (None when the lineage knows none of its units).

    Only the data about units the lineage knows (the plan's, and those their events name) can be
    set aside or carried over: only those are prepared, as observations, with the periods of all
    the plan's data (which decide what is marked). The rest are read as they are.
    """
    from plancheck.plans.lineage import scope_of

    known = reorganisation.prepare(plan, []).versions
    apart: set[str] = set()
    if known:
        levels = {u.id: u.level for u in plan.units}
        lineage = reorganisation.lineage
        apart = set(known) | {v.id for u in known for step in lineage.steps(u, scope_of(levels[u], plan.province))
                              for v in (*step.before, *step.after)}
        if len(apart) > LINEAGE_UNITS_READ_APART:
            prepared = reorganisation.prepare(plan, rows.observations(plan))
            return split(prepared.observations, sourced), prepared
    values, others, periods = rows.load(plan, sourced, apart)
    if not known:
        more, prepared = split(others, sourced), None
    else:
        # One observation for each period of the plan's data, about no unit and nothing: it gives the
        # preparation every period, and nothing else (split drops it: not a measure, no date).
        each_period = [Observation(province=plan.province, plan=plan.id, item="", kind="task", period=q)
                       for q in sorted(periods)]
        prepared = reorganisation.prepare(plan, [o for o in others if o.unit in apart] + each_period)
        rest = split((o for o in others if o.unit not in apart), sourced)
        more = split(prepared.observations, sourced)
        for have, add in zip(rest, more, strict=True):
            have.update(add)  # type: ignore[attr-defined]
        more = rest
    values.update(more[0])
    return (values, more[1], more[2]), prepared


# -- counting one plan ----------------------------------------------------------------------

def built_whole(plan: Plan) -> list[Target]:
    """The targets judged whole (findings built): those a comparison shows, and every kind not counted."""
    national = national_target_ids(plan)
    return [t for t in plan.targets if t.id in national or t.kind not in COUNTED_KINDS]


def count_plan(plan: Plan, rows: ObservationRows | DatabaseRows, as_of: date, derive: Deriver | None,
               reorganisation: Any, counts: Counts) -> list[Finding]:
    """Count every finding of ``plan`` into ``counts`` (per :data:`DetailKey`); return the findings of
    its national targets, whole and in the order the full path gives them.

    ``reorganisation``: the province's :class:`~plancheck.judge.reorganisation.Reorganisation`.
    Raises ValueError as ``verdicts.evaluate`` does (a plugin derived a measure the plan does not declare).
    """
    with gc_paused():
        return _count_plan(plan, rows, as_of, derive, reorganisation, counts)


def _count_plan(plan: Plan, rows: ObservationRows | DatabaseRows, as_of: date, derive: Deriver | None,
                reorganisation: Any, counts: Counts) -> list[Finding]:
    whole = built_whole(plan)
    whole_ids = {t.id for t in whole}
    sourced = {m for t in whole for m in _target_measures(plan, t)}
    (values, dates, origin), prepared = prepared_read(plan, rows, sourced, reorganisation)
    if derive is not None:  # as verdicts._evaluate: the plugins' derived measures join the values
        add_derived(plan, values, derive)

    judge = _Judge(plan, values, origin, as_of)
    moved = prepared.why if prepared is not None else {}
    built: list[Finding] = []
    for t in plan.targets:
        if t.id in whole_ids:
            built.extend(judge.target(t))
        else:
            _count_target(judge, plan, t, as_of, moved, counts)
    built.extend(judge_tasks(plan, dates, as_of))
    built.extend(judge_obligations(plan, dates, as_of))
    violations = list(_consistency(plan, judge))
    if violations:
        built = _mark_doubt(built, violations)
    built += violations
    if prepared is not None:
        built = reorganisation.mark(plan, built, prepared)
    tally_findings(built, counts)
    national = national_target_ids(plan)
    return [f for f in built if f.kind == "target" and f.item in national]


def _count_target(judge: Any, plan: Plan, t: Target, as_of: date, moved: Mapping[tuple[str, str], str],
                  counts: Counts) -> None:
    """Count a value or ratio target's findings: per unit and period, the verdict ``_Judge._values`` or
    ``_Judge._ratios`` gives, with the status ``Reorganisation.mark`` leaves."""
    _, _, reason, _, _ = _comparison(t, "%" if t.kind == "ratio" else "")
    scope = judge.scope_units(t)
    bounded = any(u in judge._bounded for u in scope)
    marked = bool(moved) and bool(_target_measures(plan, t))
    verdicts: dict[Any, bool | None] = {}
    for occ in target_occurrences(plan, t):
        period = judge.period(occ.period)
        pid, due = period.id, occ.due
        units = [u for u in scope if judge.exists(u, period)] if bounded else scope
        pending = due is not None and as_of <= due
        # Reorganisation.mark: a finding on a unit and period the lineage moved is no_data,
        # unit_reorganised, unless it has a verdict (met or not_met).
        shifted: list[str] = []
        if marked:
            shifted = [u for u in units if (u, pid) in moved]
            if shifted:
                units = [u for u in units if (u, pid) not in moved]
        met = not_met = none = reorganised = 0
        if pending:  # no value changes a finding not yet due
            none, reorganised = len(units), len(shifted)
        else:
            met, not_met, none = _judged(judge.values, t, units, pid, verdicts)
            if shifted:
                more = _judged(judge.values, t, shifted, pid, verdicts)
                met, not_met, reorganised = met + more[0], not_met + more[1], more[2]
        for n, status, why in ((met, "met", None), (not_met, "not_met", reason),
                               (none, "pending" if pending else "no_data", None),
                               (reorganised, "no_data", UNIT_REORGANISED)):
            if n:
                c = counts.setdefault((plan.id, "target", t.id, pid, due, status, why), [0, 0])
                c[0] += n


def _judged(values: Mapping[ValueKey, float], t: Target, units: list[str], period: str,
            verdicts: dict[Any, bool | None]) -> tuple[int, int, int]:
    """(met, not met, no verdict) among ``units`` for a value or ratio target in one period.

    The units are counted by their value (or numerator and denominator), and each distinct one is
    judged once, by the test ``_Judge._values`` or ``_Judge._ratios`` makes (``verdicts`` remembers
    it for the target).
    """
    op, thr, _, _, _ = _comparison(t, "%" if t.kind == "ratio" else "")
    get = values.get
    seen: Counter[Any]
    if t.kind == "value":
        measure = t.measure or ""
        seen = Counter(map(get, [(measure, u, period) for u in units]))
    else:
        num, den = t.numerator or "", t.denominator or ""
        seen = Counter(zip(map(get, [(num, u, period) for u in units]), map(get, [(den, u, period) for u in units]),
                           strict=True))
    met = not_met = none = 0
    for x, n in seen.items():
        verdict = verdicts.get(x, _UNKNOWN)
        if verdict is _UNKNOWN:
            if t.kind == "value":
                verdict = None if x is None else op(x, thr)
            else:
                pct = None if None in x else _percent(*x)
                verdict = None if pct is None else op(pct, thr)
            verdicts[x] = verdict
        if verdict is None:
            none += n
        elif verdict:
            met += n
        else:
            not_met += n
    return met, not_met, none


def _target_measures(plan: Plan, t: Target) -> list[str]:
    """The measures a target's findings read (its rule's, for a class target)."""
    if t.kind in ("in_class", "class_count"):
        rule = next((r for r in plan.rules if r.id == t.rule), None)
        return _condition_measures(rule.when) if rule is not None else []
    return [m for m in (t.measure, t.numerator, t.denominator) if m]


def _condition_measures(cond: Condition) -> list[str]:
    out = [m for m in (cond.measure, *(cond.ratio or ())) if m]
    for sub in (cond.all or ()) + (cond.any or ()):
        out += _condition_measures(sub)
    return list(dict.fromkeys(out))
