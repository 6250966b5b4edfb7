"""The Excel reporting form an agency fills: written for a clerk, read back by :mod:`plancheck.data.workbook`.

Sheet ``form``, top to bottom:

* a header block the clerk fills and the reader skips: the form's title and
  the plan's, then the reporting body (written in when the form is one
  agency's), the reporting period, who prepared it and their phone, the date,
  and the head of the body's signature;
* the heading row, then one row per expected datum (:mod:`plancheck.data.expected`).

Each row shows the clerk words, not codes: its number, what is asked, the
unit's name (with what it is today where the 2025 reorganisation replaced it),
the agency that reports, the type of row, the unit of measure ("người", "xã",
"m²", "%"), the period ("Quý I/2024"), the due date and the plan's clause;
then the two cells to fill, ``Giá trị`` (a figure) or ``Ngày thực hiện/gửi``
(the day a task was done or a report sent), the one that does not apply
greyed and refused by Excel's validation. The ids a filled form is read by
(province, plan, item, kind, agency, unit, period) are columns A–G, hidden
and locked: the sheet is protected, and only the cells to fill are open.

Sheet ``huong_dan`` (``instructions`` in English) says how to fill it in
plain words, without a command line.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from plancheck import language
from plancheck.data.expected import FormRow
from plancheck.data.layout import HEADINGS, kind_word
from plancheck.language import _
from plancheck.plans.calendar import period_words
from plancheck.plans.model import Plan
from plancheck.plans.quantity import kind_of

#: The sheet a clerk fills (the reader looks for it by name first).
SHEET = "form"
#: The ids a filled form is read by: columns A–G, hidden and locked.
ID_COLUMNS = ("province", "plan", "item", "kind", "agency", "unit", "period")
#: What the clerk reads, in order, then the two cells to fill; ``unit_now`` only where a unit was reorganised.
SHOWN_COLUMNS = ("no", "description", "unit_name", "unit_now", "agency_name", "kind_name", "measure_unit",
                 "period_name", "due", "clause", "value", "date")
#: Column widths (characters).
WIDTHS = {"no": 6, "description": 52, "unit_name": 28, "unit_now": 24, "agency_name": 28, "kind_name": 11,
          "measure_unit": 11, "period_name": 15, "due": 12, "clause": 12, "value": 14, "date": 16}

_TITLE = "1F3864"
_FILL = "FFF2CC"  # the cells a clerk writes in
_GREY = "E7E6E6"  # a cell that does not apply to its row
_HEAD = "DDEBF7"


def columns(rows: Sequence[FormRow]) -> tuple[str, ...]:
    """The form's columns, in order, for these rows."""
    shown = [c for c in SHOWN_COLUMNS if c != "unit_now" or any(r.unit_since for r in rows)]
    return (*ID_COLUMNS, *shown)


def write_xlsx(rows: Iterable[FormRow], lang: str = "vi", plans: Sequence[Plan] = ()) -> bytes:
    """A reporting form as an .xlsx file's bytes, in ``lang``; ``plans`` (the plans the rows are of)
    give the header block the plans' titles."""
    from openpyxl import Workbook

    rows = list(rows)
    with language.using(lang):
        wb = Workbook()
        _instructions(wb.active, lang, rows, plans)
        ws = wb.create_sheet(SHEET)
        _form(ws, lang, rows, plans)
        wb.active = 1
        buf = io.BytesIO()
        wb.save(buf)
    return buf.getvalue()


# -- the instructions ------------------------------------------------------------------

def _instructions(ins, lang: str, rows: Sequence[FormRow], plans: Sequence[Plan]) -> None:
    from openpyxl.styles import Alignment, Font

    ins.title = "huong_dan" if lang == "vi" else "instructions"
    heads = HEADINGS[lang]
    titles = "; ".join(_plan_title(p) for p in plans) or _("the plan")
    lines = [
        (_("HOW TO FILL IN THIS FORM"), True),
        (_("This form reports on {titles}. Each row of the sheet “{sheet}” is one figure, one task or one "
           "report the plan asks for.").format(titles=titles, sheet=SHEET), False),
        (_("1. At the top of the sheet, write the reporting body, the reporting period, the name and phone "
           "number of the person who prepared the form and the date; the head of the body signs it once it "
           "is printed.").format(), False),
        (_("2. A row of type “{measure}”: write the figure in the column “{value}”, as a number in the unit of "
           "the column “{unit}”: a whole number for people, communes or cases; a percentage without the % sign "
           "(95,5); no dots or commas between thousands (1250, not 1.250).").format(
            measure=kind_word("measure").capitalize(), value=heads["value"], unit=heads["measure_unit"]), False),
        (_("3. A row of type “{task}” or “{report}”: write the day the task was done or the report was sent in "
           "the column “{date}”, as day/month/year (05/03/2024).").format(
            task=kind_word("task").capitalize(), report=kind_word("obligation").capitalize(),
            date=heads["date"]), False),
        (_("4. No figure yet, or not done yet: leave the row empty. Do not write words or notes in the cells to "
           "fill; a grey cell does not apply to its row.").format(), False),
        (_("5. Do not add, delete or move columns or rows: the other cells are locked. “{due}” is the deadline "
           "the plan sets; “{clause}” is the clause of the plan that asks for the row.").format(
            due=heads["due"], clause=heads["clause"]), False),
        (_("6. Save the file as an Excel workbook (.xlsx), keep the sheet “{sheet}” under its name, and send it "
           "back to the office that collects the reports.").format(sheet=SHEET), False),
    ]
    if any(r.unit_since for r in rows):
        lines.append((_("7. Units reorganised since the plan was written: the column “{now}” gives what the unit "
                        "is today. Report the figures of the unit as the plan names it, as the row asks.").format(
            now=heads["unit_now"]), False))
    if any(r.kind == "measure" and not r.agency for r in rows):
        lines.append((_("Rows whose reporting agency is blank: the plan names no body that reports them; the "
                        "office that collects the reports says who fills them.").format(), False))
    for i, (text, bold) in enumerate(lines, start=1):
        cell = ins.cell(row=i, column=1, value=_text(text))
        cell.font = Font(bold=bold, size=13 if bold else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ins.row_dimensions[i].height = _height([(text, 100)]) + 4
    ins.column_dimensions["A"].width = 100
    ins.sheet_view.showGridLines = False
    ins.page_setup.paperSize = ins.PAPERSIZE_A4
    ins.page_setup.fitToWidth, ins.page_setup.fitToHeight = 1, 0
    ins.sheet_properties.pageSetUpPr.fitToPage = True


def _height(cells: Iterable[tuple[str, float]]) -> float:
    """A row's height (points) for wrapped texts in columns of the given widths (characters): a
    spreadsheet does not grow a row to its wrapped text when it opens a file, so the form sets it."""
    import math

    lines = max((math.ceil(len(text) / max(1.0, width * 0.95)) for text, width in cells if text), default=1)
    return 15.0 * max(1, lines)


# -- the form --------------------------------------------------------------------------

def _plan_title(p: Plan) -> str:
    return f"{p.title} ({p.document})" if p.document else p.title


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _header_block(ws, lang: str, rows: Sequence[FormRow], plans: Sequence[Plan], cols: Sequence[str]) -> int:
    """The block above the heading row: titles, then label and input cells; returns the heading row."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    first, last = len(ID_COLUMNS) + 1, len(cols)  # H .. the last column (1-based)
    fill = PatternFill("solid", fgColor=_FILL)
    line = Side(style="thin", color="BFBFBF")
    box = Border(left=line, right=line, top=line, bottom=line)
    open_ = Protection(locked=False)

    def merged(row: int, start: int, end: int, text: str, **font: object) -> None:
        ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=end)
        cell = ws.cell(row=row, column=start, value=_text(text))
        cell.font = Font(**font)  # type: ignore[arg-type]
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    merged(1, first, last, _("REPORT ON THE IMPLEMENTATION OF THE PLAN"), bold=True, size=14, color=_TITLE)
    merged(2, first, last, "; ".join(_plan_title(p) for p in plans), italic=True, size=11)
    ws.row_dimensions[2].height = 30
    agencies = {r.agency_name for r in rows}
    periods = list(dict.fromkeys(period_words(r.period) for r in rows))
    # Label and input pairs, two to a row: (label, prefilled text, whether the input is a date)
    pairs = [((_("Reporting body:"), agencies.pop() if len(agencies) == 1 else "", False),
              (_("Prepared by (full name):"), "", False)),
             ((_("Reporting period:"), ", ".join(periods) if len(periods) <= 3 else "", False),
              (_("Phone:"), "", False)),
             ((_("Date of the report:"), "", True),
              (_("Head of the body (signature, full name, seal):"), "", False))]
    # The left pair: the label in the description column, the input across the next three; the right
    # pair: the label across two columns, the input across the rest.
    spans = ((first + 1, first + 1, first + 2, first + 4), (first + 5, first + 6, first + 7, last))
    dates = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                           formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                           error=_("A date (day/month/year)."))
    ws.add_data_validation(dates)
    for n, pair in enumerate(pairs):
        row = 4 + n
        ws.row_dimensions[row].height = 36 if n == 2 else 20
        for (label, text, is_date), (l0, l1, i0, i1) in zip(pair, spans, strict=True):
            if l1 > l0:
                ws.merge_cells(start_row=row, start_column=l0, end_row=row, end_column=l1)
            lab = ws.cell(row=row, column=l0, value=_text(label))
            lab.font = Font(bold=True)
            lab.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
            ws.merge_cells(start_row=row, start_column=i0, end_row=row, end_column=i1)
            for c in range(i0, i1 + 1):
                cell = ws.cell(row=row, column=c)
                cell.fill, cell.border, cell.protection = fill, box, open_
            cell = ws.cell(row=row, column=i0, value=_text(text) if text else None)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if is_date:
                cell.number_format = "DD/MM/YYYY"
                dates.add(cell)
    heads = HEADINGS[lang]
    merged(8, first, last, _("Write figures in “{value}” and dates in “{date}” (yellow cells); see the sheet "
                             "“{sheet}”.").format(value=heads["value"], date=heads["date"],
                                                  sheet="huong_dan" if lang == "vi" else "instructions"),
           italic=True, size=10)
    return 10


def _form(ws, lang: str, rows: Sequence[FormRow], plans: Sequence[Plan]) -> None:
    from copy import copy

    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.cell_range import MultiCellRange

    cols = columns(rows)
    at = {c: i + 1 for i, c in enumerate(cols)}
    heading = _header_block(ws, lang, rows, plans, cols)
    heads = HEADINGS[lang]
    line = Side(style="thin", color="BFBFBF")
    box = Border(left=line, right=line, top=line, bottom=line)
    for c, key in enumerate(cols, start=1):
        cell = ws.cell(row=heading, column=c, value=_text(heads[key]))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEAD)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = box
    ws.row_dimensions[heading].height = 32
    validation = _validations(ws)
    # Performance: styling a cell through openpyxl's descriptors hashes every style object each time
    # (1,300 rows took 8 s); each kind of cell is styled once, and its style array copied to the others.
    styles = _styles(ws.parent)
    cells: dict[str, list[str]] = {k: [] for k in validation}  # each validation's cells, set once at the end
    wrapped = ("description", "unit_name", "agency_name", "unit_now")
    n = heading
    for number, r in enumerate(rows, start=1):
        n += 1
        values = {
            "province": r.province, "plan": r.plan, "item": r.item, "kind": r.kind, "agency": r.agency,
            "unit": r.unit, "period": r.period, "no": number, "description": _what(r),
            "unit_name": r.unit_name if lang == "vi" else r.unit_name_en or r.unit_name,
            "unit_now": _now(r), "agency_name": _agency(r, lang), "kind_name": kind_word(r.kind).capitalize(),
            "measure_unit": (r.measure_unit if lang == "vi" else r.measure_unit_en) if r.kind == "measure"
            else _("day/month/year"),
            "period_name": period_words(r.period), "due": r.due, "clause": r.clause, "value": None, "date": None}
        measure = r.kind == "measure"
        for key in cols:
            v = values[key]
            cell = ws.cell(row=n, column=at[key], value=_text(v) if isinstance(v, str) else v)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with "=" (issue 21: a plan name became a formula)
            style = ("wrap" if key in wrapped else "day" if key == "due" else
                     ("fill" if measure else "grey") if key == "value" else
                     ("grey" if measure else "fill_day") if key == "date" else "top")
            cell._style = copy(styles[style])
        ws.row_dimensions[n].height = _height((str(values[k] or ""), WIDTHS[k]) for k in wrapped if k in at)
        value, day = f"{_letter(at['value'] - 1)}{n}", f"{_letter(at['date'] - 1)}{n}"
        if measure:
            cells[kind_of(r.unit_kind)].append(value)
            cells["none"].append(day)
        else:
            cells["date"].append(day)
            cells["none"].append(value)
        if r.agency_routed:
            # Why this agency: the plan charges no body with the figure (see data.expected.reporter).
            why = (_("The plan names no body for this figure; it is reported with the other figures of the "
                     "unit.") if not r.agency_basis else
                   _("The plan names no body for this figure; the clause {clause} has this agency report.").format(
                       clause=r.agency_basis))
            ws.cell(row=n, column=at["agency_name"]).comment = Comment(_text(why), "plancheck")
    for key, dv in validation.items():
        if cells[key]:
            dv.sqref = MultiCellRange(" ".join(cells[key]))
    for key in cols:
        dim = ws.column_dimensions[_letter(at[key] - 1)]
        if key in ID_COLUMNS:
            dim.width, dim.hidden = 12, True
        else:
            dim.width = WIDTHS[key]
    last = _letter(len(cols) - 1)
    ws.freeze_panes = f"{_letter(at['description'])}{heading + 1}"
    ws.auto_filter.ref = f"A{heading}:{last}{n}"
    ws.print_title_rows = f"{heading}:{heading}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False


def _styles(wb: Any) -> dict[str, Any]:
    """The style arrays of a form's cells (copied onto each cell): styled once on a scratch sheet."""
    from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side

    line = Side(style="thin", color="BFBFBF")
    box = Border(left=line, right=line, top=line, bottom=line)
    top, wrap = Alignment(vertical="top"), Alignment(wrap_text=True, vertical="top")
    fill, grey = PatternFill("solid", fgColor=_FILL), PatternFill("solid", fgColor=_GREY)
    unlocked = Protection(locked=False)
    scratch = wb.create_sheet("scratch")
    out = {}
    for i, (name, align, background, fmt, locked) in enumerate((
            ("top", top, None, None, True), ("wrap", wrap, None, None, True), ("day", top, None, "DD/MM/YYYY", True),
            ("fill", top, fill, None, False), ("grey", top, grey, None, False),
            ("fill_day", top, fill, "DD/MM/YYYY", False)), start=1):
        cell = scratch.cell(row=i, column=1)
        cell.border, cell.alignment = box, align
        if background is not None:
            cell.fill = background
        if fmt is not None:
            cell.number_format = fmt
        if not locked:
            cell.protection = unlocked
        out[name] = cell._style
    wb.remove(scratch)
    return out


def locate(ws: Any) -> tuple[int, dict[str, int]]:
    """Where a written form's cells are (for scripts and tests that fill one): its heading row (1-based)
    and each column's index in a row (0-based) by key; the first row when no row is a heading row."""
    from plancheck.data.layout import HEADER_BLOCK, column_key, is_heading_row

    for cells in ws.iter_rows(max_row=HEADER_BLOCK + 1):
        texts = ["" if c.value is None else str(c.value) for c in cells]
        if is_heading_row(texts):
            return cells[0].row, {column_key(t): i for i, t in enumerate(texts) if t}
    return 1, {}


def _validations(ws) -> dict[str, Any]:
    """What ingest accepts in each kind of cell (plans.quantity), so Excel says it first."""
    from openpyxl.worksheet.datavalidation import DataValidation

    out = {
        "count": DataValidation(type="whole", operator="between", formula1="0", formula2="1E15",
                                allow_blank=True, showErrorMessage=True,
                                error=_("A whole number, 0 or more, without dots or commas.")),
        "share": DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                                allow_blank=True, showErrorMessage=True,
                                error=_("A percentage from 0 to 100, without the % sign.")),
        "amount": DataValidation(type="decimal", operator="between", formula1="0", formula2="1E15",
                                 allow_blank=True, showErrorMessage=True, error=_("A number, 0 or more.")),
        "date": DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                               formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                               error=_("A date (day/month/year).")),
        "none": DataValidation(type="textLength", operator="equal", formula1="0", allow_blank=True,
                               showErrorMessage=True, error=_("This cell does not apply to this row: leave it "
                                                              "empty.")),
    }
    for dv in out.values():
        ws.add_data_validation(dv)
    return out


def _what(r: FormRow) -> str:
    """What the row asks for, without the clause and the unit the form shows in their own columns."""
    text = r.description.rsplit(" [", 1)[0]
    suffix = f" ({r.unit_kind})"
    return text[:-len(suffix)] if r.kind == "measure" and r.unit_kind and text.endswith(suffix) else text


def _now(r: FormRow) -> str:
    """What a reorganised unit is today: "Tỉnh Đồng Tháp (từ 01/07/2025)", or that its level ended."""
    if r.unit_since is None:
        return ""
    since = _day(r.unit_since)
    if not r.unit_now:
        return _("no longer exists (from {date})").format(date=since)
    return _("{names} (from {date})").format(names=r.unit_now, date=since)


def _agency(r: FormRow, lang: str) -> str:
    if not r.agency:
        return _("(the plan names no body)")
    return r.agency_name if lang == "vi" else r.agency_name_en or r.agency_name


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _text(value: str) -> str:
    """Text as a form cell holds it: no character Excel refuses (a control character)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)
