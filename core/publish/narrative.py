"""The report's story in words: what was met, what was not and by how much, who was late, what is pending.

The Word draft (:mod:`plancheck.publish.docx_report`) opens with these
paragraphs so that an official edits a text rather than writes one. Each
paragraph is made from the findings alone (nothing is judged here) and says
where to look in the Appendix for the rest: a list is cut after
:data:`LISTED` entries with the number left.

Every sentence is a label of :mod:`plancheck.publish.labels` (``story.*``),
in the reader's language; the plan's names are as the plan writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from plancheck.judge.verdicts import Finding, Report
from plancheck.plans.model import Plan
from plancheck.publish import content
from plancheck.publish.labels import Locale

#: Entries a list in a paragraph names before "and N more".
LISTED = 6


@attrs.frozen
class Story:
    """The paragraphs of each part of the report; a paragraph starting "- " is a bullet."""

    targets: tuple[str, ...]
    tasks: tuple[str, ...]
    reports: tuple[str, ...]
    checks: tuple[str, ...]
    proposals: tuple[str, ...]


def story(report: Report, plans: Sequence[Plan], loc: Locale) -> Story:
    """The story of ``report`` in ``loc``'s language."""
    names = content.Names.of(plans)
    by_kind: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_kind.setdefault(f.kind, []).append(f)
    return Story(
        targets=tuple(_targets(by_kind.get("target", []), names, loc)),
        tasks=tuple(_duties(by_kind.get("task", []), names, loc, "tasks", report)),
        reports=tuple(_duties(by_kind.get("obligation", []), names, loc, "reports", report)),
        checks=tuple(_checks(by_kind.get("consistency", []), names, loc)),
        proposals=tuple(_proposals(report.findings, names, loc, report)),
    )


def _listed(items: Sequence[str], loc: Locale, sep: str = "; ") -> str:
    """Up to LISTED items joined, then "and N more (see the Appendix)"."""
    shown = sep.join(items[:LISTED])
    if len(items) > LISTED:
        shown += loc.t("story.more", n=len(items) - LISTED)
    return shown


def _where(f: Finding, names: content.Names, loc: Locale) -> str:
    return names.unit(f.plan, f.unit, loc) or names.agency(f.plan, f.agency, loc) or loc.t("story.no_agency")


# -- targets --------------------------------------------------------------------------------

def _targets(fs: Sequence[Finding], names: content.Names, loc: Locale) -> Iterable[str]:
    judged = [f for f in fs if f.status in ("met", "not_met")]
    if not judged:
        yield loc.t("story.targets_none")
    else:
        met = sum(1 for f in judged if f.status == "met")
        items = len({(f.plan, f.item) for f in judged})
        yield loc.t("story.targets_judged", judged=len(judged), items=items, met=met,
                    not_met=len(judged) - met)
    not_met = [f for f in fs if f.status == "not_met"]
    if not_met:
        yield loc.t("story.targets_not_met")
        groups = _by_item(not_met)
        for group in groups[:LISTED]:
            yield "- " + _not_met_line(group, names, loc)
        if len(groups) > LISTED:
            yield "- " + loc.t("story.more_items", n=len(groups) - LISTED).strip()
    met_items = [fs_[0] for fs_ in _by_item([f for f in fs if f.status == "met"])
                 if not any(g.status == "not_met" and (g.plan, g.item) == (fs_[0].plan, fs_[0].item) for g in fs)]
    if met_items:
        yield loc.t("story.targets_met", names=_listed([names.item(f, loc) for f in met_items], loc))
    no_data = [f for f in fs if f.status == "no_data"]
    if no_data:
        yield loc.t("story.targets_no_data", n=len(no_data), agencies=_owed_by(no_data, names, loc))
    pending = [f for f in fs if f.status == "pending"]
    if pending:
        yield loc.t("story.targets_pending", n=len(pending))


def _by_item(fs: Iterable[Finding]) -> list[list[Finding]]:
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for f in fs:
        groups.setdefault((f.plan, f.item, f.period), []).append(f)
    return list(groups.values())


def _not_met_line(group: Sequence[Finding], names: content.Names, loc: Locale) -> str:
    f = group[0]
    name, period = names.item(f, loc), loc.period(f.period)
    expected = content.expected_text(f, names, loc)
    if len(group) == 1:
        gap = gap_text(f, names, loc)
        return loc.t("story.target_line", name=name, where=_where(f, names, loc), period=period,
                     expected=expected, actual=content.actual_text(f, names, loc),
                     gap=loc.t("story.gap", gap=gap) if gap else "")
    units = [f"{_where(g, names, loc)} ({content.actual_text(g, names, loc)})" if content.is_numeric(g)
             else _where(g, names, loc) for g in group]
    return loc.t("story.target_units", name=name, period=period, expected=expected, n=len(group),
                 units=_listed(units, loc, ", "))


def gap_text(f: Finding, names: content.Names, loc: Locale) -> str:
    """How far a numeric result is from its threshold ("9 short", "4,16 percentage points short"),
    or "" where the distance says nothing (growth, change, a classification)."""
    t = names.target(f)
    if t is None or t.threshold is None or not content.is_numeric(f) or t.kind not in ("value", "ratio",
                                                                                        "class_count"):
        return ""
    actual = float(f.actual)  # type: ignore[arg-type]
    cmp = t.comparator or ">="
    distance = abs(t.threshold - actual)
    if distance == 0:
        return ""
    amount = loc.t("story.points", n=loc.number(distance)) if t.kind == "ratio" else loc.number(distance)
    return loc.t("story.short" if cmp in (">=", ">", "==") and actual < t.threshold else "story.over",
                 amount=amount)


def _owed_by(fs: Sequence[Finding], names: content.Names, loc: Locale) -> str:
    """The agencies that owe the data of ``fs``, most first, with their counts."""
    counts: dict[str, int] = {}
    for f in fs:
        who = names.agency(f.plan, f.agency, loc) or loc.t("story.no_agency")
        counts[who] = counts.get(who, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return _listed([f"{who} ({n})" for who, n in ranked], loc)


# -- tasks and reports ---------------------------------------------------------------------------

def _duties(fs: Sequence[Finding], names: content.Names, loc: Locale, what: str, report: Report) -> Iterable[str]:
    """Tasks (``what`` = tasks) or reports (reports): how many fell due, done on time, late, not done."""
    due = [f for f in fs if f.due is not None and f.due <= report.as_of and f.status in ("met", "not_met")]
    late = [f for f in due if f.status == "not_met" and f.reason == "late"]
    missing = [f for f in due if f.status == "not_met" and f.reason == "missing"]
    on_time = [f for f in due if f.status == "met"]
    if not due:
        yield loc.t(f"story.{what}_none")
    else:
        received = len(on_time) + len(late)
        yield loc.t(f"story.{what}_due", due=len(due), on_time=len(on_time), late=len(late),
                    missing=len(missing), received=received, rate=loc.percent(round(received / len(due) * 100, 1)))
    def line(f: Finding) -> str:
        return loc.t("story.late_entry", who=_who(f, names, loc), name=names.item(f, loc),
                     period=loc.period(f.period), days=f.days_late if f.days_late is not None else "?")

    if late:
        yield loc.t(f"story.{what}_late", list=_listed([line(f) for f in _most_late(late)], loc))
    if missing:
        yield loc.t(f"story.{what}_missing", list=_listed([line(f) for f in _most_late(missing)], loc))
    pending = [f for f in fs if f not in due]
    if pending:
        yield loc.t(f"story.{what}_pending", n=len(pending))


def _who(f: Finding, names: content.Names, loc: Locale) -> str:
    """The sender: the unit for a report every unit sends, else the agency."""
    return names.unit(f.plan, f.unit, loc) or names.agency(f.plan, f.agency, loc) or loc.t("story.no_agency")


def _most_late(fs: Iterable[Finding]) -> list[Finding]:
    return sorted(fs, key=lambda f: -(f.days_late or 0))


def _checks(fs: Sequence[Finding], names: content.Names, loc: Locale) -> Iterable[str]:
    bad = [f for f in fs if f.status == "not_met"]
    if bad:
        entries = [f"{names.item(f, loc)} ({_where(f, names, loc)}, {loc.period(f.period)})" for f in bad]
        yield loc.t("story.checks", n=len(bad), list=_listed(entries, loc))


# -- proposals ----------------------------------------------------------------------------------

def _proposals(fs: Sequence[Finding], names: content.Names, loc: Locale, report: Report) -> Iterable[str]:
    """One proposal per agency and kind of shortfall: overdue reports, overdue tasks, targets not met,
    missing data; the agencies with most to do first."""
    todo: dict[str, dict[str, list[Finding]]] = {}
    for f in fs:
        if f.waived:
            continue
        overdue = f.status == "not_met" and f.reason == "missing"
        key = ("reports" if f.kind == "obligation" and overdue else
               "tasks" if f.kind == "task" and overdue else
               "targets" if f.kind == "target" and f.status == "not_met" else
               "data" if f.kind == "target" and f.status == "no_data" else None)
        if key is None:
            continue
        who = names.agency(f.plan, f.agency, loc) or loc.t("story.no_agency")
        todo.setdefault(who, {}).setdefault(key, []).append(f)
    ranked = sorted(todo.items(), key=lambda kv: (-sum(len(v) for v in kv[1].values()), kv[0]))
    for who, kinds in ranked:
        for key in ("reports", "tasks", "targets", "data"):
            if key not in kinds:
                continue
            items = list(dict.fromkeys(names.item(f, loc) for f in kinds[key]))
            yield "- " + loc.t(f"story.propose_{key}", agency=who, n=len(kinds[key]),
                               names=_listed(items, loc))
    yield loc.t("story.propose_edit")
