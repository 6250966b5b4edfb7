"""Errors a user can act on: bad plan files, bad forms, bad arguments; and their words.

They carry every problem found, not the first, so one run of the command
shows everything to fix. The CLI prints them and exits 2; nothing else
catches them.

The words of a problem are built here, one entry per kind of problem
(:data:`REASONS`), never in scattered f-strings: what is wrong, and how to
fix it, as two gettext messages with named placeholders so a translation may
reorder them (English in the code, Vietnamese in the catalog; see
:mod:`plancheck.language`). A problem in a form is a :class:`Problem`: the
file, the sheet, the cell (``K12``) and its column's heading as the form
prints it, the value, what is wrong and how to fix it; it reads, in English,
``form.xlsx, sheet “form”, cell K12 (column “Value”): '-3': a count cannot be
negative; give the figure, 0 or more``, and ``ingest --format json`` gives its
fields. A problem of a whole file reads ``file: reason`` (:func:`file_problem`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from plancheck.language import _, lazy

#: Exit codes of every command (the CLI's contract): nothing fails, something is not met,
#: the user's error (one clear message, nothing written), a bug (a traceback is shown;
#: never 1, which would read as "something not met").
EXIT_OK, EXIT_NOT_MET, EXIT_USER_ERROR, EXIT_BUG = 0, 1, 2, 3


class InputError(Exception):
    """One or more problems in something the user gave us.

    Each problem is a line, already prefixed with where it is (``file: message
    @ $.path``), or a :class:`Problem` in a form (its line is ``str(problem)``).
    """

    def __init__(self, problems: Iterable[str | Problem], *, limit: int | None = None) -> None:
        self.problems = list(problems)
        self.limit = limit
        super().__init__("\n".join(map(str, self.problems)))

    def lines(self) -> list[str]:
        """The problems to show, cut at ``limit`` with a count of the rest."""
        if self.limit is None or len(self.problems) <= self.limit:
            return [str(p) for p in self.problems]
        rest = len(self.problems) - self.limit
        return [*map(str, self.problems[: self.limit]), _("... and {rest} more problems").format(rest=rest)]

    def to_json(self) -> list[dict[str, Any]]:
        """Every problem as ``ingest --format json`` gives it (a line that is not in a form: ``problem`` only)."""
        return [p.to_json() if isinstance(p, Problem) else Problem("", p).to_json() for p in self.problems]


class Refusal(ValueError):
    """A value refused for a reason of :data:`REASONS` (a date, a number); ``str()`` is its words."""

    def __init__(self, kind: str, /, **fields: object) -> None:
        self.kind = kind
        self.fields = fields
        super().__init__(kind)

    def __str__(self) -> str:
        return reason(self.kind, **self.fields)


class Problem:
    """One problem in a form: where it is, in the clerk's terms, what is wrong and how to fix it.

    ``cell`` is the spreadsheet's reference (``K12``), ``heading`` the column's heading as the
    form prints it ("Giá trị"), ``column`` the form's key for it (``value``), ``value`` the
    cell's text; ``problem`` and ``fix`` are already in the reader's language.
    """

    __slots__ = ("file", "problem", "fix", "sheet", "cell", "row", "column", "heading", "value")

    def __init__(self, file: str, problem: str, fix: str = "", *, sheet: str = "", cell: str = "",
                 row: int | None = None, column: str = "", heading: str = "", value: str | None = None) -> None:
        self.file, self.problem, self.fix = file, problem, fix
        self.sheet, self.cell, self.row = sheet, cell, row
        self.column, self.heading, self.value = column, heading, value

    @classmethod
    def of(cls, file: str, kind: str, /, **where_and_fields: Any) -> Problem:
        """The problem of ``kind`` (a key of :data:`REASONS`); ``sheet``, ``cell``, ``row``, ``column``,
        ``heading`` and ``value`` say where, the other keywords fill the kind's words."""
        where = {k: where_and_fields.pop(k) for k in ("sheet", "cell", "row", "column", "heading", "value")
                 if k in where_and_fields}
        problem, fix = words(kind, **where, **where_and_fields)  # a kind's words may name where it is
        return cls(file, problem, fix, **where)

    def where(self) -> str:
        """``form.xlsx, sheet “form”, cell K12 (column “Value”)``, in the reader's language."""
        parts = [_("{file}, sheet “{sheet}”").format(file=self.file, sheet=self.sheet) if self.sheet else self.file]
        if self.cell and self.heading:
            parts.append(_("cell {cell} (column “{heading}”)").format(cell=self.cell, heading=self.heading))
        elif self.cell:
            parts.append(_("cell {cell}").format(cell=self.cell))
        elif self.row is not None:
            parts.append(_("row {row}").format(row=self.row))
        return ", ".join(p for p in parts if p)

    def words(self) -> str:
        """What is wrong and how to fix it, in one sentence."""
        return joined(self.problem, self.fix)

    def __str__(self) -> str:
        where = self.where()
        head = f"{where}: " if where else ""
        shown = f"{self.value!r}: " if self.value is not None else ""
        return f"{head}{shown}{self.words()}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(str(self))

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet or None, "cell": self.cell or None, "row": self.row,
                "column": self.column or None, "heading": self.heading or None, "value": self.value,
                "problem": self.problem, "fix": self.fix or None}


def _w(problem: str, fix: str = "") -> tuple[str, str]:
    return (problem, fix)


#: What is wrong and how to fix it, per kind of problem: two messages (marked with ``lazy``, so they
#: are translated when shown). Placeholders are named.
REASONS: dict[str, tuple[str, str]] = {
    # -- a form's structure (issue 21, class 1: a row is stored only when every cell is accounted for)
    "csv_line_break": _w(
        lazy("a line break inside a cell (it runs over lines {lines}): a quote (\") opened in this cell is "
             "closed on a later line, so the lines in between were read as one cell"),
        lazy("remove the stray quote (or the line break) and send the file again")),
    "csv_cell_count": _w(
        lazy("this row has {found} cells, the heading row has {expected}: cells are missing at its end (a cut "
             "line, or a separator other than the heading row's)"),
        lazy("make every row as wide as the heading row (save the sheet again as 'CSV UTF-8')")),
    "csv_cell_too_long": _w(
        lazy("a cell is longer than {limit} characters: no cell of a form is that long (a quote opened and "
             "never closed?)"),
        lazy("remove the stray quote and save the sheet again as 'CSV UTF-8'")),
    "csv_unreadable": _w(lazy("not a readable CSV row ({error})"),
                         lazy("save the sheet again as 'CSV UTF-8'")),
    "column_twice": _w(
        lazy("columns {positions} are all '{name}': the form has one"),
        lazy("keep the column you filled and delete the other")),
    "column_unknown": _w(
        lazy("'{name}' is not a column of the form"),
        lazy("delete it (the form's columns are {known})")),
    "columns_missing": _w(lazy("missing columns: {missing}"),
                          lazy("send the form with the columns it was made with: {known}")),
    "cell_outside_header": _w(
        lazy("a value in column {position}, which has no heading"),
        lazy("every filled cell must be under a column of the form: move it to the value or the date column")),
    "cannot_read_file": _w(lazy("cannot read: {why}"), lazy("check the file's name and that you may read it")),
    "file_empty": _w(lazy("the file is empty"), lazy("fill in the form you were sent and send it again")),
    "not_text": _w(
        lazy("not {encoding} text: byte {byte} at offset {offset} cannot be decoded"),
        lazy("save the form as 'CSV UTF-8' (or Unicode text) and send it again")),
    # -- a row's cells
    "bad_kind": _w(lazy("the kind must be measure, task or obligation"),
                   lazy("leave the kind as the form gives it")),
    "bad_period": _w(lazy("not a period"),
                     lazy("write 2024 (a year), 2024S1 (a half year), 2024Q1 (a quarter) or 202403 (a month), "
                          "as the form gives it")),
    "date_not_value": _w(lazy("{kind} rows take a date (when it was done), not a value"),
                         lazy("move it to the date column")),
    "value_not_date": _w(lazy("a figure takes a value, not a date"), lazy("move it to the value column")),
    "derived_measure": _w(lazy("this figure is computed from other figures, not reported"),
                          lazy("leave this row empty")),
    "wrong_level": _w(lazy("{item} is reported per {level}, this unit is a {unit_level}"),
                      lazy("check the row against the form")),
    "wrong_period_type": _w(lazy("{item} is reported per {period_type} period"), lazy("check the period")),
    "outside_plan": _w(lazy("outside the plan period {start}..{end} (and its baseline year)"),
                       lazy("check the period")),
    "not_expected": _w(lazy("not expected to submit {item}"), lazy("check the row against the form")),
    "unexpected_period": _w(lazy("{item} expects periods {periods}"), lazy("check the period")),
    "in_future": _w(lazy("in the future (today is {today})"), lazy("check the date (day/month/year)")),
    "before_plan": _w(lazy("before the plan starts ({start})"), lazy("check the date (day/month/year)")),
    "part_above_whole": _w(
        lazy("{part} is larger than {whole} ({whole_value}, row {whole_row}) for {unit} {period}: a part "
             "cannot exceed its whole"),
        lazy("correct one of the two")),
    # -- dates as people write them (plans.calendar.parse_written_date)
    "not_a_date": _w(lazy("not a date"), lazy("write 31/12/2024 (day/month/year) or 2024-12-31")),
    "date_short_year": _w(lazy("the year has two digits, which can be read several ways"),
                          lazy("write the year in full, e.g. 05/03/2024")),
    "no_such_month": _w(lazy("there is no month {month}"), lazy("write day/month/year, e.g. 31/12/2024")),
    "no_such_day": _w(lazy("month {month} of {year} has {last} days"),
                      lazy("check the day (day/month/year)")),
    # -- identities
    "unknown_province": _w(lazy("unknown province{hint}"), lazy("write the province id as the form gives it")),
    "unknown_plan": _w(lazy("unknown plan for province {province}{hint}"),
                       lazy("write the plan id as the form gives it")),
    "unknown_unit": _w(lazy("unknown unit in plan {plan}{hint}"), lazy("write the unit as the form gives it")),
    "unknown_item": _w(lazy("unknown {kind} in plan {plan}{hint}"), lazy("write the item as the form gives it")),
    "unknown_agency": _w(lazy("unknown agency in plan {plan}{hint}"),
                         lazy("write the agency as the form gives it")),
    "unit_name_shared": _w(lazy("this name is shared by {count} units of plan {plan} ({ids})"),
                           lazy("write the unit's id instead")),
    # A suggestion inside another problem (plans.identity.hint), which has a fix of its own: one message,
    # so a translation that introduces each fix ("Cách sửa: ...") does not introduce two.
    "lookalike": _w(lazy("looks like {candidates} but is written with {letters}; type it again in Latin letters")),
    "not_nfc": _w(
        lazy("{what} is not in composed Unicode (NFC): it looks like '{composed}' but will never match it"),
        lazy("retype it (or save the file in NFC)")),
    "control_character": _w(
        lazy("{what} holds the control character {codepoint}"),
        lazy("remove it (it cannot be shown, and Word and Excel refuse it)")),
    "unit_not_per_unit": _w(lazy("{item} is reported per agency, not per unit"), lazy("leave the unit empty")),
    # -- values that cannot be true (class 2; issue 16 section 4)
    "count_fraction": _w(
        lazy("{what} is a whole number, this has a fraction"),
        lazy("write a whole number (a decimal comma or point in a count is a typo, or a percentage in the "
             "wrong row)")),
    "negative": _w(lazy("{what} cannot be negative"), lazy("give the figure, 0 or more")),
    "share_range": _w(
        lazy("a share in percent is between 0 and 100"),
        lazy("give it as a percentage (85 for 85%), not a fraction (0.85) nor a count")),
    "not_a_number": _w(lazy("not a number"), lazy("write digits, with ',' or '.' before decimals only")),
    "percent_sign": _w(lazy("a number with a % sign"), lazy("remove the % sign: write {number}")),
    "percent_format": _w(
        lazy("a cell formatted as a percentage (Excel keeps {shown} as {stored}), and {what} is not a percentage"),
        lazy("type the number without %, in a cell formatted as Number or General")),
    "spaced_number": _w(lazy("a number with spaces in it"), lazy("remove the spaces: write {number}")),
    "ambiguous_number": _w(
        lazy("ambiguous number: '.' and ',' may be a thousands separator"),
        lazy("write it without one (e.g. 1000 or 1000.5)")),
    "too_large": _w(lazy("too large a number (the form takes {low} to {high})"), lazy("check the figure")),
    "before_period": _w(
        lazy("dated {day}, before the period {period} it is for began ({start}): a report on a period cannot "
             "be sent before the period starts"),
        lazy("check the date (day/month/year) or the period")),
    "formula_without_value": _w(
        lazy("holds the formula '{formula}' with no saved value (the file was not saved by Excel, or "
             "calculation is off)"),
        lazy("open it in Excel, let it calculate and save it, or type the value")),
    # -- a workbook's structure
    "sheet_hidden": _w(
        lazy("sheet '{sheet}' holds the filled rows but is hidden"),
        lazy("unhide it and check it is the one to send, or copy its rows into the visible sheet '{form}'")),
    "sheets_filled": _w(
        lazy("{count} sheets hold filled form rows ({sheets}): which one counts is ambiguous"),
        lazy("keep the rows in one sheet ('{form}') and delete the copies")),
    "copy_filled": _w(
        lazy("sheet '{sheet}' holds the filled rows, not sheet '{form}'"),
        lazy("copy them into sheet '{form}' (or delete the empty '{form}' sheet) and send the workbook again")),
    "merged_cells": _w(
        lazy("cells {ranges} are merged: a merged cell holds a value for its first row only"),
        lazy("unmerge them and give each row its own value")),
    "too_many_members": _w(
        lazy("refused: the workbook has {count} parts, more than the {limit} a form may hold (a workbook "
             "saved by Excel has a few dozen)"),
        lazy("send the form as Excel saved it")),
    "workbook_too_big": _w(lazy("refused: the file is {size} MiB, more than the {limit} MiB a form may hold"),
                           lazy("send the form alone, as Excel saved it")),
    "unpacks_too_big": _w(
        lazy("refused: the workbook unpacks to {size} MiB, more than the {limit} MiB a form may hold"),
        lazy("send the form alone, as Excel saved it")),
    "not_xlsx": _w(lazy("not an .xlsx workbook (not a zip file)"),
                   lazy("save it in Excel as 'Excel Workbook (*.xlsx)' and send it again")),
    "damaged_workbook": _w(lazy("damaged workbook: {detail}"), lazy("open it in Excel, save it again and send it")),
    "workbook_part_refused": _w(lazy("refused: {part}: {why}"), lazy("send the form as Excel saved it")),
    "workbook_not_well_formed": _w(lazy("not a well-formed workbook: {part}: {detail}"),
                                   lazy("open it in Excel, save it again and send it")),
    "cannot_read_workbook": _w(lazy("cannot read the workbook: {detail}"),
                               lazy("open it in Excel, save it again and send it")),
    "cannot_read_row": _w(lazy("cannot read row {row} of the workbook: {detail}"),
                          lazy("open it in Excel, save it again and send it")),
    "sheet_too_big": _w(
        lazy("refused: sheet '{sheet}' is {rows} rows × {columns} columns; a form has at most {max_columns} "
             "columns and {max_rows} rows"),
        lazy("send the form alone, as it was made")),
    "sheet_empty": _w(lazy("sheet '{sheet}' is empty"), lazy("fill in the form you were sent and send it again")),
    "no_sheet": _w(lazy("the workbook has no sheet"), lazy("fill in the form you were sent and send it again")),
    "unsupported_type": _w(lazy("unsupported form type {suffix!r}"), lazy("send the form as .xlsx or .csv")),
    "more_formulas": _w(lazy("... and {count} more formulas with no saved value")),
    # -- across files of one ingest (class 3)
    "conflict_across_files": _w(
        lazy("{other_file} row {other_row} gives {other} for the same datum: the files disagree"),
        lazy("correct one of them, or ingest them one after the other if the later one is a correction")),
    "conflict_in_file": _w(lazy("row {other_row} gives {other} for the same datum"),
                           lazy("keep one of the two rows")),
    "nothing_written": _w(lazy("nothing was written")),
    # -- filing through the portal: rows the uploader may not file
    "file_only_for": _w(lazy("you may file only for {province}"),
                        lazy("remove the row, or ask the provincial office to file it")),
    "not_your_row": _w(lazy("not a row of {mine}'s form ({item} {unit} {period} is for {whose})"),
                       lazy("remove the row, or ask the provincial office to file it")),
    "row_for_other_agency": _w(lazy("a row for {agency}: you file only for {mine}"),
                               lazy("remove the row: {agency} files its own form")),
    # -- storage (classes 6, 7)
    "memory_database": _w(
        lazy("database {url} is in memory: what is written there vanishes when the command ends"),
        lazy("give a file (sqlite:///path/plancheck.db) or a server with --db or PLANCHECK_DB")),
    # -- waivers and lookups (class 10)
    "waiver_matches_nothing": _w(lazy("this waiver applies to nothing: no finding of {item} has {given}")),
    "no_item": _w(lazy("no item {item!r} in {province}'s plans{hint}"), lazy("items: {known}")),
    "no_finding_for": _w(lazy("{item} has no finding for {option} {given!r}{hint}"),
                         lazy("its findings are for: {known}")),
    "no_finding_for_both": _w(lazy("{item} has no finding for unit {unit!r} and agency {agency!r} together")),
    "no_history_item": _w(
        lazy("no measure, task or obligation {item!r} in {province}'s plans{hint}"),
        lazy("history is kept for what forms report (targets are computed from measures)")),
    # -- output (class 5)
    "cannot_write": _w(lazy("cannot write {target}: {why}"), lazy("check the path and the free space")),
    "output_closed": _w(lazy("the output was closed before plancheck finished writing ({why})")),
}


def words(kind: str, /, **fields: object) -> tuple[str, str]:
    """(what is wrong, how to fix it) for one ``kind`` of problem, in the reader's language."""
    problem, fix = REASONS[kind]
    return str(problem).format(**fields), (str(fix).format(**fields) if fix else "")


#: How a sentence ends: a problem that ends with one (a suggestion, ``did you mean 'so_yte'?``) is not
#: followed by the joining punctuation as well ("?;" in English, "?." in Vietnamese).
_SENTENCE_ENDS = (".", "?", "!", "…")


def joined(problem: str, fix: str) -> str:
    """What is wrong and how to fix it as one sentence (``problem; fix``); after a problem that ends a
    sentence, the fix is a sentence of its own (``did you mean 'so_yte'? Write the agency as ...``)."""
    if not fix:
        return problem
    if not problem.rstrip().endswith(_SENTENCE_ENDS):
        return _("{problem}; {fix}").format(problem=problem, fix=fix)
    # Translators: what is wrong already ends a sentence (a question: did you mean 'so_yte'?), then how to
    # fix it. Where {fix} itself starts the new sentence, its first letter is made a capital.
    text = _("{problem} {fix}")
    lead = text.partition("{fix}")[0].rstrip()
    if lead in ("", "{problem}") or lead.endswith(_SENTENCE_ENDS):
        fix = fix[:1].upper() + fix[1:]
    return text.format(problem=problem.rstrip(), fix=fix)


def reason(kind: str, /, **fields: object) -> str:
    """The words for one ``kind`` of problem (a key of :data:`REASONS`), with its fields filled in."""
    return joined(*words(kind, **fields))


def file_problem(file: str, kind: str, /, **fields: object) -> Problem:
    """A problem of a whole file (``file: reason``)."""
    return Problem.of(file, kind, **fields)


def output_failure(exc: OSError, target: str | None = None) -> str:
    """One line for a failure to write output (a missing directory, a full disk, a closed pipe)."""
    import errno

    why = exc.strerror or type(exc).__name__
    if exc.errno == errno.EPIPE or isinstance(exc, BrokenPipeError):
        return reason("output_closed", why=why)
    where = target or exc.filename or _("the output")
    return reason("cannot_write", target=where, why=why)
