"""The findings as one self-contained HTML page: works offline, opens from a file or an e-mail.

Layout, top to bottom: the notices a reader must see first (example data, an
incomplete plan, a press summary), the summary counts, each agency's reporting
completeness (a scorecard as DHIS2's reporting-rate summary shows it: reports
due, received, on time, late, missing, not yet due, and the rates), the charts
(status by kind of item, reporting timeliness by agency, targets against
actuals, each target over its periods where there are two or more), then the
findings table: filters by status, agency and kind, a search that ignores
Vietnamese marks (``nhan la`` finds "Nhân La"), sorting by any column, and
grouping by agency.

It reads on a phone: nothing is wider than the screen (the charts' grids
shrink to one column, and under 700 px each finding is a card of labelled
lines instead of a table row).

The page is built on :mod:`plancheck.publish.page`, which owns what makes it
safe and self-contained: every piece of data HTML-escaped where it is written,
chart data as JSON that cannot close its ``<script>`` element, Chart.js (MIT)
vendored and inlined, and a Content-Security-Policy that allows only this
page's own three scripts (by hash) and no network at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from plancheck.judge.verdicts import STATUSES, Report
from plancheck.plans.model import Plan
from plancheck.publish import content, page
from plancheck.publish.labels import Locale
from plancheck.publish.page import e

#: Colours per status (colour-blind safe pairs: green/red differ in lightness too).
STATUS_COLOURS = {"met": "#2e7d32", "not_met": "#c62828", "pending": "#f9a825", "no_data": "#757575"}


def render(report: Report, plans: Sequence[Plan], loc: Locale) -> str:
    rows = content.rows(report, plans, loc)
    province = content.province_name(report, plans, loc)
    charts = _chart_data(report, plans, loc)
    title = loc.t("page.title", province=province, date=loc.day(report.as_of))
    return page.document(loc.lang, title, _CSS, [
        page.notices(content.notices(report, plans, loc), loc),
        _header(report, plans, loc, province),
        _summary(report, loc),
        _scorecard(content.scorecard(report, plans, loc), report, loc),
        _charts(charts, loc),
        _findings(rows, loc),
    ], "chart-data", charts, [_CHARTS_JS, _TABLE_JS])


def _header(report: Report, plans: Sequence[Plan], loc: Locale, province: str) -> str:
    titles = "".join(f"<h1>{e(t)}</h1>" for t in content.plan_titles(plans, loc)) or f"<h1>{e(province)}</h1>"
    originals = ""
    if loc.lang == "en":
        originals = "".join(page.original(p.title) for p in plans)
    meta = (f'<p class="meta">{e(loc.t("page.province"))}: {e(province)} · '
            f'{e(loc.t("page.as_of", date=loc.day(report.as_of)))}</p>'
            f'<p class="meta">{e(loc.t("page.generated"))}</p>')
    return f"<header>{titles}{originals}{meta}</header>"


def _summary(report: Report, loc: Locale) -> str:
    s = report.summary()
    cards = "".join(
        f'<div class="card {e(k)}" data-status="{e(k)}"><span class="n">{s.get(k, 0)}</span>'
        f'<span class="l">{e(loc.t(f"status.{k}"))}</span></div>' for k in STATUSES)
    total = (f'<div class="card total"><span class="n">{s.get("total", 0)}</span>'
             f'<span class="l">{e(loc.t("page.total"))}</span></div>')
    return (f'<section id="summary"><h2>{e(loc.t("page.summary"))}</h2>'
            f'<div class="cards">{cards}{total}</div></section>')


def _scorecard(cards: Sequence[content.AgencyCard], report: Report, loc: Locale) -> str:
    """Each agency that owes reports: DHIS2's reporting-rate columns, the late and missing ones named."""
    cards = [c for c in cards if c.expected or c.pending]
    head = (f'<h2>{e(loc.t("page.scorecard"))}</h2>'
            f'<p class="help">{e(loc.t("page.scorecard_help", date=loc.day(report.as_of)))}</p>')
    if not cards:
        return f'<section id="scorecard">{head}<p class="empty">{e(loc.t("card.none"))}</p></section>'
    cols = ["col.agency", "card.expected", "card.received", "card.on_time", "card.late", "card.missing",
            "card.pending", "card.received_rate", "card.on_time_rate"]
    labels = [loc.t(k) for k in cols]

    def rate(x: float | None, label: str) -> str:
        if x is None:
            return f'<td class="num" data-label="{e(label)}" data-sort="-1">—</td>'
        level = "good" if x >= 90 else "fair" if x >= 70 else "poor"
        return (f'<td class="num rate {level}" data-label="{e(label)}" data-sort="{x}">'
                f'<span class="bar" style="width:{min(100.0, x):.0f}%"></span>'
                f'<span class="v">{e(loc.percent(x, 1))}</span></td>')

    def count(n: int, label: str, cls: str = "") -> str:
        return f'<td class="num {cls}" data-label="{e(label)}" data-sort="{n}">{n}</td>'

    body = []
    for c in cards:
        details = ""
        if c.late_reports or c.missing_reports:
            entries = [loc.t("card.late_entry", who=x.who, name=x.name, period=x.period, days=x.days)
                       for x in c.late_reports]
            entries += [loc.t("card.missing_entry", who=x.who, name=x.name, period=x.period, days=x.days)
                        for x in c.missing_reports]
            items = "".join(f"<li>{e(t)}</li>" for t in entries)
            details = (f'<details><summary>{e(loc.t("card.details", late=c.late, missing=c.missing))}</summary>'
                       f"<ul>{items}</ul></details>")
        body.append(
            f'<tr data-agency="{e(c.agency)}"><td data-label="{e(labels[0])}" data-sort="{e(c.name)}">'
            f"{e(c.name or '—')}{details}</td>"
            f"{count(c.expected, labels[1])}{count(c.received, labels[2])}{count(c.on_time, labels[3])}"
            f'{count(c.late, labels[4], "late" if c.late else "")}'
            f'{count(c.missing, labels[5], "missing" if c.missing else "")}{count(c.pending, labels[6])}'
            f"{rate(c.received_rate, labels[7])}{rate(c.on_time_rate, labels[8])}</tr>")
    expected = sum(c.expected for c in cards)
    received = sum(c.received for c in cards)
    on_time = sum(c.on_time for c in cards)
    total = (f'<tr><th scope="row">{e(loc.t("card.total"))}</th>'
             f"{count(expected, labels[1])}{count(received, labels[2])}{count(on_time, labels[3])}"
             f"{count(sum(c.late for c in cards), labels[4])}{count(sum(c.missing for c in cards), labels[5])}"
             f"{count(sum(c.pending for c in cards), labels[6])}"
             f"{rate(round(received / expected * 100, 1) if expected else None, labels[7])}"
             f"{rate(round(on_time / expected * 100, 1) if expected else None, labels[8])}</tr>")
    heads = "".join(f'<th scope="col">{e(t)}</th>' for t in labels)
    table = (f'<div class="table-wrap"><table id="scorecard-table" class="sortable cards-on-phone">'
             f'<thead><tr>{heads}</tr></thead><tbody>{"".join(body)}</tbody><tfoot>{total}</tfoot></table></div>')
    return f'<section id="scorecard">{head}{table}</section>'


def _chart_data(report: Report, plans: Sequence[Plan], loc: Locale) -> dict[str, object]:
    names = content.Names.of(plans)
    by_kind = content.status_by_kind(report)
    timely = content.timeliness_by_agency(report)
    series = content.target_series(report, plans, loc)
    history = content.history_series(report, plans, loc)
    return {
        "locale": page.CHART_LOCALES[loc.lang],
        "kind": {
            "title": loc.t("page.chart_kind"),
            "labels": [content.label_or(loc, f"kinds.{k}", k) for k in by_kind],
            "datasets": [{"label": loc.t(f"status.{s}"), "colour": STATUS_COLOURS[s],
                          "data": [by_kind[k][s] for k in by_kind]} for s in STATUSES],
        },
        "timely": {
            "title": loc.t("page.chart_timely"),
            "labels": [_lines(names.agency(plan, agency, loc) or "—") for plan, agency in timely],
            "datasets": [{"label": loc.t(f"timely.{s}"), "colour": page.TIMELY_COLOURS[s],
                          "data": [c[s] for c in timely.values()]} for s in content.TIMELINESS],
        },
        "targets": [{
            "title": s.title, "expected": s.expected, "percent": s.percent,
            "labels": list(s.units), "actual": list(s.actuals), "threshold": s.threshold,
            "colours": [STATUS_COLOURS.get(st, "#757575") for st in s.statuses],
            "actualLabel": loc.t("page.chart_actual"), "targetLabel": loc.t("page.chart_target"),
            "legend": [{"label": f'{loc.t("page.chart_actual")}: {loc.t(f"status.{st}")}',
                        "colour": STATUS_COLOURS[st]} for st in STATUSES if st in s.statuses],
        } for s in series],
        "history": [{
            "title": h.title, "expected": h.expected, "percent": h.percent, "labels": list(h.periods),
            "threshold": list(h.thresholds), "targetLabel": loc.t("page.chart_target"),
            "lines": [{"label": unit, "data": list(values), "colour": LINE_COLOURS[i % len(LINE_COLOURS)],
                       "points": [STATUS_COLOURS.get(st, "#757575") for st in statuses]}
                      for i, ((unit, values), statuses) in enumerate(zip(h.lines, h.statuses, strict=True))],
        } for h in history],
    }


#: Line colours of a target's units over time (Okabe-Ito, told apart by colour-blind readers).
LINE_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")


def _lines(label: str, width: int = 34) -> list[str]:
    """A long axis label as lines (Chart.js draws a list as several lines instead of cutting it)."""
    import textwrap

    return textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False) or [label]


def _charts(data: dict[str, object], loc: Locale) -> str:
    timely = data["timely"]
    targets = data["targets"]
    history = data["history"]
    assert isinstance(timely, dict) and isinstance(targets, list) and isinstance(history, list)
    n_agencies = len(timely["labels"])
    timely_html = (page.chart("chart-timely", loc.t("page.chart_timely"), 90 + 34 * n_agencies)
                   if n_agencies else f'<p class="empty">{e(loc.t("page.no_obligations"))}</p>')
    target_html = "".join(
        page.figure(t["title"], page.chart(f"chart-target-{i}", t["title"], 300 if len(t["labels"]) > 6 else 220),
                    note=t["expected"], class_="target-chart")
        for i, t in enumerate(targets)) or f'<p class="empty">{e(loc.t("page.no_charts"))}</p>'
    history_html = "".join(
        page.figure(h["title"], page.chart(f"chart-history-{i}", h["title"], 240), note=h["expected"],
                    class_="history-chart")
        for i, h in enumerate(history)) or f'<p class="empty">{e(loc.t("page.no_history"))}</p>'
    kind_fig = page.figure(loc.t("page.chart_kind"), page.chart("chart-kind", loc.t("page.chart_kind"), 260))
    timely_fig = page.figure(loc.t("page.chart_timely"), timely_html)
    return (f'<section id="charts"><h2>{e(loc.t("page.charts"))}</h2>'
            f'<div class="chart-row">{kind_fig}{timely_fig}</div>'
            f'<h3 id="history">{e(loc.t("page.chart_history"))}</h3><div class="target-grid">{history_html}</div>'
            f'<h3>{e(loc.t("page.chart_targets"))}</h3><div class="target-grid">{target_html}</div></section>')


#: The findings table's columns: label key, and the cell's class.
_COLUMNS = (("col.status", ""), ("col.kind", ""), ("col.name", "name"), ("col.agency", ""), ("col.unit", ""),
            ("col.period", ""), ("col.due", "date"), ("col.expected", ""), ("col.actual", "num"),
            ("col.reason", ""), ("col.source", "clause"))


def _findings(rows: Sequence[content.Row], loc: Locale) -> str:
    agencies: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for r in rows:
        agencies.setdefault(r.finding.agency, r.agency or "—")
        kinds.setdefault(r.finding.kind, r.kind)
    all_ = f'<option value="">{e(loc.t("page.filter_all"))}</option>'

    def select(id_: str, label: str, options: dict[str, str]) -> str:
        opts = "".join(f'<option value="{e(v)}">{e(t)}</option>' for v, t in options.items())
        return f'<label>{e(label)} <select id="{id_}">{all_}{opts}</select></label>'

    statuses = {s: loc.t(f"status.{s}") for s in content.STATUS_ORDER}
    by_name = dict(sorted(agencies.items(), key=lambda kv: kv[1]))
    groups = {s: loc.t(f"status.{s}") for s in content.STATUS_ORDER}
    # On a phone the table's headings are hidden (each row is a card): the sort is chosen here.
    sort_options = "".join(f'<option value="{i}">{e(loc.t(k))}</option>' for i, (k, _) in enumerate(_COLUMNS))
    filters = (f'<div class="filters" id="filters">'
               f'<label class="search">{e(loc.t("page.search"))} <input type="search" id="filter-text" '
               f'placeholder="{e(loc.t("page.search_placeholder"))}" autocomplete="off"></label>'
               f'{select("filter-status", loc.t("page.filter_status"), statuses)}'
               f'{select("filter-agency", loc.t("page.filter_agency"), by_name)}'
               f'{select("filter-kind", loc.t("page.filter_kind"), kinds)}'
               f'<label class="phone-only">{e(loc.t("page.sort_by"))} <select id="sort-by">'
               f'<option value="">—</option>{sort_options}</select></label>'
               f'<label><input type="checkbox" id="group-agency"> {e(loc.t("page.group_by_agency"))}</label>'
               f'<span id="filter-count" aria-live="polite" data-template="{e(loc.t("page.showing"))}">'
               f'{e(loc.t("page.showing", shown=len(rows), total=len(rows)))}</span></div>'
               f'<p class="help">{e(loc.t("page.sort_hint"))}</p>')
    template = loc.t("page.group_rows", n="{n}", **{s: "{" + s + "}" for s in content.STATUS_ORDER})
    head = page.column_heads([k for k, _ in _COLUMNS], loc)
    body = "".join(_row(r, loc) for r in rows)
    table = page.table("findings", head, body, {"class": "sortable cards-on-phone", "data-group": template,
                                                "data-statuses": page.json_for_script(groups)})
    return f'<section id="findings-section"><h2>{e(loc.t("page.findings"))}</h2>{filters}{table}</section>'


#: Sort order of statuses: what needs action first.
_STATUS_RANK = {s: i for i, s in enumerate(content.STATUS_ORDER)}


def _row(r: content.Row, loc: Locale) -> str:
    f = r.finding
    name = e(r.name)
    if r.name_original:
        name += page.original(r.name_original, "div")
    source = e(r.source)
    # Readings, proxies, assumptions and doubts beside the clause they qualify, the text on hover.
    for key, label, text in r.marks(loc):
        source += f' <span class="{key}" title="{e(text)}">({e(label)})</span>'
    actual = r.actual
    sort_actual = (actual.isoformat() if hasattr(actual, "isoformat") else
                   f"{actual:.6f}" if isinstance(actual, int | float) else "")
    cells = [
        (f'<span class="badge {e(f.status)}">{e(r.status)}</span>', _STATUS_RANK.get(f.status, 9)),
        (e(r.kind), None), (name, None), (e(r.agency), None), (e(r.unit), None),
        (e(r.period), f.period), (e(r.due_text), f.due.isoformat() if f.due else ""), (e(r.expected), None),
        (e(r.actual_text), sort_actual), (e(r.reason), f.days_late if f.days_late is not None else None),
        (source, None)]
    tds = []
    for (html, sort), (key, cls) in zip(cells, _COLUMNS, strict=True):
        attributes = (f' class="{cls}"' if cls else "") + f' data-label="{e(loc.t(key))}"'
        if sort is not None:
            attributes += f' data-sort="{e(sort)}"'
        tds.append(f"<td{attributes}>{html}</td>")
    return (f'<tr data-status="{e(f.status)}" data-agency="{e(f.agency)}" data-kind="{e(f.kind)}" '
            f'data-item="{e(f.item)}" data-agency-name="{e(r.agency or "—")}">{"".join(tds)}</tr>')


_CSS = page.style("""
$base
h3{font-size:1rem;margin:1em 0 .4em}h1{overflow-wrap:anywhere}
[hidden]{display:none!important}
.meta{color:#555;margin:.2em 0;font-size:.9rem}.original{color:#666;font-size:.85em;font-style:italic}
.help{color:#555;font-size:.88rem;margin:.2em 0 .6em}
$notices
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{flex:1 1 130px;border-radius:6px;padding:10px 14px;color:#fff;display:flex;flex-direction:column}
.card .n{font-size:2rem;font-weight:700}.card .l{font-size:.95rem}
.card.met{background:#2e7d32}.card.not_met{background:#c62828}.card.pending{background:#f9a825;color:#212121}
.card.no_data{background:#757575}.card.total{background:#eceff1;color:#212121}
.chart-row{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:16px}
.target-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,520px),1fr));gap:16px}
$figures
.chart{position:relative;width:100%}.empty{color:#555;font-style:italic}
.filters{display:flex;flex-wrap:wrap;gap:10px 14px;align-items:center;margin:.4em 0 .2em}
.filters select,.filters input[type=search]{font:inherit;padding:3px 6px;max-width:100%}
.filters label{max-width:100%}.filters select{max-width:min(320px,100%)}
.filters input[type=search]{width:22em}#filter-count{color:#555}
$tables
thead th{background:#eceff1;position:sticky;top:0}
table.sortable thead th{cursor:pointer;user-select:none;white-space:nowrap}
table.sortable thead th::after{content:" \\2195";color:#9e9e9e;font-weight:400}
table.sortable thead th[aria-sort=ascending]::after{content:" \\2191";color:#212121}
table.sortable thead th[aria-sort=descending]::after{content:" \\2193";color:#212121}
td.date{white-space:nowrap}td.name{min-width:240px}td.clause{white-space:nowrap}td.num{text-align:right}
tr.group-head th{background:#e3f2fd;text-align:left;font-size:.92rem}
tr.group-head .counts{font-weight:400;color:#37474f;margin-left:.6em}
tfoot th,tfoot td{background:#fafafa;font-weight:600}
td.rate{position:relative;min-width:7em}td.rate .bar{position:absolute;left:0;top:0;bottom:0;opacity:.28}
td.rate .v{position:relative}td.rate.good .bar{background:#2e7d32}td.rate.fair .bar{background:#f9a825}
td.rate.poor .bar{background:#c62828}td.late{color:#e65100;font-weight:600}td.missing{color:#c62828;font-weight:600}
#scorecard details{font-size:.85rem;margin-top:.2em}#scorecard details ul{margin:.2em 0;padding-left:1.2em}
$badge
.badge.met{background:#2e7d32}.badge.not_met{background:#c62828}.badge.pending{background:#f9a825;color:#212121}
.badge.no_data{background:#757575}
.assumed{color:#6d4c41;cursor:help;border-bottom:1px dotted #6d4c41}
.reading,.proxy,.doubt{color:#8e24aa;cursor:help;border-bottom:1px dotted #8e24aa;white-space:normal}
.doubt{color:#c62828;border-bottom-color:#c62828}
.phone-only{display:none}
@media (max-width:700px){
body{padding:10px 10px 32px}
.filters input[type=search]{width:100%}.filters label.search{flex:1 1 100%}
table.cards-on-phone thead{display:none}
table.cards-on-phone,table.cards-on-phone tbody,table.cards-on-phone tfoot,table.cards-on-phone tr,
table.cards-on-phone td,table.cards-on-phone th{display:block;width:100%}
table.cards-on-phone tr{border:1px solid #cfd8dc;border-radius:6px;margin:0 0 10px;padding:4px 8px}
table.cards-on-phone td,table.cards-on-phone th{border:0;padding:2px 0;min-width:0;white-space:normal;
text-align:left;overflow-wrap:anywhere}
table.cards-on-phone td[data-label]::before{content:attr(data-label) ": ";color:#546e7a;font-size:.85em}
table.cards-on-phone td.rate .bar{display:none}
tr.group-head{background:#e3f2fd}
#scorecard-table tr{display:grid;grid-template-columns:1fr 1fr;column-gap:10px}
#scorecard-table tr>:first-child{grid-column:1/-1}
.phone-only{display:inline-block}
}
@media print{.filters{display:none}.notices{border-width:3px}thead th{position:static}}
""")

# Draws the charts from #chart-data: status by kind, timeliness by agency, each target against its actuals,
# each target over its periods.
_CHARTS_JS = page.chart_script("chart-data", 2, """\
  function stacked(id, block, horizontal) {
    var el = document.getElementById(id);
    if (!el) { return; }
    new Chart(el, {
      type: "bar",
      data: {labels: block.labels, datasets: block.datasets.map(function (d) {
        return {label: d.label, data: d.data, backgroundColor: d.colour};
      })},
      options: {indexAxis: horizontal ? "y" : "x", locale: data.locale,
        plugins: {legend: {position: "bottom"}},
        scales: {x: {stacked: true, ticks: {precision: 0, autoSkip: horizontal ? true : false}},
                 y: {stacked: true, ticks: {precision: 0, autoSkip: horizontal ? false : true}}}}
    });
  }
  stacked("chart-kind", data.kind, false);
  stacked("chart-timely", data.timely, true);
  data.targets.forEach(function (t, i) {
    var el = document.getElementById("chart-target-" + i);
    if (!el) { return; }
    var suffix = t.percent ? "%" : "";
    var mark = Math.max(6, Math.min(40, 320 / Math.max(1, t.labels.length)));
    new Chart(el, {
      data: {labels: t.labels, datasets: [
        {type: "bar", label: t.actualLabel, data: t.actual, backgroundColor: t.colours, order: 2,
         maxBarThickness: 90},
        {type: "line", label: t.targetLabel, data: t.labels.map(function () { return t.threshold; }),
         showLine: false, pointStyle: "line", pointRadius: mark, pointHoverRadius: mark, clip: false,
         borderColor: "#0d47a1", backgroundColor: "#0d47a1", borderWidth: 3, order: 1}
      ]},
      options: {locale: data.locale, plugins: {
        legend: {position: "bottom", labels: {generateLabels: function () {
          return [{text: t.targetLabel, fillStyle: "#0d47a1", strokeStyle: "#0d47a1", lineWidth: 3}]
            .concat(t.legend.map(function (l) { return {text: l.label, fillStyle: l.colour, strokeStyle: l.colour}; }));
        }}},
        tooltip: {callbacks: {label: function (c) {
          return c.dataset.label + ": " + fmt.format(c.parsed.y) + suffix;
        }}}},
        layout: {padding: {top: 6}},
        scales: {y: {beginAtZero: true, ticks: {callback: function (v) { return fmt.format(v) + suffix; }}},
                 x: {ticks: {autoSkip: true, maxRotation: 60}}}}
    });
  });
  data.history.forEach(function (h, i) {
    var el = document.getElementById("chart-history-" + i);
    if (!el) { return; }
    var suffix = h.percent ? "%" : "";
    new Chart(el, {
      type: "line",
      data: {labels: h.labels, datasets: h.lines.map(function (l) {
        return {label: l.label, data: l.data, borderColor: l.colour, backgroundColor: l.colour,
                pointBackgroundColor: l.points, pointBorderColor: l.points, pointRadius: 5, borderWidth: 2,
                spanGaps: true, tension: 0};
      }).concat([{label: h.targetLabel, data: h.threshold, borderColor: "#0d47a1", backgroundColor: "#0d47a1",
                  borderDash: [6, 4], pointRadius: 0, borderWidth: 2}])},
      options: {locale: data.locale, plugins: {legend: {position: "bottom"},
        tooltip: {callbacks: {label: function (c) {
          return c.dataset.label + ": " + fmt.format(c.parsed.y) + suffix;
        }}}},
        scales: {y: {beginAtZero: true, ticks: {callback: function (v) { return fmt.format(v) + suffix; }}}}}
    });
  });
""")

# The findings table: filters (status, agency, kind), a search that ignores Vietnamese marks, sorting by
# any column of a sortable table (the findings and the scorecard), and grouping the findings by agency.
# Rows stay in the page: filtered rows are hidden, sorted and grouped rows moved.
_TABLE_JS = page.script("""\
  function plain(text) {
    return text.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").replace(/[\\u0111\\u0110]/g, "d")
      .toLowerCase();
  }
  function key(cell) {
    var v = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    var n = Number(v);
    return v !== "" && !isNaN(n) ? n : plain(v);
  }
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    if (typeof a === "number") { return -1; }
    if (typeof b === "number") { return 1; }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function sortable(table, after) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, i) {
      th.tabIndex = 0;
      function sort() {
        var down = th.getAttribute("aria-sort") === "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        table.dataset.sortColumn = i;
        table.dataset.sortDown = down ? "1" : "";
        after();
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sort(); }
      });
    });
  }
  function ordered(table, rows) {
    var i = table.dataset.sortColumn;
    if (i === undefined || i === "") { return rows.slice(); }
    var sign = table.dataset.sortDown ? -1 : 1;
    return rows.map(function (r, n) { return [r, n]; }).sort(function (a, b) {
      return sign * compare(key(a[0].cells[i]), key(b[0].cells[i])) || a[1] - b[1];
    }).map(function (p) { return p[0]; });
  }

  var card = document.getElementById("scorecard-table");
  if (card) {
    var cardRows = Array.prototype.slice.call(card.tBodies[0].rows);
    sortable(card, function () {
      ordered(card, cardRows).forEach(function (r) { card.tBodies[0].appendChild(r); });
    });
  }

  var table = document.getElementById("findings");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var texts = rows.map(function (r) {  // cell by cell: a word never runs on into the next cell
    return plain(Array.prototype.map.call(r.cells, function (c) { return c.textContent; }).join(" | "));
  });
  var text = document.getElementById("filter-text");
  var status = document.getElementById("filter-status");
  var agency = document.getElementById("filter-agency");
  var kind = document.getElementById("filter-kind");
  var group = document.getElementById("group-agency");
  var count = document.getElementById("filter-count");
  var statuses = JSON.parse(table.dataset.statuses);
  function heading(name, members) {
    var counts = {n: members.length};
    Object.keys(statuses).forEach(function (s) { counts[s] = 0; });
    members.forEach(function (r) { counts[r.dataset.status] = (counts[r.dataset.status] || 0) + 1; });
    var tr = document.createElement("tr");
    tr.className = "group-head";
    var th = document.createElement("th");
    th.colSpan = table.tHead.rows[0].cells.length;
    th.scope = "rowgroup";
    th.textContent = name;
    var small = document.createElement("span");
    small.className = "counts";
    small.textContent = table.dataset.group.replace(/\\{(\\w+)\\}/g, function (m, k) {
      return counts[k] !== undefined ? counts[k] : m;
    });
    th.appendChild(small);
    tr.appendChild(th);
    return tr;
  }
  function apply() {
    var words = plain(text.value).split(/\\s+/).filter(Boolean);
    var shown = [];
    rows.forEach(function (r, i) {
      var ok = (!status.value || r.dataset.status === status.value) &&
               (!agency.value || r.dataset.agency === agency.value) &&
               (!kind.value || r.dataset.kind === kind.value) &&
               words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      r.hidden = !ok;
      if (ok) { shown.push(r); }
    });
    Array.prototype.slice.call(body.querySelectorAll("tr.group-head")).forEach(function (h) { h.remove(); });
    var order = ordered(table, rows);
    if (group.checked) {
      var by = {}, names = [];
      order.forEach(function (r) {
        var name = r.dataset.agencyName;
        if (!by[name]) { by[name] = []; names.push(name); }
        by[name].push(r);
      });
      names.sort(function (a, b) { return compare(plain(a), plain(b)); });
      order = [];
      names.forEach(function (name) {
        var visible = by[name].filter(function (r) { return !r.hidden; });
        if (visible.length) { order.push(heading(name, visible)); }
        order = order.concat(by[name]);
      });
    }
    order.forEach(function (r) { body.appendChild(r); });
    count.textContent = count.dataset.template.replace("{shown}", shown.length).replace("{total}", rows.length);
  }
  sortable(table, apply);
  var sortBy = document.getElementById("sort-by");
  sortBy.addEventListener("change", function () {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    table.dataset.sortColumn = sortBy.value;
    table.dataset.sortDown = "";
    if (sortBy.value !== "") { heads[Number(sortBy.value)].setAttribute("aria-sort", "ascending"); }
    apply();
  });
  [status, agency, kind, group].forEach(function (s) { s.addEventListener("change", apply); });
  text.addEventListener("input", apply);
  apply();
""")
