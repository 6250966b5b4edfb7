"""Reports people read: the findings as an HTML page, an Excel workbook, a CSV file or a Word draft.

:func:`publish` is the one entry point for a province's report (``plancheck run
--format html|xlsx|csv|docx``); :func:`publish_comparison` makes the national
dashboard from the comparison document (``plancheck compare --format html``).
Each format lives in its own module; the words and number formats of both
languages live in :mod:`plancheck.publish.labels`, and what every format shows
(rows in a reader's words, counts, chart data) in :mod:`plancheck.publish.content`.
Heavy libraries (openpyxl, python-docx) are imported only by the format that needs them.
For a terminal: ``run``'s findings, ``explain`` and the national comparison
(``compare --format table``, :func:`plancheck.publish.terminal.comparison_text`)
are in :mod:`plancheck.publish.terminal`; the plain table, the JSON document,
``plan show`` and ``diff`` in :mod:`plancheck.publish.text`.

May import: :mod:`plancheck.judge`, :mod:`plancheck.data`, :mod:`plancheck.plans`,
:mod:`plancheck.errors`; never :mod:`plancheck.authoring` or the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from plancheck.language import LANGS  # labels (attrs, the catalogs) only when a report is made: issue 20

if TYPE_CHECKING:
    from plancheck.judge.verdicts import Report
    from plancheck.plans.model import Plan

FORMATS = ("html", "xlsx", "csv", "docx")

__all__ = ["FORMATS", "LANGS", "publish", "publish_comparison"]


def publish(report: Report, plans: Sequence[Plan], fmt: str, lang: str = "vi", *,
            issuer: str | None = None) -> bytes:
    """The report as a file's bytes.

    ``fmt`` is one of :data:`FORMATS`; ``lang`` is ``vi`` or ``en`` (labels,
    number and date formats; the plan's names stay as written, with the plan's
    English names shown for ``en``). ``plans`` are the plans the report was
    made from (for names, thresholds and titles); ``issuer``: the id of the
    plan's agency that reports in the Word draft (default: the plan's issuer).
    Raises ValueError for an unknown format, language or issuer.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    from plancheck.publish.labels import Locale

    loc = Locale(lang)
    if fmt == "html":
        from plancheck.publish import html_report

        return html_report.render(report, plans, loc).encode("utf-8")
    if fmt == "csv":
        from plancheck.publish import csv_report

        return csv_report.render(report).encode("utf-8")
    if fmt == "xlsx":
        from plancheck.publish import xlsx_report

        return xlsx_report.render(report, plans, loc)
    from plancheck.publish import docx_report

    return docx_report.render(report, plans, loc, issuer)


def publish_comparison(doc: dict[str, Any], lang: str = "vi") -> bytes:
    """The national comparison as one self-contained HTML page (UTF-8 bytes).

    ``doc`` is the JSON-ready document :func:`plancheck.judge.compare.compare` returns
    (what ``plancheck compare --format json`` prints, ``notices`` included);
    ``lang`` is ``vi`` or ``en``. Raises ValueError for an unknown language.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    from plancheck.publish import dashboard
    from plancheck.publish.labels import Locale

    return dashboard.render(doc, Locale(lang)).encode("utf-8")
