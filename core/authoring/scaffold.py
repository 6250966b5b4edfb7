"""What ``plancheck plugin new`` writes: a standalone province plugin, ready to install.

The templates are here, as text, so they ship with core whatever the
packaging. The plan skeleton (``plan.toml``) shows every section and key of
the plan format with a comment and an example; it loads and passes
``plancheck plugin check`` as written. docs/plugins.md takes its field
examples from it (see :mod:`plancheck.authoring.plugin_docs`).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import attrs

from plancheck import API_VERSION

ID_RE = re.compile(r"^[a-z0-9_]+$")

#: Illustrative values for the example form, by measure id (made up, labelled as such);
#: PREVIOUS_VALUES for the year before the plan (growth and change baselines) and
#: UNIT_VALUES for one unit, so the example shows a target not met.
PREVIOUS_VALUES = {"crimes_detected": "100", "new_addicts": "5"}
UNIT_VALUES = {("hotspots", "huyen_a.xa_b"): "1"}
EXAMPLE_VALUES = {
    "hotspots": "0",
    "addicts": "3",
    "addicts_with_records": "3",
    "prevention_models": "1",
    "new_addicts": "4",
    "crimes_detected": "106",
    "cases": "50",
    "cases_resolved": "46",
    "awareness_sessions": "2",
}


@attrs.frozen
class Names:
    """The names a new plugin is known by."""

    province: str
    province_name: str
    year: int

    @property
    def package(self) -> str:
        return f"plancheck_{self.province}"

    @property
    def distribution(self) -> str:
        return f"plancheck-{self.province.replace('_', '-')}"

    @property
    def directory(self) -> str:
        return self.distribution


def fill(template: str, names: Names) -> str:
    """The template with the plugin's names and year in place."""
    return (template.replace("__PROVINCE__", names.province)
            .replace("__NAME__", names.province_name)
            .replace("__PACKAGE__", names.package)
            .replace("__DISTRIBUTION__", names.distribution)
            .replace("__PREV__", str(names.year - 1))
            .replace("__YEAR__", str(names.year))
            .replace("__API__", str(API_VERSION)))


def skeleton(names: Names) -> str:
    """The commented plan.toml for ``names``."""
    return fill(PLAN_TOML, names)


def files(names: Names) -> dict[str, str]:
    """Every file of the new distribution, by path relative to its directory."""
    pkg = names.package
    out = {
        "pyproject.toml": fill(PYPROJECT, names),
        "README.md": fill(README, names),
        f"{pkg}/__init__.py": fill(INIT, names),
        f"{pkg}/plan.toml": skeleton(names),
        "tests/test_plan.py": fill(TEST, names),
    }
    out[f"{pkg}/example/observations.csv"] = example_form(out[f"{pkg}/plan.toml"])
    return out


def example_form(plan_text: str) -> str:
    """The reporting form of the skeleton plan, with illustrative values for its measures."""
    import tempfile

    from plancheck.data.forms import form_rows, write_csv
    from plancheck.plans.planfile import load_plan

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.toml"
        path.write_text(plan_text, encoding="utf-8")
        plan = load_plan(path)
    rows = [r for r in form_rows(plan) if r.kind == "measure"]
    before = str(plan.period.start.year - 1)
    buf = io.StringIO()
    write_csv([], buf)
    writer = csv.writer(buf, lineterminator="\n")
    for r in rows:
        cells = r.as_csv()
        value = EXAMPLE_VALUES.get(r.item, "")
        if r.period == before:
            value = PREVIOUS_VALUES.get(r.item, value)
        cells[-2] = UNIT_VALUES.get((r.item, r.unit), value)
        writer.writerow(cells)
    return buf.getvalue()


def create(names: Names, parent: Path) -> Path:
    """Write the new distribution into ``parent``/plancheck-<id>/; return its directory.

    Raises FileExistsError if that directory exists (nothing is written).
    """
    target = parent / names.directory
    content = files(names)  # built first: nothing is written if this fails
    target.mkdir(parents=True, exist_ok=False)
    for rel, text in content.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


# -- templates ----------------------------------------------------------------

PYPROJECT = '''\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "__DISTRIBUTION__"
version = "0.1.0"
description = "plancheck plugin: the drug-prevention plan of __NAME__ as data"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["plancheck"]

[project.optional-dependencies]
test = ["pytest>=8"]

# This is what makes plancheck find the plugin: one entry point per province
# in the "plancheck.provinces" group, named by the province id.
[project.entry-points."plancheck.provinces"]
__PROVINCE__ = "__PACKAGE__"

[tool.setuptools]
packages = ["__PACKAGE__"]

[tool.setuptools.package-data]
__PACKAGE__ = ["*.toml", "example/*.csv"]

[tool.pytest.ini_options]
testpaths = ["tests"]
'''

INIT = '''\
"""__NAME__: the province's plan for plancheck.

The plan itself is data (plan.toml, next to this file); this module
registers it with plancheck. The hooks are documented in plancheck's
docs/plugins.md and in ``plancheck.plans.hookspecs``.
"""

from __future__ import annotations

from pathlib import Path

from plancheck import hookimpl

HERE = Path(__file__).parent


@hookimpl
def register_plans(register):
    """Register each plan file of the province (one call per file)."""
    register(
        HERE / "plan.toml",
        province="__PROVINCE__",
        province_name="__NAME__",
        api_version=__API__,  # the plugin API this plugin was written for: never the running core's
        examples=[HERE / "example" / "observations.csv"],
    )


# A measure that plan.toml cannot express (province-specific arithmetic) is
# computed here. Declare it in plan.toml with `derived = true` and its
# `inputs`, then uncomment and adapt:
#
# @hookimpl
# def derive_values(plan, values):
#     """addicts_unmanaged: addicts without a management record."""
#     if plan.province != "__PROVINCE__":
#         return None  # every plugin is called for every plan: answer only for yours
#     out = {}
#     for (measure, unit, period), addicts in values.items():
#         if measure != "addicts":
#             continue
#         records = values.get(("addicts_with_records", unit, period))
#         if records is not None:
#             out[("addicts_unmanaged", unit, period)] = max(addicts - records, 0)
#     return out
'''

TEST = '''\
"""Smoke tests: the plan loads, checks clean, and plancheck lists the plugin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from plancheck import load_plan

import __PACKAGE__

PLAN = Path(__PACKAGE__.__file__).parent / "plan.toml"


def plancheck(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plancheck", *args], capture_output=True,
                          text=True, encoding="utf-8")


def test_the_plan_loads():
    plan = load_plan(PLAN)
    assert plan.province == "__PROVINCE__"
    assert plan.targets and plan.tasks and plan.obligations


def test_plancheck_lists_the_plugin():
    res = plancheck("provinces", "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert "__PROVINCE__" in {p["province"] for p in data["provinces"]}
    assert [f for f in data["failed"] if f["plugin"] == "__PROVINCE__"] == []


def test_plugin_check_finds_no_problems():
    res = plancheck("plugin", "check", "__PROVINCE__")
    assert res.returncode == 0, res.stdout + res.stderr


def test_example_data_run():
    res = plancheck("run", "--province", "__PROVINCE__", "--example", "--format", "json")
    assert res.returncode in (0, 1), res.stderr  # 1: something is not met
    report = json.loads(res.stdout)
    assert report["summary"]["total"] == len(report["findings"]) > 0
'''

README = '''\
# __DISTRIBUTION__

A [plancheck](https://pypi.org/project/plancheck/) plugin: the drug-prevention
plan of **__NAME__** (province id `__PROVINCE__`), encoded clause by clause as
data, so plancheck can say what is met, late, missing or below target.

## Layout

| file | what it holds |
|---|---|
| `__PACKAGE__/plan.toml` | the plan: agencies, units, measures, rules, targets, tasks, \
reporting obligations. Every key is commented; the reference is plancheck's `docs/plugins.md` |
| `__PACKAGE__/__init__.py` | registers the plan with plancheck (`register_plans`); \
`derive_values` for measures TOML cannot express |
| `__PACKAGE__/example/observations.csv` | an illustrative filled form (made-up figures) for `plancheck run --example` |
| `tests/test_plan.py` | the plan loads, `plancheck plugin check` is clean, plancheck lists the plugin |

## Work on it

```
python3 -m venv .venv && . .venv/bin/activate
pip install plancheck            # or: pip install -e path/to/plancheck
pip install -e ".[test]"
plancheck provinces              # __PROVINCE__ is listed
plancheck plugin check __PROVINCE__   # every problem in the plan, with file and key path
python -m pytest
```

Then replace the skeleton's examples with the plan's own text, one element
per clause, each with its `source` (the clause) and, where the plan leaves
something implicit, `assumed` (what you chose and why). Run
`plancheck plugin check __PROVINCE__` after every change; it exits 1 while
anything must be fixed.

```
plancheck plan show --province __PROVINCE__           # the plan as encoded
plancheck template --province __PROVINCE__ -o form.csv   # the blank reporting form
plancheck run --province __PROVINCE__ --example       # findings on the example data
```

When the plan's real figures replace the skeleton, regenerate the example
form (`plancheck template --province __PROVINCE__ -o __PACKAGE__/example/observations.csv`)
and fill its `value` column with illustrative figures.
'''

# The skeleton. Lines "# key = value" are optional keys, shown with an
# example: uncomment and edit them. Everything not commented is a real,
# minimal element that loads and checks clean; replace it with the plan's own.
PLAN_TOML = '''\
# The plan of __NAME__ (province id "__PROVINCE__"), as data for plancheck.
#
# One element per clause of the plan. Every element has `source`: the clause
# it comes from ("III.1.2"). Where the plan leaves something implicit (who
# sends a report, a date "theo quy định"), add `assumed`: the rule you used,
# in one sentence. Lines "# key = value" are optional keys shown with an
# example: uncomment and edit. Reference: docs/plugins.md of plancheck.
# Check after every change:   plancheck plugin check __PROVINCE__

# -- The plan -------------------------------------------------------------------
id = "__PROVINCE__-__YEAR__-phong-chong-ma-tuy"   # unique plan id: province, year, short name
province = "__PROVINCE__"                 # the province id, as the plugin module registers it
province_name = "__NAME__"               # the province's name in Vietnamese
title = "Kế hoạch thực hiện công tác phòng, chống ma túy năm __YEAR__"   # the title, as written
title_en = "Drug prevention plan for __YEAR__"   # the title in English
issuer = "Ủy ban nhân dân tỉnh __NAME__"  # who issued the plan
period = { start = __YEAR__-01-01, end = __YEAR__-12-31 }   # what the plan covers (TOML dates, unquoted)
source_file = "ke-hoach.txt"              # the file of the plan's text you encoded from
source = "preamble"                       # the clause this element comes from
# document = "Kế hoạch số 12/KH-UBND"    # the document number, if the text gives one
# signed = __YEAR__-01-15                 # the signing date, if the text gives one
# signer = "Nguyễn Văn A, Phó Chủ tịch"   # who signed it
# parent_programme = "Quyết định số 1452/QĐ-TTg ngày 27/8/2021"   # the programme it implements
language = "vi"                           # the language of the plan's text
source_kind = "plan"                      # "plan", or "press_summary" when encoded from a press article
# incomplete = "the text stops after III.4"   # say so when the text is cut short: run shows it first
# assumed = "The text carries no signing date."   # what you chose where the plan is silent
# note = "Encoded from the scanned copy."   # anything else a reader should know

# The national programme the plan builds on (optional table). `include`:
# indicators the plan adopts without restating them (they become targets
# with the national threshold); `skip`: indicators it deliberately leaves
# out. A target that restates an indicator names it in `national`.
[adopts]
programme = "decision-1452-2021"          # see core/plans/programmes/ of plancheck
# include = ["services_reached"]          # adopted without restating them
# skip = ["addicts_growth"]               # deliberately left out
source = "I.2"                            # the clause that names the programme
# note = "The plan restates two national indicators."  # anything else a reader should know

# Default importance per kind of item ("high", "medium", "low"); each item may
# set its own `importance`. `plancheck run --fail-on` uses it.
[importance]
target = "high"                           # targets
task = "medium"                           # tasks
obligation = "medium"                     # reporting obligations
consistency = "medium"                    # data-consistency checks

# -- Agencies: every body the plan assigns work to or reports to -----------------
[[agencies]]
id = "ubnd_tinh"                          # short ASCII id, used everywhere else in this file
name = "Ủy ban nhân dân tỉnh"             # the name as the plan writes it
name_en = "Provincial People's Committee"  # the name in English
level = "province"                        # "central", "province", "district" or "commune"
source = "V.3"                            # the clause it comes from
# quote = "Công an tỉnh tổng hợp, báo cáo Ủy ban nhân dân tỉnh"   # the plan's words for it
# draft = true                            # written by a tool and not yet confirmed: plugin check fails until removed
# assumed = "The plan names the committee only as recipient."  # what you chose where the plan is silent, and why
# note = "Reports go through the Office of the People's Committee."  # anything else a reader should know

[[agencies]]
id = "cong_an_tinh"
name = "Công an tỉnh"
name_en = "Provincial Police"
level = "province"
source = "III.1"

[[agencies]]
id = "so_yte"
name = "Sở Y tế"
name_en = "Department of Health"
level = "province"
source = "III.2"

[[agencies]]
id = "ubnd_cap_huyen"
name = "Ủy ban nhân dân các huyện, thị xã, thành phố"
name_en = "District People's Committees"
level = "district"
source = "III.3"
note = "A collective addressee: one committee per district-level unit (see units)."

[[agencies]]
id = "ubnd_cap_xa"
name = "Ủy ban nhân dân cấp xã"
name_en = "Commune People's Committees"
level = "commune"
source = "III.4"

[[agencies]]
id = "bo_cong_an"
name = "Bộ Công an"
name_en = "Ministry of Public Security"
level = "central"
source = "V.3"

# -- Administrative units: the province, and the districts and communes the
#    plan names (targets "each_district"/"each_commune" cover these) ----------
[[units]]
id = "__PROVINCE__"                       # the province unit: scope "province" targets are judged on it
name = "Tỉnh __NAME__"                    # as the plan writes it
name_en = "__NAME__ province"             # the name in English
level = "province"                        # "province", "district" or "commune"
source = "I"                              # the clause it comes from

[[units]]
id = "huyen_a"
name = "Huyện A"
name_en = "District A"
level = "district"
parent = "__PROVINCE__"                   # the unit it belongs to
source = "III.3"
# valid_to = 2025-06-30                   # last day it existed (districts abolished in 2025)
# quote = "các huyện, thị xã, thành phố"  # the plan's words for it
# draft = true                            # set by a drafting tool; remove once confirmed
# assumed = "The plan lists the district only in its annex."  # what you chose where the plan is silent, and why
# note = "Merged into Huyện B from 1 July 2025."  # anything else a reader should know

[[units]]
id = "huyen_a.xa_a"                       # commune ids: district id, dot, commune
name = "Xã A"
name_en = "Commune A"
level = "commune"
parent = "huyen_a"
source = "III.4"
# valid_from = __YEAR__-01-01             # first day it existed (a commune created by a merger)

[[units]]
id = "huyen_a.xa_b"
name = "Xã B"
name_en = "Commune B"
level = "commune"
parent = "huyen_a"
source = "III.4"

# -- Measures: what is reported as a number, per unit and period ----------------
[[measures]]
id = "hotspots"                           # short ASCII id, unique in its collection
name = "Số điểm, tụ điểm phức tạp về ma túy"  # as the plan writes it
name_en = "Drug hotspots"                 # the name in English
unit = "count"                            # count, people, percent, m2, vnd, ...
level = "commune"                         # reported per "province", "district" or "commune"
period_type = "yearly"                    # "yearly", "semiannual", "quarterly" or "monthly"
source = "II.1 (1)"                       # the clause it comes from

[[measures]]
id = "addicts"
name = "Số người nghiện ma túy"
name_en = "Drug addicts"
unit = "count"
level = "commune"
period_type = "yearly"
source = "II.1 (2)"
# A measure computed by the plugin's derive_values hook (see __init__.py) is
# never on a form; its inputs are asked for instead:
# derived = true                          # computed by derive_values, never on a form
# inputs = ["addicts", "addicts_with_records"]  # what it is computed from (the form asks for these)
# quote = "số người nghiện ma túy trên địa bàn"  # the plan's words for it
# draft = true                            # set by a drafting tool; remove once confirmed
# assumed = "Counted at the end of the year."  # what you chose where the plan is silent, and why
# note = "Includes addicts in compulsory rehabilitation."  # anything else a reader should know

[[measures]]
id = "addicts_with_records"
name = "Số người nghiện ma túy có hồ sơ quản lý"
name_en = "Drug addicts with management records"
unit = "count"
level = "commune"
period_type = "yearly"
source = "II.1 (2)"

[[measures]]
id = "prevention_models"
name = "Số mô hình phòng, chống ma túy hoạt động hiệu quả"
name_en = "Drug-prevention models working effectively"
unit = "count"
level = "commune"
period_type = "yearly"
source = "II.1 (3)"

[[measures]]
id = "new_addicts"
name = "Số người nghiện ma túy mới phát hiện"
name_en = "Newly detected drug addicts"
unit = "count"
level = "district"
period_type = "yearly"
source = "I.2 (4)"

[[measures]]
id = "crimes_detected"
name = "Số vụ phạm tội về ma túy phát hiện"
name_en = "Drug crimes detected"
unit = "count"
level = "province"
period_type = "yearly"
source = "I.2 (1)"

[[measures]]
id = "cases"
name = "Số vụ án ma túy đã khởi tố"
name_en = "Drug cases prosecuted"
unit = "count"
level = "province"
period_type = "yearly"
source = "I.2 (2)"

[[measures]]
id = "cases_resolved"
name = "Số vụ án ma túy đã điều tra, giải quyết"
name_en = "Drug cases investigated and resolved"
unit = "count"
level = "province"
period_type = "yearly"
source = "I.2 (2)"

[[measures]]
id = "awareness_sessions"
name = "Số buổi tuyên truyền phòng, chống ma túy"
name_en = "Drug-prevention awareness sessions"
unit = "count"
level = "province"
period_type = "quarterly"
source = "III.2"

# -- Projects: projects and sub-projects (dự án, tiểu dự án) and who runs them ---
[[projects]]
id = "du_an_1"                            # short ASCII id, unique in its collection
name = "Dự án 1: Xây dựng xã, phường, thị trấn không có ma túy"  # as the plan writes it
name_en = "Project 1: drug-free communes"  # the name in English
lead = "cong_an_tinh"                     # the agency that leads it
coordinators = ["so_yte"]                 # agencies that take part
source = "IV.1"                           # the clause it comes from
# parent = "chuong_trinh"                 # the project it is a sub-project of
# quote = "Dự án 1: Xây dựng xã, phường, thị trấn không có ma túy"  # the plan's words for it
# draft = true                            # set by a drafting tool; remove once confirmed
# assumed = "The plan names no coordinator; the health department is assumed."  # your choice, and why
# note = "Funded from the provincial budget."  # anything else a reader should know

# -- Rules: classifications of units ("drug-free commune") by conditions on
#    measures. A condition is one of: `measure` compared with `value` by `op`
#    (">=", ">", "<=", "<", "=="); `ratio` = [numerator, denominator] as a
#    percentage; `all` (every sub-condition holds); `any` (at least one). ------
[[rules]]
id = "drug_free"                          # short ASCII id, unique in its collection
name = "Xã không có tệ nạn ma túy"        # as the plan writes it
name_en = "Drug-free commune"             # the name in English
level = "commune"                         # the level of the units it classifies
source = "II.1"                           # the clause it comes from
# quote = "Xã, phường, thị trấn không có tệ nạn ma túy là xã đạt các tiêu chí sau"  # the plan's words for it
# draft = true                            # set by a drafting tool; remove once confirmed
# assumed = "Criterion (3) is read as 'at least one model'."  # what you chose where the plan is silent, and why
# note = "Criteria of Decision 1452/QĐ-TTg, Annex II."  # anything else a reader should know

[[rules.when.all]]
measure = "hotspots"                      # a measure reported at the rule's level
op = "<="                                 # ">=", ">", "<=", "<" or "=="
value = 0                                 # the number it is compared with
source = "II.1 (1)"                       # the criterion's clause

[[rules.when.all]]
ratio = ["addicts_with_records", "addicts"]   # addicts_with_records / addicts, in percent
op = ">="
value = 100
source = "II.1 (2)"

[[rules.when.all]]
source = "II.1 (3)"

[[rules.when.all.any]]
measure = "prevention_models"
op = ">="
value = 1

[[rules.when.all.any]]
measure = "addicts"
op = "=="
value = 0

[[rules]]
id = "key_complex"
name = "Xã trọng điểm, phức tạp về ma túy"
name_en = "Key complex commune"
level = "commune"
source = "II.2"

[[rules.when.any]]
measure = "hotspots"
op = ">="
value = 2
source = "II.2 (1)"

[[rules.when.any]]
measure = "addicts"
op = ">="
value = 20
source = "II.2 (2)"

# -- Targets (chỉ tiêu). kind: "value" (measure vs threshold), "ratio"
#    (numerator/denominator in percent), "growth" (percent change on the
#    previous period), "change" (absolute change: "> 0" increase, "< 0"
#    decrease), "class_count" (units where a rule holds, vs threshold),
#    "in_class" (each unit in scope must satisfy the rule). scope: "province",
#    "each_district", "each_commune" or "units" (the listed units). Judged for
#    one `period` ("__YEAR__", "__YEAR__Q1") or every period of a `recurrence`. ---
[[targets]]
id = "no_hotspots"                        # short ASCII id, unique in its collection
name = "Không để phát sinh điểm, tụ điểm phức tạp về ma túy"  # as the plan writes it
name_en = "No drug hotspots in any commune"  # the name in English
kind = "value"                            # value, ratio, growth, change, class_count or in_class
measure = "hotspots"                      # for value, growth and change
comparator = "<="                         # ">=", ">", "<=", "<" or "=="
threshold = 0                             # zero tolerance is "<= 0"
scope = "each_commune"                    # province, each_district, each_commune or units
period = "__YEAR__"                       # the period judged: 2025, 2025S1, 2025Q1 or 202503
agency = "ubnd_cap_xa"                    # who answers for it
importance = "high"                       # overrides [importance].target
quote = "Không để phát sinh điểm, tụ điểm phức tạp về ma túy"   # the plan's words
# draft = true                            # not yet confirmed against the text
source = "I.2 (3)"                        # the clause it comes from

[[targets]]
id = "cases_resolved_90"
name = "Điều tra, giải quyết trên 90% số vụ án ma túy"
name_en = "Over 90% of drug cases investigated and resolved"
kind = "ratio"
numerator = "cases_resolved"              # for ratio: the part
denominator = "cases"                     # for ratio: the whole
comparator = ">="
threshold = 90
period = "__YEAR__"
deadline = "trước ngày 15/12/__YEAR__"    # when it is judged, in the plan's words (default: period end)
agency = "cong_an_tinh"
national = "cases_resolved"               # the national indicator it restates ([adopts])
source = "I.2 (2)"

[[targets]]
id = "crimes_detected_up_5"
name = "Số vụ phạm tội về ma túy phát hiện tăng trên 5% so với năm trước"
name_en = "Drug crimes detected up over 5% on the previous year"
kind = "growth"
measure = "crimes_detected"
comparator = ">="
threshold = 5
period = "__YEAR__"
agency = "cong_an_tinh"
national = "crimes_detected_growth"
source = "I.2 (1)"
assumed = "'Trên 5%' is read as at least 5%."  # what you chose where the plan is silent, and why

[[targets]]
id = "new_addicts_down"
name = "Giảm số người nghiện ma túy mới phát hiện ở mỗi huyện"
name_en = "Fewer newly detected addicts in each district"
kind = "change"
measure = "new_addicts"
comparator = "<"
threshold = 0
scope = "each_district"
recurrence = "annual"                     # instead of period: "once", "monthly", "quarterly", "semiannual", "annual"
agency = "ubnd_cap_huyen"
source = "I.2 (4)"
note = "Compared with the year before the plan for its first year."  # anything else a reader should know

[[targets]]
id = "drug_free_communes"
name = "Ít nhất 01 xã của huyện A đạt tiêu chí không có tệ nạn ma túy"
name_en = "At least one commune of District A drug-free"
kind = "class_count"
rule = "drug_free"                        # for class_count and in_class
comparator = ">="
threshold = 1
of = 2                                    # the total the plan states ("1 of 2")
within = "huyen_a"                        # count only the units under this unit
period = "__YEAR__"
agency = "ubnd_cap_huyen"
source = "I.2 (5)"

[[targets]]
id = "keep_xa_a_drug_free"
name = "Giữ vững xã A không có tệ nạn ma túy"
name_en = "Commune A stays drug-free"
kind = "in_class"
rule = "drug_free"
scope = "units"
units = ["huyen_a.xa_a"]                  # the units, for scope "units"
period = "__YEAR__"
agency = "ubnd_cap_xa"
source = "I.2 (5)"

[[targets]]
id = "awareness_each_quarter"
name = "Mỗi quý tổ chức ít nhất 01 buổi tuyên truyền"
name_en = "At least one awareness session each quarter"
kind = "value"
measure = "awareness_sessions"
comparator = ">="
threshold = 1
recurrence = "quarterly"
agency = "so_yte"
importance = "low"
source = "III.2"

# -- Tasks: work with (usually) a deadline; each agency is judged on its own ----
[[tasks]]
id = "issue_plan"                         # short ASCII id, unique in its collection
name = "Xây dựng kế hoạch thực hiện của ngành"  # as the plan writes it
name_en = "Draw up the department's implementation plan"  # the name in English
agencies = ["cong_an_tinh"]               # who must do it
coordinators = ["so_yte"]                 # who helps (not judged)
deliverable = "Kế hoạch thực hiện"        # what proves it done
deadline = "Hoàn thành trong quý I/__YEAR__"   # the plan's words; core computes the date
importance = "high"                       # "high", "medium" or "low": overrides [importance]
source = "III.1"                          # the clause it comes from

[[tasks]]
id = "review_addicts"
name = "Rà soát, thống kê người nghiện ma túy trên địa bàn"
name_en = "Review and count drug addicts in the district"
agencies = ["ubnd_cap_huyen"]
due = __YEAR__-06-30                      # a date, where the plan gives no phrase (not with deadline)
source = "III.3"
assumed = "The plan says 'in the first half of the year'; the due date is 30 June."  # your choice, and why
# quote = "rà soát, thống kê người nghiện ma túy trong 6 tháng đầu năm"  # the plan's words for it
# draft = true                            # set by a drafting tool; remove once confirmed
# note = "The plan sets no deliverable."  # anything else a reader should know

# -- Reporting obligations (chế độ báo cáo): who reports, to whom, when. Due
#    dates come from exactly one of: schedule (period by period), deadline with
#    recurrence, or calendar with recurrence ("theo quy định"). ---------------
[[obligations]]
id = "periodic_reports"                   # short ASCII id, unique in its collection
name = "Báo cáo định kỳ gửi Công an tỉnh"  # as the plan writes it
name_en = "Periodic reports to the provincial police"  # the name in English
agencies = ["so_yte", "ubnd_cap_huyen"]   # who sends it
recipient = ["cong_an_tinh"]              # to whom
recurrence = "quarterly"                  # once, monthly, quarterly, semiannual or annual
importance = "medium"                     # "high", "medium" or "low": overrides [importance]
source = "V.2"                            # the clause it comes from

[[obligations.schedule]]
period = "__YEAR__Q1"                     # the period reported on
name = "Báo cáo quý I"                    # the report's name in the plan
deadline = "trong ngày 15/3/__YEAR__"     # in the plan's words
source = "V.2"                            # its clause, if not the obligation's

[[obligations.schedule]]
period = "__YEAR__S1"
name = "Báo cáo 6 tháng"
deadline = "trước ngày 15/6/__YEAR__"

[[obligations.schedule]]
period = "__YEAR__"
name = "Báo cáo năm"
deadline = "trước ngày 01/12/__YEAR__"

[[obligations]]
id = "commune_self_assessment"
name = "Tự đánh giá, phân loại xã và báo cáo Ủy ban nhân dân cấp huyện"
name_en = "Commune self-assessment, reported to the district"
agencies = ["ubnd_cap_xa"]
per_unit = "commune"                      # one report from every commune, not one per agency
recipient = ["ubnd_cap_huyen"]
recurrence = "annual"
deadline = "trước 31/12 hằng năm"         # with recurrence: every year of the plan
source = "II.3"

[[obligations]]
id = "police_summary"
name = "Công an tỉnh tổng hợp báo cáo Bộ Công an và UBND tỉnh theo quy định"
name_en = "Provincial police summary report to the Ministry and the Provincial People's Committee"
agencies = ["cong_an_tinh"]
recipient = ["bo_cong_an", "ubnd_tinh"]
recurrence = "annual"
calendar = "decree-09-2019"               # the national reporting calendar, for "theo quy định"
source = "V.3"
assumed = "The plan says 'theo quy định' without a frequency; an annual report is assumed."  # your choice, and why
# quote = "định kỳ tổng hợp báo cáo Bộ Công an và UBND tỉnh theo quy định"  # the plan's words for it
# draft = true                            # set by a drafting tool; remove once confirmed
# note = "Sent through the PC04 division."  # anything else a reader should know

# -- Data-consistency checks (DHIS2 validation rules), per unit and period:
#    `left` `op` `right` (two measures), `left` `op` `value`, or `exclusive`
#    (rules a unit cannot satisfy together). -------------------------------------
[[checks]]
id = "records_within_addicts"             # short ASCII id, unique in its collection
name = "Số người nghiện có hồ sơ quản lý không lớn hơn số người nghiện"  # as the plan writes it
name_en = "Addicts with records cannot exceed addicts"  # the name in English
left = "addicts_with_records"             # a measure
op = "<="                                 # ">=", ">", "<=", "<" or "=="
right = "addicts"                         # a measure of the same level and period type
missing = "skip"                          # "skip" the check when a value is missing, or "fail"
source = "II.1 (2)"                       # the clause it comes from

[[checks]]
id = "hotspots_plausible"
name = "Một xã không thể có trên 50 điểm, tụ điểm phức tạp về ma túy"
name_en = "More than 50 hotspots in one commune is a typing error"
left = "hotspots"
op = "<="
value = 50                                # or a number instead of right
importance = "low"                        # "high", "medium" or "low": overrides [importance]
source = "II.1 (1)"
note = "A plausibility bound, not a clause of the plan."  # anything else a reader should know

[[checks]]
id = "drug_free_xor_key_complex"
name = "Một xã không thể vừa không có tệ nạn ma túy vừa là xã trọng điểm"
name_en = "A commune cannot be both drug-free and a key complex commune"
exclusive = ["drug_free", "key_complex"]  # rules a unit cannot satisfy together
source = "II.1, II.2"
'''
