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

from plancheck.cli.translated import command, lang_option
from plancheck.language import _, lazy


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
@lang_option()
def lineage(unit_id: str, province: str | None, fmt: str, lang: str | None) -> None:
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
        raise _Unknown(_("{id!r} is a unit of several provinces ({provinces}): say which with --province").format(
            id=unit_id, provinces=", ".join(s or _("national") for s in scopes)))
    elif not scopes:
        raise _Unknown(_("no unit {id!r} in the lineage data; province ids are lowercase ASCII with underscores "
                         "(ha_noi, ho_chi_minh); a district or commune needs --province").format(id=unit_id))
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
        raise _Unknown(_("no unit {id!r} in the lineage data of {province} nor a unit of a level that ended in "
                         "its plans").format(id=unit_id, province=province))
    return {"id": unit_id, "scope": province, "versions": [{
        "id": unit_id, "name": unit.name, "name_en": unit.name_en, "level": unit.level, "valid_from": None,
        "valid_to": (end.date - timedelta(days=1)).isoformat(),
        "predecessors": [], "successors": [], "formed_by": None,
        "ended_by": {"kind": end.kind, "date": end.date.isoformat(), "basis": end.basis, "whole": True,
                     "predecessors": [unit_id], "successors": [], "confirmed": end.confirmed,
                     "quote": None, "source": end.source,
                     "note": f"every unit of level {end.level} ended" + (f"; {end.note}" if end.note else "")},
    }]}


def _formed(kind: str) -> str:
    """What formed a version, before the units it was formed from (``{date}`` to fill)."""
    return {"merged_into": _("formed on {date} by merging"), "split_from": _("formed on {date} from part of"),
            "renamed": _("renamed on {date}; formerly")}[kind]


def _ended(kind: str) -> str:
    """What ended a version, before the units it became (``{date}`` to fill)."""
    return {"merged_into": _("merged on {date} into"), "split_from": _("split on {date} into"),
            "renamed": _("renamed on {date} to"), "abolished": _("abolished on {date}")}[kind]


def lineage_text(doc: dict[str, Any]) -> str:
    """A unit's versions, each with what formed it and what it became, dates and bases, in the reader's language
    (dates as the language writes them; names and legal bases as the reference data write them)."""
    lines = []
    for v in doc["versions"]:
        bounds = _bounds(v)
        lines.append(f"{v['id']}: {v['name']} " + (f"({bounds})" if bounds else _("(unchanged)")))
        made, end = v["formed_by"], v["ended_by"]
        if made is not None:
            lines.append(f"  {_formed(made['kind']).format(date=_day(made['date']))}: {_names(v['predecessors'])}")
            lines += _basis(made)
        if end is not None:
            others = [u for u in end["predecessors"] if u != v["id"]]
            what = f"  {_ended(end['kind']).format(date=_day(end['date']))}"
            lines.append(what + (f": {_names(v['successors'])}" if v["successors"] else " " + _("(no successor)"))
                         + (_(", together with {ids}").format(ids=", ".join(others))
                            if end["kind"] == "merged_into" and others else ""))
            lines += _basis(end)
    return "\n".join(lines)


def _day(iso: str | None) -> str:
    """An ISO date as the reader's language writes it: 2025-07-01 (en), 01/07/2025 (vi)."""
    from datetime import date

    from plancheck import language
    from plancheck.publish.labels import Locale

    return Locale(language.current()).day(date.fromisoformat(iso)) if iso else ""


def _bounds(v: dict[str, Any]) -> str:
    return ", ".join(x for x in (_("from {date}").format(date=_day(v["valid_from"])) if v["valid_from"] else "",
                                 _("until {date}").format(date=_day(v["valid_to"])) if v["valid_to"] else "") if x)


def _names(units: list[dict[str, Any]]) -> str:
    return ", ".join(f"{u['name']} [{u['id']}]" + (f" ({_bounds(u)})" if _bounds(u) else "") for u in units)


def _basis(e: dict[str, Any]) -> list[str]:
    out = ["    " + _("basis: {basis}").format(basis=e["basis"])]
    if not e["confirmed"]:
        out.append("    " + _("unconfirmed: not yet checked against the official text"))
    if e.get("note"):
        out.append("    " + _("note: {note}").format(note=e["note"]))
    return out


@command("programmes",
               help=lazy("List the national programme templates: indicators, thresholds and their sources."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@lang_option()
def programmes_cmd(fmt: str, lang: str | None) -> None:
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
    from plancheck import language
    from plancheck.publish.text import table

    english = language.current() == "en"
    out = []
    for p in doc["programmes"]:
        name = (p["name_en"] if english else None) or p["name"]
        out += [f"{p['id']}: {name} ({p['period']['start'][:4]}–{p['period']['end'][:4]})",
                f"  {p['document']}",
                table([_("indicator"), _("threshold"), _("when"), _("confirmed"), _("source")],
                      [(i["code"], f"{i['comparator']} {_threshold(i['threshold'])}{'%' * (i['unit'] == 'percent')}",
                        (_("by {date}").format(date=_day(i["by"])) if i["by"] else _("each year"))
                        + (_("; provincial roadmap") if i["roadmap"] else ""),
                        _("yes") if i["confirmed"] else _("no"), i["source"]) for i in p["indicators"]],
                      max_width=60), ""]
    click.echo("\n".join(out).rstrip())


def _threshold(x: float) -> str:
    """A threshold as ``%g`` writes it, with the language's decimal mark (0,5 in Vietnamese)."""
    from plancheck import language

    return language.number(x, max(0, 6 - len(str(int(abs(x))))))
