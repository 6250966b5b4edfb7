"""What kind of quantity a measure's unit is: a count, a share or an amount.

A plan writes each measure's unit as text (``unit = "count"``, ``"people"``,
``"cases"``, ``"percent"``, ``"m2"``, or the plan's own words: ``"người"``,
``"xã"``, ``"vụ"``, ``"%"``, ``"m²"``). That text says what a value can be,
as DHIS2's value types do (``INTEGER_ZERO_OR_POSITIVE``, ``PERCENTAGE``,
``NUMBER``):

* a **count** (people, communes, cases, sessions) is a whole number, 0 or more;
* a **share** (a percentage of a whole) is between 0 and 100;
* an **amount** (m², hectares, VND, kg, days) is a number, 0 or more.

A unit this module does not know is read as an amount, the safe rule: a
value that could be right is never refused (fractions and large figures
pass), and none of the measures a plan reports (levels of something, never a
balance) can be negative. Growth and change are computed from the values by
the plan's targets, never reported as measures.

Ingest (:mod:`plancheck.data.forms`) refuses a value its unit cannot have;
the plan check refuses thresholds that are not numbers (NaN, infinity) and
thresholds a measure's kind can never reach (:func:`plan_problems`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from typing import Literal

from plancheck.plans.model import Condition, Plan

Quantity = Literal["count", "share", "amount"]

#: Units that count things, as plans write them (English ids and Vietnamese nouns and classifiers).
COUNT_WORDS = frozenset({
    # English, as the plugins write them
    "count", "number", "people", "person", "persons", "cases", "case", "communes", "commune", "units",
    "unit", "households", "household", "sessions", "session", "times", "reports", "report",
    "documents", "document", "plans", "agencies", "schools", "students", "patients", "wards",
    "districts", "villages", "offenders", "addicts", "users", "events", "items", "facilities",
    "points", "hotspots", "plants", "classes", "campaigns", "meetings", "trainings", "courses",
    "articles", "visits", "operations", "organisations", "organizations", "models", "clubs",
    "teams", "groups", "bodies", "leads", "crimes", "arrests",
    # Vietnamese: people and administrative units
    "người", "lượt người", "đối tượng", "người nghiện", "học sinh", "sinh viên", "học viên",
    "bệnh nhân", "cán bộ", "hộ", "hộ gia đình", "gia đình", "xã", "phường", "thị trấn", "huyện",
    "quận", "thị xã", "thành phố", "tỉnh", "thôn", "xóm", "ấp", "bản", "làng", "khu phố",
    "tổ dân phố", "đơn vị", "cơ quan", "cơ sở", "trường", "trung tâm", "địa bàn", "điểm",
    "tụ điểm", "tổ chức", "doanh nghiệp", "khu công nghiệp",
    # Vietnamese: cases, events and documents
    "vụ", "vụ án", "vụ việc", "lượt", "lần", "buổi", "cuộc", "lớp", "đợt", "phiên", "tin",
    "bài", "tin bài", "văn bản", "kế hoạch", "báo cáo", "chương trình", "mô hình", "câu lạc bộ",
    "tổ", "nhóm", "ca", "cây", "cái", "chiếc", "hồ sơ", "tài liệu", "ấn phẩm", "tờ rơi",
    "đầu mối", "nguồn tin",
})
#: Units that are a part of a whole, in percent.
SHARE_WORDS = frozenset({"percent", "percentage", "pct", "%", "phần trăm", "tỷ lệ", "tỉ lệ",
                         "tỷ lệ %", "tỉ lệ %"})
#: Units of measurement: areas, lengths, weights, volumes, money, durations.
AMOUNT_WORDS = frozenset({
    "m2", "m²", "m^2", "m3", "m³", "km", "km2", "km²", "ha", "hecta", "héc-ta", "hectares", "hectare",
    "kg", "g", "gam", "gram", "grams", "mg", "tấn", "tons", "tonnes", "tonne", "lít", "litres",
    "liters", "ml", "vnd", "vnđ", "đồng", "nghìn đồng", "ngàn đồng", "triệu đồng", "tỷ đồng",
    "usd", "$", "hours", "giờ", "days", "ngày", "months", "tháng", "years", "năm", "amount",
})
_LEADING = re.compile(r"^(số lượng|số|number of|count of)\s+")


def _words(unit: str) -> str:
    return " ".join(unicodedata.normalize("NFC", unit).strip().lower().split())


def quantity_of(unit: str) -> Quantity | None:
    """The kind of quantity ``unit`` names, or None when the unit is not known.

    "người", "số người", "lượt người" and "people" are counts; "%", "tỷ lệ" and
    "percent" shares; "m²", "ha" and "triệu đồng" amounts.
    """
    text = _words(unit)
    if not text:
        return None
    if text in SHARE_WORDS or "%" in text:
        return "share"
    for candidate in (text, _LEADING.sub("", text)):
        if candidate in COUNT_WORDS:
            return "count"
        if candidate in AMOUNT_WORDS:
            return "amount"
    # "người nghiện có hồ sơ", "xã trọng điểm": the head noun says what is counted
    rest = _LEADING.sub("", text)
    for n in (3, 2, 1):
        head = " ".join(rest.split()[:n])
        if head in COUNT_WORDS:
            return "count"
        if head in AMOUNT_WORDS:
            return "amount"
    return None


def kind_of(unit: str) -> Quantity:
    """The kind of quantity ``unit`` names; an unknown unit is an amount (see the module's safe rule)."""
    return quantity_of(unit) or "amount"


def value_problem(unit: str, value: float) -> str | None:
    """Why a reported ``value`` of a measure in ``unit`` cannot be true: a kind of
    :data:`plancheck.errors.REASONS` (``count_fraction``, ``negative``, ``share_range``), or None."""
    kind = kind_of(unit)
    if kind == "share":
        return None if 0 <= value <= 100 else "share_range"
    if value < 0:
        return "negative"
    if kind == "count" and not float(value).is_integer():
        return "count_fraction"
    return None


def plan_problems(plan: Plan) -> Iterator[tuple[str, str]]:
    """(json path, message) for every number of ``plan`` that is not a number (NaN, infinity),
    and every value target a measure's kind of quantity can never reach (a share above 100%,
    a count below 0)."""
    measures = {m.id: m for m in plan.measures}
    for i, t in enumerate(plan.targets):
        base = f"$.targets[{i}]"
        if t.threshold is not None and not math.isfinite(t.threshold):
            yield f"{base}.threshold", (f"threshold {t.threshold!r} is not a number: give the "
                                        "figure the plan states")
            continue
        m = measures.get(t.measure or "")
        if t.kind != "value" or m is None or t.threshold is None or t.comparator is None:
            continue
        yield from _reachable(m.id, m.unit, t.comparator, t.threshold, f"{base}.threshold")
    for i, r in enumerate(plan.rules):
        yield from _condition(r.when, f"$.rules[{i}].when", measures)
    for i, c in enumerate(plan.checks):
        if c.value is not None and not math.isfinite(c.value):
            yield f"$.checks[{i}].value", f"value {c.value!r} is not a number: give a figure"


def _condition(cond: Condition, where: str, measures: dict) -> Iterator[tuple[str, str]]:
    if cond.value is not None and not math.isfinite(cond.value):
        yield f"{where}.value", f"value {cond.value!r} is not a number: give a figure"
        return
    # What a condition can reach is the plan review's (plancheck.authoring.review reads each
    # measure's kind from here): an impossible branch of 'any' is only a warning there.
    for j, sub in enumerate(cond.all or ()):
        yield from _condition(sub, f"{where}.all[{j}]", measures)
    for j, sub in enumerate(cond.any or ()):
        yield from _condition(sub, f"{where}.any[{j}]", measures)


def _reachable(measure: str, unit: str, op: str, threshold: float, where: str) -> Iterator[tuple[str, str]]:
    """A comparison no value of the measure's kind can satisfy (or none can fail)."""
    kind = kind_of(unit)
    low, high = (0.0, 100.0) if kind == "share" else (0.0, math.inf)
    never = ((op in (">", ">=", "==") and (threshold > high or (op == ">" and threshold == high)))
             or (op in ("<", "<=", "==") and (threshold < low or (op == "<" and threshold == low))))
    if never:
        span = "0 to 100" if kind == "share" else "0 or more"
        article = "an" if kind == "amount" else "a"
        yield where, (f"{measure} {op} {threshold:g} can never be true: {measure} is {article} {kind} "
                      f"({unit!r}), from {span}; check the figure or the measure's unit")
