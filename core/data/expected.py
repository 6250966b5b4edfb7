"""What a plan expects to be reported: the rows of a blank reporting form.

One row per expected datum (see :mod:`plancheck.data.forms` for the columns
and for reading filled forms back): every measure a target, rule or
consistency check needs, for each unit and period; every task for each of
its agencies; every report an obligation asks for. :func:`write_csv` writes
them as the CSV form; :mod:`plancheck.data.workbook` as the Excel one.

Every row names the agency that must fill it, so that each agency's form
(``template --agency``) holds all it owes. A measure's row takes the agency
of the target that needs it; where the plan names none (a target nobody is
held to, a consistency check), the row goes to whoever the plan has report
on that unit (:func:`reporter`): the agency that fills the unit's other
rows, else the plan's report sent by every unit of its level, else the body
that sends the plan's results out of the province; the row then says which
clause it follows (``agency_basis``). ``template --unit`` keeps the rows of
one unit and the units under it (a district's own and its communes').

Rows also carry what a clerk reads instead of ids: the unit's and the
agency's names (and English names), the measure's unit in words, and, for a
unit the 2025 reorganisation replaced, what it is now (:func:`successors`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

import attrs

from plancheck.plans.calendar import Period, periods_in
from plancheck.plans.model import Measure, Plan, Target
from plancheck.plans.schedule import (
    obligation_occurrences,
    obligation_parties,
    target_occurrences,
    task_occurrences,
)

if TYPE_CHECKING:
    from plancheck.plans.lineage import Lineage

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
    #: what a clerk reads: the names as the plan writes them (and in English)
    unit_name: str = ""
    unit_name_en: str = ""
    agency_name: str = ""
    agency_name_en: str = ""
    #: the measure's unit in words ("người", "xã", "%", "m²"; "people", "%"), empty for a task or report
    measure_unit: str = ""
    measure_unit_en: str = ""
    #: the plan names no body for this row: the agency is :func:`reporter`'s, following ``agency_basis``
    #: (a clause; empty: the agency that fills the unit's other figures)
    agency_routed: bool = False
    agency_basis: str = ""
    #: where a reorganisation replaced the unit: since when, and the names of what it is now (none: its
    #: level was abolished); see :func:`successors`
    unit_since: date | None = None
    unit_now: str = ""

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


def form_rows(plan: Plan, agency: str | None = None, unit: str | None = None, *,
              lineage: Lineage | None = None, today: date | None = None) -> list[FormRow]:
    """Every datum ``plan`` expects, in plan order, without duplicates, each with the agency that must fill it.

    With ``agency``, only the rows that agency must fill; with ``unit``, only the rows about that
    unit or a unit under it. With ``lineage``, a unit reorganised by ``today`` says what it is now.
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

    def add(item: str, kind: str, ag: str, unit_id: str, period: str, due: date | None, desc: str,
            clause: str, unit_kind: str = "") -> None:
        key = (item, ag if kind != "measure" else "", unit_id, period)
        if key not in rows:
            rows[key] = FormRow(plan.province, plan.id, item, kind, ag, unit_id, period, due,
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
                for unit_id in units:
                    for name in names:
                        m = measures[name]
                        add(name, "measure", t.agency or "", unit_id, period, occ.due,
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
                for unit_id in (u.id for u in plan.units if u.level == rule.level):
                    for name in names:
                        m = measures[name]
                        add(name, "measure", "", unit_id, period.id, period.end, f"{m.name} ({m.unit})",
                            m.source, m.unit)
    for task in plan.tasks:
        for tocc in task_occurrences(plan, task):  # one per period for a recurring task
            for ag in task.agencies:
                add(task.id, "task", ag, "", tocc.period, tocc.due, task.name, task.source)
    for ob in plan.obligations:
        for occ in obligation_occurrences(plan, ob):
            name = f"{ob.name} — {occ.name}" if occ.name else ob.name
            for ag, unit_id in obligation_parties(plan, ob.agencies, ob.per_unit):
                add(ob.id, "obligation", ag, unit_id, occ.period, occ.due, name, occ.source or ob.source)
    out = _named(plan, _with_agencies(plan, list(rows.values())), lineage, today)
    if agency is not None:
        out = [r for r in out if r.agency == agency]
    if unit is not None:
        under = units_under(plan, unit)
        out = [r for r in out if r.unit in under]
    return out


def units_under(plan: Plan, unit: str) -> set[str]:
    """``unit`` and every unit of ``plan`` under it (a district and its communes)."""
    children: dict[str, list[str]] = {}
    for u in plan.units:
        if u.parent:
            children.setdefault(u.parent, []).append(u.id)
    out, todo = set(), [unit]
    while todo:
        u = todo.pop()
        if u not in out:
            out.add(u)
            todo.extend(children.get(u, ()))
    return out


# -- who fills each row ------------------------------------------------------------------

def _with_agencies(plan: Plan, rows: list[FormRow]) -> list[FormRow]:
    """Every row with an agency: a measure's row the plan names no body for goes to :func:`reporter`."""
    by_unit: dict[str, dict[str, int]] = {}
    for r in rows:
        if r.kind == "measure" and r.agency:
            counts = by_unit.setdefault(r.unit, {})
            counts[r.agency] = counts.get(r.agency, 0) + 1
    out = []
    for r in rows:
        if r.kind == "measure" and not r.agency:
            found = reporter(plan, r.unit, by_unit.get(r.unit, {}))
            if found is not None:
                r = attrs.evolve(r, agency=found[0], agency_basis=found[1], agency_routed=True)
        out.append(r)
    return out


def reporter(plan: Plan, unit: str, others: dict[str, int] | None = None) -> tuple[str, str] | None:
    """(agency, clause) of who reports a figure about ``unit`` that the plan charges no body with:

    1. the agency that fills most of the unit's other rows (``others``: agency → rows): the
       figures of one unit go on one form;
    2. else the agency of the plan's report sent by every unit of the unit's level (a commune's
       self-assessment), with that report's clause;
    3. else the body that sends the plan's results out of the province (its report to a central
       body), with that report's clause.

    None when the plan says none of these (a plan with no reporting clause).
    """
    if others:
        best = max(others.items(), key=lambda kv: (kv[1], kv[0]))[0]
        return best, ""
    level = next((u.level for u in plan.units if u.id == unit), None)
    for ob in plan.obligations:
        if ob.per_unit is not None and ob.per_unit == level and ob.agencies:
            return ob.agencies[0], ob.source
    central = {a.id for a in plan.agencies if a.level == "central"}
    for ob in plan.obligations:
        if ob.agencies and ob.per_unit is None and central & set(ob.recipient):
            return ob.agencies[0], ob.source
    return None


# -- what a clerk reads -----------------------------------------------------------------------

def _named(plan: Plan, rows: list[FormRow], lineage: Lineage | None, today: date | None) -> list[FormRow]:
    units = {u.id: u for u in plan.units}
    agencies = {a.id: a for a in plan.agencies}
    measures = {m.id: m for m in plan.measures}
    now = successors(plan, lineage, today) if lineage is not None else {}
    out = []
    for r in rows:
        u, a = units.get(r.unit), agencies.get(r.agency)
        m = measures.get(r.item) if r.kind == "measure" else None
        out.append(attrs.evolve(
            r, unit_name=_unit_name(plan, r.unit, "name"), unit_name_en=_unit_name(plan, r.unit, "name_en"),
            agency_name=a.name if a else "", agency_name_en=a.name_en if a else "",
            measure_unit=unit_words(m, "vi") if m else "", measure_unit_en=unit_words(m, "en") if m else "",
            unit_since=now[u.id][0] if u and u.id in now else None,
            unit_now=now[u.id][1] if u and u.id in now else ""))
    return out


def _unit_name(plan: Plan, unit_id: str, attr: str) -> str:
    """A unit's name; a commune's is followed by its district's, to tell namesakes apart."""
    units = {u.id: u for u in plan.units}
    u = units.get(unit_id)
    if u is None:
        return ""
    name = str(getattr(u, attr) or u.name)
    parent = units.get(u.parent or "")
    if u.level == "commune" and parent is not None:
        name = f"{name} ({getattr(parent, attr) or parent.name})"
    return name


#: Units a plan writes in English (or as symbols), as a Vietnamese form writes them.
_VI_UNITS = {
    "people": "người", "person": "người", "persons": "người", "cases": "vụ", "case": "vụ",
    "communes": "xã", "commune": "xã", "households": "hộ", "household": "hộ", "sessions": "buổi",
    "times": "lần", "reports": "báo cáo", "documents": "văn bản", "schools": "trường", "points": "điểm",
    "hotspots": "điểm", "percent": "%", "percentage": "%", "pct": "%", "m2": "m²", "m^2": "m²", "m3": "m³",
    "km2": "km²", "hectare": "ha", "hectares": "ha", "vnd": "đồng", "days": "ngày", "months": "tháng",
    "years": "năm", "kg": "kg", "tons": "tấn", "tonnes": "tấn",
}
_EN_UNITS = {"percent": "%", "percentage": "%", "pct": "%", "m2": "m²", "m^2": "m²", "m3": "m³", "km2": "km²",
             "count": "number", "number": "number"}
#: What a count counts, from the first words of a measure's Vietnamese name after "Số" ("Số người
#: nghiện" counts people): the word a Vietnamese form writes in its "Đơn vị tính" column.
_COUNTED = (("trường hợp", "trường hợp"), ("đối tượng", "đối tượng"), ("người", "người"),
            ("lao động", "người"), ("xã", "xã"), ("vụ", "vụ"), ("điểm", "điểm"), ("nhóm", "nhóm"),
            ("mô hình", "mô hình"), ("cơ quan", "đơn vị"), ("trường", "trường"), ("trạm", "trạm"),
            ("tin", "tin, bài"), ("loại", "loại"), ("cơ sở", "cơ sở"), ("khu", "khu"), ("lượt", "lượt"),
            ("hồ sơ", "hồ sơ"), ("hộ", "hộ"), ("buổi", "buổi"), ("lớp", "lớp"), ("cuộc", "cuộc"))
_LEADING = ("tổng số ", "số lượng ", "số ")


def unit_words(m: Measure, lang: str) -> str:
    """A measure's unit as a form's "unit" column writes it: "người", "xã", "%", "m²" (vi);
    "people", "%", "m²" (en). A count the plan writes as ``count`` is named from what the
    measure's name says it counts ("Số người ..." counts người)."""
    unit = " ".join(m.unit.strip().split())
    key = unit.lower()
    if lang != "vi":
        return _EN_UNITS.get(key, unit)
    if key in _VI_UNITS:
        return _VI_UNITS[key]
    if key not in ("count", "number", "amount"):
        return unit  # the plan's own word ("người", "vụ", "%")
    name = " ".join(m.name.lower().split())
    for lead in _LEADING:
        if name.startswith(lead):
            rest = name[len(lead):].lstrip("“\"'(")
            for words, shown in _COUNTED:
                if rest == words or rest.startswith((words + " ", words + ",")):
                    return shown
            break
    return "số lượng"


def successors(plan: Plan, lineage: Lineage, today: date | None) -> dict[str, tuple[date, str]]:
    """For each unit of ``plan`` the reorganisation replaced by ``today``: the day it ended and the
    names of what it became ("" for a unit of an abolished level). A unit that goes on under its own
    id and name is left out."""
    from plancheck.plans.lineage import scope_of

    day = today or date.today()
    out = {}
    for u in plan.units:
        scope = scope_of(u.level, plan.province)
        start = max(plan.period.start, u.valid_from or date.min)
        v = lineage.version_on(u.id, start, scope, u.level)
        if v is None or v.valid_to is None or v.valid_on(day):
            continue
        after = lineage.successors_on(v, day, scope)
        if [(s.id, s.name) for s in after] == [(u.id, u.name)]:
            continue
        out[u.id] = (v.valid_to + timedelta(days=1), ", ".join(s.name for s in after))
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
