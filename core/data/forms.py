"""Reporting forms: what a plan expects to be reported, and reading filled forms back.

A form has one row per expected datum::

    province, plan, item, kind, agency, unit, period, due, description, value, date

``kind`` is ``measure`` (fill ``value``), ``task`` or ``obligation`` (fill
``date``: the day the work was done or the report sent). :func:`read_form`
checks every row and raises one :class:`~plancheck.errors.InputError` listing
every problem (``file:row: column: value: reason``); a file with any problem
yields nothing, so nothing of it is written.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import math
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import BinaryIO

import attrs

from plancheck.data.bulk import gc_paused
from plancheck.errors import InputError
from plancheck.plans.calendar import Period, periods_in
from plancheck.plans.model import Observation, Plan, Target
from plancheck.plans.schedule import (
    obligation_occurrences,
    obligation_parties,
    plan_year_period,
    target_occurrences,
    task_due,
)

COLUMNS = ("province", "plan", "item", "kind", "agency", "unit", "period", "due", "description",
           "value", "date")
REQUIRED = ("province", "plan", "item", "kind", "agency", "unit", "period", "value", "date")
PROBLEM_LIMIT = 50

#: Called with a number of rows read, for a progress bar.
Progress = Callable[[int], None]
NON_NEGATIVE_UNITS = {"count", "m2", "people", "percent", "vnd"}
#: The largest magnitude a reported value may have: the xlsx form's own validation bound.
MAX_VALUE = 1e15


#: The fields of a checked row in :attr:`Reading.rows`, in order (the order in which
#: ``plancheck.data.store`` writes them).
ROW_FIELDS = ("province", "plan", "item", "kind", "agency", "unit", "period", "value", "date", "row")


@attrs.frozen
class Reading:
    """What a checked form holds: its observations, and how many rows nobody filled in.

    ``rows`` holds each observation as a plain tuple (fields :data:`ROW_FIELDS`):
    performance (issue 9), a million-row form's observations as attrs objects cost
    1.7 µs and about 300 bytes each more, and writing them needs tuples anyway.
    """

    rows: list[tuple]
    ignored: int
    source_file: str = ""

    @property
    def observations(self) -> list[Observation]:
        """The observations, built from :attr:`rows` on each call."""
        name = self.source_file
        with gc_paused():
            return [Observation(province=pr, plan=pl, item=it, kind=ki, period=pe, agency=ag, unit=un,
                                value=va, date=da, source_file=name, row=ro)
                    for pr, pl, it, ki, ag, un, pe, va, da, ro in self.rows]


@attrs.frozen
class FormRow:
    """One row of a blank reporting form."""

    province: str
    plan: str
    item: str
    kind: str
    agency: str
    unit: str
    period: str
    due: date | None
    description: str
    clause: str = ""
    unit_kind: str = ""

    def as_csv(self) -> list[str]:
        return [self.province, self.plan, self.item, self.kind, self.agency, self.unit,
                self.period, self.due.isoformat() if self.due else "", self.description, "", ""]


# -- what a plan expects --------------------------------------------------------

def _target_units(plan: Plan, t: Target, level: str) -> list[str]:
    units = {u.id: u for u in plan.units}
    if t.units:
        return list(t.units)
    if t.scope == "province" and t.kind not in ("class_count", "in_class"):
        pu = plan.province_unit()
        return [pu.id] if pu else []
    if t.scope in ("each_district", "each_commune") and t.kind not in ("class_count",):
        lvl = "district" if t.scope == "each_district" else "commune"
        return [u.id for u in plan.units if u.level == lvl]
    # class counts: the units of the rule's level, under ``within`` if given
    out = []
    for u in plan.units:
        if u.level != level:
            continue
        if t.within:
            p, seen = u.parent, set()
            while p and p != t.within and p not in seen:
                seen.add(p)
                p = units[p].parent if p in units else None
            if p != t.within:
                continue
        out.append(u.id)
    return out


def _condition_measures(cond) -> Iterable[str]:
    if cond.measure:
        yield cond.measure
    if cond.ratio:
        yield from cond.ratio
    for sub in (cond.all or ()) + (cond.any or ()):
        yield from _condition_measures(sub)


def _expand_inputs(plan: Plan, names: Iterable[str]) -> list[str]:
    measures = {m.id: m for m in plan.measures}
    out: list[str] = []
    for name in names:
        m = measures.get(name)
        if m is not None and m.derived:
            out.extend(x for x in m.inputs if x not in out)
        elif name not in out:
            out.append(name)
    return out


def form_rows(plan: Plan, agency: str | None = None) -> list[FormRow]:
    """Every datum ``plan`` expects, in plan order, without duplicates.

    With ``agency``, only the rows that agency must fill.
    """
    measures = {m.id: m for m in plan.measures}
    rules = {r.id: r for r in plan.rules}
    rows: dict[tuple[str, str, str, str], FormRow] = {}

    def add(item: str, kind: str, ag: str, unit: str, period: str, due: date | None, desc: str,
            clause: str, unit_kind: str = "") -> None:
        key = (item, ag if kind != "measure" else "", unit, period)
        if key not in rows:
            rows[key] = FormRow(plan.province, plan.id, item, kind, ag, unit, period, due,
                                f"{desc} [{clause}]", clause, unit_kind)

    for t in plan.targets:
        if t.kind in ("class_count", "in_class"):
            rule = rules[t.rule or ""]
            names = _expand_inputs(plan, _condition_measures(rule.when))
            units = _target_units(plan, t, rule.level)
        else:
            names = _expand_inputs(plan, [x for x in (t.measure, t.numerator, t.denominator) if x])
            units = _target_units(plan, t, "")
        for occ in target_occurrences(plan, t):
            periods = [occ.period]
            if t.kind in ("growth", "change"):
                periods.insert(0, Period.parse(occ.period).previous().id)
            for period in periods:
                for unit in units:
                    for name in names:
                        m = measures[name]
                        add(name, "measure", t.agency or "", unit, period, occ.due,
                            f"{m.name} ({m.unit})", m.source, m.unit)
    # Consistency checks between classifications need every measure of their rules.
    for check in plan.checks:
        for rule_id in check.exclusive:
            rule = rules.get(rule_id)
            if rule is None:
                continue  # reported by the plan check
            names = _expand_inputs(plan, _condition_measures(rule.when))
            for period in periods_in(plan.period.start, plan.period.end, measures[names[0]].period_type):
                for unit in (u.id for u in plan.units if u.level == rule.level):
                    for name in names:
                        m = measures[name]
                        add(name, "measure", "", unit, period.id, period.end, f"{m.name} ({m.unit})",
                            m.source, m.unit)
    for task in plan.tasks:
        due = task_due(plan, task)
        for ag in task.agencies:
            add(task.id, "task", ag, "", plan_year_period(plan, due), due, task.name, task.source)
    for ob in plan.obligations:
        for occ in obligation_occurrences(plan, ob):
            name = f"{ob.name} — {occ.name}" if occ.name else ob.name
            for ag, unit in obligation_parties(plan, ob.agencies, ob.per_unit):
                add(ob.id, "obligation", ag, unit, occ.period, occ.due, name, occ.source or ob.source)
    out = list(rows.values())
    if agency is not None:
        out = [r for r in out if r.agency == agency]
    return out


def write_csv(rows: Iterable[FormRow], fh: io.TextIOBase) -> None:
    """Write a blank form as CSV (the caller opens ``fh`` with ``newline=''``)."""
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(r.as_csv())


# -- reading a filled form --------------------------------------------------------

def nfc(text: str) -> str:
    """Vietnamese text pasted from Word or the web is often decomposed: compose it."""
    return unicodedata.normalize("NFC", text).strip()



def decode_csv(name: str, raw: bytes) -> str:
    """Decode a CSV the way Excel writes them: UTF-8 (BOM or not) or UTF-16 with a BOM."""
    if raw.startswith(codecs.BOM_UTF8):
        encoding, raw = "utf-8", raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError([
            f"{name}: not {encoding.upper()} text: byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start} cannot be decoded; save the form as 'CSV UTF-8' (or Unicode text) "
            "and ingest it again"
        ]) from None


_AMBIGUOUS = re.compile(r"^-?\d{1,3}([.,]\d{3})+$")
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def _number(text: str) -> float:
    if text.isdigit() and text.isascii():
        # Most values on a form are whole numbers: no separator, nothing ambiguous, and both
        # patterns below would pass them (issue 9: a tenth of the row checks).
        value = float(text)
    else:
        if _AMBIGUOUS.match(text) and not re.match(r"^-?0[.,]", text):
            raise ValueError(
                "ambiguous number: '.' and ',' may be a thousands separator; write it without one "
                "(e.g. 1000 or 1000.5)"
            )
        if not _NUMBER.match(text):
            raise ValueError("not a number")
        value = float(text.replace(",", "."))
    if not math.isfinite(value) or abs(value) > MAX_VALUE:  # 400 digits would be read as infinity
        raise ValueError(f"too large a number (the form takes -{MAX_VALUE:.0e} to {MAX_VALUE:.0e})")
    return value


def _date(text: str) -> date:
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text) or None
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)
    if m:
        return date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError("not a date; write 2024-03-12 or 12/03/2024")


#: Column headings of the forms in each language; any of them (or the bare
#: key) is understood when a filled form comes back.
HEADINGS = {
    "vi": {"province": "Tỉnh", "plan": "Kế hoạch", "item": "Mục", "kind": "Loại",
           "agency": "Cơ quan", "unit": "Đơn vị hành chính", "period": "Kỳ", "due": "Hạn",
           "description": "Nội dung", "clause": "Căn cứ (điều khoản)", "value": "Giá trị",
           "date": "Ngày thực hiện/gửi"},
    "en": {"province": "Province", "plan": "Plan", "item": "Item", "kind": "Kind",
           "agency": "Agency", "unit": "Administrative unit", "period": "Period", "due": "Due",
           "description": "Description", "clause": "Plan clause", "value": "Value",
           "date": "Date done/sent"},
}
_HEADING_KEYS = {nfc(label).lower(): key for lang in HEADINGS.values() for key, label in lang.items()}


def column_key(heading: str) -> str:
    """The column key for a heading in any language (or the key itself)."""
    h = nfc(heading).lower()
    return _HEADING_KEYS.get(h, h)


def read_form(
    name: str, text: str, plans: Mapping[tuple[str, str], Plan], today: date,
    progress: Progress | None = None,
) -> Reading:
    """Check every row of a filled CSV form and return its observations."""
    # newline="": the csv module's own line handling, so Excel's CR-only lines and
    # line breaks inside quoted cells are read as Excel meant them.
    return _read_csv_lines(name, io.StringIO(text, newline=""), plans, today, progress)


def read_csv_file(
    name: str, fh: BinaryIO, plans: Mapping[tuple[str, str], Plan], today: date,
    progress: Progress | None = None,
) -> Reading:
    """Check every row of a filled CSV form read from the binary file ``fh`` (seekable).

    The same as ``read_form(name, decode_csv(name, fh.read()), ...)``, without the
    file's bytes, its text or a copy of it in memory (issue 9: a million-row form
    held all three at once): the text is decoded as the rows are read.
    """
    head = fh.read(len(codecs.BOM_UTF8))
    fh.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"  # the BOM is skipped, as decode_csv does
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    text = io.TextIOWrapper(fh, encoding=encoding, newline="")
    try:
        return _read_csv_lines(name, text, plans, today, progress)
    except UnicodeDecodeError:
        # The message of decode_csv, which names the offset in the whole file.
        fh.seek(0)
        decode_csv(name, fh.read())
        raise
    finally:
        text.detach()  # the caller's file stays open


def _read_csv_lines(name: str, lines: Iterable[str], plans: Mapping[tuple[str, str], Plan], today: date,
                    progress: Progress | None) -> Reading:
    # Performance (issue 9): each line is composed (NFC) whole, one call instead of one per
    # cell. The same as composing each cell: the csv module's separators (comma, quote,
    # CR, LF) neither compose with nor come out of any other character, so composition
    # never crosses or changes a cell's boundary.
    reader = csv.reader(map(functools.partial(unicodedata.normalize, "NFC"), lines))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError([f"{name}: the file is empty"]) from None
    except csv.Error as exc:
        raise InputError([f"{name}:1: not a readable CSV row: {exc}"]) from None
    return _read(name, header, _csv_rows(name, reader), plans, today, progress)


def _csv_rows(name: str, reader) -> Iterable[tuple[int, list[str]]]:
    """The data rows, numbered from 2; a row the csv module cannot read is an InputError."""
    rowno = 1
    while True:
        rowno += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
            raise InputError([f"{name}:{rowno}: not a readable CSV row: {exc}"]) from None
        yield rowno, cells


def read_rows(
    name: str,
    header: list[str],
    rows: Iterable[tuple[int, list[str]]],
    plans: Mapping[tuple[str, str], Plan],
    today: date,
    progress: Progress | None = None,
) -> Reading:
    """Check the rows of a filled form (from any file type) and return its observations.

    ``plans`` maps (province, plan id) to every installed plan. Raises
    InputError with every problem found (up to a limit); rows with neither
    value nor date are skipped.
    """
    return _read(name, header, _cleaned(rows), plans, today, progress)


def _read(name: str, header: list[str], rows: Iterable[tuple[int, list[str]]],
          plans: Mapping[tuple[str, str], Plan], today: date, progress: Progress | None) -> Reading:
    """Check rows whose cells are composed (NFC) but not yet stripped."""
    keys = [column_key(h) for h in header]
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        raise InputError([f"{name}:1: missing columns: {', '.join(missing)} (a form has "
                          f"{', '.join(COLUMNS)})"])
    col = {c: keys.index(c) for c in REQUIRED}
    # The collector is paused while the observations are built (see verdicts.gc_paused).
    with gc_paused():
        return _check_rows(name, rows, col, plans, today, progress)


def _cleaned(rows: Iterable[tuple[int, list[str]]]) -> Iterable[tuple[int, list[str]]]:
    """The rows with every cell composed (NFC), one at a time.

    Performance (issue 9): a generator, so a million-row form is never held twice
    (raw cells and cleaned cells) while it is checked; cells are stripped when checked.
    """
    normalize = unicodedata.normalize
    for i, cells in rows:
        yield i, [normalize("NFC", cell) for cell in cells]


def _check_rows(name, rows, col, plans, today, progress) -> Reading:
    problems: list[str] = []
    out: list[tuple] = []
    lookups: dict[tuple[str, str], _PlanIndex] = {}
    ignored = 0

    def bad(row: int, column: str, value: str, reason: str) -> None:
        problems.append(f"{name}:{row}: {column}: {value!r}: {reason}")

    # Performance (issue 9): the required cells of a full-width row are picked and stripped
    # in one call each; a measure's row whose item, period and unit are the plan's own ids
    # and whose value is a plain whole number (nearly every row of a form) is checked with
    # three lookups in caches of what was already checked (see _PlanIndex.measure_period);
    # anything else takes _PlanIndex.check, which says what is wrong.
    strip = str.strip
    indexes = list(col.values())
    last, pick = max(indexes), operator.itemgetter(*indexes)
    cur_province = cur_plan = None
    idx: _PlanIndex | None = None
    seen: dict[tuple[str, str, str, str], tuple] = {}
    setdefault = seen.setdefault  # of the current plan's rows by datum (_PlanIndex.seen)
    fast: dict[tuple[str, str], tuple[str, str, str, bool] | None] = {}
    units: dict = {}
    for rowno, cells in rows:
        if progress is not None and rowno % 1000 == 0:
            progress(1000)
        if len(cells) > last:
            province, plan_id, item, kind, agency, unit, period, value, day = map(strip, pick(cells))
        else:
            province, plan_id, item, kind, agency, unit, period, value, day = (
                strip(cells[i]) if i < len(cells) else "" for i in indexes)
        if not value and not day:
            if any(map(strip, cells)):
                ignored += 1  # a row nobody filled in (a blank row is not counted)
            continue
        if plan_id != cur_plan or province != cur_province or idx is None:
            idx = lookups.get((province, plan_id))
            if idx is None:
                plan = plans.get((province, plan_id))
                if plan is None:
                    if not any(p == province for p, _ in plans):
                        bad(rowno, "province", province, "unknown province")
                    else:
                        bad(rowno, "plan", plan_id, f"unknown plan for province {province}")
                    continue
                idx = lookups[(province, plan_id)] = _PlanIndex(plan)
            cur_province, cur_plan = province, plan_id
            setdefault, fast, units = idx.seen.setdefault, idx.fast, idx.units
        if kind == "measure" and not day and value.isdigit() and value.isascii() and len(value) < 16:
            hit = fast.get((item, period)) or idx.measure_period(item, period)
            u = units.get(unit)
            if hit is not None and u is not None and u.level == hit[1]:
                # what _PlanIndex.check would accept, and the observation it would build
                row = (idx.province, idx.plan_id, hit[0], "measure", "", u.id, hit[2], float(value), None, rowno)
                prev = setdefault((hit[0], "", u.id, hit[2]), row)
                if prev is row:
                    out.append(row)
                    if hit[3]:
                        idx.numerators[hit[0]].append(row)
                else:
                    _duplicate(prev, "measure", row[7], rowno, bad)
                continue
        get = {"province": province, "plan": plan_id, "item": item, "kind": kind, "agency": agency,
               "unit": unit, "period": period, "value": value, "date": day}
        before = len(problems)
        ob = idx.check(get, rowno, bad, today, name)
        if ob is None or len(problems) > before:
            continue
        row = (ob.province, ob.plan, ob.item, ob.kind, ob.agency, ob.unit, ob.period, ob.value, ob.date, rowno)
        prev = setdefault((ob.item, ob.agency, ob.unit, ob.period), row)
        if prev is not row:
            _duplicate(prev, ob.kind, ob.value if ob.kind == "measure" else ob.date, rowno, bad)
            continue  # the same datum twice with the same value: one observation
        out.append(row)
        if ob.kind == "measure" and ob.item in idx.numerators:
            idx.numerators[ob.item].append(row)
    problems.extend(_ratio_problems(name, lookups))
    if problems:
        raise InputError(problems, limit=PROBLEM_LIMIT)
    return Reading(out, ignored, name)


def _duplicate(prev: tuple, kind: str, datum: float | date | None, rowno: int, bad) -> None:
    """A second row for a datum already read: a problem if it gives another value (or date)."""
    before = prev[7] if prev[3] == "measure" else prev[8]
    if before != datum:
        bad(rowno, "value" if kind == "measure" else "date", str(datum),
            f"row {prev[9]} gives {before} for the same datum")


class _PlanIndex:
    """Per-plan lookups for row checks, built once per file, and the rows of the file read so far."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.province, self.plan_id = plan.province, plan.id
        self.measures = {m.id: m for m in plan.measures}
        self.units = {u.id: u for u in plan.units}
        self.units_by_name = {nfc(u.name).lower(): u.id for u in plan.units}
        # Performance (issue 9): a form names a few dozen periods over and over;
        # parsing each id once per file saves a fifth of the row checks.
        self.periods: dict[str, Period] = {}
        #: (measure, period as written) → what a valid measure row needs (see measure_period)
        self.fast: dict[tuple[str, str], tuple[str, str, str, bool] | None] = {}
        self.tasks = {t.id: t for t in plan.tasks}
        self.obligations = {o.id: o for o in plan.obligations}
        first = Period.of("yearly", plan.period.start.year)
        try:
            first = first.previous()  # the year before the plan, for growth baselines
        except ValueError:
            pass  # a plan starting in year 1 has no year before it
        self.earliest = first.start
        self.dated: dict[str, dict[tuple[str, str], set[str]]] = {}
        for task in plan.tasks:
            per = plan_year_period(plan, task_due(plan, task))
            self.dated[task.id] = {(a, ""): {per} for a in task.agencies}
        for ob in plan.obligations:
            periods = {o.period for o in obligation_occurrences(plan, ob)}
            self.dated[ob.id] = {p: periods for p in obligation_parties(plan, ob.agencies, ob.per_unit)}
        self.ratios = set()
        for t in plan.targets:
            if t.kind == "ratio" and t.numerator and t.denominator:
                self.ratios.add((t.numerator, t.denominator))
        for r in plan.rules:
            self._rule_ratios(r.when)
        #: The file's observations so far, by (item, agency, unit, period), as Reading.rows tuples.
        self.seen: dict[tuple[str, str, str, str], tuple] = {}
        #: The file's values of each ratio's numerator, in file order (for _ratio_problems).
        self.numerators: dict[str, list[tuple]] = {num: [] for num, _ in self.ratios}

    def _rule_ratios(self, cond) -> None:
        if cond.ratio:
            self.ratios.add(tuple(cond.ratio))
        for sub in (cond.all or ()) + (cond.any or ()):
            self._rule_ratios(sub)

    def measure_period(self, item: str, period_text: str) -> tuple[str, str, str, bool] | None:
        """(measure id, its level, period id, whether it is a ratio's numerator) when a row of
        measure ``item`` for period ``period_text`` passes every check of :meth:`check` that
        does not depend on its unit or value; else None. Cached."""
        out: tuple[str, str, str, bool] | None = None
        m = self.measures.get(item)
        if m is not None and not m.derived:
            period = self.periods.get(period_text)
            if period is None:
                try:
                    period = self.periods[period_text] = Period.parse(period_text)
                except ValueError:
                    period = None
            if (period is not None and period.type == m.period_type and period.end >= self.earliest
                    and period.start <= self.plan.period.end):
                out = (m.id, m.level, period.id, m.id in self.numerators)
        self.fast[(item, period_text)] = out
        return out

    def unit_id(self, text: str) -> str | None:
        u = self.units.get(text)
        if u is not None:
            return u.id  # the plan's own string, shared by every row (issue 9: memory)
        return self.units_by_name.get(text.lower())

    def check(self, get, rowno, bad, today, name) -> Observation | None:
        item, kind = get["item"], get["kind"].lower()
        plan = self.plan
        if kind not in ("measure", "task", "obligation"):
            bad(rowno, "kind", kind, "kind must be measure, task or obligation")
            return None
        period = self.periods.get(get["period"])
        if period is None:
            try:
                period = self.periods[get["period"]] = Period.parse(get["period"])
            except ValueError as exc:
                bad(rowno, "period", get["period"], str(exc))
                return None
        if kind == "measure":
            m = self.measures.get(item)
            if m is None or m.derived:
                why = "is computed, not reported" if m else f"unknown measure in plan {plan.id}"
                bad(rowno, "item", item, why)
                return None
            if get["date"]:
                bad(rowno, "date", get["date"], "a measure takes a value, not a date")
                return None
            unit = self.unit_id(get["unit"])
            if unit is None:
                bad(rowno, "unit", get["unit"], f"unknown unit in plan {plan.id}")
                return None
            if self.units[unit].level != m.level:
                bad(rowno, "unit", get["unit"], f"{item} is reported per {m.level}, this unit is a "
                    f"{self.units[unit].level}")
                return None
            if period.type != m.period_type:
                bad(rowno, "period", period.id, f"{item} is reported per {m.period_type} period")
                return None
            if period.end < self.earliest or period.start > plan.period.end:
                bad(rowno, "period", period.id, f"outside the plan period "
                    f"{plan.period.start.isoformat()}..{plan.period.end.isoformat()} "
                    "(and its baseline year)")
                return None
            try:
                value = _number(get["value"])
            except ValueError as exc:
                bad(rowno, "value", get["value"], str(exc))
                return None
            if value < 0 and m.unit in NON_NEGATIVE_UNITS:
                bad(rowno, "value", get["value"], f"a {m.unit} cannot be negative")
                return None
            return Observation(province=plan.province, plan=plan.id, item=m.id, kind="measure",
                               period=period.id, unit=unit, value=value, source_file=name, row=rowno)
        # tasks and obligations
        known = self.dated.get(item)
        if known is None or (kind == "task") != (item in self.tasks):
            bad(rowno, "item", item, f"unknown {kind} in plan {plan.id}")
            return None
        if get["value"]:
            bad(rowno, "value", get["value"], f"a {kind} takes a date (when it was done), not a value")
            return None
        unit = self.unit_id(get["unit"]) if get["unit"] else ""
        party = (get["agency"], unit or "")
        if party not in known:
            bad(rowno, "agency" if not get["unit"] else "unit",
                get["agency"] if not get["unit"] else get["unit"],
                f"not expected to submit {item}")
            return None
        if period.id not in known[party]:
            bad(rowno, "period", period.id, f"{item} expects periods {', '.join(sorted(known[party]))}")
            return None
        try:
            done = _date(get["date"])
        except ValueError as exc:
            bad(rowno, "date", get["date"], str(exc))
            return None
        if done > today:
            bad(rowno, "date", get["date"], f"in the future (today is {today.isoformat()})")
            return None
        if done < plan.period.start:
            bad(rowno, "date", get["date"], f"before the plan starts ({plan.period.start.isoformat()})")
            return None
        return Observation(province=plan.province, plan=plan.id, item=item, kind=kind,
                           period=period.id, agency=get["agency"], unit=unit or "", date=done,
                           source_file=name, row=rowno)


def _ratio_problems(name: str, lookups: Mapping[tuple[str, str], _PlanIndex]) -> list[str]:
    # Performance (issue 9): each ratio pair visits its numerator's values only (kept as the
    # rows were read), and finds the denominator among the rows already keyed by datum.
    problems = []
    for idx in lookups.values():
        for num, den in sorted(idx.ratios):
            for o in idx.numerators.get(num, ()):
                d = idx.seen.get((den, "", o[5], o[6]))
                if d is not None and d[3] == "measure" and o[7] is not None and d[7] is not None and o[7] > d[7]:
                    problems.append(
                        f"{name}:{o[9]}: value: {o[7]:g}: {num} is larger than {den} "
                        f"({d[7]:g}, row {d[9]}) for {o[5]} {o[6]}"
                    )
    return problems
