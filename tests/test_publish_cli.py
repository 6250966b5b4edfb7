"""``plancheck run --format html|xlsx|csv|docx --lang vi|en -o FILE`` writes what :func:`publish` makes."""

from __future__ import annotations

import io

import pytest
from test_publish_content import hung_yen_report

from plancheck.cli import cli
from plancheck.publish import FORMATS, publish


def _content(fmt: str, data: bytes) -> object:
    """What a reader sees: bytes for text formats; cell values or paragraph texts for the zipped ones
    (their files carry the time they were written)."""
    if fmt in ("html", "csv"):
        return data
    if fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data))
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}
    from docx import Document

    doc = Document(io.BytesIO(data))
    return ([p.text for p in doc.paragraphs],
            [[c.text for c in r.cells] for t in doc.tables for r in t.rows])


@pytest.fixture(scope="module")
def hung_yen():
    return hung_yen_report()


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_run_writes_the_published_report(runner, hung_yen, tmp_path, fmt, lang):
    out = tmp_path / f"report.{fmt}"
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--example", "--as-of", "2025-01-15",
                              "--format", fmt, "--lang", lang, "-o", str(out)])
    assert res.exit_code == 0, res.output  # written: a report file is a product, not a check
    report, plans = hung_yen if lang == "en" else _judged_in(lang)  # a verdict's computation is in the run's words
    assert _content(fmt, out.read_bytes()) == _content(fmt, publish(report, plans, fmt, lang))


def _judged_in(lang: str):
    from plancheck import language

    with language.using(lang):
        return hung_yen_report()


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_a_report_file_fails_the_run_only_when_asked(runner, tmp_path, fmt):
    """`run -o FILE && next-step` goes on; --fail-on brings back the verdict (the example has not-met targets)."""
    base = ["run", "--province", "hung_yen", "--example", "--as-of", "2025-01-15", "--format", fmt,
            "-o", str(tmp_path / f"r.{fmt}")]
    assert runner.invoke(cli, base).exit_code == 0
    assert runner.invoke(cli, [*base, "--fail-on", "low"]).exit_code == 1
    # To stdout the exit code is still the verdict (html has no stdout form: a usage error).
    assert runner.invoke(cli, base[:-2]).exit_code == (2 if fmt == "html" else 1)
