"""Administrative lineage: which units existed when, and what became of them.

Units are merged, split, renamed and abolished. Core ships, as national
reference data in ``plancheck/plans/lineage/``, the province-level events of
the 2025 reorganisation and the end of the district level; a province plugin
declares its own commune-level events through the ``register_lineage`` hook
(see :mod:`plancheck.plans.hookspecs`). Nothing here knows any one province.

A unit is known in *versions*: an id with a validity interval. A unit that
keeps its name through a merger (a province that absorbed a neighbour) has
two versions with the same id, one ending the day before the event and one
starting on it, because the law forms a new unit from the whole of both.

Every event names its ``basis`` (the legal act) and its date, the first day
of the new arrangement: the predecessors' last day is the day before.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import attrs

from plancheck.errors import InputError
from plancheck.plans.model import Level

EventKind = Literal["merged_into", "split_from", "renamed", "abolished"]


#: The directory of core's lineage files, inside the package.
CORE_DIR = "lineage"

#: Units whose values add up across units: a whole merger of units reporting such a measure
#: gives the successor's value exactly (a percentage, a rate or a class does not add up).
ADDITIVE_UNITS = frozenset({"count", "people", "cases", "m2", "vnd"})


@attrs.frozen(kw_only=True)
class UnitVersion:
    """A unit as it existed from ``valid_from`` to ``valid_to`` (both days included; None: open)."""

    id: str
    name: str
    level: Level
    name_en: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    note: str | None = None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to)

    def label(self) -> str:
        """``Tỉnh A (until 2025-06-30)``: the name with the bounds that tell versions apart."""
        bounds = []
        if self.valid_from is not None:
            bounds.append(f"from {self.valid_from.isoformat()}")
        if self.valid_to is not None:
            bounds.append(f"until {self.valid_to.isoformat()}")
        return self.name + (f" ({', '.join(bounds)})" if bounds else "")


@attrs.frozen(kw_only=True)
class Event:
    """One lineage event: what the predecessors became on ``date``, by which act.

    * ``merged_into``: the predecessors, each whole unless ``whole = false``,
      form the one successor;
    * ``split_from``: parts of the one predecessor become the successors (the
      predecessor may go on as a successor version of itself);
    * ``renamed``: one predecessor, one successor, the same area;
    * ``abolished``: the predecessors end; no successor.
    """

    kind: EventKind
    date: date
    basis: str
    predecessors: tuple[str, ...]
    successors: tuple[str, ...] = ()
    whole: bool = True
    confirmed: bool = False
    quote: str | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class LevelEvent:
    """An event on every unit of a level (the districts, abolished on 2025-07-01)."""

    level: Level
    kind: Literal["abolished"]
    date: date
    basis: str
    confirmed: bool = False
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class LineageFile:
    """A lineage file: core's (``province`` unset: province-level units) or a plugin's.

    A plugin's file sets ``province``: its units are that province's districts
    and communes, with the ids its plans use.
    """

    province: str | None = None
    source: str | None = None
    note: str | None = None
    units: tuple[UnitVersion, ...] = ()
    events: tuple[Event, ...] = ()
    levels: tuple[LevelEvent, ...] = ()


#: Where a unit id is looked up: "" for provinces (national ids), else the province id.
Scope = str


def scope_of(level: str, province: str) -> Scope:
    return "" if level == "province" else province


@attrs.frozen
class Step:
    """One step of a unit's lineage: the event and the versions on each side of it."""

    event: Event
    before: tuple[UnitVersion, ...]
    after: tuple[UnitVersion, ...]

    def describe(self) -> str:
        """``a, b merged into b on 2025-07-01 (Nghị quyết ...)``."""
        e = self.event
        left = ", ".join(v.label() for v in self.before)
        right = ", ".join(v.label() for v in self.after)
        verb = {"merged_into": "merged into", "split_from": "split into", "renamed": "renamed",
                "abolished": "abolished"}[e.kind]
        if e.kind == "merged_into" and not e.whole:
            verb = "merged (in part) into"
        text = f"{left} {verb}" + (f" {right}" if right else "")
        unconfirmed = "" if e.confirmed else "; not yet checked against the official text"
        return f"{text} on {e.date.isoformat()} ({e.basis}{unconfirmed})"


@attrs.define
class Lineage:
    """Every unit version and event core and the plugins declare, with the problems found reading them."""

    versions: dict[tuple[Scope, str], list[UnitVersion]] = attrs.field(factory=dict)
    events: list[tuple[Scope, Event]] = attrs.field(factory=list)
    levels: list[LevelEvent] = attrs.field(factory=list)
    problems: dict[str, list[str]] = attrs.field(factory=dict)
    files: list[Path] = attrs.field(factory=list)

    # -- reading -----------------------------------------------------------------------
    def add(self, lf: LineageFile, name: str, owner: str) -> None:
        """Add a structured file's units and events; check them first, every problem at once."""
        scope = lf.province or ""
        problems = _check(lf, name, self.versions if scope == "" else {})
        if problems:
            self.problems.setdefault(owner, []).extend(problems)
            return
        for v in lf.units:
            self.versions.setdefault((scope, v.id), []).append(v)
            self.versions[(scope, v.id)].sort(key=lambda u: u.valid_from or date.min)
        self.events.extend((scope, e) for e in lf.events)
        self.levels.extend(lf.levels)

    # -- asking ------------------------------------------------------------------------
    def versions_of(self, unit_id: str, scope: Scope = "") -> list[UnitVersion]:
        return list(self.versions.get((scope, unit_id), ()))

    def version_on(self, unit_id: str, day: date, scope: Scope = "",
                   level: str | None = None) -> UnitVersion | None:
        """The version of ``unit_id`` that existed on ``day``; for an undeclared unit of an abolished level,
        a version ending the day before the level ended (the caller names the level)."""
        found = self.versions.get((scope, unit_id))
        if found:
            return next((v for v in found if v.valid_on(day)), None)
        end = self.level_end(level) if level else None
        if end is not None and day >= end.date:
            return None
        return None if end is None else UnitVersion(id=unit_id, name=unit_id, level=end.level,
                                                    valid_to=end.date - timedelta(days=1))

    def level_end(self, level: str | None) -> LevelEvent | None:
        return next((lv for lv in self.levels if lv.level == level), None)

    def known(self, unit_id: str, scope: Scope = "", level: str | None = None) -> bool:
        return (scope, unit_id) in self.versions or self.level_end(level) is not None

    def steps(self, unit_id: str, scope: Scope = "") -> list[Step]:
        """Every event that ended or began a version of ``unit_id``, in date order."""
        out = []
        for sc, e in self.events:
            if sc != scope or unit_id not in (*e.predecessors, *e.successors):
                continue
            out.append(self.step(sc, e))
        return sorted(out, key=lambda s: s.event.date)

    def step(self, scope: Scope, e: Event) -> Step:
        before = tuple(self._at(scope, u, e.date - timedelta(days=1)) for u in e.predecessors)
        after = tuple(self._at(scope, u, e.date) for u in e.successors)
        return Step(e, before, after)

    def created(self, v: UnitVersion, scope: Scope = "") -> Step | None:
        """The event that began version ``v``, if any."""
        if v.valid_from is None:
            return None
        return next((self.step(sc, e) for sc, e in self.events
                     if sc == scope and e.date == v.valid_from and v.id in e.successors), None)

    def ended(self, v: UnitVersion, scope: Scope = "") -> Step | None:
        """The event that ended version ``v``, if any."""
        if v.valid_to is None:
            return None
        day = v.valid_to + timedelta(days=1)
        return next((self.step(sc, e) for sc, e in self.events
                     if sc == scope and e.date == day and v.id in e.predecessors), None)

    def successors_on(self, v: UnitVersion, day: date, scope: Scope = "") -> list[UnitVersion]:
        """What version ``v`` had become by ``day``: itself while it exists, else the successors of the
        event that ended it, followed to ``day`` (none for a unit abolished without successor)."""
        if v.valid_on(day) or (v.valid_from is not None and day < v.valid_from):
            return [v]
        step = self.ended(v, scope)
        if step is None:
            return []
        out: list[UnitVersion] = []
        for s in step.after:
            out += [x for x in self.successors_on(s, day, scope) if x not in out]
        return out

    def _at(self, scope: Scope, unit_id: str, day: date) -> UnitVersion:
        v = self.version_on(unit_id, day, scope)
        return v if v is not None else UnitVersion(id=unit_id, name=unit_id, level="province")


# -- loading --------------------------------------------------------------------------------

def read_file(path: Path | Any, name: str) -> LineageFile:
    """A lineage TOML file (a path or an importlib resource) as a :class:`LineageFile`; InputError if unreadable.

    A file on disk is read once per version, as plan files are (:mod:`plancheck.plans.plancache`):
    every command that judges reads the lineage, and reading it afresh (importing the TOML reader
    and the converter, then parsing) took some 25 ms of each (issue 20). A file that cannot be read
    is not kept.
    """
    if isinstance(path, Path):
        from plancheck.plans import plancache

        try:
            st = path.stat()
        except OSError:
            return _read_file(path, name)  # says what is wrong with it
        cached = plancache.lookup(path, st)
        if isinstance(cached, LineageFile):
            return cached
        lf = _read_file(path, name)
        plancache.store(path, st, lf)
        return lf
    return _read_file(path, name)


def _read_file(path: Path | Any, name: str) -> LineageFile:
    import tomllib

    from plancheck.plans.converter import make_converter, structure_errors

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError([f"{name}: file not found"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([f"{name}: not valid TOML: {exc}"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([f"{name}: cannot read: {exc}"]) from None
    try:
        return make_converter().structure(data, LineageFile)
    except Exception as exc:  # cattrs wraps every structuring failure
        raise InputError(structure_errors(exc, prefix=name)) from None


@functools.cache
def core_lineage_files() -> tuple[tuple[str, LineageFile], ...]:
    """Core's lineage files, read once per process: (name, file)."""
    from importlib.resources import files

    out = []
    for entry in sorted(files("plancheck.plans").joinpath(CORE_DIR).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            name = f"plancheck/plans/{CORE_DIR}/{entry.name}"
            out.append((name, read_file(entry, name)))
    return tuple(out)


def load_lineage(pm: Any | None = None) -> Lineage:
    """Core's lineage and every plugin's (``register_lineage``); a plugin's bad file is a problem of
    that plugin's province (:attr:`Lineage.problems`), never of the others."""
    from plancheck.plans.plugins import call_with_timeout, plugin_timeout

    lineage = Lineage()
    for name, lf in core_lineage_files():
        lineage.add(lf, name, "")
    if lineage.problems:
        raise InputError(lineage.problems[""])
    if pm is None:
        return lineage
    for impl in pm.hook.register_lineage.get_hookimpls():
        staged: list[tuple[Path, str]] = []

        def register(path: str | Path, *, province: str, _staged: list = staged) -> None:
            _staged.append((Path(path), province))

        try:
            call_with_timeout(functools.partial(impl.function, register=register), plugin_timeout(),
                              f"{impl.plugin_name}.register_lineage")
        except (Exception, SystemExit) as exc:
            lineage.problems.setdefault(impl.plugin_name, []).append(
                f"plugin {impl.plugin_name!r} failed in register_lineage: {type(exc).__name__}: {exc}")
            continue
        for path, province in staged:
            lineage.files.append(path)
            try:
                lf = read_file(path, str(path))
            except InputError as exc:
                lineage.problems.setdefault(province, []).extend(exc.lines())
                continue
            if lf.province != province:
                lineage.problems.setdefault(province, []).append(
                    f"{path}: province is {lf.province!r} but plugin {impl.plugin_name!r} registered it "
                    f"for {province!r} @ $.province")
                continue
            lineage.add(lf, str(path), province)
    return lineage


def _check(lf: LineageFile, name: str, known: dict[tuple[Scope, str], list[UnitVersion]]) -> list[str]:
    """Every problem of one file, ``name: message @ $.path``: blank bases, unknown units, kinds with the
    wrong number of sides, overlapping versions, sides that do not end or begin on the event's date."""
    scope = lf.province or ""
    versions: dict[str, list[UnitVersion]] = {k[1]: list(v) for k, v in known.items() if k[0] == scope}
    out: list[str] = []
    for i, v in enumerate(lf.units):
        for w in versions.get(v.id, []):
            if _overlap(v, w):
                out.append(f"{name}: two versions of unit {v.id!r} overlap @ $.units[{i}]")
        versions.setdefault(v.id, []).append(v)
    for i, lv in enumerate(lf.levels):
        if not lv.basis.strip():
            out.append(f"{name}: every event needs its legal basis (basis = ...) @ $.levels[{i}].basis")
    sides = {"merged_into": ("1+", "1"), "split_from": ("1", "1+"), "renamed": ("1", "1"), "abolished": ("1+", "0")}
    for i, e in enumerate(lf.events):
        where = f"$.events[{i}]"
        if not e.basis.strip():
            out.append(f"{name}: every event needs its legal basis (basis = ...) @ {where}.basis")
        need_before, need_after = sides[e.kind]
        for field, have, need in (("predecessors", e.predecessors, need_before),
                                  ("successors", e.successors, need_after)):
            if (need == "1" and len(have) != 1) or (need == "1+" and not have) or (need == "0" and have):
                what = {"1": "exactly one unit", "1+": "at least one unit", "0": "no unit"}[need]
                out.append(f"{name}: a {e.kind} event has {what} in {field} @ {where}.{field}")
        day_before = e.date - timedelta(days=1)
        for j, u in enumerate(e.predecessors):
            if not any(v.valid_to == day_before for v in versions.get(u, [])):
                out.append(f"{name}: predecessor {u!r} has no version ending on {day_before.isoformat()}, "
                           f"the day before the event @ {where}.predecessors[{j}]")
        for j, u in enumerate(e.successors):
            if not any(v.valid_from == e.date for v in versions.get(u, [])):
                out.append(f"{name}: successor {u!r} has no version beginning on {e.date.isoformat()} "
                           f"@ {where}.successors[{j}]")
    return out


def _overlap(a: UnitVersion, b: UnitVersion) -> bool:
    return (a.valid_from or date.min) <= (b.valid_to or date.max) and (
        b.valid_from or date.min) <= (a.valid_to or date.max)


def describe(lineage: Lineage, unit_id: str, scope: Scope = "") -> dict[str, Any]:
    """A unit's versions and the events before and after each, JSON-ready (``plancheck lineage``)."""
    out_versions = []
    for v in lineage.versions_of(unit_id, scope):
        made, end = lineage.created(v, scope), lineage.ended(v, scope)
        out_versions.append({
            "id": v.id, "name": v.name, "name_en": v.name_en, "level": v.level,
            "valid_from": _iso(v.valid_from), "valid_to": _iso(v.valid_to),
            "predecessors": _step_json(made, "before") if made else [],
            "successors": _step_json(end, "after") if end else [],
            "formed_by": _event_json(made.event) if made else None,
            "ended_by": _event_json(end.event) if end else None,
        })
    return {"id": unit_id, "scope": scope or "national", "versions": out_versions}


def _step_json(step: Step, side: str) -> list[dict[str, Any]]:
    return [{"id": v.id, "name": v.name, "valid_from": _iso(v.valid_from), "valid_to": _iso(v.valid_to)}
            for v in getattr(step, side)]


def _event_json(e: Event) -> dict[str, Any]:
    return {"kind": e.kind, "date": e.date.isoformat(), "basis": e.basis, "whole": e.whole,
            "predecessors": list(e.predecessors), "successors": list(e.successors),
            "confirmed": e.confirmed, "quote": e.quote, "source": e.source, "note": e.note}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def scopes_holding(lineage: Lineage, unit_id: str) -> list[Scope]:
    """The scopes in which ``unit_id`` is declared ("" first: a province id)."""
    return sorted({sc for sc, uid in lineage.versions if uid == unit_id})


def provinces_on(lineage: Lineage, day: date) -> list[UnitVersion]:
    """Every province-level unit that existed on ``day``, by id."""
    return sorted((v for (sc, _), vs in lineage.versions.items() if sc == "" for v in vs
                   if v.level == "province" and v.valid_on(day)), key=lambda v: v.id)
