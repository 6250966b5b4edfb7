"""docs/plugins.md says what the code does (datasette's test_docs.py, in spirit).

The generated parts must equal what ``python -m plancheck.cli.docs``
produces now; every hook and every key of the plan format must be
documented; the example of ``plugin check`` output must be real output.
"""

from __future__ import annotations

import re

import attrs
import pytest

from conftest import ROOT
from plancheck.authoring import plugin_docs
from plancheck.cli import cli
from plancheck.cli import docs as page_docs

DOC = ROOT / "docs" / "plugins.md"


@pytest.fixture(scope="module")
def page() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("part", page_docs.PARTS)
def test_generated_part_is_current(page, part):
    pattern = page_docs._marker(part)
    found = pattern.search(page)
    assert found, f"docs/plugins.md has no generated:{part} markers"
    expected = "\n" + page_docs.generate()[part] + "\n"
    assert found[2] == expected, (f"docs/plugins.md's generated:{part} part is out of date: "
                                  "run python -m plancheck.cli.docs")


def test_check_mode_of_the_generator(tmp_path, page):
    copy = tmp_path / "plugins.md"
    copy.write_text(page, encoding="utf-8")
    assert page_docs.main([str(copy), "--check"]) == 0
    copy.write_text(page.replace("| `source_file` |", "| `source_fiel` |", 1), encoding="utf-8")
    assert page_docs.main([str(copy), "--check"]) == 1
    assert page_docs.main([str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == page


@pytest.mark.parametrize("hook", [f.__name__ for f in plugin_docs.hookspec_functions()])
def test_every_hook_is_documented(page, hook):
    assert f"### `{hook}`" in page


def _field_sections(page: str) -> dict[str, str]:
    part = page_docs._marker("fields").search(page)
    assert part
    sections = re.split(r"^### ", part[2], flags=re.M)[1:]
    return {re.search(r"\((\w+)\)$", s.splitlines()[0])[1]: s for s in sections}  # type: ignore[index]


@pytest.mark.parametrize("cls,key", [(c.__name__, k) for c, k in plugin_docs.model_fields()])
def test_every_key_of_the_plan_format_is_documented(page, cls, key):
    sections = _field_sections(page)
    assert cls in sections, f"no section for {cls}"
    assert f"\n| `{key}` | " in sections[cls]


def test_every_class_of_the_plan_is_reached():
    from plancheck.plans import model

    reached = {s.cls for s in plugin_docs.sections()}
    plan_types = {model.Plan, model.PlanPeriod, model.Adoption, model.Agency, model.Unit, model.Measure,
                  model.Project, model.Rule, model.Condition, model.Target, model.Task, model.ScheduleEntry,
                  model.Obligation}
    assert plan_types <= reached
    for cls in reached:
        assert attrs.has(cls)


BAD_PLAN = '''
id = "t-2024"
province = "test_province"
province_name = "Tỉnh Thử"
title = "Kế hoạch thử"
title_en = "Test plan"
issuer = "Ủy ban nhân dân tỉnh Thử"
period = { start = 2024-01-01, end = 2024-12-31 }
source_file = "test.txt"
source = "preamble"

[[agencies]]
id = "cong_an_tinh"
name = "Công an tỉnh"
name_en = "Provincial Police"
level = "province"
source = "V.2"

[[agencies]]
id = "ubnd_cap_huyen"
name = "Ủy ban nhân dân cấp huyện"
name_en = "District People's Committees"
level = "district"
source = "III.3"

[[agencies]]
id = "so_yte"
name = "Sở Y tế"
name_en = "Department of Health"
level = "province"
source = "III.4"

[[units]]
id = "test_province"
name = "Tỉnh Thử"
name_en = "Test province"
level = "province"
source = "I"

[[units]]
id = "huyen_a"
name = "Huyện A"
name_en = "District A"
level = "district"
parent = "test_province"
source = "I"

[[measures]]
id = "x"
name = "x"
name_en = "x"
unit = "count"
level = "district"
period_type = "yearly"
source = "II"

[[measures]]
id = "c"
name = "c"
name_en = "c"
unit = "count"
level = "commune"
period_type = "yearly"
source = "II"

[[rules]]
id = "r"
name = "r"
name_en = "r"
level = "district"
source = "II.1"

[[rules.when.all]]
measure = "x"
op = ">="
value = 5

[[rules.when.all]]
measure = "x"
op = "<"
value = 3

[[targets]]
id = "listed"
name = "listed"
name_en = "listed"
kind = "value"
measure = "x"
comparator = "<="
threshold = 0
scope = "units"
units = ["huyen_x"]
period = "2024"
agency = "ubnd_cap_huyen"
source = "I.2"

[[targets]]
id = "each_commune"
name = "each commune"
name_en = "each commune"
kind = "value"
measure = "c"
comparator = "<="
threshold = 0
scope = "each_commune"
period = "2024"
source = "I.2"

[[targets]]
id = "count_r"
name = "count r"
name_en = "count r"
kind = "class_count"
rule = "r"
comparator = ">="
threshold = 1
period = "2024"
source = "I.2"

[[tasks]]
id = "criteria"
name = "Ban hành tiêu chí"
name_en = "Issue the criteria"
agencies = ["cong_an_tinh"]
deadline = "Hoàn thành trong quý I/2024"
source = "III.1.2"
'''


def test_the_documented_check_output_is_real(page, runner, tmp_path, monkeypatch):
    block = re.search(r"```\n\$ plancheck plugin check bad\.toml[^\n]*\n(.*?)```", page, re.S)
    assert block, "docs/plugins.md lost its example of plugin check output"
    (tmp_path / "bad.toml").write_text(BAD_PLAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(cli, ["plugin", "check", "bad.toml"])
    assert res.exit_code == 1
    assert res.stdout + res.stderr == block[1]
