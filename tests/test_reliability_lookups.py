"""Issue 21, classes 10 and 11: a waiver or a lookup that matches nothing is refused with what does
exist (it used to apply to nothing, silently, or print an empty table); text that looks like a
formula is written by the forms as text."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.cli import cli

AS_OF = "2025-01-15"
WAIVER = '''[[waivers]]
item = "kim_dong_directive"                 # III.1.3: the directive due in 02/2024
{extra}
new_due = 2024-03-10
justification = "Chờ tiêu chí của Công an tỉnh (III.1.2)"
approved_by = "Phó Chủ tịch UBND tỉnh"
document = "Công văn số 12/UBND-NC"
'''


def run_with(runner, tmp_path, text: str, suffix: str = ".toml", command: str = "run"):
    path = tmp_path / f"waivers{suffix}"
    path.write_text(text, encoding="utf-8")
    args = ["--province", "hung_yen", "--example", "--as-of", AS_OF, "--waivers", str(path)]
    if command == "explain":
        return path, runner.invoke(cli, ["explain", "kim_dong_directive", *args])
    return path, runner.invoke(cli, ["run", *args, "--format", "json"])


@pytest.mark.parametrize(("extra", "words"), [
    ('agency = "ubnd_kim_dng"', "has agency 'ubnd_kim_dng'; its agency is one of ubnd_kim_dong; did you mean "
                                "'ubnd_kim_dong'?"),
    ('period = "2024Q1"', "has period '2024Q1'; its period is one of 2024"),
    ('unit = "kim_dong"', "has unit 'kim_dong'; its unit is one of none"),
    ('agency = "ubnd_kim_dong"\nperiod = "2025"', "has agency 'ubnd_kim_dong', period '2025'; its period is one of "
                                                  "2024"),
])
@pytest.mark.parametrize("command", ["run", "explain"])
def test_a_waiver_that_matches_no_finding_is_refused(runner, tmp_path, extra, words, command):
    path, res = run_with(runner, tmp_path, WAIVER.format(extra=extra), command=command)
    assert res.exit_code == 2, res.output
    assert f"{path}: this waiver applies to nothing: no finding of kim_dong_directive {words}" in res.stderr
    assert res.stderr.rstrip().endswith("@ $.waivers[0]") and res.stdout == ""


def test_the_same_waiver_with_the_right_agency_applies(runner, tmp_path):
    _, res = run_with(runner, tmp_path, WAIVER.format(extra='agency = "ubnd_kim_dong"'))
    [f] = [f for f in json.loads(res.stdout)["findings"] if f["item"] == "kim_dong_directive"]
    assert (f["status"], f["waived"]) == ("not_met", True)  # done 05/03, within the extension to 10/03


def test_a_csv_waiver_is_refused_with_its_row(runner, tmp_path):
    text = ("item,agency,unit,period,new_due,exempt,justification,approved_by,document,expires\n"
            "kim_dong_directive,ubnd_kim_dong,,2024,2024-03-10,,Chờ tiêu chí,PCT UBND tỉnh,CV 12,\n"
            "kim_dong_directive,ubnd_kim_dongg,,,,x,Miễn,PCT UBND tỉnh,CV 13,\n")
    path, res = run_with(runner, tmp_path, text, ".csv")
    assert res.exit_code == 2
    assert res.stderr.startswith(f"{path}:3: this waiver applies to nothing: no finding of kim_dong_directive has "
                                 "agency 'ubnd_kim_dongg'")


CHECKED = MINIMAL_PLAN.replace("[[tasks]]", '''
[[measures]]
id = "total"
name = "Tổng số"
name_en = "Total"
unit = "count"
level = "province"
period_type = "yearly"
source = "I"

[[measures]]
id = "part"
name = "Trong đó"
name_en = "Of which"
unit = "count"
level = "province"
period_type = "yearly"
source = "I"

[[targets]]
id = "total_10"
name = "Ít nhất 10"
name_en = "At least 10"
kind = "value"
measure = "total"
comparator = ">="
threshold = 10
period = "2024"
source = "I"

[[checks]]
id = "part_within_total"
name = "Số trong đó không vượt tổng số"
name_en = "A part is within its total"
left = "part"
op = "<="
right = "total"
source = "I"

[[tasks]]''')


def test_a_waiver_of_a_check_that_holds_today_is_kept_for_when_it_does_not(runner, tmp_path, install_plugin):
    install_plugin("plancheck_test_checked", PLUGIN_SOURCE, {"plan.toml": CHECKED}, entry_point="test_province")
    path = tmp_path / "w.toml"
    path.write_text(WAIVER.replace("kim_dong_directive", "part_within_total").format(extra=""), encoding="utf-8")
    res = runner.invoke(cli, ["run", "--province", "test_province", "--as-of", AS_OF, "--waivers", str(path)])
    assert res.exit_code in (0, 1), res.output  # no finding of the check yet: nothing to match, nothing refused


# -- lookups -------------------------------------------------------------------------------------

def test_history_of_an_unknown_province_or_item_is_refused_with_candidates(runner):
    res = runner.invoke(cli, ["history", "--province", "hung_yem", "--item", "hotspots"])
    assert res.exit_code == 2 and "unknown province 'hung_yem'; did you mean 'hung_yen'?" in res.stderr
    res = runner.invoke(cli, ["history", "--province", "hung_yen", "--item", "hotspot"])
    assert res.exit_code == 2
    assert "no measure, task or obligation 'hotspot' in hung_yen's plans; did you mean 'hotspots'" in res.stderr
    res = runner.invoke(cli, ["history", "--province", "hung_yen", "--item", "drug_free_53_of_161"])
    assert res.exit_code == 2 and "targets are computed from measures" in res.stderr


def test_history_of_a_known_item_with_no_data_is_an_empty_table(runner):
    res = runner.invoke(cli, ["history", "--province", "hung_yen", "--item", "hotspots", "--format", "json"])
    assert (res.exit_code, json.loads(res.stdout)) == (0, [])


def test_explain_with_a_unit_or_agency_it_does_not_have_says_so(runner):
    base = ["explain", "--province", "hung_yen", "--example", "--as-of", AS_OF]
    res = runner.invoke(cli, [*base, "keep_22_drug_free", "--unit", "nope"])
    assert res.exit_code == 2
    assert res.stderr.startswith("keep_22_drug_free has no finding for --unit 'nope'; its findings are for: ")
    assert "van_lam.minh_hai" in res.stderr and "does not exist" not in res.stderr
    res = runner.invoke(cli, [*base, "kim_dong_directive", "--agency", "ubnd_kim_dng"])
    assert res.exit_code == 2 and "did you mean 'ubnd_kim_dong'" in res.stderr
    res = runner.invoke(cli, [*base, "kim_dong_directiv"])
    assert res.exit_code == 2 and res.stderr.startswith("no item 'kim_dong_directiv' in hung_yen's plans; did you "
                                                        "mean 'kim_dong_directive'?")
    res = runner.invoke(cli, [*base, "keep_22_drug_free", "--unit", "van_lam.minh_hai"])
    assert res.exit_code == 0, res.output


# -- class 11: text that looks like a formula is written by the forms as text -------------------------------

FORMULAS = MINIMAL_PLAN.replace('name = "Ban hành tiêu chí"', 'name = "=HYPERLINK(\\"http://x.example\\",\\"Bấm\\")"') \
    .replace('name = "Công an tỉnh"', 'name = "@Công an tỉnh"').replace("[[tasks]]", '''
[[measures]]
id = "hotspots"
name = "-1+1 điểm nóng"
name_en = "Hotspots"
unit = "điểm"
level = "province"
period_type = "yearly"
source = "=1+1"

[[targets]]
id = "no_hotspots"
name = "+84 không còn điểm nóng"
name_en = "No hotspots"
kind = "value"
measure = "hotspots"
comparator = "<="
threshold = 0
period = "2024"
source = "II.1"

[[tasks]]''')


@pytest.fixture
def formula_plan(install_plugin):
    install_plugin("plancheck_test_formula", PLUGIN_SOURCE, {"plan.toml": FORMULAS}, entry_point="test_province")


def test_the_xlsx_form_holds_formula_like_names_as_text(runner, tmp_path, formula_plan):
    path = tmp_path / "form.xlsx"
    res = runner.invoke(cli, ["template", "--province", "test_province", "--format", "xlsx", "-o", str(path)])
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(path) as z:
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if n.endswith(".xml"))
    ws = openpyxl.load_workbook(path)["form"]
    texts = {c.value for row in ws.iter_rows(min_row=2) for c in row if c.data_type == "s"}
    # the measure's name and its unit, each in its column
    assert {'=HYPERLINK("http://x.example","Bấm")', "-1+1 điểm nóng", "điểm", "=1+1"} <= texts
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_the_csv_form_prefixes_formula_like_descriptions(runner, formula_plan):
    res = runner.invoke(cli, ["template", "--province", "test_province"])
    rows = {r["item"]: r for r in csv.DictReader(io.StringIO(res.stdout))}
    assert rows["criteria"]["description"].startswith("'=HYPERLINK(")
    assert rows["hotspots"]["description"].startswith("'-1+1 điểm nóng")
    # the ids are untouched, so the filled form reads back
    assert rows["hotspots"]["item"] == "hotspots"
