"""Errors a user can act on: bad plan files, bad forms, bad arguments; and their words.

They carry every problem found, not the first, so one run of the command
shows everything to fix. The CLI prints them and exits 2; nothing else
catches them.

The words of a problem are built here, one template per kind of problem
(:data:`REASONS`), never in scattered f-strings: each says what is wrong and
how to fix it, with named placeholders so a translation may reorder them
(the gettext catalogues take these templates as they are). A problem about a
cell of a form reads ``file:row: column: 'value': reason``
(:func:`cell_problem`); about a whole file, ``file: reason`` (:func:`file_problem`).
"""

from __future__ import annotations

from collections.abc import Iterable

#: Exit codes of every command (the CLI's contract): nothing fails, something is not met,
#: the user's error (one clear message, nothing written), a bug (a traceback is shown;
#: never 1, which would read as "something not met").
EXIT_OK, EXIT_NOT_MET, EXIT_USER_ERROR, EXIT_BUG = 0, 1, 2, 3


class InputError(Exception):
    """One or more problems in something the user gave us.

    Each problem is one line, already prefixed with where it is
    (``file: message @ $.path`` or ``file:row: column: message``).
    """

    def __init__(self, problems: Iterable[str], *, limit: int | None = None) -> None:
        self.problems = list(problems)
        self.limit = limit
        super().__init__("\n".join(self.problems))

    def lines(self) -> list[str]:
        """The problems to show, cut at ``limit`` with a count of the rest."""
        if self.limit is None or len(self.problems) <= self.limit:
            return list(self.problems)
        rest = len(self.problems) - self.limit
        return [*self.problems[: self.limit], f"... and {rest} more problems"]


#: What is wrong and how to fix it, per kind of problem. Placeholders are named.
REASONS: dict[str, str] = {
    # -- a form's structure (issue 21, class 1: a row is stored only when every cell is accounted for)
    "csv_line_break": (
        "a line break inside a cell (it runs over lines {lines}): a quote (\") opened in this cell is "
        "closed on a later line, "
        "so the lines in between were read as one cell; remove the stray quote (or the line break) "
        "and ingest the file again"),
    "csv_cell_count": (
        "this row has {found} cells, the header has {expected}: {why}; make every row as wide as the "
        "header (export the sheet again as 'CSV UTF-8')"),
    "csv_unreadable": "not a readable CSV row: {error}; export the sheet again as 'CSV UTF-8'",
    "column_twice": (
        "columns {positions} are all '{column}': the form has one; keep the column you filled and "
        "delete the other"),
    "column_unknown": (
        "'{heading}' is not a column of the form; delete it (the form's columns are {known})"),
    "columns_missing": "missing columns: {missing} (a form has {known})",
    "cell_outside_header": (
        "a value in column {position}, which has no heading: every filled cell must be under a "
        "column of the form; move it to 'value' or 'date'"),
    "file_empty": "the file is empty: fill the form made by 'plancheck template' and send it again",
    "not_text": (
        "not {encoding} text: byte {byte} at offset {offset} cannot be decoded; save the form as "
        "'CSV UTF-8' (or Unicode text) and ingest it again"),
    # -- a row's cells
    "as_is": "{text}",
    "bad_kind": "kind must be measure, task or obligation (as the form gives it)",
    "bad_period": "{error}",
    "not_a_date": "not a date; write 2024-03-12 or 12/03/2024",
    "date_not_value": "a {kind} takes a date (when it was done), not a value: move it to the date column",
    "value_not_date": "a measure takes a value, not a date: move it to the value column",
    "derived_measure": "is computed, not reported: leave this row out",
    "wrong_level": "{item} is reported per {level}, this unit is a {unit_level}",
    "wrong_period_type": "{item} is reported per {period_type} period",
    "outside_plan": (
        "outside the plan period {start}..{end} (and its baseline year): check the period"),
    "not_expected": "not expected to submit {item}: check the row against the form",
    "unexpected_period": "{item} expects periods {periods}",
    "in_future": "in the future (today is {today}): check the date (day/month/year)",
    "before_plan": "before the plan starts ({start}): check the date (day/month/year)",
    "part_above_whole": (
        "{part} is larger than {whole} ({value}, row {row}) for {unit} {period}: a part cannot "
        "exceed its whole; correct one of the two"),
    # -- identities
    "unknown_province": "unknown province{hint}",
    "unknown_plan": "unknown plan for province {province}{hint}",
    "unknown_unit": "unknown unit in plan {plan}{hint}",
    "unknown_item": "unknown {kind} in plan {plan}{hint}",
    "unknown_agency": "unknown agency in plan {plan}{hint}",
    "unit_name_shared": (
        "this name is shared by {count} units of plan {plan} ({ids}): write the unit's id instead"),
    "lookalike": (
        "looks like {candidates} but is written with {letters}: type it again in Latin letters"),
    "not_nfc": (
        "{what} is not in composed Unicode (NFC): it looks like '{composed}' but will never match it; "
        "retype it (or save the file in NFC)"),
    "control_character": (
        "{what} holds the control character {codepoint}: remove it (it cannot be shown, and Word and "
        "Excel refuse it)"),
    "unit_not_per_unit": (
        "{item} is reported per agency, not per unit: leave the unit empty"),
    # -- values that cannot be true (class 2; issue 16 section 4)
    "count_fraction": (
        "{what} is a whole number, this has a fraction: give the whole number (a decimal comma "
        "or point in a count is a typo, or a percentage in the wrong row)"),
    "negative": "{what} cannot be negative: give the figure, 0 or more",
    "share_range": (
        "a share in percent is between 0 and 100: give it as a percentage (85 for 85%), not a "
        "fraction (0.85) nor a count"),
    "not_a_number": "not a number: write digits, with ',' or '.' before decimals only",
    "ambiguous_number": (
        "ambiguous number: '.' and ',' may be a thousands separator; write it without one "
        "(e.g. 1000 or 1000.5)"),
    "too_large": "too large a number (the form takes {low} to {high}): check the figure",
    "before_period": (
        "dated {day}, before the period {period} it is for began ({start}): a report on a period "
        "cannot be sent before the period starts; check the date (day/month/year) or the period"),
    "formula_without_value": (
        "holds the formula '{formula}' with no saved value (the file was not saved by Excel, or "
        "calculation is off): open it in Excel, let it calculate and save it, or type the value"),
    # -- a workbook's structure
    "sheet_hidden": (
        "sheet '{sheet}' holds the filled rows but is hidden: unhide it and check it is the one "
        "to send, or copy its rows into the visible sheet '{form}'"),
    "sheets_filled": (
        "{count} sheets hold filled form rows ({sheets}): which one counts is ambiguous; keep the "
        "rows in one sheet ('{form}') and delete the copies"),
    "copy_filled": (
        "sheet '{sheet}' holds the filled rows, not sheet '{form}': copy them into sheet '{form}' "
        "(or delete the empty '{form}' sheet) and send the workbook again"),
    "merged_cells": (
        "cells {ranges} are merged: a merged cell holds a value for its first row only; unmerge "
        "them and give each row its own value"),
    "too_many_members": (
        "refused: the workbook has {count} parts, more than the {limit} a form may hold (a "
        "workbook saved by Excel has a few dozen)"),
    "workbook_too_big": (
        "refused: the file is {size} MiB, more than the {limit} MiB a form may hold"),
    # -- across files of one ingest (class 3)
    "conflict_across_files": (
        "{other_file} row {other_row} gives {other} for the same datum: the files disagree; correct "
        "one of them, or ingest them one after the other if the later one is a correction"),
    "conflict_in_file": "row {other_row} gives {other} for the same datum",
    # -- storage (classes 6, 7)
    "memory_database": (
        "database {url} is in memory: what is written there vanishes when the command ends; give a "
        "file (sqlite:///path/plancheck.db) or a server with --db or PLANCHECK_DB"),
    # -- waivers and lookups (class 10)
    "waiver_matches_nothing": (
        "this waiver applies to nothing: no finding of {item} has {given}; {known}"),
    "no_item": "no item {item!r} in {province}'s plans{hint}; items: {known}",
    "no_finding_for": "{item} has no finding for {option} {given!r}{hint}; its findings are for: {known}",
    "no_finding_for_both": "{item} has no finding for unit {unit!r} and agency {agency!r} together",
    "no_history_item": (
        "no measure, task or obligation {item!r} in {province}'s plans{hint}: history is kept for "
        "what forms report (targets are computed from measures)"),
    # -- output (class 5)
    "cannot_write": "cannot write {target}: {why}; check the path and the free space",
    "output_closed": "the output was closed before plancheck finished writing ({why})",
}


def reason(problem: str, /, **fields: object) -> str:
    """The words for one kind of ``problem`` (a key of :data:`REASONS`), with its fields filled in."""
    return REASONS[problem].format(**fields)


def cell_problem(file: str, row: int, column: str, value: object, problem: str, /, **fields: object) -> str:
    """``file:row: column: 'value': reason`` for a problem in one cell of a form."""
    return f"{file}:{row}: {column}: {value!r}: {reason(problem, **fields)}"


def file_problem(file: str, problem: str, /, **fields: object) -> str:
    """``file: reason`` for a problem of a whole file."""
    return f"{file}: {reason(problem, **fields)}"


def output_failure(exc: OSError, target: str | None = None) -> str:
    """One line for a failure to write output (a missing directory, a full disk, a closed pipe)."""
    import errno

    why = exc.strerror or type(exc).__name__
    if exc.errno == errno.EPIPE or isinstance(exc, BrokenPipeError):
        return reason("output_closed", why=why)
    where = target or exc.filename or "the output"
    return reason("cannot_write", target=where, why=why)
