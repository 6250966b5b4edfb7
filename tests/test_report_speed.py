"""The Word and Excel reports made fast stay the reports they were (issue 27).

The Word Appendix's findings rows are copied from cells python-docx makes once, the Excel findings
cells take their looks from a copy: every cell read back here (python-docx, openpyxl) must still be
what the reports describe, made from :mod:`plancheck.publish.content`'s rows: its text line by line,
each run's font, size, bold and italic, the paragraph's alignment and spacing, the column's width,
the cells an item's rows share merged down them, the header row repeated on each page; in Excel each
cell's value and type, number format, font, fill and wrapping, the widths, frozen header and filter.
Both on the Hưng Yên example through the CLI and on a report of thousands of findings made from it,
with names that begin or end with spaces, hold tabs and line breaks, or look like formulas. No timing.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from itertools import cycle

import attrs
import pytest
from test_publish_content import AS_OF, hung_yen_report
from test_publish_files import section_of_tables

from plancheck.publish import content, publish
from plancheck.publish.labels import Locale

FONT = "Times New Roman"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: Texts a plan or a clerk may write: the reports keep them as they are.
ODD = (" leading space", "trailing space ", "a\ttab", "two\nlines", "cr\r\nlf", "  ", "=SUM(A1:A2)",
       "non\u00a0breaking\u00a0", "Ủy ban nhân dân xã")


# -- the reports ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example():
    return hung_yen_report()


@pytest.fixture(scope="module")
def large(example):
    """About 3,000 findings from the example's 263: each again for other periods, units and agencies,
    statuses turned round, some names and notes odd (:data:`ODD`), so that items have many rows
    (merged cells), one agency or several, and every kind of line a verdict cell has."""
    report, plans = example
    plan = plans[0]
    units = cycle([u.id for u in plan.units] + ["unknown unit \t id", " spaced unit "])
    agencies = cycle([a.id for a in plan.agencies])
    statuses = cycle(["not_met", "met", "pending", "no_data", "met"])
    odd = cycle(ODD)
    findings = list(report.findings)
    for copy in range(11):
        for i, f in enumerate(report.findings):
            changes: dict[str, object] = {"unit": next(units)}
            if copy % 2:
                changes["period"] = f"{2021 + copy % 3}"
            if i % 3 == 0:
                changes["agency"] = next(agencies)
            if i % 4 == copy % 4:
                changes["status"] = next(statuses)
            if i % 7 == copy % 7:
                changes["name"] = f"{next(odd)}{f.name}"
            if i % 5 == copy % 5:
                changes["assumed"] = next(odd)
            if i % 9 == copy % 9:
                changes["doubt"] = f"{next(odd)} doubt {copy}"
            if i % 11 == copy % 11:
                changes["reason"] = next(odd)  # a reason core may add before the labels know it
            findings.append(attrs.evolve(f, **changes))
    return attrs.evolve(report, findings=tuple(findings)), plans


def test_the_large_report_is_large_and_varied(large):
    report, plans = large
    assert len(report.findings) > 3000
    rows = content.rows(report, plans, Locale("vi"))
    assert {r.finding.status for r in rows} == {"met", "not_met", "pending", "no_data"}
    groups = _items([r for r in rows if r.finding.kind == "target"])
    assert max(len(g) for g in groups) > 20
    assert any(len({r.agency for r in g}) == 1 for g in groups if len(g) > 1)
    assert any(len({r.agency for r in g}) > 1 for g in groups)
    texts = {t for r in rows for t in (r.name, r.unit, r.reason, r.assumed, r.doubt)}
    assert all(any(o in t for t in texts) for o in ODD)


def cli_report(runner, tmp_path, fmt, lang):
    from plancheck.cli import cli

    out = tmp_path / f"report.{fmt}"
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--example", "--as-of", AS_OF.isoformat(),
                              "--lang", lang, "--format", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out.read_bytes()


# -- Word: what the Appendix's findings tables must hold --------------------------------------------

def _items(rows):
    """An item's rows (same plan, item, period and requirement) together, in the order of the first."""
    groups: dict[tuple[str, str, str, str], list[content.Row]] = {}
    for r in rows:
        groups.setdefault((r.finding.plan, r.finding.item, r.finding.period, r.expected), []).append(r)
    return list(groups.values())


def expected_appendix(report, plans, loc):
    """Each findings table as rows of cells, a cell as (merge, lines), a line as (text, bold, italic):
    the item's number, name, agency (when all its rows have one), period, requirement and plan clause
    in cells merged down its rows ('restart', then 'continue' cells left empty); the unit, the result
    and the verdict in each row: the status (bold when not met), the reason, and each mark with the
    number of its note (italic). Also the notes, numbered in the order first cited."""
    from plancheck.publish.docx_report import TABLE_COLUMNS

    rows = content.rows(report, plans, loc)
    notes: dict[tuple[str, str], int] = {}
    tables = []
    for kind in content.kinds_of(report):
        mine = [r for r in rows if r.finding.kind == kind]
        if not mine:
            continue
        table = [[(None, [(loc.t(key), True, False)]) for key, _ in TABLE_COLUMNS]]
        for number, group in enumerate(_items(mine), start=1):
            first = group[0]
            one_agency = len({r.agency for r in group}) == 1
            merged = len(group) > 1
            for i, r in enumerate(group):
                verdict = [(r.status, r.finding.status == "not_met", False)]
                if r.reason:
                    verdict.append((r.reason, False, True))
                for _, label, text in r.marks(loc):
                    n = notes.setdefault((label, text), len(notes) + 1)
                    verdict.append((f"{label} [{n}]", False, True))

                def shared(text, i=i, merged=merged):
                    if i > 0:
                        return ("continue", None)
                    return ("restart" if merged else None, [(text, False, False)])

                table.append([shared(str(number)), shared(first.name),
                              shared(first.agency) if one_agency else (None, [(r.agency, False, False)]),
                              shared(first.period), shared(first.expected),
                              (None, [(r.unit, False, False)]), (None, [(r.actual_text, False, False)]),
                              (None, verdict), shared(first.source)])
        tables.append(table)
    return tables, [f"[{n}] {label}: {text}" for (label, text), n in notes.items()]


def read_back(text):
    """What python-docx reads of a run's text: a line break (either) and a tab as Word's elements."""
    return text.replace("\r", "\n")


def check_word_appendix(data, report, plans, lang):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt
    from docx.table import _Cell

    from plancheck.publish.docx_report import TABLE_COLUMNS

    loc = Locale(lang)
    doc = Document(io.BytesIO(data))
    assert doc.sections[1].orientation == WD_ORIENT.LANDSCAPE
    tables, notes = expected_appendix(report, plans, loc)
    found = [t for t, section in section_of_tables(doc) if section == 1]
    assert len(found) == len(tables)
    widths = [Cm(w).twips for _, w in TABLE_COLUMNS]
    cells_seen = 0
    for table, expected in zip(found, tables, strict=True):
        assert table.style.name == "Table Grid"
        assert table.autofit is False
        assert [g.w.twips for g in table._tbl.tblGrid.gridCol_lst] == widths
        trs = table._tbl.tr_lst
        assert len(trs) == len(expected)
        header = trs[0].trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"  # repeated on each page
        assert all(tr.trPr is None for tr in trs[1:])
        for row_no, (tr, cells) in enumerate(zip(trs, expected, strict=True)):
            align = WD_ALIGN_PARAGRAPH.CENTER if row_no == 0 else WD_ALIGN_PARAGRAPH.LEFT
            assert len(tr.tc_lst) == len(cells)
            for column, (tc, (merge, lines)) in enumerate(zip(tr.tc_lst, cells, strict=True)):
                where = f"table {found.index(table) + 1}, row {row_no}, column {column}"
                cell = _Cell(tc, table)
                assert cell.width.twips == widths[column], where
                assert tc.vMerge == merge, where
                paragraphs = cell.paragraphs
                if lines is None:  # continues the merged cell above: left empty
                    assert [(p.text, len(p.runs)) for p in paragraphs] == [("", 0)], where
                    continue
                assert [p.text for p in paragraphs] == [read_back(t) for t, _, _ in lines], where
                for p, (text, bold, italic) in zip(paragraphs, lines, strict=True):
                    assert p.alignment == align, where
                    assert (p.paragraph_format.space_before, p.paragraph_format.space_after) == (0, 0), where
                    if not text:
                        assert p.runs == [], where
                        continue
                    [run] = p.runs
                    assert (run.font.name, run.font.size, run.bold, run.italic, run.underline) == (
                        FONT, Pt(13), True if bold else None, True if italic else None, None), where
                    # Word drops the spaces at the ends of a text unless told to keep them
                    assert all(t.get(XML_SPACE) == "preserve" for t in run._r.findall(qn("w:t"))
                               if t.text != t.text.strip()), where
                cells_seen += 1
    texts = [p.text for p in doc.paragraphs]
    if notes:
        at = texts.index(loc.t("doc.notes"))
        assert texts[at + 1:at + 1 + len(notes)] == [read_back(n) for n in notes]
        for p in doc.paragraphs[at + 1:at + 1 + len(notes)]:
            assert [(r.font.name, r.font.size) for r in p.runs] == [(FONT, Pt(13))]
    return cells_seen


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_word_appendix_of_the_example_through_the_cli(runner, tmp_path, example, lang):
    report, plans = example
    data = cli_report(runner, tmp_path, "docx", lang)
    assert check_word_appendix(data, report, plans, lang) > 3 * len(report.findings)  # unit, result, verdict


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_word_appendix_of_thousands_of_findings(large, lang):
    report, plans = large
    data = publish(report, plans, "docx", lang)
    assert check_word_appendix(data, report, plans, lang) > 3 * len(report.findings)


def test_word_report_is_the_same_each_time(large):
    """Each part of the file the same (the zip stamps its members with the time they were written)."""
    import zipfile

    report, plans = large
    a, b = (zipfile.ZipFile(io.BytesIO(publish(report, plans, "docx", "vi"))) for _ in range(2))
    assert a.namelist() == b.namelist()
    assert all(a.read(name) == b.read(name) for name in a.namelist())


# -- Excel: what the findings sheets must hold -------------------------------------------------------

def expected_cell(value, loc):
    """(value read back, data type, number format) of what the report writes: text as text (never a
    formula), without the characters XML cannot hold; dates as dates in the language's format;
    fractions with two decimals at most; an empty text or nothing as an empty cell (of no type)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value == "":
        return None, None, "General"
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value), "s", "General"
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), "d", loc.excel_date_format()
    if isinstance(value, float):
        return value, "n", "#,##0.##"
    return value, "n", "General"


def check_excel_findings(data, report, plans, lang):
    from openpyxl import load_workbook

    from plancheck.publish.xlsx_report import COLUMNS, sheet_title

    loc = Locale(lang)
    wb = load_workbook(io.BytesIO(data))
    rows = content.rows(report, plans, loc)
    columns = [(k, w) for k, w in COLUMNS if k != "name_original" or lang == "en"]
    wrapped = {"name", "name_original", "assumed", "reason", "reading", "proxy", "doubt"}
    fills = {"met": "C8E6C9", "not_met": "FFCDD2", "pending": "FFF9C4", "no_data": "E0E0E0"}
    cells_seen = 0
    for kind in content.kinds_of(report):
        mine = [r for r in rows if r.finding.kind == kind]
        ws = wb[sheet_title(content.label_or(loc, f"sheet.{kind}", kind))]
        last = ws.cell(1, len(columns)).column_letter
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{last}{max(1, len(mine) + 1)}"
        assert [ws.column_dimensions[ws.cell(1, i).column_letter].width
                for i in range(1, len(columns) + 1)] == [w for _, w in columns]
        assert ws.max_row == len(mine) + 1 and ws.max_column == len(columns)
        for c in ws[1]:
            assert (c.font.b, c.fill.fill_type, c.fill.fgColor.rgb) == (True, "solid", "00ECEFF1")
        for r, cells in zip(mine, ws.iter_rows(min_row=2), strict=True):
            f = r.finding
            values = {"status": r.status, "reason": r.reason, "name": r.name, "name_original": f.name,
                      "agency": r.agency, "unit": r.unit, "period": r.period, "due": r.due,
                      "expected": r.expected, "actual": r.actual if isinstance(r.actual, int | float | date)
                      else None if r.actual is None else r.actual_text,
                      "days_late": f.days_late, "source": r.source, "assumed": r.assumed, "reading": r.reading,
                      "proxy": r.proxy, "doubt": r.doubt, "item": f.item, "plan": f.plan}
            for (key, _), c in zip(columns, cells, strict=True):
                where = f"{ws.title}!{c.coordinate} ({key})"
                data_type = None if c.value is None else c.data_type
                assert (c.value, data_type, c.number_format) == expected_cell(values[key], loc), where
                assert (c.font.b, c.font.i, c.font.name, c.font.sz) == (False, False, "Calibri", 11), where
                if key == "status":
                    assert (c.fill.fill_type, c.fill.fgColor.rgb) == ("solid", "00" + fills[f.status]), where
                else:
                    assert c.fill.fill_type is None, where
                look = (c.alignment.wrap_text, c.alignment.vertical)
                assert look == ((True, "top") if key in wrapped else (None, None)), where
                cells_seen += 1
    return cells_seen


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_excel_findings_of_the_example_through_the_cli(runner, tmp_path, example, lang):
    report, plans = example
    data = cli_report(runner, tmp_path, "xlsx", lang)
    assert check_excel_findings(data, report, plans, lang) >= 17 * len(report.findings)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_excel_findings_of_thousands_of_findings(large, lang):
    report, plans = large
    assert check_excel_findings(publish(report, plans, "xlsx", lang), report, plans, lang) >= \
        17 * len(report.findings)
