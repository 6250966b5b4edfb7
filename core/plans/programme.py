"""National programme templates, and how a provincial plan builds on one.

A programme (e.g. Decision 1452/QĐ-TTg, 2021–2025) is data: a TOML file in
``plancheck/plans/programmes/`` with canonical indicators, each with a code, names,
a unit, a direction and its national threshold. A later programme is another
file; nothing here knows any one of them.

:func:`adopt` applies a plan's ``[adopts]`` table: every included indicator
that no target restates becomes a target of the plan (with the national
threshold, judged each year of the plan), and the programme's measures it
needs are added to the plan. ``[[adoptions]]`` name the targets of a plan that
serve the indicators of other programmes (a 2024 plan's drug-free communes on
the programme to 2030): :func:`national_targets` gives them for a comparison.
"""

from __future__ import annotations

import tomllib
from datetime import date
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
        if ind is None or code in restated or ind.roadmap:
            continue
        # An indicator due by a day (by 2030) is judged that year; the others each year of the plan.
        when = {"period": str(ind.by.year)} if ind.by else {"recurrence": "annual"}
        new_targets.append(Target(
            id=f"national.{code}", name=ind.name, name_en=ind.name_en, kind=ind.kind,
            measure=ind.measure, numerator=ind.numerator, denominator=ind.denominator,
            comparator=ind.comparator, threshold=ind.threshold, scope="province",
            national=code, **when,
            source=f"{plan.adopts.source or 'adopts'}; {prog.document}, {ind.source}",
            assumed="adopted from the national programme; the plan does not restate it",
        ))
        for mid in (ind.measure, ind.numerator, ind.denominator):
            if mid and mid not in have:
                new_measures.append(next(m for m in prog.measures if m.id == mid))
                have.add(mid)
    return attrs.evolve(plan, targets=plan.targets + tuple(new_targets),
                        measures=plan.measures + tuple(new_measures))


def national_targets(plan: Plan, programme_id: str) -> list[tuple[Target, str, str]]:
    """(target, indicator code, how) for every target of ``plan`` that serves an indicator of the
    programme: ``included`` or ``restated`` under ``[adopts]``, ``mapped`` under ``[[adoptions]]``."""
    out: list[tuple[Target, str, str]] = []
    if plan.adopts is not None and plan.adopts.programme == programme_id:
        out += [(t, t.national, "included" if t.id.startswith("national.") else "restated")
                for t in plan.targets if t.national]
    targets = {t.id: t for t in plan.targets}
    for a in plan.adoptions:
        if a.programme == programme_id:
            out += [(targets[m.target], m.indicator, "mapped") for m in a.maps if m.target in targets]
    return out


def national_target_ids(plan: Plan) -> set[str]:
    """Ids of the targets that serve an indicator of any programme (the findings a comparison shows)."""
    ids = {t.id for t in plan.targets if t.national}
    return ids | {m.target for a in plan.adoptions for m in a.maps}


def skips(plan: Plan, programme_id: str, code: str) -> bool:
    """Whether the plan says it leaves indicator ``code`` of the programme out."""
    return any(a.programme == programme_id and code in a.skip
               for a in ((plan.adopts,) if plan.adopts else ()) + plan.adoptions)


#: Target kinds that can stand for an indicator of each kind (a count of units "53 of 161" is a share).
_MAPPABLE = {"ratio": ("ratio", "class_count"), "growth": ("growth",), "value": ("value",),
             "change": ("change",), "class_count": ("class_count",), "in_class": ("in_class",)}


def _adoptions_problems(plan: Plan) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    targets = {t.id: t for t in plan.targets}
    seen = {plan.adopts.programme} if plan.adopts else set()
    for i, a in enumerate(plan.adoptions):
        where = f"$.adoptions[{i}]"
        prog = get_programme(a.programme)
        if prog is None:
            out.append((f"{where}.programme", f"unknown programme {a.programme!r}; known: {', '.join(programmes())}"))
            continue
        if a.programme in seen:
            out.append((f"{where}.programme", f"programme {a.programme!r} is adopted twice; map its targets in one "
                                              "place"))
        seen.add(a.programme)
        if a.include:
            out.append((f"{where}.include", "[[adoptions]] maps targets the plan already has (maps = [...]); "
                                            "a programme whose indicators the plan takes over goes in [adopts]"))
        indicators = {ind.code: ind for ind in prog.indicators}
        for j, code in enumerate(a.skip):
            if code not in indicators:
                out.append((f"{where}.skip[{j}]", f"unknown indicator {code!r} in programme {prog.id}"))
        for j, m in enumerate(a.maps):
            ind, t = indicators.get(m.indicator), targets.get(m.target)
            if ind is None:
                out.append((f"{where}.maps[{j}].indicator",
                            f"unknown indicator {m.indicator!r} in programme {prog.id}"))
            if t is None:
                out.append((f"{where}.maps[{j}].target", f"unknown target {m.target!r}"))
            if ind is None or t is None:
                continue
            if t.kind not in _MAPPABLE[ind.kind] or (t.kind == "class_count" and not t.of):
                out.append((f"{where}.maps[{j}]",
                            f"target {t.id!r} ({t.kind}) cannot stand for indicator {ind.code!r} ({ind.kind})"
                            + ("; a count of units stands for a share only with its total (of = ...)"
                               if t.kind == "class_count" else "")))
    return out


def national_problems(plan: Plan) -> list[tuple[str, str]]:
    """(path, message) for national codes or programmes that do not exist."""
    out: list[tuple[str, str]] = _adoptions_problems(plan)
    codes_used = [(f"$.targets[{i}].national", t.national) for i, t in enumerate(plan.targets) if t.national]
    if plan.adopts is None:
        for where, _ in codes_used:
            out.append((where, "a target names a national indicator, but the plan adopts no programme "
                               "([adopts] programme = ...)"))
        return out
    prog = get_programme(plan.adopts.programme)
    if prog is None:
        known = ", ".join(programmes())
        return out + [("$.adopts.programme", f"unknown programme {plan.adopts.programme!r}; known: {known}")]
    codes = {i.code for i in prog.indicators}
    for field in ("include", "skip"):
        for j, code in enumerate(getattr(plan.adopts, field)):
            if code not in codes:
                out.append((f"$.adopts.{field}[{j}]", f"unknown indicator {code!r} in programme {prog.id}"))
    by_code = {i.code: i for i in prog.indicators}
    for j, code in enumerate(plan.adopts.include):
        ind = by_code.get(code)
        if ind is not None and ind.roadmap:
            out.append((f"$.adopts.include[{j}]", f"indicator {code!r} is set year by year by each province's "
                                                  "roadmap: restate it as a target with the province's own figure "
                                                  f"(national = {code!r})"))
        elif ind is not None and ind.by and not plan.period.start <= ind.by <= plan.period.end:
            out.append((f"$.adopts.include[{j}]", f"indicator {code!r} is due by {ind.by.isoformat()}, outside the "
                                                  "plan's period"))
    if plan.adopts.maps:
        out.append(("$.adopts.maps", "targets of the programme in [adopts] name it themselves (national = ...)"))
    for where, code in codes_used:
        if code not in codes:
            out.append((where, f"unknown indicator {code!r} in programme {prog.id}"))
    return out


def programme_in_force(day: date) -> Programme | None:
    """The programme whose period holds ``day``; else the latest begun before it; else the earliest."""
    progs = sorted(programmes().values(), key=lambda p: p.period.start)
    current = [p for p in progs if p.period.start <= day <= p.period.end]
    begun = [p for p in progs if p.period.start <= day]
    return (current or begun or progs or [None])[-1 if current or begun else 0]
