"""The fidelity cross-check: a plan against its source text, both ways (issue 11).

Through the public API only: ``cross_check``, ``load_exceptions``,
``exceptions_path``, ``is_clean``, ``stale_exceptions``, ``format_mismatch``;
the plans are the built-in plugins' own, loaded with ``load_plan`` and, where a
test needs a different plan, changed with ``attrs.evolve`` (plans are frozen).
"""

from __future__ import annotations

import unicodedata
from importlib.resources import files
from pathlib import Path

import attrs
import pytest

from conftest import SEEDS
from plancheck.authoring.fidelity import (
    Mismatch,
    ReviewedException,
    cross_check,
    exceptions_path,
    format_mismatch,
    is_clean,
    load_exceptions,
    stale_exceptions,
)
from plancheck.errors import InputError
from plancheck.plans.planfile import load_plan

SEED_FILES = {
    "vinh_long": "000_1614eaec3b5eead3.txt",
    "tien_giang": "001_d8a992d4185929be.txt",
    "hung_yen": "003_321bb8eed9b7a999.txt",
    "ninh_binh": "004_3ecd5a108e118145.txt",
}


def plan_path(province: str) -> Path:
    return Path(str(files(f"plancheck_{province}") / "plan.toml"))


def text_of(province: str) -> str:
    return (SEEDS / SEED_FILES[province]).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plans():
    return {p: load_plan(plan_path(p)) for p in SEED_FILES}


def found(mismatches: list[Mismatch]) -> set[tuple[str, str, str, str]]:
    return {(m.side, m.kind, m.value, m.clause) for m in mismatches}


# -- the four built-in plugins are clean, with reviewed exceptions only ---------------


@pytest.mark.parametrize("province", SEED_FILES)
def test_built_in_plugin_is_clean_against_its_text(plans, province):
    exceptions = load_exceptions(exceptions_path(plan_path(province)))
    mismatches = cross_check(plans[province], text_of(province), exceptions)
    assert is_clean(mismatches), "\n".join(format_mismatch(m) for m in mismatches if not m.excepted)
    assert stale_exceptions(mismatches, exceptions) == []
    assert all(e.reason.strip() for e in exceptions)


def test_fidelity_file_sits_next_to_the_plan():
    assert exceptions_path(plan_path("hung_yen")) == plan_path("hung_yen").with_name("fidelity.toml")
    assert exceptions_path(plan_path("hung_yen")).is_file()


def test_hung_yen_differences_before_review(plans):
    # III.4.3 "Nghị quyết số 432/2023/NQ-HĐND ngày 07/12/2023", "Nghị định số 116/2021/NĐ-CP ngày
    # 21/12/2021"; V.1 "... phường Minh Khai, thành phố Hưng Yên" (an address)
    mismatches = cross_check(plans["hung_yen"], text_of("hung_yen"))
    assert found(mismatches) == {
        ("text", "date", "2023-12-07", "III.4.3"),
        ("text", "date", "2021-12-21", "III.4.3"),
        ("text", "unit", "phường Minh Khai", "V.1"),
    }
    assert not is_clean(mismatches)
    [address] = [m for m in mismatches if m.kind == "unit"]
    assert "địa chỉ số 79A" in address.sentence and address.written == "phường Minh Khai"


def test_vinh_long_differences_before_review(plans):
    mismatches = cross_check(plans["vinh_long"], text_of("vinh_long"))
    text_side = {(m.written, m.clause) for m in mismatches if m.side == "text"}
    # the preamble's legal bases: "Luật Tổ chức chính quyền địa phương ngày 19/6/2015" ...
    assert {("19/6/2015", "preamble"), ("30/9/2021", "preamble"), ("11/10/2011", "I.1"),
            ("21/10/2019", "II.1")} <= text_side
    # 31/8/2021 is the date of Decision 1452 in the plan's parent_programme: used
    assert not [m for m in mismatches if m.value == "2021-08-31"]
    # IV.2 "Định kỳ (06 tháng, 01 năm)": the plan assumes 30 June for the 6-month reports
    plan_side = {(m.item, m.value) for m in mismatches if m.side == "plan"}
    assert plan_side == {("obligations.report_6_months", f"{y}-06-30") for y in (2022, 2023, 2024, 2025)}


def test_tien_giang_month_without_year_is_a_difference(plans):
    # Thứ hai: "Tháng hành động phòng, chống ma túy" (tháng 6) — the plan writes "tháng 6/2024"
    mismatches = cross_check(plans["tien_giang"], text_of("tien_giang"))
    [june] = [m for m in mismatches if m.side == "plan"]
    assert (june.kind, june.item, june.value, june.written) == (
        "due", "tasks.action_month_june", "2024-06-30", "tháng 6/2024")
    # "- 26/6” năm 2024": a day and month without a year, the plan's task is due that day
    assert not [m for m in mismatches if "26/6" in m.written]


def test_ninh_binh_has_no_difference(plans):
    assert cross_check(plans["ninh_binh"], text_of("ninh_binh")) == []


# -- what "used" means, changed one thing at a time --------------------------------------


def test_a_unit_the_plan_drops_is_reported(plans):
    plan = plans["hung_yen"]
    without = attrs.evolve(plan, units=tuple(u for u in plan.units if u.name != "Xã Minh Hải"))
    # "⁽¹⁾ **Huyện Văn Lâm:** các xã Minh Hải, Việt Hưng" (III.1.1)
    assert ("text", "unit", "xã Minh Hải", "III.1.1") in found(cross_check(without, text_of("hung_yen")))
    assert ("text", "unit", "xã Minh Hải", "III.1.1") not in found(cross_check(plan, text_of("hung_yen")))


def test_a_unit_the_text_does_not_name_is_reported(plans):
    plan = plans["hung_yen"]
    invented = attrs.evolve(plan.units[-1], id="kim_dong.xa_moi", name="Xã Vĩnh Hảo", parent="kim_dong")
    mismatches = cross_check(attrs.evolve(plan, units=(*plan.units, invented)), text_of("hung_yen"))
    assert ("plan", "unit", "Xã Vĩnh Hảo", invented.source) in found(mismatches)


def test_a_changed_threshold_is_reported_both_ways(plans):
    plan = plans["hung_yen"]
    target = next(t for t in plan.targets if t.id == "drug_free_53_of_161")
    changed = attrs.evolve(plan, targets=tuple(attrs.evolve(t, threshold=54) if t is target else t
                                               for t in plan.targets))
    result = found(cross_check(changed, text_of("hung_yen")))
    # the plan's 54 is nowhere in the text; the text's 53/161 (I.2) is still in the target's name,
    # so only the plan side is reported
    assert ("plan", "threshold", "54", "I.2") in result
    renamed = attrs.evolve(changed, targets=tuple(attrs.evolve(t, name="x", quote=None) if t.id == target.id
                                                  else t for t in changed.targets))
    assert ("text", "count", "53/161", "I.2") in found(cross_check(renamed, text_of("hung_yen")))


def test_a_percentage_threshold_is_found_as_a_share_of_a_count(plans):
    # Ninh Bình II.1 "143/143 xã phường, thị trấn": the ratio target's 100 is 143/143, not a "100%"
    plan = plans["ninh_binh"]
    assert "100%" not in text_of("ninh_binh")
    assert not [m for m in cross_check(plan, text_of("ninh_binh")) if m.kind == "threshold"]
    target = next(t for t in plan.targets if t.id == "scope_143_of_143")
    changed = attrs.evolve(plan, targets=tuple(attrs.evolve(t, threshold=90) if t is target else t
                                               for t in plan.targets))
    assert ("plan", "threshold", "90%", "II.1") in found(cross_check(changed, text_of("ninh_binh")))


def test_a_date_written_in_a_note_is_used(plans):
    plan = plans["hung_yen"]
    noted = attrs.evolve(plan, note="III.4.3 cites Resolution 432/2023/NQ-HĐND of 07/12/2023.")
    assert ("text", "date", "2023-12-07", "III.4.3") not in found(cross_check(noted, text_of("hung_yen")))


def test_a_due_date_not_in_the_text_is_reported(plans):
    plan = plans["hung_yen"]
    task = next(t for t in plan.tasks if t.id == "kim_dong_directive")  # "trong tháng 2/2024" (III.1.3)
    moved = attrs.evolve(plan, tasks=tuple(attrs.evolve(t, deadline="trong tháng 4/2024") if t is task else t
                                           for t in plan.tasks))
    assert ("plan", "due", "2024-04-30", "III.1.3") in found(cross_check(moved, text_of("hung_yen")))


def test_decomposed_text_gives_the_same_differences(plans):
    nfd = unicodedata.normalize("NFD", text_of("vinh_long"))
    assert cross_check(plans["vinh_long"], nfd) == cross_check(plans["vinh_long"], text_of("vinh_long"))


# -- exceptions -------------------------------------------------------------------------


def test_an_exception_matches_the_written_or_the_canonical_value(plans):
    plan, text = plans["hung_yen"], text_of("hung_yen")
    for value in ("07/12/2023", "2023-12-07"):
        ex = ReviewedException(value=value, clause="III.4.3", reason="a legal basis")
        [m] = [m for m in cross_check(plan, text, [ex]) if m.excepted]
        assert (m.value, m.exception) == ("2023-12-07", ex)
    # the clause must match too
    ex = ReviewedException(value="07/12/2023", clause="III.4.2", reason="wrong clause")
    assert not [m for m in cross_check(plan, text, [ex]) if m.excepted]


def test_stale_exceptions_are_listed(plans):
    stale = ReviewedException(value="01/01/2000", clause="I.1", reason="matches nothing")
    mismatches = cross_check(plans["ninh_binh"], text_of("ninh_binh"), [stale])
    assert is_clean(mismatches)
    assert stale_exceptions(mismatches, [stale]) == [stale]


def test_format_mismatch(plans):
    [address] = [m for m in cross_check(plans["hung_yen"], text_of("hung_yen")) if m.kind == "unit"]
    assert format_mismatch(address) == "V.1: unit 'phường Minh Khai' is in the text but not used by the plan"
    excepted = attrs.evolve(address, exception=ReviewedException(value="x", clause="V.1", reason="an address"))
    assert format_mismatch(excepted).endswith("[excepted: an address]")
    [june] = [m for m in cross_check(plans["tien_giang"], text_of("tien_giang")) if m.side == "plan"]
    assert format_mismatch(june) == (
        "tasks.action_month_june (Các nhiệm vụ trọng tâm, Thứ hai ¶1): due 2024-06-30 is in the plan but not in "
        "the text (plan: 'tháng 6/2024')")


def test_load_exceptions_reports_every_problem_with_its_path(tmp_path):
    path = tmp_path / "fidelity.toml"
    path.write_text('[[exceptions]]\nvalue = 5\nclause = "I"\nreasn = "typo"\n\n'
                    '[[exceptions]]\nvalue = "1%"\nclause = "I.1"\nreason = "ok"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_exceptions(path)
    assert err.value.problems == [
        f"{path}: expected a string, got int 5 @ $.exceptions[0].value",
        f"{path}: required field missing @ $.exceptions[0].reason",
        f"{path}: unknown keys: reasn @ $.exceptions[0]",
    ]


def test_load_exceptions_needs_a_reason(tmp_path):
    path = tmp_path / "fidelity.toml"
    path.write_text('[[exceptions]]\nvalue = "1%"\nclause = "I.1"\nreason = "  "\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_exceptions(path)
    assert err.value.problems == [f"{path}: reason is empty @ $.exceptions[0].reason"]


def test_load_exceptions_missing_file(tmp_path):
    with pytest.raises(InputError) as err:
        load_exceptions(tmp_path / "fidelity.toml")
    assert err.value.problems == [f"{tmp_path / 'fidelity.toml'}: file not found"]


def test_load_exceptions_reads_the_reviewed_entries(tmp_path):
    path = tmp_path / "fidelity.toml"
    path.write_text('[[exceptions]]\nvalue = "19/6/2015"\nclause = "preamble"\nreason = "a law\'s date"\n',
                    encoding="utf-8")
    assert load_exceptions(path) == [ReviewedException(value="19/6/2015", clause="preamble", reason="a law's date")]


# -- docs/drafting.md shows what the code does -------------------------------------------


def _doc_blocks(lang: str) -> list[str]:
    """The fenced code blocks of docs/drafting.md opened with ```lang."""
    doc = (Path(__file__).parent.parent / "docs" / "drafting.md").read_text(encoding="utf-8")
    blocks, current, opened = [], None, None
    for line in doc.splitlines():
        if line.startswith("```") and current is None:
            current, opened = [], line[3:].strip()
        elif line.startswith("```"):
            if opened == lang:
                blocks.append("\n".join(current) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def test_docs_example_output_is_what_the_check_prints(plans):
    printed = {format_mismatch(m) for p in SEED_FILES for m in cross_check(plans[p], text_of(p))}
    [example] = [b for b in _doc_blocks("") if "is in the text but not used" in b]
    lines = example.strip().splitlines()
    assert lines and set(lines) <= printed


def test_docs_example_fidelity_file_excepts_what_it_says(plans, tmp_path):
    [example] = [b for b in _doc_blocks("toml") if "[[exceptions]]" in b]
    path = tmp_path / "fidelity.toml"
    path.write_text(example, encoding="utf-8")
    exceptions = load_exceptions(path)
    mismatches = cross_check(plans["hung_yen"], text_of("hung_yen"), exceptions)
    assert len(exceptions) == 2 and stale_exceptions(mismatches, exceptions) == []
