"""The language a person reads: chosen as documented, and the catalogs complete and current."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from conftest import ROOT
from plancheck import language


def _catalogs():
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "scripts" / "catalogs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("explicit,env,expected", [
    ("en", {"PLANCHECK_LANG": "vi", "LANG": "vi_VN.UTF-8"}, "en"),       # --lang first
    (None, {"PLANCHECK_LANG": "vi", "LANG": "en_US.UTF-8"}, "vi"),       # then PLANCHECK_LANG
    (None, {"PLANCHECK_LANG": "vi_VN"}, "vi"),
    (None, {"LANG": "vi_VN.UTF-8"}, "vi"),                               # then the locale
    (None, {"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}, "vi"),
    (None, {"LC_ALL": "C.UTF-8", "LANG": "vi_VN.UTF-8"}, "en"),           # LC_ALL overrides LANG
    (None, {"LANG": "fr_FR.UTF-8"}, "en"),                               # else English
    (None, {}, "en"),
])
def test_the_language_is_chosen_as_documented(explicit, env, expected):
    assert language.choose(explicit, env) == expected


def test_a_block_in_another_language_returns_to_the_first():
    with language.using("vi"):
        assert language.current() == "vi"
        with language.using("en"):
            assert language.current() == "en"
        assert language.current() == "vi"


def test_numbers_as_each_language_writes_them():
    assert language.number(1234.5, lang="vi") == "1.234,5"
    assert language.number(1234.5, lang="en") == "1,234.5"
    assert language.percent(32.857, 1, lang="vi") == "32,9%"
    assert language.number(-0.0001, lang="vi") == "0"


def test_catalogs_are_complete_and_compiled():
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalogs.py"), "check"], capture_output=True,
                         text=True)
    assert res.returncode == 0, res.stderr


def test_the_check_finds_a_missing_and_a_stale_message(monkeypatch):
    catalogs = _catalogs()
    real = catalogs.extract()
    extra = real.__class__(project="plancheck", charset="utf-8", fuzzy=False)
    for message in real:
        if message.id:
            extra.add(message.id, None, message.locations, context=message.context)
    extra.add("A message nobody translated", None, [("core/x.py", 1)])
    monkeypatch.setattr(catalogs, "extract", lambda: extra)
    found = catalogs.problems()
    assert any("missing 'A message nobody translated'" in line for line in found)
    if len(real):
        first = next(m for m in real if m.id)
        fewer = real.__class__(project="plancheck", charset="utf-8", fuzzy=False)
        for message in real:
            if message.id and message.id != first.id:
                fewer.add(message.id, None, message.locations, context=message.context)
        monkeypatch.setattr(catalogs, "extract", lambda: fewer)
        assert any("stale" in line for line in catalogs.problems())


def test_a_translation_must_keep_its_fields(tmp_path, monkeypatch):
    catalogs = _catalogs()
    assert catalogs._fields("Row {row}: {value!r} is not a date") == {"row", "value"}
    assert catalogs._fields("Dòng {row}: không phải ngày") == {"row"}


def test_report_labels_are_the_catalogs_messages():
    """publish.labels looks its words up in the gettext catalog: the .po entry with the key as context."""
    from babel.messages.pofile import read_po

    from plancheck.publish.labels import EN, VI, Locale

    with (ROOT / "core" / "locale" / "vi" / "LC_MESSAGES" / "plancheck.po").open("rb") as fh:
        catalog = read_po(fh, locale="vi")
    by_context = {m.context: m for m in catalog if m.context}
    assert VI.keys() == EN.keys() and len(VI) > 200
    for key in ("status.met", "reason.late", "cmp.unranked.no_national_indicator", "period.quarter1"):
        entry = by_context[key]
        assert (entry.id, entry.string) == (EN[key], VI[key]), key
    assert Locale("vi").period("2024Q1") == "Quý I/2024" and Locale("en").period("2024Q1") == "Q1 2024"
    assert Locale("vi").day(__import__("datetime").date(2024, 3, 12)) == "12/03/2024"


def test_a_lazy_message_is_translated_when_shown():
    text = language.lazy("Show this message and exit.")
    with language.using("vi"):
        assert str(text) == "Hiện hướng dẫn này rồi thoát." and f"{text}" == "Hiện hướng dẫn này rồi thoát."
    with language.using("en"):
        assert str(text) == "Show this message and exit."
    assert text.startswith("Show")  # what the code holds is the English message id


def test_a_problems_words_follow_the_language():
    from plancheck.errors import Problem

    with language.using("vi"):
        vi = Problem.of("f.xlsx", "percent_sign", sheet="form", cell="K12", row=12, column="value",
                        heading="Giá trị", value="12,5%", number="12,5")
    with language.using("en"):
        en = Problem.of("f.xlsx", "percent_sign", sheet="form", cell="K12", row=12, column="value",
                        heading="Value", value="12,5%", number="12,5")
        assert str(en) == ("f.xlsx, sheet “form”, cell K12 (column “Value”): '12,5%': a number with a % sign; "
                           "remove the % sign: write 12,5")
    with language.using("vi"):
        assert str(vi) == ("f.xlsx, trang tính “form”, ô K12 (cột “Giá trị”): '12,5%': số có dấu %. Cách sửa: "
                           "bỏ dấu %: ghi 12,5")
    assert vi.to_json()["fix"] == "bỏ dấu %: ghi 12,5" and en.to_json()["cell"] == "K12"


def test_the_comparison_s_rules_are_translated_word_for_word():
    """The rules judge.compare states in English are catalog labels with the same English, so a reworded rule
    is caught here (and would otherwise be shown as written, in English, to a Vietnamese reader)."""
    from plancheck.judge.compare import GROUPING_RULE, RANKING_RULE, ROADMAP_RULE
    from plancheck.publish.dashboard import rule_words
    from plancheck.publish.labels import EN, Locale

    vi = Locale("vi")
    for key, rule in (("cmp.ranking_rule", RANKING_RULE), ("cmp.grouping_rule", GROUPING_RULE),
                      ("cmp.roadmap_rule", ROADMAP_RULE)):
        assert EN[key] == rule and rule_words(rule, Locale("en")) == rule
        assert rule_words(rule, vi) == vi.t(key) != rule, key
    assert rule_words("compared on the years every compared plan covers: 2024", vi).startswith("so sánh trên các năm")
    assert rule_words("a rule nobody wrote yet", vi) == "a rule nobody wrote yet"


def test_report_marks_are_catalog_labels():
    from plancheck.publish.content import mark_label
    from plancheck.publish.labels import Locale

    assert [mark_label(Locale("vi"), k) for k in ("reading", "proxy", "assumed", "doubt")] == [
        "cách hiểu văn bản", "chỉ số thay thế", "giả định", "nghi vấn"]
    assert mark_label(Locale("en"), "reading") == "reading of the text"


def test_a_command_s_lang_holds_for_click_s_own_words_too(monkeypatch):
    """click shows a command's error ("Error:", "Usage:") once the command's context is closed: with
    ``--lang vi`` those words are Vietnamese too, and the language ends with the command."""
    from click.testing import CliRunner

    from plancheck.cli import cli

    runner = CliRunner()
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "xyz", "--lang", "vi"])
    assert res.exit_code == 2
    assert res.stderr.startswith("Cách dùng: ") and "Lỗi: Giá trị không hợp lệ cho --as-of" in res.stderr
    res = runner.invoke(cli, ["--lang", "vi", "run", "--province", "hung_yen", "--as-of", "xyz"])
    assert "Lỗi: Giá trị không hợp lệ cho --as-of" in res.stderr
    assert language.current() == "en"  # nothing of the command's language is left behind
    monkeypatch.setenv("PLANCHECK_LANG", "vi")
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "xyz", "--lang", "en"])
    assert "Error: Invalid value for --as-of" in res.stderr
