"""Roll-ups of findings per agency and per administrative unit.

Reporting metrics follow DHIS2: *expected* reports are the obligations due
by the as-of date (a unit that did not exist in a period is not expected to
report in it: see ``Unit.valid_from``/``valid_to``), *received* those
submitted at all, *on time* those submitted by their due date; the rates are
over expected.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from plancheck.judge.verdicts import Finding


def _blank() -> dict[str, int]:
    return {"expected_reports": 0, "received": 0, "on_time": 0, "late": 0, "missing": 0,
            "tasks_due": 0, "tasks_on_time": 0, "tasks_late": 0, "tasks_missing": 0,
            "targets_met": 0, "targets_not_met": 0, "targets_no_data": 0}


def _add(row: dict[str, int], f: Finding, as_of: date) -> None:
    due = f.due is not None and f.due <= as_of
    if f.kind == "obligation" and due:
        row["expected_reports"] += 1
        if f.status == "met":
            row["received"] += 1
            row["on_time"] += 1
        elif f.reason == "late":
            row["received"] += 1
            row["late"] += 1
        elif f.reason == "missing":
            row["missing"] += 1
    elif f.kind == "task" and due:
        row["tasks_due"] += 1
        key = {"met": "tasks_on_time"}.get(f.status) or {"late": "tasks_late", "missing": "tasks_missing"}.get(
            f.reason or "")
        if key:
            row[key] += 1
    elif f.kind == "target" and f.status in ("met", "not_met", "no_data"):
        row[f"targets_{f.status}"] += 1


def _finish(name: str, key: str, row: dict[str, int]) -> dict[str, object]:
    exp = row["expected_reports"]
    return {key: name, **row,
            "received_rate": round(row["received"] / exp, 3) if exp else None,
            "on_time_rate": round(row["on_time"] / exp, 3) if exp else None}


def rollups(findings: Iterable[Finding], as_of: date) -> dict[str, list[dict[str, object]]]:
    """Per agency and per unit: reports expected/received/on time, tasks, targets."""
    agencies: dict[str, dict[str, int]] = {}
    units: dict[str, dict[str, int]] = {}
    for f in findings:
        if f.agency:
            _add(agencies.setdefault(f.agency, _blank()), f, as_of)
        if f.unit:
            _add(units.setdefault(f.unit, _blank()), f, as_of)
    return {"agencies": [_finish(a, "agency", r) for a, r in sorted(agencies.items())],
            "units": [_finish(u, "unit", r) for u, r in sorted(units.items())]}
