"""Fidelity checklist for Hưng Yên, built from the text (seeds/003_321bb8eed9b7a999.txt).

Counts, and values asserted one by one, each next to the Vietnamese it encodes.
"""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from plancheck.cli import cli
from plancheck.judge.verdicts import evaluate
from plancheck.plans.model import Observation
from plancheck.plans.planfile import load_plan

PLAN_FILE = files("plancheck_hung_yen") / "plan.toml"


@pytest.fixture(scope="module")
def plan():
    return load_plan(PLAN_FILE)


@pytest.fixture(scope="module")
def shown():
    from click.testing import CliRunner

    res = CliRunner().invoke(cli, ["plan", "show", "--province", "hung_yen", "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)["plans"][0]


def by_id(items, id_):
    return next(x for x in items if x["id"] == id_)


def test_counts(plan):
    # Agencies: UBND tỉnh (II.2.3), Công an tỉnh, sở/ban/ngành/đoàn thể tỉnh (collective), GD&ĐT,
    # LĐ-TB&XH, VH-TT&DL, Y tế, Tài chính (IV.1), VKSND, TAND (III.6), UBND huyện/thị xã/thành phố
    # (collective), UBND huyện Kim Động, UBND cấp xã (II.2.1), Bộ Công an (V.3) = 14.
    assert len(plan.agencies) == 14
    # Units: the province, its 10 district-level units named in III.1.1 and 22 + 31 communes.
    assert len([u for u in plan.units if u.level == "province"]) == 1
    assert len([u for u in plan.units if u.level == "district"]) == 10
    assert len([u for u in plan.units if u.level == "commune"]) == 53
    assert len(plan.rules) == 3  # II.1.1, II.1.2, II.1.3
    assert len(plan.targets) == 12
    # Tasks with a deadline: III.1.2, III.1.3, III.3.1, III.4.2, III.8, IV.1 ("năm 2024", assumed);
    # without: V.1, V.3, III.7.1, III.7.3; yearly: II.2.2, II.2.3; standing ("thường xuyên", with
    # yearly evidence): III.2.3, III.3.2, the second III.4.3, III.5, III.6.
    assert len(plan.tasks) == 17
    assert len([t for t in plan.tasks if t.deadline]) == 6
    assert len([t for t in plan.tasks if t.recurrence == "annual"]) == 7
    assert len([t for t in plan.tasks if t.continuous]) == 5
    # V.2 (provincial bodies; districts), II.2.1 (communes), II.2.2 (districts to the province), V.3
    assert len(plan.obligations) == 5
    assert plan.projects == ()  # the plan implements one Đề án; it defines no projects of its own


def test_units_as_named(plan):
    units = {u.id: u for u in plan.units}
    # "(4) Huyện Kim Động: các xã Nhân La, Vũ Xá, Chính Nghĩa, Phú Thịnh, Song Mai, Mai Động"
    kd_keep = {"Xã Nhân La", "Xã Vũ Xá", "Xã Chính Nghĩa", "Xã Phú Thịnh", "Xã Song Mai", "Xã Mai Động"}
    keep = {t.id: t for t in plan.targets}["keep_22_drug_free"]
    assert len(keep.units) == 22
    assert {units[u].name for u in keep.units if units[u].parent == "kim_dong"} == kd_keep
    # "(7) Huyện Kim Động: các xã Hùng An, Ngọc Thanh, Thọ Vinh, Hiệp Cường và thị trấn Lương Bằng"
    trans = {t.id: t for t in plan.targets}["transform_31"]
    assert len(trans.units) == 31
    assert units["kim_dong.luong_bang"].name == "Thị trấn Lương Bằng"
    # "(4) Thị xã Mỹ Hào: phường Phan Đình Phùng, xã Ngọc Lâm, Hòa Phong"
    assert units["my_hao.phan_dinh_phung"].name == "Phường Phan Đình Phùng"
    assert units["my_hao"].name == "Thị xã Mỹ Hào"
    # the district is written "Phù Cù" in the plan; kept as written
    assert units["phu_cu"].name == "Huyện Phù Cù"
    assert not set(keep.units) & set(trans.units)


def test_targets_from_I_2(shown):
    t = by_id(shown["targets"], "drug_free_53_of_161")
    # "có 53/161 xã, phường, thị trấn không có ma túy (đạt tỷ lệ 32,9%)"
    assert (t["kind"], t["comparator"], t["threshold"], t["of"], t["source"]) == (
        "class_count", ">=", 53.0, 161, "I.2")
    assert round(53 / 161 * 100, 1) == 32.9
    # "huyện Kim Động ... có 11/17 xã, thị trấn không có ma túy (đạt tỷ lệ 64,7%)"
    t = by_id(shown["targets"], "kim_dong_11_of_17")
    assert (t["threshold"], t["of"], t["within"]) == (11.0, 17, "kim_dong")
    # "chuyển hóa tối thiểu 05 xã, thị trấn có ma túy"
    assert by_id(shown["targets"], "kim_dong_transform_5")["threshold"] == 5.0
    # "giữ vững 06 xã, thị trấn không có ma túy đã đạt được năm 2023"
    assert by_id(shown["targets"], "kim_dong_keep_6")["threshold"] == 6.0
    # "Phần đầu 100% cơ quan, đơn vị, trường học đạt tiêu chuẩn không có ma túy"
    t = by_id(shown["targets"], "bodies_drug_free_100")
    assert (t["kind"], t["comparator"], t["threshold"]) == ("ratio", ">=", 100.0)
    assert t["periods"] == [{"period": "2024", "due": "2024-12-31"}]


def test_criteria_II_1_3_thresholds(plan):
    rule = {r.id: r for r in plan.rules}["key_complex"]
    alternatives = rule.when.all[1].any
    # "từ 0,1% đến dưới 0,3%"
    low, high = alternatives[0].all
    assert (low.ratio, low.op, low.value) == (("drug_offenders", "population"), ">=", 0.1)
    assert (high.op, high.value) == ("<", 0.3)
    # "dưới 1.000m²"
    assert alternatives[1].all[1].value == 1000
    # "từ 20 đến 60 người nghiện"; "từ 01 đến 02 tụ điểm"
    assert [c.value for c in alternatives[2].all] == [20, 60]
    assert [c.value for c in alternatives[3].all] == [1, 2]


def test_task_deadlines(shown):
    dues = {t["id"]: t["due"] for t in shown["tasks"]}
    assert dues["issue_criteria"] == "2024-03-31"       # III.1.2 "Hoàn thành trong quý I/2024"
    assert dues["kim_dong_directive"] == "2024-02-29"   # III.1.3 "trong tháng 2/2024"
    assert dues["review_users_list"] == "2024-03-31"    # III.3.1
    assert dues["review_plan"] == "2024-03-31"          # III.4.2
    assert dues["kim_dong_review"] == "2024-03-31"      # III.8
    assert dues["implementation_plans"] is None         # V.1 gives no date
    assert by_id(shown["tasks"], "issue_criteria")["agencies"] == ["cong_an_tinh"]


def test_reporting_calendar_V_2(shown):
    obs = [o for o in shown["obligations"] if o["obligation"] == "periodic_reports"]
    # "Báo cáo Quý I trong ngày 12/3/2024; Báo cáo quý III trong ngày 12/9/2024.
    #  Báo cáo 06 tháng trước 12/6/2024. Báo cáo năm trước ngày 01/12/2024."
    assert {o["period"]: o["due"] for o in obs} == {
        "2024Q1": "2024-03-12", "2024Q3": "2024-09-12", "2024S1": "2024-06-11", "2024": "2024-11-30"}
    assert {tuple(o["recipient"]) for o in obs} == {("cong_an_tinh",)}
    # V.2 names no sender: those V.1 has send their plans to the same division, as V.1 names them
    # ("các sở, ngành, đoàn thể tỉnh, Ủy ban nhân dân huyện, thị xã, thành phố"): no Procuracy, no Court.
    assert {tuple(o["agencies"]) for o in obs} == {("so_ban_nganh_doan_the",)}
    assert all("V.1" in o["agency_assumed"] for o in obs)
    districts = [o for o in shown["obligations"] if o["obligation"] == "periodic_reports_districts"]
    assert {(tuple(o["agencies"]), o["per_unit"]) for o in districts} == {(("ubnd_cap_huyen",), "district")}
    # II.2.1 "(Hoàn thành trước 31/12 hàng năm)"
    [self_assessment] = [o for o in shown["obligations"] if o["obligation"] == "commune_self_assessment"]
    assert (self_assessment["due"], self_assessment["per_unit"]) == ("2024-12-30", "commune")


def _commune(unit, **over):
    clean = dict(hotspots=0, retail_dealers=0, use_venues=0, crime_groups=0, addicts=0,
                 addicts_with_records=0, addicts_present=0, addicts_present_rehab_records=0,
                 post_rehab=1, post_rehab_with_records=1, users_present=0,
                 users_present_with_records=0, prevention_models=1, methadone_compliant_12m=0,
                 cultivation_area_m2=0, new_addicts=0, offenders_arrested=0, drug_offenders=0,
                 population=8000, addicts_outside_with_records=0)
    clean.update(over)
    return [Observation(province="hung_yen", plan="hung_yen-2024-xa-khong-ma-tuy", item=k,
                        kind="measure", period="2024", unit=unit, value=float(v))
            for k, v in clean.items()]


def _derive(plan, values):
    import plancheck_hung_yen

    return [plancheck_hung_yen.derive_values(plan=plan, values=values)]


def test_methadone_rule_makes_a_commune_count_as_having_no_addicts(plan):
    from datetime import date

    # II.1.1: "100% người nghiện ma túy đang tham gia điều trị Methadone với thời gian trên
    # 12 tháng không phát hiện sử dụng ... thì xã ... được tính là đơn vị không có người nghiện"
    on_methadone = dict(addicts=2, addicts_with_records=2, addicts_present=2,
                        addicts_present_rehab_records=2)
    def verdict(**over):
        findings = evaluate(plan, _commune("kim_dong.nhan_la", **on_methadone, **over),
                            date(2025, 1, 31), _derive)
        return next(f.status for f in findings
                    if f.item == "keep_22_drug_free" and f.unit == "kim_dong.nhan_la")
    assert verdict(methadone_compliant_12m=2) == "met"
    assert verdict(methadone_compliant_12m=1) == "not_met"


def test_example_report(runner):
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--example", "--as-of", "2025-01-31",
                              "--format", "json"])
    assert res.exit_code == 1
    out = json.loads(res.stdout)
    f = next(f for f in out["findings"] if f["item"] == "drug_free_53_of_161")
    # the illustrative data has 8 of the 53 named communes failing the II.1.1 criteria
    assert (f["status"], f["actual"], f["expected"]) == (
        "not_met", 44, ">= 53 of 161 (32.9%) drug_free")
    assert out["summary"]["total"] == len(out["findings"])


# -- II.1.2: a commune with drug problems is not drug-free (issue 16 §1) ----------------------


def _all_clean(plan, **over_by_unit):
    """Every commune the plan names meeting every II.1.1 criterion, with ``over_by_unit`` changes."""
    out = []
    for u in plan.units:
        if u.level == "commune":
            out += _commune(u.id, **over_by_unit.get(u.id, {}))
    return out


def _verdicts(plan, observations):
    from datetime import date

    return evaluate(plan, observations, date(2025, 1, 31), _derive)


@pytest.mark.parametrize("problem", [
    {"offenders_arrested": 1},   # "có đối tượng phạm tội về ma túy bị bắt"
    {"new_addicts": 1},          # "Trong năm phát sinh người nghiện ma túy mới"
    {"cultivation_area_m2": 5},  # "có diện tích trồng cây có chứa chất ma túy"
    {"addicts": 1, "addicts_with_records": 1, "addicts_present": 1, "addicts_present_rehab_records": 1},
    {"drug_offenders": 1},       # II.1.1 (2) "Không có đối tượng ... hoạt động phạm tội về ma túy"
])
def test_a_commune_with_drug_problems_is_not_drug_free(plan, problem):
    # II.1.2 "Trong năm phát sinh người nghiện ma túy mới, có người nghiện ma túy có hồ sơ quản lý hoặc
    # có đối tượng phạm tội về ma túy bị bắt, có diện tích trồng cây có chứa chất ma túy trên địa bàn."
    findings = _verdicts(plan, _all_clean(plan, **{"kim_dong.nhan_la": problem}))
    keep = next(f for f in findings if f.item == "keep_22_drug_free" and f.unit == "kim_dong.nhan_la")
    assert (keep.status, keep.reason) == ("not_met", "not_in_class")
    # it no longer counts towards the 53 of 161, Kim Động's 11 of 17 or its 6 kept
    counts = {f.item: f.actual for f in findings if f.kind == "target" and f.item in (
        "drug_free_53_of_161", "kim_dong_11_of_17", "kim_dong_keep_6")}
    assert counts == {"drug_free_53_of_161": 52, "kim_dong_11_of_17": 10, "kim_dong_keep_6": 5}
    # and no commune is counted drug-free and with drug problems at once
    assert not [f for f in findings if f.kind == "consistency"]


def test_the_clean_communes_all_count(plan):
    findings = _verdicts(plan, _all_clean(plan))
    count = next(f for f in findings if f.item == "drug_free_53_of_161")
    assert (count.status, count.actual) == ("met", 53)
    transformed = [f for f in findings if f.item == "transform_31"]
    assert len(transformed) == 31 and {f.status for f in transformed} == {"met"}


def test_every_measure_the_criteria_need_is_on_the_form(runner):
    # II.1.2's new addicts and arrests, and II.1.3's figures, are asked of every commune the plan names
    res = runner.invoke(cli, ["template", "--province", "hung_yen"])
    assert res.exit_code == 0
    for measure in ("new_addicts", "offenders_arrested", "drug_offenders", "cultivation_area_m2",
                    "population", "addicts_outside_with_records"):
        rows = [line for line in res.stdout.splitlines() if f",{measure},measure," in line]
        assert len(rows) == 53, measure


def test_the_plan_check_proves_the_classes_exclusive():
    from plancheck.authoring.classes import overlaps
    from plancheck.plans.planfile import parse_plan

    plan = parse_plan(str(PLAN_FILE))
    assert {c.id for c in plan.checks if c.exclusive} == {"drug_free_xor_key_complex",
                                                           "drug_free_xor_has_drug_problems"}
    assert list(overlaps(plan)) == []


# -- what the text does not say, said on the findings (issue 16 §2) -----------------------------

def test_assumed_bodies_and_readings_travel_to_the_findings(runner):
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--example", "--as-of", "2025-01-31",
                              "--format", "json"])
    doc = json.loads(res.stdout)
    f = next(f for f in doc["findings"] if f["item"] == "drug_free_53_of_161")
    # I.2 names no body for the 53: the district committees are an assumption, with the clauses
    assert "agency: I.2 names no body for the 53" in f["assumed"] and "III.7.1" in f["assumed"]
    # II.1.3's all-or-any is a reading; the consistency check on key communes carries it
    key = [x for x in doc["findings"] if x["item"] == "drug_free_xor_key_complex"]
    assert key == []  # the classes cannot overlap
    reports = [x for x in doc["findings"] if x["item"] == "periodic_reports"]
    assert {x["agency"] for x in reports} == {"so_ban_nganh_doan_the"}
    assert all("V.1" in x["assumed"] for x in reports)


# -- the commitments the audit found missing (issue 16 §3) --------------------------------------

def test_the_missing_commitments_are_encoded(plan):
    tasks = {t.id: t for t in plan.tasks}
    obligations = {o.id: o for o in plan.obligations}
    by_clause = {t.source: t.id for t in plan.tasks} | {o.source: o.id for o in obligations.values()}
    for clause in ("II.2.2", "II.2.3", "III.2.3", "III.3.2", "III.5", "III.6", "IV.1"):
        assert clause in by_clause, clause
    # the plan numbers two clauses 4.3: the second one says so
    second = tasks["rehab_support_policy"]
    assert second.source == "III.4.3 (second; the plan numbers two clauses 4.3)"
    assert second.agencies == ("so_ldtbxh",)
    # II.2.2: each district reports to the province for recognition
    d = obligations["district_recognition_reports"]
    assert (d.per_unit, d.recipient) == ("district", ("ubnd_tinh",))
    # III.6: the police, the procuracy and the court, each judged on its own
    assert tasks["investigation_prosecution_trial"].agencies == ("cong_an_tinh", "vksnd_tinh", "tand_tinh")
    # standing duties ("thường xuyên") are judged each year, on evidence
    assert all(tasks[t].continuous and tasks[t].recurrence == "annual" for t in (
        "school_drug_prevention", "conditional_business_management", "rehab_support_policy",
        "legal_activities_control", "investigation_prosecution_trial"))
