"""Issue 21, class 9: caches keyed by content, costs bounded by the size of the input.

* a plan edited without changing its size or modification time is judged from its new text;
* a plan period of 180 years is refused before anything grows with its years;
* a workbook of a million empty parts is refused from its zip directory's end record, before
  zipfile builds an object per part, within the 300 MiB the other hostile workbooks are held to.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
from datetime import date

import pytest
from test_reliability_security import MEMORY_BOUND_MIB, ingest_measured

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.cli import cli

TARGET = MINIMAL_PLAN.replace("[[tasks]]", '''
[[measures]]
id = "bodies_total"
name = "Tổng số cơ quan"
name_en = "Bodies"
unit = "cơ quan"
level = "province"
period_type = "yearly"
source = "I.2"

[[targets]]
id = "fifty_bodies"
name = "Ít nhất 50 cơ quan"
name_en = "At least 50 bodies"
kind = "value"
measure = "bodies_total"
comparator = ">="
threshold = 50
period = "2024"
source = "I.2"

[[tasks]]''')


def finding(runner, item: str) -> dict:
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2025-01-15", "--format", "json"])
    return next(f for f in json.loads(res.stdout)["findings"] if f["item"] == item)


def test_a_plan_edited_without_changing_size_or_time_is_judged_from_its_new_text(runner, tmp_path, install_plugin):
    site = install_plugin("plancheck_test_cache", PLUGIN_SOURCE, {"plan.toml": TARGET}, entry_point="test_province")
    plan = site / "plancheck_test_cache" / "plan.toml"
    form = tmp_path / "f.csv"
    form.write_text("province,plan,item,kind,agency,unit,period,due,description,value,date\n"
                    "test_province,test-2024,bodies_total,measure,,test_province,2024,,,52,\n", encoding="utf-8")
    assert runner.invoke(cli, ["ingest", str(form)]).exit_code == 0
    assert finding(runner, "fifty_bodies")["status"] == "met"  # 52 >= 50; the checked plan is cached now
    st = plan.stat()
    text = plan.read_text(encoding="utf-8").replace("threshold = 50", "threshold = 55")
    plan.write_text(text, encoding="utf-8")
    os.utime(plan, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same time: only the content says
    assert (plan.stat().st_size, plan.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    f = finding(runner, "fifty_bodies")
    assert (f["status"], f["expected"]) == ("not_met", ">= 55")
    # and run --save records the hash of the very plan that was judged
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", "2025-01-15", "--save",
                              "--format", "json"])
    import hashlib

    assert hashlib.sha256(plan.read_bytes()).hexdigest()[:16] in json.loads(res.stdout)["plan_version"]


LONG = MINIMAL_PLAN.replace("end = 2024-12-31", "end = 2203-12-31").replace("[[tasks]]", '''
[[units]]
id = "xa_a"
name = "Xã A"
name_en = "Commune A"
level = "commune"
parent = "test_province"
source = "I"

[[measures]]
id = "hotspots"
name = "Số điểm nóng"
name_en = "Hotspots"
unit = "điểm"
level = "commune"
period_type = "monthly"
source = "II.1"

[[targets]]
id = "no_hotspots"
name = "Không còn điểm nóng"
name_en = "No hotspots"
kind = "value"
measure = "hotspots"
comparator = "<="
threshold = 0
scope = "each_commune"
recurrence = "monthly"
source = "II.1"

[[tasks]]''')


def test_a_plan_of_180_years_is_refused_before_its_years_are_expanded(runner, tmp_path, install_plugin):
    path = tmp_path / "plan.toml"
    path.write_text(LONG, encoding="utf-8")
    res = runner.invoke(cli, ["plugin", "check", str(path)])
    assert res.exit_code == 1
    assert f"{path}: the period spans more than 50 years: check its start and end @ $.period" in res.stdout
    install_plugin("plancheck_test_long", PLUGIN_SOURCE, {"plan.toml": LONG}, entry_point="test_province")
    for command in (["template", "--province", "test_province"], ["run", "--province", "test_province"]):
        res = runner.invoke(cli, command)
        assert res.exit_code == 2 and "the period spans more than 50 years" in res.stderr


def test_the_form_of_a_plan_too_long_is_not_expanded_year_by_year():
    """A plan built in code (a plugin author's, the review's) is not refused by form_rows, but the
    form of a plan longer than the bound is only its first two years (they show its structure)."""
    import tomllib

    from plancheck.data.forms import form_rows
    from plancheck.plans.converter import make_converter
    from plancheck.plans.model import Plan

    plan = make_converter().structure(tomllib.loads(LONG), Plan)
    assert plan.period.end == date(2203, 12, 31)
    rows = [r for r in form_rows(plan) if r.item == "hotspots"]
    assert len(rows) == 2 * 12 and rows[-1].period == "202512"


def empty_members(n: int) -> bytes:
    """A zip of ``n`` empty stored members named ``x`` (written directly: zipfile would take minutes)."""
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0) + b"x"
    central = [struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0,
                           i * len(local)) + b"x" for i in range(n)]
    directory = b"".join(central)
    start = n * len(local)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(n, 0xFFFF), min(n, 0xFFFF), len(directory), start, 0)
    return local * n + directory + end


def test_a_workbook_of_many_empty_parts_is_refused_by_their_count(runner, tmp_path, isolated_db):
    path = tmp_path / "parts.xlsx"
    path.write_bytes(empty_members(20_000))
    assert len(zipfile.ZipFile(path).infolist()) == 20_000  # a real zip, as zipfile reads it
    res = runner.invoke(cli, ["ingest", str(path)])
    assert res.exit_code == 2
    assert "refused: the workbook has 20000 parts, more than the 10000 a form may hold" in res.stderr


@pytest.mark.slow
def test_a_million_empty_parts_are_refused_in_bounded_memory(tmp_path, isolated_db):
    path = tmp_path / "million.xlsx"
    path.write_bytes(empty_members(1_000_000))
    got = ingest_measured(path, isolated_db)
    assert got["rc"] == 2, got["stderr"]
    assert "refused: the workbook has 65535 parts" in got["stderr"]  # what the end record can say; enough
    assert got["peak_kib"] < MEMORY_BOUND_MIB * 1024, f"peak {got['peak_kib'] // 1024} MiB"
