"""Deadline phrases and period ids, with the phrases the four plans use."""

from datetime import date

import pytest

from plancheck.plans.calendar import Period, calendar_due, parse_deadline, periods_in

Y2024 = (date(2024, 1, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        # Hưng Yên V.2: "Báo cáo Quý I trong ngày 12/3/2024" — that very day
        ("trong ngày 12/3/2024", date(2024, 3, 12)),
        ("Báo cáo quý III trong ngày 12/9/2024", date(2024, 9, 12)),
        # Hưng Yên V.2: "Báo cáo năm trước ngày 01/12/2024" — the day before
        ("trước ngày 01/12/2024", date(2024, 11, 30)),
        # Hưng Yên V.2: "Báo cáo 06 tháng trước 12/6/2024"
        ("trước 12/6/2024", date(2024, 6, 11)),
        # Hưng Yên III.1.2: "(Hoàn thành trong quý I/2024)" — last day of the quarter
        ("Hoàn thành trong quý I/2024", date(2024, 3, 31)),
        ("trong quý IV/2024", date(2024, 12, 31)),
        # Hưng Yên III.1.3: "ban hành văn bản chỉ đạo trong tháng 2/2024" — leap year
        ("ban hành văn bản chỉ đạo trong tháng 2/2024", date(2024, 2, 29)),
        ("trong năm 2024", date(2024, 12, 31)),
        ("đến hết năm 2024", date(2024, 12, 31)),
    ],
)
def test_deadline_phrases(phrase, due):
    assert parse_deadline(phrase, *Y2024) == [parse_deadline(phrase, *Y2024)[0]]
    assert parse_deadline(phrase, *Y2024)[0].due == due


def test_yearly_phrase_gives_one_due_date_per_plan_year():
    # Hưng Yên II.2.1: "(Hoàn thành trước 31/12 hàng năm)"; over a 2021-2025 plan
    dues = parse_deadline("Hoàn thành trước 31/12 hàng năm", date(2021, 1, 1), date(2025, 12, 31))
    assert [(d.year, d.due) for d in dues] == [(y, date(y, 12, 30)) for y in range(2021, 2026)]


def test_decomposed_unicode_phrase_is_understood():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "trước ngày 20/10/2021")
    assert parse_deadline(nfd, date(2021, 1, 1), date(2025, 12, 31))[0].due == date(2021, 10, 19)


@pytest.mark.parametrize("phrase", ["sớm nhất có thể", "trong quý V/2024", "trước ngày 31/2/2024"])
def test_unknown_or_impossible_phrase_is_an_error_naming_it(phrase):
    with pytest.raises(ValueError, match="deadline phrase"):
        parse_deadline(phrase, *Y2024)


@pytest.mark.parametrize(
    ("pid", "start", "end", "prev"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31), "2023"),
        ("2024S1", date(2024, 1, 1), date(2024, 6, 30), "2023S2"),
        ("2024S2", date(2024, 7, 1), date(2024, 12, 31), "2024S1"),
        ("2024Q1", date(2024, 1, 1), date(2024, 3, 31), "2023Q4"),
        ("2024Q3", date(2024, 7, 1), date(2024, 9, 30), "2024Q2"),
        ("202402", date(2024, 2, 1), date(2024, 2, 29), "202401"),
        ("202401", date(2024, 1, 1), date(2024, 1, 31), "202312"),
    ],
)
def test_period_ids(pid, start, end, prev):
    p = Period.parse(pid)
    assert (p.start, p.end, p.id, str(p)) == (start, end, pid, pid)
    assert p.previous().id == prev
    assert Period.parse(p.id) == p


@pytest.mark.parametrize("bad", ["2024Q5", "24Q1", "2024-03", "202413", "", "2024H1"])
def test_bad_period_ids(bad):
    with pytest.raises(ValueError, match="not a period id"):
        Period.parse(bad)


def test_periods_in_a_plan():
    ids = [p.id for p in periods_in(date(2024, 1, 1), date(2024, 12, 31), "quarterly")]
    assert ids == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert [p.id for p in periods_in(date(2021, 10, 4), date(2025, 12, 31), "yearly")] == [
        "2021", "2022", "2023", "2024", "2025"]


def test_decree_09_calendar_is_the_end_of_the_period():
    assert calendar_due("decree-09-2019", Period.parse("2024S1")) == date(2024, 6, 30)
    assert calendar_due("decree-09-2019", Period.parse("2024")) == date(2024, 12, 31)
    with pytest.raises(ValueError, match="unknown reporting calendar"):
        calendar_due("decree-99", Period.parse("2024"))


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        # Tiền Giang, "Thứ hai": "Tháng hành động phòng, chống ma túy" (tháng 6), in the 2024 plan
        ("(tháng 6)", date(2024, 6, 30)),
        # Tiền Giang: "Ngày Quốc tế và ngày Toàn dân phòng, chống ma túy - 26/6” năm 2024
        ("“Ngày Quốc tế và ngày Toàn dân phòng, chống ma túy - 26/6” năm 2024", date(2024, 6, 26)),
        ("trong 6 tháng đầu năm 2024", date(2024, 6, 30)),
    ],
)
def test_day_or_month_without_year_takes_the_stated_or_plan_year(phrase, due):
    assert parse_deadline(phrase, *Y2024)[0].due == due


def test_month_without_year_in_a_multi_year_plan_is_refused():
    with pytest.raises(ValueError, match="not understood"):
        parse_deadline("(tháng 6)", date(2021, 1, 1), date(2025, 12, 31))


@pytest.mark.parametrize("text,expected", [
    ("2024-06-30", date(2024, 6, 30)), ("30/06/2024", date(2024, 6, 30)), ("30.06.2024", date(2024, 6, 30)),
    ("30-06-2024", date(2024, 6, 30)), ("1/7/2025", date(2025, 7, 1)), (" 12/03/2024 ", date(2024, 3, 12)),
])
def test_dates_as_people_write_them(text, expected):
    from plancheck.plans.calendar import parse_written_date

    assert parse_written_date(text) == expected


@pytest.mark.parametrize("text,says", [
    ("5/3/24", "year in full"), ("31/02/2024", "has 29 days"), ("13/13/2024", "no month 13"),
    ("2024/06/30", "not a date"), ("30/06-2024", "not a date"), ("", "not a date"),
])
def test_dates_that_could_be_misread_are_refused_with_the_fix(text, says):
    from plancheck.plans.calendar import parse_written_date

    with pytest.raises(ValueError, match=says):
        parse_written_date(text)


def test_as_of_takes_the_day_first_dates_forms_take(runner):
    from plancheck.cli import cli

    iso = runner.invoke(cli, ["run", "--province", "hung_yen", "--example", "--as-of", "2024-06-30",
                              "--format", "json"])
    vn = runner.invoke(cli, ["run", "--province", "hung_yen", "--example", "--as-of", "30/06/2024",
                             "--format", "json"])
    assert iso.exit_code == vn.exit_code == 1
    assert iso.stdout == vn.stdout and '"as_of": "2024-06-30"' in vn.stdout
    bad = runner.invoke(cli, ["run", "--province", "hung_yen", "--example", "--as-of", "5/3/24"])
    assert bad.exit_code == 2 and "year in full" in bad.output
