"""Published reports: the words and formats of each language, and what every format shows.

Also home of the two reports the other ``test_publish_*`` modules use: the
Hưng Yên report made from the plugin's example data exactly as
``plancheck run --province hung_yen --example --as-of 2025-01-15`` makes it,
and a hand-built report whose names try to inject markup, scripts and formulas.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from importlib.resources import files

import pytest

from plancheck.judge.verdicts import Finding, Report
from plancheck.plans.model import Agency, Condition, Obligation, Plan, PlanPeriod, Rule, Target, Task, Unit
from plancheck.publish import FORMATS, content, publish
from plancheck.publish.labels import EN, LABELS, VI, Locale

AS_OF = date(2025, 1, 15)
EXAMPLE_NOTICE = "EXAMPLE DATA: illustrative figures shipped with the plugin, not real reports"


def hung_yen_report() -> tuple[Report, list[Plan]]:
    """The report ``plancheck run --province hung_yen --example --as-of 2025-01-15`` computes."""
    from plancheck.cli import today_in_vietnam
    from plancheck.judge.assessment import assess, example_observations, province_plans
    from plancheck.plans.plugins import load_registry

    pm, registry = load_registry()
    plans = province_plans(registry, "hung_yen")
    obs = example_observations(registry, "hung_yen", plans, today_in_vietnam())
    return assess(pm, "hung_yen", plans, obs, AS_OF, [EXAMPLE_NOTICE]), plans


# -- a report whose every name is hostile ----------------------------------------------

SCRIPT = '<script>window.__pwned = 1; document.title = "pwned"</script>'
ATTR = '"onmouseover="window.__pwned = 2" x="'
CLOSE = "</script><script>window.__pwned = 3</script>"
IMG = '<img src=x onerror="window.__pwned = 4">'
FORMULA = '=HYPERLINK("http://example.invalid","click")'


def evil_report() -> tuple[Report, list[Plan]]:
    """A plan and findings with markup, attribute breakers and formulas in every name."""
    plan = Plan(
        id="evil-2024", province="evil", province_name=f"Tỉnh {SCRIPT}", title=f"Kế hoạch {SCRIPT}",
        title_en=f"Plan {SCRIPT}", issuer=f"UBND {ATTR}", period=PlanPeriod(start=date(2024, 1, 1),
                                                                             end=date(2024, 12, 31)),
        source_file="evil.txt", source="preamble",
        agencies=(Agency(id="a_script", name=f"Sở {SCRIPT}", name_en=f"Dept {SCRIPT}", level="province",
                         source="V.2"),
                  Agency(id="a_attr", name=f"Sở {ATTR}", name_en=f"Dept {ATTR}", level="province", source="V.2"),
                  Agency(id="a_formula", name=FORMULA, name_en=FORMULA, level="province", source="V.2")),
        units=(Unit(id="evil", name=f"Tỉnh {ATTR}", name_en=f"Province {ATTR}", level="province", source="I"),
               Unit(id="d1", name=f"Huyện {IMG}", name_en=f"District {IMG}", level="district", source="I",
                    parent="evil")),
        rules=(Rule(id="r1", name=f"Tiêu chí {SCRIPT}", name_en=f"Rule {SCRIPT}", level="district",
                    when=Condition(measure="m", op=">=", value=1), source="II"),),
        targets=(Target(id="t_value", name=f"Chỉ tiêu {SCRIPT}", name_en=f"Target {SCRIPT}", kind="value",
                        measure="m", comparator=">=", threshold=10, scope="each_district", agency="a_script",
                        source=f"I.1 {IMG}"),
                 Target(id="t_class", name=f"Lớp {ATTR}", name_en=f"Class {ATTR}", kind="in_class", rule="r1",
                        scope="each_district", agency="a_attr", source="I.2")),
        tasks=(Task(id="task1", name=FORMULA, name_en=FORMULA, agencies=("a_formula",), source="III.1"),),
        obligations=(Obligation(id="o1", name=f"Báo cáo {SCRIPT}", name_en=f"Report {SCRIPT}",
                                agencies=("a_script", "a_attr"), recipient=("a_script",), source="V.2"),),
    )
    base = {"plan": plan.id, "period": "2024", "due": date(2024, 12, 31), "days_late": None}
    findings = (
        Finding(item="t_value", kind="target", name=plan.targets[0].name, agency="a_script", unit="d1",
                status="not_met", reason="below_target", expected=f">= 10 {SCRIPT}", actual=5.5,
                source=plan.targets[0].source, assumed=f"assumed {ATTR}", **base),
        Finding(item="t_class", kind="target", name=plan.targets[1].name, agency="a_attr", unit="d1",
                status="met", reason=None, expected=f"is r1 {ATTR}", actual="in class", source="I.2", **base),
        Finding(item="task1", kind="task", name=FORMULA, agency="a_formula", unit="", status="met", reason=None,
                expected="by 2024-12-31", actual="2024-03-01", source="III.1", **base),
        Finding(item="o1", kind="obligation", name=plan.obligations[0].name, agency="a_script", unit="",
                status="met", reason=None, expected="by 2024-12-31", actual="2024-12-01", source="V.2", **base),
        Finding(item="o1", kind="obligation", name=plan.obligations[0].name, agency="a_attr", unit="",
                status="not_met", reason="missing", expected="by 2024-12-31", actual=None, source="V.2",
                **{**base, "days_late": 15}),
        # an agency the plan does not know: shown by its raw id, which is hostile too
        Finding(item="o1", kind="obligation", name=CLOSE, agency=CLOSE, unit=IMG, status="pending", reason=None,
                expected=f"by {SCRIPT}", actual=SCRIPT, source=CLOSE, **base),
    )
    report = Report("evil", AS_OF, findings, (f"notice {SCRIPT}", f"notice {ATTR}"))
    return report, [plan]


@pytest.fixture(scope="module")
def hung_yen():
    return hung_yen_report()


# -- labels --------------------------------------------------------------------------

def test_both_languages_have_the_same_labels():
    assert set(LABELS) == {"vi", "en"}
    assert VI.keys() == EN.keys(), sorted(VI.keys() ^ EN.keys())
    assert all(v.strip() for v in [*VI.values(), *EN.values()])


@pytest.mark.parametrize(("lang", "number", "percent", "day"), [
    ("vi", "1.234,5", "32,9%", "12/03/2024"),
    ("en", "1,234.5", "32.9%", "2024-03-12"),
])
def test_number_and_date_formats(lang, number, percent, day):
    loc = Locale(lang)
    assert loc.number(1234.5) == number
    assert loc.percent(32.9) == percent
    assert loc.day(date(2024, 3, 12)) == day
    assert loc.number(44) == "44"
    assert loc.number(95.84) == ("95,84" if lang == "vi" else "95.84")
    assert loc.number(-0.001) == "0"


@pytest.mark.parametrize(("period", "vi", "en"), [
    ("2024", "Năm 2024", "2024"),
    ("2024S1", "6 tháng đầu năm 2024", "H1 2024"),
    ("2024S2", "6 tháng cuối năm 2024", "H2 2024"),
    ("2024Q3", "Quý III/2024", "Q3 2024"),
    ("202403", "Tháng 3/2024", "2024-03"),
    ("not-a-period", "not-a-period", "not-a-period"),
])
def test_periods_as_readers_say_them(period, vi, en):
    assert Locale("vi").period(period) == vi
    assert Locale("en").period(period) == en


def test_unknown_language_or_format_is_refused(hung_yen):
    report, plans = hung_yen
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        publish(report, plans, "pdf")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        publish(report, plans, "html", "fr")
    assert FORMATS == ("html", "xlsx", "csv", "docx")


# -- content -------------------------------------------------------------------------------

def test_rows_in_a_readers_words(hung_yen):
    report, plans = hung_yen
    vi = {(r.finding.item, r.finding.unit, r.finding.agency): r for r in content.rows(report, plans, Locale("vi"))}
    en = {(r.finding.item, r.finding.unit, r.finding.agency): r for r in content.rows(report, plans, Locale("en"))}
    key = ("drug_free_53_of_161", "hung_yen", "ubnd_cap_huyen")
    assert vi[key].status == "Không đạt" and en[key].status == "Not met"
    assert vi[key].expected == "≥ 53/161 (32,9%) xã, phường, thị trấn không có tệ nạn ma túy"
    assert en[key].expected == "≥ 53 of 161 (32.9%) drug-free commune, ward or township"
    assert vi[key].actual == 44 and vi[key].actual_text == "44"
    assert vi[key].unit == "Tỉnh Hưng Yên" and en[key].unit == "Hung Yen province"
    assert vi[key].agency == "Ủy ban nhân dân huyện, thị xã, thành phố"
    assert vi[key].name.startswith("Đến hết năm 2024 có 53/161 xã") and vi[key].name_original is None
    assert en[key].name == "53 of 161 communes drug-free by the end of 2024 (32.9%)"
    assert en[key].name_original == vi[key].name  # the plan's own words stay beside the English
    ratio = vi[("bodies_drug_free_100", "hung_yen", "so_ban_nganh_doan_the")]
    assert (ratio.expected, ratio.actual_text) == ("≥ 100%", "95,84%")
    late = vi[("kim_dong_directive", "", "ubnd_kim_dong")]
    assert (late.reason, late.due_text, late.actual) == ("Trễ hạn 5 ngày", "29/02/2024", date(2024, 3, 5))
    commune = en[("keep_22_drug_free", "kim_dong.song_mai", "ubnd_cap_huyen")]
    assert commune.unit == "Song Mai commune (Kim Dong district)"
    assert commune.actual_text == "Does not meet the criteria"


def test_not_met_first(hung_yen):
    report, plans = hung_yen
    statuses = [r.finding.status for r in content.rows(report, plans, Locale("vi"))]
    assert statuses == sorted(statuses, key=content.STATUS_ORDER.index)
    assert statuses[0] == "not_met" and statuses[-1] == "met"


def test_counts_for_the_charts(hung_yen):
    report, plans = hung_yen
    by_kind = content.status_by_kind(report)
    assert list(by_kind)[:3] == ["target", "task", "obligation"]
    assert sum(sum(c.values()) for c in by_kind.values()) == len(report.findings)
    timely = content.timeliness_by_agency(report)
    # V.2: the provincial bodies (one collective, as V.1 names them) sent their Q1 report 3 days late;
    # a district missed its year report
    assert timely[(plans[0].id, "so_ban_nganh_doan_the")]["late"] == 1
    assert timely[(plans[0].id, "ubnd_cap_huyen")]["missing"] >= 1
    assert sum(sum(c.values()) for c in timely.values()) == sum(1 for f in report.findings
                                                                 if f.kind == "obligation")
    series = {s.item: s for s in content.target_series(report, plans, Locale("vi"))}
    assert "keep_22_drug_free" not in series  # in_class: no number to chart
    s = series["drug_free_53_of_161"]
    assert (s.threshold, s.actuals, s.statuses, s.units) == (53.0, (44.0,), ("not_met",), ("Tỉnh Hưng Yên",))
    assert len(series["users_managed_100"].units) == 10 and series["users_managed_100"].percent


def test_notices_in_the_readers_language():
    report, plans = evil_report()
    plan = attrs_evolve(plans[0], incomplete="text cut after III.2", source_kind="press_summary")
    report = Report(report.province, report.as_of, report.findings,
                    (f"plan {plan.id} is INCOMPLETE: text cut after III.2",
                     f"plan {plan.id} is encoded from a press summary, not the plan itself", EXAMPLE_NOTICE, "other"))
    assert content.notices(report, [plan], Locale("vi")) == [
        "Kế hoạch evil-2024 KHÔNG ĐẦY ĐỦ: text cut after III.2",
        "Kế hoạch evil-2024 được mã hóa từ bản tin tóm tắt, không phải từ văn bản kế hoạch.",
        "SỐ LIỆU MINH HỌA: số liệu giả định đi kèm plugin, không phải báo cáo thực tế.",
        "other"]
    assert content.notices(report, [plan], Locale("en"))[2] == EN["notice.example"]


def attrs_evolve(obj, **changes):
    import attrs

    return attrs.evolve(obj, **changes)


# -- packaging and start-up -----------------------------------------------------------------

def test_chart_library_is_vendored_with_its_licence():
    assets = files("plancheck.publish") / "assets"
    js = (assets / "chart.umd.min.js").read_text(encoding="utf-8")
    assert js.startswith("/*!\n * Chart.js v4.")
    assert "MIT License" in (assets / "chart.js-LICENSE.md").read_text(encoding="utf-8")


def test_heavy_libraries_load_only_for_their_format():
    code = ("import sys, plancheck.publish as p, plancheck.publish.html_report, plancheck.publish.csv_report; "
            "print('openpyxl' in sys.modules, 'docx' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_takes_an_empty_report_and_a_kind_it_does_not_know(fmt):
    report, plans = evil_report()
    assert publish(Report("evil", AS_OF, ()), plans, fmt, "vi")
    check = Finding(plan="evil-2024", item="c1", kind="consistency", name="Kiểm tra", agency="", unit="evil",
                    period="2024", due=None, status="not_met", reason="inconsistent", expected="a <= b",
                    actual=3.0, source="IV")
    data = publish(Report("evil", AS_OF, (check,)), plans, fmt, "en")
    if fmt == "html":
        assert "Data consistency checks" in data.decode() and "Inconsistent data" in data.decode()
