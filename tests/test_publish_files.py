"""The xlsx, CSV and Word reports, read back with openpyxl, the csv module and python-docx."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from test_publish_content import FORMULA, SCRIPT, evil_report, hung_yen_report

from plancheck.publish import publish
from plancheck.publish.labels import EN, VI, Locale

TARGET = "drug_free_53_of_161"


@pytest.fixture(scope="module")
def hung_yen():
    return hung_yen_report()


# -- xlsx ---------------------------------------------------------------------------------

def workbook(report, plans, lang):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(publish(report, plans, "xlsx", lang)))


def cell_of(ws, item, column):
    """The cell in ``column`` (a header) of the row whose item id (second last column) is ``item``."""
    col = [c.value for c in ws[1]].index(column)
    return next(r[col] for r in ws.iter_rows(min_row=2) if r[-2].value == item)


def sheet_rows(ws):
    """The sheet as dicts keyed by the header row."""
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.mark.parametrize(("lang", "sheets"), [
    ("vi", ["Tổng hợp", "Chỉ tiêu", "Nhiệm vụ", "Chế độ báo cáo", "Mức độ đầy đủ báo cáo"]),
    ("en", ["Summary", "Targets", "Tasks", "Reporting obligations", "Reporting completeness"]),
])
def test_xlsx_sheets_headers_and_filters(hung_yen, lang, sheets):
    report, plans = hung_yen
    wb = workbook(report, plans, lang)
    assert wb.sheetnames == sheets
    labels = VI if lang == "vi" else EN
    expected = [labels[f"col.{k}"] for k in ("status", "reason", "name")]
    if lang == "en":
        expected.append(labels["col.name_original"])
    expected += [labels[f"col.{k}"] for k in ("agency", "unit", "period", "due", "expected", "actual",
                                                "days_late", "source", "assumed")]
    # issue 16: what a verdict rests on besides the data, a column each
    expected += (["cách hiểu văn bản", "chỉ số thay thế", "nghi vấn"] if lang == "vi"
                 else ["reading of the text", "proxy", "doubt"])
    expected += [labels[f"col.{k}"] for k in ("item", "plan")]
    for name, kind in zip(sheets[1:4], ("target", "task", "obligation"), strict=True):
        ws = wb[name]
        assert [c.value for c in ws[1]] == expected
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        n = sum(1 for f in report.findings if f.kind == kind)
        assert ws.max_row == n + 1
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(expected)).column_letter}{n + 1}"


def test_xlsx_known_finding_row(hung_yen):
    report, plans = hung_yen
    wb = workbook(report, plans, "vi")
    rows = {r["Mã nội dung"]: r for r in sheet_rows(wb["Chỉ tiêu"])}
    row = rows[TARGET]
    assert row["Đánh giá"] == "Không đạt"
    assert row["Lý do"] == "Thấp hơn chỉ tiêu"
    assert row["Kết quả"] == 44
    assert row["Hạn"] == datetime(2024, 12, 31)  # a real date, not text
    assert row["Yêu cầu"] == "≥ 53/161 (32,9%) xã, phường, thị trấn không có tệ nạn ma túy"
    assert row["Căn cứ (mục KH)"] == "I.2"
    assert row["Địa bàn"] == "Tỉnh Hưng Yên"
    assert row["Kỳ"] == "Năm 2024"
    # not met first
    statuses = [r["Đánh giá"] for r in sheet_rows(wb["Chỉ tiêu"])]
    assert statuses.index("Đạt") > max(i for i, s in enumerate(statuses) if s == "Không đạt")

    due_cell = cell_of(wb["Chỉ tiêu"], TARGET, "Hạn")
    assert due_cell.is_date and due_cell.number_format == "dd/mm/yyyy"

    tasks = {r["Mã nội dung"]: r for r in sheet_rows(wb["Nhiệm vụ"])}
    late = tasks["kim_dong_directive"]  # III.1.3: done 05/03/2024, due end of February
    assert (late["Kết quả"], late["Số ngày trễ"], late["Lý do"]) == (datetime(2024, 3, 5), 5, "Trễ hạn 5 ngày")


def test_xlsx_english(hung_yen):
    report, plans = hung_yen
    wb = workbook(report, plans, "en")
    rows = {r["Item id"]: r for r in sheet_rows(wb["Targets"])}
    row = rows[TARGET]
    assert row["Item"] == "53 of 161 communes drug-free by the end of 2024 (32.9%)"
    assert row["Item (as written, Vietnamese)"].startswith("Đến hết năm 2024 có 53/161 xã")
    assert (row["Status"], row["Actual"], row["Unit"]) == ("Not met", 44, "Hung Yen province")
    due_cell = cell_of(wb["Targets"], TARGET, "Due")
    assert due_cell.is_date and due_cell.number_format == "yyyy-mm-dd"


def test_xlsx_summary_sheet(hung_yen):
    report, plans = hung_yen
    ws = workbook(report, plans, "vi")["Tổng hợp"]
    cells = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r[0] is not None}
    assert cells["Số liệu tính đến ngày"][0] == datetime(2025, 1, 15)
    assert "SỐ LIỆU MINH HỌA: số liệu giả định đi kèm plugin, không phải báo cáo thực tế." in cells
    s = report.summary()
    for key in ("met", "not_met", "pending", "no_data"):
        assert cells[VI[f"status.{key}"]][0] == s[key]
    assert cells["Tổng"][0] == s["total"]
    assert cells["Các sở, ban, ngành, đoàn thể tỉnh"][:4] == (3, 1, 0, 0)  # V.2: on time 3 times, late once
    assert ws["A1"].value == plans[0].title


def test_xlsx_scorecard_sheet(hung_yen):
    """Each agency's reports due, received, on time, late, missing, not yet due and the rates (DHIS2's
    reporting rate), counted again here from the findings; the late and missing ones named."""
    report, plans = hung_yen
    ws = workbook(report, plans, "vi")["Mức độ đầy đủ báo cáo"]
    heads = [c.value for c in ws[4]]
    assert heads[:9] == ["Cơ quan thực hiện", "Phải nộp", "Đã nhận", "Đúng hạn", "Chậm", "Chưa nộp", "Chưa đến hạn",
                         "Tỷ lệ đã nhận", "Tỷ lệ đúng hạn"]
    names = {a.id: a.name for a in plans[0].agencies}
    rows = {r[0].value: r for r in ws.iter_rows(min_row=5)}
    owing = {f.agency for f in report.findings if f.kind == "obligation"}
    assert set(rows) == {names[a] for a in owing}
    for agency in owing:
        due = [f for f in report.findings if f.kind == "obligation" and f.agency == agency and f.due <= report.as_of]
        on_time = sum(f.status == "met" for f in due)
        late = sum(f.reason == "late" for f in due)
        r = rows[names[agency]]
        assert [c.value for c in r[1:6]] == [len(due), on_time + late, on_time, late,
                                              sum(f.reason == "missing" for f in due)]
        assert r[8].value == pytest.approx(round(on_time / len(due), 3)) and r[8].number_format == "0.0%"
    listed = [line for r in rows.values() for line in (r[9].value or "").split("\n") if line]
    assert len(listed) == sum(1 for f in report.findings if f.kind == "obligation" and f.reason in ("late", "missing"))
    assert any(line.endswith("chậm 3 ngày") for line in listed)


def test_xlsx_names_that_look_like_formulas_stay_text():
    report, plans = evil_report()
    wb = workbook(report, plans, "vi")
    for column in ("Nội dung", "Cơ quan thực hiện"):
        c = cell_of(wb["Nhiệm vụ"], "task1", column)
        assert c.value == FORMULA and c.data_type == "s"


# -- csv -----------------------------------------------------------------------------------

def test_csv_is_the_json_findings_with_a_bom(hung_yen):
    report, plans = hung_yen
    raw = publish(report, plans, "csv", "vi")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw == publish(report, plans, "csv", "en")  # data, the same in every language
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(report.findings[0].to_json())
    assert len(rows) == len(report.findings) + 1
    found = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    row = next(r for r in found if r["item"] == TARGET)
    assert (row["status"], row["reason"], row["actual"], row["due"], row["source"]) == (
        "not_met", "below_target", "44", "2024-12-31", "I.2")
    assert row["name"] == next(f.name for f in report.findings if f.item == TARGET)
    assert b"\r\n" in raw
    assert max(len(c) for r in rows for c in r) <= 32767  # what one Excel cell holds


def test_csv_guards_against_formulas():
    report, plans = evil_report()
    text = publish(report, plans, "csv", "vi").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    task = next(r for r in rows if r["item"] == "task1")
    assert task["name"] == "'" + FORMULA
    assert any(r["expected"] == f">= 10 {SCRIPT}" for r in rows)  # nothing else is touched


# -- docx ----------------------------------------------------------------------------------

_DOCX: dict[tuple[str, str], bytes] = {}


def document(report, plans, lang):
    """The Word draft, read back (each report and language is made once: python-docx is slow)."""
    from docx import Document

    key = (report.province, lang)
    if key not in _DOCX:
        _DOCX[key] = publish(report, plans, "docx", lang)
    return Document(io.BytesIO(_DOCX[key]))


def all_runs(doc):
    for p in doc.paragraphs:
        yield from p.runs
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield from p.runs


def lines(cell):
    return [(p.text, p.runs[0] if p.runs else None) for p in cell.paragraphs]


MM = 36000  # EMU per millimetre


def section_of_tables(doc):
    """Each table of the body with the index of the section it is in (python-docx does not say)."""
    from docx.oxml.ns import qn

    out, section = [], 0
    tables = iter(doc.tables)
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:tbl"):
            out.append((next(tables), section))
        elif el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            section += 1  # a paragraph holding a sectPr ends its section
    return out


def border_top(paragraph):
    from docx.oxml.ns import qn

    ppr = paragraph._p.pPr
    top = None if ppr is None else ppr.find(f"{qn('w:pBdr')}/{qn('w:top')}")
    return None if top is None else top.get(qn("w:val"))


def width_cm(paragraph, cell_cm):
    """How long a paragraph is between its indents, in a table cell ``cell_cm`` wide (less Word's padding)."""
    from plancheck.publish.docx_report import CELL_PADDING_CM

    fmt = paragraph.paragraph_format
    return cell_cm - CELL_PADDING_CM - (fmt.left_indent or 0) / 360000 - (fmt.right_indent or 0) / 360000


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_docx_page_and_fonts(hung_yen, lang):
    report, plans = hung_yen
    doc = document(report, plans, lang)
    body, appendix = doc.sections
    assert (round(body.page_width / MM), round(body.page_height / MM)) == (210, 297)
    top, bottom, left, right = (round(m / MM, 1) for m in (body.top_margin, body.bottom_margin, body.left_margin,
                                                            body.right_margin))
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    runs = [r for r in all_runs(doc) if r.text.strip()]
    assert len(runs) > 500
    assert {r.font.name for r in runs} == {"Times New Roman"}
    # Decree 30: 13-14 pt; the national name 12-13 pt
    assert {r.font.size.pt for r in runs} <= {12.0, 13.0, 14.0}
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_docx_page_numbers(hung_yen):
    """Decree 30: page numbers centred at the top, not on the first page; the Appendix numbered on."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    report, plans = hung_yen
    body, appendix = document(report, plans, "vi").sections
    assert body.different_first_page_header_footer
    assert "PAGE" not in body.first_page_header._element.xml
    number = body.header.paragraphs[0]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [t.text.strip() for t in number._p.iter() if t.tag.endswith("}instrText")] == ["PAGE"]
    assert [f.get(next(k for k in f.keys() if k.endswith("fldCharType"))) for f in number._p.iter()
            if f.tag.endswith("}fldChar")] == ["begin", "separate", "end"]
    assert not appendix.different_first_page_header_footer  # the Appendix's first page has its number
    assert "PAGE" in appendix.header._element.xml
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert (round(appendix.page_width / MM), round(appendix.page_height / MM)) == (297, 210)


def test_docx_layout_of_decree_30(hung_yen):
    from plancheck.publish.docx_report import HEADING_CM, text_width_cm

    report, plans = hung_yen
    doc = document(report, plans, "vi")
    heading = doc.tables[0]
    left, right = heading.rows[0].cells
    issuer, rule, number = left.paragraphs
    assert issuer.text == "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN" and issuer.runs[0].bold
    assert number.text.startswith("Số: ") and "/BC-" in number.text
    # the rule line under the issuer: solid, a third to a half of the name's line (here the cell's width:
    # the name takes two lines)
    assert rule.text == "" and border_top(rule) == "single"
    line = min(HEADING_CM[0] - 0.38, text_width_cm(issuer.text, 13, bold=True))
    assert line / 3 <= width_cm(rule, HEADING_CM[0]) <= line / 2
    nation, motto, motto_rule, place = right.paragraphs
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and nation.runs[0].bold
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.runs[0].bold and not motto.runs[0].underline
    # the motto's rule line is as long as the motto
    assert border_top(motto_rule) == "single"
    assert width_cm(motto_rule, HEADING_CM[1]) == pytest.approx(text_width_cm(motto.text, 14, bold=True), abs=0.01)
    # the place name is the plan's province, not dots
    assert place.text == f"{plans[0].province_name}, ngày ...... tháng ...... năm ......" and place.runs[0].italic

    texts = [p.text for p in doc.paragraphs]
    title = texts.index("BÁO CÁO")
    assert doc.paragraphs[title].runs[0].bold
    assert texts[title + 1] == f"Kết quả thực hiện {plans[0].title}"
    assert "(Số liệu tính đến ngày 15/01/2025)" in texts
    assert "SỐ LIỆU MINH HỌA: số liệu giả định đi kèm plugin, không phải báo cáo thực tế." in texts
    order = [texts.index(h) for h in ("I. KẾT QUẢ CHUNG", "II. KẾT QUẢ CỤ THỂ", "1. Các chỉ tiêu",
                                      "2. Các nhiệm vụ", "3. Thực hiện chế độ báo cáo",
                                      "III. ĐỀ XUẤT, KIẾN NGHỊ", "PHỤ LỤC")]
    assert order == sorted(order)
    s = report.summary()
    assert any(f"{s['met']} nội dung đạt, {s['not_met']} nội dung không đạt" in t for t in texts)

    [(signature, section)] = [(t, n) for t, n in section_of_tables(doc)
                            if t.rows[0].cells[0].text.startswith("Nơi nhận:")]
    recipients, signer = signature.rows[0].cells
    assert section == 0  # signed at the end of the report, before the Appendix
    assert recipients.paragraphs[0].runs[0].italic
    assert signer.paragraphs[-1].text == "Họ và tên"


def paragraphs_between(doc, start, end):
    texts = [p.text for p in doc.paragraphs]
    return texts[texts.index(start) + 1:texts.index(end)]


def test_docx_narrative_says_what_was_met_what_was_not_and_who_was_late(hung_yen):
    """Part II is several paragraphs made from the findings: each number below is counted from the report."""
    from plancheck.publish.content import Names

    report, plans = hung_yen
    doc = document(report, plans, "vi")
    story = paragraphs_between(doc, "II. KẾT QUẢ CỤ THỂ", "III. ĐỀ XUẤT, KIẾN NGHỊ")
    assert len([t for t in story if t and not t[0].isdigit()]) >= 8
    text = "\n".join(story)
    targets = [f for f in report.findings if f.kind == "target" and f.status in ("met", "not_met")]
    met = sum(f.status == "met" for f in targets)
    assert f"đã đánh giá {len(targets)} kết quả" in text and f"{met} kết quả đạt, {len(targets) - met} kết quả " \
        "không đạt" in text
    # a target not met, by how much: the plan's threshold less the reported count
    f = next(f for f in report.findings if f.item == TARGET)
    t = Names.of(plans).target(f)
    assert f"kết quả {f.actual:g}, còn thiếu {t.threshold - f.actual:g} so với chỉ tiêu" in text
    # who reported late and who did not report, with the days
    reports = [f for f in report.findings if f.kind == "obligation" and f.due <= report.as_of]
    late = [f for f in reports if f.reason == "late"]
    missing = [f for f in reports if f.reason == "missing"]
    assert late and missing
    sent_late = next(t for t in story if t.startswith("Gửi chậm: "))
    not_sent = next(t for t in story if t.startswith("Chưa gửi: "))
    names = Names.of(plans)
    loc = Locale("vi")
    for f in late:
        assert f"{names.unit(f.plan, f.unit, loc) or names.agency(f.plan, f.agency, loc)} (" in sent_late
        assert f": {f.days_late} ngày)" in sent_late
    for f in missing:
        assert f"{names.unit(f.plan, f.unit, loc) or names.agency(f.plan, f.agency, loc)} (" in not_sent
    assert (f"{len(reports)} báo cáo đã đến hạn; đã nhận {len(reports) - len(missing)} báo cáo" in text)
    # what is pending
    tasks_pending = [f for f in report.findings if f.kind == "task" and not (f.due and f.due <= report.as_of
                                                                              and f.status != "pending")]
    assert f"{len(tasks_pending)} nhiệm vụ chưa đến hạn" in text
    # the proposals name the agencies that owe reports
    proposals = paragraphs_between(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ", "Trên đây là báo cáo kết quả thực hiện kế hoạch./.")
    for agency in {f.agency for f in missing}:
        n = sum(1 for f in missing if f.agency == agency)
        assert f"- Đề nghị {names.agency(plans[0].id, agency, loc)} khẩn trương gửi {n} báo cáo đã quá hạn." \
            in proposals
    assert proposals[-1] == "[Bổ sung, chỉnh sửa các đề xuất, kiến nghị nêu trên.]"


def test_docx_findings_tables_in_a_landscape_appendix(hung_yen):
    from docx.enum.section import WD_ORIENT

    report, plans = hung_yen
    doc = document(report, plans, "vi")
    appendix = doc.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("PHỤ LỤC")
    assert texts[at + 1] == "KẾT QUẢ THỰC HIỆN TỪNG NỘI DUNG CỦA KẾ HOẠCH"
    assert texts[at + 2].startswith("(Kèm theo Báo cáo số") and texts[at + 2].endswith(
        f"của {plans[0].issuer})")
    findings = [(t, n) for t, n in section_of_tables(doc) if t.rows[0].cells[0].text == "TT"]
    assert [n for _, n in findings] == [1, 1, 1]  # targets, tasks, reporting obligations: all in the Appendix
    targets = findings[0][0]
    assert [c.text for c in targets.rows[0].cells] == [
        "TT", "Nội dung", "Cơ quan thực hiện", "Kỳ", "Yêu cầu", "Địa bàn", "Kết quả", "Đánh giá", "Căn cứ (mục KH)"]
    first = [c.text for c in targets.rows[1].cells]  # not met first: the report's first target
    name = next(f.name for f in report.findings if f.item == TARGET)
    verdict = first.pop(7)
    assert first == ["1", name, "Ủy ban nhân dân huyện, thị xã, thành phố", "Năm 2024",
                     "≥ 53/161 (32,9%) xã, phường, thị trấn không có tệ nạn ma túy", "Tỉnh Hưng Yên", "44", "I.2"]
    # issue 16: what the verdict rests on besides the data, numbered, spelt out once after the tables
    assert verdict == "Không đạt\nThấp hơn chỉ tiêu\ngiả định [1]"
    assert any(t.startswith("[1] giả định: Counted over the communes the plan names") for t in texts)
    # every target finding has its row; an item's rows follow one another, what they share in merged cells
    assert len(targets.rows) - 1 == sum(1 for f in report.findings if f.kind == "target")
    keep = next(f for f in report.findings if f.item == "keep_22_drug_free")
    rows = [r for r in targets.rows if r.cells[1].text == keep.name]
    assert len(rows) == sum(1 for f in report.findings if f.item == "keep_22_drug_free") > 1
    assert len({r.cells[1]._tc for r in rows}) == 1  # one cell, merged down the item's rows
    units = [r.cells[5].text for r in rows]
    assert len(set(units)) == len(units)
    verdicts = [r.cells[7].text.split("\n")[0] for r in rows]
    assert verdicts.index("Đạt") > max(i for i, v in enumerate(verdicts) if v == "Không đạt")


def test_docx_issuer_is_the_body_that_reports(runner, tmp_path):
    """run --issuer: the provincial police report (Decree 30's heading: the body's name completed with the
    province); a department is headed by the People's Committee it answers to; an unknown id is refused."""
    from docx import Document

    from plancheck.cli import cli

    args = ["run", "--province", "hung_yen", "--example", "--as-of", "2025-01-15", "--format", "docx", "--lang", "vi"]
    out = tmp_path / "bc.docx"
    res = runner.invoke(cli, [*args, "--issuer", "cong_an_tinh", "-o", str(out)])
    assert res.exit_code == 0, res.output
    doc = Document(str(out))
    assert [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs][0] == "CÔNG AN TỈNH HƯNG YÊN"
    assert any(p.text.endswith("của Công an tỉnh Hưng Yên)") for p in doc.paragraphs)
    res = runner.invoke(cli, [*args, "--issuer", "so_yte", "-o", str(out)])
    assert res.exit_code == 0, res.output
    left = Document(str(out)).tables[0].rows[0].cells[0]
    assert [(p.text, bool(p.runs and p.runs[0].bold)) for p in left.paragraphs][:2] == [
        ("ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN", False), ("SỞ Y TẾ", True)]
    bad = tmp_path / "bad.docx"
    res = runner.invoke(cli, [*args, "--issuer", "cong_an", "-o", str(bad)])
    assert res.exit_code == 2 and "--issuer" in res.stderr and "'cong_an'" in res.stderr
    assert "cong_an_tinh" in res.stderr  # the ids it could be
    assert not bad.exists()


def test_docx_english_draft(hung_yen):
    report, plans = hung_yen
    doc = document(report, plans, "en")
    left, right = doc.tables[0].rows[0].cells
    assert left.paragraphs[0].text == "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN"  # the issuer's name as written
    assert [p.text for p in right.paragraphs][:2] == ["SOCIALIST REPUBLIC OF VIETNAM",
                                                      "Independence - Freedom - Happiness"]
    texts = [p.text for p in doc.paragraphs]
    title = texts.index("REPORT")
    assert texts[title + 1] == f"Results of implementing the {plans[0].title_en}"
    assert "(Data as of 2025-01-15)" in texts
    assert "APPENDIX" in texts
    assert any(t.startswith("Reporting: ") for t in texts)
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    assert any(r[1] == "53 of 161 communes drug-free by the end of 2024 (32.9%)" and r[6] == "44" for r in rows
               if len(r) == 9)


def test_docx_hostile_names_are_text():
    report, plans = evil_report()
    doc = document(report, plans, "vi")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"Kết quả thực hiện Kế hoạch {SCRIPT}" in text
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert FORMULA in cells


def test_formats_are_deterministic(hung_yen):
    report, plans = hung_yen
    for fmt in ("html", "csv"):
        assert publish(report, plans, fmt, "vi") == publish(report, plans, fmt, "vi")
    assert Locale("vi").day(date(2025, 1, 15)) == "15/01/2025"
