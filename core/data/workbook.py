"""Excel reporting forms: writing them for agencies, reading them back.

Written forms have an instructions sheet, Vietnamese (or English) headings,
the id columns locked (the sheet is protected, only ``value`` and ``date``
are editable), data validation on those two columns, and the due date and
the plan clause on every row.

Reading is defensive: formulas are never evaluated (the cached value is
read, as Excel saved it), and a workbook is refused before it is parsed when
its uncompressed size, a row's cells, its shared strings or its sheet's
dimensions are beyond sane limits, or a part declares a DTD (zip bombs,
million-column rows, entity bombs); a damaged sheet is an InputError, never
a traceback.
"""

from __future__ import annotations

import hashlib
import io
import xml.parsers.expat
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from plancheck.data.forms import HEADINGS, FormRow, Progress, Reading, read_rows
from plancheck.errors import InputError
from plancheck.plans.model import Plan

SHEET = "form"
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

XLSX_COLUMNS = ("province", "plan", "item", "kind", "agency", "unit", "period", "due",
                "description", "clause", "value", "date")
_COUNT_UNITS = {"count", "people", "m2", "vnd"}

_INSTRUCTIONS = {
    "vi": [
        "HƯỚNG DẪN ĐIỀN BIỂU MẪU",
        "Mỗi dòng là một số liệu hoặc một việc Kế hoạch yêu cầu báo cáo.",
        "Chỉ điền cột “Giá trị” (với Loại = measure: số liệu, là số, không dùng dấu phân cách hàng nghìn) "
        "hoặc cột “Ngày thực hiện/gửi” (với Loại = task/obligation: ngày hoàn thành hoặc ngày gửi báo cáo).",
        "Không sửa các cột khác: chúng xác định số liệu và đã được khóa.",
        "Dòng để trống sẽ được bỏ qua. Cột “Hạn” là hạn theo Kế hoạch; cột “Căn cứ” là điều khoản của Kế hoạch.",
        "Gửi lại tệp này (định dạng .xlsx) cho đơn vị tổng hợp: plancheck ingest <tệp>.",
    ],
    "en": [
        "HOW TO FILL IN THIS FORM",
        "Each row is one datum or one piece of work the plan requires to be reported.",
        "Fill only “Value” (for kind = measure: a number, without thousands separators) or "
        "“Date done/sent” (for kind = task/obligation: the day the work was done or the report sent).",
        "Do not change the other columns: they identify the datum and are locked.",
        "Empty rows are ignored. “Due” is the plan's due date; “Plan clause” is the clause it comes from.",
        "Send this file (.xlsx) back to the office that collects them: plancheck ingest <file>.",
    ],
}


def write_xlsx(rows: Iterable[FormRow], lang: str = "vi") -> bytes:
    """A reporting form as an .xlsx file's bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ins = wb.active
    ins.title = "huong_dan" if lang == "vi" else "instructions"
    for i, line in enumerate(_INSTRUCTIONS[lang], start=1):
        ins.cell(row=i, column=1, value=line).font = Font(bold=(i == 1))
    ins.column_dimensions["A"].width = 120
    ws = wb.create_sheet(SHEET)
    heads = HEADINGS[lang]
    ws.append([heads[c] for c in XLSX_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    value_col = XLSX_COLUMNS.index("value") + 1
    date_col = XLSX_COLUMNS.index("date") + 1
    counts = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                            allow_blank=True, showErrorMessage=True,
                            error="Số không âm / a number ≥ 0")
    numbers = DataValidation(type="decimal", operator="between", formula1="-1E15", formula2="1E15",
                             allow_blank=True, showErrorMessage=True, error="Số / a number")
    dates = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                           formula2="DATE(2100,12,31)", allow_blank=True, showErrorMessage=True,
                           error="Ngày / a date (dd/mm/yyyy)")
    no_value = DataValidation(type="textLength", operator="equal", formula1="0", allow_blank=True,
                              showErrorMessage=True, error="Không điền ô này / leave this cell empty")
    for dv in (counts, numbers, dates, no_value):
        ws.add_data_validation(dv)
    unlocked = Protection(locked=False)
    n = 1
    for r in rows:
        n += 1
        ws.append([r.province, r.plan, r.item, r.kind, r.agency, r.unit, r.period, r.due,
                   r.description.rsplit(" [", 1)[0], r.clause, None, None])
        ws.cell(row=n, column=XLSX_COLUMNS.index("due") + 1).number_format = "DD/MM/YYYY"
        vcell, dcell = ws.cell(row=n, column=value_col), ws.cell(row=n, column=date_col)
        vcell.protection = unlocked
        dcell.protection = unlocked
        dcell.number_format = "DD/MM/YYYY"
        if r.kind == "measure":
            (counts if r.unit_kind in _COUNT_UNITS else numbers).add(vcell)
            no_value.add(dcell)
        else:
            dates.add(dcell)
            no_value.add(vcell)
    for letter, width in zip("ABCDEFGHIJKL", (12, 28, 26, 11, 22, 24, 8, 12, 70, 14, 12, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:L{n}"
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    wb.active = 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _guard(name: str, raw: bytes) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise InputError([f"{name}: not an .xlsx workbook (not a zip file)"]) from None
    except Exception as exc:  # a damaged zip directory: zipfile raises ValueError, OSError, ...
        raise InputError([f"{name}: damaged workbook: {type(exc).__name__}: {exc}"]) from None
    total = sum(i.file_size for i in zf.infolist())
    if total > MAX_UNCOMPRESSED:
        raise InputError([f"{name}: refused: the workbook unpacks to {total // 2**20} MiB, more than "
                          f"the {MAX_UNCOMPRESSED // 2**20} MiB a form may hold"])
    # What the sizes do not show: a million cells in one row, millions of shared
    # strings, an entity bomb. One streaming pass, in constant memory, before openpyxl.
    strings = 0
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        try:
            with zf.open(info) as fh:
                strings = _scan_part(fh, strings)
        except _Refused as exc:
            raise InputError([f"{name}: refused: {info.filename}: {exc}"]) from None
        except xml.parsers.expat.ExpatError as exc:
            raise InputError([f"{name}: not a well-formed workbook: {info.filename}: {exc}"]) from None
        except Exception as exc:  # a damaged or encrypted member: zipfile and zlib raise many kinds
            raise InputError([f"{name}: damaged workbook: {info.filename}: "
                              f"{type(exc).__name__}: {exc}"]) from None


class _Refused(Exception):
    """A workbook part beyond what a form can hold."""


def _scan_part(fh, strings: int) -> int:
    """Check one XML part in a streaming pass; return the running count of shared strings."""
    cells = 0

    def start(tag: str, _attrs: object) -> None:
        nonlocal cells, strings
        local = tag.rpartition(" ")[2]
        if local == "c":
            cells += 1
            if cells > MAX_ROW_CELLS:
                raise _Refused(f"a row has more than {MAX_ROW_CELLS} cells (Excel's limit)")
        elif local == "row":
            cells = 0
        elif local == "si":
            strings += 1
            if strings > MAX_SHARED_STRINGS:
                raise _Refused(f"more than {MAX_SHARED_STRINGS} shared strings")

    def doctype(*_args: object) -> None:  # OOXML parts never declare a DTD; entity bombs do
        raise _Refused("a DOCTYPE declaration (not allowed in a workbook)")

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    while chunk := fh.read(1 << 16):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return strings


def _rows_read(name: str, it: Iterator[tuple[object, ...]]) -> Iterator[tuple[int, list[str]]]:
    """Number the rows openpyxl yields (it parses lazily); a damaged sheet is an InputError."""
    rowno = 1
    while True:
        rowno += 1
        try:
            cells = next(it)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises many kinds on a damaged sheet
            raise InputError([f"{name}: cannot read row {rowno} of the workbook: "
                              f"{type(exc).__name__}: {exc}"]) from None
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

    _guard(name, raw)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise InputError([f"{name}: cannot read the workbook: {type(exc).__name__}: {exc}"]) from None
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[-1]
        if (ws.max_column or 0) > MAX_COLUMNS or (ws.max_row or 0) > MAX_ROWS:
            raise InputError([f"{name}: refused: sheet {ws.title!r} is {ws.max_row} rows × "
                              f"{ws.max_column} columns; a form has at most {MAX_COLUMNS} columns "
                              f"and {MAX_ROWS} rows"])
        it: Iterator[tuple[object, ...]] = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        try:
            header = [_cell_text(v) for v in next(it)]
        except StopIteration:
            raise InputError([f"{name}: sheet {ws.title!r} is empty"]) from None
        except Exception as exc:  # a damaged first row
            raise InputError([f"{name}: cannot read row 1 of the workbook: "
                              f"{type(exc).__name__}: {exc}"]) from None
        return read_rows(f"{name}[{ws.title}]", header, _rows_read(name, it), plans, today, progress)
    finally:
        wb.close()


def read_form_bytes(path: Path, raw: bytes, plans: Mapping[tuple[str, str], Plan],
                    today: date, progress: Progress | None = None) -> Reading:
    """A filled form of any supported type (.csv, .xlsx) → observations."""
    from plancheck.data.forms import decode_csv, read_form

    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(str(path), raw, plans, today, progress)
    if suffix == ".csv":
        return read_form(str(path), decode_csv(str(path), raw), plans, today, progress)
    raise InputError([f"{path}: unsupported form type {suffix!r}; plancheck reads .csv and .xlsx forms"])


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
