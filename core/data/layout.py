"""Where a filled form's cells are, and the words a form and its problems use.

A form's columns are found by their headings, in either language or as bare
keys (:data:`HEADINGS`, gettext messages); its heading row is the first row
with every column a filled form needs, below at most :data:`HEADER_BLOCK`
rows of a header block (the reporting body, the period, who prepared it),
which are skipped; a CSV form's separator is the one that splits its heading
row into those columns (',' or, as Excel writes it under Vietnamese regional
settings, ';', or a tab). :class:`Layout` names a problem's cell as the
spreadsheet does (``K12``) with its heading as printed.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable

import attrs

from plancheck import language
from plancheck.errors import Problem
from plancheck.language import pgettext

#: The columns a filled form must have.
REQUIRED = ("province", "plan", "item", "kind", "agency", "unit", "period", "value", "date")


def nfc(text: str) -> str:
    """Vietnamese text pasted from Word or the web is often decomposed: compose it."""
    return unicodedata.normalize("NFC", text).strip()


def _headings() -> dict[str, str]:
    """The form's column headings, in the language of the moment."""
    return {"province": pgettext("form.heading", "Province"), "plan": pgettext("form.heading", "Plan"),
            "item": pgettext("form.heading", "Item"), "kind": pgettext("form.heading", "Kind"),
            "agency": pgettext("form.heading", "Agency"), "unit": pgettext("form.heading", "Administrative unit"),
            "period": pgettext("form.heading", "Period"), "due": pgettext("form.heading", "Due"),
            "description": pgettext("form.heading", "Description"),
            "clause": pgettext("form.heading", "Plan clause"), "value": pgettext("form.heading", "Value"),
            "date": pgettext("form.heading", "Date done/sent"),
            # what the Excel form shows a clerk beside the ids (SHOWN); read back, never stored
            "no": pgettext("form.heading", "No."), "unit_name": pgettext("form.heading", "Administrative unit (name)"),
            "unit_now": pgettext("form.heading", "Unit today (after the reorganisation)"),
            "agency_name": pgettext("form.heading", "Reporting agency"), "kind_name": pgettext("form.heading", "Type"),
            "measure_unit": pgettext("form.heading", "Unit of measure"),
            "period_name": pgettext("form.heading", "Reporting period")}


#: Columns the Excel form shows a clerk in words beside the ids (names, units, the period): a filled form
#: may hold them, and nothing in them is read.
SHOWN = ("no", "unit_name", "unit_now", "agency_name", "kind_name", "measure_unit", "period_name")


def _in(lang: str) -> dict[str, str]:
    with language.using(lang):
        return _headings()


#: Column headings of the forms in each language (gettext messages, context ``form.heading``); any
#: of them (or the bare key) is understood when a filled form comes back.
HEADINGS: dict[str, dict[str, str]] = {lang: _in(lang) for lang in language.LANGS}
_HEADING_KEYS = {nfc(label).lower(): key for lang in HEADINGS.values() for key, label in lang.items()}


def column_key(heading: str) -> str:
    """The column key for a heading in any language (or the key itself)."""
    h = nfc(heading).lower()
    return _HEADING_KEYS.get(h, h)


def letters(index: int) -> str:
    """The spreadsheet's name of the column at ``index`` (from 0): A, B, ..., Z, AA, ..."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@attrs.frozen
class Layout:
    """Where a filled form's cells are: its file and sheet, its heading row as printed, and the
    column of each key; what a problem needs to name the cell (``K12``) and its heading."""

    file: str
    header: tuple[str, ...]
    header_row: int = 1
    sheet: str = ""
    columns: dict[str, int] = attrs.field(factory=dict)

    @classmethod
    def of(cls, file: str, header: list[str], header_row: int = 1, sheet: str = "") -> Layout:
        columns: dict[str, int] = {}
        for i, h in enumerate(header):
            columns.setdefault(column_key(h), i)
        return cls(file, tuple(header), header_row, sheet, columns)

    def problem(self, row: int | None, column: str, value: str | None, kind: str, /, **fields: object) -> Problem:
        """The problem ``kind`` in ``column`` of ``row`` (the cell and heading as the form prints them)."""
        i = self.columns.get(column)
        cell = f"{letters(i)}{row}" if i is not None and row is not None else ""
        heading = self.header[i].strip() if i is not None else ""
        return Problem.of(self.file, kind, sheet=self.sheet, cell=cell, row=row, column=column,
                          heading=heading, value=value, **fields)

    def at(self, row: int | None, index: int, value: str | None, kind: str, /, **fields: object) -> Problem:
        """The problem ``kind`` in the cell at ``index`` of ``row``, whatever its column."""
        heading = self.header[index].strip() if index < len(self.header) else ""
        return Problem.of(self.file, kind, sheet=self.sheet, cell=f"{letters(index)}{row}", row=row,
                          column=column_key(heading) if heading else "", heading=heading, value=value,
                          **fields)

    def row_problem(self, row: int, kind: str, /, **fields: object) -> Problem:
        return Problem.of(self.file, kind, sheet=self.sheet, row=row, **fields)


#: Rows above the heading row a form may have (the reporting body, the period, who prepared it): skipped.
HEADER_BLOCK = 30
#: Separators a CSV form may use: Excel writes ';' where the regional settings use ',' for decimals
#: (Vietnamese ones do), and "Unicode text" is tab-separated.
SEPARATORS = (",", ";", "\t")


def is_heading_row(cells: Iterable[str]) -> bool:
    """Whether a row is a form's heading row: it has every column a filled form needs."""
    keys = {column_key(c) for c in cells if c}
    return all(c in keys for c in REQUIRED)


def separator(lines: Iterable[str]) -> str:
    """The separator of a CSV form, from its first lines: the one that splits a line into a heading
    row (every column a form needs); else the one that finds most of the form's columns in the first
    line; else ','. A form's heading row holds the form's names, so no two separators can both fit."""
    best, best_count = ",", 0
    for n, line in enumerate(lines):
        for sep in SEPARATORS:
            if sep not in line:
                continue
            try:
                cells = next(csv.reader([line], delimiter=sep), [])
            except csv.Error:
                continue
            if is_heading_row(cells):
                return sep
            if n == 0:
                count = len({column_key(c) for c in cells} & set(REQUIRED))
                if count > best_count:
                    best, best_count = sep, count
    return best


def kind_word(kind: str) -> str:
    """A form row's kind (measure, task, obligation) as a message says it."""
    words = {"measure": pgettext("kind", "measure"), "task": pgettext("kind", "task"),
             "obligation": pgettext("kind", "obligation")}
    return words.get(kind, kind)


def level_word(level: str) -> str:
    """A unit's level as a message says it."""
    words = {"province": pgettext("level", "province"), "district": pgettext("level", "district"),
             "commune": pgettext("level", "commune")}
    return words.get(level, level)


def period_word(period_type: str) -> str:
    """A type of period as a message says it (reported per year, per quarter)."""
    words = {"yearly": pgettext("period", "yearly"), "semiannual": pgettext("period", "semiannual"),
             "quarterly": pgettext("period", "quarterly"), "monthly": pgettext("period", "monthly")}
    return words.get(period_type, period_type)


def _kind_words(lang: str) -> dict[str, str]:
    with language.using(lang):
        return {nfc(kind_word(k)).lower(): k for k in ("measure", "task", "obligation")}


#: A row's kind as a form may write it: the id, or its word in either language.
KIND_KEYS: dict[str, str] = {k: v for lang in language.LANGS for k, v in _kind_words(lang).items()}
