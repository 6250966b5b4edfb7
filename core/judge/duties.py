"""Verdicts on dated duties: tasks and reporting obligations.

A one-off task is judged once, by its due date (or stays ``pending`` with
reason ``no_deadline`` when the plan gives none). A recurring task
("hằng năm", "định kỳ") is judged once per period of the plan, as an
obligation is: the day it was done in that period against that period's due
date. A continuous duty ("thường xuyên") is judged the same way on the day
the agency last gave evidence of it in each period. A day before the period
began is evidence for an earlier period, not for this one.

Each finding carries what the duty rests on besides the data (readings,
assumptions: :mod:`plancheck.plans.provenance`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from plancheck.judge.findings import Evidence, Finding
from plancheck.language import _
from plancheck.plans.calendar import Period
from plancheck.plans.model import Observation, Plan, Task
from plancheck.plans.provenance import provenance
from plancheck.plans.schedule import obligation_occurrences, obligation_parties, task_occurrences

Dates = Mapping[tuple[str, str, str, str], Observation]


def _dated(plan: Plan, *, item: str, kind: str, name: str, agency: str, unit: str, period: str,
           due: date | None, done: Observation | None, as_of: date, source: str,
           assumed: str | None, importance: str, starts: date | None = None,
           expected_as: str = "", reading: str | None = None, doubt: str | None = None) -> Finding:
    """The verdict on one submission or piece of work; ``starts``: the first day that counts for it."""
    days_late = None
    day = done.date if done is not None else None
    early = ""
    if day is not None and starts is not None and day < starts:
        early = _("the day reported ({day}) is before {period} began: it counts for an earlier period; ").format(
            day=day.isoformat(), period=period)
        day = None
    if day is not None:
        if due is None or day <= due:
            status, reason = "met", None
            comp = (_("done {day}, due {due}: on time").format(day=day.isoformat(), due=due.isoformat()) if due
                    else _("done {day}").format(day=day.isoformat()))
        else:
            status, reason, days_late = "not_met", "late", (day - due).days
            comp = _("done {day}, due {due}: {days} days late").format(day=day.isoformat(), due=due.isoformat(),
                                                                       days=days_late)
    elif due is None:
        status, reason, comp = "pending", "no_deadline", _("not reported done; the plan gives no deadline")
    elif as_of > due:
        status, reason, days_late = "not_met", "missing", (as_of - due).days
        comp = _("nothing reported by {as_of}, due {due}: {days} days overdue").format(
            as_of=as_of.isoformat(), due=due.isoformat(), days=days_late)
    else:
        status, reason, comp = "pending", None, _("not yet due ({due})").format(due=due.isoformat())
    expected = f"by {due.isoformat()}" if due else "no deadline in the plan"
    if expected_as:
        expected = f"{expected_as} {expected}"
    evidence: tuple[Evidence, ...] = ()
    if done is not None and done.date is not None:
        evidence = (Evidence(item=item, unit=unit, period=period, date=done.date, source_file=done.source_file,
                             row=done.row),)
    return Finding(
        plan=plan.id, item=item, kind=kind, name=name, agency=agency, unit=unit, period=period,
        due=due, status=status, reason=reason, expected=expected,
        actual=done.date.isoformat() if done is not None and done.date else None, source=source,
        days_late=days_late, assumed=assumed, importance=importance, computation=early + comp,
        evidence=evidence, reading=reading, doubt=doubt,
    )


def _task_assumed(task: Task, own: str | None) -> str | None:
    if task.recurrence != "once" and task.deadline is None:
        per = {"annual": "year", "semiannual": "half-year", "quarterly": "quarter", "monthly": "month"}
        rule = f"the plan gives no day within each {per[task.recurrence]}: due on its last day"
        own = f"{own}; {rule}" if own else rule
    return own


def judge_tasks(plan: Plan, dates: Dates, as_of: date) -> Iterable[Finding]:
    """Every task, per period it recurs in (once for a one-off task) and per agency."""
    for task in plan.tasks:
        prov = provenance(plan, task)
        assumed = _task_assumed(task, prov.assumed_text)
        importance = task.importance or plan.importance.task
        recurring = task.recurrence != "once"
        expected_as = "evidence of continuing work" if task.continuous else ("done in the period" if recurring else "")
        for occ in task_occurrences(plan, task):
            starts = Period.parse(occ.period).start if recurring else None
            for agency in task.agencies:
                yield _dated(plan, item=task.id, kind="task", name=task.name, agency=agency, unit="",
                             period=occ.period, due=occ.due, done=dates.get((task.id, agency, "", occ.period)),
                             as_of=as_of, source=task.source, assumed=assumed, importance=importance,
                             starts=starts, expected_as=expected_as, reading=prov.reading_text,
                             doubt=prov.doubt)


def judge_obligations(plan: Plan, dates: Dates, as_of: date) -> Iterable[Finding]:
    """Every obligation, per period and per agency (or unit) that owes it."""
    for ob in plan.obligations:
        prov = provenance(plan, ob)
        for occ in obligation_occurrences(plan, ob):
            assumed = "; ".join(x for x in (prov.assumed_text, occ.assumed) if x) or None
            name = f"{ob.name} — {occ.name}" if occ.name else ob.name
            period = Period.parse(occ.period)
            for agency, unit in obligation_parties(plan, ob.agencies, ob.per_unit, period):
                yield _dated(plan, item=ob.id, kind="obligation", name=name, agency=agency,
                             unit=unit, period=occ.period, due=occ.due,
                             done=dates.get((ob.id, agency, unit, occ.period)), as_of=as_of,
                             source=occ.source or ob.source, assumed=assumed,
                             importance=ob.importance or plan.importance.obligation,
                             reading=prov.reading_text, doubt=prov.doubt)
