"""The findings as an Excel workbook: a summary sheet, then one sheet per kind of finding.

Summary: the plan titles, the province, the as-of date, the notices, counts by
status, by kind and status, and reporting timeliness by agency. Each kind's
sheet (targets, tasks, reporting obligations, and any other kind the report
has): one finding per row, not met first, headers in the chosen language, the
header row frozen and an autofilter on it. Dates are real Excel dates (due,
and the day a task was done or a report sent), numbers real numbers. Text that
Excel would read as a formula is stored as text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import copy
from datetime import date
from typing import Any

from plancheck.judge.verdicts import STATUSES, Report
from plancheck.plans.model import Plan
from plancheck.publish import content
from plancheck.publish.labels import Locale

FILLS = {"met": "C8E6C9", "not_met": "FFCDD2", "pending": "FFF9C4", "no_data": "E0E0E0"}
#: Column key, width; ``name_original`` only for ``en``.
COLUMNS = (("status", 14), ("reason", 30), ("name", 60), ("name_original", 60), ("agency", 34),
           ("unit", 30), ("period", 18), ("due", 12), ("expected", 32), ("actual", 14),
           ("days_late", 10), ("source", 14), ("assumed", 40), ("reading", 40), ("proxy", 30),
           ("doubt", 40), ("item", 26), ("plan", 26))
#: Columns named by content.mark_label rather than a ``col.`` label.
_MARK_COLUMNS = ("reading", "proxy", "doubt")


def render(report: Report, plans: Sequence[Plan], loc: Locale) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = sheet_title(loc.t("sheet.summary"))
    _summary(summary, report, plans, loc)
    rows = content.rows(report, plans, loc)
    for kind in content.kinds_of(report):
        ws = wb.create_sheet(sheet_title(content.label_or(loc, f"sheet.{kind}", kind)))
        _findings(ws, [r for r in rows if r.finding.kind == kind], loc)
    cards = [c for c in content.scorecard(report, plans, loc) if c.expected or c.pending]
    if cards:
        _scorecard(wb.create_sheet(sheet_title(loc.t("sheet.scorecard"))), cards, report, loc)
    wb.properties.title = loc.t("sheet.title")
    wb.properties.creator = "plancheck"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheet_title(text: str) -> str:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``."""
    for ch in "[]:*?/\\":
        text = text.replace(ch, " ")
    return text[:31]


def put(ws: Any, row: int, col: int, value: object, loc: Locale, bold: bool = False) -> Any:
    """Write one cell: dates as dates in the language's format, text always as text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    c = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        c.data_type = "s"  # openpyxl would take "=..." for a formula
    else:
        number_format = _number_format(value, loc.excel_date_format())
        if number_format is not None:
            c.number_format = number_format
    if bold:
        c.font = Font(bold=True)
    return c


def _number_format(value: object, date_format: str) -> str | None:
    """A date's or a fraction's number format; None for text, a whole number or nothing."""
    if isinstance(value, date):
        return date_format
    if isinstance(value, float):
        return "#,##0.##"
    return None


def _header(ws: Any, row: int, labels: Sequence[str], loc: Locale) -> None:
    from openpyxl.styles import PatternFill

    for i, text in enumerate(labels, start=1):
        c = put(ws, row, i, text, loc, bold=True)
        c.fill = PatternFill("solid", fgColor="ECEFF1")


def _findings(ws: Any, rows: Sequence[content.Row], loc: Locale) -> None:
    """One finding a row, as :func:`put` writes cells; the status filled in its colour, the long
    texts wrapped (the cells written here, each look given by :class:`_Looks`: a province's
    300,000 cells through :func:`put` with a style object each were most of its workbook's time)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    cols = [(k, w) for k, w in COLUMNS if k != "name_original" or loc.lang == "en"]
    _header(ws, 1, [content.mark_label(loc, k) if k in _MARK_COLUMNS else loc.t(f"col.{k}")
                    for k, _ in cols], loc)
    keys = [(c_i, key, key in _WRAPPED) for c_i, (key, _) in enumerate(cols, start=1)]
    date_format = loc.excel_date_format()
    looks = _Looks()
    for r_i, r in enumerate(rows, start=2):
        f = r.finding
        values = {"status": r.status, "reason": r.reason, "name": r.name, "name_original": f.name,
                  "agency": r.agency, "unit": r.unit, "period": r.period, "due": r.due,
                  "expected": r.expected, "actual": _actual(r), "days_late": f.days_late,
                  "source": r.source, "assumed": r.assumed or None, "reading": r.reading or None,
                  "proxy": r.proxy or None, "doubt": r.doubt or None, "item": f.item, "plan": f.plan}
        for c_i, key, wrapped in keys:
            value = values[key]
            if isinstance(value, str):
                c = ws.cell(row=r_i, column=c_i, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                c.data_type = "s"  # openpyxl would take "=..." for a formula
                number_format = None
            else:
                c = ws.cell(row=r_i, column=c_i, value=value)
                number_format = _number_format(value, date_format)
            looks.give(c, number_format, f.status if key == "status" else None, wrapped)
    for i, (_, width) in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, len(rows) + 1)}"


#: The findings' columns whose text wraps, at the top of its cell.
_WRAPPED = frozenset(("name", "name_original", "assumed", "reason", *_MARK_COLUMNS))


class _Looks:
    """The looks of a sheet's cells (number format, status fill, wrapped text): openpyxl gives
    each look to the first cell that has it, the others get a copy of that cell's style array, as
    openpyxl's own worksheet copy does. A style object set on a cell is found in the workbook's
    list by a hash openpyxl computes field by field each time; the same looks on 300,000 cells."""

    def __init__(self) -> None:
        self._arrays: dict[tuple[str | None, str | None, bool], Any] = {}

    def give(self, cell: Any, number_format: str | None, status: str | None, wrapped: bool) -> None:
        look = (number_format, status if status in FILLS else None, wrapped)
        if look == (None, None, False):
            return
        array = self._arrays.get(look)
        if array is None:
            from openpyxl.styles import Alignment, PatternFill

            if number_format is not None:
                cell.number_format = number_format
            if look[1] is not None:
                cell.fill = PatternFill("solid", fgColor=FILLS[look[1]])
            if wrapped:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            array = self._arrays[look] = copy(cell._style)
        cell._style = copy(array)


def _scorecard(ws: Any, cards: Sequence[content.AgencyCard], report: Report, loc: Locale) -> None:
    """Each agency's reporting completeness, as the HTML report's scorecard (DHIS2's reporting-rate
    columns), rates as Excel percentages; the late and missing reports named in the last column."""
    from openpyxl.styles import Alignment, Font

    put(ws, 1, 1, loc.t("page.scorecard"), loc).font = Font(bold=True, size=12)
    put(ws, 2, 1, loc.t("page.scorecard_help", date=loc.day(report.as_of)), loc)
    keys = ["col.agency", "card.expected", "card.received", "card.on_time", "card.late", "card.missing",
            "card.pending", "card.received_rate", "card.on_time_rate", "card.reports"]
    _header(ws, 4, [loc.t(k) for k in keys], loc)
    row = 4
    for c in cards:
        row += 1
        late = [loc.t("card.late_entry", who=x.who, name=x.name, period=x.period, days=x.days)
                for x in c.late_reports]
        late += [loc.t("card.missing_entry", who=x.who, name=x.name, period=x.period, days=x.days)
                 for x in c.missing_reports]
        values: list[object] = [c.name or "—", c.expected, c.received, c.on_time, c.late, c.missing, c.pending,
                                None if c.received_rate is None else c.received_rate / 100,
                                None if c.on_time_rate is None else c.on_time_rate / 100, "\n".join(late)]
        for i, v in enumerate(values, start=1):
            cell = put(ws, row, i, v, loc)
            if i in (8, 9):
                cell.number_format = "0.0%"
        ws.cell(row=row, column=len(values)).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B5"
    ws.auto_filter.ref = f"A4:J{row}"
    ws.column_dimensions["A"].width = 44
    for col in "BCDEFGHI":
        ws.column_dimensions[col].width = 13
    ws.column_dimensions["J"].width = 90


def _actual(r: content.Row) -> object:
    """A number or a date stays one; a target's text result ("in class") is shown in words."""
    if isinstance(r.actual, int | float | date):
        return r.actual
    return None if r.actual is None else r.actual_text


def _summary(ws: Any, report: Report, plans: Sequence[Plan], loc: Locale) -> None:
    from openpyxl.styles import Font

    row = 1
    for title in content.plan_titles(plans, loc) or [loc.t("sheet.title")]:
        put(ws, row, 1, title, loc).font = Font(bold=True, size=13)
        row += 1
    put(ws, row, 1, loc.t("page.province"), loc, bold=True)
    put(ws, row, 2, content.province_name(report, plans, loc), loc)
    row += 1
    put(ws, row, 1, loc.t("page.as_of", date="").rstrip(), loc, bold=True)
    put(ws, row, 2, report.as_of, loc)
    row += 1
    for n in content.notices(report, plans, loc):
        put(ws, row, 1, n, loc).font = Font(bold=True, color="B71C1C")
        row += 1

    row += 1
    put(ws, row, 1, loc.t("sheet.by_status"), loc).font = Font(bold=True, size=12)
    row += 1
    _header(ws, row, [loc.t("col.status"), loc.t("col.count")], loc)
    s = report.summary()
    for st in STATUSES:
        row += 1
        put(ws, row, 1, loc.t(f"status.{st}"), loc)
        put(ws, row, 2, s.get(st, 0), loc)
    row += 1
    put(ws, row, 1, loc.t("col.total"), loc, bold=True)
    put(ws, row, 2, s.get("total", 0), loc, bold=True)

    row += 2
    put(ws, row, 1, loc.t("sheet.by_kind"), loc).font = Font(bold=True, size=12)
    row += 1
    _header(ws, row, [loc.t("col.kind"), *(loc.t(f"status.{st}") for st in STATUSES), loc.t("col.total")], loc)
    for kind, counts in content.status_by_kind(report).items():
        row += 1
        put(ws, row, 1, content.label_or(loc, f"kinds.{kind}", kind), loc)
        for i, st in enumerate(STATUSES, start=2):
            put(ws, row, i, counts.get(st, 0), loc)
        put(ws, row, len(STATUSES) + 2, sum(counts.values()), loc)

    timely = content.timeliness_by_agency(report)
    if timely:
        names = content.Names.of(plans)
        row += 2
        put(ws, row, 1, loc.t("sheet.timely"), loc).font = Font(bold=True, size=12)
        row += 1
        _header(ws, row, [loc.t("col.agency"), *(loc.t(f"timely.{t}") for t in content.TIMELINESS)], loc)
        for (plan, agency), counts in timely.items():
            row += 1
            put(ws, row, 1, names.agency(plan, agency, loc) or "—", loc)
            for i, t in enumerate(content.TIMELINESS, start=2):
                put(ws, row, i, counts[t], loc)
    ws.column_dimensions["A"].width = 48
    for col in "BCDEFG":
        ws.column_dimensions[col].width = 16
