"""Reference data on the command line: ``plancheck lineage`` and ``plancheck programmes``.

National reference data ship with core (units and their lineage, programme
templates); a plugin adds its own units' lineage. These commands only read and
show them: nothing is judged.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import click

from plancheck.cli.translated import command
from plancheck.language import lazy


class _Unknown(click.ClickException):
    """A user error (an id nothing declares, a bad lineage file): exit 2, the message alone on stderr."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


@command("lineage",
               help=lazy("Show a unit's versions, predecessors and successors, with dates and legal bases.\n\n"
                         "ID is a province id (any of the 63 provinces of 2025 or the 34 of today), or with "
                         "--province a district or commune of that province as its plans name it."))
@click.argument("unit_id", metavar="ID")
@click.option("--province", help=lazy("Look for a district or commune of this province (ids as its plans use them)."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def lineage(unit_id: str, province: str | None, fmt: str) -> None:
    from plancheck.errors import InputError
    from plancheck.plans.lineage import describe, load_lineage, scopes_holding
    from plancheck.plans.plugins import load_registry

    pm, registry = load_registry()
    try:
        known = load_lineage(pm)
    except InputError as exc:
        raise _Unknown("\n".join(exc.lines())) from None
    problems = known.problems.get(province or "", [])
    if problems:
        raise _Unknown("\n".join(problems))
    scopes = [province] if province else scopes_holding(known, unit_id)
    scopes = [s for s in scopes if known.versions_of(unit_id, s)]
    if not scopes and province:
        doc = _level_only(registry, known, province, unit_id)
    elif len(scopes) > 1:
        raise _Unknown(f"{unit_id!r} is a unit of several provinces ({', '.join(s or 'national' for s in scopes)}): "
                       "say which with --province")
    elif not scopes:
        raise _Unknown(f"no unit {unit_id!r} in the lineage data; province ids are lowercase ASCII with "
                       "underscores, as `plancheck lineage` lists them; a district or commune needs --province")
    else:
        doc = describe(known, unit_id, scopes[0])
    if fmt == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        click.echo(lineage_text(doc))


def _level_only(registry: Any, known: Any, province: str, unit_id: str) -> dict[str, Any]:
    """A plan's district, which no file declares but the end of its level concerns."""
    from plancheck.errors import InputError
    from plancheck.judge.assessment import province_plans

    try:
        plans = province_plans(registry, province)
    except InputError as exc:
        raise _Unknown("\n".join(exc.lines())) from None
    unit = next((u for p in plans for u in p.units if u.id == unit_id), None)
    end = known.level_end(unit.level) if unit is not None else None
    if unit is None or end is None:
        raise _Unknown(f"no unit {unit_id!r} in the lineage data of {province} nor a unit of a level that ended "
                       f"in its plans")
    return {"id": unit_id, "scope": province, "versions": [{
        "id": unit_id, "name": unit.name, "name_en": unit.name_en, "level": unit.level, "valid_from": None,
        "valid_to": (end.date - timedelta(days=1)).isoformat(),
        "predecessors": [], "successors": [], "formed_by": None,
        "ended_by": {"kind": end.kind, "date": end.date.isoformat(), "basis": end.basis, "whole": True,
                     "predecessors": [unit_id], "successors": [], "confirmed": end.confirmed,
                     "quote": None, "source": end.source,
                     "note": f"every unit of level {end.level} ended" + (f"; {end.note}" if end.note else "")},
    }]}


_FORMED = {"merged_into": "formed on {} by merging", "split_from": "formed on {} from part of",
           "renamed": "renamed on {}; formerly"}
_ENDED = {"merged_into": "merged on {} into", "split_from": "split on {} into", "renamed": "renamed on {} to",
          "abolished": "abolished on {}"}


def lineage_text(doc: dict[str, Any]) -> str:
    """A unit's versions, each with what formed it and what it became, dates and bases."""
    lines = []
    for v in doc["versions"]:
        lines.append(f"{v['id']}: {v['name']}" + (f" ({_bounds(v)})" if _bounds(v) else " (unchanged)"))
        made, end = v["formed_by"], v["ended_by"]
        if made is not None:
            lines.append(f"  {_FORMED[made['kind']].format(made['date'])}: {_names(v['predecessors'])}")
            lines += _basis(made)
        if end is not None:
            others = [u for u in end["predecessors"] if u != v["id"]]
            what = f"  {_ENDED[end['kind']].format(end['date'])}"
            lines.append(what + (f": {_names(v['successors'])}" if v["successors"] else " (no successor)")
                         + (f", together with {', '.join(others)}" if end["kind"] == "merged_into" and others else ""))
            lines += _basis(end)
    return "\n".join(lines)


def _bounds(v: dict[str, Any]) -> str:
    return ", ".join(x for x in (f"from {v['valid_from']}" if v["valid_from"] else "",
                                 f"until {v['valid_to']}" if v["valid_to"] else "") if x)


def _names(units: list[dict[str, Any]]) -> str:
    return ", ".join(f"{u['name']} [{u['id']}]" + (f" ({_bounds(u)})" if _bounds(u) else "") for u in units)


def _basis(e: dict[str, Any]) -> list[str]:
    out = [f"    basis: {e['basis']}"]
    if not e["confirmed"]:
        out.append("    unconfirmed: not yet checked against the official text")
    if e.get("note"):
        out.append(f"    note: {e['note']}")
    return out


@command("programmes",
               help=lazy("List the national programme templates: indicators, thresholds and their sources."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def programmes_cmd(fmt: str) -> None:
    from plancheck.errors import InputError
    from plancheck.plans.programme import programmes

    try:
        progs = programmes()
    except InputError as exc:
        raise _Unknown("\n".join(exc.lines())) from None
    doc = {"programmes": [{
        "id": p.id, "name": p.name, "name_en": p.name_en, "document": p.document,
        "period": {"start": p.period.start.isoformat(), "end": p.period.end.isoformat()},
        "source": p.source, "note": p.note,
        "indicators": [{"code": i.code, "name": i.name, "name_en": i.name_en, "unit": i.unit,
                        "direction": i.direction, "kind": i.kind, "comparator": i.comparator,
                        "threshold": i.threshold, "by": i.by.isoformat() if i.by else None,
                        "roadmap": i.roadmap, "confirmed": i.confirmed, "source": i.source, "note": i.note}
                       for i in p.indicators],
    } for p in sorted(progs.values(), key=lambda p: p.period.start)]}
    if fmt == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    from plancheck.publish.text import table

    out = []
    for p in doc["programmes"]:
        out += [f"{p['id']}: {p['name_en']} ({p['period']['start'][:4]}–{p['period']['end'][:4]})",
                f"  {p['document']}",
                table(["indicator", "threshold", "when", "confirmed", "source"],
                      [(i["code"], f"{i['comparator']} {i['threshold']:g}{'%' if i['unit'] == 'percent' else ''}",
                        ("by " + i["by"] if i["by"] else "each year")
                        + ("; provincial roadmap" if i["roadmap"] else ""),
                        "yes" if i["confirmed"] else "no", i["source"]) for i in p["indicators"]],
                      max_width=60), ""]
    click.echo("\n".join(out).rstrip())
