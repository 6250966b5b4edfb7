"""Does a plan say what its text says? The fidelity cross-check.

``plancheck plugin check --against FILE.txt`` reads the plan's source text with
the drafter's reading (:mod:`plancheck.authoring.drafting`) and compares the two both ways:

**In the text, not used by the plan** (``side = "text"``), each with its clause
and sentence:

* a **date** (``12/3/2024``, ``ngày 04 tháng 10 năm 2021``, or ``26/6`` without
  a year) is used if it equals a due date the plan computes (tasks,
  obligations, targets, any year of a "hằng năm" phrase), the signing date or
  an end of the plan period, or if it is written in any string of the plan
  (title, parent programme, names, quotes, deadline phrases, notes,
  ``assumed``); a date without a year is used if a used date or a string has
  that day and month;
* a **percentage** is used if it equals the threshold of a ratio or growth
  target (or of a value target on a percentage measure), the value of a ratio
  condition in a rule, or a percentage written in a string of the plan;
* a **count** N/M ("53/161") is used if a target has threshold N and ``of``
  M, or N/M is written in a string of the plan;
* a named **unit** (province, district, commune) is used if the plan has a
  unit of the same level and name ("xã Minh Hải" and ``name = "Xã Minh
  Hải"``); a mention in a note is not enough, since reports are made per unit.

**In the plan, not in the text** (``side = "plan"``), each with the element's
``source``:

* a **threshold** (of a target, or a value in a rule's condition; 0 is a
  direction or zero tolerance, not a figure, and is not checked) is in the
  text if, for percentages, the text writes that percentage or a count N/M
  whose share it is (143/143 is 100%), and otherwise if the text writes that
  number anywhere ("06" is 6, "1.000" is 1000);
* an **of** count is in the text if the text writes that number;
* a **due** date (of a task, an obligation's schedule entry or deadline, a
  target with a deadline; dates from a national reporting calendar are
  assumed by design and not checked) is in the text if a phrase of the text,
  read by core's :func:`~plancheck.plans.calendar.parse_deadline` with the plan's
  period, gives that date ("trong quý I/2024", bare "năm 2023" included), or
  the text writes that date, or that day and month without a year;
* a **unit** name is in the text if its name (without "Xã", "Huyện" ...) is;
* the **signed** date is in the text if the text writes it.

A person reviews each difference. One that is right (a legal basis cited in
the preamble, a date the plan assumes and says so) is recorded in the plugin's
``fidelity.toml`` next to its ``plan.toml``, with its reason; the check is
clean when every difference is excepted. One that reveals an omission is not
excepted: the plan is fixed instead.

```toml
[[exceptions]]
value = "19/6/2015"        # as the text writes it, or the canonical value shown
clause = "preamble"        # the clause shown with the difference
reason = "Date of the Law on local government, a legal basis cited in the preamble."
```
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

import attrs

from plancheck.authoring.clauses import PlanText, read_text
from plancheck.authoring.mentions import (
    find_counts,
    find_dates,
    find_deadlines,
    find_numbers,
    find_percentages,
    find_units,
)
from plancheck.errors import InputError
from plancheck.plans.calendar import parse_deadline
from plancheck.plans.model import Condition, Plan, Unit

Side = Literal["text", "plan"]
Kind = Literal["date", "percent", "count", "unit", "threshold", "of", "due", "signed"]


@attrs.frozen(kw_only=True)
class ReviewedException:
    """A difference a person has reviewed and accepted, with the reason."""

    value: str
    clause: str
    reason: str


@attrs.frozen(kw_only=True)
class ExceptionsFile:
    """``fidelity.toml``: the reviewed exceptions of one plugin."""

    exceptions: tuple[ReviewedException, ...] = ()


@attrs.frozen(kw_only=True)
class Mismatch:
    """One difference between a plan and its text.

    ``side``: ``text`` (in the text, not used by the plan) or ``plan`` (in the
    plan, not found in the text). ``value`` is canonical (ISO dates, "32.9%",
    "53/161", "xã Minh Hải"); ``written`` is as the text (or the plan) writes
    it. ``clause`` is the text's clause, or the element's ``source`` for the
    plan side; ``item`` names the plan element (plan side only).
    """

    side: Side
    kind: Kind
    value: str
    written: str
    clause: str
    sentence: str = ""
    item: str = ""
    exception: ReviewedException | None = None

    @property
    def excepted(self) -> bool:
        return self.exception is not None


def exceptions_path(plan_path: str | Path) -> Path:
    """Where a plugin keeps its reviewed exceptions: ``fidelity.toml`` next to the plan file."""
    return Path(plan_path).with_name("fidelity.toml")


def load_exceptions(path: str | Path) -> list[ReviewedException]:
    """Read a ``fidelity.toml``; raise InputError listing every problem (``file: message @ $.path``)."""
    from plancheck.plans.converter import structure_toml_file

    name = str(path)
    parsed = structure_toml_file(path, ExceptionsFile)
    problems = [
        f"{name}: {field} is empty @ $.exceptions[{i}].{field}"
        for i, e in enumerate(parsed.exceptions)
        for field in ("value", "clause", "reason")
        if not getattr(e, field).strip()
    ]
    if problems:
        raise InputError(problems)
    return list(parsed.exceptions)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def _matches(e: ReviewedException, m: Mismatch) -> bool:
    return _norm(e.clause) == _norm(m.clause) and _norm(e.value) in (_norm(m.value), _norm(m.written))


def is_clean(mismatches: Iterable[Mismatch]) -> bool:
    """Whether every difference has been reviewed and excepted."""
    return all(m.excepted for m in mismatches)


def stale_exceptions(mismatches: Iterable[Mismatch],
                     exceptions: Iterable[ReviewedException]) -> list[ReviewedException]:
    """Exceptions that match no difference any more (the plan or the text changed)."""
    used = {id(m.exception) for m in mismatches if m.exception is not None}
    return [e for e in exceptions if id(e) not in used]


def format_mismatch(m: Mismatch) -> str:
    """One line for a difference, as ``plugin check --against`` prints it."""
    if m.side == "text":
        line = f"{m.clause}: {m.kind} {m.written!r} is in the text but not used by the plan"
    else:
        line = f"{m.item} ({m.clause}): {m.kind} {m.value} is in the plan but not in the text"
        if m.written and m.written != m.value:
            line += f" (plan: {m.written!r})"
    if m.exception is not None:
        line += f" [excepted: {m.exception.reason}]"
    return line


# -- what the plan uses ------------------------------------------------------------

_DATE_IN_STRING = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])")
_LONG_DATE = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PERCENT = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s?%")
_FRACTION = re.compile(r"(?<![\d/])(\d{1,5})/(\d{1,5})(?![\d/])")
_UNIT_WORD = re.compile(r"^(?:tỉnh|thành phố|thị xã|thị trấn|huyện|quận|phường|xã)\s+", re.IGNORECASE)


def _strings(obj: object) -> Iterator[str]:
    cls = type(obj)
    if isinstance(obj, str):
        yield unicodedata.normalize("NFC", obj)
    elif attrs.has(cls):
        for f in attrs.fields(cls):
            yield from _strings(getattr(obj, f.name))
    elif isinstance(obj, tuple | list):
        for x in obj:
            yield from _strings(x)


def _dates_in(text: str) -> tuple[set[date], set[tuple[int, int]]]:
    full: set[date] = set()
    partial: set[tuple[int, int]] = set()
    for m in _DATE_IN_STRING.finditer(text):
        try:
            if m[3]:
                full.add(date(int(m[3]), int(m[2]), int(m[1])))
            else:
                date(2000, int(m[2]), int(m[1]))
                partial.add((int(m[1]), int(m[2])))
        except ValueError:
            continue
    for rx, order in ((_LONG_DATE, (3, 2, 1)), (_ISO_DATE, (1, 2, 3))):
        for m in rx.finditer(text):
            try:
                full.add(date(int(m[order[0]]), int(m[order[1]]), int(m[order[2]])))
            except ValueError:
                continue
    return full, partial


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _conditions(cond: Condition) -> Iterator[Condition]:
    yield cond
    for sub in (*(cond.all or ()), *(cond.any or ())):
        yield from _conditions(sub)


@attrs.frozen(kw_only=True)
class _Threshold:
    item: str
    clause: str
    value: float
    percent: bool


def _thresholds(plan: Plan) -> list[_Threshold]:
    measures = {m.id: m for m in plan.measures}
    out = []
    for t in plan.targets:
        if t.threshold is None:
            continue
        unit = measures[t.measure].unit.lower() if t.measure in measures else ""
        percent = t.kind in ("ratio", "growth") or "percent" in unit or "%" in unit
        out.append(_Threshold(item=f"targets.{t.id}", clause=t.source, value=t.threshold, percent=percent))
    for r in plan.rules:
        for c in _conditions(r.when):
            if c.value is not None and (c.measure or c.ratio):
                out.append(_Threshold(item=f"rules.{r.id}", clause=c.source or r.source, value=c.value,
                                      percent=c.ratio is not None))
    return out


@attrs.frozen(kw_only=True)
class _Due:
    item: str
    clause: str
    due: date
    written: str


def _plan_dues(plan: Plan, *, with_calendar: bool) -> list[_Due]:
    from plancheck.plans.schedule import obligation_occurrences, target_occurrences, task_due

    out = []
    for t in plan.tasks:
        d = task_due(plan, t)
        if d is not None:
            out.append(_Due(item=f"tasks.{t.id}", clause=t.source, due=d, written=t.deadline or d.isoformat()))
        if t.deadline is not None:  # every year of a "hằng năm" phrase
            for extra in parse_deadline(t.deadline, plan.period.start, plan.period.end)[1:]:
                out.append(_Due(item=f"tasks.{t.id}", clause=t.source, due=extra.due, written=t.deadline))
    for ob in plan.obligations:
        if ob.calendar is not None and not with_calendar:
            continue
        written = {e.period: e.deadline for e in ob.schedule}
        for occ in obligation_occurrences(plan, ob):
            if occ.due is not None:
                out.append(_Due(item=f"obligations.{ob.id}", clause=(occ.source or ob.source), due=occ.due,
                                written=written.get(occ.period, ob.deadline or ob.calendar or "")))
    for tg in plan.targets:
        if tg.deadline is None and not with_calendar:
            continue
        for occ in target_occurrences(plan, tg):
            if occ.due is not None:
                out.append(_Due(item=f"targets.{tg.id}", clause=tg.source, due=occ.due,
                                written=tg.deadline or occ.period))
    return out


def _bare(unit: Unit) -> str:
    return _norm(_UNIT_WORD.sub("", unicodedata.normalize("NFC", unit.name)))


# -- the check ---------------------------------------------------------------------------


def cross_check(plan: Plan, text: str,
                exceptions: Sequence[ReviewedException] = ()) -> list[Mismatch]:
    """Every difference between ``plan`` and its source ``text``, each marked with the exception that covers it.

    See the module docstring for what "used" and "in the text" mean. The
    result is in text order (text side first), then plan order; a value is
    listed once per clause.
    """
    pt = read_text(text)
    out = [*_text_side(plan, pt), *_plan_side(plan, pt)]
    return [attrs.evolve(m, exception=next((e for e in exceptions if _matches(e, m)), None)) for m in out]


def _text_side(plan: Plan, pt: PlanText) -> Iterator[Mismatch]:
    strings = list(_strings(plan))
    used_full: set[date] = {d.due for d in _plan_dues(plan, with_calendar=True)}
    used_full |= {plan.period.start, plan.period.end}
    used_full |= {d for d in (plan.signed, *(t.due for t in plan.tasks)) if d is not None}
    used_partial: set[tuple[int, int]] = set()
    string_percents: set[float] = set()
    string_counts: set[tuple[int, int]] = set()
    for s in strings:
        full, partial = _dates_in(s)
        used_full |= full
        used_partial |= partial
        string_percents |= {_number(m[1]) for m in _PERCENT.finditer(s)}
        string_counts |= {(int(m[1]), int(m[2])) for m in _FRACTION.finditer(s)}
    used_partial |= {(d.day, d.month) for d in used_full}
    percents = string_percents | {t.value for t in _thresholds(plan) if t.percent}
    counts = string_counts | {(int(t.threshold), t.of) for t in plan.targets
                              if t.threshold is not None and t.of is not None}
    units = {(u.level, _bare(u)) for u in plan.units}

    seen: set[tuple[str, str, str]] = set()

    def once(m: Mismatch) -> Iterator[Mismatch]:
        key = (m.kind, m.value, m.clause)
        if key not in seen:
            seen.add(key)
            yield m

    for dm in find_dates(pt):
        if dm.year is not None:
            used = date(dm.year, dm.month, dm.day) in used_full
        else:
            used = (dm.day, dm.month) in used_partial
        if not used:
            yield from once(Mismatch(side="text", kind="date", value=dm.value, written=dm.written,
                                     clause=dm.clause, sentence=dm.sentence))
    for pm in find_percentages(pt):
        if not any(abs(pm.number - p) < 1e-9 for p in percents):
            yield from once(Mismatch(side="text", kind="percent", value=pm.value, written=pm.written,
                                     clause=pm.clause, sentence=pm.sentence))
    for cm in find_counts(pt):
        if (cm.part, cm.whole) not in counts:
            yield from once(Mismatch(side="text", kind="count", value=cm.value, written=cm.written,
                                     clause=cm.clause, sentence=cm.sentence))
    for um in find_units(pt):
        if (um.level, _norm(um.name)) not in units:
            yield from once(Mismatch(side="text", kind="unit", value=um.value, written=um.written,
                                     clause=um.clause, sentence=um.sentence))


def _plan_side(plan: Plan, pt: PlanText) -> Iterator[Mismatch]:
    text_percents = [p.number for p in find_percentages(pt)]
    text_shares = [100 * c.part / c.whole for c in find_counts(pt) if c.whole]
    numbers = find_numbers(pt)
    text_full = {date(d.year, d.month, d.day) for d in find_dates(pt) if d.year is not None}
    text_partial = {(d.day, d.month) for d in find_dates(pt)}
    phrase_dues: set[date] = set()
    for p in find_deadlines(pt, strict=False):
        try:
            phrase_dues |= {d.due for d in parse_deadline(p.written, plan.period.start, plan.period.end)}
        except ValueError:
            continue
    norm_text = _norm(pt.text)

    seen: set[tuple[str, str, str]] = set()

    def once(m: Mismatch) -> Iterator[Mismatch]:
        key = (m.item, m.kind, m.value)
        if key not in seen:
            seen.add(key)
            yield m

    for t in _thresholds(plan):
        if t.value == 0:
            continue
        v = abs(t.value)
        if t.percent:
            found = any(abs(v - p) < 1e-9 for p in text_percents) or any(abs(v - s) <= 0.05 for s in text_shares)
        else:
            found = v in numbers
        if not found:
            shown = f"{v:g}%" if t.percent else f"{v:g}"
            yield from once(Mismatch(side="plan", kind="threshold", value=shown, written=f"{t.value:g}",
                                     clause=t.clause, item=t.item))
    for tg in plan.targets:
        if tg.of is not None and float(tg.of) not in numbers:
            yield from once(Mismatch(side="plan", kind="of", value=str(tg.of), written=str(tg.of),
                                     clause=tg.source, item=f"targets.{tg.id}"))
    for d in _plan_dues(plan, with_calendar=False):
        if d.due in phrase_dues or d.due in text_full or (d.due.day, d.due.month) in text_partial:
            continue
        yield from once(Mismatch(side="plan", kind="due", value=d.due.isoformat(), written=d.written,
                                 clause=d.clause, item=d.item))
    for u in plan.units:
        if _bare(u) not in norm_text:
            yield from once(Mismatch(side="plan", kind="unit", value=u.name, written=u.name, clause=u.source,
                                     item=f"units.{u.id}"))
    if plan.signed is not None and plan.signed not in text_full:
        yield from once(Mismatch(side="plan", kind="signed", value=plan.signed.isoformat(),
                                 written=plan.signed.isoformat(), clause=plan.source, item="plan"))
