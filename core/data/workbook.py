"""Excel reporting forms: reading them back (the form itself is written by :mod:`plancheck.data.excel_form`).

Reading is defensive: formulas are never evaluated (the cached value is
read, as Excel saved it; a formula with no saved value refuses the file, naming
the cell), and a workbook is refused before it is parsed when its size, its
number of parts, its uncompressed size, a row's cells, its shared strings or
its sheet's dimensions are beyond sane limits, or a part declares a DTD (zip
bombs, a million empty parts, million-column rows, entity bombs); a damaged
sheet is an InputError, never a traceback.

Only the sheet the clerk filled is read, and only when that is unambiguous
(issue 21): rows filled in a copy of the form sheet, in several sheets, or in
a hidden sheet refuse the file with the reason, as do merged cells in the
sheet read (a merged value belongs to its first row only).

A value cell formatted as a percentage holds a hundredth of what it shows (a
clerk who types "85%" stores 0.85): its figure is passed on as shown (85), and
the row's measure decides whether a percentage is what it asks for
(:func:`plancheck.data.forms.read_rows`'s ``percent``).

A value cell that holds a number (not text) holds exactly that number: 12.345 in a number cell
is 12.345, never twelve thousand, so it is passed on as the number it is (``read_rows``'s
``numbers``), not as text checked for thousands separators; a cell holding the text "12.345"
is read as a CSV's cell is (an ambiguous number).
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import xml.parsers.expat
import zipfile
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from plancheck.data.excel_form import SHEET as SHEET
from plancheck.data.excel_form import write_xlsx as write_xlsx
from plancheck.data.forms import (
    Progress,
    Reading,
    column_key,
    read_rows,
)
from plancheck.data.layout import HEADER_BLOCK, is_heading_row
from plancheck.errors import InputError, Problem, file_problem
from plancheck.language import _
from plancheck.plans.model import Plan

#: Uncompressed bytes a form workbook may hold; a real provincial form is a few MB.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ROWS = 1_100_000
MAX_COLUMNS = 64
#: Cells one row may hold: Excel's own last column (XFD). openpyxl builds a whole row in
#: memory before it can be cut to MAX_COLUMNS, so a longer row is refused before parsing.
MAX_ROW_CELLS = 16_384
#: Distinct strings a workbook may share: openpyxl loads them all at once. A form
#: repeats its ids and names, so a real one has far fewer than it has rows.
MAX_SHARED_STRINGS = MAX_ROWS
#: Parts (zip members) a workbook may hold, and bytes its zip directory may take: zipfile
#: builds an object per member before anything can be checked (issue 21: a million empty
#: members took 750 MiB), so both are read from the zip's end record first.
MAX_MEMBERS = 10_000
MAX_DIRECTORY = 4 * 1024 * 1024
#: Cells named in a message, at most (the rest are counted).
_NAMED_CELLS = 10

def _directory(raw: bytes) -> tuple[int, int] | None:
    """(members, bytes of the zip directory) as the zip's end record (and its zip64 one) says, or
    None when there is none; read before zipfile builds an object for every member."""
    tail_start = max(0, len(raw) - (65535 + 22))
    i = raw.rfind(b"PK\x05\x06", tail_start)
    if i < 0:
        return None
    count = int.from_bytes(raw[i + 10:i + 12], "little")
    size = int.from_bytes(raw[i + 12:i + 16], "little")
    locator = i - 20
    if locator >= 0 and raw[locator:locator + 4] == b"PK\x06\x07":
        at = int.from_bytes(raw[locator + 8:locator + 16], "little")
        record = raw[at:at + 56]
        if record[:4] == b"PK\x06\x06":
            count = max(count, int.from_bytes(record[32:40], "little"))
            size = max(size, int.from_bytes(record[40:48], "little"))
    return count, size


@attrs.frozen
class Scan:
    """What the streaming pass over a workbook's parts found that openpyxl's reading would hide."""

    #: per worksheet part: its merged ranges (``A2:A5``)
    merged: dict[str, list[str]]
    #: per worksheet part: (cell, formula) of formulas with no saved value, and how many there are
    formulas: dict[str, tuple[list[tuple[str, str]], int]]


def _guard(name: str, raw: bytes) -> Scan:
    directory = _directory(raw)
    if directory is not None and (directory[0] > MAX_MEMBERS or directory[1] > MAX_DIRECTORY):
        raise InputError([file_problem(name, "too_many_members", count=directory[0], limit=MAX_MEMBERS)])
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise InputError([file_problem(name, "not_xlsx")]) from None
    except Exception as exc:  # a damaged zip directory: zipfile raises ValueError, OSError, ...
        raise InputError([file_problem(name, "damaged_workbook", detail=_detail(exc))]) from None
    total = sum(i.file_size for i in zf.infolist())
    if total > MAX_UNCOMPRESSED:
        raise InputError([file_problem(name, "unpacks_too_big", size=total // 2**20,
                                       limit=MAX_UNCOMPRESSED // 2**20)])
    if len(zf.infolist()) > MAX_MEMBERS:
        raise InputError([file_problem(name, "too_many_members", count=len(zf.infolist()), limit=MAX_MEMBERS)])
    # What the sizes do not show: a million cells in one row, millions of shared
    # strings, an entity bomb; and what openpyxl's reading hides: merged cells, formulas
    # without a saved value. One streaming pass, in constant memory, before openpyxl.
    strings = 0
    scan = Scan({}, {})
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        sheet = info.filename.lstrip("/") if info.filename.lower().startswith("xl/worksheets/") else None
        try:
            with zf.open(info) as fh:
                strings = _scan_part(fh, strings, scan, sheet)
        except _Refused as exc:
            raise InputError([file_problem(name, "workbook_part_refused", part=info.filename, why=exc)]) from None
        except xml.parsers.expat.ExpatError as exc:
            raise InputError([file_problem(name, "workbook_not_well_formed", part=info.filename,
                                           detail=_detail(exc, named=False))]) from None
        except Exception as exc:  # a damaged or encrypted member: zipfile and zlib raise many kinds
            raise InputError([file_problem(name, "damaged_workbook",
                                           detail=f"{info.filename}: {_detail(exc)}")]) from None
    return scan


class _Refused(Exception):
    """A workbook part beyond what a form can hold."""


def _scan_part(fh, strings: int, scan: Scan, sheet: str | None) -> int:
    """Check one XML part in a streaming pass; return the running count of shared strings.

    For a worksheet part (``sheet``), also note in ``scan`` its merged ranges and its
    formulas that have no saved value.
    """
    cells = 0
    merged: list[str] = []
    unsaved: list[tuple[str, str]] = []
    n_unsaved = 0
    cell = ""  # the reference of the formula cell being read, if any
    formula: list[str] = []
    saved: list[str] = []
    in_formula = False

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal cells, strings, cell, in_formula
        local = tag.rpartition(" ")[2]
        if local == "c":
            cells += 1
            if cells > MAX_ROW_CELLS:
                raise _Refused(_("a row has more than {cells} cells (Excel's limit)").format(cells=MAX_ROW_CELLS))
            cell = attributes.get("r", "?") if sheet else ""
            formula.clear()
            saved.clear()
            in_formula = False
        elif local == "row":
            cells = 0
        elif local == "si":
            strings += 1
            if strings > MAX_SHARED_STRINGS:
                raise _Refused(_("more than {count} shared strings").format(count=MAX_SHARED_STRINGS))
        elif sheet is None:
            return
        elif local == "f" and cell:
            in_formula = True
            parser.CharacterDataHandler = formula.append  # only inside <f> and <v>: the pass stays fast
        elif local == "v" and in_formula:
            parser.CharacterDataHandler = saved.append
        elif local == "mergeCell" and len(merged) < MAX_ROWS:
            ref = attributes.get("ref", "")
            merged.append(ref)

    def end(tag: str) -> None:
        nonlocal cell, in_formula, n_unsaved
        local = tag.rpartition(" ")[2]
        if local in ("f", "v"):
            parser.CharacterDataHandler = None
        elif local == "c" and in_formula:
            if not "".join(saved).strip():
                n_unsaved += 1
                if len(unsaved) < _NAMED_CELLS:
                    unsaved.append((cell, "".join(formula)[:80]))
            in_formula = False
            cell = ""

    def doctype(*_args: object) -> None:  # OOXML parts never declare a DTD; entity bombs do
        raise _Refused(_("a DOCTYPE declaration (not allowed in a workbook)"))

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    if sheet is not None:
        parser.EndElementHandler = end
    while chunk := fh.read(1 << 16):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    if sheet is not None:
        scan.merged[sheet] = merged
        scan.formulas[sheet] = (unsaved, n_unsaved)
    return strings


def _above(ref: str, header_row: int) -> bool:
    """Whether a merged range (``A1:C1``) lies within the heading row or the header block above it."""
    rows = re.findall(r"(\d+)", ref)
    return bool(rows) and all(int(r) <= header_row for r in rows)


def _detail(exc: BaseException, named: bool = True) -> str:
    """What a library said of a damaged workbook, on one line (its messages may span several)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if named else text


def _rows_read(name: str, it: Iterator[tuple[object, ...]], first: int = 2, *, value_at: int = -1,
               numbers: dict[int, float] | None = None) -> Iterator[tuple[int, list[str]]]:
    """Number the rows openpyxl yields (it parses lazily) from ``first``; a damaged sheet is an InputError.

    With ``numbers``, a number with a fraction in the cell at ``value_at`` is noted there (row → the
    number) before its row is yielded: its text ("12.345") is not all it says (see the module's doc).
    A whole number needs no note: its text is its digits, never ambiguous.
    """
    rowno = first - 1
    while True:
        rowno += 1
        try:
            cells = next(it)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises many kinds on a damaged sheet
            raise InputError([file_problem(name, "cannot_read_row", row=rowno,
                                           detail=_detail(exc))]) from None
        if numbers is not None and value_at < len(cells):
            v = cells[value_at]
            if isinstance(v, float) and not v.is_integer():
                numbers[rowno] = v
        yield rowno, [_cell_text(v) for v in cells]


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_xlsx(name: str, raw: bytes, plans: Mapping[tuple[str, str], Plan], today: date,
              progress: Progress | None = None) -> Reading:
    """Check every row of a filled .xlsx form and return its observations."""
    from openpyxl import load_workbook

    if len(raw) > MAX_UNCOMPRESSED:
        raise InputError([file_problem(name, "workbook_too_big", size=len(raw) // 2**20,
                                       limit=MAX_UNCOMPRESSED // 2**20)])
    scan = _guard(name, raw)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise InputError([file_problem(name, "cannot_read_workbook", detail=_detail(exc))]) \
            from None
    try:
        ws, header_row = _filled_sheet(name, wb)
        if (ws.max_column or 0) > MAX_COLUMNS or (ws.max_row or 0) > MAX_ROWS:
            raise InputError([file_problem(name, "sheet_too_big", sheet=ws.title, rows=ws.max_row,
                                           columns=ws.max_column, max_columns=MAX_COLUMNS, max_rows=MAX_ROWS)])
        _structure_problems(name, ws.title, header_row, scan, getattr(ws, "_worksheet_path", "").lstrip("/"))
        # Only a workbook with a percentage format reads its cells' formats: the others (plancheck's
        # own forms among them) are read as values, the fast way (issue 9).
        formats = _percent_styles(wb) != frozenset()
        it: Iterator[tuple[Any, ...]] = ws.iter_rows(values_only=not formats, max_col=MAX_COLUMNS,
                                                     min_row=header_row)
        try:
            first = next(it)
            header = [_cell_text(c.value if formats else c) for c in first]
        except StopIteration:
            raise InputError([file_problem(name, "sheet_empty", sheet=ws.title)]) from None
        except Exception as exc:  # a damaged heading row
            raise InputError([file_problem(name, "cannot_read_row", row=header_row,
                                           detail=_detail(exc))]) from None
        percent: dict[int, str] = {}
        numbers: dict[int, float] = {}
        keys = [column_key(h) for h in header]
        value_at = keys.index("value") if "value" in keys else -1
        if formats and value_at >= 0:
            it = _values_noting_percent(it, value_at, header_row + 1, percent)
        elif formats:
            it = (tuple(c.value for c in cells) for cells in it)
        rows = _rows_read(name, it, header_row + 1, value_at=value_at, numbers=numbers if value_at >= 0 else None)
        return read_rows(name, header, rows, plans, today, progress, sheet=ws.title, header_row=header_row,
                         percent=percent, numbers=numbers)
    finally:
        wb.close()


def _percent_styles(wb: Any) -> frozenset[int] | None:
    """The ids of a workbook's cell styles whose number format shows a percentage; None when its
    styles cannot be seen (openpyxl keeps them in private attributes), so every cell's format is read."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    try:
        styles, custom = wb._cell_styles, wb._number_formats
        found = set()
        for i, style in enumerate(styles):
            n = style.numFmtId
            fmt = BUILTIN_FORMATS.get(n, "General") if n < BUILTIN_FORMATS_MAX_SIZE else \
                custom[n - BUILTIN_FORMATS_MAX_SIZE]
            if is_percent_format(fmt):
                found.add(i)
        return frozenset(found)
    except (AttributeError, IndexError, TypeError):
        return None


@functools.lru_cache(maxsize=256)
def is_percent_format(fmt: str) -> bool:
    """Whether a number format shows its value as a percentage (Excel multiplies it by 100 to show it):
    a ``%`` outside quotes (``"%"`` is text), not escaped (``\\%``) and not in brackets (``[Red]``)."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt or "")
    return "%" in plain


def _values_noting_percent(rows: Iterator[tuple[Any, ...]], value_at: int, first: int,
                           percent: dict[int, str]) -> Iterator[tuple[object, ...]]:
    """The values of ``rows`` (openpyxl's cells, numbered from ``first``); a number in the value
    column whose cell is formatted as a percentage is noted in ``percent`` (row → the figure the
    cell shows, :func:`hundredfold`) before its row is yielded, so the row's check finds it."""
    for rowno, cells in enumerate(rows, first):
        if value_at < len(cells):
            cell = cells[value_at]
            v = cell.value
            if isinstance(v, int | float) and not isinstance(v, bool) and is_percent_format(cell.number_format):
                percent[rowno] = hundredfold(v)
        yield tuple(c.value for c in cells)


def hundredfold(value: float) -> str:
    """The figure a percentage-formatted cell shows for ``value``: 0.85 → "85", 0.07 → "7" (not
    7.000000000000001), 0.8555 → "85.55" (as typed, whatever decimals the format shows).

    Computed in decimal from the number's shortest form, then cut to Excel's own precision (15
    significant digits), so a float's last-bit noise (0.1+0.2) is not taken for a figure.
    """
    scaled = Decimal(repr(value)) * 100
    return "0" if scaled == 0 else format(Decimal(format(scaled, ".15g")).normalize(), "f")  # not "-0"


def _filled_sheet(name: str, wb: Any) -> tuple[Any, int]:
    """The one sheet the clerk filled and its heading row; InputError when that is ambiguous.

    A sheet is a form if one of its first rows (below a header block of at most
    HEADER_BLOCK rows) has the form's columns, and filled if a row below it has a
    value or a date. Rows filled in a copy of the form sheet (issue 21: nothing
    was stored), in several sheets, or in a hidden or very hidden sheet (the hidden
    rows were stored) refuse the file. With nothing filled, the sheet ``form`` is
    read (its rows are counted as ignored).
    """
    forms, filled, heading = [], [], {}
    for ws in wb.worksheets:
        found = _form_columns(name, ws)
        if found is None:
            continue
        heading[ws.title] = found[0]
        forms.append(ws)
        if _has_filled_row(name, ws, *found):
            filled.append(ws)
    if len(filled) > 1:
        raise InputError([file_problem(name, "sheets_filled", count=len(filled), form=SHEET,
                                       sheets=", ".join(repr(ws.title) for ws in filled))])
    if filled:
        ws = filled[0]
        if ws.sheet_state != "visible":
            raise InputError([file_problem(name, "sheet_hidden", sheet=ws.title, form=SHEET)])
        if ws.title != SHEET and SHEET in wb.sheetnames:
            raise InputError([file_problem(name, "copy_filled", sheet=ws.title, form=SHEET)])
        return ws, heading[ws.title]
    if SHEET in wb.sheetnames:
        return wb[SHEET], heading.get(SHEET, 1)
    visible = [ws for ws in forms if ws.sheet_state == "visible"] or forms or \
        [ws for ws in wb.worksheets if ws.sheet_state == "visible"] or wb.worksheets
    if not visible:
        raise InputError([file_problem(name, "no_sheet")])
    return visible[-1], heading.get(visible[-1].title, 1)


def _form_columns(name: str, ws: Any) -> tuple[int, tuple[int, ...]] | None:
    """(the heading row, where the value and date columns are) of a sheet that is a form, else None."""
    rows = ws.iter_rows(values_only=True, max_row=HEADER_BLOCK + 1, max_col=MAX_COLUMNS)
    for rowno, cells in _rows_read(name, rows, 1):
        texts = [_cell_text(v) for v in cells]
        if is_heading_row(texts):
            keys = [column_key(t) for t in texts]
            return rowno, tuple(i for i, k in enumerate(keys) if k in ("value", "date"))
    return None


def _has_filled_row(name: str, ws: Any, header_row: int, columns: tuple[int, ...]) -> bool:
    last = max(columns) + 1
    rows = ws.iter_rows(min_row=header_row + 1, values_only=True, max_col=last)
    for i, (_row, cells) in enumerate(_rows_read(name, rows, header_row + 1)):
        if any(_cell_text(cells[c]).strip() for c in columns if c < len(cells)):
            return True
        if i > MAX_ROWS:
            break
    return False


def _structure_problems(name: str, sheet: str, header_row: int, scan: Scan, part: str) -> None:
    """Merged cells below the heading row and formulas with no saved value in the sheet read:
    InputError naming them (a header block above the heading row may merge its cells)."""
    problems: list[str | Problem] = []
    merged = [ref for ref in scan.merged.get(part, []) if not _above(ref, header_row)]
    if merged:
        shown = ", ".join(merged[:_NAMED_CELLS]) + (_(" and {count} more").format(count=len(merged) - _NAMED_CELLS)
                                                    if len(merged) > _NAMED_CELLS else "")
        problems.append(Problem.of(name, "merged_cells", sheet=sheet, ranges=shown))
    unsaved, count = scan.formulas.get(part, ([], 0))
    for ref, formula in unsaved:
        problems.append(Problem.of(name, "formula_without_value", sheet=sheet, cell=ref, formula="=" + formula))
    if count > len(unsaved):
        problems.append(Problem.of(name, "more_formulas", sheet=sheet, count=count - len(unsaved)))
    if problems:
        raise InputError(problems)


def read_form_bytes(path: Path, raw: bytes, plans: Mapping[tuple[str, str], Plan],
                    today: date, progress: Progress | None = None) -> Reading:
    """A filled form of any supported type (.csv, .xlsx) → observations."""
    from plancheck.data.forms import decode_csv, read_form

    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(str(path), raw, plans, today, progress)
    if suffix == ".csv":
        return read_form(str(path), decode_csv(str(path), raw), plans, today, progress)
    raise InputError([file_problem(str(path), "unsupported_type", suffix=suffix)])


def read_form_file(path: Path, plans: Mapping[tuple[str, str], Plan], today: date,
                   progress: Progress | None = None) -> tuple[Reading, str]:
    """A filled form file (.csv, .xlsx) → its observations, and the sha256 of the bytes read.

    A CSV is checked as it is read, never held whole in memory (issue 9: a
    million-row form held its bytes, its text and a copy of the text at once);
    its sha256 is of the very bytes checked. Raises OSError if the file cannot be read.
    """
    from plancheck.data.forms import read_csv_file

    suffix = path.suffix.lower()
    if suffix != ".csv":
        if path.stat().st_size > MAX_UNCOMPRESSED:  # not even read (issue 21: costs bounded first)
            raise InputError([file_problem(str(path), "workbook_too_big", size=path.stat().st_size // 2**20,
                                           limit=MAX_UNCOMPRESSED // 2**20)])
        raw = path.read_bytes()
        return read_form_bytes(path, raw, plans, today, progress), hashlib.sha256(raw).hexdigest()
    with path.open("rb", buffering=0) as fh:
        hashing = _Hashing(fh)
        reading = read_csv_file(str(path), io.BufferedReader(hashing, 1 << 20), plans, today, progress)
        return reading, hashing.sha.hexdigest()


class _Hashing(io.RawIOBase):
    """A binary file read through, keeping the sha256 of what was read from its start."""

    def __init__(self, fh: io.RawIOBase) -> None:
        self.fh = fh
        self.sha = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        n = self.fh.readinto(buffer)
        if n:
            self.sha.update(memoryview(buffer)[:n])
        return n

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        pos = self.fh.seek(offset, whence)
        self.sha = hashlib.sha256()
        if pos:
            raise io.UnsupportedOperation("only a seek to the start")
        return pos

    def tell(self) -> int:
        return self.fh.tell()
