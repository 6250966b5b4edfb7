"""Fidelity checklist for the Vĩnh Long plan (Quyết định số 2657/QĐ-UBND, 04/10/2021).

Source: shared/seeds/000_1614eaec3b5eead3.txt. Every expected value below is
read off the text, with the Vietnamese phrase quoted next to it; the plan is
read through the public API only (``load_plan`` and ``plancheck plan show``).

How the elements were counted:

* agencies (23): the 20 bodies assigned in III.1-III.19 (III.18 names two:
  Viện Kiểm sát nhân dân tỉnh and Tòa án nhân dân tỉnh), plus Đài Phát thanh
  và Truyền hình Vĩnh Long (coordinator, III.2), the provincial Ban Chỉ đạo
  (IV.1) and Chính phủ (recipient, IV.2);
* projects (12): Dự án 1 and 2 (III.1), the rehabilitation project and its
  Tiểu dự án 1 and 2 (III.2), and one project each in III.3, III.4, III.13,
  III.14, III.15, III.17 and III.18;
* targets (13): the seven bullets of I.1 "Các chỉ tiêu cụ thể", split where a
  bullet holds several: bullet 1 two (addicts, communes), bullet 2 one,
  bullet 3 three (arrests +5%, cases 100%, postal 100%), bullet 4 one, bullet
  5 four (communes, schools, industrial zones at 100%; media items rising),
  bullet 6 one, bullet 7 one;
* tasks (38): one per duty (a paragraph, or a sentence where a paragraph holds
  two duties) of III.1-III.19 (33: III.1 5, III.2 3, III.3 2, III.4 1, III.5 2,
  III.6 4, III.7-III.15 one each but III.8 two, III.16 2, III.17 2, III.18 1,
  III.19 1), plus IV.1 (1), IV.2 (implementation plans, project plans) and
  IV.2/IV.4 (mid-term and final reviews);
* obligations (5): IV.2's 6-month, annual, mid-term (2023) and final reports
  to the provincial police, and the police's summary report to the Government.
"""

from __future__ import annotations

import json
from datetime import date
from importlib.resources import files

import pytest
from click.testing import CliRunner

from plancheck.cli import cli
from plancheck.plans.planfile import load_plan

PLAN_PATH = files("plancheck_vinh_long") / "plan.toml"
EXAMPLE_PATH = files("plancheck_vinh_long") / "example" / "observations.csv"


@pytest.fixture(scope="module")
def plan():
    return load_plan(str(PLAN_PATH))


@pytest.fixture(scope="module")
def shown():
    result = CliRunner().invoke(cli, ["plan", "show", "--province", "vinh_long", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["province"] == "vinh_long"
    assert len(data["plans"]) == 1
    return data["plans"][0]


def by_id(items):
    return {x.id: x for x in items}


# -- the document ----------------------------------------------------------------

def test_document(plan):
    # "Số: 2657/QĐ-UBND"
    assert plan.document == "Quyết định số 2657/QĐ-UBND"
    # "Vĩnh Long, ngày 04 tháng 10 năm 2021"
    assert plan.signed == date(2021, 10, 4)
    # "giai đoạn 2021 - 2025"
    assert plan.period.start == date(2021, 1, 1)
    assert plan.period.end == date(2025, 12, 31)
    # Điều 1: "Kế hoạch thực hiện Chương trình phòng, chống ma túy trên địa bàn tỉnh Vĩnh Long giai đoạn 2021 - 2025"
    assert plan.title == (
        "Kế hoạch thực hiện Chương trình phòng, chống ma túy trên địa bàn tỉnh Vĩnh Long "
        "giai đoạn 2021 - 2025"
    )
    # "Quyết định số 1452/QĐ-TTg, ngày 31/8/2021 của Thủ tướng Chính phủ"
    assert "1452/QĐ-TTg" in plan.parent_programme
    assert "31/8/2021" in plan.parent_programme
    assert plan.province == "vinh_long"
    assert plan.source_file == "000_1614eaec3b5eead3.txt"
    # full text: a plan, not a press summary, and not cut
    assert plan.source_kind == "plan"
    assert plan.incomplete is None
    # IV.3: "sử dụng kinh phí từ ngân sách địa phương trong dự toán thường xuyên hằng năm ...
    # và các nguồn huy động hợp pháp khác" (no funding field: kept in the note)
    assert "ngân sách địa phương" in plan.note
    assert "các nguồn huy động hợp pháp khác" in plan.note


def test_counts(plan):
    assert len(plan.agencies) == 24  # the 23 of III and IV, and Điều 3's departments (for section II)
    assert len(plan.projects) == 12
    assert len(plan.targets) == 13
    assert len(plan.tasks) == 40  # 38 from III and IV, II and II.1
    assert len(plan.obligations) == 5
    # the plan names no district or commune: the province is the only unit
    assert [u.id for u in plan.units] == ["vinh_long"]
    assert plan.units[0].level == "province"
    assert len(plan.measures) == 20
    assert plan.rules == ()


def test_counts_in_plan_show(shown):
    assert len(shown["agencies"]) == 24
    assert len(shown["projects"]) == 12
    assert len(shown["targets"]) == 13
    assert len(shown["tasks"]) == 40
    # plan show lists obligations one row per due period
    assert len({o["obligation"] for o in shown["obligations"]}) == 5


# -- III: the assignees ------------------------------------------------------------

ASSIGNEES = {
    "III.1": ["Công an tỉnh"],
    "III.2": ["Sở Lao động - Thương binh và Xã hội"],
    "III.3": ["Sở Thông tin và Truyền thông"],
    "III.4": ["Sở Giáo dục và Đào tạo"],
    "III.5": ["Sở Văn hóa, Thể thao và Du lịch"],
    "III.6": ["Sở Y tế"],
    "III.7": ["Sở Nông nghiệp và Phát triển nông thôn"],
    "III.8": ["Sở Công Thương"],
    "III.9": ["Sở Tư pháp"],
    "III.10": ["Sở Tài chính"],
    "III.11": ["Sở Kế hoạch và Đầu tư"],
    "III.12": ["Văn phòng Ủy ban nhân dân tỉnh"],
    "III.13": ["Liên đoàn Lao động tỉnh"],
    "III.14": ["Tỉnh đoàn"],
    "III.15": ["Hội Liên hiệp Phụ nữ Việt Nam tỉnh"],
    "III.16": ["Các ban, ngành tỉnh, Cơ quan Trung ương đóng trên địa bàn tỉnh"],
    "III.17": ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"],  # "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    "III.18": ["Viện Kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh"],
    "III.19": ["Ủy ban nhân dân các huyện, thị xã, thành phố"],
}


@pytest.mark.parametrize("clause", sorted(ASSIGNEES, key=lambda c: int(c.split(".")[1])))
def test_assignee_named_and_given_duties(plan, clause):
    names = ASSIGNEES[clause]
    agencies = [a for a in plan.agencies if a.source == clause and a.name in names]
    assert sorted(a.name for a in agencies) == sorted(names)
    ids = {a.id for a in agencies}
    # every assignee of III has at least one duty (task) or leads a project from its clause
    duties = [t for t in plan.tasks if clause in t.source.split(", ") and ids & set(t.agencies)]
    led = [p for p in plan.projects if p.source.startswith(clause) and p.lead in ids]
    assert duties or led
    for agency_id in ids:
        assert any(agency_id in t.agencies for t in plan.tasks if clause in t.source.split(", "))


def test_other_agencies(plan):
    a = by_id(plan.agencies)
    # III.2: "Đài Phát thanh và Truyền hình Vĩnh Long"
    assert a["dai_ptth"].name == "Đài Phát thanh và Truyền hình Vĩnh Long"
    # IV.1: "Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân
    # bảo vệ an ninh Tổ quốc tỉnh"
    assert a["bcd_tinh"].name == (
        "Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân "
        "bảo vệ an ninh Tổ quốc tỉnh"
    )
    # IV.2: "tổng hợp báo cáo Chính phủ"
    assert a["chinh_phu"].name == "Chính phủ"
    assert a["chinh_phu"].level == "central"
    assert a["ubnd_cap_huyen"].level == "district"


# -- III: projects -----------------------------------------------------------------

def test_projects(plan):
    p = by_id(plan.projects)
    # III.1: "Dự án 1: “Đấu tranh phòng, chống tội phạm ma túy tại các địa bàn, tuyến trọng điểm”"
    assert p["du_an_1_dau_tranh"].name == (
        "Đấu tranh phòng, chống tội phạm ma túy tại các địa bàn, tuyến trọng điểm"
    )
    assert p["du_an_1_dau_tranh"].lead == "cong_an_tinh"
    # III.1: "Dự án 2: “Giải quyết điểm, tụ điểm và chuyển hóa địa bàn trọng điểm, phức tạp về
    # ma túy tại xã, phường, thị trấn”"
    assert p["du_an_2_diem_tu_diem"].name == (
        "Giải quyết điểm, tụ điểm và chuyển hóa địa bàn trọng điểm, phức tạp về ma túy tại "
        "xã, phường, thị trấn"
    )
    assert p["du_an_2_diem_tu_diem"].lead == "cong_an_tinh"
    # III.2: "Chủ trì xây dựng và triển khai thực hiện Dự án “Nâng cao hiệu quả công tác cai
    # nghiện ma túy ...”, Dự án gồm: (1) Tiểu dự án 1 ... (2) Tiểu dự án 2"
    assert p["du_an_cai_nghien"].lead == "so_ldtbxh"
    assert p["du_an_cai_nghien"].parent is None
    subs = sorted(x.id for x in plan.projects if x.parent == "du_an_cai_nghien")
    assert subs == ["tieu_du_an_1_cai_nghien", "tieu_du_an_2_phong_ngua"]
    # "Tiểu dự án 2: “Phòng ngừa nghiện ma túy đối với nhóm người có nguy cơ cao và người sử
    # dụng trái phép chất ma túy”"
    assert p["tieu_du_an_2_phong_ngua"].name == (
        "Phòng ngừa nghiện ma túy đối với nhóm người có nguy cơ cao và người sử dụng trái phép "
        "chất ma túy"
    )
    # III.2: "Chủ trì, phối hợp với Công an tỉnh, Sở Giáo dục và Đào tạo, Sở Thông tin và
    # Truyền thông, Sở Công Thương, Đài Phát thanh và Truyền hình Vĩnh Long, Hội Liên hiệp Phụ
    # nữ Việt Nam tỉnh, Tỉnh đoàn, Liên đoàn Lao động tỉnh"
    for coordinator in ("cong_an_tinh", "so_gddt", "so_tttt", "so_congthuong", "dai_ptth",
                        "hoi_lhpn_tinh", "tinh_doan", "ldld_tinh"):
        assert coordinator in p["du_an_cai_nghien"].coordinators
    # III.3: "Tuyên truyền về phòng, chống ma túy trên các phương tiện thông tin đại chúng và
    # hệ thống thông tin cơ sở giai đoạn 2021 - 2025"
    assert p["du_an_truyen_thong"].lead == "so_tttt"
    assert p["du_an_truyen_thong"].name.endswith("giai đoạn 2021 - 2025")
    # III.4: "Tăng cường năng lực phòng, chống ma túy trong trường học đến năm 2025"
    assert p["du_an_truong_hoc"].lead == "so_gddt"
    assert p["du_an_truong_hoc"].name == "Tăng cường năng lực phòng, chống ma túy trong trường học đến năm 2025"
    # III.13: "Tăng cường phòng, chống ma túy cho công nhân lao động tại các Khu Công nghiệp"
    assert p["du_an_cong_nhan_kcn"].lead == "ldld_tinh"
    assert p["du_an_cong_nhan_kcn"].name == (
        "Tăng cường phòng, chống ma túy cho công nhân lao động tại các Khu Công nghiệp"
    )
    # III.14: "Tăng cường phòng, chống ma túy trong thanh thiếu niên"
    assert p["du_an_thanh_thieu_nien"].lead == "tinh_doan"
    # III.15: "Tăng cường quản lý, giáo dục con em trong gia đình không tham gia tội phạm và tệ
    # nạn ma túy"
    assert p["du_an_gia_dinh"].lead == "hoi_lhpn_tinh"
    # III.17: "Phát động phong trào toàn dân tham gia phòng, chống ma túy"
    assert p["du_an_phong_trao"].lead == "ubmttq_tinh"
    assert p["du_an_phong_trao"].name == "Phát động phong trào toàn dân tham gia phòng, chống ma túy"
    # III.18: "Tòa án nhân dân tỉnh chủ trì xây dựng và triển khai thực hiện Dự án “Nâng cao
    # năng lực xét xử của Tòa án nhân dân các cấp ...”"
    assert p["du_an_toa_an"].lead == "tand_tinh"
    assert p["du_an_toa_an"].name.startswith("Nâng cao năng lực xét xử của Tòa án nhân dân các cấp")
    # III.1: "Phối hợp với các ngành liên quan trong xây dựng, tổ chức thực hiện các Dự án còn
    # lại thuộc Chương trình": the police coordinate every project they do not lead
    for project in plan.projects:
        if project.lead != "cong_an_tinh":
            assert "cong_an_tinh" in project.coordinators, project.id


def test_projects_in_plan_show(shown):
    leads = {p["id"]: p["lead"] for p in shown["projects"]}
    assert leads["du_an_1_dau_tranh"] == "cong_an_tinh"
    assert leads["du_an_toa_an"] == "tand_tinh"
    parents = {p["id"]: p["parent"] for p in shown["projects"]}
    assert parents["tieu_du_an_1_cai_nghien"] == "du_an_cai_nghien"


# -- I.1: targets ----------------------------------------------------------------

def test_targets(plan):
    t = by_id(plan.targets)
    # "kiềm chế tỷ lệ gia tăng số người nghiện ma túy ... dưới 1% so với năm trước"
    x = t["addicts_growth_below_1pct"]
    assert (x.kind, x.measure, x.comparator, x.threshold) == ("growth", "addicts", "<", 1)
    assert x.recurrence == "annual"
    # "... và số xã, phường, thị trấn không có tệ nạn ma túy dưới 1% so với năm trước": probably a
    # slip for "có tệ nạn"; the reading chosen is said on the target, which is not of high importance
    # until a reviewer confirms it
    x = t["drug_free_communes_growth_below_1pct"]
    assert (x.kind, x.measure, x.comparator, x.threshold) == ("growth", "communes_with_drug_problems", "<", 1)
    assert x.reading is not None and x.reading.confirmed_by is None
    assert "không có tệ nạn ma túy dưới 1%" in x.reading.quote and "WITH drug problems" in x.reading.chosen
    assert x.importance == "medium"
    # "Trên 80% số người nghiện và người sử dụng trái phép chất ma túy có hồ sơ quản lý được
    # tiếp cận các dịch vụ"
    x = t["services_access_over_80pct"]
    assert (x.kind, x.comparator, x.threshold) == ("ratio", ">", 80)
    assert (x.numerator, x.denominator) == ("users_with_records_served", "users_with_records")
    # "Số vụ phạm tội về ma túy được phát hiện, bắt giữ hàng năm tăng từ 5% so với năm trước"
    x = t["drug_crimes_growth_5pct"]
    assert (x.kind, x.measure, x.comparator, x.threshold) == ("growth", "drug_crimes_detected", ">=", 5)
    assert x.recurrence == "annual"
    # "100% số vụ án ma túy được giải quyết, xét xử"
    x = t["drug_cases_resolved_100pct"]
    assert (x.kind, x.comparator, x.threshold) == ("ratio", ">=", 100)
    assert (x.numerator, x.denominator) == ("drug_cases_resolved", "drug_cases")
    # "100% các vụ việc có thông tin về vận chuyển trái phép chất ma túy qua đường bưu điện ...
    # được xác minh làm rõ"
    x = t["postal_cases_verified_100pct"]
    assert (x.kind, x.comparator, x.threshold) == ("ratio", ">=", 100)
    # "Phấn đấu không để hình thành “điểm nóng”, các điểm, tụ điểm phức tạp về ma túy"
    x = t["no_hotspots"]
    assert (x.kind, x.measure, x.comparator, x.threshold) == ("value", "hotspots_formed", "<=", 0)
    # "tại 100% số xã, phường, thị trấn, trường học, khu công nghiệp"
    for tid, num in (("education_communes_100pct", "communes_reached"),
                     ("education_schools_100pct", "schools_reached"),
                     ("education_industrial_zones_100pct", "industrial_zones_reached")):
        assert (t[tid].kind, t[tid].numerator, t[tid].comparator, t[tid].threshold) == (
            "ratio", num, ">=", 100)
    # "Chất lượng, số lượng tin, bài, sản phẩm truyền thông về phòng, chống ma túy tăng hàng năm"
    x = t["media_items_increase"]
    assert (x.kind, x.measure, x.comparator, x.threshold, x.recurrence) == (
        "change", "media_items", ">", 0, "annual")
    # "kiểm soát chặt chẽ 100% các loại tiền chất, thuốc gây nghiện, thuốc hướng thần, thuốc
    # thú y có chứa chất ma túy, tiền chất"
    x = t["controlled_substances_100pct"]
    assert (x.kind, x.comparator, x.threshold) == ("ratio", ">=", 100)
    # "Tăng cường công tác phối hợp với các tỉnh, thành trong cả nước": no indicator in the text,
    # so the count of joint operations is a proxy, said so with its reason
    x = t["interprovincial_cooperation_increase"]
    assert (x.kind, x.comparator, x.threshold) == ("change", ">", 0)
    assert x.proxy and "states no indicator" in x.proxy
    # every target is province-wide and cites I.1
    assert {x.scope for x in plan.targets} == {"province"}
    assert {x.source for x in plan.targets} == {"I.1"}


def test_target_periods_in_plan_show(shown):
    t = {x["id"]: x for x in shown["targets"]}
    # "hàng năm" over "giai đoạn 2021 - 2025": judged for each of the five years
    assert [p["period"] for p in t["drug_crimes_growth_5pct"]["periods"]] == [
        "2021", "2022", "2023", "2024", "2025"]
    assert t["drug_crimes_growth_5pct"]["periods"][-1]["due"] == "2025-12-31"


# -- IV.2 and IV.4: tasks with dates ---------------------------------------------------

def test_plans_due_before_20_10_2021(plan, shown):
    tasks = {t["id"]: t for t in shown["tasks"]}
    # "Các kế hoạch gửi Công an tỉnh trước ngày 20/10/2021 để theo dõi": the day before
    assert tasks["implementation_plans"]["deadline"] == "trước ngày 20/10/2021"
    assert tasks["implementation_plans"]["due"] == "2021-10-19"
    assert tasks["project_plans"]["due"] == "2021-10-19"
    # "các cơ quan, ban, ngành, đoàn thể tỉnh, cơ quan Trung ương đóng trên địa bàn và Ủy ban
    # nhân dân các huyện, thị xã, thành phố xây dựng Kế hoạch thực hiện"
    # as IV.2 names them, not the bodies of III one by one (no Procuracy or Court added, none dropped)
    assert by_id(plan.tasks)["implementation_plans"].agencies == ("so_ban_nganh_doan_the", "ubnd_cap_huyen")
    assert by_id(plan.agencies)["so_ban_nganh_doan_the"].name == (
        "Các cơ quan, ban, ngành, đoàn thể tỉnh, cơ quan Trung ương đóng trên địa bàn")
    # "các ngành chủ trì thực hiện các Dự án xây dựng kế hoạch": every project lead
    leads = {p.lead for p in plan.projects}
    assert set(by_id(plan.tasks)["project_plans"].agencies) == leads
    assert "III.18" in by_id(plan.tasks)["project_plans"].agency_assumed  # the clauses that name the leads


def test_reviews(shown):
    tasks = {t["id"]: t for t in shown["tasks"]}
    # "sơ kết giữa nhiệm kỳ (năm 2023)"
    assert tasks["mid_term_review"]["due"] == "2023-12-31"
    assert tasks["mid_term_review"]["agencies"] == ["cong_an_tinh"]
    # "tổng kết": no date in the plan
    assert tasks["final_review"]["due"] is None


def test_task_duties_sample(plan):
    t = by_id(plan.tasks)
    # III.1: "Phối hợp với Sở Tài chính, Sở Kế hoạch và Đầu tư để hằng năm tham mưu Ủy ban
    # nhân dân tỉnh phân bổ kinh phí"
    assert t["ca_funding_advice"].agencies == ("cong_an_tinh",)
    assert t["ca_funding_advice"].coordinators == ("so_taichinh", "so_khdt")
    # III.18: "Đề nghị Viện Kiểm sát nhân dân tỉnh và Tòa án nhân dân tỉnh ... Phối hợp chặt chẽ"
    assert t["vks_toaan_prosecution"].agencies == ("vksnd_tinh", "tand_tinh")
    # III.6: "Tăng cường công tác thanh tra, kiểm tra việc quản lý, sử dụng thuốc gây nghiện,
    # thuốc hướng tâm thần và tiền chất trong y tế"
    assert t["yte_inspection"].agencies == ("so_yte",)
    assert t["yte_inspection"].name.startswith("Tăng cường công tác thanh tra, kiểm tra")
    # IV.1: the steering committee "có trách nhiệm tham mưu Ủy ban nhân dân tỉnh chỉ đạo thực
    # hiện Kế hoạch này"
    assert t["bcd_advise"].agencies == ("bcd_tinh",)
    # standing duties carry no invented deadline
    assert t["ca_monitor"].deadline is None and t["ca_monitor"].due is None


# -- IV.2: reporting obligations ----------------------------------------------------

def test_obligations(plan, shown):
    o = by_id(plan.obligations)
    # "gửi về Công an tỉnh (Thường trực Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội tỉnh)"
    for oid in ("report_6_months", "report_annual", "report_mid_term", "report_final"):
        assert o[oid].recipient == ("cong_an_tinh",)
        # IV.2's own subjects send them: "các cơ quan, ban, ngành, đoàn thể tỉnh, cơ quan Trung ương
        # đóng trên địa bàn và Ủy ban nhân dân các huyện, thị xã, thành phố"
        assert o[oid].agencies == ("so_ban_nganh_doan_the", "ubnd_cap_huyen")
        assert o[oid].assumed  # the dates are not given in IV.2
    # "để tổng hợp báo cáo Chính phủ theo quy định"
    assert o["police_report_government"].agencies == ("cong_an_tinh",)
    assert o["police_report_government"].recipient == ("chinh_phu",)
    assert o["police_report_government"].calendar == "decree-09-2019"
    # "Định kỳ (06 tháng, 01 năm)"
    assert o["report_6_months"].recurrence == "semiannual"
    assert o["report_annual"].recurrence == "annual"
    assert o["report_annual"].calendar == "decree-09-2019"

    dues = {}
    for row in shown["obligations"]:
        dues.setdefault(row["obligation"], []).append((row["period"], row["due"]))
    # 6-month reports, from the first half-year after the plan was issued (04/10/2021)
    assert dues["report_6_months"] == [
        ("2022S1", "2022-06-30"), ("2023S1", "2023-06-30"),
        ("2024S1", "2024-06-30"), ("2025S1", "2025-06-30"),
    ]
    # "01 năm": one a year, 2021-2025
    assert [p for p, _ in dues["report_annual"]] == ["2021", "2022", "2023", "2024", "2025"]
    assert dues["report_annual"][0] == ("2021", "2021-12-31")
    # "sơ kết giữa nhiệm kỳ (năm 2023)"
    assert dues["report_mid_term"] == [("2023", "2023-12-31")]
    # "tổng kết" (assumed: end of the programme period)
    assert dues["report_final"] == [("2025", "2025-12-31")]


# -- the example data ----------------------------------------------------------------

def test_example_runs():
    assert EXAMPLE_PATH.is_file()
    result = CliRunner().invoke(cli, ["run", "--province", "vinh_long", "--example",
                                      "--as-of", "2024-06-01", "--format", "json"])
    # something in the example is not met (late or below target): exit code 1
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    f = {(x["item"], x["agency"], x["period"]): x for x in report["findings"]}
    # IV.2: implementation plan sent on 28/10/2021, due 19/10/2021
    late = f[("implementation_plans", "so_ban_nganh_doan_the", "2021")]
    assert (late["status"], late["reason"], late["days_late"]) == ("not_met", "late", 9)
    # arrests up 7.14% in 2021 (>= 5%), 2.22% in 2022 (< 5%)
    assert f[("drug_crimes_growth_5pct", "", "2021")]["status"] == "met"
    assert f[("drug_crimes_growth_5pct", "", "2022")]["reason"] == "growth_too_low"
    # a hot spot formed in 2022
    assert f[("no_hotspots", "", "2022")]["reason"] == "above_limit"
    # 2024 not over on 2024-06-01
    assert f[("no_hotspots", "", "2024")]["status"] == "pending"
