"""Issue 21, class 8: Unicode identity. What looks the same is the same (ids and names are composed to
NFC when a plan or a form is read); what only looks the same (a Cyrillic or full-width look-alike) is
refused with the ids it looks like."""

from __future__ import annotations

import json
import unicodedata

import pytest
from test_reliability_misfiling import assert_refused, blank, csv_text, filled, ingest, pick, stored

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.cli import cli
from plancheck.plans.identity import hint, lookalike_letters, skeleton

NFD = unicodedata.normalize("NFD", "xã_nhân_la")
assert NFD != "xã_nhân_la"

DECOMPOSED = MINIMAL_PLAN.replace("[[tasks]]", f'''
[[units]]
id = "{NFD}"
name = "{unicodedata.normalize("NFD", "Xã Nhân La")}"
name_en = "Nhan La commune"
level = "commune"
parent = "test_province"
source = "I"

[[measures]]
id = "hotspots"
name = "{unicodedata.normalize("NFD", "Số điểm nóng")}"
name_en = "Hotspots"
unit = "điểm"
level = "commune"
period_type = "yearly"
source = "II.1"

[[targets]]
id = "no_hotspots"
name = "Không còn điểm nóng"
name_en = "No hotspots"
kind = "value"
measure = "hotspots"
comparator = "<="
threshold = 0
units = ["{NFD}"]
scope = "units"
period = "2024"
source = "II.1"

[[tasks]]''')


def test_a_plan_written_decomposed_is_ingested_from_its_own_form(runner, tmp_path, isolated_db, install_plugin):
    """Before: the plan check passed, and the plan's own form could not be ingested."""
    install_plugin("plancheck_test_nfd", PLUGIN_SOURCE, {"plan.toml": DECOMPOSED}, entry_point="test_province")
    rows = blank(runner, "test_province")
    row = pick(rows, item="hotspots")
    assert row["unit"] == "xã_nhân_la" and unicodedata.is_normalized("NFC", row["unit"])
    path = tmp_path / "f.csv"
    path.write_text(csv_text([filled(row, value="0")]), encoding="utf-8")
    assert ingest(runner, path).exit_code == 0
    # typed decomposed in the form too: the same unit
    path.write_text(csv_text([filled(row, unit=NFD, value="0")]), encoding="utf-8")
    assert json.loads(ingest(runner, path).stdout)[0]["unchanged"] == 1
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2025-01-01", "--format", "json"])
    [f] = [f for f in json.loads(res.stdout)["findings"] if f["item"] == "no_hotspots"]
    assert (f["unit"], f["status"]) == ("xã_nhân_la", "met")


CYRILLIC_E = "\u0435"


def test_a_look_alike_province_in_a_form_names_the_province_it_looks_like(runner, tmp_path, isolated_db):
    row = filled(pick(blank(runner), item="bodies_total"), value="10")
    path = tmp_path / "f.csv"
    path.write_text(csv_text([filled(row, province=f"hung_y{CYRILLIC_E}n")]), encoding="utf-8")
    assert_refused(ingest(runner, path), "cell A2 (column “province”): 'hung_yеn': unknown province; looks like "
                   "'hung_yen' but is written with Cyrillic 'е' (U+0435); type it again in Latin letters",
                   url=isolated_db)


@pytest.mark.parametrize(("typed", "letters"), [
    ("ｋｉｍ＿ｄｏｎｇ", "Fullwidth 'ｋ' (U+FF4B)"),
    ("kim_d\u043eng", "Cyrillic 'о' (U+043E)"),
    ("kim_dong.nh\u0430n_la", "Cyrillic 'а' (U+0430)"),
])
def test_a_look_alike_unit_names_the_unit_it_looks_like(runner, tmp_path, isolated_db, typed, letters):
    rows = blank(runner)
    meant = skeleton(typed)
    row = filled(next(r for r in rows if r["kind"] == "measure" and r["unit"] == meant), value="1", unit=typed)
    path = tmp_path / "f.csv"
    path.write_text(csv_text([row]), encoding="utf-8")
    assert_refused(ingest(runner, path), f"looks like '{meant}' but is written with {letters}", url=isolated_db)


def test_a_look_alike_province_on_the_command_line_names_the_province(runner):
    res = runner.invoke(cli, ["run", "--province", f"hung_y{CYRILLIC_E}n", "--example"])
    assert res.exit_code == 2
    assert "unknown province 'hung_yеn'; looks like 'hung_yen' but is written with Cyrillic 'е'" in res.stderr


def test_a_plan_whose_ids_use_look_alike_letters_is_refused(runner, tmp_path):
    plan = MINIMAL_PLAN.replace('id = "cong_an_tinh"', f'id = "cong_an_tinh_{CYRILLIC_E}"').replace(
        'agencies = ["cong_an_tinh"]', f'agencies = ["cong_an_tinh_{CYRILLIC_E}"]')
    path = tmp_path / "plan.toml"
    path.write_text(plan, encoding="utf-8")
    res = runner.invoke(cli, ["plugin", "check", str(path)])
    assert res.exit_code == 1
    assert ("id 'cong_an_tinh_е' is written with Cyrillic 'е' (U+0435), which only look like Latin letters: "
            "write 'cong_an_tinh_e' @ $.agencies[0].id") in res.stdout


def test_vietnamese_letters_are_not_look_alikes():
    assert lookalike_letters("Xã Nhân La, Tỉnh Hưng Yên, Đồng Tháp") == []
    assert hint("hưng_yên", ["hung_yen"]) == ""  # a different id, not a disguised one


def test_a_close_spelling_is_suggested():
    assert hint("hotspot", ["hotspots", "hotspots_formed", "addicts"]).startswith("; did you mean 'hotspots'")
    assert hint("HUNG_YEN", ["hung_yen"]).endswith("did you mean 'hung_yen'?")


def test_stored_ids_are_the_plans_own(runner, tmp_path, isolated_db):
    rows = blank(runner)
    row = filled(next(r for r in rows if r["item"] == "hotspots" and r["unit"] == "kim_dong.nhan_la"), value="2")
    path = tmp_path / "f.csv"
    path.write_text(csv_text([filled(row, unit=unicodedata.normalize("NFD", "Xã Nhân La"))]), encoding="utf-8")
    assert ingest(runner, path).exit_code == 0
    assert [r[2] for r in stored(isolated_db)] == ["kim_dong.nhan_la"]
