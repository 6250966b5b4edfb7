"""Fidelity checklist for Tiền Giang (Kế hoạch số 23/KH-UBND, 22/01/2024), built from the text.

Source: shared/seeds/001_d8a992d4185929be.txt, a news article of 20/02/2024
summarising the plan (a press summary, not the plan). It has no clause
numbers; clauses are cited by heading and paragraph: "Mở đầu ¶n", "Các chỉ
tiêu năm 2024 ¶n", "Các nhiệm vụ trọng tâm, Thứ ba ¶n", "Đoạn cuối".

How the elements were counted:

* agencies (9): bodies given work — Công an tỉnh (Đoạn cuối; "lực lượng Công
  an" in Thứ ba), Bộ Chỉ huy Bộ đội Biên phòng tỉnh (Thứ ba ¶5), the culture
  body (Thứ ba ¶7, by function) and the health body (Thứ tư ¶2, ¶4), the
  collective "các cơ quan, đơn vị, địa phương" (Đoạn cuối); UBND tỉnh (issuer,
  Mở đầu ¶1); the three report recipients (Đoạn cuối): Ủy ban Quốc gia ...,
  Bộ Công an, Tỉnh ủy;
* projects (2): the two Bộ Công an projects named in Thứ nhất ¶1 and Thứ ba ¶1;
* targets (22): Các chỉ tiêu năm 2024 ¶1 five (100% coverage split into
  communes / agencies and units / schools / industrial zones, media items up on
  2023), ¶2 three (users, addicts, people after rehabilitation at 100%), ¶3
  six (+5% detections, no wrongful or missed cases, trafficking share up,
  possession share down, 100% reports processed, over 90% resolved), ¶4 four
  (no use venues at conditional businesses, no open dealing, no production, no
  cultivation); plus Thứ tư ¶2 (100% health stations) and Thứ năm ¶1 three
  (keep drug-free communes, fewer communes with drug problems, fewer key
  communes);
* tasks (23): one per paragraph of the six themes (Thứ nhất 2, Thứ hai 1,
  Thứ ba 7, Thứ tư 4, Thứ năm 1, Thứ sáu 1 = 16) and of Đoạn cuối (1), plus
  splits: Thứ nhất ¶2 reviews (1), Thứ hai ¶1 the June action month and the
  26/6 day (2), Thứ tư ¶2 health stations and commune-police training (2),
  Thứ tư ¶4 methadone (1); 16 + 1 + 6 = 23;
* obligations (1): the police's periodic reports to the three recipients
  "theo đúng quy định" (Đoạn cuối).
"""

from __future__ import annotations

import json
from datetime import date
from importlib.resources import files

import pytest
from click.testing import CliRunner

from plancheck.cli import cli
from plancheck.plans.planfile import load_plan

PLAN_PATH = files("plancheck_tien_giang") / "plan.toml"


@pytest.fixture(scope="module")
def plan():
    return load_plan(str(PLAN_PATH))


@pytest.fixture(scope="module")
def shown():
    res = CliRunner().invoke(cli, ["plan", "show", "--province", "tien_giang", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data["plans"]) == 1
    return data["plans"][0]


def by_id(items, id_):
    matches = [x for x in items if x["id"] == id_]
    assert len(matches) == 1, id_
    return matches[0]


def test_counts(plan):
    # the issuer (UBND tỉnh) is the plan's `issuer`, not an agency: the article gives it no work
    assert len(plan.agencies) == 8
    assert len(plan.projects) == 2
    assert len(plan.targets) == 22
    assert len(plan.tasks) == 23
    assert len(plan.obligations) == 1
    assert plan.rules == ()  # the article states no classification criteria
    # the article names no district or commune: one unit, the province
    assert [(u.id, u.level) for u in plan.units] == [("tien_giang", "province")]
    # only the June activities carry dates: "(tháng 6)", "26/6" năm 2024
    assert sorted(t.id for t in plan.tasks if t.deadline) == ["action_month_june", "international_day_26_6"]


def test_document(plan, shown):
    # "Ngày 22/01/2024, Ủy ban nhân dân (UBND) tỉnh ban hành Kế hoạch số 23/KH-UBND"
    assert plan.document == "Kế hoạch số 23/KH-UBND"
    assert plan.signed == date(2024, 1, 22)
    # "... về thực hiện công tác phòng, chống ma túy năm 2024 trên địa bàn Tiền Giang"
    assert plan.title == "Kế hoạch về thực hiện công tác phòng, chống ma túy năm 2024 trên địa bàn Tiền Giang"
    assert (plan.period.start, plan.period.end) == (date(2024, 1, 1), date(2024, 12, 31))
    # a news article of 20/02/2024, not the plan itself
    assert shown["source_kind"] == "press_summary"
    assert "press summary" in plan.note
    assert plan.incomplete is None  # the article is whole; it is a summary, not a cut text
    assert plan.signer is None  # the article names no signer


def test_agencies_as_named(plan):
    names = {a.id: a.name for a in plan.agencies}
    # "Giao Công an tỉnh - Cơ quan Thường trực phòng, chống ma túy tỉnh"
    assert names["cong_an_tinh"] == "Công an tỉnh - Cơ quan Thường trực phòng, chống ma túy tỉnh"
    # "Bộ Chỉ huy Bộ đội Biên phòng tỉnh phối hợp chặt chẽ với lực lượng Công an"
    assert names["bdbp_tinh"] == "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"
    # "báo cáo Ủy ban Quốc gia phòng, chống AIDS và phòng, chống tệ nạn ma túy, mại dâm, Bộ Công an, Tỉnh ủy"
    assert names["ubqg_phong_chong_aids_ma_tuy_mai_dam"] == (
        "Ủy ban Quốc gia phòng, chống AIDS và phòng, chống tệ nạn ma túy, mại dâm")
    assert names["tinh_uy"] == "Tỉnh ủy"
    levels = {a.id: a.level for a in plan.agencies}
    assert levels["bo_cong_an"] == levels["ubqg_phong_chong_aids_ma_tuy_mai_dam"] == "central"
    # the culture and health bodies are named by function only: their names are assumed
    assumed = {a.id for a in plan.agencies if a.assumed}
    assert assumed == {"so_vhttdl", "so_yte"}


def test_projects(plan):
    projects = {p.id: p for p in plan.projects}
    # Thứ ba ¶1: "chủ trì, phối hợp với các ngành có liên quan thực hiện có hiệu quả các Dự án:
    # "Đấu tranh phòng, chống tội phạm ma túy tại các địa bàn, tuyến trọng điểm"; "Giải quyết điểm,
    # tụ điểm và chuyển hóa địa bàn trọng điểm, phức tạp về ma túy tại xã, phường, thị trấn""
    assert {p.name for p in projects.values()} == {
        "Đấu tranh phòng, chống tội phạm ma túy tại các địa bàn, tuyến trọng điểm",
        "Giải quyết điểm, tụ điểm và chuyển hóa địa bàn trọng điểm, phức tạp về ma túy tại xã, phường, thị trấn",
    }
    # lead: "lực lượng Công an" as the subject of "chủ trì" (assumed); the "ngành có liên quan" are unnamed
    assert all(p.lead == "cong_an_tinh" and p.agency_assumed and p.coordinators == () for p in projects.values())
    assert all(p.parent is None for p in projects.values())


def test_targets_chi_tieu_1_and_2(shown):
    targets = shown["targets"]
    # ¶1 "Có 100% xã, phường, thị trấn, cơ quan, đơn vị, trường học, khu - cụm công nghiệp được tổ chức
    # tuyên truyền" — one target per kind of body, each 100%
    for id_ in ("awareness_communes_100", "awareness_bodies_100", "awareness_schools_100",
                "awareness_industrial_zones_100"):
        t = by_id(targets, id_)
        assert (t["kind"], t["comparator"], t["threshold"], t["scope"]) == ("ratio", ">=", 100.0, "province")
        assert t["periods"] == [{"period": "2024", "due": "2024-12-31"}]
    # ¶1 "Chất lượng, số lượng tin, bài, sản phẩm truyền thông ... tăng so với năm 2023"
    t = by_id(targets, "media_items_increase")
    assert (t["kind"], t["measure"], t["comparator"], t["threshold"]) == ("change", "media_items", ">", 0.0)
    # ¶2 "Có 100% người sử dụng trái phép chất ma túy được lập hồ sơ quản lý"
    t = by_id(targets, "users_records_100")
    assert (t["numerator"], t["denominator"], t["threshold"]) == ("users_with_records", "users", 100.0)
    # ¶2 "100% người nghiện ma túy được lập hồ sơ quản lý"
    assert by_id(targets, "addicts_records_100")["denominator"] == "addicts"
    # ¶2 "100% người hoàn thành chương trình cai nghiện được lập hồ sơ đưa vào quản lý người sau cai"
    t = by_id(targets, "post_rehab_managed_100")
    assert (t["numerator"], t["denominator"]) == ("rehab_completed_managed", "rehab_completed")


def test_targets_chi_tieu_3(shown):
    targets = shown["targets"]
    # "Số vụ phạm tội về ma túy được phát hiện, bắt giữ tăng ít nhất 5% so với năm 2023"
    t = by_id(targets, "drug_crimes_detected_up_5pct")
    assert (t["kind"], t["measure"], t["comparator"], t["threshold"], t["period"]) == (
        "growth", "drug_crimes_detected", ">=", 5.0, "2024")
    # "không để oan sai, bỏ lọt tội phạm"
    t = by_id(targets, "no_wrongful_or_missed")
    assert (t["kind"], t["comparator"], t["threshold"]) == ("value", "<=", 0.0)
    # "Phấn đấu tăng tỷ lệ khởi tố tội phạm mua bán trái phép chất ma túy"
    t = by_id(targets, "trafficking_share_up")
    assert (t["kind"], t["measure"], t["comparator"], t["threshold"]) == ("change", "trafficking_share", ">", 0.0)
    # "và giảm tỷ lệ khởi tố tội tàng trữ trái phép chất ma túy trong cơ cấu tội phạm so với năm 2023"
    t = by_id(targets, "possession_share_down")
    assert (t["kind"], t["measure"], t["comparator"], t["threshold"]) == ("change", "possession_share", "<", 0.0)
    # "100% tin báo, tố giác tội phạm ma túy và kiến nghị khởi tố được tiếp nhận, xử lý"
    t = by_id(targets, "crime_reports_handled_100")
    assert (t["kind"], t["comparator"], t["threshold"]) == ("ratio", ">=", 100.0)
    # "trong đó tỷ lệ giải quyết đạt trên 90%" — "trên" is strictly above
    t = by_id(targets, "crime_reports_resolved_over_90")
    assert (t["kind"], t["numerator"], t["denominator"], t["comparator"], t["threshold"]) == (
        "ratio", "crime_reports_resolved", "crime_reports", ">", 90.0)


def test_targets_chi_tieu_4_zero_tolerance(shown):
    # "không để hình thành các điểm, tụ điểm ...", "không để xảy ra tình trạng mua bán, sử dụng ... công khai",
    # "không để xảy ra vụ việc sản xuất trái phép chất ma túy hoặc trồng, tái trồng cây có chứa chất ma túy"
    for id_, measure in (("no_use_venues_conditional_business", "conditional_business_use_venues"),
                         ("no_open_dealing", "open_dealing_incidents"),
                         ("no_illicit_production", "illicit_production_cases"),
                         ("no_cultivation", "cultivation_cases")):
        t = by_id(shown["targets"], id_)
        assert (t["kind"], t["measure"], t["comparator"], t["threshold"], t["source"]) == (
            "value", measure, "<=", 0.0, "Các chỉ tiêu năm 2024 ¶4")


def test_targets_in_the_themes(shown):
    targets = shown["targets"]
    # Thứ tư ¶2 "đảm bảo cơ sở vật chất phục vụ việc xác định tình trạng nghiện ma túy tại 100% trạm y tế"
    t = by_id(targets, "health_stations_ready_100")
    assert (t["kind"], t["threshold"], t["agency"]) == ("ratio", 100.0, None)
    # Thứ năm ¶1 "giữ vững số xã, phường, thị trấn không có tệ nạn ma túy"
    t = by_id(targets, "drug_free_communes_kept")
    assert (t["kind"], t["comparator"], t["threshold"]) == ("change", ">=", 0.0)
    # Thứ năm ¶1 "giảm dần số xã, phường, thị trấn có tệ nạn ma túy và số xã ... trọng điểm về ma túy"
    for id_ in ("communes_with_drug_problems_down", "key_drug_communes_down"):
        t = by_id(targets, id_)
        assert (t["kind"], t["comparator"], t["threshold"]) == ("change", "<", 0.0)
    # no body is named for any target: none is recorded (not the police, not a department inferred
    # from its function); the findings say the plan names no accountable body
    assert {t["agency"] for t in targets} == {None}
    assert not any(t["agency_assumed"] for t in targets)


def test_growth_targets_ask_for_the_2023_baseline(runner, tmp_path):
    # "so với năm 2023": the form asks for 2023 and 2024 values of every growth/change measure
    out = tmp_path / "form.csv"
    res = runner.invoke(cli, ["template", "--province", "tien_giang", "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    for measure in ("drug_crimes_detected", "media_items", "prosecuted_trafficking",
                    "prosecuted_possession", "prosecuted_drug_cases", "key_drug_communes"):
        # the plan holds no body to these targets: the police, who send the plan's results out, fill them
        assert f",{measure},measure,cong_an_tinh,tien_giang,2023," in text
        assert f",{measure},measure,cong_an_tinh,tien_giang,2024," in text
    # the four targets "so với năm 2023" name it as their baseline
    plan = load_plan(str(PLAN_PATH))
    assert {t.id for t in plan.targets if t.baseline == "2023"} == {
        "media_items_increase", "drug_crimes_detected_up_5pct", "trafficking_share_up", "possession_share_down"}
    assert ",trafficking_share," not in text  # computed, not reported


def test_tasks_and_agencies(shown):
    tasks = shown["tasks"]
    # Thứ hai ¶1 "hưởng ứng "Tháng hành động phòng, chống ma túy" (tháng 6)"
    assert by_id(tasks, "action_month_june")["due"] == "2024-06-30"
    # Thứ hai ¶1 ""Ngày Quốc tế và ngày Toàn dân phòng, chống ma túy - 26/6" năm 2024"
    assert by_id(tasks, "international_day_26_6")["due"] == "2024-06-26"
    # "Thường xuyên rà soát, đấu tranh triệt xóa các điểm, tụ điểm": a standing duty with no date,
    # judged on the evidence given in 2024, the plan's year
    t = by_id(tasks, "clear_hotspots")
    assert (t["recurrence"], t["continuous"], t["periods"]) == (
        "annual", True, [{"period": "2024", "due": "2024-12-31"}])
    assert "Thứ ba ¶1" in t["agency_assumed"]  # the article names no body; the police, by the paragraph that does
    # Thứ ba ¶1 "vai trò chủ trì, chủ công, nòng cốt của lực lượng Công an, Bộ đội Biên phòng"
    assert by_id(tasks, "crime_suppression")["agencies"] == ["cong_an_tinh", "bdbp_tinh"]
    # Thứ ba ¶5 "Bộ Chỉ huy Bộ đội Biên phòng tỉnh phối hợp chặt chẽ với lực lượng Công an"
    t = by_id(tasks, "sea_border_control")
    assert (t["agencies"], t["coordinators"]) == (["bdbp_tinh"], ["cong_an_tinh"])
    # Thứ ba ¶7 "quản lý Nhà nước đối với các hoạt động văn hóa, du lịch"
    assert by_id(tasks, "culture_business_inspection")["agencies"] == ["so_vhttdl"]
    # Thứ tư ¶4 "đẩy mạnh điều trị nghiện các chất dạng thuốc phiện bằng thuốc Methadone"
    assert by_id(tasks, "methadone")["agencies"] == ["so_yte"]
    # Đoạn cuối "giúp UBND tỉnh triển khai, theo dõi, hướng dẫn, kiểm tra, đôn đốc"
    t = by_id(tasks, "standing_body_oversight")
    assert (t["agencies"], t["source"]) == (["cong_an_tinh"], "Đoạn cuối")
    # every theme is covered: Thứ nhất .. Thứ sáu
    themes = {"Thứ nhất", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu"}
    assert {th for th in themes if any(th + " ¶" in t["source"] for t in tasks)} == themes
    # a task with no date in the article is a standing duty, judged on 2024's evidence, and says so
    assert all(t["deadline"] or (t["continuous"] and "no date" in t["assumed"]) for t in tasks)
    # a body the text does not name for the duty is marked, with the paragraph that names it
    for t in tasks:
        if t["agencies"] == ["co_quan_don_vi_dia_phuong"]:
            assert "Đoạn cuối" in t["agency_assumed"], t["id"]


def test_reporting_obligation(shown):
    # "định kỳ tổng hợp, báo cáo Ủy ban Quốc gia phòng, chống AIDS và phòng, chống tệ nạn ma túy, mại dâm,
    # Bộ Công an, Tỉnh ủy theo đúng quy định"
    obs = [o for o in shown["obligations"] if o["obligation"] == "standing_body_reports"]
    assert {o["period"]: o["due"] for o in obs} == {"2024S1": "2024-06-30", "2024S2": "2024-12-31"}
    for o in obs:
        assert o["agencies"] == ["cong_an_tinh"]
        assert o["recipient"] == ["ubqg_phong_chong_aids_ma_tuy_mai_dam", "bo_cong_an", "tinh_uy"]
        assert o["calendar"] == "decree-09-2019"
        assert "Decree 09/2019" in o["assumed"]  # the dates come from the national calendar
        assert "six-monthly" in o["assumed"]  # the frequency is not in the article either


def test_prosecution_mix_is_derived():
    import plancheck_tien_giang

    plan = load_plan(str(PLAN_PATH))
    values = {("prosecuted_drug_cases", "tien_giang", "2023"): 200.0,
              ("prosecuted_trafficking", "tien_giang", "2023"): 100.0,
              ("prosecuted_possession", "tien_giang", "2023"): 80.0,
              ("prosecuted_drug_cases", "tien_giang", "2024"): 0.0}
    out = plancheck_tien_giang.derive_values(plan=plan, values=values)
    assert out == {("trafficking_share", "tien_giang", "2023"): 50.0,
                   ("possession_share", "tien_giang", "2023"): 40.0}  # 0 prosecutions: undecided


def test_example_report(runner):
    res = runner.invoke(cli, ["run", "--province", "tien_giang", "--example", "--as-of", "2025-01-31",
                              "--format", "json"])
    assert res.exit_code == 1, res.output  # the illustrative data misses some targets
    out = json.loads(res.stdout)
    found = {(f["item"], f["agency"], f["period"]): f for f in out["findings"]}
    f = found[("drug_crimes_detected_up_5pct", "", "2024")]
    assert (f["status"], f["reason"], f["actual"]) == ("not_met", "growth_too_low", 3.0)  # 400 -> 412
    assert f["expected"] == "growth >= 5% vs 2023"
    assert "the plan names no accountable body" in f["assumed"]
    f = found[("possession_share_down", "", "2024")]
    assert (f["status"], f["reason"]) == ("not_met", "not_decreased")
    assert found[("trafficking_share_up", "", "2024")]["status"] == "met"
    f = found[("standing_body_reports", "cong_an_tinh", "2024S1")]
    assert (f["status"], f["reason"], f["days_late"]) == ("not_met", "late", 5)
    f = found[("international_day_26_6", "co_quan_don_vi_dia_phuong", "2024")]
    assert (f["status"], f["days_late"]) == ("not_met", 2)
    assert found[("health_stations_ready_100", "", "2024")]["status"] == "no_data"
    assert any("press summary" in n for n in out["notices"])
