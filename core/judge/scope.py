"""Which findings a reader asked for: one agency's, one unit's (with the units under it), some statuses.

``plancheck run --agency A --unit U --status S`` and the portal's filters
narrow a report to these findings before anything is written or counted: the
summary, the roll-ups and the exit code are those of what is shown, so a
district can run its own check. An agency or unit the plan does not have is
an :class:`~plancheck.errors.InputError` naming the closest ids, never an
empty report (issue 21: a mistyped filter read as "nothing to do").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from plancheck.errors import InputError, joined
from plancheck.judge.findings import Finding
from plancheck.language import _
from plancheck.plans.model import Plan


def units_within(plans: Sequence[Plan], unit: str) -> set[str]:
    """``unit`` and every unit under it, as the plans' ``parent`` links say."""
    children: dict[str, set[str]] = {}
    for p in plans:
        for u in p.units:
            if u.parent:
                children.setdefault(u.parent, set()).add(u.id)
    found, todo = set(), [unit]
    while todo:
        u = todo.pop()
        if u not in found:
            found.add(u)
            todo.extend(children.get(u, ()))
    return found


def select(findings: Iterable[Finding], plans: Sequence[Plan], *, agency: str | None = None,
           unit: str | None = None, statuses: Sequence[str] = ()) -> list[Finding]:
    """The findings about ``agency``, about ``unit`` or a unit under it, with one of ``statuses``."""
    from plancheck.plans.identity import hint

    problems = []
    agencies = sorted({a.id for p in plans for a in p.agencies})
    if agency is not None and agency not in agencies:
        problems.append(joined(_("--agency: no agency {agency!r} in the plans{hint}").format(
            agency=agency, hint=hint(agency, agencies)), _("agencies: {known}").format(known=", ".join(agencies))))
    units = sorted({u.id for p in plans for u in p.units})
    if unit is not None and unit not in units:
        problems.append(_("--unit: no unit {unit!r} in the plans{hint}").format(unit=unit, hint=hint(unit, units)))
    if problems:
        raise InputError(problems)
    within = units_within(plans, unit) if unit is not None else None
    return [f for f in findings
            if (agency is None or f.agency == agency)
            and (within is None or f.unit in within)
            and (not statuses or f.status in statuses)]
