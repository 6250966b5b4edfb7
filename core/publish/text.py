"""Rendering for the terminal and for scripts: tables and JSON.

Nothing here decides anything; it lays out what the plan and the verdicts say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from plancheck.language import _, pgettext

if TYPE_CHECKING:  # the model is imported by the functions that need it: ``table`` must stay light
    from plancheck.judge.findings import Finding, Report
    from plancheck.plans.model import Plan


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


def _task_due_text(t: dict[str, Any]) -> str:
    """A task's due date, or for a recurring task how often and its first due date."""
    if t.get("recurrence", "once") == "once":
        return t["due"] or _("(none given)")
    how = t["recurrence"] + (_(", continuous") if t.get("continuous") else "")
    if len(t.get("periods", ())) > 1:
        return _("{how} from {due}").format(how=how, due=t["due"])
    return f"{how}: {t['due']}"


def plan_text(plan: Plan) -> str:
    """The plan as a reader would skim it: header, then each kind of element (headings in the reader's
    language; the plan's own words as it writes them)."""
    js = plan_to_json(plan)
    source = _("source: {file}").format(file=plan.source_file)
    if plan.source_kind == "press_summary":
        source += " " + _("(a press summary, not the plan itself)")
    lines = [
        f"{plan.title}",
        f"  {plan.title_en}",
        "  " + _("plan id: {id}    province: {name} ({province})").format(
            id=plan.id, name=plan.province_name, province=plan.province),
        "  " + _("document: {document}    signed: {signed}").format(
            document=plan.document or _("(no number in the source text)"),
            signed=plan.signed.isoformat() if plan.signed else _("(no date in the source text)")),
        "  " + _("issuer: {issuer}    period: {start} .. {end}").format(
            issuer=plan.issuer, start=js["period"]["start"], end=js["period"]["end"]),
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
                                       [(a.id, a.name, a.level, a.source) for a in plan.agencies]), ""]
    if plan.projects:
        lines += [_("Projects"), table([_("id"), _("name"), _("lead"), _("coordinators"), _("source")],
                                       [(p.id, p.name, p.lead, ", ".join(p.coordinators), p.source)
                                        for p in plan.projects]), ""]
    if plan.targets:
        lines += [_("Targets"), table(
            [_("id"), _("kind"), _("expected"), _("scope"), _("periods"), _("national"), _("source")],
            [(t["id"], t["kind"], _expected(t), _scope(t), ", ".join(p["period"] for p in t["periods"]),
              t.get("national") or "", t["source"]) for t in js["targets"]])]
        lines.append("")
    if plan.tasks:
        lines += [_("Tasks"), table([_("id"), _("agencies"), _("due"), _("source"), _("name")],
                                    [(t["id"], ", ".join(t["agencies"]), _task_due_text(t),
                                      t["source"], t["name"]) for t in js["tasks"]]), ""]
    if js["obligations"]:
        lines += [_("Reporting obligations"), table(
            [_("id"), _("period"), _("due"), _("from"), _("to"), _("source")],
            [(o["obligation"], o["period"], o["due"],
              (", ".join(o["agencies"]) + (" " + _("(each {unit})").format(unit=o["per_unit"])
                                           if o["per_unit"] else "")),
              ", ".join(o["recipient"]), o["source"] + (" *" if o["assumed"] else ""))
             for o in js["obligations"]])]
        lines.append("  " + _("* date or sender assumed; see --format json for the rule used"))
    return "\n".join(lines)


def _expected(t: dict[str, Any]) -> str:
    if t["kind"] == "in_class":
        return f"is {t['rule']}"
    thr = t["threshold"]
    thr_s = f"{thr:g}" if isinstance(thr, float) else str(thr)
    what = {"ratio": f"{t['numerator']}/{t['denominator']} %", "class_count": f"#{t['rule']}",
            "growth": f"growth % of {t['measure']}", "change": f"change of {t['measure']}"}.get(
        t["kind"], t["measure"])
    of = f" of {t['of']}" if t.get("of") else ""
    return f"{what} {t['comparator']} {thr_s}{of}"


def _scope(t: dict[str, Any]) -> str:
    if t["scope"] == "units":
        return f"{len(t['units'])} units"
    if t.get("within"):
        return f"units in {t['within']}"
    return t["scope"]


# -- the national comparison ----------------------------------------------------------

def _pct(x: float | None) -> str:
    return "" if x is None else f"{x * 100:.0f}%"


def comparison_text(doc: dict[str, Any]) -> str:
    """The comparison for a terminal: indicators, reporting discipline, coverage, ranking."""
    prog = doc["programme"]
    lines = [_("National comparison: {programme} ({document}), as of {date}").format(
                 programme=prog["name"], document=prog["document"], date=doc["as_of"]),
             _("Periods: {rule}").format(rule=doc["periods"]["rule"])]
    lines += [_("NOTE: {notice}").format(notice=n) for n in doc.get("notices", [])]
    failed = [p for p in doc["provinces"] if p["status"] == "failed"]
    for p in failed:
        lines.append(_("FAILED: {province}: {reason}").format(province=p["province"], reason=p["reason"]))
    grouped = any(p.get("group", p["province"]) != p["province"] for p in doc["provinces"])
    if grouped:  # before the reorganisation each province is its own group: nothing to show
        lines += _units_text(doc["units"])
    for ind in doc["indicators"]:
        nat = ind["national"]
        by = f" by {ind['by']}" if ind.get("by") else ""
        lines += ["", f"{ind['code']}: {ind['name_en']} (national {nat['comparator']} {nat['threshold']:g}{by})"]
        if ind.get("threshold_rule"):
            lines.append(f"Threshold: {ind['threshold_rule']}")
        head = [_("group")] if grouped else []
        lines.append(table(
            [*head, pgettext("heading", "province"), _("adoption"), _("period"), _("target"), _("actual"), _("status"),
             _("attainment")],
            [((r.get("group", ""),) if grouped else ()) + (
              r["province"], r["adoption"], r.get("period", ""),
              (f"{r['comparator']} {r['threshold']:g}" if r.get("threshold") is not None else ""),
              r.get("actual"), _status(r),
              "" if r.get("attainment") is None else f"{r['attainment']:.2f}")
             for r in ind["provinces"]]))
    lines += ["", _("Reporting discipline"), table(
        [pgettext("heading", "province"), _("expected"), _("received"), _("on time"), _("late"), _("missing"),
         _("on-time rate"), _("mean days late")],
        [(r["province"], r["expected"], r["received"], r["on_time"], r["late"], r["missing"],
          _pct(r["on_time_rate"]), r["mean_days_late"]) for r in doc["reporting"]])]
    lines += ["", _("Coverage (plan items due with data)"), table(
        [pgettext("heading", "province"), _("items due"), _("with data"), _("share")],
        [(r["province"], r["items_due"], r["with_data"], _pct(r["share"])) for r in doc["coverage"]])]
    lines += ["", _("Ranking"), table(
        [_("rank"), pgettext("heading", "province"), _("met"), _("judged"), _("score"), _("coverage"),
         _("on-time rate"), _("why unranked")],
        [(r["rank"] or "-", r["province"], r["met"], r["judged"], _pct(r["score"]), _pct(r["coverage"]),
          _pct(r["on_time_rate"]), _unranked(r)) for r in doc["ranking"]["rows"]], max_width=90),
        _("Rule: {rule}").format(rule=doc["ranking"]["rule"])]
    return "\n".join(lines)


def _unranked(row: dict[str, Any]) -> str:
    """Why a province is not ranked (judge.compare.UNRANKED_WHY), in the reader's words."""
    if row.get("rank"):
        return ""
    words = {"no_national_indicator": _("its plan adopts none of the programme's indicators"),
             "nothing_judged": _("none of its national indicators can be judged yet"),
             "low_coverage": _("data for under half of its plan items due")}
    return words.get(str(row.get("why")), str(row.get("why") or ""))


def _status(row: dict[str, Any]) -> str:
    status = row.get("status") or row.get("reason") or ""
    return f"{status} ({row['reason']})" if row.get("reason") == "unit_reorganised" else status


def _units_text(units: dict[str, Any]) -> list[str]:
    """The provinces as they exist on the units date, each with the plans of those it was formed from."""
    groups = units["groups"]
    with_plans = [g for g in groups if any(m["plans"] or m["status"] == "failed" for m in g["predecessors"])]
    lines = ["", f"Provinces as of {units['as_of']}: {len(groups)}, {len(with_plans)} with plans installed"]
    for g in with_plans:
        since = f" (from {g['valid_from']})" if g.get("valid_from") else ""
        lines.append(f"  {g['province']}: {g['name']}{since}")
        for m in g["predecessors"]:
            until = f" (until {m['valid_to']})" if m.get("valid_to") else ""
            what = ("plans " + ", ".join(m["plans"]) if m["plans"] else
                    "its plugin FAILED" if m["status"] == "failed" else "no plan installed")
            lines.append(f"    {m['province']}{until}: {what}")
    rest = [g["province"] for g in groups if g not in with_plans]
    if rest:
        lines.append(f"  No plan installed for {len(rest)}: {', '.join(rest)}")
    lines.append(f"Rule: {units['rule']}")
    return lines


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
    """The differences between two runs, grouped by kind of change."""
    b, a = doc["before"], doc["after"]
    after = _("run {id}").format(id=a["id"]) if a.get("id") else _("now")
    lines = [_("from run {id} (as of {date}) to {after} (as of {after_date})").format(
        id=b.get("id"), date=b.get("as_of"), after=after, after_date=a.get("as_of"))]
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
                               [(r["kind"], r["item"], r["agency"], r["unit"], r["period"], r["before"],
                                 r["after"], r["source"]) for r in rows]))
    lines += ["", _("added: {added}, removed: {removed}").format(added=len(doc["added"]),
                                                                  removed=len(doc["removed"]))]
    return "\n".join(lines)
