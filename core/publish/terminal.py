"""A run and its evidence, and the national comparison, for a terminal, in the reader's language.

``plancheck run`` prints, in this order: the notices a reader must see first;
the summary; what needs action (reports and tasks late or not done, grouped
by the agency that owes them; targets not met, with what the plan asks and
what was reached; targets with no data, by the agency that owes the data);
then every finding in a table, and the readings and proxies the verdicts rest
on. ``plancheck explain`` prints how each verdict on one item was reached;
``plancheck compare`` the provinces side by side, with the rules the judge
room states in English put into the reader's words.
The words come from the catalog (:mod:`plancheck.language`), numbers and
dates as the language writes them; ids stay as the plan writes them, so an
operator can copy them into the next command.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from plancheck.language import _, ngettext, pgettext
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


# -- the national comparison ----------------------------------------------------------------

def comparison_text(doc: dict[str, Any], lang: str) -> str:
    """The comparison (``plancheck compare --format table``) for a terminal, in the reader's language.

    The notices, the provinces as grouped after a reorganisation, then indicators, reporting discipline,
    coverage and the ranking, with the rule of each. The rules and notices :mod:`plancheck.judge.compare` writes
    in English are put into the reader's words here (:func:`plancheck.publish.dashboard.rule_words`,
    as the html dashboard does); names are the programme's in Vietnamese, its English names for English;
    numbers and dates as the language writes them. Ids (provinces, plans) stay as written, and in
    English the statuses and adoptions stay the ids ``--format json`` and ``csv`` give.
    """
    from plancheck import language

    with language.using(lang):  # the catalog's words too, whatever language the command runs in
        return _comparison_lines(doc, Locale(lang))


def _comparison_lines(doc: dict[str, Any], loc: Locale) -> str:
    from plancheck.publish.dashboard import notice_words, rule_words

    lang = loc.lang
    prog = doc["programme"]
    programme = (prog.get("name_en") if lang == "en" else None) or prog["name"]
    lines = [_("National comparison: {programme} ({document}), as of {date}").format(
                 programme=programme, document=prog["document"], date=_day(doc["as_of"], loc)),
             _("Periods: {rule}").format(rule=rule_words(doc["periods"]["rule"], loc))]
    lines += [_("NOTE: {notice}").format(notice=notice_words(n, loc)) for n in doc.get("notices", [])]
    for p in doc["provinces"]:
        if p["status"] == "failed":
            lines.append(_("FAILED: {province}: {reason}").format(province=p["province"], reason=p["reason"]))
    grouped = any(p.get("group", p["province"]) != p["province"] for p in doc["provinces"])
    if grouped:  # before the reorganisation each province is its own group: nothing to show
        lines += _units_lines(doc["units"], loc)
    for ind in doc["indicators"]:
        nat = ind["national"]
        name = (ind.get("name_en") if lang == "en" else None) or ind.get("name") or ind["code"]
        by = _(" by {date}").format(date=_day(ind["by"], loc)) if ind.get("by") else ""
        lines += ["", _("{code}: {name} (national {comparator} {threshold}{by})").format(
            code=ind["code"], name=name, comparator=nat["comparator"], threshold=_figure(nat["threshold"], loc),
            by=by)]
        if ind.get("threshold_rule"):
            lines.append(_("Threshold: {rule}").format(rule=rule_words(ind["threshold_rule"], loc)))
        head = [_("group")] if grouped else []
        lines.append(table(
            [*head, pgettext("heading", "province"), _("adoption"), _("period"), _("target"), _("actual"),
             _("status"), _("attainment")],
            [((r.get("group", ""),) if grouped else ()) + (
              r["province"], _adoption_word(r["adoption"]), r.get("period", ""),
              (f"{r['comparator']} {_figure(r['threshold'], loc)}" if r.get("threshold") is not None else ""),
              _figure(r.get("actual"), loc), _status_words(r),
              _fixed(r.get("attainment"), loc))
             for r in ind["provinces"]]))
    lines += ["", _("Reporting discipline"), table(
        [pgettext("heading", "province"), _("expected"), _("received"), _("on time"), _("late"), _("missing"),
         _("on-time rate"), _("mean days late")],
        [(r["province"], _figure(r["expected"], loc), _figure(r["received"], loc), _figure(r["on_time"], loc),
          _figure(r["late"], loc), _figure(r["missing"], loc), _share(r["on_time_rate"], loc),
          _figure(r["mean_days_late"], loc)) for r in doc["reporting"]])]
    lines += ["", _("Coverage (plan items due with data)"), table(
        [pgettext("heading", "province"), _("items due"), _("with data"), _("share")],
        [(r["province"], _figure(r["items_due"], loc), _figure(r["with_data"], loc), _share(r["share"], loc))
         for r in doc["coverage"]])]
    lines += ["", _("Ranking"), table(
        [_("rank"), pgettext("heading", "province"), _("met"), _("judged"), _("score"), _("coverage"),
         _("on-time rate"), _("why unranked")],
        [(r["rank"] or "-", r["province"], _figure(r["met"], loc), _figure(r["judged"], loc),
          _share(r["score"], loc), _share(r["coverage"], loc), _share(r["on_time_rate"], loc), _unranked(r))
         for r in doc["ranking"]["rows"]], max_width=90),
        _("Rule: {rule}").format(rule=rule_words(doc["ranking"]["rule"], loc))]
    return "\n".join(lines)


def _units_lines(units: dict[str, Any], loc: Locale) -> list[str]:
    """The provinces as they exist on the units date, each with the plans of those it was formed from."""
    from plancheck.publish.dashboard import rule_words

    groups = units["groups"]
    with_plans = [g for g in groups if any(m["plans"] or m["status"] == "failed" for m in g["predecessors"])]
    lines = ["", _("Provinces as of {date}: {groups}, {with_plans} with plans installed").format(
        date=_day(units["as_of"], loc), groups=len(groups), with_plans=len(with_plans))]
    for g in with_plans:
        since = _(" (from {date})").format(date=_day(g["valid_from"], loc)) if g.get("valid_from") else ""
        lines.append(f"  {g['province']}: {g['name']}{since}")
        for m in g["predecessors"]:
            until = _(" (until {date})").format(date=_day(m["valid_to"], loc)) if m.get("valid_to") else ""
            what = (_("plans {ids}").format(ids=", ".join(m["plans"])) if m["plans"] else
                    _("its plugin FAILED") if m["status"] == "failed" else _("no plan installed"))
            lines.append(f"    {m['province']}{until}: {what}")
    rest = [g["province"] for g in groups if g not in with_plans]
    if rest:
        lines.append("  " + _("No plan installed for {n}: {provinces}").format(n=len(rest), provinces=", ".join(rest)))
    lines.append(_("Rule: {rule}").format(rule=rule_words(units["rule"], loc)))
    return lines


def _unranked(row: dict[str, Any]) -> str:
    """Why a province is not ranked (judge.compare.UNRANKED_WHY), in the reader's words."""
    if row.get("rank"):
        return ""
    words = {"no_national_indicator": _("its plan adopts none of the programme's indicators"),
             "nothing_judged": _("none of its national indicators can be judged yet"),
             "low_coverage": _("data for under half of its plan items due")}
    return words.get(str(row.get("why")), str(row.get("why") or ""))


def _status_words(row: dict[str, Any]) -> str:
    """A row's verdict: in English the id ``--format json`` gives (``not_met``), else the reader's word;
    a failed province's row shows why it failed."""
    status = row.get("status")
    if not status:
        return str(row.get("reason") or "")
    # Translators: compare's table, a verdict; the English is the id --format json gives: translate as words.
    words = {"met": pgettext("compare.status", "met"), "not_met": pgettext("compare.status", "not_met"),
             "pending": pgettext("compare.status", "pending"), "no_data": pgettext("compare.status", "no_data"),
             "no_period_shared": pgettext("compare.status", "no_period_shared")}
    word = words.get(status, status)
    if row.get("reason") == "unit_reorganised":
        word += " (" + pgettext("compare.status", "unit_reorganised") + ")"
    return word


def _adoption_word(adoption: str) -> str:
    """How a plan takes up the indicator: in English the id ``--format json`` gives, else the reader's words."""
    # Translators: compare's table, how a plan adopts an indicator; the English is the id --format json gives.
    words = {"mapped": pgettext("compare.adoption", "mapped"), "included": pgettext("compare.adoption", "included"),
             "restated": pgettext("compare.adoption", "restated"),
             "not_in_plan": pgettext("compare.adoption", "not_in_plan"),
             "skipped": pgettext("compare.adoption", "skipped"), "failed": pgettext("compare.adoption", "failed")}
    return words.get(adoption, adoption)


def _day(iso: object, loc: Locale) -> str:
    from datetime import date

    try:
        return loc.day(date.fromisoformat(str(iso)))
    except ValueError:
        return str(iso or "")


def _figure(x: object, loc: Locale) -> str:
    """A figure as ``%g`` shows it (at most six significant digits), written as the language writes numbers."""
    if x is None:
        return ""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return str(x)
    if isinstance(x, int):
        return loc.number(x, 0)
    return loc.number(x, max(0, 6 - len(str(int(abs(x))))))


def _fixed(x: object, loc: Locale) -> str:
    """An attainment (actual / target) with two decimals: 0.83 (en), 0,83 (vi)."""
    if not isinstance(x, int | float) or isinstance(x, bool):
        return ""
    from babel.numbers import format_decimal

    from plancheck import language

    return format_decimal(round(x, 2) + 0.0, format="#,##0.00", locale=language.babel_locale(loc.lang))


def _share(x: object, loc: Locale) -> str:
    """A share (0.94) as a whole percentage: 94%."""
    if not isinstance(x, int | float) or isinstance(x, bool):
        return ""
    return loc.percent(x * 100, 0)
