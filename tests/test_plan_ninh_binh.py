"""Fidelity checklist for Ninh Bình: Kế hoạch số 126/KH-UBND ngày 04/12/2020.

Source: shared/seeds/004_3ecd5a108e118145.txt, cut after the heading of III.4
("[...]"). Every expected value below is read off the text, with the
Vietnamese phrase quoted next to it; the plan is read through the public API
only (``load_plan`` and ``plancheck plan show`` / ``run``).

How the elements were counted:

* agencies (8): III.1's heading "cấp uỷ và UBND cấp cơ sở" (2); III.2 bullet 1
  "đài Phát thanh và Truyền hình tỉnh, Báo Ninh Bình" (2); III.3 bullet 1
  "Công an xã, phường, thị trấn, Mặt trận Tổ quốc, các tổ chức, đoàn thể và ...
  các nhà trường" (4);
* units (1): the province; II.1 counts 143 communes but names none;
* projects (0): the plan continues one Dự án and names no lead for it;
* rules (1): II.1's focus "các địa phương có trên 20 người nghiện, địa bàn có
  các điểm, tụ điểm phức tạp về ma túy";
* targets (3): II.1 "143/143 xã phường, thị trấn" (1); I.2 "giảm số xã, phường,
  thị trấn có tệ nạn ma túy và giảm mức độ phức tạp của xã, phường, thị trấn
  trọng điểm về ma túy" (2);
* tasks (16): one per duty, a bullet or a ';'-clause of a bullet: III.1 6
  (bullet 1 two: kiện toàn Ban Chỉ đạo / quán triệt; bullets 2 and 3; bullet 4
  two: kiểm tra, giám sát / bình xét thi đua), III.2 6 (bullets 1, 2, 4, 5;
  bullet 3 two: cuộc thi / đợt cao điểm), III.3 2, III.4 2 (its heading's two
  clauses, the only text left of it);
* obligations (0): the surviving text sets no report, recipient or date.
"""

from __future__ import annotations

import json
import unicodedata
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancheck.cli import cli
from plancheck.plans.planfile import load_plan

PLAN_PATH = files("plancheck_ninh_binh") / "plan.toml"
EXAMPLE_PATH = files("plancheck_ninh_binh") / "example" / "observations.csv"
SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "004_3ecd5a108e118145.txt"
PLAN_ID = "ninh_binh-2021-2025-xa-khong-te-nan-ma-tuy"


@pytest.fixture(scope="module")
def plan():
    return load_plan(str(PLAN_PATH))


@pytest.fixture(scope="module")
def shown():
    res = CliRunner().invoke(cli, ["plan", "show", "--province", "ninh_binh", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["province"] == "ninh_binh"
    assert len(data["plans"]) == 1
    return data["plans"][0]


def by_id(items, id_):
    return next(x for x in items if x["id"] == id_)


def test_counts(plan):
    assert len(plan.agencies) == 8
    assert [u.level for u in plan.units] == ["province"]
    assert len(plan.measures) == 4
    assert len(plan.projects) == 0
    assert len(plan.rules) == 0
    assert len(plan.targets) == 3
    assert len(plan.tasks) == 16
    assert len(plan.obligations) == 0
    # tasks per clause: III.1 6, III.2 6, III.3 2, III.4 2
    per_clause = {c: sum(1 for t in plan.tasks if t.source == c) for c in ("III.1", "III.2", "III.3", "III.4")}
    assert per_clause == {"III.1": 6, "III.2": 6, "III.3": 2, "III.4": 2}


def test_header(shown):
    # "Số: 126/KH-UBND"; "Ninh Bình, ngày 04 tháng 12 năm 2020"; "Người ký Tống Quang Thìn"
    assert shown["document"] == "Kế hoạch số 126/KH-UBND"
    assert shown["signed"] == "2020-12-04"
    assert shown["signer"] == "Tống Quang Thìn"
    assert shown["issuer"] == "Ủy ban nhân dân tỉnh Ninh Bình"
    # II.2 "Thời gian thực hiện: từ năm 2021 đến hết năm 2025"
    assert shown["period"] == {"start": "2021-01-01", "end": "2025-12-31"}
    # "KẾ HOẠCH TIẾP TỤC THỰC HIỆN DỰ ÁN “XÂY DỰNG XÃ, PHƯỜNG, THỊ TRẤN KHÔNG CÓ TỆ NẠN MA TÚY”"
    assert "“Xây dựng xã, phường, thị trấn không có tệ nạn ma túy”" in shown["title"]
    assert shown["source_kind"] == "plan"
    assert shown["source_file"] == "004_3ecd5a108e118145.txt"


def test_incomplete_is_said(shown):
    # the text ends "4. Rà soát, thống kê, phân loại ... và lập hồ sơ quản lý\n\n[...]"
    assert "III.4" in shown["incomplete"]
    assert "[...]" in shown["incomplete"]
    assert "reporting" in shown["incomplete"]
    # no reporting duty is invented, and the note says why
    assert shown["obligations"] == []
    assert "No reporting obligation" in shown["note"]


def test_nothing_cited_past_the_cut(plan):
    # the text stops inside III.4: no element may cite III.5, IV, V ...
    allowed = {"preamble", "I.1", "I.2", "I.3", "II.1", "II.2", "III.1", "III.2", "III.3", "III.4"}
    elements = [*plan.agencies, *plan.units, *plan.measures, *plan.rules, *plan.targets, *plan.tasks]
    for el in elements:
        cited = {c.strip() for c in el.source.split(",")}
        assert cited <= allowed, (el.id, el.source)


def test_agencies_as_named(plan):
    names = {a.id: (a.name, a.level) for a in plan.agencies}
    # III.1 "cấp uỷ và UBND cấp cơ sở"
    assert names["cap_uy_co_so"] == ("Cấp uỷ cấp cơ sở", "commune")
    assert names["ubnd_cap_co_so"] == ("UBND cấp cơ sở", "commune")
    # III.2 "đài Phát thanh và Truyền hình tỉnh, Báo Ninh Bình"
    assert names["dai_ptth_tinh"] == ("Đài Phát thanh và Truyền hình tỉnh", "province")
    assert names["bao_ninh_binh"] == ("Báo Ninh Bình", "province")
    # III.3 "trong lực lượng Công an xã, phường, thị trấn, Mặt trận Tổ quốc"
    assert names["cong_an_cap_xa"] == ("Công an xã, phường, thị trấn", "commune")
    assert names["mttq"] == ("Mặt trận Tổ quốc", "commune")


def test_scope_143_of_143(shown):
    t = by_id(shown["targets"], "scope_143_of_143")
    # II.1 "kế hoạch được thực hiện tại 143/143 xã phường, thị trấn của tỉnh"
    assert "143/143" in t["name"] and "143/143" in t["quote"]
    assert (t["kind"], t["numerator"], t["denominator"], t["comparator"], t["threshold"]) == (
        "ratio", "communes_implementing", "communes_total", ">=", 100.0)
    assert t["source"] == "II.1"
    assert t["assumed"]  # a scope statement read as a target: said so
    assert [p["due"] for p in t["periods"]] == [
        "2021-12-31", "2022-12-31", "2023-12-31", "2024-12-31", "2025-12-31"]
    assert "143" in by_id(shown["units"], "ninh_binh")["note"]


def test_focus_of_II_1_is_not_a_rule_nothing_uses(plan):
    # "tập trung tại các địa phương có trên 20 người nghiện, địa bàn có các điểm, tụ điểm phức tạp":
    # it classifies communes, the plan names none, so no target could use the rule: not encoded, said
    assert plan.rules == ()
    assert "tập trung tại các địa phương có trên 20 người nghiện" in plan.note


def test_targets_of_I_2(shown):
    # "mục tiêu giảm số xã, phường, thị trấn có tệ nạn ma túy"
    t = by_id(shown["targets"], "fewer_communes_with_drug_problems")
    assert (t["kind"], t["measure"], t["comparator"], t["threshold"], t["recurrence"]) == (
        "change", "communes_with_drug_problems", "<", 0.0, "annual")
    assert t["source"] == "I.2"
    assert [p["period"] for p in t["periods"]] == ["2021", "2022", "2023", "2024", "2025"]
    # "giảm mức độ phức tạp của xã, phường, thị trấn trọng điểm về ma túy"
    t = by_id(shown["targets"], "less_complex_key_communes")
    assert (t["kind"], t["measure"], t["comparator"], t["threshold"]) == ("change", "key_communes", "<", 0.0)
    assert "mức độ phức tạp" in t["proxy"]  # not the plan's indicator: a proxy, with its reason
    assert t["importance"] == "low"
    # none of the three names an answerable agency
    assert all(t["agency"] is None for t in shown["targets"])


def test_tasks(shown):
    tasks = {t["id"]: t for t in shown["tasks"]}
    # the plan sets no deadline anywhere in I-III.4: each measure of III is judged once a year, on
    # the evidence given that year ("Thường xuyên" duties and the rest alike), and says so
    assert all(t["deadline"] is None and t["recurrence"] == "annual" for t in tasks.values())
    assert [p["period"] for p in tasks["staff_training"]["periods"]] == ["2021", "2022", "2023", "2024", "2025"]
    assert all("no date" in t["assumed"] or "without a frequency" in t["assumed"] for t in tasks.values())
    # "định kỳ có bình xét": periodic, not continuous; the others are standing duties
    assert not tasks["periodic_emulation_review"]["continuous"]
    assert all(t["continuous"] for k, t in tasks.items() if k != "periodic_emulation_review")
    # III.2 "Mở các đợt cao điểm phát hiện tố giác tội phạm ma túy"
    assert tasks["peak_campaigns"]["name"] == "Mở các đợt cao điểm phát hiện tố giác tội phạm ma túy"
    # III.1 "định kỳ có bình xét làm căn cứ để phân loại thi đua"
    assert tasks["periodic_emulation_review"]["name"] == "Định kỳ có bình xét làm căn cứ để phân loại thi đua"
    # III.2 "Phát huy vai trò của các cơ quan thông tin đại chúng như đài Phát thanh và Truyền hình tỉnh, Báo Ninh Bình"
    assert tasks["mass_media"]["agencies"] == ["dai_ptth_tinh", "bao_ninh_binh"]
    # III.3 "... trong lực lượng Công an xã, phường, thị trấn, Mặt trận Tổ quốc, các tổ chức, đoàn thể
    #        và trong các nhà trường"
    assert tasks["speaker_teams"]["agencies"] == [
        "cong_an_cap_xa", "mttq", "to_chuc_doan_the", "nha_truong"]
    # III.1 "sự lãnh đạo, chỉ đạo của cấp uỷ và UBND cấp cơ sở"
    assert tasks["strengthen_steering_committees"]["agencies"] == ["cap_uy_co_so", "ubnd_cap_co_so"]
    # III.4 "Rà soát, thống kê, phân loại tình trạng tệ nạn ma túy tại xã, phường, thị trấn; phân loại
    #        người nghiện ma túy và lập hồ sơ quản lý" — only the heading survives
    assert tasks["classify_addicts_records"]["name"] == "Phân loại người nghiện ma túy và lập hồ sơ quản lý"
    assert "[...]" in tasks["review_classify_communes"]["note"]
    # every agency not named by the clause itself is an assumption, said in one sentence
    assert all(t["agency_assumed"] for t in tasks.values())


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).lower().split())


def test_names_are_written_as_in_the_text(plan):
    if not SEED.exists():
        pytest.skip(f"source text not available: {SEED}")
    text = _norm(SEED.read_text(encoding="utf-8"))
    # every task, rule and the II.1/I.2 targets carry the plan's own words
    for el in [*plan.tasks, *plan.rules]:
        assert _norm(el.name) in text, el.id
    for t in plan.targets:
        assert _norm(t.quote) in text, t.id
    for a in plan.agencies:
        if a.id not in ("cap_uy_co_so", "ubnd_cap_co_so"):  # "cấp uỷ và UBND cấp cơ sở", split in two
            assert _norm(a.name) in text, a.id


def test_example_report():
    res = CliRunner().invoke(cli, ["run", "--province", "ninh_binh", "--example", "--as-of", "2026-01-31",
                                   "--format", "json"])
    assert res.exit_code == 1, res.output  # the illustrative data has targets not met
    out = json.loads(res.stdout)
    assert any("INCOMPLETE" in n and "III.4" in n for n in out["notices"])
    f = {(x["item"], x["agency"], x["period"]): x for x in out["findings"]}
    # 2023: 55 communes with drug problems against 54 in 2022 — not reduced
    x = f[("fewer_communes_with_drug_problems", "", "2023")]
    assert (x["status"], x["reason"], x["actual"]) == ("not_met", "not_decreased", 1)
    # 2023: 141 of 143 communes carrying out the plan
    x = f[("scope_143_of_143", "", "2023")]
    assert (x["status"], x["actual"]) == ("not_met", 98.6)
    # 2025 left blank in the example
    assert f[("less_complex_key_communes", "", "2025")]["status"] == "no_data"
    # a standing duty is met by evidence dated in the year, missing once the year is over without any
    assert f[("mass_media", "bao_ninh_binh", "2025")]["status"] == "met"
    missing = [x for x in out["findings"] if x["kind"] == "task" and x["reason"] == "missing"]
    assert missing and all(x["due"] == f"{x['period']}-12-31" for x in missing)
    assert not [x for x in out["findings"] if x["kind"] == "task" and x["reason"] == "no_deadline"]
    assert not [x for x in out["findings"] if x["kind"] == "obligation"]
