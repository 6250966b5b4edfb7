"""The findings as CSV, for spreadsheets and scripts: one finding per row.

Columns are the keys of a finding in ``plancheck run --format json``, in that
order, and values are as the JSON has them (ISO dates, ``.`` decimals, ids),
whatever the language: a CSV is read by programs as much as by people, and
every program reads these the same way. (For a localized spreadsheet use
xlsx.) UTF-8 with a byte-order mark, so Excel opens the Vietnamese right;
CRLF line ends (RFC 4180). A text value that Excel would take for a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or CR) is prefixed with ``'``.
Lists (a finding's ``evidence``) are compact JSON; one longer than a
spreadsheet cell holds (32,767 characters) is replaced by a note saying how
many items it had and where to get them whole (``--format json``).
"""

from __future__ import annotations

import csv
import io
import json

from plancheck.judge.verdicts import Report
from plancheck.publish.content import ordered

#: The keys of a finding's JSON, for a report with no findings to take them from.
JSON_KEYS = ("plan", "item", "kind", "name", "agency", "unit", "period", "due", "status", "reason",
             "expected", "actual", "days_late", "source", "assumed")
BOM = "\ufeff"
#: The most characters an Excel cell holds.
CELL_LIMIT = 32767
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(report: Report) -> str:
    docs = [f.to_json() for f in ordered(report.findings)]  # not met first, as every report format
    keys = list(docs[0]) if docs else list(JSON_KEYS)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(keys)
    for d in docs:
        w.writerow([cell(d.get(k)) for k in keys])
    return BOM + buf.getvalue()


def cell(value: object) -> str:
    """One value as CSV text: JSON's spelling for numbers and structures, empty for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        if len(text) > CELL_LIMIT:
            return (f"[{len(value)} items: too long for a spreadsheet cell; "
                    "plancheck run --format json has them all]")
        return text
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
