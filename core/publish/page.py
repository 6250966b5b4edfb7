"""The page base both HTML pages stand on: a province's report and the national dashboard.

:mod:`plancheck.publish.html_report` (``plancheck run --format html``) and
:mod:`plancheck.publish.dashboard` (``plancheck compare --format html``) say
different things; this module owns how either of them becomes one
self-contained page that works offline, opens from a file or an e-mail and
fetches nothing:

- the document around a page's body (:func:`document`): doctype, ``lang``,
  head, inline style, the chart data as JSON in a
  ``<script type="application/json">`` block, Chart.js and the page's own
  scripts inlined, and a Content-Security-Policy that allows no network and
  no script but those, each by its hash;
- escaping: :func:`e` for HTML text and attribute values (every piece of data
  is escaped where it is written) and :func:`json_for_script` for the chart
  data, with ``<``, ``>`` and ``&`` escaped so nothing in a name can close the
  element;
- charts: Chart.js (MIT), vendored in ``assets/`` (:func:`chart_library`),
  the setup every chart script starts with (:func:`chart_script`), the
  language's number locale (:data:`CHART_LOCALES`) and the timeliness colours
  both pages draw (:data:`TIMELY_COLOURS`);
- inline scripts (:func:`script`): each in a strict-mode function of its own;
- the style rules both pages share (:func:`style`: the base, the notices box,
  tables, figures, badges), placed by each page among its own rules;
- the markup both pages write: the notices a reader must see first
  (:func:`notices`), the Vietnamese original beside an English text
  (:func:`original`), a chart's canvas (:func:`chart`), a figure
  (:func:`figure`) and a scrolling table (:func:`table`, :func:`column_heads`).

What a page shows, its own style rules and its own scripts stay in its module.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from html import escape
from importlib.resources import files
from string import Template

from plancheck.publish.labels import Locale

#: Chart.js's number locale for each language.
CHART_LOCALES = {"vi": "vi-VN", "en": "en-GB"}
#: Colours per reporting timeliness (colour-blind safe pairs: green/red differ in lightness too).
TIMELY_COLOURS = {"on_time": "#2e7d32", "late": "#ef6c00", "missing": "#c62828", "pending": "#90a4ae"}

#: The style rules both pages share, by the name a page's stylesheet places them with (see :func:`style`).
SHARED_STYLE = {
    "base": """\
*{box-sizing:border-box}
body{font-family:"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,sans-serif;margin:0 auto;max-width:1240px;
padding:16px 20px 40px;color:#212121;background:#fff;line-height:1.4}
h1{font-size:1.35rem;margin:.2em 0}h2{font-size:1.15rem;margin:1.4em 0 .5em;border-bottom:2px solid #e0e0e0}""",
    "notices": """\
.notices{background:#fff3e0;border:2px solid #e65100;border-radius:6px;padding:10px 16px;margin:0 0 12px;
color:#4e2600;font-size:1.05rem}
.notices ul{margin:.3em 0 0;padding-left:1.2em}.notices li{font-weight:600}""",
    "tables": """\
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border:1px solid #e0e0e0;padding:4px 6px;text-align:left;vertical-align:top}""",
    "figures": """\
figure{margin:0;border:1px solid #e0e0e0;border-radius:6px;padding:8px 10px}
figcaption{font-weight:600;font-size:.95rem;margin-bottom:4px}figcaption small{font-weight:400;color:#555}""",
    "badge": """\
.badge{display:inline-block;border-radius:3px;padding:0 6px;color:#fff;white-space:nowrap;font-weight:600}""",
}


def e(x: object) -> str:
    """Escape for HTML text and attribute values (quotes included)."""
    return escape("" if x is None else str(x), quote=True)


def json_for_script(data: object) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` left to end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def chart_library() -> str:
    """Chart.js, as vendored; refuses a copy that could end its own ``<script>`` element."""
    text = (files("plancheck.publish") / "assets" / "chart.umd.min.js").read_text(encoding="utf-8")
    if "</script" in text.lower() or "<!--" in text:
        raise ValueError("the vendored chart.umd.min.js contains '</script' or '<!--' and cannot be inlined")
    return text


def style(sheet: str) -> str:
    """A page's stylesheet with the shared rules put where it names them: ``$base``,
    ``$notices``, ``$tables``, ``$figures`` and ``$badge`` (see :data:`SHARED_STYLE`).

    Each page keeps its own order of rules (a later rule wins a tie), so the
    shared ones stand where the page places them rather than first.
    """
    return Template(sheet).substitute(SHARED_STYLE)


def script(body: str) -> str:
    """An inline script: ``body`` (its lines indented by two) in a strict-mode function of its own."""
    return '\n(function () {\n  "use strict";\n' + body + "})();\n"


def chart_script(data_id: str, decimals: int, body: str) -> str:
    """A script that draws a page's charts: ``body`` runs with ``data``, the page's chart data read
    from the block ``data_id`` (see :func:`document`), and ``fmt``, a number format of the page's
    locale with at most ``decimals`` decimals. Charts are not animated, so what is drawn is final at once."""
    return script(f'  var data = JSON.parse(document.getElementById("{data_id}").textContent);\n'
                  "  Chart.defaults.animation = false;\n"
                  "  Chart.defaults.maintainAspectRatio = false;\n"
                  "  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;\n"
                  f"  var fmt = new Intl.NumberFormat(data.locale, {{maximumFractionDigits: {decimals}}});\n"
                  + body)


def document(lang: str, title: str, css: str, body: Iterable[str], data_id: str, data: object,
             scripts: Sequence[str]) -> str:
    """The whole page, as text.

    ``body`` is the page's sections in order (empty ones are left out);
    ``data`` is written as JSON in the block ``data_id`` for the charts; the
    scripts run after it, Chart.js first, then ``scripts`` in order.
    """
    inlined = [chart_library(), *scripts]
    csp = ("default-src 'none'; "
           + "script-src " + " ".join(f"'sha256-{_sha256(s)}'" for s in inlined) + "; "
           + "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{e(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        *body,
        f'<script type="application/json" id="{e(data_id)}">{json_for_script(data)}</script>',
        *(f"<script>{s}</script>" for s in inlined),
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _sha256(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def notices(items: Sequence[str], loc: Locale) -> str:
    """The box of notices a reader must see first, or nothing when there are none."""
    if not items:
        return ""
    lis = "".join(f"<li>{e(n)}</li>" for n in items)
    return (f'<section id="notices" class="notices" role="alert" aria-label="{e(loc.t("notice.heading"))}">'
            f"<strong>{e(loc.t('notice.heading'))}</strong><ul>{lis}</ul></section>")


def original(text: object, tag: str = "p") -> str:
    """The Vietnamese original of a name, shown under its English translation."""
    return f'<{tag} class="original" lang="vi">{e(text)}</{tag}>'


def chart(id_: str, label: str, height: int) -> str:
    """The frame a chart script draws into: a canvas ``height`` pixels high, named ``label`` for screen readers."""
    return (f'<div class="chart" style="height:{height}px"><canvas id="{e(id_)}" role="img" '
            f'aria-label="{e(label)}"></canvas></div>')


def figure(caption: str, inner: str, note: str | None = None, class_: str | None = None) -> str:
    """A chart (or what stands in for it) under its caption, with ``note`` in small print below the caption."""
    attr = f' class="{e(class_)}"' if class_ else ""
    small = f"<br><small>{e(note)}</small>" if note is not None else ""
    return f"<figure{attr}><figcaption>{e(caption)}{small}</figcaption>{inner}</figure>"


def column_heads(keys: Iterable[str], loc: Locale) -> str:
    """Column headings, one per label key."""
    return "".join(f'<th scope="col">{e(loc.t(k))}</th>' for k in keys)


def table(id_: str, head: str, body: str, attributes: dict[str, str] | None = None) -> str:
    """A table that scrolls sideways on its own when it is wider than the page; ``attributes`` (escaped
    here) are set on the table element."""
    extra = "".join(f' {e(k)}="{e(v)}"' for k, v in (attributes or {}).items())
    return (f'<div class="table-wrap"><table id="{e(id_)}"{extra}><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")
