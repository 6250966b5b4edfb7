"""When the plan expects things: due dates of tasks, obligations and targets.

Everything that turns a plan's deadline wording into dates goes through
:func:`plancheck.plans.calendar.parse_deadline` or a named reporting calendar, here,
so ``plan show``, the reporting form and the evaluation agree.

A plan's phrases are read once: :func:`resolve` works out every date of a
plan into a :class:`Schedule` when the plan is loaded and checked
(:func:`plancheck.plans.planfile.load_plan` keeps it with the cached plan), and
:func:`task_occurrences` (:func:`task_due` for a one-off task),
:func:`target_occurrences` and :func:`obligation_occurrences` look dates up in
it. Judging therefore never reads a deadline phrase.

A recurring task ("hằng năm", "định kỳ", "thường xuyên") has one occurrence
per period of the plan, as an obligation does; a growth or change target's
occurrences name the period each is compared with (its ``baseline``, else the
period before).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from datetime import date

import attrs

from plancheck.plans.calendar import CALENDARS, Period, calendar_due, parse_deadline, periods_in
from plancheck.plans.model import Obligation, Plan, Target, Task

_RECURRENCE_PERIOD = {
    "monthly": "monthly",
    "quarterly": "quarterly",
    "semiannual": "semiannual",
    "annual": "yearly",
}


@attrs.frozen
class Occurrence:
    """One expected occurrence: the period it is for, its due date, and whether that date is assumed."""

    period: str
    due: date | None
    assumed: str | None = None
    name: str | None = None
    source: str | None = None
    baseline: str | None = None


@attrs.frozen
class Schedule:
    """Every date of one plan, resolved from its phrases and calendars, in plan order."""

    tasks: tuple[tuple[Occurrence, ...], ...]
    targets: tuple[tuple[Occurrence, ...], ...]
    obligations: tuple[tuple[Occurrence, ...], ...]


#: Resolved schedules by ``id(plan)``; an entry goes with its plan (weakref.finalize).
_SCHEDULES: dict[int, tuple[Schedule, dict[int, int], dict[int, int], dict[int, int]]] = {}


def resolve(plan: Plan) -> Schedule:
    """Read every deadline phrase and calendar of ``plan`` into dates (raises ValueError on a bad phrase)."""
    return Schedule(
        tasks=tuple(tuple(_task_occurrences(plan, t)) for t in plan.tasks),
        targets=tuple(tuple(_target_occurrences(plan, t)) for t in plan.targets),
        obligations=tuple(tuple(_obligation_occurrences(plan, ob)) for ob in plan.obligations),
    )


def attach(plan: Plan, schedule: Schedule | None = None) -> Schedule:
    """Make ``schedule`` (resolved now when not given) the one the plan's dates are looked up in."""
    key = id(plan)
    found = _SCHEDULES.get(key)
    if found is not None and schedule is None:
        return found[0]
    schedule = schedule if schedule is not None else resolve(plan)
    if found is None:
        weakref.finalize(plan, _SCHEDULES.pop, key, None)
    # Positions by element identity: elements of a frozen plan are the plan's for its lifetime.
    _SCHEDULES[key] = (schedule, {id(t): i for i, t in enumerate(plan.tasks)},
                       {id(t): i for i, t in enumerate(plan.targets)},
                       {id(o): i for i, o in enumerate(plan.obligations)})
    return schedule


def schedule_of(plan: Plan) -> Schedule:
    """The plan's resolved schedule (resolved here only for a plan built in code, not loaded)."""
    found = _SCHEDULES.get(id(plan))
    return found[0] if found is not None else attach(plan)


def _lookup(plan: Plan) -> tuple[Schedule, dict[int, int], dict[int, int], dict[int, int]]:
    found = _SCHEDULES.get(id(plan))
    if found is None:
        attach(plan)
        found = _SCHEDULES[id(plan)]
    return found


def task_due(plan: Plan, task: Task) -> date | None:
    """The due date of a one-off task (``None`` when the plan gives none); a recurring
    task's first due date (see :func:`task_occurrences` for all of them)."""
    occurrences = task_occurrences(plan, task)
    return occurrences[0].due if occurrences else None


def task_occurrences(plan: Plan, task: Task) -> list[Occurrence]:
    """Every period a task is judged for, with its due date: one for a one-off task."""
    schedule, tasks, _, _ = _lookup(plan)
    i = tasks.get(id(task))
    return list(schedule.tasks[i]) if i is not None else _task_occurrences(plan, task)


def obligation_occurrences(plan: Plan, ob: Obligation) -> list[Occurrence]:
    """Every due date of an obligation, one per period, in order."""
    schedule, _, _, obligations = _lookup(plan)
    i = obligations.get(id(ob))
    return list(schedule.obligations[i]) if i is not None else _obligation_occurrences(plan, ob)


def target_occurrences(plan: Plan, target: Target) -> list[Occurrence]:
    """The periods a target is judged for, each with the day it falls due."""
    schedule, _, targets, _ = _lookup(plan)
    i = targets.get(id(target))
    return list(schedule.targets[i]) if i is not None else _target_occurrences(plan, target)


def _task_due(plan: Plan, task: Task) -> date | None:
    if task.due is not None:
        return task.due
    if task.deadline is None:
        return None
    return parse_deadline(task.deadline, plan.period.start, plan.period.end)[0].due


def _task_occurrences(plan: Plan, task: Task) -> list[Occurrence]:
    if task.recurrence == "once":
        due = _task_due(plan, task)
        return [Occurrence(plan_year_period(plan, due), due)]
    ptype = _RECURRENCE_PERIOD[task.recurrence]
    periods = periods_in(plan.period.start, plan.period.end, ptype)
    by_year: dict[int, date] = {}
    if task.deadline is not None and ptype == "yearly":
        # "trước 31/12 hằng năm": the phrase gives each year's date
        for d in parse_deadline(task.deadline, plan.period.start, plan.period.end):
            by_year[d.year if d.year else d.due.year] = d.due
    return [Occurrence(p.id, by_year.get(p.start.year, p.end)) for p in periods]


def plan_year_period(plan: Plan, day: date | None) -> str:
    """The year period a one-off item falls in (the plan's last year if undated)."""
    return str(day.year if day else plan.period.end.year)


def _obligation_occurrences(plan: Plan, ob: Obligation) -> list[Occurrence]:
    if ob.schedule:
        out = []
        for entry in ob.schedule:
            due = parse_deadline(entry.deadline, plan.period.start, plan.period.end)[0].due
            out.append(Occurrence(entry.period, due, None, entry.name, entry.source))
        return out
    if ob.calendar is not None:
        ptype = _RECURRENCE_PERIOD.get(ob.recurrence, "yearly")
        note = CALENDARS[ob.calendar]
        return [
            Occurrence(p.id, calendar_due(ob.calendar, p), note)
            for p in periods_in(plan.period.start, plan.period.end, ptype)
        ]
    if ob.deadline is not None:
        dues = parse_deadline(ob.deadline, plan.period.start, plan.period.end)
        return [
            Occurrence(str(d.year) if d.year else plan_year_period(plan, d.due), d.due) for d in dues
        ]
    return []


def _target_occurrences(plan: Plan, target: Target) -> list[Occurrence]:
    if target.period is not None:
        period = Period.parse(target.period)
        due = period.end
        if target.deadline is not None:
            due = parse_deadline(target.deadline, plan.period.start, plan.period.end)[0].due
        return [Occurrence(period.id, due, baseline=_baseline(target, period))]
    ptype = _RECURRENCE_PERIOD.get(target.recurrence or "annual", "yearly")
    return [Occurrence(p.id, p.end, baseline=_baseline(target, p))
            for p in periods_in(plan.period.start, plan.period.end, ptype)]


def _baseline(target: Target, period: Period) -> str | None:
    """The period a growth or change target is compared with in ``period``."""
    if target.kind not in ("growth", "change"):
        return None
    if target.baseline is not None:
        return Period.parse(target.baseline).id
    try:
        return period.previous().id
    except ValueError:
        return None  # a period in year 1 has none before it


def iter_dues(plan: Plan) -> Iterator[tuple[str, date, str]]:
    """(json path, due, what) for every due date in the plan, for the period check."""
    for i, task in enumerate(plan.tasks):
        for occ in task_occurrences(plan, task):
            if occ.due is not None:
                yield f"$.tasks[{i}]", occ.due, f"task {task.id}" + (
                    f" ({occ.period})" if task.recurrence != "once" else "")
    for i, ob in enumerate(plan.obligations):
        for occ in obligation_occurrences(plan, ob):
            if occ.due is not None:
                yield f"$.obligations[{i}]", occ.due, f"obligation {ob.id} ({occ.period})"
    for i, target in enumerate(plan.targets):
        for occ in target_occurrences(plan, target):
            if occ.due is not None:
                yield f"$.targets[{i}]", occ.due, f"target {target.id} ({occ.period})"


def obligation_parties(plan: Plan, ob_agencies: tuple[str, ...], per_unit: str | None,
                       period: Period | None = None) -> list[tuple[str, str]]:
    """(agency, unit) pairs that each owe one submission of an obligation.

    With ``period``, units that did not exist in it owe nothing (DHIS2's rule).
    """
    if per_unit is not None:
        agency = ob_agencies[0] if ob_agencies else ""
        return [(agency, u.id) for u in plan.units if u.level == per_unit
                and (period is None or u.exists_during(period.start, period.end))]
    return [(a, "") for a in ob_agencies]
