"""The national comparison, checked against numbers computed by hand.

Data are ingested into the database for Vĩnh Long (plan 2021–2025) and Tiền
Giang (plan 2024): the provinces share only 2024, so 2024 is what is compared.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.cli import cli

VL = "vinh_long-2021-2025-chuong-trinh-phong-chong-ma-tuy"
TG = "tien_giang-2024-phong-chong-ma-tuy"


def form(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["province", "plan", "item", "kind", "agency", "unit", "period", "value", "date"])
    w.writerows(rows)
    return buf.getvalue()


@pytest.fixture
def ingested(runner, tmp_path):
    f = tmp_path / "data.csv"
    f.write_text(form([
        # Vĩnh Long I.1: "tăng từ 5% so với năm trước": 200 → 212 is +6%
        ["vinh_long", VL, "drug_crimes_detected", "measure", "", "vinh_long", "2023", "200", ""],
        ["vinh_long", VL, "drug_crimes_detected", "measure", "", "vinh_long", "2024", "212", ""],
        # I.1 "100% số vụ án ma túy được giải quyết" (tighter than the national > 90%): 45/50 = 90%
        ["vinh_long", VL, "drug_cases", "measure", "", "vinh_long", "2024", "50", ""],
        ["vinh_long", VL, "drug_cases_resolved", "measure", "", "vinh_long", "2024", "45", ""],
        # a 2022 value, outside the shared years: must not appear
        ["vinh_long", VL, "drug_cases", "measure", "", "vinh_long", "2022", "10", ""],
        ["vinh_long", VL, "drug_cases_resolved", "measure", "", "vinh_long", "2022", "10", ""],
        # Tiền Giang: detections 100 → 103 is +3%, below "tăng 5%"
        ["tien_giang", TG, "drug_crimes_detected", "measure", "", "tien_giang", "2023", "100", ""],
        ["tien_giang", TG, "drug_crimes_detected", "measure", "", "tien_giang", "2024", "103", ""],
        # Tiền Giang's semiannual report under Decree 09 (due 30/06 and 31/12/2024): one 4 days late
        ["tien_giang", TG, "standing_body_reports", "obligation", "cong_an_tinh", "", "2024S1", "", "2024-07-04"],
        ["tien_giang", TG, "standing_body_reports", "obligation", "cong_an_tinh", "", "2024S2", "", "2024-12-20"],
    ]), encoding="utf-8")
    res = runner.invoke(cli, ["ingest", str(f)])
    assert res.exit_code == 0, res.output


def by(rows, **kw):
    return [r for r in rows if all(r.get(k) == v for k, v in kw.items())]


def test_indicators_side_by_side(runner, ingested):
    res = runner.invoke(cli, ["compare", "--province", "vinh_long", "--province", "tien_giang",
                              "--as-of", "2025-02-01", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["periods"] == {"years": [2024], "rule": "compared on the years every compared plan covers: 2024"}
    ind = {i["code"]: i for i in doc["indicators"]}
    growth = ind["crimes_detected_growth"]["provinces"]
    [vl] = by(growth, province="vinh_long")
    assert (vl["adoption"], vl["period"], vl["actual"], vl["status"], vl["attainment"]) == (
        "restated", "2024", 6.0, "met", 1.2)          # 6 / 5
    [tg] = by(growth, province="tien_giang")
    assert (tg["actual"], tg["status"], tg["attainment"]) == (3.0, "not_met", 0.6)  # 3 / 5
    cases = ind["cases_resolved"]
    assert cases["national"] == {"comparator": ">", "threshold": 90.0}
    [vl] = by(cases["provinces"], province="vinh_long")
    assert (vl["comparator"], vl["threshold"], vl["actual"], vl["status"], vl["attainment"]) == (
        ">=", 100.0, 90.0, "not_met", 0.9)
    assert by(cases["provinces"], province="tien_giang")[0]["adoption"] == "not_in_plan"
    # adopted but nothing reported: no data, which is not the same as not in plan
    [vl] = by(ind["services_reached"]["provinces"], province="vinh_long")
    assert (vl["adoption"], vl["status"]) == ("restated", "no_data")


def test_reporting_discipline_and_ranking(runner, ingested):
    doc = json.loads(runner.invoke(cli, ["compare", "--province", "vinh_long", "--province", "tien_giang",
                                         "--as-of", "2025-02-01", "--format", "json"]).stdout)
    [tg] = by(doc["reporting"], province="tien_giang")
    assert (tg["expected"], tg["received"], tg["on_time"], tg["late"], tg["missing"]) == (2, 2, 1, 1, 0)
    assert (tg["on_time_rate"], tg["mean_days_late"]) == (0.5, 4.0)
    rows = {r["province"]: r for r in doc["ranking"]["rows"]}
    # Tiền Giang: 0 of 1 judged national verdicts met; Vĩnh Long 1 of 2, but its coverage is
    # far under 50% (few of its 2024 items have data), so it is unranked.
    assert rows["vinh_long"]["rank"] is None and rows["vinh_long"]["why"] == "low_coverage"
    assert (rows["vinh_long"]["met"], rows["vinh_long"]["judged"]) == (1, 2)
    assert "coverage < 50%" in doc["ranking"]["rule"]


def test_failed_plugin_is_a_row_and_the_rest_are_compared(runner, ingested, install_plugin):
    install_plugin("plancheck_test_badplan", PLUGIN_SOURCE,
                   {"plan.toml": MINIMAL_PLAN.replace('title = "Kế hoạch thử"', 'title = 5')},
                   entry_point="test_province")
    res = runner.invoke(cli, ["compare", "--as-of", "2025-02-01", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    [failed] = [p for p in doc["provinces"] if p["status"] == "failed"]
    assert failed["province"] == "test_province"
    assert "expected a string, got int 5 @ $.title" in failed["reason"]
    assert {p["province"] for p in doc["provinces"] if p["status"] == "ok"} >= {"vinh_long", "tien_giang"}
    row = by(doc["indicators"][0]["provinces"], province="test_province")[0]
    assert row["adoption"] == "failed"


def test_single_period_and_csv(runner, ingested):
    res = runner.invoke(cli, ["compare", "--province", "vinh_long", "--period", "2022",
                              "--as-of", "2025-02-01", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    cases = [r for r in rows if r["indicator"] == "cases_resolved"]
    assert [(r["period"], r["actual"], r["status"]) for r in cases] == [("2022", "100.0", "met")]
    table = runner.invoke(cli, ["compare", "--province", "vinh_long", "--province", "tien_giang",
                                "--as-of", "2025-02-01"])
    assert "Rule: Provinces are ranked by" in table.stdout
    assert "compared on the years every compared plan covers: 2024" in table.stdout


def test_unknown_indicator_code_is_an_error(tmp_path):
    from plancheck.errors import InputError
    from plancheck.plans.planfile import load_plan

    p = tmp_path / "plan.toml"
    text = MINIMAL_PLAN.replace('source = "preamble"', 'source = "preamble"\nadopts = { programme = '
                                '"decision-1452-2021", include = ["services_reached", "no_such"] }')
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_plan(p)
    assert exc.value.problems == [
        f"{p}: unknown indicator 'no_such' in programme decision-1452-2021 @ $.adopts.include[1]"]
    p.write_text(text.replace(', "no_such"', ""), encoding="utf-8")
    plan = load_plan(p)
    [t] = [t for t in plan.targets if t.national == "services_reached"]
    assert (t.id, t.comparator, t.threshold, t.recurrence) == ("national.services_reached", ">", 80.0, "annual")
    assert t.assumed and "does not restate" in t.assumed


def test_html_dashboard_is_what_publish_comparison_makes(runner, ingested, tmp_path):
    from plancheck.publish import publish_comparison

    out = tmp_path / "compare.html"
    args = ["compare", "--province", "vinh_long", "--province", "tien_giang", "--as-of", "2025-02-01"]
    res = runner.invoke(cli, [*args, "--format", "html", "--lang", "en", "-o", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    assert out.read_bytes() == publish_comparison(doc, "en")
    assert runner.invoke(cli, [*args, "--format", "html"]).exit_code == 2  # needs -o FILE


# -- across the 2025 reorganisation (issue 19) ---------------------------------------------------

def test_after_the_reorganisation_provinces_are_grouped_as_they_are_now(runner):
    res = runner.invoke(cli, ["compare", "--example", "--as-of", "2026-06-30", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    # the programme in force on the date, unless --programme says otherwise
    assert doc["programme"]["id"] == "ntp-drugs-2030"
    groups = {g["province"]: g for g in doc["units"]["groups"]}
    assert doc["units"]["as_of"] == "2026-06-30" and len(groups) == 34
    members = {g: [(m["province"], m["status"], m["valid_to"]) for m in groups[g]["predecessors"]]
               for g in ("dong_thap", "hung_yen", "vinh_long")}
    assert members["dong_thap"] == [("tien_giang", "ok", "2025-06-30"), ("dong_thap", "no_plugin", "2025-06-30")]
    assert members["hung_yen"] == [("thai_binh", "no_plugin", "2025-06-30"), ("hung_yen", "ok", "2025-06-30")]
    assert [m[0] for m in members["vinh_long"]] == ["ben_tre", "vinh_long", "tra_vinh"]
    assert "202/2025/QH15" in groups["dong_thap"]["formed_by"]
    assert groups["ha_noi"]["predecessors"] == [
        {"province": "ha_noi", "name": "Thành phố Hà Nội", "valid_to": None, "plans": [], "status": "no_plugin"}]
    assert {p["province"]: p["group"] for p in doc["provinces"]} == {
        "tien_giang": "dong_thap", "hung_yen": "hung_yen", "vinh_long": "vinh_long", "ninh_binh": "ninh_binh"}
    # rows come in the order of the current provinces
    rows = doc["indicators"][0]["provinces"]
    assert [r["group"] for r in rows] == sorted(r["group"] for r in rows)

    text = runner.invoke(cli, ["compare", "--example", "--as-of", "2026-06-30"]).stdout
    assert "  hung_yen: Tỉnh Hưng Yên (from 2025-07-01)\n    thai_binh (until 2025-06-30): no plan installed\n" \
           "    hung_yen (until 2025-06-30): plans hung_yen-2024-xa-khong-ma-tuy" in text
    assert "    tien_giang (until 2025-06-30): plans tien_giang-2024-phong-chong-ma-tuy" in text


def test_the_drug_free_share_is_compared_with_the_province_s_own_figure(runner):
    """Hưng Yên's I.2, "53/161 xã ... không có ma túy (đạt tỷ lệ 32,9%)", on the 2030 programme's
    indicator: its own 2024 figure is the threshold, the actual count a share of the same 161."""
    run = json.loads(runner.invoke(cli, ["run", "--province", "hung_yen", "--example", "--as-of", "2026-06-30",
                                         "--format", "json"]).stdout)
    [own] = [f for f in run["findings"] if f["item"] == "drug_free_53_of_161"]
    doc = json.loads(runner.invoke(cli, ["compare", "--example", "--as-of", "2026-06-30", "--format", "json"]).stdout)
    ind = {i["code"]: i for i in doc["indicators"]}["drug_free_communes"]
    assert (ind["national"], ind["by"], ind["roadmap"], ind["confirmed"]) == (
        {"comparator": ">=", "threshold": 50.0}, "2030-12-31", True, False)
    assert "own figure for the year" in ind["threshold_rule"]
    [hy] = by(ind["provinces"], province="hung_yen")
    assert (hy["adoption"], hy["group"], hy["period"], hy["comparator"]) == ("mapped", "hung_yen", "2024", ">=")
    assert hy["threshold"] == round(53 / 161 * 100, 1) == 32.9
    assert hy["actual"] == round(own["actual"] / 161 * 100, 1)
    assert hy["count"] == {"actual": own["actual"], "threshold": 53.0, "of": 161}
    assert hy["status"] == own["status"] and hy["attainment"] == round(hy["actual"] / hy["threshold"], 3)
    assert by(ind["provinces"], province="ninh_binh")[0]["adoption"] == "not_in_plan"


def test_units_as_of_overrides_the_grouping_date(runner):
    args = ["compare", "--example", "--as-of", "2026-06-30", "--units-as-of", "2025-06-30"]
    doc = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    assert doc["units"]["as_of"] == "2025-06-30" and len(doc["units"]["groups"]) == 63
    assert all(p["group"] == p["province"] for p in doc["provinces"])
    assert "Provinces as of" not in runner.invoke(cli, args).stdout
    res = runner.invoke(cli, ["compare", "--example", "--units-as-of", "mid-2025"])
    assert res.exit_code == 2 and "--units-as-of" in res.output


def test_before_the_reorganisation_the_comparison_is_as_it_was(runner):
    doc = json.loads(runner.invoke(cli, ["compare", "--example", "--as-of", "2025-02-01", "--format", "json"]).stdout)
    assert doc["programme"]["id"] == "decision-1452-2021"
    assert all(p["group"] == p["province"] for p in doc["provinces"])
    groups = {g["province"]: g for g in doc["units"]["groups"]}
    assert len(groups) == 63 and groups["tien_giang"]["predecessors"][0]["status"] == "ok"


def test_the_dashboard_names_each_plan_s_current_province(runner, tmp_path):
    out = tmp_path / "national.html"
    args = ["compare", "--example", "--format", "html", "--lang", "en", "-o", str(out)]
    assert runner.invoke(cli, [*args, "--as-of", "2026-06-30"]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert 'class="province">Tiền Giang → Tỉnh Đồng Tháp</th>' in page
    assert runner.invoke(cli, [*args, "--as-of", "2025-02-01"]).exit_code == 0
    assert "→ Tỉnh Đồng Tháp" not in out.read_text(encoding="utf-8")


def test_an_unranked_province_says_the_real_reason(runner, tmp_path):
    """A plan that adopts no national indicator is unranked for that, however complete its data (issue 17:
    the dashboard said "thiếu số liệu" for a province with 97.7% coverage), on the page in Vietnamese only."""
    from plancheck.judge.compare import UNRANKED_WHY

    doc = json.loads(runner.invoke(cli, ["compare", "--example", "--as-of", "2025-01-15", "--format", "json"]).stdout)
    indicators = doc["indicators"]
    for r in doc["ranking"]["rows"]:
        if r["rank"] is not None:
            continue
        assert r["why"] in UNRANKED_WHY
        rows = [x for i in indicators for x in i["provinces"] if x["province"] == r["province"]]
        adopted = any(x["adoption"] not in ("not_in_plan", "skipped") for x in rows)
        if r["judged"] == 0 and not adopted:
            assert r["why"] == "no_national_indicator" and r["coverage"] >= 0.5, r
    reasons = {r["province"]: r["why"] for r in doc["ranking"]["rows"] if r["rank"] is None}
    assert reasons.get("hung_yen") == "no_national_indicator"
    out = tmp_path / "dashboard.html"
    assert runner.invoke(cli, ["compare", "--example", "--as-of", "2025-01-15", "--format", "html", "--lang", "vi",
                               "-o", str(out)]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "Không xếp hạng: kế hoạch của tỉnh không áp dụng chỉ tiêu nào của chương trình quốc gia" in page
    assert "thiếu số liệu" not in page
    assert 'lang="en"' not in page  # no rule left in the English core wrote it in
