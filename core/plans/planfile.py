"""Reading plan files: TOML → :class:`~plancheck.plans.model.Plan`, then a check pass.

Two passes, as cattrs advises (attrs validators lose the key path):

1. structure the TOML with the one converter: types, unknown keys, required keys;
2. :func:`check_plan`: references between elements, deadline phrases, dates
   inside the plan period, rules that can be evaluated. Every problem is
   reported, not the first.

Problems read ``file: message @ $.path`` and are raised together as one
:class:`~plancheck.errors.InputError`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from plancheck.errors import InputError
from plancheck.plans.calendar import CALENDARS, Period
from plancheck.plans.model import Condition, Plan, Reading
from plancheck.plans.schedule import attach, iter_dues, schedule_of


def load_plan(path: str | Path) -> Plan:
    """Load and check one plan file; raise InputError listing every problem.

    What reading a given version of the file concluded is kept by
    :mod:`plancheck.plans.plancache`, so each version is parsed once.
    """
    from plancheck.plans import plancache

    file = Path(path)
    try:
        st = file.stat()
    except OSError:
        return parse_plan(path)  # reports the file as missing or unreadable
    cached = plancache.lookup(file, st)
    if isinstance(cached, list):
        raise InputError(cached)
    if isinstance(cached, tuple) and len(cached) == 2:
        plan, schedule = cached
        attach(plan, schedule)  # its dates, as resolved when the plan was checked
        return plan
    try:
        plan = parse_plan(path)
    except InputError as exc:
        plancache.store(file, st, None, list(exc.problems))
        raise
    plancache.store(file, st, (plan, schedule_of(plan)))
    return plan


def parse_plan(path: str | Path) -> Plan:
    """Read and check one plan file, bypassing the cache; raise InputError listing every problem."""
    # The converter (cattrs) only when a plan is read afresh: a cached plan needs none (issue 20).
    from plancheck.plans.converter import structure_toml_file

    name = str(path)
    plan = structure_toml_file(path, Plan)
    from plancheck.plans.programme import adopt, national_problems

    found = national_problems(plan)
    if not found:
        plan = adopt(plan)
        found = check_plan(plan)
    problems = [f"{name}: {msg} @ {where}" for where, msg in found]
    if problems:
        raise InputError(problems)
    attach(plan)  # every deadline phrase read into dates, once (the check above already did)
    return plan


_KINDS_NEEDING = {
    "value": ("measure", "comparator", "threshold"),
    "growth": ("measure", "comparator", "threshold"),
    "change": ("measure", "comparator", "threshold"),
    "ratio": ("numerator", "denominator", "comparator", "threshold"),
    "class_count": ("rule", "comparator", "threshold"),
    "in_class": ("rule",),
}
#: The longest plan period read (a national strategy runs 10 to 25 years).
MAX_PLAN_YEARS = 50
_SCOPE_LEVEL = {"each_district": "district", "each_commune": "commune", "province": "province"}


def check_plan(plan: Plan) -> list[tuple[str, str]]:
    """Every problem in a structured plan, as (json path, message) pairs."""
    return list(_check(plan))


def _check(plan: Plan) -> Iterator[tuple[str, str]]:
    agencies = {a.id for a in plan.agencies}
    units = {u.id: u for u in plan.units}
    measures = {m.id: m for m in plan.measures}
    rules = {r.id: r for r in plan.rules}
    projects = {p.id for p in plan.projects}

    if plan.period.start > plan.period.end:
        yield "$.period", "the period ends before it starts"
    if plan.period.end.year - plan.period.start.year >= MAX_PLAN_YEARS:  # work grows with the years
        yield "$.period", f"the period spans more than {MAX_PLAN_YEARS} years: check its start and end"
    # Values no measure's kind can take, non-numbers, control characters, look-alike ids (issue 21).
    from plancheck.plans import identity, quantity

    yield from quantity.plan_problems(plan)
    yield from identity.plan_problems(plan)

    # Ids: one namespace per collection, and one for everything a form row can name.
    for coll in ("agencies", "units", "measures", "projects", "rules", "targets", "tasks",
                 "obligations", "checks"):
        items = getattr(plan, coll)
        counts = Counter(x.id for x in items)
        for i, item in enumerate(items):
            if counts[item.id] > 1:
                yield f"$.{coll}[{i}].id", f"duplicate id {item.id!r}"
            for field in ("id", "name", "name_en", "source"):
                if not getattr(item, field).strip():
                    yield f"$.{coll}[{i}].{field}", f"{field} is empty"
    form_items = Counter(
        x.id for coll in (plan.measures, plan.targets, plan.tasks, plan.obligations) for x in coll
    )
    for coll in ("measures", "targets", "tasks", "obligations"):
        for i, item in enumerate(getattr(plan, coll)):
            same_coll = sum(1 for x in getattr(plan, coll) if x.id == item.id)
            if form_items[item.id] > same_coll:
                yield f"$.{coll}[{i}].id", (
                    f"id {item.id!r} is used by another measure, target, task or obligation"
                )

    def need(ref: str | None, known: dict | set, what: str, where: str) -> Iterator[tuple[str, str]]:
        if ref is not None and ref not in known:
            yield where, f"unknown {what} {ref!r}"

    for i, u in enumerate(plan.units):
        yield from need(u.parent, units, "unit", f"$.units[{i}].parent")
    for i, p in enumerate(plan.projects):
        yield from need(p.lead, agencies, "agency", f"$.projects[{i}].lead")
        for j, a in enumerate(p.coordinators):
            yield from need(a, agencies, "agency", f"$.projects[{i}].coordinators[{j}]")
        yield from need(p.parent, projects, "project", f"$.projects[{i}].parent")
    for i, t in enumerate(plan.tasks):
        if not t.agencies:
            yield f"$.tasks[{i}].agencies", "a task needs at least one agency"
        for j, a in enumerate(t.agencies):
            yield from need(a, agencies, "agency", f"$.tasks[{i}].agencies[{j}]")
        for j, a in enumerate(t.coordinators):
            yield from need(a, agencies, "agency", f"$.tasks[{i}].coordinators[{j}]")
        if t.due is not None and t.deadline is not None:
            yield f"$.tasks[{i}]", "give either due or deadline, not both"
        if t.deadline is not None:
            yield from _phrase_ok(plan, t.deadline, f"$.tasks[{i}].deadline")
        yield from _recurrence_ok(plan, t, f"$.tasks[{i}]")

    for i, ob in enumerate(plan.obligations):
        base = f"$.obligations[{i}]"
        if not ob.agencies and ob.per_unit is None:
            yield f"{base}.agencies", "an obligation needs agencies or per_unit"
        for j, a in enumerate(ob.agencies):
            yield from need(a, agencies, "agency", f"{base}.agencies[{j}]")
        for j, a in enumerate(ob.recipient):
            yield from need(a, agencies, "agency", f"{base}.recipient[{j}]")
        ways = [w for w in ("schedule", "deadline", "calendar") if getattr(ob, w)]
        if len(ways) != 1:
            yield base, "give exactly one of schedule, deadline or calendar"
            continue
        if ob.calendar is not None and ob.calendar not in CALENDARS:
            yield f"{base}.calendar", (
                f"unknown reporting calendar {ob.calendar!r}; known: {', '.join(CALENDARS)}"
            )
            continue
        for j, entry in enumerate(ob.schedule):
            yield from _period_ok(entry.period, f"{base}.schedule[{j}].period")
            yield from _phrase_ok(plan, entry.deadline, f"{base}.schedule[{j}].deadline")
        if ob.deadline is not None:
            yield from _phrase_ok(plan, ob.deadline, f"{base}.deadline")

    for i, t in enumerate(plan.targets):
        base = f"$.targets[{i}]"
        for field in _KINDS_NEEDING[t.kind]:
            if getattr(t, field) is None:
                yield f"{base}.{field}", f"a {t.kind} target needs {field}"
        for field in ("measure", "numerator", "denominator"):
            yield from need(getattr(t, field), measures, "measure", f"{base}.{field}")
        yield from need(t.rule, rules, "rule", f"{base}.rule")
        yield from need(t.agency, agencies, "agency", f"{base}.agency")
        yield from need(t.within, units, "unit", f"{base}.within")
        for j, u in enumerate(t.units):
            yield from need(u, units, "unit", f"{base}.units[{j}]")
        if t.scope == "units" and not t.units:
            yield f"{base}.units", "scope 'units' needs the list of units"
        if t.units and t.scope != "units":
            yield f"{base}.scope", "units are listed, so scope must be 'units'"
        if t.scope == "province" and plan.province_unit() is None and t.kind not in (
            "class_count", "in_class"
        ):
            yield f"{base}.scope", "scope 'province' needs a unit of level 'province' in units"
        if t.period is not None and t.recurrence is not None:
            yield base, "give either period or recurrence, not both"
        if t.period is None and t.recurrence is None:
            yield base, "a target needs a period (e.g. '2024') or a recurrence"
        if t.period is not None:
            yield from _period_ok(t.period, f"{base}.period")
        if t.deadline is not None:
            yield from _phrase_ok(plan, t.deadline, f"{base}.deadline")
        if t.agency_assumed is not None and t.agency is None:
            yield f"{base}.agency_assumed", (
                "agency_assumed says why a body was chosen, but the target names none (leave both "
                "out when the plan names no accountable body)")
        yield from _baseline_ok(plan, t, base)
        level = _SCOPE_LEVEL.get(t.scope)
        for field in ("measure", "numerator", "denominator"):
            m = measures.get(getattr(t, field) or "")
            if m is not None and level is not None and m.level != level:
                yield f"{base}.{field}", (
                    f"measure {m.id!r} is reported per {m.level}, but the target's scope is "
                    f"{t.scope}"
                )
        if t.kind in ("ratio",) and t.comparator in (">=", ">") and (t.threshold or 0) > 100:
            yield f"{base}.threshold", "a ratio at least above 100% can never be met"

    for i, m in enumerate(plan.measures):
        if m.inputs and not m.derived:
            yield f"$.measures[{i}].inputs", "only a derived measure (derived = true) has inputs"
        for j, name in enumerate(m.inputs):
            if name not in measures:
                yield f"$.measures[{i}].inputs[{j}]", f"unknown measure {name!r}"
            elif measures[name].derived:
                yield f"$.measures[{i}].inputs[{j}]", f"input {name!r} is itself derived: name what it is derived from"

    for i, r in enumerate(plan.rules):
        yield from _condition_ok(r.when, f"$.rules[{i}].when", measures, r.level)

    for i, c in enumerate(plan.checks):
        base = f"$.checks[{i}]"
        if c.exclusive:
            for j, r in enumerate(c.exclusive):
                yield from need(r, rules, "rule", f"{base}.exclusive[{j}]")
            levels = {rules[r].level for r in c.exclusive if r in rules}
            if len(levels) > 1:
                yield f"{base}.exclusive", "the rules classify units of different levels"
            continue
        if c.left is None or c.op is None or (c.right is None) == (c.value is None):
            yield base, "a check has left, op and either right or value (or exclusive)"
        for field in ("left", "right"):
            yield from need(getattr(c, field), measures, "measure", f"{base}.{field}")

    yield from _marks_ok(plan)

    # Dates: every due date inside the plan period, or at its edge.
    try:
        dues = list(iter_dues(plan))
    except ValueError:
        dues = []  # already reported by the phrase checks above
    for where, due, what in dues:
        if not (plan.period.start <= due <= plan.period.end):
            yield where, (
                f"{what} is due {due.isoformat()}, outside the plan period "
                f"{plan.period.start.isoformat()}..{plan.period.end.isoformat()}"
            )


def _recurrence_ok(plan: Plan, t, base: str) -> Iterator[tuple[str, str]]:
    """A recurring task names its periods' dates in a way core can read for each period."""
    from plancheck.plans.calendar import parse_deadline

    if t.continuous and t.recurrence == "once":
        yield f"{base}.continuous", (
            "a continuous duty ('thường xuyên') needs a recurrence: how often it must show evidence "
            "(e.g. recurrence = \"annual\")")
    if t.recurrence == "once":
        return
    if t.due is not None:
        yield f"{base}.due", "a recurring task has a date per period: give deadline ('... hằng năm'), not due"
    if t.deadline is None:
        return
    if t.recurrence != "annual":
        yield f"{base}.deadline", (
            f"a {t.recurrence} task is due at the end of each period; only an annual task takes a "
            "deadline phrase ('trước 31/12 hằng năm')")
        return
    try:
        dues = parse_deadline(t.deadline, plan.period.start, plan.period.end)
    except ValueError:
        return  # reported by the phrase check
    if any(d.year is None for d in dues):
        yield f"{base}.deadline", (
            f"{t.deadline!r} names one date, not one per year: an annual task's deadline says "
            "'hằng năm' ('trước 31/12 hằng năm')")


def _baseline_ok(plan: Plan, t, base: str) -> Iterator[tuple[str, str]]:
    """A named baseline is a period before every period the target is judged for, that ingest accepts."""
    if t.baseline is None:
        return
    if t.kind not in ("growth", "change"):
        yield f"{base}.baseline", "only a growth or change target is compared with a baseline"
        return
    try:
        b = Period.parse(t.baseline)
    except ValueError as exc:
        yield f"{base}.baseline", str(exc)
        return
    earliest = plan.period.start.year - 1
    if b.start.year < earliest:
        yield f"{base}.baseline", (
            f"baseline {b.id} is before {earliest}, the earliest year a form can report for this plan "
            "(the year before it starts)")
    first = t.period or None
    try:
        p = Period.parse(first) if first else None
    except ValueError:
        return
    if p is not None and b.start >= p.start:
        yield f"{base}.baseline", f"baseline {b.id} is not before the period judged ({p.id})"
    elif p is None and b.start >= plan.period.start:
        yield f"{base}.baseline", (
            f"baseline {b.id} is not before the plan's first period: a recurring target is compared "
            "with a period before the plan")


def _reading_ok(r: Reading, where: str) -> Iterator[tuple[str, str]]:
    for field in ("quote", "chosen", "why"):
        if not getattr(r, field).strip():
            yield f"{where}.{field}", f"a reading needs {field}"
    if r.confirmed_on is not None and not (r.confirmed_by or "").strip():
        yield f"{where}.confirmed_by", "confirmed_on is given, but not who confirmed the reading"


def _marks_ok(plan: Plan) -> Iterator[tuple[str, str]]:
    """Readings, proxies and assumed agencies are well formed; an unconfirmed reading is never high importance."""
    from plancheck.plans.provenance import unconfirmed_readings

    for coll in ("measures", "rules", "targets", "tasks", "obligations"):
        for i, el in enumerate(getattr(plan, coll)):
            where = f"$.{coll}[{i}]"
            if el.reading is not None:
                yield from _reading_ok(el.reading, f"{where}.reading")
            for field in ("proxy", "agency_assumed", "assumed"):
                value = getattr(el, field, None)
                if value is not None and not value.strip():
                    yield f"{where}.{field}", f"{field} is empty: say why, or leave it out"
    defaults = plan.importance
    for coll, default in (("targets", defaults.target), ("tasks", defaults.task),
                          ("obligations", defaults.obligation)):
        for i, el in enumerate(getattr(plan, coll)):
            if (el.importance or default) != "high":
                continue
            for owner, reading in unconfirmed_readings(plan, el):
                yield f"$.{coll}[{i}].importance", (
                    f"{coll.removesuffix('s')} {el.id!r} is of high importance but rests on an unconfirmed "
                    f"reading of the text ({owner}: {reading.chosen!r}): lower its importance, or have a "
                    "reviewer confirm the reading (reading.confirmed_by)")


def _period_ok(text: str, where: str) -> Iterator[tuple[str, str]]:
    try:
        Period.parse(text)
    except ValueError as exc:
        yield where, str(exc)


def _phrase_ok(plan: Plan, phrase: str, where: str) -> Iterator[tuple[str, str]]:
    from plancheck.plans.calendar import parse_deadline

    try:
        parse_deadline(phrase, plan.period.start, plan.period.end)
    except ValueError as exc:
        yield where, str(exc)


def _condition_ok(
    cond: Condition, where: str, measures: dict, level: str
) -> Iterator[tuple[str, str]]:
    forms = [f for f in ("measure", "ratio", "all", "any") if getattr(cond, f) is not None]
    if len(forms) != 1:
        yield where, "a condition has exactly one of measure, ratio, all, any"
        return
    form = forms[0]
    if form in ("all", "any"):
        subs = getattr(cond, form)
        if not subs:
            yield f"{where}.{form}", f"'{form}' needs at least one condition"
        for j, sub in enumerate(subs):
            yield from _condition_ok(sub, f"{where}.{form}[{j}]", measures, level)
        return
    if cond.op is None or cond.value is None:
        yield where, "a measure or ratio condition needs op and value"
    names = [cond.measure] if form == "measure" else list(cond.ratio or ())
    for name in names:
        m = measures.get(name)
        if m is None:
            yield f"{where}.{form}", f"unknown measure {name!r}"
        elif m.level != level:
            yield f"{where}.{form}", (
                f"measure {name!r} is reported per {m.level}, the rule classifies {level} units"
            )
    if form == "measure" and cond.value is not None and cond.value < 0 and cond.op in ("<", "<=", "=="):
        m = measures.get(cond.measure or "")
        if m is not None:  # no kind of quantity is negative (plans.quantity)
            from plancheck.plans.quantity import kind_of

            yield where, f"{cond.measure} {cond.op} {cond.value:g} can never be true for a {kind_of(m.unit)}"
