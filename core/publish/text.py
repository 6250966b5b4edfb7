"""Rendering for the terminal and for scripts: tables and JSON.

Nothing here decides anything; it lays out what the plan and the verdicts say.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the model is imported by the functions that need it: ``table`` must stay light
    from plancheck.judge.verdicts import Report
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
    writes as it goes (issue 20), never holding the whole text of a province's findings at once."""
    dump = _encoder()

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
                yield f"{inner}{dump(v)}{',' if i < last else ''}\n"
            yield f"{pad}]"
        else:
            yield dump(x)

    return lay(doc, "")


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
        return t["due"] or "(none given)"
    how = t["recurrence"] + (", continuous" if t.get("continuous") else "")
    return f"{how} from {t['due']}" if len(t.get("periods", ())) > 1 else f"{how}: {t['due']}"


def plan_text(plan: Plan) -> str:
    """The plan as a reader would skim it: header, then each kind of element."""
    js = plan_to_json(plan)
    lines = [
        f"{plan.title}",
        f"  {plan.title_en}",
        f"  plan id: {plan.id}    province: {plan.province_name} ({plan.province})",
        f"  document: {plan.document or '(no number in the source text)'}"
        f"    signed: {plan.signed.isoformat() if plan.signed else '(no date in the source text)'}",
        f"  issuer: {plan.issuer}    period: {js['period']['start']} .. {js['period']['end']}",
        f"  source: {plan.source_file}" + (" (a press summary, not the plan itself)"
                                           if plan.source_kind == "press_summary" else ""),
    ]
    if plan.incomplete:
        lines.append(f"  INCOMPLETE: {plan.incomplete}")
    if plan.adopts:
        a = plan.adopts
        lines.append(f"  builds on national programme {a.programme}"
                     + (f"; includes {', '.join(a.include)}" if a.include else "")
                     + (f"; skips {', '.join(a.skip)}" if a.skip else ""))
    counts = ", ".join(f"{len(getattr(plan, c))} {c}" for c in
                       ("agencies", "units", "measures", "projects", "rules", "targets", "tasks",
                        "obligations"))
    lines += [f"  {counts}", ""]
    if plan.agencies:
        lines += ["Agencies", table(["id", "name", "level", "source"],
                                    [(a.id, a.name, a.level, a.source) for a in plan.agencies]), ""]
    if plan.projects:
        lines += ["Projects", table(["id", "name", "lead", "coordinators", "source"],
                                    [(p.id, p.name, p.lead, ", ".join(p.coordinators), p.source)
                                     for p in plan.projects]), ""]
    if plan.targets:
        lines += ["Targets", table(
            ["id", "kind", "expected", "scope", "periods", "national", "source"],
            [(t["id"], t["kind"], _expected(t), _scope(t), ", ".join(p["period"] for p in t["periods"]),
              t.get("national") or "", t["source"]) for t in js["targets"]])]
        lines.append("")
    if plan.tasks:
        lines += ["Tasks", table(["id", "agencies", "due", "source", "name"],
                                 [(t["id"], ", ".join(t["agencies"]), _task_due_text(t),
                                   t["source"], t["name"]) for t in js["tasks"]]), ""]
    if js["obligations"]:
        lines += ["Reporting obligations", table(
            ["id", "period", "due", "from", "to", "source"],
            [(o["obligation"], o["period"], o["due"],
              (", ".join(o["agencies"]) + (f" (each {o['per_unit']})" if o["per_unit"] else "")),
              ", ".join(o["recipient"]), o["source"] + (" *" if o["assumed"] else ""))
             for o in js["obligations"]])]
        lines.append("  * date or sender assumed; see --format json for the rule used")
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


# -- findings -------------------------------------------------------------------

def report_text(report: Report, plans: Sequence[Plan]) -> str:
    """Findings as a table, with a summary and the notices a reader must see first."""
    lines = [f"plancheck: {report.province}, as of {report.as_of.isoformat()}"]
    lines += [f"NOTE: {n}" for n in report.notices]
    lines.append("")
    lines.append(table(
        ["status", "kind", "item", "agency", "unit", "period", "due", "expected", "actual",
         "reason", "clause", "rests on"],
        [(f.status, f.kind, f.item, f.agency, f.unit, f.period,
          f.due.isoformat() if f.due else "", f.expected, f.actual,
          (f"{f.reason} ({f.days_late}d)" if f.days_late else f.reason) or "", f.source, _marks(f))
         for f in report.findings], max_width=40))
    s = report.summary()
    lines += ["", "Summary: " + ", ".join(f"{s[k]} {k}" for k in ("met", "not_met", "pending", "no_data"))
              + f" ({s['total']} findings)"]
    lines += _mark_notes(report)
    return "\n".join(lines)


def _marks(f: Any) -> str:
    """What a verdict rests on besides the data, in short: the column "rests on"."""
    return ", ".join(k for k in ("reading", "proxy", "assumed", "doubt") if getattr(f, k, None))


def _mark_notes(report: Report) -> list[str]:
    """Each reading and proxy in full, once, with the items it qualifies (assumptions and doubts: explain)."""
    out: list[str] = []
    for key, head in (("reading", "Readings of unclear text"), ("proxy", "Proxies (not the plan's own indicators; "
                                                                    "never fail a run by default)")):
        texts: dict[str, list[str]] = {}
        for f in report.findings:
            text = getattr(f, key, None)
            if text and f.item not in texts.setdefault(text, []):
                texts[text].append(f.item)
        if texts:
            out += ["", f"{head}:"]
            out += [f"  [{', '.join(items)}] {text}" for text, items in texts.items()]
    if any(f.assumed or f.doubt for f in report.findings):
        out += ["", "Assumptions and doubts: plancheck explain ITEM, or --format json (assumed, doubt)."]
    return out


# -- the national comparison ----------------------------------------------------------

def _pct(x: float | None) -> str:
    return "" if x is None else f"{x * 100:.0f}%"


def comparison_text(doc: dict[str, Any]) -> str:
    """The comparison for a terminal: indicators, reporting discipline, coverage, ranking."""
    prog = doc["programme"]
    lines = [f"National comparison: {prog['name']} ({prog['document']}), as of {doc['as_of']}",
             f"Periods: {doc['periods']['rule']}"]
    lines += [f"NOTE: {n}" for n in doc.get("notices", [])]
    failed = [p for p in doc["provinces"] if p["status"] == "failed"]
    for p in failed:
        lines.append(f"FAILED: {p['province']}: {p['reason']}")
    grouped = any(p.get("group", p["province"]) != p["province"] for p in doc["provinces"])
    if grouped:  # before the reorganisation each province is its own group: nothing to show
        lines += _units_text(doc["units"])
    for ind in doc["indicators"]:
        nat = ind["national"]
        by = f" by {ind['by']}" if ind.get("by") else ""
        lines += ["", f"{ind['code']}: {ind['name_en']} (national {nat['comparator']} {nat['threshold']:g}{by})"]
        if ind.get("threshold_rule"):
            lines.append(f"Threshold: {ind['threshold_rule']}")
        head = ["group"] if grouped else []
        lines.append(table(
            [*head, "province", "adoption", "period", "target", "actual", "status", "attainment"],
            [((r.get("group", ""),) if grouped else ()) + (
              r["province"], r["adoption"], r.get("period", ""),
              (f"{r['comparator']} {r['threshold']:g}" if r.get("threshold") is not None else ""),
              r.get("actual"), _status(r),
              "" if r.get("attainment") is None else f"{r['attainment']:.2f}")
             for r in ind["provinces"]]))
    lines += ["", "Reporting discipline", table(
        ["province", "expected", "received", "on time", "late", "missing", "on-time rate", "mean days late"],
        [(r["province"], r["expected"], r["received"], r["on_time"], r["late"], r["missing"],
          _pct(r["on_time_rate"]), r["mean_days_late"]) for r in doc["reporting"]])]
    lines += ["", "Coverage (plan items due with data)", table(
        ["province", "items due", "with data", "share"],
        [(r["province"], r["items_due"], r["with_data"], _pct(r["share"])) for r in doc["coverage"]])]
    lines += ["", "Ranking", table(
        ["rank", "province", "met", "judged", "score", "coverage", "on-time rate"],
        [(r["rank"] or "-", r["province"], r["met"], r["judged"], _pct(r["score"]), _pct(r["coverage"]),
          _pct(r["on_time_rate"])) for r in doc["ranking"]["rows"]]),
        f"Rule: {doc['ranking']['rule']}"]
    return "\n".join(lines)


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


# -- explain and diff ------------------------------------------------------------------

_EXPLAIN = {
    "vi": {"item": "Mục", "clause": "Căn cứ", "expected": "Yêu cầu", "actual": "Thực tế",
           "status": "Kết quả", "computation": "Phép so sánh", "evidence": "Số liệu",
           "doubt": "Nghi vấn", "waiver": "Gia hạn/miễn", "assumed": "Giả định", "file": "tệp",
           "reading": "Cách hiểu văn bản", "proxy": "Chỉ số thay thế",
           "row": "dòng", "derived": "tính từ số liệu khác"},
    "en": {"item": "Item", "clause": "Clause", "expected": "Expected", "actual": "Actual",
           "status": "Verdict", "computation": "Comparison", "evidence": "Data", "doubt": "Doubt",
           "waiver": "Waiver", "assumed": "Assumed", "file": "file", "row": "row",
           "reading": "Reading", "proxy": "Proxy",
           "derived": "derived from other data"},
}


def explain_text(findings: Sequence[Any], plans: Sequence[Plan], lang: str) -> str:
    """Every verdict on one item with its evidence, in Vietnamese or English."""
    lab = _EXPLAIN[lang]
    names = {}
    for p in plans:
        for el in (*p.targets, *p.tasks, *p.obligations, *p.checks):
            names[el.id] = el.name if lang == "vi" else el.name_en
    out = []
    for f in findings:
        where = " ".join(x for x in (f.agency, f.unit, f.period) if x)
        status = f.status + (f" ({f.reason})" if f.reason else "")
        out += [f"{lab['item']}: {f.item} — {names.get(f.item, f.name)} [{where}]",
                f"  {lab['clause']}: {f.source}",
                f"  {lab['expected']}: {f.expected}" + (f" (due {f.due.isoformat()})" if f.due else ""),
                f"  {lab['actual']}: {'' if f.actual is None else f.actual}",
                f"  {lab['status']}: {status}" + (" [waived]" if f.waived else ""),
                f"  {lab['computation']}: {f.computation}"]
        if f.assumed:
            out.append(f"  {lab['assumed']}: {f.assumed}")
        if getattr(f, "reading", None):
            out.append(f"  {lab['reading']}: {f.reading}")
        if getattr(f, "proxy", None):
            out.append(f"  {lab['proxy']}: {f.proxy}")
        if f.doubt:
            out.append(f"  {lab['doubt']}: {f.doubt}")
        if f.waiver:
            w = f.waiver
            out.append(f"  {lab['waiver']}: {w['note']} — {w['justification']} ({w['approved_by']}, "
                       f"{w['document']}" + (f", expires {w['expires']}" if w.get("expires") else "") + ")")
        shown = f.evidence[:12]
        if shown:
            out.append(f"  {lab['evidence']}:")
            for e in shown:
                datum = e.date.isoformat() if e.date else (f"{e.value:g}" if e.value is not None else "")
                src = f"{lab['derived']}" if e.derived else f"{lab['file']} {e.source_file}, {lab['row']} {e.row}"
                out.append(f"    {e.item} {e.unit} {e.period} = {datum}  ({src})")
            if len(f.evidence) > len(shown):
                out.append(f"    … {len(f.evidence) - len(shown)} more (--format json lists all)")
        out.append("")
    return "\n".join(out).rstrip()


def diff_text(doc: dict[str, Any]) -> str:
    """The differences between two runs, grouped by kind of change."""
    b, a = doc["before"], doc["after"]
    lines = [f"from run {b.get('id')} (as of {b.get('as_of')}) to "
             f"{'run ' + str(a['id']) if a.get('id') else 'now'} (as of {a.get('as_of')})"]
    if doc["plan_changed"]:
        lines.append(f"NOTE: the plan changed in between ({b.get('plan_version')} → {a.get('plan_version')})")
    for key in ("newly_not_met", "newly_late", "resolved", "changed"):
        rows = doc[key]
        lines += ["", f"{key.replace('_', ' ')}: {len(rows)}"]
        if rows:
            lines.append(table(["kind", "item", "agency", "unit", "period", "before", "after", "clause"],
                               [(r["kind"], r["item"], r["agency"], r["unit"], r["period"], r["before"],
                                 r["after"], r["source"]) for r in rows]))
    lines += ["", f"added: {len(doc['added'])}, removed: {len(doc['removed'])}"]
    return "\n".join(lines)
