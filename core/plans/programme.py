"""National programme templates, and how a provincial plan builds on one.

A programme (e.g. Decision 1452/QĐ-TTg, 2021–2025) is data: a TOML file in
``plancheck/plans/programmes/`` with canonical indicators, each with a code, names,
a unit, a direction and its national threshold. A later programme is another
file; nothing here knows any one of them.

:func:`adopt` applies a plan's ``[adopts]`` table: every included indicator
that no target restates becomes a target of the plan (with the national
threshold, judged each year of the plan), and the programme's measures it
needs are added to the plan.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files

import attrs

from plancheck.errors import InputError
from plancheck.plans.converter import make_converter, structure_errors
from plancheck.plans.model import Plan, Programme, Target


@cache
def programmes() -> dict[str, Programme]:
    """Every programme template shipped with core, by id."""
    out = {}
    for entry in sorted(files("plancheck.plans").joinpath("programmes").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        name = f"plancheck/plans/programmes/{entry.name}"
        try:
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            prog = make_converter().structure(data, Programme)
        except tomllib.TOMLDecodeError as exc:
            raise InputError([f"{name}: not valid TOML: {exc}"]) from None
        except Exception as exc:
            raise InputError(structure_errors(exc, prefix=name)) from None
        out[prog.id] = prog
    return out


def get_programme(programme_id: str) -> Programme | None:
    return programmes().get(programme_id)


def adopt(plan: Plan) -> Plan:
    """The plan with the national indicators it includes turned into targets."""
    if plan.adopts is None or not plan.adopts.include:
        return plan
    prog = get_programme(plan.adopts.programme)
    if prog is None:
        return plan  # reported by the check pass
    restated = {t.national for t in plan.targets if t.national}
    indicators = {i.code: i for i in prog.indicators}
    have = {m.id for m in plan.measures}
    new_targets: list[Target] = []
    new_measures = []
    for code in plan.adopts.include:
        ind = indicators.get(code)
        if ind is None or code in restated:
            continue
        new_targets.append(Target(
            id=f"national.{code}", name=ind.name, name_en=ind.name_en, kind=ind.kind,
            measure=ind.measure, numerator=ind.numerator, denominator=ind.denominator,
            comparator=ind.comparator, threshold=ind.threshold, scope="province",
            recurrence="annual", national=code,
            source=f"{plan.adopts.source or 'adopts'}; {prog.document}, {ind.source}",
            assumed="adopted from the national programme; the plan does not restate it",
        ))
        for mid in (ind.measure, ind.numerator, ind.denominator):
            if mid and mid not in have:
                new_measures.append(next(m for m in prog.measures if m.id == mid))
                have.add(mid)
    return attrs.evolve(plan, targets=plan.targets + tuple(new_targets),
                        measures=plan.measures + tuple(new_measures))


def national_problems(plan: Plan) -> list[tuple[str, str]]:
    """(path, message) for national codes or programmes that do not exist."""
    out: list[tuple[str, str]] = []
    codes_used = [(f"$.targets[{i}].national", t.national) for i, t in enumerate(plan.targets) if t.national]
    if plan.adopts is None:
        for where, _ in codes_used:
            out.append((where, "a target names a national indicator, but the plan adopts no programme "
                               "([adopts] programme = ...)"))
        return out
    prog = get_programme(plan.adopts.programme)
    if prog is None:
        known = ", ".join(programmes())
        return [("$.adopts.programme", f"unknown programme {plan.adopts.programme!r}; known: {known}")]
    codes = {i.code for i in prog.indicators}
    for field in ("include", "skip"):
        for j, code in enumerate(getattr(plan.adopts, field)):
            if code not in codes:
                out.append((f"$.adopts.{field}[{j}]", f"unknown indicator {code!r} in programme {prog.id}"))
    for where, code in codes_used:
        if code not in codes:
            out.append((where, f"unknown indicator {code!r} in programme {prog.id}"))
    return out
