"""Rendering for the terminal and for scripts: tables and JSON.

Nothing here decides anything; it lays out what the plan and the verdicts say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from plancheck.language import _, ngettext, pgettext

if TYPE_CHECKING:  # the model is imported by the functions that need it: ``table`` must stay light
    from plancheck.judge.findings import Finding, Report
    from plancheck.plans.model import Plan
    from plancheck.publish.labels import Locale


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], max_width: int = 60) -> str:
    """A plain text table; cells longer than ``max_width`` are cut with '…'."""
    def cell(x: Any) -> str:
        s = "" if x is None else (f"{x:g}" if isinstance(x, float) else str(x))
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    body = [[cell(x) for x in r] for r in rows]
    widths = [len(h) for h in headers]
    for r in body:
        widths = [max(w, len(c)) for w, c in zip(widths, r, strict=True)]
    lines = ["  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    return "\n".join(lines)


def json_text(doc: Any) -> str:
    """A JSON document laid out for both people and speed: objects indented, one list item per line.

    ``json.dumps(..., indent=2)`` runs Python's pure-Python encoder: for a national
    run's 16,000 findings that was a second (issue 9). Here each list item is
    encoded whole by the C encoder, on its own line, so the output stays easy to
    read and to diff line by line, and costs half the time.
    """
    return "".join(json_chunks(doc))


def json_chunks(doc: Any) -> Iterator[str]:
    """:func:`json_text`'s document in pieces, in order, one list item at a time: what ``plancheck run``
    writes as it goes (issue 20), never holding the whole text of a province's findings at once.

    A list may hold :class:`~plancheck.judge.findings.Finding` objects (:func:`run_document` with
    ``objects``): each is written as the text of its ``to_json()`` dict, byte for byte, without the dict.
    """
    from plancheck.judge.findings import Finding

    dump = _encoder()
    finding_text = _finding_writer(dump)

    def item(x: Any) -> str:
        return finding_text(x) if x.__class__ is Finding else dump(x)

    def lay(x: Any, pad: str) -> Iterator[str]:
        inner = pad + "  "
        if isinstance(x, dict) and x:
            yield "{\n"
            for i, (k, v) in enumerate(x.items()):
                yield (",\n" if i else "") + f"{inner}{dump(str(k))}: "
                yield from lay(v, inner)
            yield f"\n{pad}}}"
        elif isinstance(x, list | tuple) and x:
            yield "[\n"
            last = len(x) - 1
            for i, v in enumerate(x):
                yield f"{inner}{item(v)}{',' if i < last else ''}\n"
            yield f"{pad}]"
        else:
            yield dump(x)

    return lay(doc, "")


def run_document(report: Report, *, objects: bool = False) -> dict[str, Any]:
    """The ``run --format json`` document of a report: findings, summary, roll-ups (the CLI's and the
    portal's). ``objects``: the findings left as Finding objects, for :func:`json_chunks` to write
    (issue 20: a dict per finding cost a tenth of a province's run); else their JSON dicts."""
    from plancheck.judge.rollups import rollups

    doc = report.to_json(objects=objects)
    doc["rollups"] = rollups(report.findings, report.as_of)
    return doc


def _encoder() -> Any:
    """``json.JSONEncoder(ensure_ascii=False, default=str).encode``, with its C encoder made once
    rather than once per item (issue 20: 16,000 findings); the same text, byte for byte."""
    import json
    from json import encoder

    c_make_encoder = getattr(encoder, "c_make_encoder", None)
    if c_make_encoder is None:  # a Python without the C accelerator
        return json.JSONEncoder(ensure_ascii=False, default=str).encode
    # Arguments as JSONEncoder.iterencode passes them; no circular check (a document is a tree).
    make = c_make_encoder(None, str, encoder.encode_basestring, None, ": ", ", ", False, False, True)

    def dump(x: Any) -> str:
        if isinstance(x, str):
            return encoder.encode_basestring(x)
        return "".join(make(x, 0))

    return dump


def _finding_writer(dump: Callable[[Any], str]) -> Callable[[Finding], str]:
    """``dump(finding.to_json())`` without the dict, for the findings of a run.

    Performance (issue 20): a province's findings repeat the same texts (names, clauses, units,
    periods, computations) and share their Evidence, so each string is encoded once and each
    Evidence written once. Anything but the plain types (a waiver, a value of another type) goes
    through ``dump`` as the dict would; tests hold the two equal on every plan's findings.
    """
    from json import encoder

    enc = encoder.encode_basestring
    texts: dict[str, str] = {}
    evidence: dict[int, tuple[Any, str]] = {}
    float_text, int_text = float.__repr__, int.__repr__
    infinite = (float("-inf"), float("inf"))

    def s(v: Any) -> str:
        if v is None:
            return "null"
        if v.__class__ is not str:
            return dump(v)
        t = texts.get(v)
        if t is None:
            t = texts[v] = enc(v)
        return t

    def n(v: Any) -> str:
        c = v.__class__
        if c is float and v == v and v not in infinite:  # NaN and infinities: as the encoder spells them
            return float_text(v)
        if c is int:
            return int_text(v)
        return s(v)

    def flag(v: Any) -> str:
        return "true" if v is True else "false" if v is False else dump(v)

    def day(d: Any) -> str:
        return s(d.isoformat()) if d else "null"

    def ev(e: Any) -> str:
        hit = evidence.get(id(e))
        if hit is not None and hit[0] is e:
            return hit[1]
        t = (f'{{"item": {s(e.item)}, "unit": {s(e.unit)}, "period": {s(e.period)}, "value": {n(e.value)}, '
             f'"date": {day(e.date)}, "source_file": {s(e.source_file)}, "row": {n(e.row)}, '
             f'"derived": {flag(e.derived)}}}')
        evidence[id(e)] = (e, t)  # the object is kept alive with its text: its id is not reused meanwhile
        return t

    def write(f: Finding) -> str:
        if f.waiver is not None:
            return dump(f.to_json())
        return (f'{{"plan": {s(f.plan)}, "item": {s(f.item)}, "kind": {s(f.kind)}, "name": {s(f.name)}, '
                f'"agency": {s(f.agency)}, "unit": {s(f.unit)}, "period": {s(f.period)}, "due": {day(f.due)}, '
                f'"status": {s(f.status)}, "reason": {s(f.reason)}, "expected": {s(f.expected)}, '
                f'"actual": {n(f.actual)}, "days_late": {n(f.days_late)}, "source": {s(f.source)}, '
                f'"assumed": {s(f.assumed)}, "importance": {s(f.importance)}, '
                f'"computation": {s(f.computation)}, "evidence": [{", ".join([ev(e) for e in f.evidence])}], '
                f'"doubt": {s(f.doubt)}, "reading": {s(f.reading)}, "proxy": {s(f.proxy)}, '
                f'"waived": {flag(f.waived)}, "waiver": null}}')

    return write


# -- plans --------------------------------------------------------------------

def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The plan as ``plan show --format json`` documents it.

    Every element has ``id``, ``name`` and ``source``; tasks carry their
    computed ``due``; targets one entry per element with their ``periods``;
    obligations one entry per period, each with its ISO ``due``.
    """
    from plancheck.plans.converter import make_converter
    from plancheck.plans.schedule import obligation_occurrences, target_occurrences, task_due, task_occurrences

    raw = make_converter().unstructure(plan)
    out: dict[str, Any] = {
        "id": plan.id,
        "province": plan.province,
        "title": plan.title,
        "title_en": plan.title_en,
        "document": plan.document,
        "issuer": plan.issuer,
        "signed": plan.signed.isoformat() if plan.signed else None,
        "signer": plan.signer,
        "period": {"start": plan.period.start.isoformat(), "end": plan.period.end.isoformat()},
        "parent_programme": plan.parent_programme,
        "source_file": plan.source_file,
        "source_kind": plan.source_kind,
        "language": plan.language,
        "incomplete": plan.incomplete,
        "assumed": plan.assumed,
        "note": plan.note,
    }
    for coll in ("agencies", "units", "measures", "projects", "rules"):
        out[coll] = raw[coll]
    out["targets"] = []
    for t, rt in zip(plan.targets, raw["targets"], strict=True):
        rt["periods"] = [
            {"period": o.period, "due": o.due.isoformat() if o.due else None}
            for o in target_occurrences(plan, t)
        ]
        out["targets"].append(rt)
    out["tasks"] = []
    for t, rt in zip(plan.tasks, raw["tasks"], strict=True):
        due = task_due(plan, t)
        rt["due"] = due.isoformat() if due else None
        rt["periods"] = [{"period": o.period, "due": o.due.isoformat() if o.due else None}
                         for o in task_occurrences(plan, t)]  # one per period for a recurring task
        out["tasks"].append(rt)
    out["obligations"] = []
    for ob, ro in zip(plan.obligations, raw["obligations"], strict=True):
        base = {k: v for k, v in ro.items() if k != "schedule"}
        for occ in obligation_occurrences(plan, ob):
            entry = dict(base)
            entry["name"] = f"{ob.name} — {occ.name}" if occ.name else ob.name
            entry["obligation"] = ob.id
            entry["period"] = occ.period
            entry["due"] = occ.due.isoformat() if occ.due else None
            entry["source"] = occ.source or ob.source
            entry["assumed"] = "; ".join(x for x in (ob.assumed, occ.assumed) if x) or None
            out["obligations"].append(entry)
    return out


def _task_due_text(t: dict[str, Any], loc: Locale) -> str:
    """A task's due date, or for a recurring task how often and its first due date."""
    if t.get("recurrence", "once") == "once":
        return _day(t["due"], loc) or _("(none given)")
    how = _recurrence(t["recurrence"]) + (_(", continuous") if t.get("continuous") else "")
    if len(t.get("periods", ())) > 1:
        return _("{how} from {due}").format(how=how, due=_day(t["due"], loc))
    return f"{how}: {_day(t['due'], loc)}"


def plan_text(plan: Plan) -> str:
    """The plan as a reader would skim it: header, then each kind of element, in the reader's language
    (:func:`plancheck.language.current`): headings, kinds, scopes, levels and how often in its words, dates
    and periods as it writes them; ids and the plan's own words as the plan writes them."""
    from plancheck import language
    from plancheck.publish.labels import Locale

    loc = Locale(language.current())
    js = plan_to_json(plan)
    source = _("source: {file}").format(file=plan.source_file)
    if plan.source_kind == "press_summary":
        source += " " + _("(a press summary, not the plan itself)")
    lines = [f"{plan.title}"]
    if loc.lang == "en":  # the plan's English title; a Vietnamese reader has the title itself
        lines.append(f"  {plan.title_en}")
    lines += [
        "  " + _("plan id: {id}    province: {name} ({province})").format(
            id=plan.id, name=plan.province_name, province=plan.province),
        "  " + _("document: {document}    signed: {signed}").format(
            document=plan.document or _("(no number in the source text)"),
            signed=loc.day(plan.signed) if plan.signed else _("(no date in the source text)")),
        "  " + _("issuer: {issuer}    period: {start} .. {end}").format(
            issuer=plan.issuer, start=loc.day(plan.period.start), end=loc.day(plan.period.end)),
        "  " + source,
    ]
    if plan.incomplete:
        lines.append("  " + _("INCOMPLETE: {why}").format(why=plan.incomplete))
    if plan.adopts:
        a = plan.adopts
        lines.append("  " + _("builds on national programme {programme}").format(programme=a.programme)
                     + (_("; includes {ids}").format(ids=", ".join(a.include)) if a.include else "")
                     + (_("; skips {ids}").format(ids=", ".join(a.skip)) if a.skip else ""))
    words = {"agencies": _("agencies"), "units": _("units"), "measures": _("measures"), "projects": _("projects"),
             "rules": _("rules"), "targets": _("targets"), "tasks": _("tasks"), "obligations": _("obligations")}
    counts = ", ".join(f"{len(getattr(plan, c))} {w}" for c, w in words.items())
    lines += [f"  {counts}", ""]
    if plan.agencies:
        lines += [_("Agencies"), table([_("id"), _("name"), _("level"), _("source")],
                                       [(a.id, a.name, _level(a.level), a.source) for a in plan.agencies]), ""]
    if plan.projects:
        lines += [_("Projects"), table([_("id"), _("name"), _("lead"), _("coordinators"), _("source")],
                                       [(p.id, p.name, p.lead, ", ".join(p.coordinators), p.source)
                                        for p in plan.projects]), ""]
    if plan.targets:
        lines += [_("Targets"), table(
            [_("id"), _("kind"), _("expected"), _("scope"), _("periods"), _("national"), _("source")],
            [(t["id"], _kind(t["kind"]), _expected(t, loc), _scope(t),
              ", ".join(loc.period(p["period"]) for p in t["periods"]), t.get("national") or "", t["source"])
             for t in js["targets"]])]
        lines.append("")
    if plan.tasks:
        lines += [_("Tasks"), table([_("id"), _("agencies"), _("due"), _("source"), _("name")],
                                    [(t["id"], ", ".join(t["agencies"]), _task_due_text(t, loc),
                                      t["source"], t["name"]) for t in js["tasks"]]), ""]
    if js["obligations"]:
        lines += [_("Reporting obligations"), table(
            [_("id"), _("period"), _("due"), _("from"), _("to"), _("source")],
            [(o["obligation"], loc.period(o["period"]), _day(o["due"], loc),
              ", ".join(o["agencies"]) + (f" ({_each(o['per_unit'])})" if o["per_unit"] else ""),
              ", ".join(o["recipient"]), o["source"] + (" *" if o["assumed"] else ""))
             for o in js["obligations"]])]
        lines.append("  " + _("* date or sender assumed; see --format json for the rule used"))
    return "\n".join(lines)


def _day(iso: str | None, loc: Locale) -> str:
    """An ISO date of the plan's JSON (``2024-03-31``) as :meth:`Locale.day` writes it (31/03/2024 in
    Vietnamese); empty for none."""
    from datetime import date

    return loc.day(date.fromisoformat(iso)) if iso else ""


def _level(level: str) -> str:
    """An agency's level in the reader's words (English: the plan file's word)."""
    # Translators: plan show, an agency's level; the English is the word the plan file uses.
    words = {"central": pgettext("level", "central"), "province": pgettext("level", "province"),
             "district": pgettext("level", "district"), "commune": pgettext("level", "commune")}
    return words.get(level, level)


def _kind(kind: str) -> str:
    """A kind of target in the reader's words (English: the plan file's word, as the plan format names it)."""
    # Translators: plan show, a kind of target; the English is the plan file's kind: translate what it means.
    # value: a figure against a threshold; ratio: a share in percent; growth: percent change on the period
    # before; change: change in amount on the period before; class_count: how many units meet a rule;
    # in_class: each unit must meet a rule.
    words = {"value": pgettext("target.kind", "value"), "ratio": pgettext("target.kind", "ratio"),
             "growth": pgettext("target.kind", "growth"), "change": pgettext("target.kind", "change"),
             "class_count": pgettext("target.kind", "class_count"),
             "in_class": pgettext("target.kind", "in_class")}
    return words.get(kind, kind)


def _recurrence(recurrence: str) -> str:
    """How often a task recurs, in the reader's words (``annual``: hằng năm)."""
    # Translators: plan show, how often a task is done (before its first due date).
    words = {"annual": pgettext("recurrence", "annual"), "semiannual": pgettext("recurrence", "semiannual"),
             "quarterly": pgettext("recurrence", "quarterly"), "monthly": pgettext("recurrence", "monthly")}
    return words.get(recurrence, recurrence)


def _each(level: str) -> str:
    """``each commune`` (mỗi xã): a target's scope, or who sends a report due from every unit of a level."""
    words = {"province": _("each province"), "district": _("each district"), "commune": _("each commune")}
    return words.get(level, level)


def _expected(t: dict[str, Any], loc: Locale) -> str:
    """What a target asks, with the plan's ids (rules, measures) as written: ``#drug_free >= 53 of 161``."""
    if t["kind"] == "in_class":
        return _("is {rule}").format(rule=t["rule"])
    thr = t["threshold"]
    thr_s = loc.number(thr, 6) if isinstance(thr, int | float) and not isinstance(thr, bool) else str(thr)
    what = {"ratio": f"{t['numerator']}/{t['denominator']} %", "class_count": _("#{rule}").format(rule=t["rule"]),
            "growth": _("growth % of {measure}").format(measure=t["measure"]),
            "change": _("change of {measure}").format(measure=t["measure"])}.get(t["kind"], t["measure"])
    if t.get("of"):
        return _("{what} {comparator} {threshold} of {of}").format(
            what=what, comparator=t["comparator"], threshold=thr_s, of=t["of"])
    return f"{what} {t['comparator']} {thr_s}"


def _scope(t: dict[str, Any]) -> str:
    """Where a target holds: the province, each district or commune, the units listed, or the units in one."""
    if t["scope"] == "units":
        return ngettext("{n} unit", "{n} units", len(t["units"])).format(n=len(t["units"]))
    if t.get("within"):
        return _("units in {unit}").format(unit=t["within"])
    if t["scope"] == "province":
        # Translators: plan show, a target's scope: the plan's whole province.
        return pgettext("scope", "province")
    return _each(t["scope"].removeprefix("each_"))


# -- the national comparison ----------------------------------------------------------

def comparison_csv(doc: dict[str, Any]) -> str:
    """One row per indicator, province and period: for spreadsheets."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["indicator", "province", "adoption", "period", "comparator", "threshold",
                "national_comparator", "national_threshold", "actual", "status", "attainment", "group",
                "reason"])
    for ind in doc["indicators"]:
        for r in ind["provinces"]:
            w.writerow([ind["code"], r["province"], r["adoption"], r.get("period", ""),
                        r.get("comparator", ""), r.get("threshold", ""), ind["national"]["comparator"],
                        ind["national"]["threshold"], r.get("actual", ""), r.get("status", ""),
                        r.get("attainment", ""), r.get("group", r["province"]), r.get("reason") or ""])
    return buf.getvalue()


# -- diff ------------------------------------------------------------------

def diff_text(doc: dict[str, Any]) -> str:
    """The differences between two runs, grouped by kind of change, in the reader's language
    (:func:`plancheck.language.current`): dates, periods, kinds and verdicts as the run's table writes them;
    ids as the plan writes them."""
    from plancheck import language
    from plancheck.publish.content import label_or
    from plancheck.publish.labels import Locale

    loc = Locale(language.current())
    b, a = doc["before"], doc["after"]
    after = _("run {id}").format(id=a["id"]) if a.get("id") else _("now")
    lines = [_("from run {id} (as of {date}) to {after} (as of {after_date})").format(
        id=b.get("id"), date=_day(b.get("as_of"), loc), after=after, after_date=_day(a.get("as_of"), loc))]
    if doc["plan_changed"]:
        lines.append(_("NOTE: the plan changed in between ({before} → {after})").format(
            before=b.get("plan_version"), after=a.get("plan_version")))
    heads = {"newly_not_met": _("newly not met"), "newly_late": _("newly late"), "resolved": _("resolved"),
             "changed": _("changed")}
    for key, head in heads.items():
        rows = doc[key]
        lines += ["", f"{head}: {len(rows)}"]
        if rows:
            lines.append(table([_("kind"), _("item"), _("agency"), _("unit"), _("period"), _("before"), _("after"),
                                _("clause")],
                               [(label_or(loc, f"kind.{r['kind']}", r["kind"]), r["item"], r["agency"], r["unit"],
                                 loc.period(r["period"]), _state_words(r["before"], r["kind"], loc),
                                 _state_words(r["after"], r["kind"], loc), r["source"]) for r in rows]))
    lines += ["", _("added: {added}, removed: {removed}").format(added=len(doc["added"]),
                                                                  removed=len(doc["removed"]))]
    return "\n".join(lines)


def _state_words(state: str, kind: str, loc: Locale) -> str:
    """A finding's state as :func:`plancheck.judge.runs.diff_runs` writes it (``not_met (late) [waived]``),
    in the reader's words, as the run's table says them (Không đạt (trễ hạn) [được miễn]); a state of
    another shape as it is."""
    import re

    from plancheck.publish.content import label_or

    m = re.fullmatch(r"(\w+)(?: \((\w+)\))?( \[waived\])?", state or "")
    if m is None:
        return state or ""
    status, why, waived = m.groups()
    text = label_or(loc, f"status.{status}", status)
    if why:
        # Translators: plancheck diff, why a verdict is not met (the run's table gives the days late too).
        words = {"late": pgettext("diff.reason", "late"),
                 "missing": (pgettext("diff.reason", "not sent") if kind == "obligation"
                             else pgettext("diff.reason", "not done"))}
        text += f" ({words.get(why) or label_or(loc, f'reason.{why}', why)})"
    return text + (f" [{loc.t('waived')}]" if waived else "")
