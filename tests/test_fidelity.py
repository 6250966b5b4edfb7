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
    # III.4.3 "Nghị định số 116/2021/NĐ-CP ngày 21/12/2021" (Resolution 432's date, 07/12/2023, is written
    # in the task that encodes it); V.1 "... phường Minh Khai, thành phố Hưng Yên" (an address); II.2.2
    # gives the districts' reports no date: the plan's 31/12/2024 is assumed
    mismatches = cross_check(plans["hung_yen"], text_of("hung_yen"))
    assert found(mismatches) == {
        ("text", "date", "2021-12-21", "III.4.3"),
        ("text", "unit", "phường Minh Khai", "V.1"),
        ("plan", "due", "2024-12-31", "II.2.2"),
    }
    assert not is_clean(mismatches)
    [address] = [m for m in mismatches if m.kind == "unit"]
    assert "địa chỉ số 79A" in address.sentence and address.written == "phường Minh Khai"


def test_vinh_long_differences_before_review(plans):
    mismatches = cross_check(plans["vinh_long"], text_of("vinh_long"))
    text_side = {(m.written, m.clause) for m in mismatches if m.side == "text"}
    # the preamble's legal bases: "Luật Tổ chức chính quyền địa phương ngày 19/6/2015" ... (Plan 2755's
    # 11/10/2011 is written in the task continue_plan_2755 that encodes II)
    assert {("19/6/2015", "preamble"), ("30/9/2021", "preamble"), ("21/10/2019", "II.1")} <= text_side
    assert ("11/10/2011", "I.1") not in text_side
    # 31/8/2021 is the date of Decision 1452 in the plan's parent_programme: used
    assert not [m for m in mismatches if m.value == "2021-08-31"]
    # IV.2 "Định kỳ (06 tháng, 01 năm)": the plan assumes 30 June for the 6-month reports
    plan_side = {(m.item, m.value) for m in mismatches if m.side == "plan"}
    assert plan_side == {(f"obligations.report_6_months {y}S1", f"{y}-06-30") for y in (2022, 2023, 2024, 2025)} | {
        ("obligations.report_final 2025", "2025-12-31")}  # IV.2 gives the final review no date


def test_tien_giang_month_without_year_is_a_difference(plans):
    # Thứ hai: "Tháng hành động phòng, chống ma túy" (tháng 6) — the plan writes "tháng 6/2024"
    mismatches = cross_check(plans["tien_giang"], text_of("tien_giang"))
    [june] = [m for m in mismatches if m.side == "plan" and m.kind == "due"]
    assert (june.kind, june.item, june.value, june.written) == (
        "due", "tasks.action_month_june", "2024-06-30", "tháng 6/2024")
    assert june.expected == "'năm 2024' = 2024-12-31"  # what the paragraph's own date phrase gives
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
    for value in ("21/12/2021", "2021-12-21"):
        ex = ReviewedException(value=value, clause="III.4.3", reason="a legal basis")
        [m] = [m for m in cross_check(plan, text, [ex]) if m.excepted]
        assert (m.value, m.exception) == ("2021-12-21", ex)
    # the clause must match too
    ex = ReviewedException(value="21/12/2021", clause="III.4.2", reason="wrong clause")
    assert not [m for m in cross_check(plan, text, [ex]) if m.excepted]
    # and the item, when the exception names one
    ex = ReviewedException(value="2024-12-31", clause="II.2.2", reason="assumed",
                           item="obligations.district_recognition_reports 2024")
    assert [m.item for m in cross_check(plan, text, [ex]) if m.excepted] == [ex.item]
    other = attrs.evolve(ex, item="obligations.periodic_reports_districts 2024")
    assert not [m for m in cross_check(plan, text, [other]) if m.excepted]


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
    [june] = [m for m in cross_check(plans["tien_giang"], text_of("tien_giang")) if m.kind == "due"]
    assert format_mismatch(june) == (
        "tasks.action_month_june (Các nhiệm vụ trọng tâm, Thứ hai ¶1): due 2024-06-30 is in the plan but not in "
        "the cited clause (plan: 'tháng 6/2024'); the clause says 'năm 2024' = 2024-12-31")


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


# -- each element against the clause it cites (issue 16 §5) -------------------------------


def _one_change(plan, coll: str, id_: str, **changes):
    return attrs.evolve(plan, **{coll: tuple(attrs.evolve(x, **changes) if x.id == id_ else x
                                             for x in getattr(plan, coll))})


def _open(mismatches):
    return [m for m in mismatches if not m.excepted]


def test_a_one_day_slip_is_caught_where_the_date_is_written_elsewhere(plans):
    # V.2 "Báo cáo năm trước ngày 01/12/2024": 30/11. A plan writing "ngày 01/12/2024" names a date the
    # text writes, but not the one the clause's phrase gives.
    plan, text = plans["hung_yen"], text_of("hung_yen")
    exceptions = load_exceptions(exceptions_path(plan_path("hung_yen")))
    ob = next(o for o in plan.obligations if o.id == "periodic_reports")
    schedule = tuple(attrs.evolve(e, deadline="ngày 01/12/2024") if e.period == "2024" else e for e in ob.schedule)
    [m] = _open(cross_check(_one_change(plan, "obligations", ob.id, schedule=schedule), text, exceptions))
    assert (m.kind, m.item, m.value, m.clause) == ("due", "obligations.periodic_reports 2024", "2024-12-01", "V.2")
    assert "'trước ngày 01/12/2024' = 2024-11-30" in m.expected


def test_a_unit_moved_to_another_parent_is_caught(plans):
    # III.1.1 "⁽⁴⁾ Huyện Kim Động: các xã Nhân La, Vũ Xá, ..."
    plan, text = plans["hung_yen"], text_of("hung_yen")
    moved = _one_change(plan, "units", "kim_dong.nhan_la", parent="an_thi")
    [m] = [m for m in cross_check(moved, text) if m.kind == "parent"]
    assert (m.item, m.clause) == ("units.kim_dong.nhan_la", "III.1.1")
    assert "Huyện Ân Thi in the plan" in m.expected and "kim động" in m.expected


def test_a_task_given_to_a_body_the_clause_names_only_as_a_partner_is_caught(plans):
    # Vĩnh Long III.1 "Công an tỉnh ... Phối hợp với Sở Thông tin và Truyền thông; ...": the department is
    # named in the clause, but not as the body that does the police's work
    plan, text = plans["vinh_long"], text_of("vinh_long")
    exceptions = load_exceptions(exceptions_path(plan_path("vinh_long")))
    given = _one_change(plan, "tasks", "ca_propaganda", agencies=("so_tttt",))
    [m] = _open(cross_check(given, text, exceptions))
    assert (m.kind, m.item, m.value) == ("agency", "tasks.ca_propaganda", "so_tttt")
    assert "names it only as another party" in m.expected
    # marked assumed, the same body passes only if the mark quotes the words that name it
    marked = _one_change(given, "tasks", "ca_propaganda", agency_assumed="taken as the department III.1 names")
    assert [m.kind for m in _open(cross_check(marked, text, exceptions))] == ["agency"]
    quoted = _one_change(given, "tasks", "ca_propaganda",
                         agency_assumed="III.1 has the police work with 'Sở Thông tin và Truyền thông'")
    assert _open(cross_check(quoted, text, exceptions)) == []


def test_a_figure_of_the_next_part_of_the_sentence_does_not_count(plans):
    # I.2 "huyện Kim Động giữ vững 06 xã ...; chuyển hóa tối thiểu 05 xã ...": 5 kept is not in its part
    plan, text = plans["hung_yen"], text_of("hung_yen")
    changed = _one_change(plan, "targets", "kim_dong_keep_6", threshold=5.0)
    [m] = _open(cross_check(changed, text, load_exceptions(exceptions_path(plan_path("hung_yen")))))
    assert (m.kind, m.item, m.value) == ("threshold", "targets.kim_dong_keep_6", "5")
    assert "6" in m.expected


def test_a_zero_that_the_text_does_not_say_is_caught(plans):
    # III.2.2 "xây dựng mới ít nhất 01 mô hình": ">= 0" would hold for every commune
    plan, text = plans["hung_yen"], text_of("hung_yen")
    changed = _one_change(plan, "targets", "new_model_each_commune", threshold=0.0)
    [m] = _open(cross_check(changed, text, load_exceptions(exceptions_path(plan_path("hung_yen")))))
    assert (m.kind, m.value) == ("threshold", "0") and "lower bound of 0" in m.expected


def test_a_citation_reads_the_clause_it_names():
    from plancheck.authoring.citations import Citations
    from plancheck.authoring.clauses import read_text

    hy = Citations(read_text(text_of("hung_yen")))
    # the text numbers two clauses "4.3" (Sở Y tế, then Sở Lao động, Thương binh và Xã hội)
    assert hy.resolve("III.4.3 (first)").text.startswith("Sở Y tế")
    assert hy.resolve("III.4.3 (second; the plan numbers two clauses 4.3)").text.startswith(
        "Sở Lao động, Thương binh và Xã hội")
    assert "ít nhất 01 mô hình" in hy.resolve("II.1.1 (5)").text
    assert "Không có diện tích" not in hy.resolve("II.1.1 (5)").text
    assert hy.resolve("nowhere") is None
    vl = Citations(read_text(text_of("vinh_long")))
    assert vl.resolve("IV.2, III.2-III.5").clauses == ("IV.2", "III.2", "III.3", "III.4", "III.5")
    assert "Thủ trưởng các sở, ban ngành, đoàn thể tỉnh" in vl.resolve("Điều 3").text
    tg = Citations(read_text(text_of("tien_giang")))
    assert tg.resolve("Các nhiệm vụ trọng tâm, Thứ tư ¶2").text.startswith("Thường xuyên rà soát")
    assert tg.resolve("Đoạn cuối").text.startswith("Giao Công an tỉnh")
