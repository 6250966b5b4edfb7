"""Can two classes the plan defines as exclusive both hold? A search for one unit's data that puts it in both.

An exclusive check (``[[checks]] exclusive = ["drug_free", "key_complex"]``)
says no unit is in two of its classes in one period. When the rules'
conditions allow it anyway, judging will count one commune as drug-free and
as a key complex commune at once, so ``plancheck plugin check`` reports it as
an error, with the data that would do it.

The search: each rule's condition is written as alternatives of plain
comparisons (disjunctive normal form). For each pair of alternatives, one
from each rule, a value is sought for every measure named, within what
ingest accepts (counts whole and not negative, shares 0-100, amounts not
negative, a ratio's part not above its whole) and the plan's own consistency
checks. Values found are confirmed by evaluating both rules on them with the
evaluation judging uses (:func:`plancheck.judge.verdicts.condition_holds`),
so a reported overlap is real. Derived measures are free variables here (a
plugin's code is not run), and a search that finds nothing is not a proof:
only an overlap found is reported.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import TypeAlias

import attrs

from plancheck.plans.model import Condition, Plan, Rule

#: Alternatives of a rule beyond this many are not searched (a rule that large is reported as such).
MAX_ALTERNATIVES = 4096
#: Candidate assignments tried per pair of alternatives.
MAX_STEPS = 200_000

Leaf: TypeAlias = Condition
_OPS = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
        "<": lambda a, b: a < b, "==": lambda a, b: a == b}


@attrs.frozen
class Overlap:
    """Two rules of an exclusive check that one unit's data can satisfy together, and that data."""

    check: str
    path: str
    first: str
    second: str
    values: tuple[tuple[str, float], ...]

    def message(self) -> str:
        shown = ", ".join(f"{m} = {_fmt(x)}" for m, x in self.values if x) or "nothing but zeros"
        return (f"check {self.check!r} says a unit cannot be both {self.first!r} and {self.second!r}, "
                f"but both rules hold for a unit reporting {shown} (every other measure of the two "
                "rules 0): tighten a rule as the plan's text says, or drop the check if the plan does "
                "not make the classes exclusive")


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def alternatives(cond: Condition) -> list[list[Leaf]] | None:
    """The condition as alternatives of plain comparisons; None if there would be too many."""
    if cond.all is not None:
        out: list[list[Leaf]] = [[]]
        for sub in cond.all:
            alts = alternatives(sub)
            if alts is None:
                return None
            out = [a + b for a in out for b in alts]
            if len(out) > MAX_ALTERNATIVES:
                return None
        return out
    if cond.any is not None:
        res: list[list[Leaf]] = []
        for sub in cond.any:
            alts = alternatives(sub)
            if alts is None:
                return None
            res += alts
            if len(res) > MAX_ALTERNATIVES:
                return None
        return res
    return [[cond]]


class _Space:
    """What values each measure can take, and the constraints between measures ingest and the plan impose."""

    def __init__(self, plan: Plan) -> None:
        from plancheck.judge.verdicts import ratio_pairs
        from plancheck.plans.quantity import kind_of

        self.kinds = {m.id: kind_of(m.unit) for m in plan.measures}
        # A ratio's part is never above its whole (ingest refuses it); the plan's own checks.
        self.pairs: list[tuple[str, str, str, float | None]] = [
            (part, "<=", whole, None) for part, whole, _ in ratio_pairs(plan)]
        for c in plan.checks:
            if c.left and c.op and (c.right or c.value is not None):
                self.pairs.append((c.left, c.op, c.right or "", c.value if not c.right else None))

    def interval(self, measure: str) -> tuple[float, float, bool]:
        kind = self.kinds.get(measure, "amount")
        return (0.0, 100.0 if kind == "share" else math.inf, kind == "count")


def _leaf_measures(leaf: Leaf) -> list[str]:
    return [leaf.measure] if leaf.measure else list(leaf.ratio or ())


def _bounds(space: _Space, leaves: list[Leaf]) -> dict[str, list[float]] | None:
    """Candidate values of each measure the leaves name, meeting the leaves on one measure; None if one has none."""
    names = list(dict.fromkeys(m for leaf in leaves for m in _leaf_measures(leaf)))
    for part, _, other, _ in space.pairs:
        if part in names and other and other not in names:
            names.append(other)
    out: dict[str, list[float]] = {}
    ratio_values = [leaf.value for leaf in leaves if leaf.ratio is not None and leaf.value is not None]
    for name in names:
        lo, hi, integral = space.interval(name)
        own = [leaf for leaf in leaves if leaf.measure == name and leaf.op and leaf.value is not None]
        points = {0.0, 1.0, 2.0, 10.0, 20.0, 100.0, 1000.0, 10000.0}
        for leaf in own:
            v = float(leaf.value or 0)
            points |= {v, v - 1, v + 1, v - 0.5, v + 0.5, math.floor(v), math.ceil(v)}
        for v in ratio_values:  # parts that give the ratios asked for, over the wholes above
            for d in (1.0, 10.0, 100.0, 1000.0, 10000.0):
                x = (v or 0) * d / 100
                points |= {x, math.floor(x), math.ceil(x), math.ceil(x) + 1, max(math.floor(x) - 1, 0)}
        ok = sorted(x for x in points
                    if lo <= x <= hi and (not integral or float(x).is_integer())
                    and all(_OPS[leaf.op or "=="](x, float(leaf.value or 0)) for leaf in own))
        if not ok:
            return None
        out[name] = ok
    return out


def _consistent(space: _Space, values: dict[str, float]) -> bool:
    for left, op, right, value in space.pairs:
        a = values.get(left)
        b = value if value is not None else values.get(right)
        if a is not None and b is not None and not _OPS[op](a, b):
            return False
    return True


def _leaf_ok(leaf: Leaf, values: dict[str, float]) -> bool | None:
    if leaf.measure is not None:
        x = values.get(leaf.measure)
        return None if x is None else _OPS[leaf.op or "=="](x, float(leaf.value or 0))
    num, den = leaf.ratio or ("", "")
    a, b = values.get(num), values.get(den)
    if a is None or b is None:
        return None
    pct = (100.0 if a == 0 else None) if b == 0 else a / b * 100
    return pct is not None and _OPS[leaf.op or "=="](pct, float(leaf.value or 0))


def witness(space: _Space, leaves: list[Leaf]) -> dict[str, float] | None:
    """Values meeting every leaf and the space's constraints, or None if the search finds none."""
    cands = _bounds(space, leaves)
    if cands is None:
        return None
    names = sorted(cands, key=lambda n: len(cands[n]))
    # Only leaves and constraints that tie measures together need a joint search; order by them.
    order: list[str] = []
    for name in names:
        if name not in order:
            order.append(name)
    values: dict[str, float] = {}
    steps = 0

    def ready(leaf_names: list[str]) -> bool:
        return all(n in values for n in leaf_names)

    def fine() -> bool:
        for leaf in leaves:
            if ready(_leaf_measures(leaf)) and _leaf_ok(leaf, values) is False:
                return False
        return _consistent(space, values)

    def search(i: int) -> bool:
        nonlocal steps
        if i == len(order):
            return all(_leaf_ok(leaf, values) for leaf in leaves)
        name = order[i]
        for x in cands[name]:
            steps += 1
            if steps > MAX_STEPS:
                return False
            values[name] = x
            if fine() and search(i + 1):
                return True
            del values[name]
        return False

    return dict(values) if search(0) else None


def overlaps(plan: Plan) -> Iterator[Overlap]:
    """Every exclusive check two of whose rules one unit's data can satisfy together (one example each)."""
    from plancheck.judge.verdicts import condition_holds

    rules = {r.id: r for r in plan.rules}
    space = _Space(plan)
    for i, check in enumerate(plan.checks):
        named = [rules[r] for r in check.exclusive if r in rules]
        for a, b in itertools.combinations(named, 2):
            found = _overlap(space, a, b, condition_holds)
            if found is not None:
                yield Overlap(check.id, f"$.checks[{i}].exclusive", a.id, b.id, found)


def _overlap(space: _Space, a: Rule, b: Rule, holds) -> tuple[tuple[str, float], ...] | None:
    alts_a, alts_b = alternatives(a.when), alternatives(b.when)
    if alts_a is None or alts_b is None:
        return None
    every = {m for r in (a, b) for m in _all_measures(r.when)}
    for left in alts_a:
        for right in alts_b:
            found = witness(space, left + right)
            if found is None:
                continue
            full = {m: found.get(m, 0.0) for m in every} | found
            if not _consistent(space, full):
                continue
            if holds(a.when, full) is True and holds(b.when, full) is True:
                return tuple(sorted(found.items()))
    return None


def _all_measures(cond: Condition) -> list[str]:
    out = [cond.measure] if cond.measure else list(cond.ratio or ())
    for sub in (cond.all or ()) + (cond.any or ()):
        out += _all_measures(sub)
    return out
