"""Extensions and waivers (gia hạn, miễn), as an auditor would record them.

A waiver names an item (and optionally an agency, unit and period) and
either grants a new due date (``new_due``) or exempts the item
(``exempt = true``), with the justification, who approved it, the document
that granted it and when it expires. A finding under a valid waiver keeps its
real status and is marked ``waived`` with the waiver shown; it does not fail
the run. An expired waiver no longer applies, and the finding says so.

Waiver files are TOML (``[[waivers]]`` tables) or CSV with the same columns.
A waiver naming an unknown item, or lacking a justification, an approver or a
document, is an input error before anything is judged; so is one whose
agency, unit or period matches none of its item's findings (issue 21: a
mistyped agency waived nothing, silently): :func:`refuse_unmatched`.
"""

from __future__ import annotations

import csv
import functools
import io
import tomllib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from plancheck.errors import InputError
from plancheck.judge.verdicts import Finding
from plancheck.language import _
from plancheck.plans.calendar import parse_written_date
from plancheck.plans.converter import make_converter, structure_errors
from plancheck.plans.model import Plan

COLUMNS = ("item", "agency", "unit", "period", "new_due", "exempt", "justification", "approved_by",
           "document", "expires")


@attrs.frozen(kw_only=True)
class Waiver:
    """One extension (``new_due``) or exemption (``exempt``) of an item."""

    item: str
    justification: str
    approved_by: str
    document: str
    agency: str | None = None
    unit: str | None = None
    period: str | None = None
    new_due: date | None = None
    exempt: bool = False
    expires: date | None = None
    #: Where the waiver was read, as the text before and after a message about it
    #: (``("file: ", " @ $.waivers[0]")``, ``("file:2: ", "")``): set by load_waivers.
    origin: tuple[str, str] = attrs.field(default=("", ""), init=False, eq=False, repr=False)

    def matches(self, f: Finding) -> bool:
        return (f.item == self.item and self.agency in (None, f.agency)
                and self.unit in (None, f.unit) and self.period in (None, f.period))

    def to_json(self) -> dict[str, object]:
        return {"item": self.item, "agency": self.agency, "unit": self.unit, "period": self.period,
                "new_due": self.new_due.isoformat() if self.new_due else None, "exempt": self.exempt,
                "justification": self.justification, "approved_by": self.approved_by,
                "document": self.document, "expires": self.expires.isoformat() if self.expires else None}


@attrs.frozen
class WaiverFile:
    waivers: tuple[Waiver, ...] = ()


def load_waivers(path: Path, plans: Sequence[Plan]) -> list[Waiver]:
    """Read and check a waiver file (TOML or CSV); InputError lists every problem."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([f"{name}: cannot read: {exc.strerror}"]) from None
    conv = make_converter()
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError([f"{name}: not valid TOML: {exc}"]) from None
        data = _written_dates(name, data)
        try:
            waivers = list(conv.structure(data, WaiverFile).waivers)
        except Exception as exc:
            raise InputError(structure_errors(exc, prefix=name)) from None
        where = [f"$.waivers[{i}]" for i in range(len(waivers))]
    elif path.suffix.lower() == ".csv":
        waivers, where = _from_csv(name, raw)
    else:
        raise InputError([f"{name}: a waiver file is .toml or .csv"])
    known = {x.id for p in plans for x in (*p.targets, *p.tasks, *p.obligations, *p.checks)}
    problems = []
    for w, at in zip(waivers, where, strict=True):
        if w.item not in known:
            problems.append(f"{name}: unknown item {w.item!r} @ {at}.item")
        for field in ("justification", "approved_by", "document"):
            if not getattr(w, field).strip():
                problems.append(f"{name}: a waiver needs {field} @ {at}.{field}")
        if (w.new_due is None) == (not w.exempt):
            problems.append(f"{name}: give either new_due or exempt = true @ {at}")
    if problems:
        raise InputError(problems)
    for w, at in zip(waivers, where, strict=True):
        origin = (f"{name}:{at.removeprefix('row ')}: ", "") if at.startswith("row ") else (f"{name}: ", f" @ {at}")
        object.__setattr__(w, "origin", origin)  # frozen: set once, where it was read
    return waivers


def refuse_unmatched(findings: Sequence[Finding], waivers: Sequence[Waiver]) -> None:
    """InputError for every waiver whose agency, unit or period matches none of its item's findings.

    A waiver whose item has no finding at all (a consistency check that holds) is kept: it
    may apply once there is one.
    """
    from plancheck.errors import joined, reason
    from plancheck.plans.identity import hint

    by_item: dict[str, list[Finding]] = {}
    for f in findings:
        by_item.setdefault(f.item, []).append(f)
    problems = []
    for w in waivers:
        of_item = by_item.get(w.item, [])
        if not of_item or any(w.matches(f) for f in of_item):
            continue
        given, known = [], []
        for field in ("agency", "unit", "period"):
            value = getattr(w, field)
            options = sorted({getattr(f, field) for f in of_item} - {""})
            if value is not None:
                given.append(f"{field} {value!r}")
                if value not in options:
                    known.append(_("its {field} is one of {options}").format(
                        field=field, options=", ".join(options) or _("none")) + hint(value, options))
        # each piece through joined: one that ends on a question (did you mean ...?) is followed by a sentence
        fix = functools.reduce(joined, known) if known else _("no finding has them together")
        problems.append(w.origin[0] + joined(reason("waiver_matches_nothing", item=w.item, given=", ".join(given)),
                                             fix) + w.origin[1])
    if problems:
        raise InputError(problems)


def _from_csv(name: str, raw: bytes) -> tuple[list[Waiver], list[str]]:
    from plancheck.data.forms import decode_csv

    rows = list(csv.DictReader(io.StringIO(decode_csv(name, raw))))
    out, where, problems = [], [], []
    for i, r in enumerate(rows, start=2):
        extra = set(r) - set(COLUMNS)
        if extra:
            problems.append(f"{name}:{i}: unknown columns: {', '.join(sorted(k or '' for k in extra))}")
            continue
        try:
            out.append(Waiver(
                item=(r.get("item") or "").strip(),
                agency=(r.get("agency") or "").strip() or None,
                unit=(r.get("unit") or "").strip() or None,
                period=(r.get("period") or "").strip() or None,
                new_due=_date(r.get("new_due")), exempt=(r.get("exempt") or "").strip().lower()
                in ("true", "yes", "1", "x", "có"),
                justification=(r.get("justification") or "").strip(),
                approved_by=(r.get("approved_by") or "").strip(),
                document=(r.get("document") or "").strip(), expires=_date(r.get("expires"))))
            where.append(f"row {i}")
        except ValueError as exc:
            problems.append(f"{name}:{i}: {exc}")
    if problems:
        raise InputError(problems)
    return out, where


def _date(text: str | None) -> date | None:
    """A date of a waiver as people write it (31/12/2024, 31.12.2024, 2024-12-31); ValueError in words."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_written_date(text)
    except ValueError as exc:
        raise ValueError(f"{text!r}: {exc}") from None


def _written_dates(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """A waiver TOML's dates written as text ("30/06/2024") read as dates; InputError for text that is
    not a date (TOML's own dates, 2024-06-30 unquoted, are taken as they are)."""
    if not isinstance(data, dict) or not isinstance(data.get("waivers"), list):
        return data
    out, problems = [], []
    for i, w in enumerate(data["waivers"]):
        if isinstance(w, dict):
            w = dict(w)
            for key in ("new_due", "expires"):
                if isinstance(w.get(key), str):
                    try:
                        w[key] = parse_written_date(w[key])
                    except ValueError as exc:
                        problems.append(f"{name}: {w[key]!r}: {exc} @ $.waivers[{i}].{key}")
        out.append(w)
    if problems:
        raise InputError(problems)
    return {**data, "waivers": out}


def apply_waivers(findings: Sequence[Finding], waivers: Sequence[Waiver], as_of: date) -> list[Finding]:
    """Findings with the waivers that cover them marked (the first matching waiver wins)."""
    out = []
    for f in findings:
        w = next((w for w in waivers if w.matches(f)), None)
        if w is None:
            out.append(f)
            continue
        info = w.to_json()
        if w.expires is not None and as_of > w.expires:
            info.update(expired=True, covers=False,
                        note=_("waiver expired on {date}: it no longer applies").format(date=w.expires.isoformat()))
            out.append(attrs.evolve(f, waiver=info))
            continue
        covers = True
        note = _("exempted") if w.exempt else _("due date extended to {date}").format(
            date=w.new_due.isoformat() if w.new_due else "")
        if w.new_due is not None and not w.exempt:
            dated = f.kind in ("task", "obligation") and isinstance(f.actual, str)
            done = date.fromisoformat(str(f.actual)) if dated else None
            if done is not None:
                covers = done <= w.new_due
            else:
                covers = as_of <= w.new_due or f.status == "met"
            if not covers:
                note += _("; not met even by the extended date")
        info.update(expired=False, covers=covers, note=note)
        out.append(attrs.evolve(f, waiver=info, waived=covers))
    return out
