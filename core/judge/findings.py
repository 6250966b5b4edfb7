"""Findings: what a verdict says, what it rests on, and the report they make.

A :class:`Finding` is the verdict on one target, task, obligation or
consistency check, for one period, unit and agency, with its evidence (the
data, from which file and row), the clause, and what besides the data it
rests on: ``assumed`` (what the plan leaves implicit and we chose),
``reading`` (how unclear text is read), ``proxy`` (an indicator the plan
does not state) and ``doubt`` (why a reader should not take the verdict at
face value: data that fail a consistency check, an unconfirmed reading, a
proxy). A :class:`Report` holds the findings of a run and decides its exit
code.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import attrs

from plancheck.data.bulk import gc_paused

STATUSES = ("met", "not_met", "pending", "no_data")
IMPORTANCE_RANK = {"low": 1, "medium": 2, "high": 3}


@attrs.frozen(kw_only=True)
class Evidence:
    """One datum a verdict rests on, and where it came from."""

    item: str
    unit: str
    period: str
    value: float | None = None
    date: date | None = None
    source_file: str = ""
    row: int | None = None
    derived: bool = False

    def to_json(self) -> dict[str, object]:
        return {"item": self.item, "unit": self.unit, "period": self.period, "value": self.value,
                "date": self.date.isoformat() if self.date else None,
                "source_file": self.source_file, "row": self.row, "derived": self.derived}


@attrs.frozen(kw_only=True)
class Finding:
    """The verdict on one target, task, obligation or check, for one period, unit and agency."""

    plan: str
    item: str
    kind: str
    name: str
    agency: str
    unit: str
    period: str
    due: date | None
    status: str
    reason: str | None
    expected: str
    actual: float | str | None
    source: str
    days_late: int | None = None
    assumed: str | None = None
    importance: str = "medium"
    computation: str = ""
    evidence: tuple[Evidence, ...] = ()
    doubt: str | None = None
    reading: str | None = None
    proxy: str | None = None
    waiver: dict[str, Any] | None = attrs.field(default=None, eq=False)
    waived: bool = False

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        """What identifies the finding across runs."""
        return (self.plan, self.kind, self.item, self.agency, self.unit, self.period)

    def to_json(self) -> dict[str, object]:
        """The finding as the JSON output documents it."""
        return {
            "plan": self.plan, "item": self.item, "kind": self.kind, "name": self.name,
            "agency": self.agency, "unit": self.unit, "period": self.period,
            "due": self.due.isoformat() if self.due else None, "status": self.status,
            "reason": self.reason, "expected": self.expected, "actual": self.actual,
            "days_late": self.days_late, "source": self.source, "assumed": self.assumed,
            "importance": self.importance, "computation": self.computation,
            "evidence": [e.to_json() for e in self.evidence], "doubt": self.doubt,
            "reading": self.reading, "proxy": self.proxy, "waived": self.waived, "waiver": self.waiver,
        }


@attrs.frozen
class Report:
    """All findings of a run, with the summary and the exit code they imply."""

    province: str
    as_of: date
    findings: tuple[Finding, ...]
    notices: tuple[str, ...] = ()
    fail_on: str = "low"
    fail_on_proxy: bool = False

    def summary(self) -> dict[str, int]:
        """Number of findings per status (every status present, zero or not), and waived ones."""
        counts = Counter(f.status for f in self.findings)
        out = {s: counts.get(s, 0) for s in STATUSES}
        out["waived"] = sum(1 for f in self.findings if f.waived)
        out["total"] = len(self.findings)
        return out

    def failing(self) -> list[Finding]:
        """Not-met findings, not waived, at or above the ``fail_on`` importance.

        A finding judged on a proxy (an indicator the plan does not state) never fails a
        run unless ``fail_on_proxy``: the plan did not commit to it.
        """
        floor = IMPORTANCE_RANK[self.fail_on]
        return [f for f in self.findings if f.status == "not_met" and not f.waived
                and IMPORTANCE_RANK.get(f.importance, 2) >= floor
                and (self.fail_on_proxy or not f.proxy)]

    @property
    def return_code(self) -> int:
        """1 if anything fails (see :meth:`failing`), else 0 (as black's Report.return_code)."""
        return 1 if self.failing() else 0

    def to_json(self, *, objects: bool = False) -> dict[str, object]:
        """The report as ``run --format json`` documents it; ``objects``: the findings left as
        Finding objects (plancheck.publish.text writes them without a dict each)."""
        if objects:
            findings: list[Any] = list(self.findings)
        else:
            # Performance (issue 9): the findings' dicts are many and acyclic; a full collection
            # set off while they are built walked every live object for nothing (see gc_paused).
            with gc_paused():
                findings = [f.to_json() for f in self.findings]
        return {
            "province": self.province,
            "as_of": self.as_of.isoformat(),
            "fail_on": self.fail_on,
            "notices": list(self.notices),
            "findings": findings,
            "summary": self.summary(),
        }
