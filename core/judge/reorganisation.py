"""Judging a plan whose units were reorganised after it was written (or before).

A plan names units as they were; the data may be reported on the units that
replaced them, or the reverse. Before a plan is evaluated, :meth:`Reorganisation.prepare`
maps its observations through the lineage (:mod:`plancheck.plans.lineage`):

* a value for a period is about the unit that exists at the period's end
  under that id: a merged province's figure for 2025 is the new province's
  (with the provinces it absorbed), never the old one's, and is not used for it;
  a value reported under an id no longer in use is taken as the old unit's;
* where the mapping is exact, the value carries over: a renamed unit (the
  same area under a new name), or a unit formed by a whole merger, for a
  measure that adds up (counts, people, cases, areas), from the sum of all
  its predecessors' values for a period before it existed;
* anything else (a split, a merger into a larger unit, a percentage, a class)
  is not guessed.

After evaluation, :meth:`Reorganisation.mark` turns every finding on such a
unit and period that has no value into ``no_data`` with reason
``unit_reorganised`` and the lineage in its computation; a finding judged on a
carried value says so, with the data it came from as evidence.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import attrs

from plancheck.errors import InputError
from plancheck.judge.findings import Evidence, Finding
from plancheck.plans.calendar import Period
from plancheck.plans.lineage import ADDITIVE_UNITS, Lineage, Step, UnitVersion, load_lineage, scope_of
from plancheck.plans.model import Condition, Observation, Plan, Target, Unit
from plancheck.plans.schedule import target_occurrences

REASON = "unit_reorganised"
#: Target kinds whose finding rests on the values of its own unit and period only (see _needed).
_OWN_UNIT_AND_PERIOD = frozenset({"value", "ratio", "in_class"})

#: One lineage per plugin manager: a comparison assesses every province with the same one.
_LOADED: weakref.WeakKeyDictionary[Any, Lineage] = weakref.WeakKeyDictionary()


def lineage_for(pm: Any) -> Lineage:
    """Core's lineage and the installed plugins' (read once per plugin manager)."""
    if pm is None:
        return load_lineage(None)
    found = _LOADED.get(pm)
    if found is None:
        found = _LOADED[pm] = load_lineage(pm)
    return found


def fingerprint(pm: Any) -> str:
    """The plugins' lineage files (path, size, time): a judgement kept with other files is not reused."""
    parts = []
    for path in lineage_for(pm).files:
        try:
            st = path.stat()
            parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{path}:missing")
    return ";".join(parts)


@attrs.frozen
class Carried:
    """A value a plan unit got from the lineage, and from what."""

    sources: tuple[Observation, ...]
    how: str


@attrs.define
class Prepared:
    """A plan's observations mapped through the lineage, and what was mapped."""

    observations: list[Observation]
    versions: dict[str, UnitVersion] = attrs.field(factory=dict)
    carried: dict[tuple[str, str, str], Carried] = attrs.field(factory=dict)
    old_ids: dict[tuple[str, str], str] = attrs.field(factory=dict)
    why: dict[tuple[str, str], str] = attrs.field(factory=dict)


class Reorganisation:
    """The lineage as it bears on one province's plans."""

    def __init__(self, lineage: Lineage, province: str) -> None:
        problems = lineage.problems.get(province)
        if problems:
            raise InputError(problems)
        self.lineage = lineage
        self.province = province

    @classmethod
    def for_province(cls, pm: Any, province: str) -> Reorganisation:
        return cls(lineage_for(pm), province)

    # -- before evaluation -----------------------------------------------------------------
    def plan_version(self, plan: Plan, unit: Unit) -> UnitVersion | None:
        """The version of ``unit`` the plan means: the one in force when the plan (or the unit) starts."""
        scope = scope_of(unit.level, plan.province)
        if not self.lineage.known(unit.id, scope, unit.level):
            return None
        day = max(plan.period.start, unit.valid_from or date.min)
        found = self.lineage.version_on(unit.id, day, scope, unit.level)
        if found is None:  # the unit began during the plan: its first version in the plan's period
            found = next((v for v in self.lineage.versions_of(unit.id, scope)
                          if (v.valid_to is None or v.valid_to >= day)
                          and (v.valid_from or date.min) <= plan.period.end), None)
        return found

    def prepare(self, plan: Plan, observations: Iterable[Observation]) -> Prepared:
        """The plan's observations, with values about other versions set aside and exact mappings added."""
        own = [o for o in observations if o.plan == plan.id]
        versions = {u.id: v for u in plan.units if (v := self.plan_version(plan, u)) is not None}
        prepared = Prepared(own, versions)
        if not versions:
            return prepared
        periods = _periods(plan, own)
        units = {u.id: u for u in plan.units}
        # A value for a period is about the unit that bears the id at the period's end: a key is moved
        # when that is not the version the plan means (a later or earlier unit, or none).
        moved = {(u, q) for u, v in versions.items() for q in periods if not _covers(v, periods[q])
                 and self.lineage.version_on(u, periods[q].end, scope_of(units[u].level, plan.province),
                                             units[u].level) != v}
        if not moved:
            return prepared
        additive = {m.id for m in plan.measures if m.unit in ADDITIVE_UNITS}
        measures = [m.id for m in plan.measures]
        # Only the periods moved can be carried over or reported under an old id (issue 20: most of a
        # province's rows are of the periods before the reorganisation).
        moved_periods = {q for _, q in moved}
        near = [o for o in own if o.period in moved_periods]
        index = {(o.item, o.unit, o.period): o for o in near if o.kind == "measure" and o.value is not None}
        reported_on = {(o.unit, o.period) for o in near}
        drop: set[int] = set()
        added: list[Observation] = []
        for u, q in sorted(moved):
            v, period, scope = versions[u], periods[q], scope_of(units[u].level, plan.province)
            now = self.lineage.version_on(u, period.end, scope, units[u].level)
            step = self._step(v, period, scope)
            prepared.why[(u, q)] = self._describe(v, step, units[u])
            if now is not None and now != v:
                # The id names another unit at the period's end: its values are that unit's, not the plan's.
                drop.update(id(o) for o in own if o.unit == u and o.period == q and o.kind != "task")
                reported = False
            else:
                reported = (u, q) in reported_on
                if reported:
                    prepared.old_ids[(u, q)] = (f"{u} ended on {v.valid_to.isoformat() if v.valid_to else '?'}; "
                                                f"the values reported under its id for {q} are taken as its area's")
            if reported or step is None:
                continue
            sources, whole = self._sources(step, v, period, scope)
            for m in measures:
                if (m, u, q) in index and id(index[(m, u, q)]) not in drop:
                    continue
                if not sources or (not whole and m not in additive):
                    continue
                found = [index.get((m, s, q)) for s in sources]
                if any(o is None for o in found):
                    continue
                obs = [o for o in found if o is not None]
                value = sum(o.value or 0.0 for o in obs)
                how = (f"{m} for {q} carried over from " + " + ".join(f"{o.unit} ({o.value:g})" for o in obs)
                       + f" = {value:g}: {step.describe()}")
                prepared.carried[(m, u, q)] = Carried(tuple(obs), how)
                added.append(Observation(province=plan.province, plan=plan.id, item=m, kind="measure", period=q,
                                         unit=u, value=value, source_file="carried over (see the finding)"))
        prepared.observations = [o for o in own if id(o) not in drop] + added
        return prepared

    def _step(self, v: UnitVersion, period: Period, scope: str) -> Step | None:
        if v.valid_from is not None and period.end < v.valid_from:
            return self.lineage.created(v, scope)
        return self.lineage.ended(v, scope)

    def _sources(self, step: Step, v: UnitVersion, period: Period, scope: str) -> tuple[list[str], bool]:
        """(units whose values give ``v``'s for ``period`` exactly, whether any measure may be carried):
        a rename carries everything, a whole merger only what adds up; nothing else carries."""
        e = step.event
        if v in step.after and e.kind == "merged_into" and e.whole:
            ok = all(self.lineage.version_on(b.id, period.end, scope) == b for b in step.before)
            return ([b.id for b in step.before], False) if ok else ([], False)
        if e.kind == "renamed":
            other = step.before[0] if v in step.after else step.after[0]
            if self.lineage.version_on(other.id, period.end, scope) == other:
                return [other.id], True
        return [], False

    def _describe(self, v: UnitVersion, step: Step | None, unit: Unit) -> str:
        if step is not None:
            return step.describe()
        end = self.lineage.level_end(unit.level)
        if end is not None and v.valid_to is not None:
            return (f"{unit.name}: every {end.level} ended on {end.date.isoformat()} ({end.basis}"
                    + ("" if end.confirmed else "; not yet checked against the official text") + ")")
        return f"{v.label()}: no version of {unit.id} covers this period"

    # -- after evaluation ------------------------------------------------------------------
    def mark(self, plan: Plan, findings: Sequence[Finding], prepared: Prepared) -> list[Finding]:
        """Findings on reorganised units and periods: judged on a carried value (and saying so), or
        ``no_data`` with reason ``unit_reorganised`` and the lineage."""
        if not prepared.why:
            return list(findings)
        targets = {t.id: t for t in plan.targets}
        rules = {r.id: r for r in plan.rules}
        out = []
        reorganised = prepared.why
        for f in findings:
            if f.kind == "target" and f.item in targets:
                t = targets[f.item]
                # Performance (issue 20): a value, ratio or class finding rests on its own unit and
                # period only (see _needed); most of them are on no reorganised unit.
                if t.kind in _OWN_UNIT_AND_PERIOD and (f.unit, f.period) not in reorganised:
                    out.append(f)
                    continue
                keys = _needed(plan, t, f, rules)
            elif f.kind == "obligation" and f.unit:
                keys = [("", f.unit, f.period)]
            else:
                out.append(f)
                continue
            moved = [(u, q) for _, u, q in keys if (u, q) in prepared.why]
            if not moved:
                out.append(f)
                continue
            why = "; ".join(dict.fromkeys(prepared.why[k] for k in moved))
            if f.status in ("met", "not_met") and f.reason != "missing":
                carried = [prepared.carried[k] for k in keys if k in prepared.carried]
                notes = [c.how for c in carried] + [prepared.old_ids[k] for k in moved if k in prepared.old_ids]
                evidence = [e for e in f.evidence if (e.item, e.unit, e.period) not in prepared.carried]
                evidence += [Evidence(item=o.item, unit=o.unit, period=o.period, value=o.value,
                                      source_file=o.source_file, row=o.row) for c in carried for o in c.sources]
                out.append(attrs.evolve(f, computation="; ".join([f.computation, *dict.fromkeys(notes)]).strip("; "),
                                        evidence=tuple(evidence)))
                continue
            out.append(attrs.evolve(
                f, status="no_data", reason=REASON, actual=None, days_late=None,
                computation=f"unit reorganised: {why}; no value maps exactly onto {f.unit or plan.province} "
                            f"for {f.period}, so none is guessed"))
        return out


def _covers(v: UnitVersion, period: Period) -> bool:
    """Whether ``v`` existed for the whole period (a value for it is then about ``v``)."""
    return (v.valid_from is None or v.valid_from <= period.start) and (
        v.valid_to is None or period.end <= v.valid_to)


def _periods(plan: Plan, observations: Sequence[Observation]) -> dict[str, Period]:
    """Every period a finding of the plan can be about: of its targets (and the one before, for growth)
    and of the data."""
    ids = {o.period for o in observations}
    for t in plan.targets:
        for occ in target_occurrences(plan, t):
            ids.add(occ.period)
            if t.kind in ("growth", "change"):
                ids.add(Period.parse(occ.period).previous().id)
    out = {}
    for pid in ids:
        try:
            out[pid] = Period.parse(pid)
        except ValueError:
            continue
    return out


def _needed(plan: Plan, t: Target, f: Finding, rules: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The (measure, unit, period) values a target's finding rests on."""
    periods = [f.period]
    if t.kind in ("growth", "change"):
        periods.append(Period.parse(f.period).previous().id)
    if t.kind in ("in_class", "class_count"):
        rule = rules.get(t.rule or "")
        measures = _condition_measures(rule.when) if rule else []
    else:
        measures = [m for m in (t.measure, t.numerator, t.denominator) if m]
    units = [f.unit]
    if t.kind == "class_count" and rules.get(t.rule or ""):
        level = rules[t.rule or ""].level
        units = list(t.units) or [u.id for u in plan.units if u.level == level
                                  and (not t.within or _under(plan, u.id, t.within))]
    return [(m, u, p) for m in measures for u in units for p in periods]


def _under(plan: Plan, unit_id: str, ancestor: str) -> bool:
    parents = {u.id: u.parent for u in plan.units}
    seen: set[str] = set()
    cur = parents.get(unit_id)
    while cur is not None and cur not in seen:
        if cur == ancestor:
            return True
        seen.add(cur)
        cur = parents.get(cur)
    return False


def _condition_measures(cond: Condition) -> list[str]:
    out = [m for m in (cond.measure, *(cond.ratio or ())) if m]
    for sub in (cond.all or ()) + (cond.any or ()):
        out += _condition_measures(sub)
    return list(dict.fromkeys(out))
