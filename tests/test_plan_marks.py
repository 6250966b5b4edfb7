"""Readings, proxies, assumptions and doubts, shown on every finding they qualify, in every format (issue 16 §2).

Vĩnh Long I.1 writes "kiềm chế tỷ lệ gia tăng ... số xã, phường, thị trấn
không có tệ nạn ma túy dưới 1%": the target reads it as the communes *with*
drug problems, and says so; "Tăng cường công tác phối hợp với các tỉnh" has
no indicator, so the count of joint operations is a proxy. Through the
public CLI, on the plugin's example data: the terminal table and its notes,
JSON, explain, the HTML page in Chromium, the Word draft and the Excel
workbook, read back.
"""

from __future__ import annotations

import json
import re

import pytest
from test_publish_html import browser  # noqa: F401  (the module's headless Chromium fixture)

from plancheck.cli import cli

RUN = ["run", "--province", "vinh_long", "--example", "--as-of", "2026-01-01"]
READ = "drug_free_communes_growth_below_1pct"
PROXY = "interprovincial_cooperation_increase"


@pytest.fixture(scope="module")
def doc():
    from click.testing import CliRunner

    res = CliRunner().invoke(cli, [*RUN, "--format", "json"])
    assert res.exit_code == 1, res.output
    return json.loads(res.stdout)


def test_json_carries_the_reading_and_the_proxy_on_every_finding(doc):
    read = [f for f in doc["findings"] if f["item"] == READ]
    assert len(read) == 5  # one a year, 2021-2025
    for f in read:
        assert "the text says “kiềm chế tỷ lệ gia tăng" in f["reading"]
        assert "read as: the number of communes, wards and townships WITH drug problems" in f["reading"]
        assert f["reading"].endswith("[not confirmed]")
        assert f["doubt"].startswith("rests on a reading of unclear text (target " + READ)
        assert f["importance"] == "medium"  # not high while the reading is unconfirmed
    proxies = [f for f in doc["findings"] if f["item"] == PROXY]
    assert proxies and all("states no indicator or figure" in f["proxy"] for f in proxies)
    assert all("judged on a proxy" in f["doubt"] for f in proxies)
    # and nowhere else
    assert {f["item"] for f in doc["findings"] if f["reading"]} == {READ}
    assert {f["item"] for f in doc["findings"] if f["proxy"]} == {PROXY}
    # every target of I.1 says the plan names no accountable body
    i1 = [f for f in doc["findings"] if f["kind"] == "target"]
    assert all("the plan names no accountable body for this target" in f["assumed"] for f in i1)


def test_a_proxy_never_fails_the_run(runner, doc):
    failing_proxies = [f for f in doc["findings"] if f["item"] == PROXY and f["status"] == "not_met"]
    assert failing_proxies, "the example should have a proxy not met"
    # with --fail-on high the medium reading and the low proxy do not fail; with the proxy alone
    # not met, the run passes at any level
    res = runner.invoke(cli, [*RUN, "--format", "json", "--fail-on", "high"])
    assert res.exit_code == 1  # other high targets are not met in the example
    assert not [f for f in json.loads(res.stdout)["findings"]
                if f["proxy"] and f["status"] == "not_met" and f["importance"] == "high"]


def test_the_terminal_table_marks_each_finding_and_spells_the_texts_out(runner):
    res = runner.invoke(cli, RUN)
    lines = res.stdout.splitlines()
    head = next(line for line in lines if line.startswith("STATUS"))
    assert head.rstrip().endswith("RESTS ON")
    rows = [line for line in lines if f" {READ} " in line]
    assert len(rows) == 5 and all("reading" in r and "doubt" in r for r in rows)
    assert all("proxy" in r for r in lines if f" {PROXY} " in r)
    text = res.stdout
    assert "Readings of unclear text:" in text and f"[{READ}] target {READ}: the text says" in text
    assert "Proxies (not the plan's own indicators; never fail a run by default):" in text
    assert f"[{PROXY}] target {PROXY}: I.1 says 'Tăng cường công tác phối hợp" in text


def test_explain_shows_the_reading(runner):
    res = runner.invoke(cli, ["explain", "--province", "vinh_long", READ, "--example", "--as-of", "2026-01-01",
                              "--lang", "en"])
    assert res.exit_code == 0
    assert "  Reading: target drug_free_communes_growth_below_1pct: the text says “kiềm chế" in res.stdout
    assert "  Doubt: rests on a reading of unclear text" in res.stdout
    vi = runner.invoke(cli, ["explain", "--province", "vinh_long", PROXY, "--example", "--as-of", "2026-01-01",
                             "--lang", "vi"])
    assert "  Chỉ số thay thế: target interprovincial_cooperation_increase: I.1 says" in vi.stdout


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_html_page_shows_the_marks_beside_the_clause(runner, browser, tmp_path, lang):  # noqa: F811
    out = tmp_path / f"r.{lang}.html"
    assert runner.invoke(cli, [*RUN, "--format", "html", "--lang", lang, "-o", str(out)]).exit_code == 0
    page = browser.open(out)
    marks = page.js(f"""Array.from(document.querySelectorAll('#findings tbody tr[data-item="{READ}"] td.clause span'))
                       .map(s => [s.className, s.textContent, s.title])""")
    assert len(marks) == 5 * 3  # reading, assumed, doubt on each of the five years
    kinds = {k for k, _, _ in marks}
    assert kinds == {"reading", "assumed", "doubt"}
    reading = next(m for m in marks if m[0] == "reading")
    assert reading[1] == ("(cách hiểu văn bản)" if lang == "vi" else "(reading of the text)")
    assert "không có tệ nạn ma túy dưới 1%" in reading[2]
    proxy = page.js(f"""Array.from(document.querySelectorAll(
                            '#findings tbody tr[data-item="{PROXY}"] td.clause span.proxy')).map(s => s.title)""")
    assert proxy and all("states no indicator or figure" in t for t in proxy)


def test_the_word_draft_prints_the_marks_under_the_verdict(runner, tmp_path):
    from docx import Document

    out = tmp_path / "bao-cao.docx"
    assert runner.invoke(cli, [*RUN, "--format", "docx", "--lang", "vi", "-o", str(out)]).exit_code == 0
    doc = Document(str(out))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    notes = {p.text.split("] ", 1)[1]: p.text.split("]", 1)[0] + "]" for p in doc.paragraphs
             if re.match(r"^\[\d+\] ", p.text)}
    reading = next(n for t, n in notes.items()
                   if t.startswith("cách hiểu văn bản: target drug_free_communes_growth_below_1pct: the text says"))
    proxy = next(n for t, n in notes.items() if t.startswith("chỉ số thay thế: target interprovincial_cooperation"))
    doubt = next(n for t, n in notes.items() if t.startswith("nghi vấn: rests on a reading of unclear text"))
    # each verdict cites its notes by number
    assert sum(f"cách hiểu văn bản {reading}" in c and f"nghi vấn {doubt}" in c for c in cells) == 5
    assert any(f"chỉ số thay thế {proxy}" in c for c in cells)


def test_the_workbook_has_a_column_for_each_mark(runner, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "r.xlsx"
    assert runner.invoke(cli, [*RUN, "--format", "xlsx", "--lang", "en", "-o", str(out)]).exit_code == 0
    wb = load_workbook(out, read_only=True)
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if rows and "reading of the text" in rows[0]:
            head = rows[0]
            break
    else:
        raise AssertionError("no sheet with a reading column")
    col = {name: i for i, name in enumerate(head)}
    item = [r for r in rows[1:] if r[col["Item"] if "Item" in col else -2] == READ] or [
        r for r in rows[1:] if READ in r]
    assert item and all("không có tệ nạn ma túy dưới 1%" in (r[col["reading of the text"]] or "") for r in item)
    assert all(r[col["doubt"]] for r in item)
