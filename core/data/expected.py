"""What a plan expects to be reported: the rows of a blank reporting form.

One row per expected datum (see :mod:`plancheck.data.forms` for the columns
and for reading filled forms back): every measure a target, rule or
consistency check needs, for each unit and period; every task for each of
its agencies; every report an obligation asks for. :func:`write_csv` writes
them as the CSV form; :mod:`plancheck.data.workbook` as the Excel one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

import attrs

from plancheck.plans.calendar import Period, periods_in
from plancheck.plans.model import Plan, Target
from plancheck.plans.schedule import (
    obligation_occurrences,
    obligation_parties,
    target_occurrences,
    task_occurrences,
)

COLUMNS = ("province", "plan", "item", "kind", "agency", "unit", "period", "due", "description",
           "value", "date")


@attrs.frozen
class FormRow:
    """One row of a blank reporting form."""

    province: str
    plan: str
    item: str
    kind: str
    agency: str
    unit: str
    period: str
    due: date | None
    description: str
    clause: str = ""
    unit_kind: str = ""

    def as_csv(self) -> list[str]:
        return [self.province, self.plan, self.item, self.kind, self.agency, self.unit,
                self.period, self.due.isoformat() if self.due else "", self.description, "", ""]


# -- what a plan expects --------------------------------------------------------

def _target_units(plan: Plan, t: Target, level: str) -> list[str]:
    units = {u.id: u for u in plan.units}
    if t.units:
        return [u for u in t.units if u in units]
    if t.scope == "province" and t.kind not in ("class_count", "in_class"):
        pu = plan.province_unit()
        return [pu.id] if pu else []
    if t.scope in ("each_district", "each_commune") and t.kind not in ("class_count",):
        lvl = "district" if t.scope == "each_district" else "commune"
        return [u.id for u in plan.units if u.level == lvl]
    # class counts: the units of the rule's level, under ``within`` if given
    out = []
    for u in plan.units:
        if u.level != level:
            continue
        if t.within:
            p, seen = u.parent, set()
            while p and p != t.within and p not in seen:
                seen.add(p)
                p = units[p].parent if p in units else None
            if p != t.within:
                continue
        out.append(u.id)
    return out


def _condition_measures(cond) -> Iterable[str]:
    if cond.measure:
        yield cond.measure
    if cond.ratio:
        yield from cond.ratio
    for sub in (cond.all or ()) + (cond.any or ()):
        yield from _condition_measures(sub)


def _expand_inputs(plan: Plan, names: Iterable[str]) -> list[str]:
    measures = {m.id: m for m in plan.measures}
    out: list[str] = []
    for name in names:
        m = measures.get(name)
        if m is not None and m.derived:
            out.extend(x for x in m.inputs if x not in out)
        elif name not in out:
            out.append(name)
    return out


def form_rows(plan: Plan, agency: str | None = None) -> list[FormRow]:
    """Every datum ``plan`` expects, in plan order, without duplicates.

    With ``agency``, only the rows that agency must fill.
    """
    from plancheck.plans.planfile import MAX_PLAN_YEARS

    if plan.period.end.year - plan.period.start.year >= MAX_PLAN_YEARS:
        # The form grows with the plan's years (issue 21: 180 years took a minute to review). Only
        # a plan the plan check refuses gets here (its review): two years show its structure.
        end = date(plan.period.start.year + 1, 12, 31)
        plan = attrs.evolve(plan, period=attrs.evolve(plan.period, end=end))
    measures = {m.id: m for m in plan.measures}
    rules = {r.id: r for r in plan.rules}
    rows: dict[tuple[str, str, str, str], FormRow] = {}

    def add(item: str, kind: str, ag: str, unit: str, period: str, due: date | None, desc: str,
            clause: str, unit_kind: str = "") -> None:
        key = (item, ag if kind != "measure" else "", unit, period)
        if key not in rows:
            rows[key] = FormRow(plan.province, plan.id, item, kind, ag, unit, period, due,
                                f"{desc} [{clause}]", clause, unit_kind)

    # A reference to nothing (a plan the plan check refuses, under review) asks for no row.
    for t in plan.targets:
        if t.kind in ("class_count", "in_class"):
            rule = rules.get(t.rule or "")
            if rule is None:
                continue
            names = _expand_inputs(plan, _condition_measures(rule.when))
            units = _target_units(plan, t, rule.level)
        else:
            names = _expand_inputs(plan, [x for x in (t.measure, t.numerator, t.denominator) if x])
            units = _target_units(plan, t, "")
        names = [n for n in names if n in measures]
        for occ in target_occurrences(plan, t):
            periods = [occ.period]
            if t.kind in ("growth", "change"):
                periods.insert(0, occ.baseline or Period.parse(occ.period).previous().id)
            for period in periods:
                for unit in units:
                    for name in names:
                        m = measures[name]
                        add(name, "measure", t.agency or "", unit, period, occ.due,
                            f"{m.name} ({m.unit})", m.source, m.unit)
    # Consistency checks between classifications need every measure of their rules.
    for check in plan.checks:
        for rule_id in check.exclusive:
            rule = rules.get(rule_id)
            if rule is None:
                continue  # reported by the plan check
            names = [n for n in _expand_inputs(plan, _condition_measures(rule.when)) if n in measures]
            if not names:
                continue
            for period in periods_in(plan.period.start, plan.period.end, measures[names[0]].period_type):
                for unit in (u.id for u in plan.units if u.level == rule.level):
                    for name in names:
                        m = measures[name]
                        add(name, "measure", "", unit, period.id, period.end, f"{m.name} ({m.unit})",
                            m.source, m.unit)
    for task in plan.tasks:
        for tocc in task_occurrences(plan, task):  # one per period for a recurring task
            for ag in task.agencies:
                add(task.id, "task", ag, "", tocc.period, tocc.due, task.name, task.source)
    for ob in plan.obligations:
        for occ in obligation_occurrences(plan, ob):
            name = f"{ob.name} — {occ.name}" if occ.name else ob.name
            for ag, unit in obligation_parties(plan, ob.agencies, ob.per_unit):
                add(ob.id, "obligation", ag, unit, occ.period, occ.due, name, occ.source or ob.source)
    out = list(rows.values())
    if agency is not None:
        out = [r for r in out if r.agency == agency]
    return out


#: What a spreadsheet takes for the start of a formula (OWASP's CSV injection list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(text: str) -> str:
    """A description as a form cell: on one line (a line break inside a cell is what a broken
    quote looks like, and the reader refuses it), and never read by a spreadsheet as a formula."""
    text = " ".join(text.splitlines())
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(rows: Iterable[FormRow], fh: io.TextIOBase) -> None:
    """Write a blank form as CSV (the caller opens ``fh`` with ``newline=''``)."""
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(COLUMNS)
    description = COLUMNS.index("description")
    for r in rows:
        cells = r.as_csv()
        cells[description] = as_text(cells[description])
        writer.writerow(cells)
