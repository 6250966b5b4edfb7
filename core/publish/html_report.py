"""The findings as one self-contained HTML page: works offline, opens from a file or an e-mail.

Layout, top to bottom: the notices a reader must see first (example data, an
incomplete plan, a press summary), the summary counts, the charts (status by
kind of item, reporting timeliness by agency, targets against actuals), then
the findings table with filters by status, agency and kind.

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
        _charts(charts, loc),
        _findings(rows, loc),
    ], "chart-data", charts, [_CHARTS_JS, _FILTER_JS])


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


def _chart_data(report: Report, plans: Sequence[Plan], loc: Locale) -> dict[str, object]:
    names = content.Names.of(plans)
    by_kind = content.status_by_kind(report)
    timely = content.timeliness_by_agency(report)
    series = content.target_series(report, plans, loc)
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
    }


def _lines(label: str, width: int = 34) -> list[str]:
    """A long axis label as lines (Chart.js draws a list as several lines instead of cutting it)."""
    import textwrap

    return textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False) or [label]


def _charts(data: dict[str, object], loc: Locale) -> str:
    timely = data["timely"]
    targets = data["targets"]
    assert isinstance(timely, dict) and isinstance(targets, list)
    n_agencies = len(timely["labels"])
    timely_html = (page.chart("chart-timely", loc.t("page.chart_timely"), 90 + 34 * n_agencies)
                   if n_agencies else f'<p class="empty">{e(loc.t("page.no_obligations"))}</p>')
    target_html = "".join(
        page.figure(t["title"], page.chart(f"chart-target-{i}", t["title"], 300 if len(t["labels"]) > 6 else 220),
                    note=t["expected"], class_="target-chart")
        for i, t in enumerate(targets)) or f'<p class="empty">{e(loc.t("page.no_charts"))}</p>'
    kind_fig = page.figure(loc.t("page.chart_kind"), page.chart("chart-kind", loc.t("page.chart_kind"), 260))
    timely_fig = page.figure(loc.t("page.chart_timely"), timely_html)
    return (f'<section id="charts"><h2>{e(loc.t("page.charts"))}</h2>'
            f'<div class="chart-row">{kind_fig}{timely_fig}</div>'
            f'<h3>{e(loc.t("page.chart_targets"))}</h3><div class="target-grid">{target_html}</div></section>')


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
    filters = (f'<div class="filters" id="filters">{select("filter-status", loc.t("page.filter_status"), statuses)}'
               f'{select("filter-agency", loc.t("page.filter_agency"), by_name)}'
               f'{select("filter-kind", loc.t("page.filter_kind"), kinds)}'
               f'<span id="filter-count" aria-live="polite" data-template="{e(loc.t("page.showing"))}">'
               f'{e(loc.t("page.showing", shown=len(rows), total=len(rows)))}</span></div>')
    cols = ["col.status", "col.kind", "col.name", "col.agency", "col.unit", "col.period", "col.due",
            "col.expected", "col.actual", "col.reason", "col.source"]
    body = "".join(_row(r, loc) for r in rows)
    return (f'<section id="findings-section"><h2>{e(loc.t("page.findings"))}</h2>{filters}'
            f'{page.table("findings", page.column_heads(cols, loc), body)}</section>')


def _row(r: content.Row, loc: Locale) -> str:
    f = r.finding
    name = e(r.name)
    if r.name_original:
        name += page.original(r.name_original, "div")
    source = e(r.source)
    # Readings, proxies, assumptions and doubts beside the clause they qualify, the text on hover.
    for key, label, text in r.marks(loc):
        source += f' <span class="{key}" title="{e(text)}">({e(label)})</span>'
    return (f'<tr data-status="{e(f.status)}" data-agency="{e(f.agency)}" data-kind="{e(f.kind)}" '
            f'data-item="{e(f.item)}">'
            f'<td><span class="badge {e(f.status)}">{e(r.status)}</span></td><td>{e(r.kind)}</td>'
            f"<td>{name}</td><td>{e(r.agency)}</td><td>{e(r.unit)}</td><td>{e(r.period)}</td>"
            f'<td class="date">{e(r.due_text)}</td><td>{e(r.expected)}</td><td class="num">{e(r.actual_text)}</td>'
            f'<td>{e(r.reason)}</td><td class="clause">{source}</td></tr>')


_CSS = page.style("""
$base
h3{font-size:1rem;margin:1em 0 .4em}
.meta{color:#555;margin:.2em 0;font-size:.9rem}.original{color:#666;font-size:.85em;font-style:italic}
$notices
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{flex:1 1 150px;border-radius:6px;padding:10px 14px;color:#fff;display:flex;flex-direction:column}
.card .n{font-size:2rem;font-weight:700}.card .l{font-size:.95rem}
.card.met{background:#2e7d32}.card.not_met{background:#c62828}.card.pending{background:#f9a825;color:#212121}
.card.no_data{background:#757575}.card.total{background:#eceff1;color:#212121}
.chart-row{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
.target-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
$figures
.chart{position:relative;width:100%}.empty{color:#555;font-style:italic}
.filters{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin:.4em 0 .8em}
.filters select{font:inherit;padding:2px 4px;max-width:320px}#filter-count{color:#555}
$tables
thead th{background:#eceff1;position:sticky;top:0}
td.date{white-space:nowrap}#findings td:nth-child(3){min-width:240px}td.clause{white-space:nowrap}
$badge
.badge.met{background:#2e7d32}.badge.not_met{background:#c62828}.badge.pending{background:#f9a825;color:#212121}
.badge.no_data{background:#757575}
.assumed{color:#6d4c41;cursor:help;border-bottom:1px dotted #6d4c41}
.reading,.proxy,.doubt{color:#8e24aa;cursor:help;border-bottom:1px dotted #8e24aa;white-space:normal}
.doubt{color:#c62828;border-bottom-color:#c62828}
@media print{.filters{display:none}.notices{border-width:3px}thead th{position:static}}
""")

# Draws the charts from #chart-data: status by kind, timeliness by agency, each target against its actuals.
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
""")

# Filters the findings table by status, agency and kind; rows stay in the page, only hidden.
_FILTER_JS = page.script("""\
  var rows = Array.prototype.slice.call(document.querySelectorAll("#findings tbody tr"));
  var status = document.getElementById("filter-status");
  var agency = document.getElementById("filter-agency");
  var kind = document.getElementById("filter-kind");
  var count = document.getElementById("filter-count");
  function apply() {
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (!status.value || r.dataset.status === status.value) &&
               (!agency.value || r.dataset.agency === agency.value) &&
               (!kind.value || r.dataset.kind === kind.value);
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = count.dataset.template.replace("{shown}", shown).replace("{total}", rows.length);
  }
  [status, agency, kind].forEach(function (s) { s.addEventListener("change", apply); });
  apply();
""")
