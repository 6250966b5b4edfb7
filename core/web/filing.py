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
from collections.abc import Mapping
from datetime import date
from pathlib import Path, PurePath
from typing import Any

import attrs
from sqlalchemy.engine import Engine

from plancheck.data.forms import Reading, form_rows
from plancheck.data.layout import HEADER_BLOCK, Layout, is_heading_row, separator
from plancheck.errors import InputError, Problem
from plancheck.language import _
from plancheck.plans.model import Plan
from plancheck.web.access import Actor, may

#: Rows of a preview shown on a page (every problem is shown, whatever the number of rows).
PREVIEW_ROWS = 500


def safe_name(filename: str | None) -> str:
    """The uploaded file's own name, without any directory or characters that would confuse a message."""
    name = PurePath((filename or "form").replace("\\", "/")).name
    name = re.sub(r"[^\w.\- ()\[\]]", "_", name)[:120].strip() or "form"
    return name


def header_layout(name: str, raw: bytes) -> Layout:
    """Where a form's columns are (its heading row as printed); empty when it cannot be read."""
    try:
        if name.lower().endswith(".xlsx"):
            from openpyxl import load_workbook

            from plancheck.data.workbook import SHEET

            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            try:
                ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[-1]
                for n, row in enumerate(ws.iter_rows(values_only=True, max_col=64, max_row=HEADER_BLOCK + 1), 1):
                    heads = ["" if v is None else str(v) for v in row]
                    if is_heading_row(heads):
                        return Layout.of(name, heads, n, ws.title)
            finally:
                wb.close()
        else:
            from plancheck.data.forms import decode_csv

            lines = decode_csv(name, raw[:65536]).splitlines()[:HEADER_BLOCK + 1]
            sep = separator(lines)
            for n, line in enumerate(lines, 1):
                heads = next(csv.reader([line], delimiter=sep), [])
                if is_heading_row(heads):
                    return Layout.of(name, heads, n)
    except Exception:  # a header that cannot be read: problems are shown without cells
        pass
    return Layout.of(name, [])


def _problems(exc: InputError) -> list[Problem]:
    """Every problem of a refused form, each with its cell when it is in one."""
    return [p if isinstance(p, Problem) else Problem("", str(p)) for p in exc.problems]


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
        super().__init__("\n".join(map(str, problems)))
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
        raise Refused(422, _problems(exc)) from None
    outside = out_of_scope(name, reading, plans, actor, header_layout(name, raw))
    if outside:
        raise Refused(403, outside)
    provinces = tuple(sorted({r[0] for r in reading.rows}))
    return Checked(name, hashlib.sha256(raw).hexdigest(), reading, provinces)


def out_of_scope(name: str, reading: Reading, plans: Mapping[tuple[str, str], Plan], actor: Actor,
                 layout: Layout | None = None) -> list[Problem]:
    """Every row ``actor`` may not file, as problems (empty when every row is theirs)."""
    layout = layout or Layout.of(name, [])
    allowed: dict[tuple[str, str], set[tuple[str, str, str, str]]] = {}
    out = []
    for province, plan_id, item, _kind, agency, unit, period, _v, _d, row in reading.rows:
        if not may(actor, "file", province, actor.agency if actor.role == "agency" else None):
            out.append(layout.problem(row, "province", province, "file_only_for",
                                      province=actor.province or _("no province")))
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
            if agency and agency != actor.agency:
                out.append(layout.problem(row, "agency", agency, "row_for_other_agency", agency=agency,
                                          mine=actor.agency))
            else:
                whose = _("agency {agency}").format(agency=agency) if agency else _("the provincial office")
                out.append(layout.problem(row, "agency", agency, "not_your_row", mine=actor.agency, item=item,
                                          unit=unit, period=period, whose=whose))
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
