"""A draft Word report on the plan's implementation, laid out as Decree 30/2020/NĐ-CP asks.

"Báo cáo kết quả thực hiện Kế hoạch ...": A4, Times New Roman 13–14 pt,
margins top and bottom 20 mm, left 30 mm, right 15 mm; page numbers centred
at the top of every page but the first; the two-column heading (the reporting
body, a rule line under it a third to a half of its name's length, and the
number on the left; the national name, the motto with a rule line as long as
it, and the place and date on the right); the document type and subject;
I. overall results, II. the results in words (what was met, what was not and
by how much, who reported late, what is pending: :mod:`plancheck.publish.narrative`),
III. proposals drafted from the findings; the recipients and signature
blocks; then the findings tables in a landscape Appendix (Phụ lục), each row
with its plan clause, not met first. The reporting body is the plan's issuer
unless another agency of the plan is named (``run --issuer``). Numbers and
dates of the document itself are dots a clerk fills in. ``en`` gives an
English draft with the same layout.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from typing import Any

from plancheck.judge.verdicts import STATUSES, Report
from plancheck.plans.model import Agency, Plan
from plancheck.publish import content, narrative
from plancheck.publish.labels import Locale

FONT = "Times New Roman"
BODY_PT = 14
SMALL_PT = 13
#: The national name: Decree 30 sets it in 12–13 pt; at 13 it does not fit on one line beside the body.
NATION_PT = 12
#: Decree 30/2020/NĐ-CP, Appendix I: top 20–25, bottom 20–25, left 30–35, right 15–20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
#: A landscape page of the Appendix: its top edge is the binding edge of the portrait pages.
LANDSCAPE_MARGINS_MM = {"top": 30, "bottom": 15, "left": 20, "right": 20}
#: The heading table's columns in cm (16.5 cm between the portrait margins).
HEADING_CM = (7.0, 9.5)
#: Word's default left and right padding of a table cell, together, in cm.
CELL_PADDING_CM = 0.38
#: Findings table of the Appendix: column label keys and widths in cm (25.7 cm between the margins). An item's
#: rows (its units) follow one another, what they share written once in cells merged down them.
TABLE_COLUMNS = (("col.no", 1.0), ("col.name", 5.6), ("col.agency", 3.2), ("col.period", 1.8),
                 ("col.expected", 3.2), ("col.unit", 4.4), ("col.actual", 2.0), ("col.status", 2.9),
                 ("col.source", 1.6))
LANG_TAGS = {"vi": "vi-VN", "en": "en-GB"}


def render(report: Report, plans: Sequence[Plan], loc: Locale, issuer: str | None = None) -> bytes:
    """The draft as a .docx file's bytes; ``issuer`` is the id of the plan's agency that reports
    (default: the plan's issuer). Raises ValueError for an agency no plan names."""
    from docx import Document

    body = reporting_body(plans, issuer)
    doc = Document()
    _page_and_fonts(doc, loc)
    _heading(doc, plans, body, loc)
    _title(doc, report, plans, loc)
    _notices(doc, report, plans, loc)
    story = narrative.story(report, plans, loc)
    _overall(doc, report, loc)
    _results(doc, report, story, loc)
    _proposals(doc, story, loc)
    _signature(doc, loc)
    _appendix(doc, report, plans, body, loc)
    title = loc.t("doc.title") + " " + loc.t("doc.subject", title="; ".join(content.plan_titles(plans, loc)))
    doc.core_properties.title = title[:255]  # the property's limit
    doc.core_properties.author = "plancheck"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def reporting_body(plans: Sequence[Plan], issuer: str | None) -> list[str]:
    """The heading's lines for the body that reports (the heading writes them in capitals): the body it
    answers to first where that is the provincial People's Committee (a department, "Sở"), then the
    body itself, its name completed with the province where it ends in "tỉnh"."""
    if issuer is None:
        return list(dict.fromkeys(p.issuer for p in plans)) or [""]
    for p in plans:
        agency = next((a for a in p.agencies if a.id == issuer), None)
        if agency is not None:
            return _body_lines(p, agency)
    known = sorted({a.id for p in plans for a in p.agencies})
    raise ValueError(f"unknown agency {issuer!r}; known: {', '.join(known)}")


def _body_lines(plan: Plan, agency: Agency) -> list[str]:
    name = agency.name.strip()
    words = name.split()
    if words and words[-1].lower() == "tỉnh" and plan.province_name:
        name = f"{name} {plan.province_name}"
    if words and words[0].lower() == "sở" and plan.issuer:
        return [plan.issuer, name]
    return [name]


# -- building blocks ---------------------------------------------------------------

def run(p: Any, text: str, *, size: int = BODY_PT, bold: bool = False, italic: bool = False,
        underline: bool = False) -> Any:
    """A run in Times New Roman at ``size`` pt (set on the run, not only inherited from the style)."""
    from docx.shared import Pt

    r = p.add_run(text)
    r.font.name = FONT
    r.font.size = Pt(size)
    if bold:
        r.bold = True
    if italic:
        r.italic = True
    if underline:
        r.underline = True
    return r


def para(container: Any, text: str = "", *, align: str = "justify", size: int = BODY_PT, bold: bool = False,
         italic: bool = False, underline: bool = False, indent: bool = False, before: int = 0,
         after: int = 6) -> Any:
    """A paragraph with one run; ``container`` is the document or a table cell."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    p.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt = p.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.15
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        run(p, text, size=size, bold=bold, italic=italic, underline=underline)
    return p


def _cell_text(cell: Any, lines: Sequence[tuple[str, dict[str, Any]]], align: str = "left", *,
               append: bool = False, before: int = 0) -> None:
    """Fill a table cell with lines of text (each with run options): in its empty first paragraph,
    or (``append``) after what it holds; ``before``: points of space above the first line."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    first = None if append else cell.paragraphs[0]
    for i, (text, opts) in enumerate(lines):
        p = first if i == 0 and first is not None else cell.add_paragraph()
        p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}[align]
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.space_before = Pt(before if i == 0 else 0)
        if text:
            run(p, text, **{"size": SMALL_PT, **opts})


def _page_and_fonts(doc: Any, loc: Locale) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    section = doc.sections[0]
    _page(section, portrait=True)
    # Decree 30, Appendix I, item 3: the page number centred at the top, not shown on the first page.
    section.different_first_page_header_footer = True
    _page_number(section.header)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANG_TAGS[loc.lang])
    rpr.append(lang)


def _page(section: Any, portrait: bool) -> None:
    """A4 upright (the body) or lying (the Appendix), with Decree 30's margins."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    margins = MARGINS_MM if portrait else LANDSCAPE_MARGINS_MM
    section.orientation = WD_ORIENT.PORTRAIT if portrait else WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = (Mm(210), Mm(297)) if portrait else (Mm(297), Mm(210))
    section.top_margin = Mm(margins["top"])
    section.bottom_margin = Mm(margins["bottom"])
    section.left_margin = Mm(margins["left"])
    section.right_margin = Mm(margins["right"])


def _page_number(header: Any) -> None:
    """A PAGE field, centred, in ``header`` (Word and LibreOffice compute it when the page is laid out)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def field_char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run(p, "")._r.append(el)

    field_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run(p, "")._r.append(instr)
    field_char("separate")
    run(p, "1")  # what a reader that does not compute fields shows
    field_char("end")


#: Advance widths (thousandths of an em) of Times Roman and Times Bold (Adobe's AFM; Times New
#: Roman and Liberation Serif share them), for drawing a rule line as long as a line of text.
_WIDTHS = {
    False: dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", (
        722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611,
        722, 722, 944, 722, 722, 611, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500,
        500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444), strict=True)),
    True: dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", (
        722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667,
        722, 722, 1000, 722, 722, 667, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556,
        500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444), strict=True)),
}
_OTHER_WIDTHS = {" ": 250, "-": 333, ",": 250, ".": 250, "(": 333, ")": 333, "/": 278}


def text_width_cm(text: str, size: float, bold: bool) -> float:
    """How wide ``text`` is set in Times New Roman at ``size`` pt (Vietnamese marks take no width)."""
    base = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    em = sum(_WIDTHS[bold].get(c, _OTHER_WIDTHS.get(c, 500)) for c in base if not unicodedata.combining(c))
    return em / 1000 * size / 72 * 2.54


def _rule(cell: Any, length_cm: float, cell_cm: float) -> Any:
    """A solid rule line ``length_cm`` long, centred in a table cell ``cell_cm`` wide: an empty
    paragraph whose top border is the line, its indents making it that long."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    p = cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    side = max(0.0, (cell_cm - CELL_PADDING_CM - length_cm) / 2)
    fmt = p.paragraph_format
    fmt.left_indent = fmt.right_indent = Cm(side)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(6)
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    border.append(top)
    p._p.get_or_add_pPr().append(border)
    return p


def _no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _widths(table: Any, cm: Sequence[float]) -> None:
    """Column widths, in each cell (Word reads these) and in the table's grid (LibreOffice reads that)."""
    from docx.shared import Cm

    table.autofit = False
    for col, w in zip(table._tbl.tblGrid.gridCol_lst, cm, strict=True):
        col.w = Cm(w)
    for tr in table._tbl.tr_lst:  # the cells as written: row.cells is slow on merged tables
        for tc, w in zip(tr.tc_lst, cm, strict=True):
            tc.width = Cm(w)


def _merge_down(cells: Sequence[Any]) -> None:
    """Merge a column's cells of consecutive rows into the first (Word's vMerge: restart, continue)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for i, cell in enumerate(cells):
        el = OxmlElement("w:vMerge")
        if i == 0:
            el.set(qn("w:val"), "restart")
        cell._tc.get_or_add_tcPr().append(el)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


# -- the document, top to bottom -------------------------------------------------------

def _heading(doc: Any, plans: Sequence[Plan], body: Sequence[str], loc: Locale) -> None:
    """The draft mark, then the two-column heading table of Decree 30 (Appendix I, items 1–4)."""
    para(doc, loc.t("doc.draft"), align="right", size=SMALL_PT, bold=True, after=0)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, HEADING_CM)
    left, right = table.rows[0].cells
    # Item 3: the body it answers to in plain capitals, the reporting body in bold capitals, under
    # it a solid rule line from a third to a half of its name's length.
    *parents, name = (line.upper() for line in body)
    _cell_text(left, [*((line, {}) for line in parents), (name, {"bold": True})], align="center")
    usable = HEADING_CM[0] - CELL_PADDING_CM
    _rule(left, min(usable, text_width_cm(name, SMALL_PT, bold=True)) * 0.4, HEADING_CM[0])
    _cell_text(left, [(loc.t("doc.number"), {})], align="center", append=True)
    # Item 1: the national name, then the motto with a solid rule line as long as the motto.
    motto = loc.t("doc.motto")
    _cell_text(right, [(loc.t("doc.nation"), {"bold": True, "size": NATION_PT}),
                       (motto, {"bold": True, "size": BODY_PT})], align="center")
    _rule(right, min(HEADING_CM[1] - CELL_PADDING_CM, text_width_cm(motto, BODY_PT, bold=True)), HEADING_CM[1])
    place = next((p.province_name for p in plans if p.province_name), "............")
    _cell_text(right, [(loc.t("doc.place_date", place=place), {"italic": True, "size": BODY_PT})],
               align="center", append=True, before=6)


def _title(doc: Any, report: Report, plans: Sequence[Plan], loc: Locale) -> None:
    para(doc, loc.t("doc.title"), align="center", bold=True, before=18, after=0)
    for p, title in zip(plans, content.plan_titles(plans, loc), strict=True):
        para(doc, loc.t("doc.subject", title=title), align="center", bold=True, after=0)
        if p.document:
            para(doc, loc.t("doc.subject_document", document=p.document), align="center", italic=True, after=0)
    para(doc, loc.t("doc.as_of", date=loc.day(report.as_of)), align="center", italic=True, after=12)


def _notices(doc: Any, report: Report, plans: Sequence[Plan], loc: Locale) -> None:
    from docx.shared import RGBColor

    for n in content.notices(report, plans, loc):
        p = para(doc, "", align="left", after=6)
        r = run(p, n, bold=True)
        r.font.color.rgb = RGBColor(0xB7, 0x1C, 0x1C)


def _overall(doc: Any, report: Report, loc: Locale) -> None:
    s = report.summary()
    para(doc, loc.t("doc.section_summary"), align="left", bold=True, before=6)
    para(doc, loc.t("doc.summary_text", date=loc.day(report.as_of), total=s.get("total", 0),
                    **{k: s.get(k, 0) for k in STATUSES}), indent=True)
    by_kind = content.status_by_kind(report)
    table = doc.add_table(rows=1, cols=len(STATUSES) + 2)
    table.style = "Table Grid"
    heads = [loc.t("col.kind"), *(loc.t(f"status.{st}") for st in STATUSES), loc.t("col.total")]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        _cell_text(cell, [(text, {"bold": True})], align="center")
    for kind, counts in by_kind.items():
        cells = table.add_row().cells
        _cell_text(cells[0], [(content.label_or(loc, f"kinds.{kind}", kind), {})])
        for cell, n in zip(cells[1:], [*(counts.get(st, 0) for st in STATUSES), sum(counts.values())],
                           strict=True):
            _cell_text(cell, [(str(n), {})], align="center")
    _widths(table, (4.5, *([2.0] * len(STATUSES)), 4.0))


def _paragraphs(doc: Any, texts: Sequence[str]) -> None:
    """The story's paragraphs; one starting "- " is a bullet of the list before it."""
    for text in texts:
        para(doc, text, indent=True, after=3 if text.startswith("- ") else 6)


def _results(doc: Any, report: Report, story: narrative.Story, loc: Locale) -> None:
    """II: the results in words, a part per kind of item; the tables are in the Appendix."""
    para(doc, loc.t("doc.section_findings"), align="left", bold=True, before=12)
    parts = {"target": story.targets, "task": story.tasks, "obligation": story.reports,
             "consistency": story.checks}
    n = 0
    for kind in content.kinds_of(report):
        texts = parts.get(kind, ())
        if kind == "consistency" and not texts:
            continue  # no data check failed: nothing to say
        n += 1
        para(doc, loc.t("doc.subsection", n=n, title=content.label_or(loc, f"kinds.{kind}", kind)),
             align="left", bold=True, before=6)
        _paragraphs(doc, texts or [loc.t("doc.none")])
    para(doc, loc.t("doc.see_appendix"), indent=True, italic=True, before=6)


def _proposals(doc: Any, story: narrative.Story, loc: Locale) -> None:
    para(doc, loc.t("doc.section_proposals"), align="left", bold=True, before=12)
    _paragraphs(doc, story.proposals[:-1])
    para(doc, story.proposals[-1], indent=True, italic=True)
    para(doc, loc.t("doc.closing"), indent=True)


def _signature(doc: Any, loc: Locale) -> None:
    """Decree 30, Appendix I, items 7 and 9: recipients on the left, the signer on the right."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (8.0, 8.5))
    left, right = table.rows[0].cells
    _cell_text(left, [(loc.t("doc.recipients"), {"bold": True, "italic": True}),
                      *((line, {}) for line in loc.t("doc.recipients_list").split("\n"))])
    _cell_text(right, [(loc.t("doc.signer_authority"), {"bold": True, "size": BODY_PT}),
                       (loc.t("doc.signature"), {"italic": True}), ("", {}), ("", {}), ("", {}),
                       (loc.t("doc.signer_name"), {"bold": True, "size": BODY_PT})], align="center")


def _appendix(doc: Any, report: Report, plans: Sequence[Plan], body: Sequence[str], loc: Locale) -> None:
    """The Appendix (Phụ lục) on landscape pages: its heading as Decree 30 writes one (Appendix I,
    item 11), then a findings table per kind of item, then the notes the verdicts cite."""
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, portrait=False)
    section.different_first_page_header_footer = False  # the Appendix's first page is numbered
    para(doc, loc.t("doc.appendix"), align="center", bold=True, after=0)
    para(doc, loc.t("doc.appendix_title"), align="center", bold=True, after=0)
    issuer = body[-1] or "..........."
    para(doc, loc.t("doc.appendix_ref", issuer=issuer), align="center", italic=True, after=12)
    rows = content.rows(report, plans, loc)
    notes: dict[tuple[str, str], int] = {}  # (label, text) → its number, in the order first met
    for n, kind in enumerate(content.kinds_of(report), start=1):
        title = content.label_or(loc, f"kinds.{kind}", kind)
        para(doc, loc.t("doc.subsection", n=n, title=title), align="left", bold=True, before=6)
        mine = [r for r in rows if r.finding.kind == kind]
        if not mine:
            para(doc, loc.t("doc.none"), indent=True)
            continue
        _findings_table(doc, mine, loc, notes)
    if notes:
        # Each text once, numbered; the verdicts cite the numbers: nobody signs a verdict unaware.
        para(doc, loc.t("doc.notes"), align="left", bold=True, before=12)
        for (label, text), number in notes.items():
            para(doc, f"[{number}] {label}: {text}", align="left", size=SMALL_PT)


def _findings_table(doc: Any, rows: Sequence[content.Row], loc: Locale,
                    notes: dict[tuple[str, str], int]) -> None:
    """The findings of one kind, an item's rows together (the items with a row not met first, each
    item's rows not met first); its number, name, period, requirement and clause, and its agency
    where all its rows have the same, in cells merged down its rows."""
    table = doc.add_table(rows=1, cols=len(TABLE_COLUMNS))
    table.style = "Table Grid"
    for cell, (key, _) in zip(table.rows[0].cells, TABLE_COLUMNS, strict=True):
        _cell_text(cell, [(loc.t(key), {"bold": True})], align="center")
    _repeat_header(table.rows[0])
    _widths(table, [w for _, w in TABLE_COLUMNS])
    cells = _FindingCells(table)
    tbl = table._tbl
    for number, group in enumerate(_items(rows), start=1):
        first = group[0]
        shared: dict[int, list[tuple[str, dict[str, Any]]]] = {
            0: [(str(number), {})], 1: [(first.name, {})], 3: [(first.period, {})],
            4: [(first.expected, {})], 8: [(first.source, {})]}
        if len({r.agency for r in group}) == 1:
            shared[2] = [(first.agency, {})]
        merged = len(group) > 1
        for i, r in enumerate(group):
            verdict: list[tuple[str, dict[str, Any]]] = [(r.status, {"bold": r.finding.status == "not_met"})]
            if r.reason:
                verdict.append((r.reason, {"italic": True}))
            # What the verdict rests on besides the data, under it, by the number of its note.
            for _, label, text in r.marks(loc):
                n = notes.setdefault((label, text), len(notes) + 1)
                verdict.append((f"{label} [{n}]", {"italic": True}))
            own: dict[int, list[tuple[str, dict[str, Any]]]] = {
                5: [(r.unit, {})], 6: [(r.actual_text, {})], 7: verdict}
            if 2 not in shared:
                own[2] = [(r.agency, {})]
            tr = cells.row()
            for column in range(len(TABLE_COLUMNS)):
                if column in own:
                    tr.append(cells.filled(column, own[column], merged=False))
                elif i == 0:
                    tr.append(cells.filled(column, shared[column], merged=merged))
                else:
                    tr.append(cells.continued(column))
            tbl.append(tr)


class _FindingCells:
    """A findings table's rows and cells as :func:`_cell_text` and :func:`_merge_down` make them (the
    column's width, the paragraphs' spacing and alignment, each run's font, size, bold, italic),
    made once per table by python-docx in a row taken away after, then copied for each cell with
    its own text. A province's 16,000 findings built cell by cell, each paragraph, run and
    property an object of python-docx inserting XML element by element, took 55 s of its report."""

    def __init__(self, table: Any) -> None:
        from copy import deepcopy

        from docx.table import _Cell

        tr = table.add_row()._tr
        table._tbl.remove(tr)
        self._tr = deepcopy(tr)
        for tc in self._tr.tc_lst:
            self._tr.remove(tc)
        # Each column's cell empty (what a merged cell continues as), alone or starting a merge.
        self._empty = list(tr.tc_lst)
        self._continued = [deepcopy(tc) for tc in self._empty]
        self._restart = [deepcopy(tc) for tc in self._empty]
        for start, cont in zip(self._restart, self._continued, strict=True):
            _merge_down([_Cell(start, table), _Cell(cont, table)])
        self._bare = [self._without_paragraphs(tc) for tc in self._empty]
        self._bare_restart = [self._without_paragraphs(tc) for tc in self._restart]
        # A line of text in each of its forms, and a line without text (a paragraph with no run).
        scratch = _Cell(deepcopy(self._empty[0]), table)
        self._blank = self._last_paragraph(scratch, "", {})
        self._lines = {(bold, italic): self._last_paragraph(scratch, "x", {"bold": bold, "italic": italic})
                       for bold in (False, True) for italic in (False, True)}

    @staticmethod
    def _without_paragraphs(tc: Any) -> Any:
        from copy import deepcopy

        bare = deepcopy(tc)
        for p in bare.p_lst:
            bare.remove(p)
        return bare

    @staticmethod
    def _last_paragraph(cell: Any, text: str, opts: dict[str, Any]) -> Any:
        _cell_text(cell, [(text, opts)], append=True)
        return cell._tc.p_lst[-1]

    def row(self) -> Any:
        return self._tr.__copy__()

    def continued(self, column: int) -> Any:
        """A cell of ``column`` continuing the merge of the cell above."""
        return self._continued[column].__copy__()

    def filled(self, column: int, lines: Sequence[tuple[str, dict[str, Any]]], *, merged: bool) -> Any:
        """A cell of ``column`` with ``lines`` as :func:`_cell_text` writes them (left, no space
        before or after, Times New Roman at ``SMALL_PT``; of a line's options only bold and italic,
        all the findings table uses); ``merged``: it starts a merge down. An lxml element's
        ``__copy__`` copies it whole, as ``copy.deepcopy`` does without its memo."""
        tc = (self._bare_restart if merged else self._bare)[column].__copy__()
        for text, opts in lines:
            if not text:
                tc.append(self._blank.__copy__())
                continue
            p = self._lines[bool(opts.get("bold")), bool(opts.get("italic"))].__copy__()
            r = p[-1]
            if "\t" in text or "\n" in text or "\r" in text:
                r.text = text  # python-docx's own: a tab, a line break as Word's elements
            else:
                t = r[-1]
                t.text = text
                if len(text.strip()) < len(text):  # as python-docx's run: spaces at an end kept
                    t.set(_XML_SPACE, "preserve")
            tc.append(p)
        return tc


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _items(rows: Sequence[content.Row]) -> list[list[content.Row]]:
    """The rows by item, period and requirement, in the order of their first row (rows come not met first)."""
    groups: dict[tuple[str, str, str, str], list[content.Row]] = {}
    for r in rows:
        f = r.finding
        groups.setdefault((f.plan, f.item, f.period, r.expected), []).append(r)
    return list(groups.values())
