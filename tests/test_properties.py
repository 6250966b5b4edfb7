"""Properties that hold for every input, checked on many generated ones (hypothesis).

Periods and deadline phrases (round trips, order, adjacency, every phrase at
its documented date), the evaluation (row order does not matter; an on-time
submission never turns met into not met; met stays met as time passes), and
ingest (any CSV or XLSX is taken whole or refused with row-level errors,
never a traceback, never a partial write).

Example counts come from a settings profile: ``ci`` by default (quick),
``long`` for a thorough run: ``PLANCHECK_HYPOTHESIS=long pytest tests/test_properties.py``.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import sqlite3
import tempfile
import traceback
import unicodedata
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL_PLAN, ROOT
from plancheck.judge.verdicts import Report, evaluate
from plancheck.plans.calendar import PERIOD_TYPES, Period, parse_deadline, period_containing, periods_in
from plancheck.plans.model import Observation
from plancheck.plans.planfile import load_plan

settings.register_profile(
    "ci", max_examples=60, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = settings.get_profile(os.environ.get("PLANCHECK_HYPOTHESIS", "ci"))


def scaled(n: int) -> settings:
    """The profile, with ``n`` examples in CI for the slower properties (x10 in the long run)."""
    return settings(PROFILE, max_examples=n if PROFILE.max_examples <= 100 else n * 10)


# -- periods -------------------------------------------------------------------

PER_YEAR = {"yearly": 1, "semiannual": 2, "quarterly": 4, "monthly": 12}


@st.composite
def periods(draw, type_=None, min_year=1, max_year=9999):
    t = type_ or draw(st.sampled_from(PERIOD_TYPES))
    return Period.of(t, draw(st.integers(min_year, max_year)), draw(st.integers(1, PER_YEAR[t])))


@PROFILE
@given(periods())
def test_period_id_round_trips(p):
    assert Period.parse(p.id) == p
    assert str(p) == p.id and p.start <= p.end
    assert period_containing(p.start, p.type) == p == period_containing(p.end, p.type)
    assert Period.of(p.type, p.start.year, p.index) == p


@PROFILE
@given(periods(min_year=2))
def test_previous_is_the_adjacent_period_of_the_same_type(p):
    q = p.previous()
    assert q.type == p.type
    assert q.end + timedelta(days=1) == p.start
    assert q < p


def test_there_is_no_period_before_year_1():
    # regression: this was an OverflowError, which no caller expects
    with pytest.raises(ValueError, match="no period before 0001"):
        Period.parse("0001").previous()


@PROFILE
@given(st.sampled_from(PERIOD_TYPES).flatmap(lambda t: st.tuples(periods(t), periods(t))))
def test_order_of_periods_of_one_type_is_the_order_of_their_ids(pq):
    p, q = pq
    assert (p < q) == (p.id < q.id) == (p.start < q.start)
    assert (p == q) == (p.id == q.id)


@PROFILE
@given(st.dates(), st.integers(0, 3 * 366), st.sampled_from(PERIOD_TYPES))
def test_periods_in_tile_the_range_without_gaps(start, days, t):
    end = min(start + timedelta(days=min(days, (date.max - start).days)), date.max)
    ps = periods_in(start, end, t)
    assert ps[0].start <= start <= ps[0].end
    assert ps[-1].start <= end <= ps[-1].end
    for x, y in zip(ps, ps[1:], strict=False):
        assert x.end + timedelta(days=1) == y.start and x.type == y.type == t


def test_periods_in_stop_at_the_last_day_there_is():
    # regression: stepping past 9999-12-31 was an OverflowError
    assert [p.id for p in periods_in(date(9999, 1, 1), date.max, "semiannual")] == ["9999S1", "9999S2"]


@PROFILE
@given(st.one_of(st.text(max_size=12), st.from_regex(r"\A\d{4}([SQ]\d|\d\d)?\Z")))
def test_any_text_is_a_period_id_or_a_value_error(text):
    try:
        p = Period.parse(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert Period.parse(p.id) == p and p.id.isascii()
        if text.isascii():  # other scripts' digits (٢٠٢٤, ２０２４) are read as the same period
            assert p.id == text.strip()


# -- deadline phrases ------------------------------------------------------------

PLAN = (date(2021, 1, 1), date(2025, 12, 31))
DAYS = st.dates(min_value=date(1000, 1, 2), max_value=date(9999, 12, 31))
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@st.composite
def decorated(draw, core: str) -> str:
    """The phrase as plans write it: a lead-in, any case, Word's decomposed accents, spacing."""
    lead = draw(st.sampled_from(["", "Hoàn thành ", "Báo cáo quý ", "ban hành văn bản chỉ đạo ", "("]))
    text = lead + core + draw(st.sampled_from(["", ")", ".", ";", " "]))
    if draw(st.booleans()):
        text = text.upper() if draw(st.booleans()) else text.capitalize()
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    return text.replace(" ", draw(st.sampled_from([" ", "  ", "\u00a0 "])))


def dmy(d: date, pad: bool) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if pad else f"{d.day}/{d.month}/{d.year}"


def one_due(phrase: str) -> date:
    [due] = parse_deadline(phrase, *PLAN)
    assert due.year is None
    return due.due


@PROFILE
@given(DAYS, st.booleans(), st.sampled_from(["trong ngày ", "vào ngày ", "chậm nhất ngày ", "ngày ", ""]),
       st.data())
def test_on_a_day_is_that_day(d, pad, word, data):
    assert one_due(data.draw(decorated(word + dmy(d, pad)))) == d


@PROFILE
@given(DAYS, st.booleans(), st.sampled_from(["trước ngày ", "trước "]), st.data())
def test_before_a_day_is_the_day_before(d, pad, word, data):
    assert one_due(data.draw(decorated(word + dmy(d, pad)))) == d - timedelta(days=1)


@PROFILE
@given(periods("quarterly", 1000), st.data())
def test_within_a_quarter_is_its_last_day(q, data):
    phrase = data.draw(decorated(f"trong quý {ROMAN[q.index]}/{q.start.year}"))
    assert one_due(phrase) == q.end


@PROFILE
@given(periods("monthly", 1000), st.data())
def test_within_a_month_is_its_last_day(m, data):
    phrase = data.draw(decorated(f"trong tháng {m.start.month}/{m.start.year}"))
    assert one_due(phrase) == m.end


@PROFILE
@given(st.integers(1000, 9999), st.sampled_from(["trong năm ", "đến hết năm ", "năm "]), st.data())
def test_within_a_year_is_its_last_day(y, word, data):
    assert one_due(data.draw(decorated(f"{word}{y}"))) == date(y, 12, 31)


@PROFILE
@given(st.integers(1000, 9999), st.data())
def test_first_half_is_the_end_of_june(y, data):
    assert one_due(data.draw(decorated(f"6 tháng đầu năm {y}"))) == Period.of("semiannual", y, 1).end


@PROFILE
@given(st.integers(1, 12), st.integers(1, 28), st.integers(1900, 2100), st.integers(0, 6),
       st.sampled_from(["trước", "trong"]), st.sampled_from(["hằng năm", "hàng năm"]), st.data())
def test_every_year_gives_one_due_date_per_plan_year(month, day, first, years, word, every, data):
    start, end = date(first, 1, 1), date(first + years, 12, 31)
    phrase = data.draw(decorated(f"{word} {day}/{month} {every}"))
    dues = parse_deadline(phrase, start, end)
    assert [d.year for d in dues] == list(range(first, first + years + 1))
    back = timedelta(days=1 if word == "trước" else 0)
    assert all(d.due == date(d.year, month, day) - back for d in dues)


@PROFILE
@given(st.one_of(
    st.text(max_size=40),
    st.builds("{} {}/{}/{}".format, st.sampled_from(["trước ngày", "trong ngày", "trước", ""]),
              st.integers(0, 99), st.integers(0, 99), st.integers(0, 9999)),
    st.builds("trong quý {}/{}".format, st.sampled_from(["I", "II", "III", "IV", "V", "i"]), st.integers(0, 9999)),
    st.builds("trong tháng {}/{}".format, st.integers(0, 99), st.integers(0, 9999)),
    st.builds("{} {}/{} hằng năm".format, st.sampled_from(["trước", "trong"]), st.integers(0, 99),
              st.integers(0, 99)),
), st.dates(min_value=date(1, 1, 1)), st.integers(0, 3))
def test_any_phrase_gives_due_dates_or_a_value_error_naming_it(phrase, start, years):
    end = date(min(start.year + years, 9999), 12, 31)
    try:
        dues = parse_deadline(phrase, start, end)
    except ValueError as exc:
        assert "deadline phrase" in str(exc)
    else:
        assert dues and all(isinstance(d.due, date) for d in dues)


def test_the_day_before_the_first_day_there_is_is_a_value_error():
    # regression: "trước ngày 01/01/0001" was an OverflowError, and a plan using it crashed the loader
    with pytest.raises(ValueError, match="deadline phrase 'trước ngày 01/01/0001'"):
        parse_deadline("trước ngày 01/01/0001", date(1, 1, 1), date(1, 12, 31))


# -- the evaluation --------------------------------------------------------------

EVAL_PLAN = MINIMAL_PLAN + '''
[[agencies]]
id = "so_yte"
name = "Sở Y tế"
name_en = "Department of Health"
level = "province"
source = "V.2"

[[units]]
id = "huyen_a"
name = "Huyện A"
name_en = "District A"
level = "district"
parent = "test_province"
source = "I"

[[units]]
id = "huyen_b"
name = "Huyện B"
name_en = "District B"
level = "district"
parent = "test_province"
source = "I"

[[measures]]
id = "users"
name = "Người sử dụng có hồ sơ"
name_en = "Users with records"
unit = "count"
level = "district"
period_type = "yearly"
source = "I.1"

[[measures]]
id = "reached"
name = "Được tiếp cận"
name_en = "Reached"
unit = "count"
level = "district"
period_type = "yearly"
source = "I.1"

[[rules]]
id = "covered"
name = "Huyện bao phủ"
name_en = "Covered district"
level = "district"
when = { ratio = ["reached", "users"], op = ">=", value = 50 }
source = "I.2"

[[targets]]
id = "reach"
name = "Tỷ lệ tiếp cận"
name_en = "Reach"
kind = "ratio"
numerator = "reached"
denominator = "users"
comparator = "{cmp}"
threshold = {thr}
scope = "each_district"
period = "2024"
source = "I.1"

[[targets]]
id = "covered_districts"
name = "Số huyện bao phủ"
name_en = "Covered districts"
kind = "class_count"
rule = "covered"
comparator = ">="
threshold = {count}
of = 2
period = "2024"
source = "I.2"

[[tasks]]
id = "guidance"
name = "Hướng dẫn"
name_en = "Guidance"
agencies = ["cong_an_tinh", "so_yte"]
deadline = "trước ngày 01/07/2024"
source = "III.2"

[[obligations]]
id = "reports"
name = "Báo cáo"
name_en = "Reports"
agencies = ["so_yte"]
recipient = ["cong_an_tinh"]
source = "V.2"
schedule = [
  {{ period = "2024Q1", deadline = "trong ngày 12/3/2024" }},
  {{ period = "2024S1", deadline = "trước 12/6/2024" }},
  {{ period = "2024", deadline = "trước ngày 01/12/2024" }},
]

[[obligations]]
id = "district_reports"
name = "Báo cáo huyện"
name_en = "District reports"
agencies = ["so_yte"]
recipient = ["cong_an_tinh"]
per_unit = "district"
source = "V.3"
deadline = "trong quý IV/2024"
'''

PLAN_FILES: dict[tuple, object] = {}


def eval_plan(cmp=">=", thr=50, count=1):
    key = (cmp, thr, count)
    if key not in PLAN_FILES:
        d = Path(tempfile.mkdtemp(prefix="plancheck-prop-"))
        (d / "plan.toml").write_text(
            EVAL_PLAN.replace("{{", "\0").replace("}}", "\1").replace("{cmp}", cmp)
            .replace("{thr}", str(thr)).replace("{count}", str(count)).replace("\0", "{").replace("\1", "}"),
            encoding="utf-8")
        PLAN_FILES[key] = load_plan(d / "plan.toml")
    return PLAN_FILES[key]


def test_the_evaluation_plan_loads_and_covers_every_kind():
    kinds = {f.kind for f in evaluate(eval_plan(), [], date(2025, 1, 1))}
    assert kinds == {"target", "task", "obligation"}


#: (item, kind, agency, unit, period) of every dated datum the plan expects
DATED = [("criteria", "task", "cong_an_tinh", "", "2024"), ("guidance", "task", "cong_an_tinh", "", "2024"),
         ("guidance", "task", "so_yte", "", "2024"), ("reports", "obligation", "so_yte", "", "2024Q1"),
         ("reports", "obligation", "so_yte", "", "2024S1"), ("reports", "obligation", "so_yte", "", "2024"),
         ("district_reports", "obligation", "so_yte", "huyen_a", "2024"),
         ("district_reports", "obligation", "so_yte", "huyen_b", "2024")]
YEAR = st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 6, 30))


def dated(key, day):
    item, kind, agency, unit, period = key
    return Observation(province="test_province", plan="test-2024", item=item, kind=kind, period=period,
                       agency=agency, unit=unit, date=day)


def measure(item, unit, value):
    return Observation(province="test_province", plan="test-2024", item=item, kind="measure",
                       period="2024", unit=unit, value=value)


@st.composite
def observations(draw):
    """A consistent set of current values: at most one per datum, as the store keeps them."""
    obs = [dated(k, draw(YEAR)) for k in DATED if draw(st.booleans())]
    for unit in ("huyen_a", "huyen_b"):
        if draw(st.booleans()):
            users = draw(st.integers(0, 500))
            obs.append(measure("users", unit, float(users)))
            if draw(st.booleans()):
                obs.append(measure("reached", unit, float(draw(st.integers(0, users)))))
    return obs


CMP = st.sampled_from([">=", ">", "<=", "<", "=="])


def by_key(findings):
    out = {}
    for f in findings:
        assert (f.kind, f.item, f.agency, f.unit, f.period) not in out, "one finding per datum"
        out[(f.kind, f.item, f.agency, f.unit, f.period)] = f
    return out


@PROFILE
@given(observations(), CMP, st.integers(0, 100), st.integers(0, 2), YEAR, st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_row_order(obs, cmp, thr, count, as_of, rnd):
    plan = eval_plan(cmp, thr, count)
    shuffled = list(obs)
    rnd.shuffle(shuffled)
    assert evaluate(plan, obs, as_of) == evaluate(plan, shuffled, as_of)


@PROFILE
@given(observations(), st.sampled_from(DATED), CMP, st.integers(0, 100), YEAR, st.integers(0, 200))
def test_an_on_time_submission_never_turns_met_into_not_met(obs, key, cmp, thr, as_of, early):
    plan = eval_plan(cmp, thr)
    before = by_key(evaluate(plan, obs, as_of))
    fkey = (key[1], key[0], key[2], key[3], key[4])
    due = before[fkey].due
    # the submission arrives later (a new file, or a correction of a late one) but is dated on time
    later = [o for o in obs if (o.item, o.agency, o.unit, o.period) != (key[0], key[2], key[3], key[4])]
    later.append(dated(key, due - timedelta(days=early)))
    after = by_key(evaluate(plan, later, as_of))
    assert after.keys() == before.keys()
    assert after[fkey].status == "met"
    for k, f in before.items():
        if f.status == "met":
            assert after[k].status == "met", (k, f, after[k])
    assert Report("test_province", as_of, tuple(after.values())).return_code <= \
        Report("test_province", as_of, tuple(before.values())).return_code


@PROFILE
@given(observations(), CMP, st.integers(0, 100), st.integers(0, 2), YEAR, YEAR)
def test_met_stays_met_as_time_passes(obs, cmp, thr, count, a, b):
    plan = eval_plan(cmp, thr, count)
    early, late = by_key(evaluate(plan, obs, min(a, b))), by_key(evaluate(plan, obs, max(a, b)))
    for k, f in early.items():
        if f.status in ("met", "not_met"):
            assert late[k].status == f.status, (k, f, late[k])


@PROFILE
@given(observations(), CMP, st.integers(0, 100), st.integers(0, 2), YEAR)
def test_the_summary_counts_every_finding_once(obs, cmp, thr, count, as_of):
    report = Report("test_province", as_of, tuple(evaluate(eval_plan(cmp, thr, count), obs, as_of)))
    s = report.summary()
    assert s["total"] == len(report.findings) == s["met"] + s["not_met"] + s["pending"] + s["no_data"]
    assert report.return_code == (1 if any(f.status == "not_met" for f in report.findings) else 0)


@cache
def hung_yen():
    from plancheck.judge.assessment import example_observations
    from plancheck.plans.plugins import load_registry

    pm, registry = load_registry()
    [plan] = [load_plan(s.path) for s in registry.provinces()["hung_yen"]]
    obs = example_observations(registry, "hung_yen", [plan], date(2025, 6, 1))

    def derive(p, values):
        return [r for r in pm.hook.derive_values(plan=p, values=values) if r]

    return plan, tuple(obs), derive


@scaled(10)
@given(st.randoms(use_true_random=False))
def test_hung_yen_findings_do_not_depend_on_row_order(rnd):
    plan, obs, derive = hung_yen()
    shuffled = list(obs)
    rnd.shuffle(shuffled)
    day = date(2025, 1, 15)
    assert evaluate(plan, shuffled, day, derive) == evaluate(plan, list(obs), day, derive)


# -- ingest: taken whole or refused whole -------------------------------------------------

@cache
def fuzz_module():
    spec = importlib.util.spec_from_file_location("plancheck_fuzz", ROOT / "scripts" / "fuzz.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@cache
def fuzz_corpus():
    return fuzz_module().Corpus()


def observation_rows(url: str) -> int:
    try:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return conn.execute("select count(*) from observation").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def ingest_is_whole_or_nothing(path: Path, url: str) -> str:
    """Run ``plancheck ingest`` as a user would; check the all-or-nothing contract; return the outcome."""
    from click.testing import CliRunner

    from plancheck.cli import cli

    before = observation_rows(url)
    res = CliRunner().invoke(cli, ["--db", url, "ingest", str(path), "--format", "json"])
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        pytest.fail("ingest crashed:\n" + "".join(traceback.format_exception(res.exception)))
    assert res.exit_code in (0, 2), res.output
    after = observation_rows(url)
    if res.exit_code == 2:
        assert after == before, "a refused file wrote rows"
        lines = res.stderr.splitlines()
        assert lines[-1] == "nothing was written"
        for line in lines[:-1]:
            # file:row: column: 'value': reason — or a whole-file problem naming the file
            assert line.startswith(str(path)) or line.startswith("... and "), line
        return "refused"
    [summary] = json.loads(res.stdout)
    assert after == before + summary["new"] + summary["updated"]
    return "taken"


def test_the_contract_check_sees_both_outcomes(tmp_path, isolated_db):
    good = tmp_path / "good.csv"
    good.write_bytes((ROOT / "plugins" / "hung_yen" / "example" / "observations.csv").read_bytes())
    assert ingest_is_whole_or_nothing(good, isolated_db) == "taken"
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text(encoding="utf-8").replace(",0,\n", ",-4,\n", 1), encoding="utf-8")
    assert ingest_is_whole_or_nothing(bad, isolated_db) == "refused"
    assert observation_rows(isolated_db) > 0


@scaled(50)
@given(st.data())
def test_any_csv_is_taken_whole_or_refused_with_row_errors(data):
    mod, corpus = fuzz_module(), fuzz_corpus()
    d = Path(tempfile.mkdtemp(prefix="plancheck-prop-"))
    path = d / "form.csv"
    path.write_bytes(mod.mutate_csv(data, corpus))
    ingest_is_whole_or_nothing(path, f"sqlite:///{d / 'db.sqlite'}")


@scaled(20)
@given(st.data())
def test_any_xlsx_is_taken_whole_or_refused(data):
    mod, corpus = fuzz_module(), fuzz_corpus()
    d = Path(tempfile.mkdtemp(prefix="plancheck-prop-"))
    path = d / "form.xlsx"
    path.write_bytes(mod.mutate_xlsx(data, corpus))
    ingest_is_whole_or_nothing(path, f"sqlite:///{d / 'db.sqlite'}")


# -- regressions found by these properties and scripts/fuzz.py ---------------------------------

HY = "hung_yen-2024-xa-khong-ma-tuy"


def csv_form(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["province", "plan", "item", "kind", "agency", "unit", "period", "due", "description",
                "value", "date"])
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


@pytest.mark.parametrize(("name", "raw", "outcome", "message"), [
    # the same row twice: was an IntegrityError traceback from the unique current-value index
    ("twice.csv", csv_form([["hung_yen", HY, "hotspots", "measure", "", "kim_dong.nhan_la", "2024", "", "",
                             "1", ""]] * 2), "taken", None),
    # 400 digits were read as infinity, stored, and every later run crashed formatting it
    ("huge.csv", csv_form([["hung_yen", HY, "hotspots", "measure", "", "kim_dong.nhan_la", "2024", "", "",
                            "9" * 400, ""]]), "refused", ", cell J2 (column “value”): '999"),
    # a cell longer than the csv module's limit was a csv.Error traceback
    ("long.csv", csv_form([["hung_yen", HY, "hotspots", "measure", "", "kim_dong.nhan_la", "2024", "",
                            "x" * 200_000, "1", ""]]), "refused", ", row 2: a cell is longer than 131072 characters"),
    # old Excel for Mac ends lines with CR alone: was a csv.Error traceback, now read as lines
    ("mac.csv", csv_form([["hung_yen", HY, "hotspots", "measure", "", "kim_dong.nhan_la", "2024", "", "",
                           "0", ""]]).replace(b"\n", b"\r"), "taken", None),
])
def test_inputs_that_used_to_crash_ingest(tmp_path, isolated_db, runner, name, raw, outcome, message):
    path = tmp_path / name
    path.write_bytes(raw)
    assert ingest_is_whole_or_nothing(path, isolated_db) == outcome
    if message:
        from plancheck.cli import cli

        assert message in runner.invoke(cli, ["ingest", str(path)]).stderr
