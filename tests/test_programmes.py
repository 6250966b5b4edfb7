"""National programme templates (issue 19): `plancheck programmes`, the 2030 programme, and how a plan
maps its targets to the indicators of a programme it did not build on."""

from __future__ import annotations

import json

import pytest

from conftest import MINIMAL_PLAN
from plancheck.cli import cli

#: The 2030 indicators the issue lists from the published texts, with their thresholds as stated there.
PUBLISHED = {
    "drug_free_communes": (">=", 50), "addicts_growth": ("<", 1), "users_growth": ("<", 1),
    "addicts_counselled": (">=", 80), "after_rehab_supported": (">=", 90), "information_reached": (">", 90),
    "hotspots_dismantled": (">=", 100), "cultivation_destroyed": (">=", 100),
    "border_crimes_growth": (">", 3), "transnational_crimes_growth": (">", 3), "online_crimes_growth": (">", 5),
    "crimes_detected_growth": (">", 3), "health_stations_capable": (">", 80),
}


def test_programmes_lists_1452_and_the_2030_programme(runner):
    res = runner.invoke(cli, ["programmes", "--format", "json"])
    assert res.exit_code == 0, res.output
    progs = {p["id"]: p for p in json.loads(res.stdout)["programmes"]}
    assert list(progs) == ["decision-1452-2021", "ntp-drugs-2030"]  # in the order they begin
    old, new = progs["decision-1452-2021"], progs["ntp-drugs-2030"]
    assert "1452/QĐ-TTg" in old["document"] and old["period"] == {"start": "2021-01-01", "end": "2025-12-31"}
    for act in ("163/2024/QH15", "7619/QĐ-BCA", "132-KL/TW"):
        assert act in new["document"]
    got = {i["code"]: (i["comparator"], i["threshold"]) for i in new["indicators"]}
    assert got == PUBLISHED
    # every threshold here is from a secondary source: unconfirmed, with the source named
    assert all(i["confirmed"] is False and i["source"] and i["note"] for i in new["indicators"])
    free = {i["code"]: i for i in new["indicators"]}["drug_free_communes"]
    assert (free["by"], free["roadmap"], free["unit"]) == ("2030-12-31", True, "percent")
    table = runner.invoke(cli, ["programmes"]).stdout
    assert "ntp-drugs-2030: National Target Programme on drug prevention and control to 2030 (2026–2030)" in table
    assert "by 2030-12-31; provincial roadmap" in table


def _plan(tmp_path, extra: str):
    p = tmp_path / "plan.toml"
    p.write_text(MINIMAL_PLAN + extra, encoding="utf-8")
    return p


COUNT = '''
[[measures]]
id = "drug_free"
name = "Xã không ma túy"
name_en = "Drug-free communes"
unit = "count"
level = "province"
period_type = "yearly"
source = "I"

[[targets]]
id = "free_40"
name = "40 xã không ma túy"
name_en = "40 drug-free communes"
kind = "value"
measure = "drug_free"
comparator = ">="
threshold = 40
period = "2024"
source = "I.2"
'''


@pytest.mark.parametrize("block, problem", [
    ('[[adoptions]]\nprogramme = "ntp-drugs-2030"\nmaps = [{ target = "no_such", indicator = "drug_free_communes" }]\n',
     "unknown target 'no_such' @ $.adoptions[0].maps[0].target"),
    ('[[adoptions]]\nprogramme = "ntp-drugs-2030"\nmaps = [{ target = "free_40", indicator = "no_such" }]\n',
     "unknown indicator 'no_such' in programme ntp-drugs-2030 @ $.adoptions[0].maps[0].indicator"),
    ('[[adoptions]]\nprogramme = "ntp-drugs-2030"\nmaps = [{ target = "free_40", indicator = "drug_free_communes" }]\n',
     "target 'free_40' (value) cannot stand for indicator 'drug_free_communes' (ratio) @ $.adoptions[0].maps[0]"),
    ('[[adoptions]]\nprogramme = "ntp-2099"\n', "unknown programme 'ntp-2099'; known: decision-1452-2021, "
                                                 "ntp-drugs-2030 @ $.adoptions[0].programme"),
    ('[[adoptions]]\nprogramme = "ntp-drugs-2030"\ninclude = ["addicts_growth"]\n',
     "[[adoptions]] maps targets the plan already has (maps = [...]); a programme whose indicators the plan "
     "takes over goes in [adopts] @ $.adoptions[0].include"),
])
def test_a_bad_mapping_is_refused_with_its_path(tmp_path, block, problem):
    from plancheck.errors import InputError
    from plancheck.plans.planfile import load_plan

    p = _plan(tmp_path, COUNT + "\n" + block)
    with pytest.raises(InputError) as exc:
        load_plan(p)
    assert exc.value.problems == [f"{p}: {problem}"]


def test_a_roadmap_indicator_cannot_be_taken_over_with_the_national_figure(tmp_path):
    from plancheck.errors import InputError
    from plancheck.plans.planfile import load_plan

    text = MINIMAL_PLAN.replace('source = "preamble"', 'source = "preamble"\nadopts = { programme = '
                                '"ntp-drugs-2030", include = ["drug_free_communes", "addicts_growth"] }')
    p = tmp_path / "plan.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_plan(p)
    assert exc.value.problems == [
        f"{p}: indicator 'drug_free_communes' is set year by year by each province's roadmap: restate it as a "
        "target with the province's own figure (national = 'drug_free_communes') @ $.adopts.include[0]"]


def test_the_four_plans_map_their_matching_targets(runner):
    """Each mapped target is the plan's own, on the measure the indicator names."""
    from plancheck.plans.planfile import load_plan
    from plancheck.plans.plugins import load_registry
    from plancheck.plans.programme import get_programme, national_targets

    _, registry = load_registry()
    prog = get_programme("ntp-drugs-2030")
    assert prog is not None
    mapped = {}
    for province, srcs in registry.provinces().items():
        for src in srcs:
            plan = load_plan(src.path)
            mapped[province] = sorted((t.id, code) for t, code, how in national_targets(plan, prog.id)
                                      if how == "mapped")
    assert mapped["hung_yen"] == [("drug_free_53_of_161", "drug_free_communes")]
    assert ("addicts_growth_below_1pct", "addicts_growth") in mapped["vinh_long"]
    assert ("drug_crimes_detected_up_5pct", "crimes_detected_growth") in mapped["tien_giang"]
    assert mapped["ninh_binh"] == []
