"""Bad plan files fail with the file, the key path and what is wrong, every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL_PLAN
from plancheck.errors import InputError
from plancheck.plans.planfile import load_plan


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "plan.toml"
    p.write_text(text, encoding="utf-8")
    return p


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_plan(path)
    return exc.value.problems


def test_minimal_plan_loads(tmp_path):
    plan = load_plan(write(tmp_path, MINIMAL_PLAN))
    assert plan.id == "test-2024"
    assert plan.tasks[0].deadline == "Hoàn thành trong quý I/2024"


def test_misspelt_optional_key_is_an_error_with_its_path(tmp_path):
    p = write(tmp_path, MINIMAL_PLAN.replace('deadline = "Hoàn', 'dealine = "Hoàn'))
    assert problems(p) == [f"{p}: unknown keys: dealine @ $.tasks[0]"]


def test_wrong_types_are_errors_not_conversions(tmp_path):
    text = MINIMAL_PLAN.replace('level = "province"\nsource = "V.2"', 'level = "provnce"\nsource = 2')
    text = text.replace("period = { start = 2024-01-01", 'period = { start = "2024-01-01"')
    p = write(tmp_path, text)
    got = problems(p)
    assert f"{p}: expected a string, got int 2 @ $.agencies[0].source" in got
    assert (f"{p}: invalid value 'provnce', expected one of: 'central', 'province', 'district', "
            f"'commune' @ $.agencies[0].level") in got
    assert f"{p}: expected a TOML date such as 2024-03-12, got '2024-01-01' @ $.period.start" in got


def test_missing_required_key(tmp_path):
    p = write(tmp_path, MINIMAL_PLAN.replace('name_en = "Issue the criteria"\n', ""))
    assert problems(p) == [f"{p}: required field missing @ $.tasks[0].name_en"]


def test_unknown_references_and_bad_deadline_are_all_reported(tmp_path):
    text = MINIMAL_PLAN.replace('agencies = ["cong_an_tinh"]', 'agencies = ["cong_an_huyen"]')
    text = text.replace("trong quý I/2024", "trong quý V/2024")
    text += '''
[[projects]]
id = "p1"
name = "Dự án 1"
name_en = "Project 1"
lead = "so_y_te"
source = "III.2"
'''
    p = write(tmp_path, text)
    got = problems(p)
    assert f"{p}: unknown agency 'cong_an_huyen' @ $.tasks[0].agencies[0]" in got
    assert f"{p}: unknown agency 'so_y_te' @ $.projects[0].lead" in got
    assert any("deadline phrase" in g and "$.tasks[0].deadline" in g for g in got)
    assert len(got) == 3


def test_due_date_outside_plan_period(tmp_path):
    p = write(tmp_path, MINIMAL_PLAN.replace("trong quý I/2024", "trước ngày 20/10/2021"))
    assert problems(p) == [
        f"{p}: task criteria is due 2021-10-19, outside the plan period 2024-01-01..2024-12-31 "
        "@ $.tasks[0]"
    ]


def test_duplicate_ids(tmp_path):
    text = MINIMAL_PLAN + MINIMAL_PLAN[MINIMAL_PLAN.index("[[tasks]]"):]
    p = write(tmp_path, text)
    assert problems(p) == [f"{p}: duplicate id 'criteria' @ $.tasks[0].id",
                           f"{p}: duplicate id 'criteria' @ $.tasks[1].id"]


def test_target_missing_what_its_kind_needs(tmp_path):
    text = MINIMAL_PLAN + '''
[[targets]]
id = "t1"
name = "Trên 80%"
name_en = "Over 80%"
kind = "ratio"
numerator = "treated"
comparator = ">"
threshold = 80
period = "2024"
source = "I.1"
'''
    p = write(tmp_path, text)
    got = problems(p)
    assert f"{p}: a ratio target needs denominator @ $.targets[0].denominator" in got
    assert f"{p}: unknown measure 'treated' @ $.targets[0].numerator" in got


def test_not_toml_and_missing_file(tmp_path):
    p = write(tmp_path, "id = \n")
    assert problems(p)[0].startswith(f"{p}: not valid TOML:")
    missing = tmp_path / "nope.toml"
    assert problems(missing) == [f"{missing}: file not found"]
