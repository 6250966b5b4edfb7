"""What officials read in a terminal (issue 17, items 1, 5 and 8), through the CLI.

Vietnamese or English everywhere as ``--lang``, ``PLANCHECK_LANG`` or the locale says (help, click's
own words, messages, the run's table, explain, plan show); ``run`` starts with the summary and what
needs action, and narrows to an agency, a unit (and the units under it) or a status in every format;
``history`` gives Vietnam's time and the agency whose form holds each row.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta

import pytest

from plancheck.cli import cli

RUN = ["run", "--province", "hung_yen", "--example", "--as-of", "2025-01-15"]


# -- item 1: the language a person reads -----------------------------------------------------------------

@pytest.mark.parametrize("env", [{"PLANCHECK_LANG": "vi"}, {"LANG": "vi_VN.UTF-8"}, {"LC_ALL": "vi_VN.UTF-8"}])
def test_help_is_vietnamese_for_a_vietnamese_clerk(runner, env):
    res = runner.invoke(cli, ["--help"], env=env)
    assert res.exit_code == 0
    assert "Cách dùng:" in res.output and "Tùy chọn:" in res.output and "Lệnh:" in res.output
    assert "Nhập các biểu mẫu báo cáo đã điền" in res.output  # ingest's help, cut to a line
    assert "Hiện hướng dẫn này rồi thoát." in res.output
    for english in ("Usage:", "Options:", "Show this message", "Read filled reporting forms"):
        assert english not in res.output
    run = runner.invoke(cli, ["run", "--help"], env=env)
    assert "Đánh giá việc thực hiện kế hoạch" in run.output and "[mặc định: low]" in run.output


def test_help_is_english_otherwise_and_lang_wins_over_the_environment(runner):
    en = runner.invoke(cli, ["--help"])
    assert "Usage:" in en.output and "Read filled reporting forms" in en.output and "Cách dùng" not in en.output
    assert "Usage:" in runner.invoke(cli, ["--lang", "en", "--help"], env={"PLANCHECK_LANG": "vi"}).output
    assert "Cách dùng:" in runner.invoke(cli, ["run", "--lang", "vi", "--help"]).output


def test_clicks_own_errors_are_in_the_readers_language(runner):
    res = runner.invoke(cli, ["run"], env={"PLANCHECK_LANG": "vi"})
    assert res.exit_code == 2
    assert "Lỗi: Thiếu tùy chọn '--province'." in res.output and "để được hướng dẫn" in res.output
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--format", "pdf"], env={"PLANCHECK_LANG": "vi"})
    assert "Giá trị không hợp lệ cho '--format'" in res.output
    assert "Error: Missing option '--province'." in runner.invoke(cli, ["run"]).output


def test_a_run_explain_and_plan_in_vietnamese_have_no_english_words_of_ours(runner):
    res = runner.invoke(cli, [*RUN, "--lang", "vi"])
    assert res.exit_code == 1
    out = res.stdout
    assert out.startswith("plancheck: Hưng Yên (hung_yen), số liệu tính đến ngày 15/01/2025\n")
    assert "LƯU Ý: SỐ LIỆU MINH HỌA" in out and "Tổng hợp: 228 đạt, 32 không đạt" in out
    head = out.split("CHI TIẾT", 1)[1].splitlines()[1]
    assert head.split()[:3] == ["ĐÁNH", "GIÁ", "LOẠI"]
    for english in ("Summary:", "NEEDS ACTION", "Not met", "days late", "Below target", "NOTE:"):
        assert english not in out, english
    explained = runner.invoke(cli, ["explain", "--province", "hung_yen", "kim_dong_directive", "--example",
                                    "--as-of", "2025-01-15", "--lang", "vi"]).stdout
    assert "Đánh giá: Không đạt (Trễ hạn 5 ngày)" in explained
    assert "Phép so sánh: thực hiện ngày 2024-03-05, hạn 2024-02-29: trễ 5 ngày" in explained
    assert "Yêu cầu: Hạn 29/02/2024" in explained
    shown = runner.invoke(cli, ["plan", "show", "--province", "ninh_binh"], env={"LANG": "vi_VN.UTF-8"}).stdout
    assert "mã kế hoạch: ninh_binh-2021-2025-xa-khong-te-nan-ma-tuy" in shown and "\nNhiệm vụ\n" in shown


def test_ingest_summary_and_messages_in_vietnamese(runner, tmp_path):
    rows = list(csv.DictReader(io.StringIO(runner.invoke(
        cli, ["template", "--province", "hung_yen", "--agency", "ubnd_kim_dong"]).stdout)))
    task = next(r for r in rows if r["item"] == "kim_dong_directive")
    path = tmp_path / "f.csv"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(task))
    w.writeheader()
    w.writerow(task | {"date": "05.03.2024"})
    path.write_text(buf.getvalue(), encoding="utf-8")
    res = runner.invoke(cli, ["ingest", str(path), "--dry-run"], env={"PLANCHECK_LANG": "vi"})
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0].split() == ["TỆP", "MỚI", "CẬP", "NHẬT", "KHÔNG", "ĐỔI", "BỎ", "QUA"]
    assert "chạy thử: chưa lưu gì" in res.stderr


# -- item 5: output people act on ------------------------------------------------------------------------

def test_the_run_starts_with_what_needs_action(runner):
    out = runner.invoke(cli, RUN).stdout
    summary, action, details = (out.index("Summary: "), out.index("NEEDS ACTION"), out.index("DETAILS"))
    assert summary < action < details
    needs = out[action:details]
    # late and missing work grouped by the agency that owes it, with the days and the clause
    assert "Kim Dong District People's Committee (ubnd_kim_dong): 1 not done, 1 done late" in needs
    assert ("Kim Dong district drafts its 2024 implementation plan and issues its directive (2024): 5 days late; "
            "due 2024-02-29 [kim_dong_directive, clause III.1.3]") in needs
    # targets not met with what the plan requires and what was reached
    assert ("53 of 161 communes drug-free by the end of 2024 (32.9%) (Hung Yen province, 2024): required ≥ 53 "
            "of 161 (32.9%)") in needs and "reached 44 (Below target)" in needs
    assert "not met in 7 units:" in needs  # one line for a target missed in several communes
    # the order of the agencies: most to do first
    agencies = re.findall(r"^  (.+?) \((\w+)\): (\d+) not done, (\d+) done late$", needs, re.M)
    counts = [int(a[2]) + int(a[3]) for a in agencies]
    assert counts == sorted(counts, reverse=True) and len(agencies) >= 5


@pytest.mark.parametrize(("args", "check"), [
    (["--agency", "ubnd_kim_dong"], lambda f: f["agency"] == "ubnd_kim_dong"),
    (["--status", "not_met", "--status", "no_data"], lambda f: f["status"] in ("not_met", "no_data")),
    (["--unit", "kim_dong"], lambda f: f["unit"] == "kim_dong" or f["unit"].startswith("kim_dong.")),
])
def test_run_narrows_to_an_agency_a_unit_or_statuses_in_json(runner, args, check):
    whole = json.loads(runner.invoke(cli, [*RUN, "--format", "json"]).stdout)
    res = runner.invoke(cli, [*RUN, "--format", "json", *args])
    doc = json.loads(res.stdout)
    assert doc["findings"] and all(check(f) for f in doc["findings"])
    assert len(doc["findings"]) == sum(1 for f in whole["findings"] if check(f))
    assert doc["summary"]["total"] == len(doc["findings"])
    assert res.exit_code == (1 if any(f["status"] == "not_met" and not f["waived"] for f in doc["findings"]) else 0)
    asked = {"agency": None, "unit": None, "status": []}
    for option, value in zip(args[::2], args[1::2], strict=True):
        key = option.removeprefix("--")
        asked[key] = [*asked[key], value] if key == "status" else value
    assert doc["only"] == asked


def test_a_narrowed_run_exits_by_what_it_shows(runner):
    met_only = runner.invoke(cli, [*RUN, "--status", "met"])
    assert met_only.exit_code == 0 and "NEEDS ACTION: nothing" in met_only.stdout
    assert "Only: status met" in met_only.stdout
    kim_dong = runner.invoke(cli, [*RUN, "--agency", "ubnd_kim_dong"])
    assert kim_dong.exit_code == 1 and "ubnd_cap_xa" not in kim_dong.stdout


def test_a_mistyped_filter_is_refused_with_the_closest_id(runner):
    res = runner.invoke(cli, [*RUN, "--agency", "ubnd_kim_dongg"])
    assert res.exit_code == 2 and "did you mean 'ubnd_kim_dong'" in res.stderr and res.stdout == ""
    res = runner.invoke(cli, [*RUN, "--unit", "kim_dongg"])
    assert res.exit_code == 2 and "--unit: no unit 'kim_dongg'" in res.stderr
    res = runner.invoke(cli, [*RUN, "--agency", "ubnd_kim_dong", "--save"])
    assert res.exit_code == 2 and "--save keeps a whole province's run" in res.stderr


def test_a_report_file_is_narrowed_too(runner, tmp_path):
    out = tmp_path / "kim_dong.csv"
    assert runner.invoke(cli, [*RUN, "--agency", "ubnd_kim_dong", "--format", "csv", "-o", str(out)]).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    whole = json.loads(runner.invoke(cli, [*RUN, "--format", "json"]).stdout)
    assert len(rows) - 1 == sum(1 for f in whole["findings"] if f["agency"] == "ubnd_kim_dong")


# -- item 8: history in Vietnam's time, with the agency --------------------------------------------------

def test_history_in_vietnam_time_with_the_agency_that_fills_the_row(runner, tmp_path):
    rows = list(csv.DictReader(io.StringIO(runner.invoke(
        cli, ["template", "--province", "hung_yen", "--agency", "ubnd_kim_dong"]).stdout)))
    measure = next(r for r in rows if r["item"] == "district_bodies_total")
    assert measure["agency"] == "ubnd_kim_dong"  # the form names who fills the figure
    path = tmp_path / "f.csv"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(measure))
    w.writeheader()
    w.writerow(measure | {"value": "131"})
    path.write_text(buf.getvalue(), encoding="utf-8")
    before = datetime.now().astimezone()
    assert runner.invoke(cli, ["ingest", str(path), "--reporter", "PC04"]).exit_code == 0
    doc = json.loads(runner.invoke(cli, ["history", "--province", "hung_yen", "--item", "district_bodies_total",
                                         "--format", "json"]).stdout)
    [row] = doc
    at = datetime.fromisoformat(row["ingested_at"])
    assert at.utcoffset() == timedelta(hours=7) and abs((at - before).total_seconds()) < 120
    assert row["agency"] == "" and row["form_agency"] == "ubnd_kim_dong" and row["reporter"] == "PC04"
    table = runner.invoke(cli, ["history", "--province", "hung_yen", "--item", "district_bodies_total"],
                          env={"PLANCHECK_LANG": "vi"}).stdout
    assert "THỜI ĐIỂM NHẬP (UTC+7)" in table
    line = table.splitlines()[2]
    assert line.startswith("ubnd_kim_dong") and at.strftime("%Y-%m-%d %H:%M:%S+07:00") in line
