"""A run and its evidence for a terminal, in the reader's language: what needs action first.

``plancheck run`` prints, in this order: the notices a reader must see first;
the summary; what needs action (reports and tasks late or not done, grouped
by the agency that owes them; targets not met, with what the plan asks and
what was reached; targets with no data, by the agency that owes the data);
then every finding in a table, and the readings and proxies the verdicts rest
on. ``plancheck explain`` prints how each verdict on one item was reached.
The words come from the catalog (:mod:`plancheck.language`), numbers and
dates as the language writes them; ids stay as the plan writes them, so an
operator can copy them into the next command.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from plancheck.language import _, ngettext
from plancheck.publish.content import Names, Row, notices, rows
from plancheck.publish.labels import Locale
from plancheck.publish.text import table

if TYPE_CHECKING:
    from plancheck.judge.verdicts import Report
    from plancheck.plans.model import Plan


def summary_line(report: Report, loc: Locale) -> str:
    """``Summary: 40 met, 30 not met, 10 pending, 5 no data (85 findings)``, in the reader's language."""
    s = report.summary()
    parts = ", ".join(f"{s[k]} {loc.t('status.' + k).lower()}" for k in ("met", "not_met", "pending", "no_data"))
    waived = _(", {n} waived").format(n=s["waived"]) if s.get("waived") else ""
    return _("Summary: {counts}{waived} ({total} findings)").format(counts=parts, waived=waived, total=s["total"])


def report_text(report: Report, plans: Sequence[Plan], lang: str, title: str = "") -> str:
    """The findings for a terminal: notices, summary, what needs action, then the details."""
    loc = Locale(lang)
    names = Names.of(plans)
    province = next((p.province_name for p in plans), report.province)
    lines = [_("plancheck: {province} ({id}), as of {date}").format(province=province, id=report.province,
                                                                     date=loc.day(report.as_of))]
    if title:
        lines.append(title)
    lines += [_("NOTE: {notice}").format(notice=n) for n in notices(report, plans, loc)]
    lines += ["", summary_line(report, loc)]
    every = rows(report, plans, loc)
    lines += _needs_action(every, names, loc)
    lines += ["", _("DETAILS (every finding; ids as the plan writes them)")]
    lines.append(table(
        [_("status"), _("kind"), _("item"), _("agency"), _("unit"), _("period"), _("due"), _("expected"),
         _("actual"), _("reason"), _("clause"), _("rests on")],
        [(r.status, r.kind, r.finding.item, r.finding.agency, r.finding.unit, r.finding.period, r.due_text,
          r.expected, r.actual_text, r.reason, r.source, ", ".join(label for _k, label, _t in r.marks(loc)))
         for r in every], max_width=40))
    lines += _mark_notes(report, loc)
    return "\n".join(lines)


def _needs_action(every: list[Row], names: Names, loc: Locale) -> list[str]:
    """Late and missing work by the agency that owes it; targets not met with their figures; no data by owner."""
    overdue = [r for r in every if r.finding.status == "not_met" and r.finding.kind in ("task", "obligation")
               and not r.finding.waived]
    short = [r for r in every if r.finding.status == "not_met" and r.finding.kind == "target" and not r.finding.waived]
    missing_data = [r for r in every if r.finding.status == "no_data"]
    odd = [r for r in every if r.finding.status == "not_met" and r.finding.kind not in ("task", "obligation", "target")
           and not r.finding.waived]
    if not (overdue or short or missing_data or odd):
        return ["", _("NEEDS ACTION: nothing: no report or task is overdue and no target is missed.")]
    out = ["", _("NEEDS ACTION")]
    if overdue:
        out += ["", _("Reports and tasks late or not done, by the agency that owes them:")]
        for agency, group in _by_agency(overdue):
            late = sum(1 for r in group if r.finding.reason == "late")
            out.append("  " + _("{agency}: {missing} not done, {late} done late").format(
                agency=agency, missing=len(group) - late, late=late))
            for r in group:
                where = ", ".join(x for x in (r.unit, r.period) if x)
                out.append("    - " + _("{name} ({where}): {reason}; due {due} [{item}, clause {clause}]").format(
                    name=r.name, where=where, reason=r.reason, due=r.due_text or "—", item=r.finding.item,
                    clause=r.source))
    if short:
        out += ["", _("Targets not met:")]
        by_target: dict[tuple[str, str, str], list[Row]] = {}
        for r in short:
            by_target.setdefault((r.finding.plan, r.finding.item, r.finding.period), []).append(r)
        for group in by_target.values():
            r = group[0]
            if len(group) == 1:
                shortfall = f" ({r.reason})" if r.reason and r.reason != r.actual_text else ""
                out.append("  - " + _("{name} ({where}): required {expected}; reached {actual}{shortfall} "
                                      "[{item}, clause {clause}]").format(
                    name=r.name, where=", ".join(x for x in (r.unit, r.period) if x), expected=r.expected,
                    actual=r.actual_text, shortfall=shortfall, item=r.finding.item, clause=r.source))
            else:
                out.append("  - " + ngettext(
                    "{name} ({period}): required {expected}; not met in {n} unit: {units} [{item}, clause {clause}]",
                    "{name} ({period}): required {expected}; not met in {n} units: {units} [{item}, clause {clause}]",
                    len(group)).format(name=r.name, period=r.period, expected=r.expected, n=len(group),
                                       units="; ".join(x.unit for x in group), item=r.finding.item,
                                       clause=r.source))
    if odd:
        out += ["", _("Data that do not agree:")]
        out += ["  - " + _("{name} ({where}): {reason} [{item}]").format(
            name=r.name, where=", ".join(x for x in (r.unit, r.period) if x), reason=r.reason,
            item=r.finding.item) for r in odd]
    if missing_data:
        out += ["", _("Targets whose period is over with no data, by the agency that owes the data:")]
        for agency, group in _by_agency(missing_data):
            out.append("  " + ngettext("{agency}: {n} result cannot be judged", "{agency}: {n} results cannot be "
                                       "judged", len(group)).format(agency=agency, n=len(group)))
            shown = group[:5]
            out += ["    - " + _("{name} ({where}) [{item}]").format(
                name=r.name, where=", ".join(x for x in (r.unit, r.period) if x), item=r.finding.item)
                for r in shown]
            if len(group) > len(shown):
                out.append("    " + _("… and {n} more").format(n=len(group) - len(shown)))
    return out


def _by_agency(group: list[Row]) -> list[tuple[str, list[Row]]]:
    """Rows grouped by the agency named (its name and id), the agencies with most first."""
    by: dict[str, list[Row]] = {}
    for r in group:
        key = f"{r.agency} ({r.finding.agency})" if r.finding.agency else _("(no agency named by the plan)")
        by.setdefault(key, []).append(r)
    return sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def _mark_notes(report: Report, loc: Locale) -> list[str]:
    """Each reading and proxy in full, once, with the items it qualifies (assumptions and doubts: explain)."""
    out: list[str] = []
    heads = (("reading", _("Readings of unclear text")),
             ("proxy", _("Proxies (not the plan's own indicators; never fail a run by default)")))
    for key, head in heads:
        texts: dict[str, list[str]] = {}
        for f in report.findings:
            text = getattr(f, key, None)
            if text and f.item not in texts.setdefault(text, []):
                texts[text].append(f.item)
        if texts:
            out += ["", f"{head}:"]
            out += [f"  [{', '.join(items)}] {text}" for text, items in texts.items()]
    if any(f.assumed or f.doubt for f in report.findings):
        out += ["", _("Assumptions and doubts: plancheck explain ITEM, or --format json (assumed, doubt).")]
    return out


def explain_text(findings: Sequence[Any], plans: Sequence[Plan], lang: str) -> str:
    """Every verdict on one item with its evidence, in the reader's language."""
    from datetime import date

    from plancheck.judge.verdicts import Report

    loc = Locale(lang)
    names = Names.of(plans)
    out: list[str] = []
    by_finding = {id(r.finding): r for r in rows(Report("", date.min, tuple(findings)), plans, loc)}
    for f in findings:
        r = by_finding[id(f)]
        where = " ".join(x for x in (f.agency, f.unit, f.period) if x)
        verdict = r.status + (f" ({r.reason})" if r.reason else "")
        due = (" " + _("(due {date})").format(date=loc.day(f.due))) if f.due else ""
        out += [_("Item: {item} — {name} [{where}]").format(item=f.item, name=names.item(f, loc), where=where),
                "  " + _("Clause: {clause}").format(clause=f.source),
                "  " + _("Expected: {expected}").format(expected=r.expected) + due,
                "  " + _("Actual: {actual}").format(actual="" if f.actual is None else r.actual_text),
                "  " + _("Verdict: {verdict}").format(verdict=verdict)
                + (" [" + loc.t("waived") + "]" if f.waived else ""),
                "  " + _("Comparison: {computation}").format(computation=f.computation)]
        marks = ((_("Assumed"), f.assumed), (_("Reading"), getattr(f, "reading", None)),
                 (_("Proxy"), getattr(f, "proxy", None)), (_("Doubt"), f.doubt))
        out += [f"  {label}: {text}" for label, text in marks if text]
        if f.waiver:
            w = f.waiver
            expires = _(", expires {date}").format(date=w["expires"]) if w.get("expires") else ""
            out.append("  " + _("Waiver: {note} — {justification} ({approved_by}, {document}{expires})").format(
                note=w["note"], justification=w["justification"], approved_by=w["approved_by"],
                document=w["document"], expires=expires))
        shown = f.evidence[:12]
        if shown:
            out.append("  " + _("Data:"))
            for e in shown:
                datum = loc.day(e.date) if e.date else (loc.number(e.value) if e.value is not None else "")
                src = _("derived from other data") if e.derived else _("file {file}, row {row}").format(
                    file=e.source_file, row=e.row)
                out.append(f"    {e.item} {e.unit} {e.period} = {datum}  ({src})")
            if len(f.evidence) > len(shown):
                out.append("    " + _("… {n} more (--format json lists all)").format(n=len(f.evidence) - len(shown)))
        out.append("")
    return "\n".join(out).rstrip()
