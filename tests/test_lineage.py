"""Administrative lineage (issue 19): the 2025 reorganisation as data, and judging across it.

The province-level events are core's reference data (Resolution 202/2025/QH15);
the commune-level ones come from a plugin through ``register_lineage``. A test
plugin reorganises its communes on 2025-07-01 (a whole merger, a split, a
rename), data are ingested on old and new units through the CLI, and the
findings show what carried over and what is ``unit_reorganised``.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from plancheck.cli import cli

BASIS_202 = "202/2025/QH15"

FOUR = {  # the plugins' provinces and the province each is part of since 2025-07-01
    "tien_giang": ("dong_thap", "Tỉnh Đồng Tháp", {"tien_giang", "dong_thap"}),
    "vinh_long": ("vinh_long", "Tỉnh Vĩnh Long", {"ben_tre", "vinh_long", "tra_vinh"}),
    "hung_yen": ("hung_yen", "Tỉnh Hưng Yên", {"thai_binh", "hung_yen"}),
    "ninh_binh": ("ninh_binh", "Tỉnh Ninh Bình", {"ha_nam", "ninh_binh", "nam_dinh"}),
    "thai_binh": ("hung_yen", "Tỉnh Hưng Yên", {"thai_binh", "hung_yen"}),  # no plugin
}


@pytest.mark.parametrize("province", sorted(FOUR))
def test_lineage_names_the_successor_date_and_resolution(runner, province):
    successor, name, merged = FOUR[province]
    res = runner.invoke(cli, ["lineage", province])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].endswith("(until 2025-06-30)")
    assert f"merged on 2025-07-01 into: {name} [{successor}] (from 2025-07-01)" in lines[1]
    assert BASIS_202 in lines[2]
    doc = json.loads(runner.invoke(cli, ["lineage", province, "--format", "json"]).stdout)
    old = doc["versions"][0]
    assert (old["valid_to"], old["successors"][0]["id"], old["ended_by"]["date"]) == (
        "2025-06-30", successor, "2025-07-01")
    assert set(old["ended_by"]["predecessors"]) == merged
    assert BASIS_202 in old["ended_by"]["basis"] and old["ended_by"]["confirmed"] is False


def test_a_province_that_kept_its_name_has_two_versions(runner):
    doc = json.loads(runner.invoke(cli, ["lineage", "hung_yen", "--format", "json"]).stdout)
    old, new = doc["versions"]
    assert (old["valid_to"], new["valid_from"]) == ("2025-06-30", "2025-07-01")
    assert [p["id"] for p in new["predecessors"]] == ["thai_binh", "hung_yen"]
    assert [p["valid_to"] for p in new["predecessors"]] == ["2025-06-30", "2025-06-30"]


def test_sixty_three_then_thirty_four_provinces():
    from datetime import date

    from plancheck.plans.lineage import load_lineage, provinces_on

    lineage = load_lineage()
    assert lineage.problems == {}
    assert len(provinces_on(lineage, date(2025, 6, 30))) == 63
    assert len(provinces_on(lineage, date(2025, 7, 1))) == 34
    # every event cites its legal basis; every one of Resolution 202 is marked unconfirmed
    assert all(e.basis.strip() for _, e in lineage.events)
    assert all(not e.confirmed for _, e in lineage.events if BASIS_202 in e.basis)


def test_a_district_ends_with_its_level_and_an_unknown_id_is_a_usage_error(runner):
    res = runner.invoke(cli, ["lineage", "kim_dong", "--province", "hung_yen"])
    assert res.exit_code == 0, res.output
    assert "Huyện Kim Động (until 2025-06-30)" in res.stdout
    assert "abolished on 2025-07-01 (no successor)" in res.stdout and "203/2025/QH15" in res.stdout
    res = runner.invoke(cli, ["lineage", "no_such_place"])
    assert res.exit_code == 2
    assert res.stderr.startswith("no unit 'no_such_place' in the lineage data")


# -- a plugin's commune lineage, and judging across it ---------------------------------------------

PLAN = '''
id = "test-2024-2026"
province = "test_province"
province_name = "Tỉnh Thử"
title = "Kế hoạch thử"
title_en = "Test plan"
issuer = "Ủy ban nhân dân tỉnh Thử"
period = { start = 2024-01-01, end = 2026-12-31 }
source_file = "test.txt"
source = "preamble"

[[agencies]]
id = "ubnd_cap_xa"
name = "Ủy ban nhân dân cấp xã"
name_en = "Commune People's Committees"
level = "commune"
source = "V"

[[units]]
id = "test_province"
name = "Tỉnh Thử"
name_en = "Test province"
level = "province"
source = "I"

[[units]]
id = "xa_a"
name = "Xã A"
name_en = "A"
level = "commune"
parent = "test_province"
valid_to = 2025-06-30
source = "I"

[[units]]
id = "xa_b"
name = "Xã B"
name_en = "B"
level = "commune"
parent = "test_province"
valid_to = 2025-06-30
source = "I"

[[units]]
id = "xa_ab"
name = "Xã AB"
name_en = "AB"
level = "commune"
parent = "test_province"
source = "I"
assumed = "The plan names the commune formed from A and B on 2025-07-01 for all its years"

[[units]]
id = "xa_s"
name = "Xã S"
name_en = "S"
level = "commune"
parent = "test_province"
valid_to = 2025-06-30
source = "I"

[[units]]
id = "xa_s1"
name = "Xã S1"
name_en = "S1"
level = "commune"
parent = "test_province"
valid_from = 2025-07-01
source = "I"

[[units]]
id = "xa_old"
name = "Xã Cũ"
name_en = "Old"
level = "commune"
parent = "test_province"
valid_to = 2025-06-30
source = "I"

[[units]]
id = "xa_new"
name = "Xã Mới"
name_en = "New"
level = "commune"
parent = "test_province"
valid_from = 2025-07-01
source = "I"

[[measures]]
id = "addicts"
name = "Số người nghiện"
name_en = "Addicts"
unit = "people"
level = "commune"
period_type = "yearly"
source = "II"

[[measures]]
id = "treated_share"
name = "Tỷ lệ người nghiện được điều trị"
name_en = "Share of addicts treated"
unit = "percent"
level = "commune"
period_type = "yearly"
source = "II"

[[targets]]
id = "addicts_at_most_10"
name = "Mỗi xã không quá 10 người nghiện"
name_en = "At most 10 addicts in each commune"
kind = "value"
measure = "addicts"
comparator = "<="
threshold = 10
scope = "units"
units = ["xa_a", "xa_b", "xa_ab", "xa_s", "xa_old"]
recurrence = "annual"
agency = "ubnd_cap_xa"
source = "II.1"

[[targets]]
id = "treated_80"
name = "Trên 80% người nghiện được điều trị"
name_en = "Over 80% of addicts treated"
kind = "value"
measure = "treated_share"
comparator = ">"
threshold = 80
scope = "units"
units = ["xa_ab"]
period = "2024"
agency = "ubnd_cap_xa"
source = "II.2"
'''

LINEAGE = '''
province = "test_province"

[[units]]
id = "xa_a"
name = "Xã A"
level = "commune"
valid_to = 2025-06-30

[[units]]
id = "xa_b"
name = "Xã B"
level = "commune"
valid_to = 2025-06-30

[[units]]
id = "xa_ab"
name = "Xã AB"
level = "commune"
valid_from = 2025-07-01

[[units]]
id = "xa_s"
name = "Xã S"
level = "commune"
valid_to = 2025-06-30

[[units]]
id = "xa_s1"
name = "Xã S1"
level = "commune"
valid_from = 2025-07-01

[[units]]
id = "xa_s2"
name = "Xã S2"
level = "commune"
valid_from = 2025-07-01

[[units]]
id = "xa_old"
name = "Xã Cũ"
level = "commune"
valid_to = 2025-06-30

[[units]]
id = "xa_new"
name = "Xã Mới"
level = "commune"
valid_from = 2025-07-01

[[events]]
kind = "merged_into"
date = 2025-07-01
predecessors = ["xa_a", "xa_b"]
successors = ["xa_ab"]
basis = "Nghị quyết số 9999/NQ-UBTVQH15 (test), Điều 1 khoản 1"
confirmed = true

[[events]]
kind = "split_from"
date = 2025-07-01
predecessors = ["xa_s"]
successors = ["xa_s1", "xa_s2"]
basis = "Nghị quyết số 9999/NQ-UBTVQH15 (test), Điều 1 khoản 2"
confirmed = true

[[events]]
kind = "renamed"
date = 2025-07-01
predecessors = ["xa_old"]
successors = ["xa_new"]
basis = "Nghị quyết số 9999/NQ-UBTVQH15 (test), Điều 1 khoản 3"
confirmed = true
'''

LINEAGE_PLUGIN = '''
from pathlib import Path
from plancheck import hookimpl

@hookimpl
def register_plans(register):
    register(Path(__file__).parent / "plan.toml", province="test_province",
             province_name="Tỉnh Thử", api_version=1)

@hookimpl
def register_lineage(register):
    register(Path(__file__).parent / "lineage.toml", province="test_province")
'''


def _form(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["province", "plan", "item", "kind", "agency", "unit", "period", "value", "date"])
    for unit, period, item, value in rows:
        w.writerow(["test_province", "test-2024-2026", item, "measure", "", unit, period, value, ""])
    return buf.getvalue()


@pytest.fixture
def reorganised(runner, install_plugin, tmp_path):
    install_plugin("plancheck_test_lineage", LINEAGE_PLUGIN, {"plan.toml": PLAN, "lineage.toml": LINEAGE},
                   entry_point="test_province")
    data = tmp_path / "data.csv"
    data.write_text(_form([
        ("xa_a", "2024", "addicts", "4"), ("xa_b", "2024", "addicts", "5"),   # before the merger
        ("xa_ab", "2025", "addicts", "12"),                                    # the merged commune's year
        ("xa_a", "2024", "treated_share", "90"), ("xa_b", "2024", "treated_share", "70"),
        ("xa_s", "2024", "addicts", "3"), ("xa_s1", "2025", "addicts", "2"),  # the split
        ("xa_old", "2024", "addicts", "6"), ("xa_new", "2025", "addicts", "11"),  # the rename
    ]), encoding="utf-8")
    res = runner.invoke(cli, ["ingest", str(data)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2027-01-15", "--format", "json"])
    assert res.exit_code == 1, res.output
    doc = json.loads(res.stdout)
    return {(f["item"], f["unit"], f["period"]): f for f in doc["findings"] if f["kind"] == "target"}


def test_a_whole_merger_carries_an_additive_value_back(reorganised):
    # AB did not exist in 2024; A and B merged whole into it, and addicts add up: 4 + 5 = 9 ≤ 10.
    f = reorganised[("addicts_at_most_10", "xa_ab", "2024")]
    assert (f["status"], f["actual"]) == ("met", 9.0)
    assert "carried over from xa_a (4) + xa_b (5) = 9" in f["computation"]
    assert "9999/NQ-UBTVQH15" in f["computation"]
    assert {(e["unit"], e["value"], e["row"]) for e in f["evidence"]} == {("xa_a", 4.0, 2), ("xa_b", 5.0, 3)}
    # the merged commune's own year is judged on its own value
    f = reorganised[("addicts_at_most_10", "xa_ab", "2025")]
    assert (f["status"], f["reason"], f["actual"]) == ("not_met", "above_limit", 12.0)


def test_a_ratio_does_not_carry_over_a_merger(reorganised):
    f = reorganised[("treated_80", "xa_ab", "2024")]
    assert (f["status"], f["reason"], f["actual"]) == ("no_data", "unit_reorganised", None)
    assert "Xã A (until 2025-06-30), Xã B (until 2025-06-30) merged into Xã AB (from 2025-07-01)" in f["computation"]


def test_old_units_after_a_merger_or_split_are_unit_reorganised(reorganised):
    for unit, verb in (("xa_a", "merged into Xã AB"), ("xa_b", "merged into Xã AB"), ("xa_s", "split into Xã S1")):
        f = reorganised[("addicts_at_most_10", unit, "2025")]
        assert (f["status"], f["reason"], f["actual"]) == ("no_data", "unit_reorganised", None), unit
        assert verb in f["computation"] and "on 2025-07-01" in f["computation"]
        assert "Nghị quyết số 9999/NQ-UBTVQH15 (test)" in f["computation"]
        # before the reorganisation the old units are judged as always
        assert reorganised[("addicts_at_most_10", unit, "2024")]["status"] == "met"
    assert reorganised[("addicts_at_most_10", "xa_s", "2024")]["actual"] == 3.0


def test_a_rename_carries_every_value(reorganised):
    f = reorganised[("addicts_at_most_10", "xa_old", "2025")]
    assert (f["status"], f["reason"], f["actual"]) == ("not_met", "above_limit", 11.0)
    assert "carried over from xa_new (11)" in f["computation"] and "renamed" in f["computation"]
    assert reorganised[("addicts_at_most_10", "xa_old", "2024")]["actual"] == 6.0


def test_a_plugin_lineage_event_without_basis_is_refused_with_its_path(runner, install_plugin):
    bad = LINEAGE.replace('basis = "Nghị quyết số 9999/NQ-UBTVQH15 (test), Điều 1 khoản 2"\n', "")
    bad = bad.replace('basis = "Nghị quyết số 9999/NQ-UBTVQH15 (test), Điều 1 khoản 3"', 'basis = " "')
    site = install_plugin("plancheck_test_lineage", LINEAGE_PLUGIN, {"plan.toml": PLAN, "lineage.toml": bad},
                          entry_point="test_province")
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2027-01-15"])
    assert res.exit_code == 2, res.output
    path = site / "plancheck_test_lineage" / "lineage.toml"
    assert f"{path}: required field missing @ $.events[1].basis" in res.stderr
    # the other provinces are not affected
    assert runner.invoke(cli, ["run", "--province", "tien_giang", "--example", "--as-of", "2025-02-01"]).exit_code == 1
    # a blank basis is refused too, once the file structures
    ok = LINEAGE.replace('basis = "Nghị quyết số 9999/NQ-UBTVQH15 (test), Điều 1 khoản 3"', 'basis = " "')
    (path).write_text(ok, encoding="utf-8")
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2027-01-15"])
    assert res.exit_code == 2
    assert f"{path}: every event needs its legal basis (basis = ...) @ $.events[2].basis" in res.stderr
    res = runner.invoke(cli, ["lineage", "xa_ab", "--province", "test_province"])
    assert res.exit_code == 2 and "every event needs its legal basis" in res.stderr


def test_a_plugin_commune_is_shown_by_lineage(runner, install_plugin):
    install_plugin("plancheck_test_lineage", LINEAGE_PLUGIN, {"plan.toml": PLAN, "lineage.toml": LINEAGE},
                   entry_point="test_province")
    res = runner.invoke(cli, ["lineage", "xa_s"])  # found in the one province that declares it
    assert res.exit_code == 0, res.output
    assert "split on 2025-07-01 into: Xã S1 [xa_s1] (from 2025-07-01), Xã S2 [xa_s2] (from 2025-07-01)" in res.stdout


def test_a_province_plan_for_2025_after_the_merger(runner, tmp_path):
    """Vĩnh Long's 2021–2025 plan: its 2025 figures would be the new province's, with Bến Tre and
    Trà Vinh; the finding says so instead of judging the old plan on them."""
    vl = "vinh_long-2021-2025-chuong-trinh-phong-chong-ma-tuy"
    data = tmp_path / "vl.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["province", "plan", "item", "kind", "agency", "unit", "period", "value", "date"])
    for period, value in (("2023", "200"), ("2024", "212"), ("2025", "640")):
        w.writerow(["vinh_long", vl, "drug_crimes_detected", "measure", "", "vinh_long", period, value, ""])
    data.write_text(buf.getvalue(), encoding="utf-8")
    assert runner.invoke(cli, ["ingest", str(data)]).exit_code == 0
    doc = json.loads(runner.invoke(cli, ["run", "--province", "vinh_long", "--as-of", "2026-06-30",
                                         "--format", "json"]).stdout)
    got = {f["period"]: f for f in doc["findings"] if f["item"] == "drug_crimes_growth_5pct"}
    assert (got["2024"]["status"], got["2024"]["actual"]) == ("met", 6.0)
    assert (got["2025"]["status"], got["2025"]["reason"], got["2025"]["actual"]) == (
        "no_data", "unit_reorganised", None)
    assert "Tỉnh Bến Tre (until 2025-06-30), Tỉnh Vĩnh Long (until 2025-06-30), Tỉnh Trà Vinh (until " \
           "2025-06-30) merged into Tỉnh Vĩnh Long (from 2025-07-01) on 2025-07-01" in got["2025"]["computation"]
    assert BASIS_202 in got["2025"]["computation"]
