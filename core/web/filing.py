"""Filing a form through the portal: the CLI's ``ingest``, with who may file which rows.

A form is read and checked by the very functions ``plancheck ingest`` uses
(:func:`plancheck.data.workbook.read_form_bytes`), then every row is checked
against what the uploader may file (an agency user: the rows of its own
form, ``plancheck template --agency``; a provincial officer: its province's
rows); one row outside that refuses the whole file. Stored by
:func:`plancheck.data.store.ingest`, all or nothing, with the uploader as
reporter, so ``plancheck history`` shows who filed what.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path, PurePath
from typing import Any

import attrs
from sqlalchemy.engine import Engine

from plancheck.data.forms import HEADINGS, Reading, column_key, form_rows
from plancheck.errors import InputError
from plancheck.plans.model import Plan
from plancheck.web.access import Actor, may

#: ``file:row: column: 'value': reason``, as the form reader words a problem in a cell.
_CELL_PROBLEM = re.compile(r"^(?P<file>.*?):(?P<row>\d+): (?P<column>[a-z_]+): (?P<rest>.*)$", re.S)
#: Rows of a preview shown on a page (every problem is shown, whatever the number of rows).
PREVIEW_ROWS = 500


def safe_name(filename: str | None) -> str:
    """The uploaded file's own name, without any directory or characters that would confuse a message."""
    name = PurePath((filename or "form").replace("\\", "/")).name
    name = re.sub(r"[^\w.\- ()\[\]]", "_", name)[:120].strip() or "form"
    return name


@attrs.frozen
class Problem:
    """One problem of a refused form, with the cell it is in when it is in one."""

    text: str
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    reason: str = ""

    def heading(self, lang: str) -> str:
        return HEADINGS[lang].get(self.column or "", self.column or "")


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def header_columns(name: str, raw: bytes) -> dict[str, int]:
    """Column key → position (from 0) in a form's heading row; empty when it cannot be read."""
    try:
        if name.lower().endswith(".xlsx"):
            from openpyxl import load_workbook

            from plancheck.data.workbook import SHEET

            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            try:
                ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[-1]
                first = next(ws.iter_rows(values_only=True, max_col=64, max_row=1), ())
            finally:
                wb.close()
            heads = ["" if v is None else str(v) for v in first]
        else:
            from plancheck.data.forms import decode_csv

            heads = next(csv.reader(io.StringIO(decode_csv(name, raw[:65536]).split("\n", 1)[0])), [])
    except Exception:  # a header that cannot be read: problems are shown without cells
        return {}
    out: dict[str, int] = {}
    for i, h in enumerate(heads):
        out.setdefault(column_key(h), i)
    return out


def problems_with_cells(lines: Sequence[str], columns: Mapping[str, int]) -> list[Problem]:
    """The reader's problem lines with the cell (``K12``) and column each names."""
    out = []
    for line in lines:
        m = _CELL_PROBLEM.match(line)
        if m is None:
            out.append(Problem(line))
            continue
        row, column = int(m["row"]), m["column"]
        cell = f"{_letters(columns[column])}{row}" if column in columns else None
        out.append(Problem(line, row, column, cell, m["rest"]))
    return out


@attrs.frozen
class Checked:
    """A form read, checked and allowed: what a preview shows and a confirmation stores."""

    file: str
    sha256: str
    reading: Reading
    provinces: tuple[str, ...]


class Refused(Exception):
    """A form refused: ``status`` 422 (a bad form) or 403 (rows the uploader may not file), every problem listed."""

    def __init__(self, status: int, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.text for p in problems))
        self.status = status
        self.problems = problems


def check(name: str, raw: bytes, plans: Mapping[tuple[str, str], Plan], actor: Actor, today: date) -> Checked:
    """Read and check a filled form as ``ingest`` does, then check that ``actor`` may file every row.

    Raises :class:`Refused` (422 with every problem in the form; 403 with every
    row outside what the actor may file). Nothing is written.
    """
    from plancheck.data.workbook import read_form_bytes

    try:
        reading = read_form_bytes(Path(name), raw, plans, today)
    except InputError as exc:
        raise Refused(422, problems_with_cells(exc.lines(), header_columns(name, raw))) from None
    outside = out_of_scope(name, reading, plans, actor)
    if outside:
        raise Refused(403, outside)
    provinces = tuple(sorted({r[0] for r in reading.rows}))
    return Checked(name, hashlib.sha256(raw).hexdigest(), reading, provinces)


def out_of_scope(name: str, reading: Reading, plans: Mapping[tuple[str, str], Plan], actor: Actor) -> list[Problem]:
    """Every row ``actor`` may not file, as problems (empty when every row is theirs)."""
    allowed: dict[tuple[str, str], set[tuple[str, str, str, str]]] = {}
    out = []
    for province, plan_id, item, _kind, agency, unit, period, _v, _d, row in reading.rows:
        if not may(actor, "file", province, actor.agency if actor.role == "agency" else None):
            out.append(Problem(f"{name}:{row}: province: {province!r}: you may file only for "
                               f"{actor.province or 'no province'}", row, "province", None,
                               f"you may file only for {actor.province or 'no province'}"))
            continue
        if actor.role != "agency":
            continue
        key = (province, plan_id)
        if key not in allowed:
            # The rows of the agency's own form (plancheck template --agency): a measure's datum is
            # keyed without an agency, as the store keeps it.
            allowed[key] = {(r.item, "" if r.kind == "measure" else r.agency, r.unit, r.period)
                            for r in form_rows(plans[key], actor.agency)}
        if (item, agency, unit, period) not in allowed[key]:
            whose = f"agency {agency}" if agency else "the provincial office"
            reason = f"not a row of {actor.agency}'s form ({item} {unit} {period} is for {whose})"
            if agency and agency != actor.agency:
                reason = f"a row for {agency}: you file only for {actor.agency}"
            out.append(Problem(f"{name}:{row}: agency: {agency!r}: {reason}", row, "agency", None, reason))
    return out


@attrs.frozen
class PreviewRow:
    row: int
    status: str  # new, updated, unchanged
    province: str
    plan: str
    item: str
    kind: str
    agency: str
    unit: str
    period: str
    value: float | None
    day: date | None
    before: Any


def preview(engine: Engine, checked: Checked) -> tuple[Any, list[PreviewRow]]:
    """What storing the form would do: ``ingest --dry-run``'s summary, and each filled row's status.

    The summary is the store's own dry run; the per-row statuses compare each
    row with the current value the same way (a changed value or date is an update).
    """
    from plancheck.data import store

    summary = store.ingest(engine, checked.reading.rows, file=checked.file, sha256=checked.sha256,
                           reporter="", ignored=checked.reading.ignored, dry_run=True)
    current: dict[tuple[str, ...], tuple[Any, Any]] = {}
    for province in checked.provinces:
        for o in store.current_observations(engine, province):
            current[(o.province, o.plan, o.item, o.agency, o.unit, o.period)] = (o.value, o.date)
    rows = []
    for province, plan_id, item, kind, agency, unit, period, value, day, rowno in checked.reading.rows:
        cur = current.get((province, plan_id, item, agency, unit, period))
        status = "new" if cur is None else ("unchanged" if cur == (value, day) else "updated")
        before = None if cur is None or status == "unchanged" else (cur[1] if kind != "measure" else cur[0])
        rows.append(PreviewRow(rowno, status, province, plan_id, item, kind, agency, unit, period, value, day,
                               before))
    return summary, rows


def store_form(engine: Engine, checked: Checked, reporter: str) -> Any:
    """Store a checked form, all or nothing, with ``reporter`` kept in history; the ingest summary."""
    from plancheck.data import store

    return store.ingest(engine, checked.reading.rows, file=checked.file, sha256=checked.sha256,
                        reporter=reporter, ignored=checked.reading.ignored)
