"""Every installed province plugin, through the same public paths.

Every element has a clause (`source`) and an English name; every due date is
inside its plan's period or at its edge; plan show, template and run work on
the same core code for all of them.
"""

from __future__ import annotations

import json

import pytest

from plancheck.cli import cli
from plancheck.plans.plugins import load_registry

PROVINCES = sorted(load_registry()[1].provinces())


def test_the_four_provinces_are_installed():
    assert PROVINCES == ["hung_yen", "ninh_binh", "tien_giang", "vinh_long"]


@pytest.mark.parametrize("province", PROVINCES)
def test_every_element_has_source_and_english_name(runner, province):
    res = runner.invoke(cli, ["plan", "show", "--province", province, "--format", "json"])
    assert res.exit_code == 0, res.output
    for plan in json.loads(res.stdout)["plans"]:
        assert plan["title"] and plan["source_file"]
        for coll in ("agencies", "units", "measures", "projects", "rules", "targets", "tasks", "obligations"):
            for el in plan[coll]:
                assert el["source"].strip(), (province, coll, el["id"])
                assert el["name_en"].strip(), (province, coll, el["id"])
        start, end = plan["period"]["start"], plan["period"]["end"]
        dues = [t["due"] for t in plan["tasks"] if t["due"]]
        dues += [o["due"] for o in plan["obligations"]]
        dues += [p["due"] for t in plan["targets"] for p in t["periods"]]
        for due in dues:
            assert start <= due <= end, (province, due)


@pytest.mark.parametrize("province", PROVINCES)
def test_template_and_example_run(runner, province):
    res = runner.invoke(cli, ["template", "--province", province])
    assert res.exit_code == 0
    assert res.stdout.startswith("province,plan,item,kind,agency,unit,period,due,description,value,date")
    res = runner.invoke(cli, ["run", "--province", province, "--example", "--as-of", "2026-01-01",
                              "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    out = json.loads(res.stdout)
    assert out["summary"]["total"] == len(out["findings"]) > 0
    assert any("EXAMPLE DATA" in n for n in out["notices"])


def test_incomplete_and_press_summary_plans_say_so(runner):
    nb = runner.invoke(cli, ["run", "--province", "ninh_binh", "--example", "--as-of", "2026-01-01"])
    assert "INCOMPLETE" in nb.stdout and "III.4" in nb.stdout
    tg = runner.invoke(cli, ["plan", "show", "--province", "tien_giang"])
    assert "a press summary, not the plan itself" in tg.stdout
