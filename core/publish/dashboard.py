"""The national comparison as one self-contained HTML page: the dashboard of ``plancheck compare``.

It renders the document :func:`plancheck.judge.compare.compare` returns (exactly what
``plancheck compare --format json`` prints). Top to bottom: the notices a
reader must see first (example data, incomplete plans, provinces that could
not be assessed), the programme and the rule that chose the periods; a heatmap
of provinces against the programme's indicators, each cell coloured by
attainment (the actual as a share of the province's own target) and carrying
its evidence; reporting timeliness and coverage per province; the ranking,
with its rule stated as :mod:`plancheck.judge.compare` states it.

The page stands on the same base as the HTML report (:mod:`plancheck.publish.page`):
styles and scripts inline, Chart.js vendored, nothing fetched, a
Content-Security-Policy that allows no network and no script but the page's
own (by hash), every piece of data HTML-escaped where it is written, and chart
data passed as JSON with ``<``, ``>`` and ``&`` escaped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from plancheck.publish import page
from plancheck.publish.labels import LABELS, Locale, labels
from plancheck.publish.page import e

#: What a heatmap cell can be, in the order the legend shows them. ``a3``..``a0`` and
#: ``unknown`` are "not met", from close to the target to far from it.
STATES = ("met", "a3", "a2", "a1", "a0", "unknown", "pending", "no_data", "no_period", "not_in_plan",
          "skipped", "failed")
#: Lower bounds of the "not met" attainment bands (attainment below 1).
BANDS = ((0.9, "a3"), (0.75, "a2"), (0.5, "a1"), (float("-inf"), "a0"))
COVERAGE_COLOURS = {"ranked": "#1565c0", "short": "#ef6c00"}
#: Coverage under which a province is not ranked (the rule in :data:`plancheck.judge.compare.RANKING_RULE`).
MIN_COVERAGE = 0.5


def render(doc: Mapping[str, Any], loc: Locale) -> str:
    """The page, as text."""
    names = {p["province"]: p.get("name") or p["province"] for p in doc.get("provinces", [])}
    # After the 2025 reorganisation a plan's province is part of a current one (compare's grouping):
    # every label says which, so a row reads "<plan's province> → <province it is part of now>".
    current = {g["province"]: g["name"] for g in doc.get("units", {}).get("groups", [])}
    for p in doc.get("provinces", []):
        if p.get("group", p["province"]) != p["province"] and p["group"] in current:
            names[p["province"]] += f" → {current[p['group']]}"
    data = _chart_data(doc, names, loc)
    title = loc.t("cmp.title", programme=_programme_name(doc, loc), date=_day(doc.get("as_of"), loc))
    return page.document(loc.lang, title, _CSS, [
        _notices(doc, names, loc),
        _header(doc, loc),
        _heatmap(doc, names, loc),
        _reporting(doc, names, data, loc),
        _ranking(doc, names, loc),
        f'<footer><p class="meta">{e(loc.t("cmp.generated"))}</p></footer>',
    ], "dashboard-data", data, [_CHARTS_JS, _DETAILS_JS])


# -- words ------------------------------------------------------------------------------

def _day(iso: object, loc: Locale) -> str:
    from datetime import date

    try:
        return loc.day(date.fromisoformat(str(iso)))
    except ValueError:
        return str(iso or "")


def _programme_name(doc: Mapping[str, Any], loc: Locale) -> str:
    prog = doc.get("programme") or {}
    return str((prog.get("name_en") if loc.lang == "en" else None) or prog.get("name") or prog.get("id") or "")


def _indicator_name(ind: Mapping[str, Any], loc: Locale) -> str:
    return str((ind.get("name_en") if loc.lang == "en" else None) or ind.get("name") or ind.get("code") or "")


def _translated_notice(notice: str, loc: Locale) -> str:
    """A notice core wrote, in the reader's language when it is one we know; otherwise as written."""
    if notice.startswith("EXAMPLE DATA"):
        return loc.t("cmp.notice_example")
    m = re.fullmatch(r"plan (\S+) is INCOMPLETE: (.*)", notice, re.S)
    if m:
        return loc.t("notice.incomplete", plan=m[1], why=m[2])
    m = re.fullmatch(r"plan (\S+) is encoded from a press summary, not the plan itself", notice)
    if m:
        return loc.t("notice.press_summary", plan=m[1])
    return notice


def _period_rule(rule: str, loc: Locale) -> str | None:
    """The rule :func:`plancheck.judge.compare.compare` wrote, in the reader's language, or None when unknown."""
    m = re.fullmatch(r"compared on the years every compared plan covers: (.+)", rule)
    if m:
        return loc.t("cmp.period_shared", years=m[1])
    m = re.fullmatch(r"period (\S+) requested(; it is NOT covered by every compared plan)?", rule)
    if m:
        return loc.t("cmp.period_requested", period=loc.period(m[1])) + (
            loc.t("cmp.period_not_covered") if m[2] else "")
    if rule == "no year is covered by every compared plan; each province is shown on its own years":
        return loc.t("cmp.period_none")
    return None


def _known_rule(rule: str, loc: Locale) -> str | None:
    """A rule :mod:`plancheck.judge.compare` states word for word (ranking, grouping, a roadmap threshold),
    in the reader's language, or None when it is not one of them."""
    from plancheck.judge.compare import GROUPING_RULE, RANKING_RULE, ROADMAP_RULE

    key = {RANKING_RULE: "cmp.ranking_rule", GROUPING_RULE: "cmp.grouping_rule",
           ROADMAP_RULE: "cmp.roadmap_rule"}.get(rule)
    return loc.t(key) if key else None


def rule_words(rule: str, loc: Locale) -> str:
    """Any rule the comparison states (its periods, ranking, grouping, a roadmap threshold) in the reader's
    words: the judge room writes them in English, this is where they are put into the reader's language.
    A rule this module does not know yet is shown as written."""
    translated = _period_rule(rule, loc)
    if translated is None:
        translated = _known_rule(rule, loc)
    return rule if translated is None else translated


def notice_words(notice: str, loc: Locale) -> str:
    """A notice of the comparison (example data, an incomplete plan) in the reader's words."""
    return _translated_notice(notice, loc)


def _stated(text: str, translated: str | None, loc: Locale) -> str:
    """A rule as the reader's language says it; the text core wrote (English) only when there is no
    translation of it (issue 17: no English lines on a Vietnamese page)."""
    if translated is None:
        return f'<span lang="en">{e(text)}</span>'
    return e(translated)


def unranked_note(row: Mapping[str, Any], loc: Locale) -> str:
    """Why a province is not ranked, in the reader's words (judge.compare.UNRANKED_WHY)."""
    why = row.get("why")
    key = f"cmp.unranked.{why}"
    if why and key in labels(loc.lang):
        return loc.t(key, coverage=_rate(row.get("coverage"), loc))
    return loc.t("cmp.unranked") if why in (None, "insufficient data") else str(why)


def _value(x: object, unit: object, loc: Locale) -> str:
    if x is None:
        return loc.t("actual.none")
    if isinstance(x, bool) or not isinstance(x, int | float):
        return str(x)
    return loc.percent(x) if unit == "percent" else loc.number(x)


def _threshold(comparator: object, threshold: object, unit: object, loc: Locale) -> str:
    if threshold is None:
        return loc.t("actual.none")
    return f"{loc.comparator(str(comparator or ''))} {_value(threshold, unit, loc)}".strip()


def _rate(x: object, loc: Locale, decimals: int = 1) -> str:
    if not isinstance(x, int | float) or isinstance(x, bool):
        return loc.t("actual.none")
    return loc.percent(x * 100, decimals)


# -- notices and header -----------------------------------------------------------------

def _notices(doc: Mapping[str, Any], names: Mapping[str, str], loc: Locale) -> str:
    items = [_translated_notice(str(n), loc) for n in doc.get("notices") or []]
    for p in doc.get("provinces", []):
        items += [loc.t("cmp.notice_province", province=names[p["province"]], notice=_translated_notice(str(n), loc))
                  for n in p.get("notices") or []]
    failed = [names[p["province"]] for p in doc.get("provinces", []) if p.get("status") == "failed"]
    if failed:
        items.append(loc.t("cmp.notice_failed", provinces=", ".join(failed)))
    if any(not ind.get("confirmed", True) for ind in doc.get("indicators", [])):
        items.append(loc.t("cmp.notice_unconfirmed"))
    return page.notices(items, loc)


def _header(doc: Mapping[str, Any], loc: Locale) -> str:
    prog = doc.get("programme") or {}
    name = _programme_name(doc, loc)
    original = (page.original(prog.get("name"))
                if loc.lang == "en" and prog.get("name") and prog.get("name") != name else "")
    periods = doc.get("periods") or {}
    rule = str(periods.get("rule") or "")
    return (f'<header><h1>{e(loc.t("cmp.heading"))}</h1>'
            f'<p class="programme"><strong>{e(loc.t("cmp.programme"))}:</strong> {e(name)}'
            f'{" — " + e(prog.get("document")) if prog.get("document") else ""}</p>{original}'
            f'<p class="meta">{e(loc.t("page.as_of", date=_day(doc.get("as_of"), loc)))}</p>'
            f'<p id="period-rule" class="rule"><strong>{e(loc.t("cmp.periods"))}:</strong> '
            f"{_stated(rule, _period_rule(rule, loc), loc)}</p></header>")


# -- the heatmap ------------------------------------------------------------------------

def attainment_state(attainment: float | None) -> str:
    """The band of a "not met" verdict: a3 (90–100% of the target) down to a0 (under 50%), or unknown."""
    if attainment is None:
        return "unknown"
    return next(state for low, state in BANDS if attainment >= low)


def cell_state(rows: Sequence[Mapping[str, Any]]) -> tuple[str, float | None]:
    """What one province's rows for one indicator make of its cell, and the attainment it shows.

    The adoption decides first (failed, skipped, not in plan); then the verdicts:
    every judged row met is ``met``; any not met is a "not met" band, by the
    lowest attainment among the rows not met (the weakest result shows). With no
    judged row, ``no_data`` outranks ``pending``, which outranks ``no_period``.
    """
    if not rows:
        return "no_data", None
    adoptions = {r.get("adoption") for r in rows}
    for adoption in ("failed", "skipped", "not_in_plan"):
        if adoption in adoptions:
            return adoption, None
    judged = [r for r in rows if r.get("status") in ("met", "not_met")]
    attainments = [a for r in judged if isinstance(a := r.get("attainment"), int | float)]
    shown = min(attainments) if attainments else None
    if judged and all(r["status"] == "met" for r in judged):
        return "met", shown
    if judged:
        failing = [r.get("attainment") for r in judged if r["status"] == "not_met"]
        if any(not isinstance(a, int | float) for a in failing):
            return "unknown", None
        worst = min(a for a in failing if isinstance(a, int | float))
        return attainment_state(worst), worst
    statuses = {r.get("status") for r in rows}
    if "no_data" in statuses:
        return "no_data", None
    if "pending" in statuses:
        return "pending", None
    return "no_period", None


def _heatmap(doc: Mapping[str, Any], names: Mapping[str, str], loc: Locale) -> str:
    indicators = list(doc.get("indicators", []))
    heads = "".join(_indicator_head(ind, loc) for ind in indicators)
    body = []
    for p in doc.get("provinces", []):
        pid = p["province"]
        th = f'<th scope="row" class="province">{e(names[pid])}</th>'
        if p.get("status") == "failed":
            reason = loc.t("cmp.failed_reason", reason=p.get("reason") or "")
            body.append(f'<tr class="failed" data-province="{e(pid)}">{th}'
                        f'<td class="cell failed" data-state="failed" data-province="{e(pid)}" '
                        f'colspan="{max(1, len(indicators))}" tabindex="0" title="{e(reason)}">'
                        f'<span class="big">{e(loc.t("cmp.failed"))}</span><span class="small">{e(reason)}</span>'
                        f'{_evidence_failed(names[pid], p.get("reason"), loc)}</td></tr>')
            continue
        cells = "".join(_cell(ind, pid, names[pid], loc) for ind in indicators)
        body.append(f'<tr data-province="{e(pid)}">{th}{cells}</tr>')
    legend = "".join(f'<li><span class="swatch cell {s}"></span>{e(loc.t(f"cmp.state.{s}"))}</li>' for s in STATES)
    table = page.table("heatmap", f'<th scope="col" class="province">{e(loc.t("cmp.col_province"))}</th>{heads}',
                       "".join(body))
    return (f'<section id="heatmap-section"><h2>{e(loc.t("cmp.heatmap"))}</h2>'
            f'<p class="help">{e(loc.t("cmp.heatmap_help"))}</p>{table}'
            f'<ul class="legend" aria-label="{e(loc.t("cmp.legend"))}">{legend}</ul>'
            f'<div id="cell-details" aria-live="polite"><h3>{e(loc.t("cmp.details"))}</h3>'
            f'<div id="cell-details-body"><p class="empty">{e(loc.t("cmp.details_hint"))}</p></div></div>'
            f"</section>")


def _indicator_head(ind: Mapping[str, Any], loc: Locale) -> str:
    nat = ind.get("national") or {}
    national = loc.t("cmp.national", cmp=loc.comparator(str(nat.get("comparator") or "")),
                     value=_value(nat.get("threshold"), ind.get("unit"), loc))
    star = "" if ind.get("confirmed", True) else (
        f'<abbr class="star" title="{e(loc.t("cmp.unconfirmed"))}">*</abbr>')
    lower = (f'<span class="dir">↓ {e(loc.t("cmp.lower_better"))}</span>'
             if ind.get("direction") == "lower" else "")
    original = f' title="{e(ind.get("name"))}"' if loc.lang == "en" and ind.get("name") else ""
    return (f'<th scope="col" class="indicator" data-indicator="{e(ind.get("code"))}"{original}>'
            f'<span class="name">{e(_indicator_name(ind, loc))}</span>'
            f'<span class="nat">{e(national)}{star}</span>{lower}</th>')


def _cell(ind: Mapping[str, Any], pid: str, province: str, loc: Locale) -> str:
    rows = [r for r in ind.get("provinces", []) if r.get("province") == pid]
    state, attainment = cell_state(rows)
    unit = ind.get("unit")
    judged = [r for r in rows if r.get("status") in ("met", "not_met")]
    size = "big"
    if state in ("met", "a3", "a2", "a1", "a0", "unknown"):
        big = _rate(attainment, loc, 0) if attainment is not None else loc.t(
            f"status.{'met' if state == 'met' else 'not_met'}")
        # The row the cell shows: the one with the attainment shown (not met: a not computable one first).
        shown_rows = judged if state == "met" else [r for r in judged if r["status"] == "not_met"]
        unknown = float("inf") if state == "met" else float("-inf")
        weakest = min(shown_rows, key=lambda r: r["attainment"] if isinstance(r.get("attainment"), int | float)
                      else unknown)
        small = (f"{_value(weakest.get('actual'), unit, loc)} / "
                 f"{_threshold(weakest.get('comparator'), weakest.get('threshold'), unit, loc)}")
    else:
        big, small = loc.t(f"cmp.state.{state}"), ""
        size = "label"
    if len(rows) > 1:
        small += f" · {loc.t('cmp.rows', n=len(rows))}"
    evidence = _evidence(ind, rows, province, loc)
    title = "\n\n".join(_evidence_lines(ind, r, province, loc) for r in rows) or loc.t(f"cmp.state.{state}")
    att = "" if attainment is None else f' data-attainment="{attainment}"'
    small_html = f'<span class="small">{e(small)}</span>' if small else ""
    return (f'<td class="cell {state}" data-state="{state}" data-province="{e(pid)}" '
            f'data-indicator="{e(ind.get("code"))}"{att} tabindex="0" title="{e(title)}">'
            f'<span class="{size}">{e(big)}</span>{small_html}{evidence}</td>')


def _evidence_pairs(ind: Mapping[str, Any], r: Mapping[str, Any], province: str,
                    loc: Locale) -> list[tuple[str, str]]:
    """One row of the comparison as (label, value) pairs: everything a reader needs to check the cell."""
    unit = ind.get("unit")
    nat = ind.get("national") or {}
    pairs = [(loc.t("cmp.ev.province"), province), (loc.t("cmp.ev.indicator"), _indicator_name(ind, loc)),
             (loc.t("cmp.ev.national"), _threshold(nat.get("comparator"), nat.get("threshold"), unit, loc))]
    adoption = r.get("adoption")
    pairs.append((loc.t("cmp.ev.adoption"), loc.t(f"cmp.adoption.{adoption}")
                  if f"cmp.adoption.{adoption}" in LABELS[loc.lang] else str(adoption)))
    if adoption == "failed":
        pairs.append((loc.t("cmp.ev.reason"), str(r.get("reason") or "")))
        return pairs
    if "target" in r:
        if "threshold" in r:
            pairs.append((loc.t("cmp.ev.target"), _threshold(r.get("comparator"), r.get("threshold"), unit, loc)))
        if "actual" in r:
            pairs.append((loc.t("cmp.ev.actual"), _value(r.get("actual"), unit, loc)))
        if r.get("attainment") is not None:
            pairs.append((loc.t("cmp.ev.attainment"), _rate(r["attainment"], loc, 1)))
        if r.get("period"):
            pairs.append((loc.t("cmp.ev.period"), loc.period(str(r["period"]))))
        if r.get("unit"):
            pairs.append((loc.t("cmp.ev.unit"), str(r["unit"])))
        status = str(r.get("status") or "")
        key = f"status.{status}" if status != "no_period_shared" else "cmp.status.no_period_shared"
        pairs.append((loc.t("cmp.ev.status"), loc.t(key) if key in LABELS[loc.lang] else status))
        pairs += [(loc.t("cmp.ev.item"), str(r.get("target") or "")),
                  (loc.t("cmp.ev.plan"), str(r.get("plan") or ""))]
        if "source" in r:
            pairs.append((loc.t("cmp.ev.source"), str(r.get("source") or "")))
    return pairs


def _evidence_lines(ind: Mapping[str, Any], r: Mapping[str, Any], province: str, loc: Locale) -> str:
    return "\n".join(f"{k}: {v}" for k, v in _evidence_pairs(ind, r, province, loc))


def _evidence(ind: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], province: str, loc: Locale) -> str:
    tables = "".join(
        '<table class="ev">' + "".join(f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>'
                                       for k, v in _evidence_pairs(ind, r, province, loc)) + "</table>"
        for r in rows)
    return f'<div class="evidence" hidden>{tables}</div>'


def _evidence_failed(province: str, reason: object, loc: Locale) -> str:
    pairs = [(loc.t("cmp.ev.province"), province), (loc.t("cmp.ev.status"), loc.t("cmp.state.failed")),
             (loc.t("cmp.ev.reason"), str(reason or ""))]
    rows = "".join(f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>' for k, v in pairs)
    return f'<div class="evidence" hidden><table class="ev">{rows}</table></div>'


# -- reporting and coverage -------------------------------------------------------------

def _chart_data(doc: Mapping[str, Any], names: Mapping[str, str], loc: Locale) -> dict[str, object]:
    reporting = list(doc.get("reporting", []))
    coverage = list(doc.get("coverage", []))
    return {
        "locale": page.CHART_LOCALES[loc.lang],
        "reporting": {
            "labels": [names.get(r["province"], r["province"]) for r in reporting],
            "datasets": [{"label": loc.t(f"timely.{k}"), "colour": page.TIMELY_COLOURS[k],
                          "data": [r.get(k) or 0 for r in reporting]} for k in ("on_time", "late", "missing")],
        },
        "coverage": {
            "label": loc.t("cmp.coverage_share"),
            "labels": [names.get(r["province"], r["province"]) for r in coverage],
            "data": [None if r.get("share") is None else round(r["share"] * 100, 1) for r in coverage],
            "colours": [COVERAGE_COLOURS["ranked" if (r.get("share") or 0) >= MIN_COVERAGE else "short"]
                        for r in coverage],
        },
    }


def _reporting(doc: Mapping[str, Any], names: Mapping[str, str], data: Mapping[str, Any], loc: Locale) -> str:
    reporting = {r["province"]: r for r in doc.get("reporting", [])}
    coverage = {r["province"]: r for r in doc.get("coverage", [])}
    n = len(data["reporting"]["labels"])
    if any(r.get("expected") for r in reporting.values()):
        chart = page.chart("chart-reporting", loc.t("cmp.chart_reporting"), 90 + 36 * n)
    else:
        chart = f'<p class="empty">{e(loc.t("cmp.no_reporting"))}</p>'
    cov = page.chart("chart-coverage", loc.t("cmp.chart_coverage"), 90 + 36 * len(coverage)) if coverage else ""
    cols = ["cmp.col_province", "cmp.col.expected", "cmp.col.received", "timely.on_time", "timely.late",
            "timely.missing", "cmp.col.on_time_rate", "cmp.col.mean_days_late", "cmp.col.items_due",
            "cmp.col.with_data", "cmp.col.coverage"]
    rows = []
    for p in doc.get("provinces", []):
        pid = p["province"]
        th = f'<th scope="row">{e(names[pid])}</th>'
        if p.get("status") == "failed":
            rows.append(f'<tr class="failed" data-province="{e(pid)}">{th}<td colspan="{len(cols) - 1}">'
                        f'{e(loc.t("cmp.failed_reason", reason=p.get("reason") or ""))}</td></tr>')
            continue
        r, c = reporting.get(pid, {}), coverage.get(pid, {})

        def num(x: object) -> str:
            return loc.t("actual.none") if x is None else _value(x, None, loc)

        rows.append(f'<tr data-province="{e(pid)}">{th}' + "".join(
            f'<td class="num">{e(v)}</td>' for v in (
                num(r.get("expected")), num(r.get("received")), num(r.get("on_time")), num(r.get("late")),
                num(r.get("missing")), _rate(r.get("on_time_rate"), loc), num(r.get("mean_days_late")),
                num(c.get("items_due")), num(c.get("with_data")), _rate(c.get("share"), loc))) + "</tr>")
    figures = (page.figure(loc.t("cmp.chart_reporting"), chart)
               + page.figure(loc.t("cmp.chart_coverage"), cov, note=loc.t("cmp.coverage_rule")))
    return (f'<section id="reporting"><h2>{e(loc.t("cmp.reporting"))}</h2><div class="chart-row">{figures}</div>'
            f'{page.table("reporting-table", page.column_heads(cols, loc), "".join(rows))}</section>')


# -- the ranking ------------------------------------------------------------------------

def _ranking(doc: Mapping[str, Any], names: Mapping[str, str], loc: Locale) -> str:
    ranking = doc.get("ranking") or {}
    rule = str(ranking.get("rule") or "")
    translated = _known_rule(rule, loc)
    cols = ["cmp.col.rank", "cmp.col_province", "cmp.col.met", "cmp.col.score", "cmp.col.coverage",
            "cmp.col.on_time_rate", "cmp.col.note"]
    rows = []
    for r in ranking.get("rows", []):
        pid = r["province"]
        note = "" if r.get("rank") is not None else unranked_note(r, loc)
        rank = loc.t("actual.none") if r.get("rank") is None else str(r["rank"])
        rows.append(f'<tr class="{"ranked" if r.get("rank") is not None else "unranked"}" data-province="{e(pid)}">'
                    f'<td class="num">{e(rank)}</td><th scope="row">{e(names.get(pid, pid))}</th>'
                    f'<td class="num">{e(r.get("met"))} / {e(r.get("judged"))}</td>'
                    f'<td class="num">{e(_rate(r.get("score"), loc))}</td>'
                    f'<td class="num">{e(_rate(r.get("coverage"), loc))}</td>'
                    f'<td class="num">{e(_rate(r.get("on_time_rate"), loc))}</td><td>{e(note)}</td></tr>')
    for p in doc.get("provinces", []):
        if p.get("status") == "failed":
            pid = p["province"]
            rows.append(f'<tr class="failed" data-province="{e(pid)}"><td class="num">{e(loc.t("actual.none"))}'
                        f'</td><th scope="row">{e(names[pid])}</th><td colspan="{len(cols) - 2}">'
                        f'<span class="badge failed">{e(loc.t("cmp.failed"))}</span> {e(p.get("reason") or "")}'
                        f"</td></tr>")
    return (f'<section id="ranking"><h2>{e(loc.t("cmp.ranking"))}</h2>'
            f'<p id="ranking-rule" class="rule"><strong>{e(loc.t("cmp.ranking_rule_label"))}:</strong> '
            f"{_stated(rule, translated, loc)}</p>"
            f'{page.table("ranking-table", page.column_heads(cols, loc), "".join(rows))}</section>')


_CSS = page.style("""
$base
h3{font-size:1rem;margin:.2em 0 .4em}
.meta,.help{color:#555;margin:.2em 0;font-size:.9rem}.original{color:#666;font-size:.85em;font-style:italic}
.programme,.rule{margin:.3em 0}.rule{background:#f5f5f5;border-left:4px solid #546e7a;padding:6px 10px}
$notices
$tables
thead th{background:#eceff1}td.num{text-align:right;white-space:nowrap}
#heatmap{table-layout:fixed}#heatmap th.province{width:150px}
#heatmap th.indicator{font-weight:600;font-size:.8rem;vertical-align:bottom}
#heatmap th.indicator span{display:block}#heatmap .nat{font-weight:400;color:#37474f;margin-top:4px}
#heatmap .dir{font-weight:400;color:#555;font-style:italic}.star{color:#b71c1c;text-decoration:none;cursor:help}
#heatmap td.cell{height:64px;text-align:center;vertical-align:middle;cursor:pointer;border:2px solid #fff}
#heatmap td.cell:focus,#heatmap td.cell.selected{outline:3px solid #0d47a1;outline-offset:-3px}
.cell .big{display:block;font-size:1.05rem;font-weight:700}.cell .label{display:block;font-size:.8rem}
.cell .small{display:block;font-size:.75rem}
.cell.failed .small{text-align:left;white-space:pre-wrap;word-break:break-word}
.cell.met{background:#2e7d32;color:#fff}
.cell.a3{background:#fbc02d;color:#212121}.cell.a2{background:#f57c00;color:#212121}
.cell.a1{background:#e64a19;color:#fff}.cell.a0{background:#b71c1c;color:#fff}
.cell.unknown{background:#c62828;color:#fff;background-image:repeating-linear-gradient(90deg,transparent 0 10px,
rgba(255,255,255,.18) 10px 12px)}
.cell.pending{background:#fff8e1;color:#5d4037;box-shadow:inset 0 0 0 2px #f9a825}
.cell.no_data{background:#9e9e9e;color:#fff}
.cell.no_period{background:#e0e0e0;color:#424242}
.cell.not_in_plan{background:repeating-linear-gradient(45deg,#fafafa 0 6px,#e6e6e6 6px 12px);color:#616161}
.cell.skipped{background:#e3f2fd;color:#0d47a1;box-shadow:inset 0 0 0 2px #1565c0}
.cell.failed{background:#263238;color:#fff}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:6px 16px;padding:0;margin:.6em 0;font-size:.82rem}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:22px;height:14px;border:1px solid #bdbdbd}
#cell-details{border:1px solid #b0bec5;border-radius:6px;padding:8px 12px;background:#fafafa;margin-top:8px}
.evidence table.ev,#cell-details table.ev{width:auto;margin:0 12px 8px 0;display:inline-table}
table.ev th{background:#eceff1;font-weight:600;white-space:nowrap}
.empty{color:#555;font-style:italic}
.chart-row{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px;margin-bottom:12px}
$figures
.chart{position:relative;width:100%}
tr.failed th,tr.failed td{background:#eceff1}tr.unranked td,tr.unranked th{color:#616161}
$badge
.badge.failed{background:#263238}
@media print{.notices{border-width:3px}#cell-details{display:none}}
""")

# Draws the two charts from #dashboard-data: reporting timeliness and coverage per province.
_CHARTS_JS = page.chart_script("dashboard-data", 1, """\
  var rep = document.getElementById("chart-reporting");
  if (rep) {
    new Chart(rep, {
      type: "bar",
      data: {labels: data.reporting.labels, datasets: data.reporting.datasets.map(function (d) {
        return {label: d.label, data: d.data, backgroundColor: d.colour};
      })},
      options: {indexAxis: "y", locale: data.locale, plugins: {legend: {position: "bottom"}},
        scales: {x: {stacked: true, beginAtZero: true, ticks: {precision: 0}},
                 y: {stacked: true, ticks: {autoSkip: false}}}}
    });
  }
  var cov = document.getElementById("chart-coverage");
  if (cov) {
    new Chart(cov, {
      type: "bar",
      data: {labels: data.coverage.labels, datasets: [
        {label: data.coverage.label, data: data.coverage.data, backgroundColor: data.coverage.colours}]},
      options: {indexAxis: "y", locale: data.locale, plugins: {legend: {display: false},
        tooltip: {callbacks: {label: function (c) { return c.dataset.label + ": " + fmt.format(c.parsed.x) + "%"; }}}},
        scales: {x: {min: 0, max: 100, ticks: {callback: function (v) { return fmt.format(v) + "%"; }}},
                 y: {ticks: {autoSkip: false}}}}
    });
  }
""")

# Clicking a heatmap cell (or Enter/Space on it) copies its evidence into the details panel.
# The evidence is already in the page as escaped HTML; it is cloned, never parsed from text.
_DETAILS_JS = page.script("""\
  var body = document.getElementById("cell-details-body");
  var cells = Array.prototype.slice.call(document.querySelectorAll("#heatmap td.cell"));
  function show(cell) {
    var evidence = cell.querySelector(".evidence");
    if (!evidence) { return; }
    var copy = evidence.cloneNode(true);
    copy.hidden = false;
    body.replaceChildren(copy);
    cells.forEach(function (c) { c.classList.toggle("selected", c === cell); });
  }
  cells.forEach(function (c) {
    c.addEventListener("click", function () { show(c); });
    c.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); show(c); }
    });
  });
""")
