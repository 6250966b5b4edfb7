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

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

import attrs

from plancheck.authoring.citations import Citations, folded
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
Kind = Literal["date", "percent", "count", "unit", "threshold", "of", "due", "signed", "parent", "agency"]


@attrs.frozen(kw_only=True)
class ReviewedException:
    """A difference a person has reviewed and accepted, with the reason.

    ``item`` (optional) ties it to one element ("obligations.report_6_months 2022S1"), so the
    same value slipping onto another element is not excepted with it.
    """

    value: str
    clause: str
    reason: str
    item: str | None = None


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
    plan side; ``item`` names the plan element (plan side only);
    ``expected`` says what the cited clause says instead, where it says
    something ("'trước ngày 01/12/2024' = 2024-11-30").
    """

    side: Side
    kind: Kind
    value: str
    written: str
    clause: str
    sentence: str = ""
    item: str = ""
    expected: str = ""
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
    return (_norm(e.clause) == _norm(m.clause) and _norm(e.value) in (_norm(m.value), _norm(m.written))
            and (e.item is None or _norm(e.item) == _norm(m.item)))


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
    elif m.kind == "agency":
        line = f"{m.item} ({m.clause}): agency {m.value} ({m.written}) is not named there"
        if m.expected:
            line += f": {m.expected}"
    elif m.kind == "parent":
        line = f"{m.item} ({m.clause}): {m.written} {m.expected}"
    else:
        where = "in the cited clause" if m.expected else "in the text"
        line = f"{m.item} ({m.clause}): {m.kind} {m.value} is in the plan but not {where}"
        if m.written and m.written != m.value:
            line += f" (plan: {m.written!r})"
        if m.expected:
            line += f"; the clause says {m.expected}"
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


@functools.lru_cache(maxsize=20_000)
def _string_figures(s: str) -> tuple[frozenset[date], frozenset[tuple[int, int]], frozenset[float],
                                     frozenset[tuple[int, int]]]:
    """The dates, percentages and counts a string of the plan writes (a plan's strings change little
    between the plans one text is checked against)."""
    full, partial = _dates_in(s)
    return (frozenset(full), frozenset(partial), frozenset(_number(m[1]) for m in _PERCENT.finditer(s)),
            frozenset((int(m[1]), int(m[2])) for m in _FRACTION.finditer(s)))


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
    comparator: str = ">="
    words: str = ""        # the element's own words, to find the part of the clause that states it
    direction: bool = False  # a growth or change compared with 0: a direction, not a figure
    of: int | None = None


def _thresholds(plan: Plan) -> list[_Threshold]:
    measures = {m.id: m for m in plan.measures}
    out = []
    for t in plan.targets:
        if t.threshold is None:
            continue
        unit = measures[t.measure].unit.lower() if t.measure in measures else ""
        percent = t.kind in ("ratio", "growth") or "percent" in unit or "%" in unit
        out.append(_Threshold(item=f"targets.{t.id}", clause=t.source, value=t.threshold, percent=percent,
                              comparator=t.comparator or ">=", words=t.quote or t.name,
                              direction=t.kind in ("growth", "change"), of=t.of))
    for r in plan.rules:
        for c in _conditions(r.when):
            if c.value is not None and (c.measure or c.ratio):
                src = c.source or r.source
                said = re.search(r"\(([^()]*[^\d()\s][^()]*)\)", src)  # "(từ 20 đến 60 người nghiện)"
                out.append(_Threshold(item=f"rules.{r.id}", clause=src, value=c.value, percent=c.ratio is not None,
                                      comparator=c.op or "==", words=said[1] if said else "",
                                      direction=c.op in ("<=", "==", "<")))  # "<= 0" may be a II.1.2 negated
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
        if t.deadline is None and t.due is None and not with_calendar:
            continue  # no date of its own: a one-off with none, or each period's last day (assumed)
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
                out.append(_Due(item=f"obligations.{ob.id} {occ.period}", clause=(occ.source or ob.source),
                                due=occ.due,
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
    pt, cites = _reading(text)
    out = [*_text_side(plan, cites), *_plan_side(plan, pt, cites), *_parents(plan, cites),
           *_agencies(plan, cites)]
    return [attrs.evolve(m, exception=next((e for e in exceptions if _matches(e, m)), None)) for m in out]


def _found(cites: Citations, finder: Callable[[PlanText], list]) -> list:
    """A finder's mentions of the whole text, found once per text read (see :func:`_reading`)."""
    key = ("found", finder.__name__)
    if key not in cites.memo:
        cites.memo[key] = finder(cites.pt)
    found = cites.memo[key]
    assert isinstance(found, list)
    return found


@functools.lru_cache(maxsize=8)
def _reading(text: str) -> tuple[PlanText, Citations]:
    """A text read once however many plans are checked against it (the mutation test checks hundreds)."""
    pt = read_text(text)
    return pt, Citations(pt)


def _text_side(plan: Plan, cites: Citations) -> Iterator[Mismatch]:
    strings = list(_strings(plan))
    used_full: set[date] = {d.due for d in _plan_dues(plan, with_calendar=True)}
    used_full |= {plan.period.start, plan.period.end}
    used_full |= {d for d in (plan.signed, *(t.due for t in plan.tasks)) if d is not None}
    used_partial: set[tuple[int, int]] = set()
    string_percents: set[float] = set()
    string_counts: set[tuple[int, int]] = set()
    for s in strings:
        full, partial, pct, cnt = _string_figures(s)
        used_full |= full
        used_partial |= partial
        string_percents |= pct
        string_counts |= cnt
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

    for dm in _found(cites, find_dates):
        if dm.year is not None:
            used = date(dm.year, dm.month, dm.day) in used_full
        else:
            used = (dm.day, dm.month) in used_partial
        if not used:
            yield from once(Mismatch(side="text", kind="date", value=dm.value, written=dm.written,
                                     clause=dm.clause, sentence=dm.sentence))
    for pm in _found(cites, find_percentages):
        if not any(abs(pm.number - p) < 1e-9 for p in percents):
            yield from once(Mismatch(side="text", kind="percent", value=pm.value, written=pm.written,
                                     clause=pm.clause, sentence=pm.sentence))
    for cm in _found(cites, find_counts):
        if (cm.part, cm.whole) not in counts:
            yield from once(Mismatch(side="text", kind="count", value=cm.value, written=cm.written,
                                     clause=cm.clause, sentence=cm.sentence))
    for um in _found(cites, find_units):
        if (um.level, _norm(um.name)) not in units:
            yield from once(Mismatch(side="text", kind="unit", value=um.value, written=um.written,
                                     clause=um.clause, sentence=um.sentence))


@attrs.frozen
class _Said:
    """What one passage of the text (or the whole text) says: its figures and its dates."""

    percents: tuple[float, ...]
    shares: tuple[float, ...]
    numbers: frozenset[float]
    dues: dict[date, str]            # due date → the phrase that gives it
    loose_full: frozenset[date]      # dates written outside any deadline phrase
    loose_partial: frozenset[tuple[int, int]]
    negates: bool = False            # writes "không", "chưa" ...: a zero

    @classmethod
    def of(cls, plan: Plan, pt: PlanText) -> _Said:
        phrases = find_deadlines(pt, strict=False)
        dues: dict[date, str] = {}
        for p in phrases:
            try:
                for d in parse_deadline(p.written, plan.period.start, plan.period.end):
                    dues.setdefault(d.due, p.written)
            except ValueError:
                continue
        # A date inside a deadline phrase says only what the phrase says: "trước ngày 01/12/2024" is
        # 30/11, and its 01/12 must not let a plan's 01/12 through.
        loose = [d for d in find_dates(pt)
                 if not any(p.sentence == d.sentence and d.written in p.written for p in phrases)]
        return cls(percents=tuple(m.number for m in find_percentages(pt)),
                   shares=tuple(100 * c.part / c.whole for c in find_counts(pt) if c.whole),
                   numbers=frozenset(find_numbers(pt)), dues=dues,
                   loose_full=frozenset(date(d.year, d.month, d.day) for d in loose if d.year),
                   loose_partial=frozenset((d.day, d.month) for d in loose),
                   negates=bool(_NEGATION.search(pt.text)))

    def has_figure(self, value: float, percent: bool) -> bool:
        if percent:
            return any(abs(value - p) < 1e-9 for p in self.percents) or any(abs(value - x) <= 0.05
                                                                             for x in self.shares)
        return value in self.numbers

    def has_due(self, due: date) -> bool:
        return due in self.dues or due in self.loose_full or (due.day, due.month) in self.loose_partial


def _plan_side(plan: Plan, pt: PlanText, cites: Citations) -> Iterator[Mismatch]:
    """The plan's figures and dates against the clause each element cites (the whole text if it cites none)."""
    key = ("said", None, plan.period.start, plan.period.end)
    if key not in cites.memo:
        cites.memo[key] = _Said.of(plan, pt)
    whole = cites.memo[key]
    assert isinstance(whole, _Said)
    said: dict[str, tuple[_Said, bool]] = {}

    def at(clause: str) -> tuple[_Said, bool]:
        """What the cited clause says, and whether the citation named a clause of the text."""
        if clause not in said:
            passage = cites.resolve(clause)
            if passage is None:
                said[clause] = (whole, False)
            else:
                key = ("said", clause, plan.period.start, plan.period.end)
                if key not in cites.memo:
                    cites.memo[key] = _Said.of(plan, passage.as_text(pt))
                found = cites.memo[key]
                assert isinstance(found, _Said)
                said[clause] = (found, True)
        return said[clause]

    norm_text = _norm(pt.text)
    seen: set[tuple[str, str, str]] = set()

    def once(m: Mismatch) -> Iterator[Mismatch]:
        key = (m.item, m.kind, m.value)
        if key not in seen:
            seen.add(key)
            yield m

    for t in _thresholds(plan):
        here, cited = at(t.clause)
        part = _part(plan, pt, cites, t.clause, t.words) if cited and t.words else None
        if part is not None:
            here = part  # the part of the clause that states this element ("06 xã" beside "05 xã")
        v = abs(t.value)
        shown = f"{v:g}%" if t.percent else f"{v:g}"
        if v == 0:
            why = _zero_problem(t, here)
            if why:
                yield from once(Mismatch(side="plan", kind="threshold", value=shown, written=f"{t.value:g}",
                                         clause=t.clause, item=t.item, expected=why))
        elif not here.has_figure(v, t.percent):
            yield from once(Mismatch(side="plan", kind="threshold", value=shown, written=f"{t.value:g}",
                                     clause=t.clause, item=t.item,
                                     expected=_figures(here) if cited else ""))
        if t.of is not None and float(t.of) not in here.numbers:
            yield from once(Mismatch(side="plan", kind="of", value=str(t.of), written=str(t.of),
                                     clause=t.clause, item=t.item,
                                     expected=_figures(here) if cited else ""))
    for d in _plan_dues(plan, with_calendar=False):
        here, cited = at(d.clause)
        if here.has_due(d.due):
            continue
        expected = "; ".join(f"'{w}' = {x.isoformat()}" for x, w in sorted(here.dues.items())) if cited else ""
        yield from once(Mismatch(side="plan", kind="due", value=d.due.isoformat(), written=d.written,
                                 clause=d.clause, item=d.item,
                                 expected=expected or ("no date" if cited else "")))
    for u in plan.units:
        if _bare(u) not in norm_text:
            yield from once(Mismatch(side="plan", kind="unit", value=u.name, written=u.name, clause=u.source,
                                     item=f"units.{u.id}"))
    if plan.signed is not None and plan.signed not in whole.loose_full | set(whole.dues):
        if not any(plan.signed == date(d.year, d.month, d.day) for d in find_dates(pt) if d.year):
            yield from once(Mismatch(side="plan", kind="signed", value=plan.signed.isoformat(),
                                     written=plan.signed.isoformat(), clause=plan.source, item="plan"))


_NEGATION = re.compile(r"\b(?:không|chưa|cấm|0)\b", re.IGNORECASE)


def _zero_problem(t: _Threshold, here: _Said) -> str:
    """Why a 0 in the plan is not what its clause says ("" when it is): "không có" is "<= 0",
    and a lower bound of 0 holds for every count."""
    if t.direction:
        # "> 0" is "increase", "< 0" "decrease", "<= 0" a rule's condition read from the text; but where
        # the part of the clause that states the element gives a percentage, 0 is not what it says
        return f"a direction (0) where the clause states {here.percents[0]:g}%" if here.percents and \
            t.item.startswith("targets.") else ""
    if t.comparator in (">=",) and 0.0 not in here.numbers:
        return "a lower bound of 0, which every count meets, where the clause states no 0"
    if t.item.startswith("targets.") and t.comparator in ("<=", "<", "==") and not here.negates:
        return "zero tolerance where the clause says no 'không' (none)"
    return ""


def _part(plan: Plan, pt: PlanText, cites: Citations, clause: str, words: str) -> _Said | None:
    """What the part of the cited clause written like ``words`` says: the ;-separated part of a sentence
    sharing most of their words (None when no part shares half of them)."""
    from plancheck.authoring.clauses import Sentence, segments_of

    key = ("part", clause, words, plan.period.start, plan.period.end)
    if key not in cites.memo:
        passage = cites.resolve(clause)
        wanted = set(folded(words).split())
        quoted = " ".join(unicodedata.normalize("NFC", words).split()).rstrip(".")
        best: tuple[float, str, Sentence] | None = None
        for sent in passage.sentences if passage is not None else ():
            if len(quoted) > 20 and quoted in " ".join(sent.text.split()):
                best = (2.0, quoted, sent)  # the element quotes the text: exactly those words
                break
            for _, seg in segments_of(sent.text):
                got = set(folded(seg).split())
                shared = len(wanted & got)
                if not wanted or shared / len(wanted) < 0.5:
                    continue
                score = 2 * shared / (len(wanted) + len(got))  # a part as long as the words, not a longer one
                if best is None or score > best[0]:
                    best = (score, seg, sent)
        found = None
        if best is not None:
            one = Sentence(clause=best[2].clause, text=best[1].strip())
            found = _Said.of(plan, attrs.evolve(pt, text=one.text, sentences=(one,)))
        cites.memo[key] = found
    hit = cites.memo[key]
    return hit if isinstance(hit, _Said) else None


def _figures(here: _Said) -> str:
    """The figures a clause writes, for a mismatch's message."""
    pct = sorted({f"{p:g}%" for p in here.percents})
    nums = sorted(here.numbers)[:12]
    return "figures " + ", ".join([*pct, *(f"{n:g}" for n in nums)]) if pct or nums else "no figure"


# -- units' parents and the bodies a clause names ---------------------------------------

def _parents(plan: Plan, cites: Citations) -> Iterator[Mismatch]:
    """Each unit the text lists under a parent ("Huyện Văn Lâm: các xã Minh Hải, ...") is under that parent."""
    units = {u.id: u for u in plan.units}
    listed: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (level, bare name) → (parent bare name, clause)
    for um in _found(cites, find_units):
        if um.parent_name:
            listed.setdefault((_LEVELS.get(um.keyword, ""), _norm(um.name)), []).append(
                (_norm(um.parent_name), um.clause))
    for u in plan.units:
        parent = units.get(u.parent or "")
        where = listed.get((u.level, _bare(u)))
        if parent is None or not where:
            continue
        if any(p == _bare(parent) for p, _ in where):
            continue
        text_parents = sorted({p for p, _ in where})
        yield Mismatch(side="plan", kind="parent", value=f"{u.id} in {parent.id}", written=u.name,
                       clause=where[0][1], item=f"units.{u.id}",
                       expected=f"is under {parent.name} in the plan, but the text lists it under "
                                f"{' / '.join(text_parents)}")


_LEVELS = {"xã": "commune", "phường": "commune", "thị trấn": "commune", "huyện": "district",
           "thị xã": "district", "quận": "district", "thành phố": "district", "tỉnh": "province"}


def _agencies(plan: Plan, cites: Citations) -> Iterator[Mismatch]:
    """The body that does a task, answers for a target, sends a report or leads a project is named in the
    element's clause, or the element marks it ``agency_assumed`` citing a clause that names it."""
    names = {a.id: [folded(n) for n in (a.name, *a.aliases)] for a in plan.agencies}
    text_of = cites.folded

    slots: list[tuple[str, str, str, str | None]] = []  # (item, clause, agency, agency_assumed)
    for t in plan.tasks:
        slots += [(f"tasks.{t.id}", t.source, a, t.agency_assumed) for a in t.agencies]
    for tg in plan.targets:
        if tg.agency is not None and not tg.id.startswith("national."):
            slots.append((f"targets.{tg.id}", tg.source, tg.agency, tg.agency_assumed))
    for ob in plan.obligations:
        slots += [(f"obligations.{ob.id}", ob.source, a, ob.agency_assumed) for a in ob.agencies]
    for p in plan.projects:
        slots.append((f"projects.{p.id}", p.source, p.lead, p.agency_assumed))
    seen: set[tuple[str, str]] = set()
    for item, clause, agency, assumed in slots:
        own = text_of(clause)
        if own is None or (item, agency) in seen:
            continue  # a citation the text cannot place: nothing to compare with
        seen.add((item, agency))
        if _names_doer(cites, clause, names.get(agency, [])):
            continue
        if assumed is None:
            said = "names it only as another party" if any(n in own for n in names.get(agency, ())) else \
                "does not name it"
            yield Mismatch(side="plan", kind="agency", value=agency, written=_agency_name(plan, agency),
                           clause=clause, item=item,
                           expected=f"the clause {said} (not as the body that does the work); mark the element "
                                    "agency_assumed, citing the clause that names the body")
            continue
        # Marked assumed: where the mark quotes the words that name a body ("'các cơ quan, đơn vị, địa
        # phương thực hiện Kế hoạch này'"), the body is one the quotes name and the cited text names too;
        # else the body does the work in a clause the mark cites ("III.2, III.3 ...": each of its own).
        quotes = [folded(a or b) for a, b in _QUOTED.findall(assumed)]
        naming = [q for q in quotes if any(n in q for ns in names.values() for n in ns)]
        elsewhere = text_of(assumed)
        named = [n for n in names.get(agency, ()) if n in own or (elsewhere is not None and n in elsewhere)]
        if naming:
            if any(n in q for q in naming for n in named):
                continue
        elif _names_doer(cites, assumed, names.get(agency, [])):
            continue
        yield Mismatch(side="plan", kind="agency", value=agency, written=_agency_name(plan, agency),
                       clause=clause, item=item,
                       expected="agency_assumed neither cites a clause where it does the work nor quotes the "
                                "words that name it (a body inferred from its function is a reviewed exception)")


#: Verbs that start a clause's work (folded): the body that does it is named before the first of them
#: ("Công an tỉnh chủ trì, phối hợp các sở, ngành": the police; "Thực hiện tốt vai trò tham mưu ... UBND
#: tỉnh": not the committee), or before a colon ("Ủy ban nhân dân tỉnh: Chỉ đạo Công an tỉnh ...").
_WORK = tuple(f" {v} " for v in (
    "chu tri", "phoi hop", "tham muu", "chi dao", "huong dan", "thuc hien", "to chuc", "xay dung", "trien khai",
    "co trach nhiem", "giup", "tiep tuc", "tang cuong", "lam tot", "day manh", "theo doi", "ra soat", "ban hanh",
    "tien hanh", "kiem tra", "quan ly", "thanh lap", "bao cao", "gui", "long ghep", "nang cao"))


def _doers(cites: Citations, citation: str) -> list[str]:
    """Each sentence of the cited clauses up to its colon, folded: where the body doing the work is named."""
    key = ("doers", citation)
    if key not in cites.memo:
        passage = cites.resolve(citation)
        cites.memo[key] = [folded(s.text.split(":", 1)[0]) for s in (passage.sentences if passage else ())]
    found = cites.memo[key]
    return found if isinstance(found, list) else []


def _names_doer(cites: Citations, citation: str, names: list[str]) -> bool:
    """Whether a sentence of the cited clauses names the body before any verb of work."""
    for zone in _doers(cites, citation):
        for n in names:
            pos = zone.find(n)
            if pos >= 0 and not any(0 <= zone.find(v) < pos for v in _WORK):
                return True
    return False


#: Words quoted in a mark: 'like this' or “like this” (an apostrophe inside a word, People's, is not a quote).
_QUOTED = re.compile(r"(?<!\w)'((?:[^']|(?<=\w)'(?=\w))+?)'(?!\w)|“([^”]{3,})”")


def _agency_name(plan: Plan, agency: str) -> str:
    return next((a.name for a in plan.agencies if a.id == agency), agency)
