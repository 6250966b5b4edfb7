"""Auditor's features through the CLI, with data from the Hưng Yên plan's own text."""

from __future__ import annotations

import csv
import io
import json

import pytest

from plancheck.cli import cli

HY = "hung_yen-2024-xa-khong-ma-tuy"


def form(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["province", "plan", "item", "kind", "agency", "unit", "period", "value", "date"])
    for r in rows:
        w.writerow(["hung_yen", HY, *r])
    return buf.getvalue()


@pytest.fixture
def late_reports(runner, tmp_path):
    # V.2 "Báo cáo Quý I trong ngày 12/3/2024": Ân Thi district sends it on 15/3 (3 days late);
    # III.1.3 "ban hành văn bản chỉ đạo trong tháng 2/2024": Kim Động issues it on 05/3/2024.
    f = tmp_path / "reports.csv"
    f.write_text(form([
        ["periodic_reports_districts", "obligation", "ubnd_cap_huyen", "an_thi", "2024Q1", "", "2024-03-15"],
        ["kim_dong_directive", "task", "ubnd_kim_dong", "", "2024", "", "2024-03-05"],
    ]), encoding="utf-8")
    assert runner.invoke(cli, ["ingest", str(f)]).exit_code == 0
    return f


def run_json(runner, *args):
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "2024-03-20", "--format", "json", *args])
    return res, json.loads(res.stdout) if res.stdout.strip().startswith("{") else None


def finding(doc, item, **kw):
    return next(f for f in doc["findings"] if f["item"] == item and all(f[k] == v for k, v in kw.items()))


def test_importance_and_fail_on(runner, tmp_path, late_reports):
    # As of 20/03/2024 the only not-met items are the two late ones above, plus Q1 reports
    # nobody else sent: obligations default to medium importance, tasks to medium.
    res, doc = run_json(runner)
    assert res.exit_code == 1
    assert finding(doc, "kim_dong_directive")["importance"] == "medium"
    res, doc = run_json(runner, "--fail-on", "high")
    assert res.exit_code == 0  # nothing high is not met yet: targets fall due on 31/12/2024
    res, _ = run_json(runner, "--fail-on", "medium")
    assert res.exit_code == 1


def write_waivers(tmp_path, text, suffix=".toml"):
    p = tmp_path / f"waivers{suffix}"
    p.write_text(text, encoding="utf-8")
    return p


def test_extension_covers_the_late_directive(runner, tmp_path, late_reports):
    w = write_waivers(tmp_path, '''
[[waivers]]
item = "kim_dong_directive"
agency = "ubnd_kim_dong"
new_due = 2024-03-10
justification = "Chờ hướng dẫn tiêu chí của Công an tỉnh (III.1.2)"
approved_by = "Phó Chủ tịch UBND tỉnh"
document = "Công văn số 123/UBND-NC ngày 20/02/2024"
expires = 2024-12-31
''')
    res, doc = run_json(runner, "--waivers", str(w))
    f = finding(doc, "kim_dong_directive")
    assert (f["status"], f["reason"], f["days_late"], f["waived"]) == ("not_met", "late", 5, True)
    assert f["waiver"]["document"] == "Công văn số 123/UBND-NC ngày 20/02/2024"
    assert f["waiver"]["note"] == "due date extended to 2024-03-10"
    assert doc["summary"]["waived"] == 1
    explained = runner.invoke(cli, ["explain", "--province", "hung_yen", "kim_dong_directive", "--as-of",
                                    "2024-03-20", "--waivers", str(w), "--lang", "en"])
    assert "Waiver: due date extended to 2024-03-10 — Chờ hướng dẫn" in explained.stdout
    assert "Comparison: done 2024-03-05, due 2024-02-29: 5 days late" in explained.stdout


def test_extension_that_is_missed_and_expired_waiver(runner, tmp_path, late_reports):
    w = write_waivers(tmp_path, '''
[[waivers]]
item = "kim_dong_directive"
new_due = 2024-03-01
justification = "Gia hạn"
approved_by = "UBND tỉnh"
document = "CV 1"

[[waivers]]
item = "periodic_reports_districts"
unit = "an_thi"
exempt = true
justification = "Miễn báo cáo quý I"
approved_by = "Công an tỉnh"
document = "CV 2"
expires = 2024-03-18
''')
    res, doc = run_json(runner, "--waivers", str(w))
    f = finding(doc, "kim_dong_directive")
    assert f["waived"] is False and "not met even by the extended date" in f["waiver"]["note"]
    y = finding(doc, "periodic_reports_districts", unit="an_thi", period="2024Q1")
    assert y["waived"] is False and y["waiver"]["expired"] is True
    assert "waiver for periodic_reports_districts expired on 2024-03-18" in doc["notices"]


def test_bad_waivers_are_input_errors(runner, tmp_path):
    w = write_waivers(tmp_path, '''
[[waivers]]
item = "no_such_item"
exempt = true
justification = ""
approved_by = "UBND tỉnh"
document = "CV 1"
''')
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--waivers", str(w)])
    assert res.exit_code == 2
    assert f"{w}: unknown item 'no_such_item' @ $.waivers[0].item" in res.stderr
    assert f"{w}: a waiver needs justification @ $.waivers[0].justification" in res.stderr
    c = write_waivers(tmp_path, "item,exempt,justification,approved_by,document\n"
                                "issue_criteria,true,Đã có văn bản khác,,CV 9\n", suffix=".csv")
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--waivers", str(c)])
    assert res.exit_code == 2 and f"{c}: a waiver needs approved_by @ row 2.approved_by" in res.stderr


def test_consistency_violation_is_a_finding_and_casts_doubt(runner, tmp_path):
    # Nhân La reports more addicts present than addicts: II.1.1 data that cannot both be true.
    f = tmp_path / "bad.csv"
    f.write_text(form([
        ["addicts", "measure", "", "kim_dong.nhan_la", "2024", "2", ""],
        ["addicts_present", "measure", "", "kim_dong.nhan_la", "2024", "3", ""],
    ]), encoding="utf-8")
    assert runner.invoke(cli, ["ingest", str(f)]).exit_code == 0
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "2025-01-10", "--format", "json"])
    doc = json.loads(res.stdout)
    [v] = [x for x in doc["findings"] if x["kind"] == "consistency"]
    assert (v["item"], v["unit"], v["status"], v["reason"]) == (
        "present_within_addicts", "kim_dong.nhan_la", "not_met", "inconsistent")
    assert v["computation"] == "addicts_present = 3, addicts = 2"
    keep = finding(doc, "keep_22_drug_free", unit="kim_dong.nhan_la")
    assert keep["doubt"] == "computed from data that fail present_within_addicts"


def test_evidence_and_explain_of_the_53_of_161_target(runner):
    res = runner.invoke(cli, ["explain", "--province", "hung_yen", "drug_free_53_of_161", "--example",
                              "--as-of", "2025-01-31", "--lang", "vi"])
    assert res.exit_code == 0
    assert "Căn cứ: I.2" in res.stdout
    assert "Phép so sánh: 44 trên 53 đơn vị đạt drug_free = 27.3% của 161; 44 ≥ 53: không" in res.stdout
    assert "observations.csv, dòng" in res.stdout
    unknown = runner.invoke(cli, ["explain", "--province", "hung_yen", "nope", "--example"])
    assert unknown.exit_code == 2 and "no item 'nope'" in unknown.stderr


def test_rollups_per_agency_and_unit(runner, late_reports):
    res, doc = run_json(runner)
    an_thi = next(u for u in doc["rollups"]["units"] if u["unit"] == "an_thi")
    # one Q1 report expected by 20/03/2024, received 3 days late
    assert (an_thi["expected_reports"], an_thi["received"], an_thi["on_time"], an_thi["late"]) == (1, 1, 0, 1)
    assert an_thi["on_time_rate"] == 0.0 and an_thi["received_rate"] == 1.0
    # V.1-V.2: the provincial departments, agencies and mass organisations owe one Q1 report together
    depts = next(a for a in doc["rollups"]["agencies"] if a["agency"] == "so_ban_nganh_doan_the")
    assert (depts["expected_reports"], depts["missing"]) == (1, 1)
    # the ten district-level committees owe one each; Ân Thi sent its own late
    districts = next(a for a in doc["rollups"]["agencies"] if a["agency"] == "ubnd_cap_huyen")
    assert (districts["expected_reports"], districts["late"], districts["missing"]) == (10, 1, 9)


def test_save_and_diff(runner, tmp_path, late_reports):
    first = runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "2024-03-20", "--save",
                                "--format", "json"])
    run_a = json.loads(first.stdout)["run_id"]
    f = tmp_path / "more.csv"
    f.write_text(form([["periodic_reports", "obligation", "so_ban_nganh_doan_the", "", "2024Q1", "",
                        "2024-03-19"]]),
                 encoding="utf-8")
    assert runner.invoke(cli, ["ingest", str(f)]).exit_code == 0
    second = runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "2024-04-02", "--save",
                                 "--format", "json"])
    run_b = json.loads(second.stdout)["run_id"]
    res = runner.invoke(cli, ["diff", str(run_a), str(run_b), "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    # The provincial bodies' Q1 report: missing before, received late (7 days) now — still not met, now late.
    # Tasks due 31/03/2024 (III.1.2, III.3.1, III.4.2, III.8) became missing: newly not met.
    assert {r["item"] for r in d["newly_not_met"]} == {"issue_criteria", "review_users_list", "review_plan",
                                                       "kim_dong_review"}
    late = [r for r in d["changed"] if r["item"] == "periodic_reports" and r["agency"] == "so_ban_nganh_doan_the"]
    assert late and late[0]["before"] == "not_met (missing)" and late[0]["after"] == "not_met (late)"
    assert d["plan_changed"] is False
    text = runner.invoke(cli, ["diff", "--province", "hung_yen", "--since", "LAST", "--as-of", "2024-04-02"])
    assert "newly not met: 0" in text.stdout
