"""A draft Word report on the plan's implementation, laid out as Decree 30/2020/NĐ-CP asks.

"Báo cáo kết quả thực hiện Kế hoạch ...": A4, Times New Roman 13–14 pt,
margins top and bottom 20 mm, left 30 mm, right 15 mm; the two-column heading
(issuing body and number on the left, the national name and motto and the
place and date on the right); the document type and subject; I. overall
results, II. the findings tables (targets, tasks, reporting obligations, not
met first, each row with its plan clause), III. proposals (a placeholder);
the recipients block and the signature block. Numbers, dates and the place
and date line are placeholders a clerk fills in. ``en`` gives an English
draft with the same layout.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from plancheck.judge.verdicts import STATUSES, Report
from plancheck.plans.model import Plan
from plancheck.publish import content
from plancheck.publish.labels import Locale

FONT = "Times New Roman"
BODY_PT = 14
SMALL_PT = 13
#: Decree 30/2020/NĐ-CP, Appendix I: top 20–25, bottom 20–25, left 30–35, right 15–20 mm.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
#: Findings table: column label keys and widths in cm (16.5 cm between the margins).
TABLE_COLUMNS = (("col.no", 0.9), ("col.name", 4.4), ("col.agency", 2.8), ("col.period", 1.7),
                 ("col.expected", 2.0), ("col.actual", 1.6), ("col.status", 2.0), ("col.source", 1.1))
LANG_TAGS = {"vi": "vi-VN", "en": "en-GB"}


def render(report: Report, plans: Sequence[Plan], loc: Locale) -> bytes:
    from docx import Document

    doc = Document()
    _page_and_fonts(doc, loc)
    _heading(doc, plans, loc)
    _title(doc, report, plans, loc)
    _notices(doc, report, plans, loc)
    _overall(doc, report, loc)
    _detail(doc, report, plans, loc)
    _proposals(doc, loc)
    _signature(doc, loc)
    title = loc.t("doc.title") + " " + loc.t("doc.subject", title="; ".join(content.plan_titles(plans, loc)))
    doc.core_properties.title = title[:255]  # the property's limit
    doc.core_properties.author = "plancheck"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


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


def _cell_text(cell: Any, lines: Sequence[tuple[str, dict[str, Any]]], align: str = "left") -> None:
    """Fill a table cell with lines of text (each with run options), replacing its empty paragraph."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    first = cell.paragraphs[0]
    for i, (text, opts) in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}[align]
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.space_before = Pt(0)
        if text:
            run(p, text, **{"size": SMALL_PT, **opts})


def _page_and_fonts(doc: Any, loc: Locale) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANG_TAGS[loc.lang])
    rpr.append(lang)


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
    from docx.shared import Cm

    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, cm, strict=True):
            cell.width = Cm(w)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


# -- the document, top to bottom -------------------------------------------------------

def _heading(doc: Any, plans: Sequence[Plan], loc: Locale) -> None:
    """The draft mark, then the two-column heading table of Decree 30 (Appendix I, items 1–4)."""
    para(doc, loc.t("doc.draft"), align="right", size=SMALL_PT, bold=True, after=0)
    issuers = list(dict.fromkeys(p.issuer for p in plans)) or [""]
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (6.5, 10.0))
    left, right = table.rows[0].cells
    _cell_text(left, [*((i.upper(), {"bold": True}) for i in issuers), ("", {}),
                      (loc.t("doc.number"), {})], align="center")
    _cell_text(right, [(loc.t("doc.nation"), {"bold": True}),
                       (loc.t("doc.motto"), {"bold": True, "underline": True, "size": BODY_PT}),
                       ("", {}), (loc.t("doc.place_date"), {"italic": True})], align="center")


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


#: The heading of the notes on what verdicts rest on besides the data (issue 16).
_NOTES = {"vi": "Ghi chú: giả định, cách hiểu văn bản, chỉ số thay thế và nghi vấn mà các đánh giá dựa vào",
          "en": "Notes: the assumptions, readings of the text, proxies and doubts the verdicts rest on"}


def _detail(doc: Any, report: Report, plans: Sequence[Plan], loc: Locale) -> None:
    para(doc, loc.t("doc.section_findings"), align="left", bold=True, before=12)
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
        para(doc, _NOTES.get(loc.lang, _NOTES["en"]), align="left", bold=True, before=12)
        for (label, text), number in notes.items():
            para(doc, f"[{number}] {label}: {text}", align="left", size=SMALL_PT)


def _findings_table(doc: Any, rows: Sequence[content.Row], loc: Locale,
                    notes: dict[tuple[str, str], int]) -> None:
    table = doc.add_table(rows=1, cols=len(TABLE_COLUMNS))
    table.style = "Table Grid"
    for cell, (key, _) in zip(table.rows[0].cells, TABLE_COLUMNS, strict=True):
        _cell_text(cell, [(loc.t(key), {"bold": True})], align="center")
    _repeat_header(table.rows[0])
    for i, r in enumerate(rows, start=1):
        where = " — ".join(x for x in (r.agency, r.unit) if x)
        verdict = [(r.status, {"bold": r.finding.status == "not_met"})]
        if r.reason:
            verdict.append((r.reason, {"italic": True}))
        # What the verdict rests on besides the data, under it, by the number of its note.
        for _, label, text in r.marks(loc):
            number = notes.setdefault((label, text), len(notes) + 1)
            verdict.append((f"{label} [{number}]", {"italic": True}))
        values: list[list[tuple[str, dict[str, Any]]]] = [
            [(str(i), {})], [(r.name, {})], [(where, {})], [(r.period, {})], [(r.expected, {})],
            [(r.actual_text, {})], verdict, [(r.source, {})]]
        for cell, lines in zip(table.add_row().cells, values, strict=True):
            _cell_text(cell, lines)
    _widths(table, [w for _, w in TABLE_COLUMNS])


def _proposals(doc: Any, loc: Locale) -> None:
    para(doc, loc.t("doc.section_proposals"), align="left", bold=True, before=12)
    para(doc, loc.t("doc.proposals_placeholder"), indent=True, italic=True)
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
