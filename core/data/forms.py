"""Reporting forms: what a plan expects to be reported, and reading filled forms back.

A form has one row per expected datum::

    province, plan, item, kind, agency, unit, period, due, description, value, date

``kind`` is ``measure`` (fill ``value``), ``task`` or ``obligation`` (fill
``date``: the day the work was done or the report sent); which rows a plan
expects is :mod:`plancheck.data.expected`'s (re-exported here). :func:`read_form`
checks every row and raises one :class:`~plancheck.errors.InputError` listing
every problem (``file:row: column: value: reason``); a file with any problem
yields nothing, so nothing of it is written.

A row is stored only when every cell of it is unambiguous and accounted for
(issue 21): the file's structure is the form's (each column once, none
unknown, no cell outside the header, no line broken by a stray quote), its
ids name one thing each (a unit name shared by two units names neither), and
its value is one its measure's unit can have (:mod:`plancheck.plans.quantity`:
no fraction in a count, no share outside 0–100, nothing negative).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import math
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import BinaryIO

import attrs

from plancheck.data.bulk import gc_paused
from plancheck.data.expected import COLUMNS as COLUMNS
from plancheck.data.expected import FORMULA_START as FORMULA_START
from plancheck.data.expected import FormRow as FormRow
from plancheck.data.expected import as_text as as_text
from plancheck.data.expected import form_rows as form_rows
from plancheck.data.expected import write_csv as write_csv
from plancheck.data.layout import (
    HEADER_BLOCK,
    KIND_KEYS,
    SHOWN,
    Layout,
    is_heading_row,
    kind_word,
    letters,
    level_word,
    period_word,
    separator,
)
from plancheck.data.layout import HEADINGS as HEADINGS
from plancheck.data.layout import REQUIRED as REQUIRED
from plancheck.data.layout import column_key as column_key
from plancheck.data.layout import nfc as nfc
from plancheck.errors import InputError, Problem, Refusal, file_problem
from plancheck.language import _
from plancheck.plans.calendar import Period, parse_written_date
from plancheck.plans.identity import hint
from plancheck.plans.model import Observation, Plan
from plancheck.plans.quantity import kind_of, value_problem
from plancheck.plans.schedule import (
    obligation_occurrences,
    obligation_parties,
    task_occurrences,
)

PROBLEM_LIMIT = 50

#: Called with a number of rows read, for a progress bar.
Progress = Callable[[int], None]
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


# -- reading a filled form --------------------------------------------------------

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
        raise InputError([file_problem(name, "not_text", encoding=encoding.upper(),
                                       byte=f"0x{raw[exc.start]:02x}", offset=exc.start)]) from None


_AMBIGUOUS = re.compile(r"^-?\d{1,3}([.,]\d{3})+$")
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _number(text: str) -> float:
    """A reported figure; :class:`~plancheck.errors.Refusal` says what is wrong with one that is not."""
    if text.isdigit() and text.isascii():
        # Most values on a form are whole numbers: no separator, nothing ambiguous, and both
        # patterns below would pass them (issue 9: a tenth of the row checks).
        value = float(text)
    else:
        if text.endswith("%") and _NUMBER.match(text[:-1].strip()):
            raise Refusal("percent_sign", number=text[:-1].strip())
        if _SPACES.search(text) and _NUMBER.match(_SPACES.sub("", text)):
            raise Refusal("spaced_number", number=_SPACES.sub("", text))
        if _AMBIGUOUS.match(text) and not re.match(r"^-?0[.,]", text):
            raise Refusal("ambiguous_number")
        if not _NUMBER.match(text):
            raise Refusal("not_a_number")
        value = float(text.replace(",", "."))
    if not math.isfinite(value) or abs(value) > MAX_VALUE:  # 400 digits would be read as infinity
        raise Refusal("too_large", low=f"-{MAX_VALUE:.0e}", high=f"{MAX_VALUE:.0e}")
    return value


def _date(text: str) -> date:
    """A date as a clerk writes it (12/03/2024, 12.03.2024, 12-03-2024, 2024-03-12); Refusal otherwise."""
    return parse_written_date(text)


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
    lines = iter(lines)
    first = list(itertools.islice(lines, HEADER_BLOCK + 1))
    sep = separator(first)
    # Performance (issue 9): each line is composed (NFC) whole, one call instead of one per
    # cell. The same as composing each cell: the csv module's separators (comma, semicolon,
    # tab, quote, CR, LF) neither compose with nor come out of any other character, so
    # composition never crosses or changes a cell's boundary.
    reader = csv.reader(map(functools.partial(unicodedata.normalize, "NFC"), itertools.chain(first, lines)),
                        delimiter=sep)
    # The heading row: the first row with the form's columns, below at most HEADER_BLOCK rows of a
    # header block (reporting body, period, preparer); without one, the first row, whose columns
    # are then named as missing.
    seen: list[tuple[list[str], int, int]] = []
    header_row, row = 0, 0
    while len(seen) <= HEADER_BLOCK:
        row += 1
        first_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
            raise InputError([_csv_error(Layout.of(name, []), row, exc)]) from None
        seen.append((cells, first_line, reader.line_num))
        if is_heading_row(cells):
            header_row = len(seen)
            break
    if not seen:
        raise InputError([file_problem(name, "file_empty")])
    if not header_row:
        header_row = 1
    layout = Layout.of(name, seen[header_row - 1][0], header_row)
    problems: list[str | Problem] = []
    return _read(layout, _csv_rows(layout, seen[header_row:], reader, problems), plans, today, progress, problems)


def _csv_error(layout: Layout, row: int, exc: csv.Error) -> Problem:
    """A row the csv module cannot read, in plain words (never the csv module's own)."""
    m = re.search(r"field larger than field limit \((\d+)\)", str(exc))
    if m:
        return layout.row_problem(row, "csv_cell_too_long", limit=int(m[1]))
    return layout.row_problem(row, "csv_unreadable", error=exc)


def _csv_rows(layout: Layout, buffered: list[tuple[list[str], int, int]], reader,
              problems: list[str | Problem]) -> Iterable[tuple[int, list[str]]]:
    """The data rows, numbered from the row after the heading row (a row of the sheet, whatever its
    line breaks): those already read while the heading row was looked for, then the reader's.

    A row whose structure the quoting broke is not yielded; what broke it goes to ``problems``
    (issue 21: a quote opened in one cell and closed rows later turns those rows into one cell,
    and the values of the last of them into the first one's): a cell holding a line break (the
    form writes none), a row wider than the header with something in the extra cells, or a
    shorter one.
    """
    rowno = layout.header_row
    width = len(layout.header)
    for cells, first_line, last_line in buffered:
        rowno += 1
        if len(cells) == width and last_line == first_line:
            yield rowno, cells
        elif not _broken(layout, rowno, cells, first_line, last_line, problems):
            yield rowno, cells
    while True:  # the reader's rows, as fast as they come (issue 9: no layer per row)
        rowno += 1
        first_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
            raise InputError([_csv_error(layout, rowno, exc)]) from None
        if len(cells) == width and reader.line_num == first_line:
            yield rowno, cells  # nearly every row: as wide as the header, on one line
        elif not _broken(layout, rowno, cells, first_line, reader.line_num, problems):
            yield rowno, cells


def _broken(layout: Layout, rowno: int, cells: list[str], first_line: int, last_line: int,
            problems: list[str | Problem]) -> bool:
    """Whether a row that is not as wide as the heading row, or spans lines, is to be left out: a
    blank row, or one whose structure the quoting broke (its problem added to ``problems``)."""
    width = len(layout.header)
    if not any(c.strip() for c in cells):
        return True  # a blank line
    broken = [i for i, c in enumerate(cells) if "\n" in c or "\r" in c]
    if broken:
        i = broken[0]
        problems.append(layout.at(rowno, i, _clip(cells[i]), "csv_line_break", lines=f"{first_line}-{last_line}"))
        return True
    extra = [i for i in range(width, len(cells)) if cells[i].strip()]
    if extra:
        problems.append(layout.at(rowno, extra[0], cells[extra[0]], "cell_outside_header",
                                  position=letters(extra[0])))
        return True
    if len(cells) < width:
        problems.append(layout.row_problem(rowno, "csv_cell_count", found=len(cells), expected=width))
        return True
    return False


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "..."


def read_rows(
    name: str,
    header: list[str],
    rows: Iterable[tuple[int, list[str]]],
    plans: Mapping[tuple[str, str], Plan],
    today: date,
    progress: Progress | None = None,
    *,
    sheet: str = "",
    header_row: int = 1,
    percent: Mapping[int, str] | None = None,
    numbers: Mapping[int, float] | None = None,
) -> Reading:
    """Check the rows of a filled form (from any file type) and return its observations.

    ``plans`` maps (province, plan id) to every installed plan. Raises
    InputError with every problem found (up to a limit); rows with neither
    value nor date are skipped. ``sheet`` and ``header_row`` say where the
    heading row is, so each problem names its cell as the spreadsheet does.
    ``percent`` holds, by row, the figure a value cell formatted as a
    percentage shows ("85" for a cell holding 0.85; a workbook's reader may
    add a row's entry up to the moment it yields that row): a share takes it
    (85, not 0.85), any other measure refuses the cell. ``numbers`` holds, by
    row, the number a value cell holds when it is a number, not text (a
    workbook's, added as ``percent`` is): it is taken as it is, never read
    from its text (12.345 is not twelve thousand); the unit's rules apply.
    """
    return _read(Layout.of(name, header, header_row, sheet), _cleaned(rows), plans, today, progress,
                 percent=percent, numbers=numbers)


def _read(layout: Layout, rows: Iterable[tuple[int, list[str]]],
          plans: Mapping[tuple[str, str], Plan], today: date, progress: Progress | None,
          problems: list[str | Problem] | None = None, percent: Mapping[int, str] | None = None,
          numbers: Mapping[int, float] | None = None) -> Reading:
    """Check rows whose cells are composed (NFC) but not yet stripped.

    ``problems`` may already hold (and the rows' reader may add) problems of the file's structure.
    """
    col = header_columns(layout)
    # The collector is paused while the observations are built (see verdicts.gc_paused).
    with gc_paused():
        return _check_rows(layout, rows, col, plans, today, progress, problems if problems is not None else [],
                           {} if percent is None else percent, {} if numbers is None else numbers)


#: Columns a form may have: its own, and the clause and the words an xlsx form adds.
KNOWN_COLUMNS = (*COLUMNS, "clause", *SHOWN)


def header_columns(layout: Layout) -> dict[str, int]:
    """Where each required column is; InputError when one is missing, given twice, or when a
    heading is not a column of the form (a second value column would be silently ignored)."""
    header, row = layout.header, layout.header_row
    keys = [column_key(h) for h in header]
    problems = []
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        problems.append(layout.row_problem(row, "columns_missing", missing=", ".join(missing),
                                           known=", ".join(COLUMNS)))
    for key in dict.fromkeys(keys):
        at = [i for i, k in enumerate(keys) if k == key]
        if key and len(at) > 1:
            problems.append(layout.at(row, at[1], header[at[1]].strip(), "column_twice",
                                      positions=", ".join(letters(i) for i in at), name=header[at[0]].strip()))
        elif key and key not in KNOWN_COLUMNS:
            problems.append(layout.at(row, at[0], header[at[0]].strip(), "column_unknown",
                                      name=header[at[0]].strip(), known=", ".join(COLUMNS)))
    if problems:
        raise InputError(problems)
    return {c: keys.index(c) for c in REQUIRED}


def _cleaned(rows: Iterable[tuple[int, list[str]]]) -> Iterable[tuple[int, list[str]]]:
    """The rows with every cell composed (NFC), one at a time.

    Performance (issue 9): a generator, so a million-row form is never held twice
    (raw cells and cleaned cells) while it is checked; cells are stripped when checked.
    """
    normalize = unicodedata.normalize
    for i, cells in rows:
        yield i, [normalize("NFC", cell) for cell in cells]


def _check_rows(layout: Layout, rows, col, plans, today, progress, problems: list[str | Problem],
                percent: Mapping[int, str], numbers: Mapping[int, float]) -> Reading:
    out: list[tuple] = []
    lookups: dict[tuple[str, str], _PlanIndex] = {}
    ignored = 0
    name = f"{layout.file}[{layout.sheet}]" if layout.sheet else layout.file  # the observations' source

    def bad(row: int, column: str, value: str, problem: str, /, **fields: object) -> None:
        problems.append(layout.problem(row, column, value, problem, **fields))

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
    agencies: set[str] = set()
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
                        bad(rowno, "province", province, "unknown_province",
                            hint=hint(province, sorted({p for p, _ in plans})))
                    else:
                        bad(rowno, "plan", plan_id, "unknown_plan", province=province,
                            hint=hint(plan_id, sorted(i for p, i in plans if p == province)))
                    continue
                idx = lookups[(province, plan_id)] = _PlanIndex(plan)
            cur_province, cur_plan = province, plan_id
            setdefault, fast, units, agencies = idx.seen.setdefault, idx.fast, idx.units, idx.agencies
        if kind != "measure":
            kind = KIND_KEYS.get(kind.lower(), kind)  # a kind in words ("Số liệu", "task")
        # A percentage-formatted cell ("100%" holds 1) never takes the fast path: its measure decides.
        pct = percent.get(rowno) if percent else None
        if kind == "measure" and not day and value.isdigit() and value.isascii() and len(value) < 16 \
                and pct is None:
            hit = fast.get((item, period)) or idx.measure_period(item, period)
            u = units.get(unit)
            if hit is not None and u is not None and u.level == hit[1] and (not agency or agency in agencies):
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
               "unit": unit, "period": period, "value": value, "date": day, "percent": pct,
               "number": numbers.get(rowno) if numbers else None}
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
    problems.extend(_ratio_problems(layout, lookups))
    if problems:
        raise InputError(problems, limit=PROBLEM_LIMIT)
    return Reading(out, ignored, name)


def _duplicate(prev: tuple, kind: str, datum: float | date | None, rowno: int, bad) -> None:
    """A second row for a datum already read: a problem if it gives another value (or date)."""
    before = prev[7] if prev[3] == "measure" else prev[8]
    if before != datum:
        bad(rowno, "value" if kind == "measure" else "date", shown(datum), "conflict_in_file",
            other_row=prev[9], other=shown(before))


def shown(datum: float | date | None) -> str:
    """A stored value or date as a message shows it: 1250, not 1250.0; 2024-03-12."""
    if isinstance(datum, float):
        return f"{datum:g}"
    return "" if datum is None else str(datum)


class _PlanIndex:
    """Per-plan lookups for row checks, built once per file, and the rows of the file read so far."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.province, self.plan_id = plan.province, plan.id
        self.measures = {m.id: m for m in plan.measures}
        self.units = {u.id: u for u in plan.units}
        self.agencies = {a.id for a in plan.agencies}
        by_name: dict[str, list[str]] = {}
        for u in plan.units:
            by_name.setdefault(nfc(u.name).lower(), []).append(u.id)
        #: A name shared by several units names none of them (issue 21: it went to the last one).
        self.units_by_name = {n: ids[0] for n, ids in by_name.items() if len(ids) == 1}
        self.shared_names = {n: ids for n, ids in by_name.items() if len(ids) > 1}
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
        #: (item, period) → the earliest day a submission for it can be dated (see check)
        self.opens: dict[tuple[str, str], date] = {}
        for task in plan.tasks:
            occurrences = task_occurrences(plan, task)  # one per period for a recurring task
            self.dated[task.id] = {(a, ""): {o.period for o in occurrences} for a in task.agencies}
            if getattr(task, "recurrence", None) not in (None, "once"):  # a duty of each period
                for o in occurrences:
                    self._opens(task.id, o.period, o.due)
        for ob in plan.obligations:
            occurrences = obligation_occurrences(plan, ob)
            periods = {o.period for o in occurrences}
            self.dated[ob.id] = {p: periods for p in obligation_parties(plan, ob.agencies, ob.per_unit)}
            for o in occurrences:
                self._opens(ob.id, o.period, o.due)
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

    def _opens(self, item: str, period: str, due: date | None) -> None:
        """A report on a period (a recurring task's evidence) is dated once the period has begun,
        unless the plan itself sets its due date earlier (a plan for the year ahead): then any
        day from the plan's start will do."""
        try:
            start = Period.parse(period).start
        except ValueError:
            return
        if due is None or due >= start:
            self.opens[(item, period)] = start

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
        # A share's whole number may still be above 100: it takes check (the slow path).
        if m is not None and not m.derived and kind_of(m.unit) != "share":
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

    def unknown_unit(self, rowno: int, text: str, bad) -> None:
        """Say why ``text`` names no unit: a name several units share, or no unit at all."""
        shared = self.shared_names.get(text.lower())
        if shared:
            bad(rowno, "unit", text, "unit_name_shared", count=len(shared), plan=self.plan_id,
                ids=", ".join(shared))
        else:
            bad(rowno, "unit", text, "unknown_unit", plan=self.plan_id, hint=hint(text, self.units))

    def check(self, get, rowno, bad, today, name) -> Observation | None:
        """The observation a row gives, or None with every problem of it passed to ``bad``."""
        item, kind = get["item"], get["kind"].lower()
        kind = KIND_KEYS.get(kind, kind)
        plan = self.plan
        if kind not in ("measure", "task", "obligation"):
            bad(rowno, "kind", kind, "bad_kind")
            return None
        period = self.periods.get(get["period"])
        if period is None:
            try:
                period = self.periods[get["period"]] = Period.parse(get["period"])
            except ValueError:
                bad(rowno, "period", get["period"], "bad_period")
                return None
        agency = get["agency"]
        if agency and agency not in self.agencies:
            bad(rowno, "agency", agency, "unknown_agency", plan=plan.id, hint=hint(agency, self.agencies))
            return None
        if kind == "measure":
            return self._measure(get, item, period, rowno, bad, name)
        # tasks and obligations
        known = self.dated.get(item)
        if known is None or (kind == "task") != (item in self.tasks):
            names = self.tasks if kind == "task" else self.obligations
            bad(rowno, "item", item, "unknown_item", kind=kind_word(kind), plan=plan.id, hint=hint(item, names))
            return None
        if get["value"]:
            bad(rowno, "value", get["value"], "date_not_value", kind=kind_word(kind))
            return None
        unit = ""
        if get["unit"]:
            if kind == "task":
                bad(rowno, "unit", get["unit"], "unit_not_per_unit", item=item)
                return None
            unit = self.unit_id(get["unit"]) or ""
            if not unit:  # issue 21: an unknown unit was dropped and the row stored without it
                self.unknown_unit(rowno, get["unit"], bad)
                return None
        party = (agency, unit)
        if party not in known:
            bad(rowno, "agency" if not unit else "unit", agency if not unit else get["unit"],
                "not_expected", item=item)
            return None
        if period.id not in known[party]:
            bad(rowno, "period", period.id, "unexpected_period", item=item,
                periods=", ".join(sorted(known[party])))
            return None
        try:
            done = _date(get["date"])
        except Refusal as exc:
            bad(rowno, "date", get["date"], exc.kind, **exc.fields)
            return None
        if done > today:
            bad(rowno, "date", get["date"], "in_future", today=today.isoformat())
            return None
        if done < plan.period.start:
            bad(rowno, "date", get["date"], "before_plan", start=plan.period.start.isoformat())
            return None
        opens = self.opens.get((item, period.id))
        if opens is not None and done < opens:
            bad(rowno, "date", get["date"], "before_period", day=done.isoformat(), period=period.id,
                start=opens.isoformat())
            return None
        return Observation(province=plan.province, plan=plan.id, item=item, kind=kind,
                           period=period.id, agency=agency, unit=unit, date=done,
                           source_file=name, row=rowno)

    def _measure(self, get, item, period, rowno, bad, name) -> Observation | None:
        plan = self.plan
        m = self.measures.get(item)
        if m is None or m.derived:
            if m is not None:
                bad(rowno, "item", item, "derived_measure")
            else:
                bad(rowno, "item", item, "unknown_item", kind="measure", plan=plan.id,
                    hint=hint(item, self.measures))
            return None
        if get["date"]:
            bad(rowno, "date", get["date"], "value_not_date")
            return None
        unit = self.unit_id(get["unit"])
        if unit is None:
            self.unknown_unit(rowno, get["unit"], bad)
            return None
        if self.units[unit].level != m.level:
            bad(rowno, "unit", get["unit"], "wrong_level", item=item, level=level_word(m.level),
                unit_level=level_word(self.units[unit].level))
            return None
        if period.type != m.period_type:
            bad(rowno, "period", period.id, "wrong_period_type", item=item, period_type=period_word(m.period_type))
            return None
        if period.end < self.earliest or period.start > plan.period.end:
            bad(rowno, "period", period.id, "outside_plan", start=plan.period.start.isoformat(),
                end=plan.period.end.isoformat())
            return None
        figure = get["percent"]  # the cell is formatted as a percentage: the figure it shows
        number = get["number"]  # the cell holds a number, not text: that number
        shown_value = get["value"] if figure is None else f"{figure}%"
        try:
            if figure is not None:
                value = _percentage(m.unit, figure, get["value"])
            else:
                value = _number(get["value"]) if number is None else _in_range(number)
        except Refusal as exc:
            bad(rowno, "value", shown_value, exc.kind, **exc.fields)
            return None
        impossible = value_problem(m.unit, value)
        if impossible is not None:  # issue 16 section 4, issue 21 class 2
            bad(rowno, "value", shown_value, impossible, what=_what(m.unit), unit=m.unit)
            return None
        return Observation(province=plan.province, plan=plan.id, item=m.id, kind="measure",
                           period=period.id, unit=unit, value=value, source_file=name, row=rowno)


def _percentage(unit: str, figure: str, stored: str) -> float:
    """The value of a value cell formatted as a percentage, which shows ``figure`` ("85") and holds
    ``stored`` ("0.85"), for a measure in ``unit``: a share takes the figure; any other measure refuses
    the cell (Refusal): its figure is 100 times the number the clerk meant, or was typed with a % sign."""
    if kind_of(unit) != "share":
        raise Refusal("percent_format", what=_what(unit), shown=f"{figure}%", stored=stored)
    return _in_range(float(figure))  # "85.55": the decimal text of the cell's own number, never ambiguous


def _in_range(value: float) -> float:
    """``value``, when a form may hold it (finite, within :data:`MAX_VALUE`); Refusal otherwise."""
    if not math.isfinite(value) or abs(value) > MAX_VALUE:
        raise Refusal("too_large", low=f"-{MAX_VALUE:.0e}", high=f"{MAX_VALUE:.0e}")
    return value


def _what(unit: str) -> str:
    """How a message names a measure's unit: "a count", "a count of people", "an amount in m2"."""
    kind = kind_of(unit)
    if kind == "share":
        return _("a share")
    if kind == "count":
        return _("a count") if unit == "count" else _("a count of {unit}").format(unit=unit)
    return _("an amount in {unit}").format(unit=unit)


def _ratio_problems(layout: Layout, lookups: Mapping[tuple[str, str], _PlanIndex]) -> list[Problem]:
    # Performance (issue 9): each ratio pair visits its numerator's values only (kept as the
    # rows were read), and finds the denominator among the rows already keyed by datum.
    problems = []
    for idx in lookups.values():
        for num, den in sorted(idx.ratios):
            for o in idx.numerators.get(num, ()):
                d = idx.seen.get((den, "", o[5], o[6]))
                if d is not None and d[3] == "measure" and o[7] is not None and d[7] is not None and o[7] > d[7]:
                    problems.append(layout.problem(o[9], "value", f"{o[7]:g}", "part_above_whole", part=num,
                                                   whole=den, whole_value=f"{d[7]:g}", whole_row=d[9], unit=o[5],
                                                   period=o[6]))
    return problems
