"""Reviewing a plan before use: what ``plancheck plugin check`` reports.

Everything :func:`plancheck.plans.planfile.load_plan` reports (the TOML's structure,
then :func:`~plancheck.plans.planfile.check_plan`), plus mistakes a plan can load
with and still never work:

* **unfed targets**: no row of the reporting form can ever feed them (a
  scope with no units, a derived measure that declares no inputs, a form row
  that ``ingest`` would refuse, e.g. a yearly target on a quarterly measure);
* **rules that can never be true**: contradictory bounds on one measure in an
  ``all`` group (``x >= 5`` and ``x < 3``), a count compared ``< 0``, a ratio
  above 100%; a branch of ``any`` that can never be true is a warning;
* **ids, sources, periods** in every collection (``checks`` included), the
  plan's own ``source``, and target and schedule periods outside the plan;
* **elements nothing uses** (errors): a measure no target, rule, check or
  derived measure names, a rule no target or check uses, and a measure a
  rule or check needs that is on no reporting form (it would never be
  reported, so the rule could never be applied as the plan says); agencies
  nothing assigns work to are warnings;
* **exclusive classes that can overlap** (errors): two rules of an
  exclusive check that one unit's data can satisfy together, with that
  data (:mod:`plancheck.authoring.classes`).

Every problem reads ``file: message @ $.path`` (warnings: ``file: warning:
message @ $.path``). :class:`Review` holds them and decides the exit code,
as black's ``Report`` does.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Literal

import attrs

from plancheck.errors import InputError
from plancheck.plans.model import Condition, Plan, Target


def _condition_measures(cond: Condition) -> list[str]:
    """Every measure a condition names, in order, once."""
    out = [cond.measure] if cond.measure else []
    out += list(cond.ratio or ())
    for sub in (cond.all or ()) + (cond.any or ()):
        out += _condition_measures(sub)
    return list(dict.fromkeys(out))

Severity = Literal["error", "warning"]

#: Measures whose values are whole numbers (bounds are tightened to integers).
WHOLE_UNITS = frozenset({"count", "people"})


@attrs.frozen
class Problem:
    """One thing wrong with a plan (or a plugin), and where."""

    file: str
    message: str
    path: str | None = None
    severity: Severity = "error"
    check: str = "plan"

    def line(self) -> str:
        """``file: message @ $.path``; warnings say so after the file name."""
        level = "warning: " if self.severity == "warning" else ""
        where = f" @ {self.path}" if self.path else ""
        return f"{self.file}: {level}{self.message}{where}"

    def to_json(self) -> dict[str, str | None]:
        return {"file": self.file, "path": self.path, "severity": self.severity,
                "check": self.check, "message": self.message}


@attrs.frozen
class Review:
    """Every problem found in the files checked. The exit code comes from here."""

    files: tuple[str, ...]
    problems: tuple[Problem, ...]
    strict: bool = False

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")

    @property
    def return_code(self) -> int:
        """1 when anything must be fixed (warnings too, with ``strict``), else 0."""
        failing = self.errors + (self.warnings if self.strict else 0)
        return 1 if failing else 0

    def summary(self) -> str:
        n = len(self.files)
        files = f"{n} plan file{'s' if n != 1 else ''}"
        if not self.problems:
            return f"ok: {files} checked, no problems"
        e, w = self.errors, self.warnings
        parts = [f"{e} error{'s' if e != 1 else ''}", f"{w} warning{'s' if w != 1 else ''}"]
        return f"{', '.join(parts)} in {files}"

    def to_json(self) -> dict[str, object]:
        return {"files": list(self.files), "problems": [p.to_json() for p in self.problems],
                "summary": {"errors": self.errors, "warnings": self.warnings,
                            "files": len(self.files)}}


# -- a file ---------------------------------------------------------------------

def review_file(path: str | Path, *, name: str | None = None) -> list[Problem]:
    """Every problem in one plan file: load_plan's, then the review's own."""
    from plancheck.plans.planfile import load_plan

    path = Path(path)
    name = name or str(path)
    problems: list[Problem] = []
    try:
        load_plan(path)
    except InputError as exc:
        problems.extend(_from_line(line, str(path), name) for line in exc.problems)
    plan = _structured(path)
    if plan is None:
        return problems  # the structure errors above say why
    seen = {(p.path, p.message) for p in problems}
    never_paths = {p.path for p in problems if "can never be true" in p.message}
    for where, message, severity, check in review_plan(plan):
        if (where, message) in seen:
            continue  # load_plan already says so, in the same words
        if check == "rules" and where in never_paths:
            continue  # load_plan already says this condition can never be true
        seen.add((where, message))
        problems.append(Problem(name, message, where, severity, check))
    return problems


def _from_line(line: str, path: str, name: str) -> Problem:
    """A problem line of load_plan (``path: message @ $.x``) back into its parts."""
    body = line.removeprefix(f"{path}: ")
    message, where = body, None
    head, sep, tail = body.rpartition(" @ ")
    if sep and tail.startswith("$"):
        message, where = head, tail
    structural = ("required field missing", "unknown keys:", "invalid value", "expected ")
    check = "structure" if where is None or message.startswith(structural) else "plan"
    return Problem(name, message, where, "error", check)


def _structured(path: Path) -> Plan | None:
    """The plan, structured and with its national indicators adopted; None if it cannot be."""
    from plancheck.plans.converter import make_converter
    from plancheck.plans.programme import adopt, national_problems

    try:
        with path.open("rb") as fh:
            plan = make_converter().structure(tomllib.load(fh), Plan)
    except Exception:
        return None
    try:
        return plan if national_problems(plan) else adopt(plan)
    except Exception:
        return plan


# -- a plan ---------------------------------------------------------------------

Found = tuple[str, str, Severity, str]  # (json path, message, severity, check)


def review_plan(plan: Plan) -> list[Found]:
    """The review's own findings on a structured plan (load_plan's are not repeated here)."""
    out: list[Found] = []
    for check in (_drafts, _ids_and_sources, _periods, _unfed_targets, _impossible_rules, _check_references,
                  _unused, _overlapping_classes):
        out.extend(check(plan))
    return out


def _collections(plan: Plan) -> Iterator[tuple[str, tuple]]:
    """Every collection of the plan whose elements have ids (read from the model)."""
    for field in attrs.fields(Plan):
        items = getattr(plan, field.name)
        if isinstance(items, tuple) and items and attrs.has(type(items[0])) and \
                hasattr(items[0], "id"):
            yield field.name, items


def _drafts(plan: Plan) -> Iterator[Found]:
    """Elements still marked ``draft = true``: nobody has confirmed them against the text."""
    for coll, items in _collections(plan):
        for i, item in enumerate(items):
            if getattr(item, "draft", False):
                yield (f"$.{coll}[{i}].draft", f"{_kind(coll)} {item.id!r} is a draft: confirm it against "
                       "the plan's text (its quote), then remove draft = true", "error", "drafts")


def _kind(coll: str) -> str:
    return {"agencies": "agency", "checks": "check"}.get(coll, coll.removesuffix("s"))


def _ids_and_sources(plan: Plan) -> Iterator[Found]:
    if not plan.source.strip():
        yield "$.source", "source is empty", "error", "sources"
    for coll, items in _collections(plan):
        counts = Counter(x.id for x in items)
        for i, item in enumerate(items):
            if item.id.startswith("national.") and coll in ("targets", "measures"):
                continue  # adopted from the national programme
            if counts[item.id] > 1:
                yield f"$.{coll}[{i}].id", f"duplicate id {item.id!r}", "error", "ids"
            for field in ("id", "name", "name_en", "source"):
                value = getattr(item, field, None)
                if isinstance(value, str) and not value.strip():
                    yield f"$.{coll}[{i}].{field}", f"{field} is empty", "error", "sources"
    for i, ob in enumerate(plan.obligations):
        for j, entry in enumerate(ob.schedule):
            if entry.source is not None and not entry.source.strip():
                yield f"$.obligations[{i}].schedule[{j}].source", "source is empty", "error", "sources"
    for i, rule in enumerate(plan.rules):
        for where, cond in _walk(rule.when, f"$.rules[{i}].when"):
            if cond.source is not None and not cond.source.strip():
                yield f"{where}.source", "source is empty", "error", "sources"


def _periods(plan: Plan) -> Iterator[Found]:
    """Periods named by targets and schedules must overlap the plan period.

    Only where the due date is inside the plan period: a due date outside it
    is already reported by load_plan, and one line per mistake is enough.
    """
    from plancheck.plans.calendar import Period, parse_deadline

    start, end = plan.period.start, plan.period.end

    def outside(text: str) -> Period | None:
        try:
            p = Period.parse(text)
        except ValueError:
            return None  # reported by load_plan
        return p if p.end < start or p.start > end else None

    def due_inside(phrase: str | None, default) -> bool:
        try:
            due = parse_deadline(phrase, start, end)[0].due if phrase else default
        except (ValueError, IndexError):
            return False  # reported by load_plan
        return start <= due <= end

    span = f"{start.isoformat()}..{end.isoformat()}"
    for i, t in enumerate(plan.targets):
        p = outside(t.period) if t.period is not None else None
        if p is not None and due_inside(t.deadline, p.end):
            yield (f"$.targets[{i}].period", f"period {t.period} is outside the plan period {span}",
                   "error", "periods")
    for i, ob in enumerate(plan.obligations):
        for j, entry in enumerate(ob.schedule):
            p = outside(entry.period)
            if p is not None and due_inside(entry.deadline, p.end):
                yield (f"$.obligations[{i}].schedule[{j}].period",
                       f"period {entry.period} is outside the plan period {span}", "error", "periods")


# -- targets the form can never feed ---------------------------------------------

def _outside(plan: Plan, text: str) -> bool:
    from plancheck.plans.calendar import Period

    try:
        p = Period.parse(text)
    except ValueError:
        return True  # not a period: load_plan says so
    return p.end < plan.period.start or p.start > plan.period.end


def _target_path(plan: Plan, i: int, t: Target) -> str:
    if t.id.startswith("national.") and plan.adopts is not None:
        code = t.id.removeprefix("national.")
        if code in plan.adopts.include:
            return f"$.adopts.include[{plan.adopts.include.index(code)}]"
    return f"$.targets[{i}]"


def _target_measures(plan: Plan, t: Target) -> list[str]:
    if t.kind in ("class_count", "in_class"):
        rule = next((r for r in plan.rules if r.id == t.rule), None)
        return _condition_measures(rule.when) if rule else []
    return [x for x in (t.measure, t.numerator, t.denominator) if x]


def _unfed_targets(plan: Plan) -> Iterator[Found]:
    measures = {m.id: m for m in plan.measures}
    units = {u.id for u in plan.units}
    rules = {r.id for r in plan.rules}
    for i, t in enumerate(plan.targets):
        where = _target_path(plan, i, t)
        names = _target_measures(plan, t)
        if any(n not in measures for n in names) or any(u not in units for u in t.units) or \
                (t.within is not None and t.within not in units) or (t.rule is not None and t.rule not in rules):
            continue  # an unknown reference: load_plan says so
        if t.period is not None and _outside(plan, t.period):
            continue  # a period outside the plan: reported as such
        blind = [n for n in names if measures[n].derived and not measures[n].inputs]
        if blind:
            yield where, (
                f"target {t.id!r} can never be fed: measure {blind[0]!r} is derived but declares "
                "no inputs, so no form row asks for what it is computed from"
            ), "error", "unfed"
            continue
        try:
            found = _form_feeds(plan, t)
        except Exception:
            continue  # a broken reference: load_plan says so
        if found is not None:
            yield where, found, "error", "unfed"


def _form_feeds(plan: Plan, t: Target) -> str | None:
    """Why the form can never (fully) feed ``t``, or None when every row it asks for can be filled."""
    from plancheck.data.forms import COLUMNS, form_rows, read_rows
    from plancheck.errors import Problem as FormProblem

    alone = attrs.evolve(plan, targets=(t,), tasks=(), obligations=())
    rows = form_rows(alone)
    if not rows:
        return f"target {t.id!r} can never be fed: {_why_no_rows(plan, t)}"
    value = COLUMNS.index("value")
    filled = []
    for n, row in enumerate(rows, start=2):
        cells = row.as_csv()
        cells[value] = "1"
        filled.append((n, cells))
    try:
        read_rows("form", list(COLUMNS), filled, {(plan.province, plan.id): alone}, plan.period.end)
    except InputError as exc:
        refused: dict[int, str] = {}
        for p in exc.problems:
            if isinstance(p, FormProblem) and p.row is not None:
                refused.setdefault(p.row, f"{p.column}: {p.value!r}: {p.problem}")
        if not refused:
            return None
        first = min(refused)
        r = rows[first - 2]
        example = f"{r.item} for {r.unit or 'the province'} {r.period}: {refused[first]}"
        if len(refused) == len(rows):
            return f"target {t.id!r} can never be fed: ingest refuses every form row it needs, e.g. {example}"
        return (f"target {t.id!r} can never be fully fed: ingest refuses {len(refused)} of the "
                f"{len(rows)} form rows it needs, e.g. {example}")
    return None


def _why_no_rows(plan: Plan, t: Target) -> str:
    rule = next((r for r in plan.rules if r.id == t.rule), None)
    if t.kind in ("class_count", "in_class") and rule is not None:
        if not _target_measures(plan, t):
            return f"rule {rule.id!r} names no measure"
        level = rule.level
        if t.scope == "units":
            return "its scope lists no units"
        if t.within:
            return f"no unit of level {level!r} lies under {t.within!r}"
        return f"no unit of level {level!r} is defined (its rule {rule.id!r} classifies {level} units)"
    if t.scope in ("each_district", "each_commune"):
        level = t.scope.removeprefix("each_")
        return f"its scope is {t.scope}, but no unit of level {level!r} is defined"
    if t.scope == "province":
        return "its scope is the province, but no unit of level 'province' is defined"
    return "the form asks for nothing for it"


# -- rules that can never be true --------------------------------------------------

Interval = tuple[float, bool, float, bool]  # (low, low open, high, high open)
_ALL: Interval = (-math.inf, True, math.inf, True)


def _walk(cond: Condition, where: str) -> Iterator[tuple[str, Condition]]:
    yield where, cond
    for form in ("all", "any"):
        for j, sub in enumerate(getattr(cond, form) or ()):
            yield from _walk(sub, f"{where}.{form}[{j}]")


def _bound(op: str, v: float) -> Interval:
    return {
        ">=": (v, False, math.inf, True), ">": (v, True, math.inf, True),
        "<=": (-math.inf, True, v, False), "<": (-math.inf, True, v, True),
        "==": (v, False, v, False),
    }[op]


def _meet(a: Interval, b: Interval) -> Interval:
    lo, lo_open = max((a[0], a[1]), (b[0], b[1]), key=lambda x: (x[0], x[1]))
    hi, hi_open = min((a[2], not a[3]), (b[2], not b[3]), key=lambda x: (x[0], x[1]))
    return lo, lo_open, hi, not hi_open


def _empty(iv: Interval, whole: bool) -> bool:
    lo, lo_open, hi, hi_open = iv
    if whole:
        first = lo if math.isinf(lo) else (math.floor(lo) + 1 if lo_open else math.ceil(lo))
        last = hi if math.isinf(hi) else (math.ceil(hi) - 1 if hi_open else math.floor(hi))
        return first > last
    return lo > hi or (lo == hi and (lo_open or hi_open))


class _Domain:
    """What values a measure or ratio can take once ingest has accepted them."""

    def __init__(self, plan: Plan) -> None:
        self.units = {m.id: m.unit for m in plan.measures}

    def of(self, cond: Condition) -> tuple[str, Interval, bool, str] | None:
        """(label, possible values, whole numbers?, why) of a leaf condition; None if unknown."""
        if cond.measure is not None:
            unit = self.units.get(cond.measure)
            if unit is None:
                return None
            from plancheck.plans.quantity import kind_of  # what ingest lets a value be (issue 21)

            kind = kind_of(unit)
            return (cond.measure, (0.0, False, 100.0 if kind == "share" else math.inf, kind != "share"),
                    kind == "count", f"{cond.measure} is a {kind} and never negative")
        if cond.ratio is not None:
            num, den = cond.ratio
            if num not in self.units or den not in self.units:
                return None
            return (f"ratio {num}/{den}", (0.0, False, 100.0, False), False,
                    "a ratio is between 0 and 100% (ingest refuses a numerator above its denominator)")
        return None


def _text(label: str, op: str, v: float) -> str:
    return f"{label} {op} {v:g}"


def _conjuncts(cond: Condition, where: str) -> Iterator[tuple[str, Condition]]:
    """The members of an ``all`` group, nested ``all`` groups flattened into it."""
    for j, sub in enumerate(cond.all or ()):
        sub_where = f"{where}.all[{j}]"
        if sub.all is not None:
            yield from _conjuncts(sub, sub_where)
        else:
            yield sub_where, sub


def _never(cond: Condition, where: str, dom: _Domain) -> list[tuple[str, str]]:
    """Why ``cond`` can never be true, as (path, reason) pairs; [] when it can be."""
    if cond.all is not None:
        bounds: dict[str, list[Condition]] = {}
        for sub_where, sub in _conjuncts(cond, where):
            found = _never(sub, sub_where, dom)
            if found:
                return found
            d = dom.of(sub)
            if d is not None and sub.op is not None and sub.value is not None:
                bounds.setdefault(d[0], []).append(sub)
        for label, conds in bounds.items():
            if len(conds) < 2:
                continue
            d = dom.of(conds[0])
            assert d is not None
            iv, whole = d[1], d[2]
            for c in conds:
                iv = _meet(iv, _bound(c.op or "==", c.value or 0.0))
            if _empty(iv, whole):
                said = " and ".join(_text(label, c.op or "", c.value or 0.0) for c in conds)
                tail = f" ({label} is a whole number)" if not _empty(iv, False) else ""
                return [(where, f"{said} cannot both hold{tail}")]
        return []
    if cond.any is not None:
        causes = []
        for j, sub in enumerate(cond.any):
            found = _never(sub, f"{where}.any[{j}]", dom)
            if not found:
                return []
            causes.extend(found)
        return causes
    return _leaf_never(cond, where, dom)


def _leaf_never(cond: Condition, where: str, dom: _Domain) -> list[tuple[str, str]]:
    if cond.all is not None or cond.any is not None or cond.op is None or cond.value is None:
        return []
    d = dom.of(cond)
    if d is None:
        return []
    label, iv, whole, why = d
    meet = _meet(iv, _bound(cond.op, cond.value))
    if _empty(meet, False):
        return [(where, f"{_text(label, cond.op, cond.value)}, but {why}")]
    if _empty(meet, whole):
        return [(where, f"{_text(label, cond.op, cond.value)}, but {label} is a whole number")]
    return []


def _dead_branches(cond: Condition, where: str, dom: _Domain) -> Iterator[tuple[str, str]]:
    """Branches of ``any`` groups that can never be true (the group itself can be)."""
    for form in ("all", "any"):
        for j, sub in enumerate(getattr(cond, form) or ()):
            sub_where = f"{where}.{form}[{j}]"
            if form == "any":
                found = _never(sub, sub_where, dom)
                if found:
                    yield found[0]
                    continue
            yield from _dead_branches(sub, sub_where, dom)


def _impossible_rules(plan: Plan) -> Iterator[Found]:
    dom = _Domain(plan)
    for i, rule in enumerate(plan.rules):
        where = f"$.rules[{i}].when"
        causes = _never(rule.when, where, dom)
        if causes:
            for path, why in causes:
                yield path, f"rule {rule.id!r} can never be true: {why}", "error", "rules"
            continue
        for path, why in _dead_branches(rule.when, where, dom):
            yield (path, f"rule {rule.id!r}: this branch of 'any' can never be true: {why}",
                   "warning", "rules")


# -- data-consistency checks --------------------------------------------------------

def _check_references(plan: Plan) -> Iterator[Found]:
    """``[[checks]]``: measures and rules they name exist; each has one form."""
    measures = {m.id: m for m in plan.measures}
    rules = {r.id: r for r in plan.rules}
    for i, c in enumerate(getattr(plan, "checks", ())):
        base = f"$.checks[{i}]"
        left, right, value = getattr(c, "left", None), getattr(c, "right", None), getattr(c, "value", None)
        exclusive = getattr(c, "exclusive", ())
        for field, name in (("left", left), ("right", right)):
            if name is not None and name not in measures:
                yield f"{base}.{field}", f"unknown measure {name!r}", "error", "checks"
        for j, name in enumerate(exclusive):
            if name not in rules:
                yield f"{base}.exclusive[{j}]", f"unknown rule {name!r}", "error", "checks"
        if exclusive:
            if left is not None or right is not None or value is not None:
                yield base, "give either exclusive or left/op/right (or value), not both", "error", "checks"
            elif len(exclusive) < 2:
                yield f"{base}.exclusive", "exclusive needs at least two rules", "error", "checks"
            elif len({rules[n].level for n in exclusive if n in rules}) > 1:
                yield (f"{base}.exclusive", "the rules classify units of different levels, so no unit "
                       "can be tested against all of them", "error", "checks")
            continue
        if left is None or getattr(c, "op", None) is None or (right is None) == (value is None):
            yield base, "a check needs left and op with either right or value, or exclusive", "error", "checks"
        elif right is not None and left in measures and right in measures:
            a, b = measures[left], measures[right]
            if (a.level, a.period_type) != (b.level, b.period_type):
                yield (f"{base}.right", f"{left} is reported per {a.level} and {a.period_type} period, "
                       f"{right} per {b.level} and {b.period_type} period: they are never compared",
                       "error", "checks")


# -- elements nothing uses -------------------------------------------------------

def _used_agencies(plan: Plan) -> set[str]:
    used: set[str] = set()
    for p in plan.projects:
        used.add(p.lead)
        used.update(p.coordinators)
    for t in plan.tasks:
        used.update(t.agencies)
        used.update(t.coordinators)
    for ob in plan.obligations:
        used.update(ob.agencies)
        used.update(ob.recipient)
    used.update(t.agency for t in plan.targets if t.agency)
    return used


def _asked_measures(plan: Plan) -> set[str]:
    """Measures some target asks for: directly, through its rule, or as inputs of a derived one."""
    measures = {m.id: m for m in plan.measures}
    asked: set[str] = set()
    for t in plan.targets:
        for name in _target_measures(plan, t):
            asked.add(name)
            m = measures.get(name)
            if m is not None and m.derived:
                asked.update(m.inputs)
    return asked


def _used_rules(plan: Plan) -> set[str]:
    used = {t.rule for t in plan.targets if t.rule}
    for c in getattr(plan, "checks", ()):
        used.update(getattr(c, "exclusive", ()))
    return used


def _unused(plan: Plan) -> Iterator[Found]:
    agencies = _used_agencies(plan)
    for i, a in enumerate(plan.agencies):
        if a.id not in agencies:
            yield (f"$.agencies[{i}]", f"agency {a.id!r} is defined but no task, obligation, "
                   "project or target names it", "warning", "unused")
    from plancheck.data.forms import form_rows

    # What the form asks for is what form_rows makes: one definition, not a second copy.
    asked = {r.item for r in form_rows(plan) if r.kind == "measure"}
    asked |= {m.id for m in plan.measures if m.derived}
    needed_by = _measure_users(plan)
    used_rules = _used_rules(plan)
    for i, m in enumerate(plan.measures):
        users = needed_by.get(m.id, [])
        if not users:
            yield (f"$.measures[{i}]", f"measure {m.id!r} is defined but used by nothing: no target, rule, "
                   "check or derived measure names it (remove it, or encode what the plan uses it for)",
                   "error", "unused")
        elif m.id not in asked and users and all(u.startswith("rule ") and u[5:] not in used_rules
                                                  for u in users if not u.startswith("measure ")):
            # Only rules nothing uses need it (a used rule whose target cannot be fed is reported as such).
            rules_ = ", ".join(u for u in users if u.startswith("rule "))
            yield (f"$.measures[{i}]", f"measure {m.id!r} is needed by {rules_} but is on no reporting "
                   "form, so it is never reported and the rule is never applied as the plan says: have a "
                   "target or an exclusive check use the rule", "error", "unused")
        elif m.id not in asked:
            yield (f"$.measures[{i}]", f"measure {m.id!r} is not on the reporting form: no target asks for it "
                   "(directly, through a rule, or as an input of a derived measure)", "warning", "unused")
    by_id = {r.id: r for r in plan.rules}
    known = {m.id for m in plan.measures}
    for i, c in enumerate(getattr(plan, "checks", ())):
        needs = [x for x in (getattr(c, "left", None), getattr(c, "right", None)) if x]
        for name in getattr(c, "exclusive", ()):
            if name in by_id:
                needs.extend(_condition_measures(by_id[name].when))
        missing = [m for m in dict.fromkeys(needs) if m in known and m not in asked]
        if missing:
            yield (f"$.checks[{i}]", f"check {c.id!r} needs measures that are not on the reporting "
                   f"form, so it is never made from form data: {', '.join(missing)}", "warning", "unused")
    rules = _used_rules(plan)
    for i, r in enumerate(plan.rules):
        if r.id not in rules:
            yield (f"$.rules[{i}]", f"rule {r.id!r} is defined but used by nothing: no target or check uses "
                   "it, so no unit is ever classified by it (have a target or an exclusive check use it, or "
                   "remove it)", "error", "unused")


def _measure_users(plan: Plan) -> dict[str, list[str]]:
    """For each measure, the targets, rules, checks and derived measures that name it."""
    out: dict[str, list[str]] = {}

    def add(name: str | None, user: str) -> None:
        if name and user not in out.setdefault(name, []):
            out[name].append(user)

    for t in plan.targets:
        for name in (t.measure, t.numerator, t.denominator):
            add(name, f"target {t.id}")
    for r in plan.rules:
        for name in _condition_measures(r.when):
            add(name, f"rule {r.id}")
    for c in getattr(plan, "checks", ()):
        for name in (getattr(c, "left", None), getattr(c, "right", None)):
            add(name, f"check {c.id}")
    for m in plan.measures:
        for name in m.inputs:
            add(name, f"measure {m.id}")
    return out


def _overlapping_classes(plan: Plan) -> Iterator[Found]:
    """Exclusive checks whose classes one unit's data can satisfy together."""
    from plancheck.authoring.classes import overlaps

    try:
        found = list(overlaps(plan))
    except (KeyError, ValueError, TypeError):
        return  # a broken reference: load_plan says so
    for o in found:
        yield o.path, o.message(), "error", "checks"


# -- a province -------------------------------------------------------------------

def review_province(registry, province: str, *, today: date) -> Review | None:
    """Review every plan file a province's plugin registered, and its examples.

    None when no installed plugin is called ``province``. A plugin that failed
    to load or register (an unsupported API version, say) is one problem.
    """
    failure = registry.failure_for(province) or next(
        (f for f in registry.failures if f.distribution in (province, f"plancheck-{province.replace('_', '-')}")),
        None)
    if failure is not None:
        return Review((), (Problem(failure.distribution, f"plugin {failure.plugin!r} failed to load: "
                                   f"{failure.reason}", None, "error", "plugin"),))
    sources = registry.provinces().get(province)
    if not sources:
        return None
    files, problems = [], []
    plans = {}
    for src in sources:
        name = str(src.path)
        files.append(name)
        found = review_file(src.path)
        problems.extend(found)
        if any(p.severity == "error" for p in found):
            continue
        plan = _loaded(src.path)
        if plan.province != province:
            problems.append(Problem(name, f"province is {plan.province!r} but plugin {src.plugin!r} "
                                    f"registered it for {province!r}", "$.province", "error", "plugin"))
            continue
        if plan.province_name != src.province_name:
            problems.append(Problem(name, f"province_name is {plan.province_name!r} but the plugin "
                                    f"registers {src.province_name!r}", "$.province_name", "warning",
                                    "plugin"))
        plans[(plan.province, plan.id)] = plan
    if plans and len(plans) == len(sources):
        problems.extend(_example_problems(sources, plans, today))
    return Review(tuple(files), tuple(problems))


def _loaded(path: Path) -> Plan:
    from plancheck.plans.planfile import load_plan

    return load_plan(path)


def _example_problems(sources, plans, today: date) -> list[Problem]:
    """Every problem ``ingest`` finds in the example forms the plugin ships."""
    from plancheck.data.workbook import read_form_bytes
    from plancheck.errors import Problem as FormProblem

    out = []
    for src in sources:
        for example in src.examples:
            try:
                read_form_bytes(example, example.read_bytes(), plans, today)
            except FileNotFoundError:
                out.append(Problem(str(example), "example form not found", None, "error", "examples"))
            except InputError as exc:
                for line in exc.problems:
                    if isinstance(line, FormProblem):  # where it is, as ingest names it
                        shown = "" if line.value is None else f"{line.value!r}: "
                        out.append(Problem(line.where(), shown + line.words(), None, "error", "examples"))
                        continue
                    m = re.match(r"^(.*?:\d+): (.*)$", line)
                    file, message = (m[1], m[2]) if m else (str(example), line.removeprefix(f"{example}: "))
                    out.append(Problem(file, message, None, "error", "examples"))
    return out
