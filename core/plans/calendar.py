"""Dates and periods, in one place.

Two things live here and nowhere else:

* **Periods** with DHIS2's ids: ``2024`` (year), ``2024S1`` (half year),
  ``2024Q1`` (quarter), ``202403`` (month).
* **Deadline phrases** as Vietnamese plans write them, turned into due dates:

  ============================  ===================================
  phrase                        due
  ============================  ===================================
  trong ngày 12/3/2024          2024-03-12 (that day)
  trước ngày 01/12/2024         2024-11-30 (the day before)
  trước 12/6/2024               2024-06-11 (the day before)
  trong quý I/2024              2024-03-31 (last day of the quarter)
  trong tháng 2/2024            2024-02-29 (last day of the month)
  trong năm 2023, hết năm 2024  2023-12-31, 2024-12-31
  trước 31/12 hằng năm          the day before, in every plan year
  ============================  ===================================

The plan text is the authority: plugins write the phrase as the plan does
and core computes the date, so a reader can compare them side by side.
"""

from __future__ import annotations

import calendar as _cal
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone

import attrs

from plancheck.errors import Refusal

#: Vietnam keeps one time zone, UTC+7, with no daylight saving.
VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def today_in_vietnam() -> date:
    """Today's date in Vietnam: the default as-of date of every command."""
    return datetime.now(VIETNAM).date()


_WRITTEN_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WRITTEN_DMY = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})$")
_WRITTEN_SHORT_YEAR = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}$")


def parse_written_date(text: str) -> date:
    """A date as people write it on forms, waivers and the command line.

    2024-03-12 (ISO), or day first as Vietnam writes it: 12/03/2024,
    12.03.2024, 12-03-2024. A two-digit year (5/3/24) is refused: it could be
    read several ways. :class:`plancheck.errors.Refusal` (a ValueError) says
    what is wrong and what to write instead, in the reader's language, never
    in Python's words ("day is out of range for month").
    """
    s = text.strip()
    m = _WRITTEN_ISO.match(s)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _WRITTEN_DMY.match(s)
        if not m:
            raise Refusal("date_short_year" if _WRITTEN_SHORT_YEAR.match(s) else "not_a_date")
        day, month, year = int(m[1]), int(m[3]), int(m[4])
    if not 1 <= month <= 12:
        raise Refusal("no_such_month", month=month)
    if year < 1:
        raise Refusal("not_a_date")
    last = _cal.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise Refusal("no_such_day", month=month, year=year, last=last)
    return date(year, month, day)


PERIOD_TYPES = ("yearly", "semiannual", "quarterly", "monthly")

_PERIOD_RE = re.compile(r"^(?P<y>\d{4})(?:(?P<s>S[12])|(?P<q>Q[1-4])|(?P<m>0[1-9]|1[0-2]))?$")


@attrs.frozen(order=True)
class Period:
    """A reporting period, identified as DHIS2 does (``2024Q1``)."""

    start: date
    end: date
    type: str = attrs.field(order=False)
    id: str = attrs.field(order=False)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse a period id; raise ValueError with a readable message if it is not one."""
        m = _PERIOD_RE.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise ValueError(
                f"not a period id: {text!r} (use 2024, 2024S1, 2024Q1 or 202403)"
            )
        y = int(m["y"])
        if m["s"]:
            half = int(m["s"][1])
            return cls.of("semiannual", y, half)
        if m["q"]:
            return cls.of("quarterly", y, int(m["q"][1]))
        if m["m"]:
            return cls.of("monthly", y, int(m["m"]))
        return cls.of("yearly", y, 1)

    @classmethod
    def of(cls, type: str, year: int, index: int = 1) -> Period:
        """The ``index``-th period of ``type`` in ``year`` (1-based)."""
        if type == "yearly":
            return cls(date(year, 1, 1), date(year, 12, 31), "yearly", f"{year:04d}")
        if type == "semiannual":
            first = 1 + (index - 1) * 6
            return cls(date(year, first, 1), _month_end(year, first + 5), type, f"{year:04d}S{index}")
        if type == "quarterly":
            first = 1 + (index - 1) * 3
            return cls(date(year, first, 1), _month_end(year, first + 2), type, f"{year:04d}Q{index}")
        if type == "monthly":
            return cls(date(year, index, 1), _month_end(year, index), type, f"{year:04d}{index:02d}")
        raise ValueError(f"unknown period type {type!r}; expected one of {', '.join(PERIOD_TYPES)}")

    @property
    def index(self) -> int:
        """Position of the period within its year (1 for a year)."""
        months = {"yearly": 12, "semiannual": 6, "quarterly": 3, "monthly": 1}[self.type]
        return (self.start.month - 1) // months + 1

    def previous(self) -> Period:
        """The period of the same type just before this one (2024Q1 → 2023Q4).

        Raises ValueError for the first period of year 1 (there is none before it).
        """
        if self.start == date.min:
            raise ValueError(f"no period before {self.id}: dates start in year 1")
        return period_containing(self.start - timedelta(days=1), self.type)

    def __str__(self) -> str:
        return self.id


def _month_end(year: int, month: int) -> date:
    return date(year, month, _cal.monthrange(year, month)[1])


def period_containing(day: date, type: str) -> Period:
    """The period of ``type`` that contains ``day``."""
    per_year = {"yearly": 1, "semiannual": 2, "quarterly": 4, "monthly": 12}[type]
    return Period.of(type, day.year, (day.month - 1) * per_year // 12 + 1)


def periods_in(start: date, end: date, type: str) -> list[Period]:
    """Every period of ``type`` that overlaps ``start``..``end``, in order."""
    out = []
    p = period_containing(start, type)
    while p.start <= end:
        out.append(p)
        if p.end == date.max:  # 9999-12-31: there is no next period
            break
        p = period_containing(p.end + timedelta(days=1), type)
    return out


# -- deadline phrases ---------------------------------------------------------

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@attrs.frozen
class Due:
    """A due date computed from a phrase; ``year`` is set for yearly recurrences."""

    due: date
    year: int | None = None


def _clean(phrase: str) -> str:
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", phrase).lower())  # spaces first, then words
    return text.replace("hàng năm", "hằng năm").strip(" .;,()*")


_D = r"(\d{1,2})/(\d{1,2})"
_DMY = _D + r"/(\d{4})"


def parse_deadline(phrase: str, plan_start: date, plan_end: date) -> list[Due]:
    """Turn a deadline phrase from a plan into due dates.

    ``plan_start``/``plan_end`` bound recurring phrases ("hằng năm"): one due
    date per year of the plan. Raises ValueError, naming the phrase, when the
    phrase is not one core understands.
    """
    text = _clean(phrase)
    try:
        return _parse(text, plan_start, plan_end)
    except (ValueError, OverflowError) as exc:  # 31/2/2024, or the day before 1/1/0001
        if str(exc).startswith("deadline phrase"):
            raise
        raise ValueError(f"deadline phrase {phrase!r}: {exc}") from None


def _parse(text: str, plan_start: date, plan_end: date) -> list[Due]:
    if "hằng năm" in text:
        m = re.search(r"(trước|trong)(?: ngày)? " + _D + r"(?!/)", text)
        if m:
            before = m[1] == "trước"
            day, month = int(m[2]), int(m[3])
            out = []
            for year in range(plan_start.year, plan_end.year + 1):
                d = date(year, month, day) - timedelta(days=1 if before else 0)
                out.append(Due(d, year))
            return out
    m = re.search(r"trước(?: ngày)? " + _DMY, text)
    if m:
        return [Due(_dmy(m) - timedelta(days=1))]
    m = re.search(r"(?:trong |vào |đến |chậm nhất )?(?:ngày )?" + _DMY, text)
    if m:
        return [Due(_dmy(m))]
    # A day and month with the year given apart ("26/6” năm 2024"), or none at all in a
    # one-year plan ("(tháng 6)" in the 2024 plan): the year is the one stated or the plan's.
    one_year = plan_start.year == plan_end.year
    stated = re.search(r"năm (\d{4})", text)
    m = re.search(r"(trước )?(?:ngày )?" + _D + r"(?![/\d])", text)
    if m and (stated or one_year):
        year = int(stated[1]) if stated else plan_start.year
        return [Due(date(year, int(m[3]), int(m[2])) - timedelta(days=1 if m[1] else 0))]
    m = re.search(r"tháng (\d{1,2})(?![/\d])", text)
    if m and (stated or one_year) and "6 tháng" not in text:
        year = int(stated[1]) if stated else plan_start.year
        return [Due(_month_end(year, int(m[1])))]
    m = re.search(r"quý (iv|iii|ii|i)/(\d{4})", text)
    if m:
        return [Due(Period.of("quarterly", int(m[2]), _ROMAN[m[1]]).end)]
    m = re.search(r"tháng (\d{1,2})/(\d{4})", text)
    if m:
        return [Due(_month_end(int(m[2]), int(m[1])))]
    m = re.search(r"6 tháng đầu năm (\d{4})", text)
    if m:
        return [Due(date(int(m[1]), 6, 30))]
    m = re.search(r"năm (\d{4})", text)
    if m:
        return [Due(date(int(m[1]), 12, 31))]
    raise ValueError(
        f"deadline phrase {text!r} is not understood; write it as the plan does, e.g. "
        "'trong ngày 12/3/2024', 'trước ngày 01/12/2024', 'trong quý I/2024', "
        "'trong tháng 2/2024', 'trong năm 2023', 'trước 31/12 hằng năm'"
    )


def _dmy(m: re.Match[str]) -> date:
    return date(int(m[3]), int(m[2]), int(m[1]))


# -- the national reporting calendar -----------------------------------------

#: Reporting calendars a plan can name where it says reports are due
#: "theo quy định". Dates computed from a calendar are always marked assumed.
CALENDARS = {
    "decree-09-2019": (
        "Decree 09/2019/NĐ-CP: data close on the 14th of the period's last month "
        "(Art. 12) and the sending day is left to each reporting regime "
        "(Art. 8(5)(b), at least one working day after the close); plancheck takes "
        "the last day of the period, so no report is judged late before its period ends"
    ),
}


def calendar_due(calendar_id: str, period: Period) -> date:
    """Due date of ``period`` under a named national reporting calendar."""
    if calendar_id == "decree-09-2019":
        return period.end
    raise ValueError(
        f"unknown reporting calendar {calendar_id!r}; known: {', '.join(CALENDARS)}"
    )


def period_words(period_id: str) -> str:
    """A period id as a reader says it, in the current language: 2024Q1 is "Quý I/2024" (vi), "Q1 2024"
    (en); an id that is not a period as it is. The one wording of periods: the forms'
    (plancheck.data.excel_form) and every report's (plancheck.publish.labels.Locale.period)."""
    from plancheck.language import pgettext

    try:
        p = Period.parse(period_id)
    except ValueError:
        return period_id
    year = p.start.year
    if p.type == "yearly":
        return pgettext("period.year", "{year}").format(year=year)
    if p.type == "semiannual":
        return (pgettext("period.half1", "H1 {year}") if p.start.month == 1
                else pgettext("period.half2", "H2 {year}")).format(year=year)
    if p.type == "quarterly":
        quarter = (p.start.month - 1) // 3 + 1
        return {1: pgettext("period.quarter1", "Q1 {year}"), 2: pgettext("period.quarter2", "Q2 {year}"),
                3: pgettext("period.quarter3", "Q3 {year}"),
                4: pgettext("period.quarter4", "Q4 {year}")}[quarter].format(year=year)
    return pgettext("period.month", "{year}-{month:02d}").format(year=year, month=p.start.month)
