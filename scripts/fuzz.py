"""Fuzz plancheck's input paths for a fixed budget; exit 1 on the first crash.

    python scripts/fuzz.py --seconds 60              # every target, one minute in all
    python scripts/fuzz.py --examples 300 --target csv
    python scripts/fuzz.py --seconds 3600 --crash-dir crashes/   # the long run

Targets, each starting from real inputs and mutating them (hypothesis draws
the mutations, then shrinks a crash to a small reproducer):

* ``csv``  — filled forms (the plugins' example data) with cells replaced by
  hostile values, rows dropped or repeated, bytes flipped, other encodings;
* ``xlsx`` — a real reporting workbook with its XML parts mutated, the zip
  damaged, or cells of every type openpyxl can write;
* ``plan`` — the Hưng Yên plan.toml with values replaced, keys dropped or
  added, elements repeated, bytes flipped, periods of centuries, nesting
  thousands deep, control characters and look-alike letters.

One target per class of defect of issue 21, each with the invariant it must keep
(an input that breaks it is reported like a crash):

* ``misfile`` (1) — a valid form broken as clerks break them (a stray quote pair
  across rows, a line break in a cell, wide and narrow rows, a second or unknown
  column, a unit name two units share): refused, or read as exactly the rows meant;
* ``values`` (2) — fractions, negatives, shares above 100, dates before their
  period, in measures of every kind of unit: nothing a unit cannot have is accepted;
* ``conflicts`` (3) — two or three files agreeing or not on their data: files that
  disagree are refused, and the dry run says exactly what the real run does;
* ``cli`` (5, 6, 7, 10) — commands with hostile arguments (run ids, provinces, items,
  units, output paths, plugin names, in-memory and password-bearing database URLs,
  waiver files): exit 0, 1 or 2, never 3 (a bug), never a traceback on 2, never a secret;
* ``unicode`` (8) — ids decomposed, in full width, with Cyrillic look-alikes: stored
  ids are always the plan's own;
* ``workbook`` (1, 9, 11) — the filled form sheet copied, hidden, merged, given
  formulas, a second value column, thousands of parts: refused, or read as meant;
* ``cache`` (9) — a plan edited keeping its size and modification time: the new text is read;
* ``waivers`` (10) — waivers naming real and mistyped agencies, units and periods:
  an accepted waiver matches a finding;
* ``formulas`` (11) — plan names that look like formulas or hold control characters:
  the forms written hold them as text.

The contract checked is the CLI's: a form is read into observations or
refused with :class:`~plancheck.errors.InputError` (exit 2); accepted data is
written and judged without an exception; a plan file loads or is refused with
InputError, and a plan that loads can be rendered, turned into a form and
evaluated. Any other exception is a crash (it would be exit 3, a bug): the
input is printed (and saved with ``--crash-dir``) and the script exits 1.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import re
import sys
import tempfile
import time
import tomllib
import traceback
import warnings
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

TODAY = date(2026, 1, 15)
AS_OF = (date(2024, 1, 1), date(2024, 6, 30), date(2025, 1, 1), date(2030, 1, 1))
COLUMNS = ("province", "plan", "item", "kind", "agency", "unit", "period", "due", "description",
           "value", "date")

#: Values that have broken, or could break, a reader of forms and plans.
HOSTILE = [
    "", " ", "0", "-0", "-1", "1.000", "1,5", "0,5", "1e5", "1E400", "9" * 400, "0." + "0" * 330 + "1",
    "1000000000000000", "1000000000000001", "NaN", "nan", "inf", "-inf", "Infinity",
    "2024-02-29", "2023-02-29", "2024-13-01", "0001-01-01", "9999-12-31", "31/12/9999", "1/1/0001",
    "00/00/0000", "2024-03-12T00:00", "12/03/2024", "0000", "0001", "9999", "0001Q1", "9999Q4",
    "9999S2", "999912", "000101", "2024", "2023", "2024Q1", "2024S1", "202403", "2024Q5", "202413",
    "measure", "task", "obligation", "MEASURE", " Task ", "hung_yen", "HUNG_YEN",
    "Robert'); DROP TABLE observation; --", "'; DROP TABLE observation; --", "%s", "%(x)s", ":k",
    "=1+1", "=cmd|' /C calc'!A0", "\x00", "\r", "\n", "\r\n", '"', '""', "\ufeff", "\u200b",
    "Xa\u0303 Nha\u0302n La", "xã nhân la", "ＨＵＮＧ", "\U0001f600", "a" * 300,
]


# -- the inputs we start from -------------------------------------------------------

class Corpus:
    """Plans, plugins and seed inputs, loaded once."""

    def __init__(self) -> None:
        from plancheck.data.forms import form_rows
        from plancheck.plans.planfile import load_plan
        from plancheck.plans.plugins import load_registry

        self.pm, self.registry = load_registry()
        self.plans = {}
        self.plan_files: list[Path] = []
        self.csv_seeds: list[bytes] = []
        for srcs in self.registry.provinces().values():
            for src in srcs:
                plan = load_plan(src.path)
                self.plans[(plan.province, plan.id)] = plan
                self.plan_files.append(src.path)
                for example in src.examples:
                    raw = example.read_bytes()
                    self.csv_seeds.append(raw)
                    # a small slice too: mutations of small files shrink and run faster
                    lines = raw.splitlines(keepends=True)
                    self.csv_seeds.append(b"".join(lines[:1] + lines[1::97]))
        hung_yen = next(p for (prov, _), p in self.plans.items() if prov == "hung_yen")
        self.hung_yen_plan = next(f for f in self.plan_files if "hung_yen" in str(f))
        self.plan_text = self.hung_yen_plan.read_text(encoding="utf-8")
        self.plan_data = tomllib.loads(self.plan_text)
        self.xlsx_seed = _filled_xlsx(form_rows(hung_yen, "ubnd_kim_dong"))
        self.tmp = Path(tempfile.mkdtemp(prefix="plancheck-fuzz-"))
        self._engine = None
        self.example_obs = None
        self.hung_yen = hung_yen
        self.extra = kinds_plan(hung_yen)
        self.plans[(self.extra.province, self.extra.id)] = self.extra
        #: (name, bytes) of the input being checked, saved if it crashes
        self.last: tuple[str, bytes] = ("", b"")
        #: per target, how many inputs were taken and refused (a target that only refuses tests little)
        self.outcomes: dict[str, dict[str, int]] = {}

    def engine(self):
        """One SQLite database file that every accepted form is written to (one in memory is
        refused for writing: what is written there vanishes)."""
        if self._engine is None:
            from plancheck.data import store

            self._engine = store.open_engine(f"sqlite:///{self.tmp / 'fuzz.db'}")
        return self._engine


def _filled_xlsx(rows) -> bytes:
    """A reporting workbook as write_xlsx makes it, with some values and dates filled."""
    from openpyxl import load_workbook

    from plancheck.data.excel_form import locate
    from plancheck.data.workbook import write_xlsx

    wb = load_workbook(io.BytesIO(write_xlsx(rows)))
    ws = wb["form"]
    heading, col = locate(ws)  # the form's heading row is below its header block
    for i, row in enumerate(ws.iter_rows(min_row=heading + 1)):
        if i % 3:
            continue
        if row[3].value == "measure":
            row[col["value"]].value = i
        else:
            row[col["date"]].value = datetime(2024, 3, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- mutations (drawn by hypothesis, so a crash shrinks to a small one) -------------------

def mutate_bytes(data: st.DataObject, raw: bytes, max_ops: int = 6) -> bytes:
    b = bytearray(raw)
    for _ in range(data.draw(st.integers(1, max_ops), label="byte ops")):
        op = data.draw(st.sampled_from(["flip", "set", "insert", "delete", "dup", "truncate"]))
        if not b:
            b += data.draw(st.binary(min_size=1, max_size=8))
            continue
        i = data.draw(st.integers(0, len(b) - 1))
        if op == "flip":
            b[i] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "set":
            b[i] = data.draw(st.sampled_from([0, 0x0A, 0x0D, 0x22, 0x2C, 0x3C, 0x3E, 0x26, 0xFF, 0xC3]))
        elif op == "insert":
            b[i:i] = data.draw(st.one_of(st.binary(max_size=8),
                                         st.sampled_from(HOSTILE).map(lambda s: s.encode("utf-8"))))
        elif op == "delete":
            del b[i:i + data.draw(st.integers(1, 64))]
        elif op == "dup":
            n = data.draw(st.integers(1, 256))
            b[i:i] = b[i:i + n]
        else:
            del b[i:]
    return bytes(b)


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))


def mutate_csv(data: st.DataObject, corpus: Corpus) -> bytes:
    raw = data.draw(st.sampled_from(corpus.csv_seeds), label="seed")
    how = data.draw(st.sampled_from(["cells", "cells", "cells", "bytes", "header", "encoding"]), label="how")
    if how == "bytes":
        return mutate_bytes(data, raw)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    keep = data.draw(st.integers(1, min(20, len(body))), label="rows kept")
    start = data.draw(st.integers(0, len(body) - keep))
    body = [list(r) for r in body[start:start + keep]]
    if how == "header":
        header = list(header)
        op = data.draw(st.sampled_from(["drop", "dup", "rename", "swap"]))
        i = data.draw(st.integers(0, len(header) - 1))
        j = data.draw(st.integers(0, len(header) - 1))
        if op == "drop":
            del header[i]
        elif op == "dup":
            header.append(header[i])
        elif op == "rename":
            header[i] = data.draw(hostile_text())
        else:
            header[i], header[j] = header[j], header[i]
    for _ in range(data.draw(st.integers(0 if how != "cells" else 1, 6), label="cell edits")):
        r = data.draw(st.integers(0, len(body) - 1))
        c = data.draw(st.integers(0, len(COLUMNS) + 1))
        if c < len(body[r]):
            body[r][c] = data.draw(hostile_text())
        else:
            body[r].append(data.draw(hostile_text()))
    if data.draw(st.booleans(), label="repeat a row"):
        body.append(list(data.draw(st.sampled_from(body))))
    buf = io.StringIO()
    csv.writer(buf, lineterminator=data.draw(st.sampled_from(["\n", "\r\n", "\r"]))).writerows([header, *body])
    encoding = "utf-8" if how != "encoding" else data.draw(
        st.sampled_from(["utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1258", "latin-1"]))
    return buf.getvalue().encode(encoding, errors="replace")


def mutate_xlsx(data: st.DataObject, corpus: Corpus) -> bytes:
    raw = corpus.xlsx_seed
    how = data.draw(st.sampled_from(["part", "part", "cells", "zip"]), label="how")
    if how == "zip":
        return mutate_bytes(data, raw)
    if how == "cells":
        return _xlsx_with_cells(data)
    src = zipfile.ZipFile(io.BytesIO(raw))
    names = src.namelist()
    target = data.draw(st.sampled_from(names), label="part")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            part = src.read(name)
            if name == target:
                if data.draw(st.booleans(), label="drop part"):
                    continue
                part = _mutate_xml(data, part)
            z.writestr(name, part)
    return out.getvalue()


def _mutate_xml(data: st.DataObject, part: bytes) -> bytes:
    if data.draw(st.booleans(), label="raw bytes"):
        return mutate_bytes(data, part)
    text = part.decode("utf-8", errors="replace")
    # swap value-like tokens (attribute values, element text) for hostile ones
    spots = sorted([m.span(1) for m in re.finditer(r'="([^"]*)"', text)]
                   + [m.span(1) for m in re.finditer(r">([^<]+)<", text)])
    for _ in range(data.draw(st.integers(1, 4), label="xml edits")):
        if not spots:
            break
        a, b = data.draw(st.sampled_from(spots))
        new = data.draw(st.one_of(st.sampled_from(HOSTILE), st.sampled_from(
            ["A1", "XFD1048576", "ZZZZ1", "A0", "A-1", "!!", "s", "n", "str", "inlineStr", "b", "e", "d",
             "99999999", "-1", "1.5", "&amp;", "&lt;", "]]>"])))
        new = new.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;") \
            if not new.startswith("&") else new
        text = text[:a] + new + text[b:]
        spots = [s for s in spots if s[1] <= a]  # earlier spots keep their offsets
    return text.encode("utf-8")


def _xlsx_with_cells(data: st.DataObject) -> bytes:
    from openpyxl import Workbook

    cell = st.one_of(
        st.none(), st.sampled_from(HOSTILE).filter(lambda s: "\x00" not in s and "\r" not in s),
        st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
        st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 1, 1)),
        st.dates(min_value=date(1900, 3, 1)), st.times(), st.sampled_from(["=1+1", "=A1", "=SUM(A:A)"]),
    )
    wb = Workbook()
    ws = wb.active
    ws.title = data.draw(st.sampled_from(["form", "Sheet", "biểu mẫu"]))
    ws.append(list(data.draw(st.sampled_from([COLUMNS, ("province", "plan", "item"), ()]))))
    base = ["hung_yen", "hung_yen-2024-xa-khong-ma-tuy", "district_bodies_total", "measure", "",
            "kim_dong", "2024", "", "", 5, None]
    for _ in range(data.draw(st.integers(0, 5), label="rows")):
        row = list(base)
        for _ in range(data.draw(st.integers(0, 4))):
            row[data.draw(st.integers(0, len(row) - 1))] = data.draw(cell)
        try:
            ws.append(row)
        except Exception:  # openpyxl refuses some values itself (illegal characters): not our reader
            continue
    buf = io.BytesIO()
    try:
        wb.save(buf)
    except Exception:
        return b""
    return buf.getvalue()


# -- a tiny TOML writer, for plans mutated as data ------------------------------------------

def toml_dumps(doc: dict) -> str:
    """Any dict of TOML values as TOML: everything inline, one top-level key per line."""
    return "".join(f"{_key(k)} = {_value(v)}\n" for k, v in doc.items())


def _key(k: str) -> str:
    return k if k and all(c.isalnum() or c in "-_" for c in k) and k.isascii() else json.dumps(k)


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, datetime | date | dtime):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def _paths(doc: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def toml_value() -> st.SearchStrategy[object]:
    scalars = st.one_of(
        st.sampled_from(HOSTILE).filter(lambda s: "\x00" not in s),
        st.sampled_from(["trong quý I/2024", "trước ngày 01/01/0001", "trước 29/2 hằng năm", "trong năm 9999",
                         "trong tháng 13/2024", "trước ngày 31/12/2024", "trong ngày 1/1/2024", "once",
                         "annual", "monthly", "province", "district", "commune", "each_commune", "units",
                         "class_count", "ratio", "growth", "change", "in_class", "value", ">=", "<", "==",
                         "decree-09-2019", "high", "count", "percent", "yearly", "quarterly"]),
        st.integers(-3, 200), st.sampled_from([0, -1, 2**63 - 1, -(2**63)]),
        st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
        st.sampled_from([date(1, 1, 1), date(9999, 12, 31), date(2024, 2, 29), date(2023, 12, 31),
                         date(2025, 1, 1)]),
    )
    return st.one_of(scalars, st.lists(scalars, max_size=3), st.just({}), st.just([]))


def mutate_plan(data: st.DataObject, corpus: Corpus) -> bytes:
    kind = data.draw(st.integers(0, 5), label="text mutation")
    if kind == 0:
        return mutate_bytes(data, corpus.plan_text.encode("utf-8"))
    if kind == 1:
        return _plan_defect(data, corpus).encode("utf-8")
    doc = tomllib.loads(corpus.plan_text)
    for _ in range(data.draw(st.integers(1, 4), label="plan edits")):
        paths = _paths(doc)
        path = data.draw(st.sampled_from(paths), label="where")
        parent, key = _get(doc, path[:-1]), path[-1]
        op = data.draw(st.sampled_from(["replace", "replace", "delete", "add_key", "repeat", "copy_id"]))
        if op == "replace":
            parent[key] = data.draw(toml_value())
        elif op == "delete":
            del parent[key]
        elif op == "add_key" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["nummber", "due", "deadline", "units", "within", "of"]))] = \
                data.draw(toml_value())
        elif op == "repeat" and isinstance(parent, list):
            parent.append(parent[key])
        elif op == "copy_id" and isinstance(parent, dict) and key == "id":
            # two elements with one id, or an id another element refers to
            parent[key] = data.draw(st.sampled_from([p[-1] for p in paths if isinstance(p[-1], str)]))
    return toml_dumps(doc).encode("utf-8")


def _plan_defect(data: st.DataObject, corpus: Corpus) -> str:
    """The plan with one defect issue 21 found: a period of centuries, nesting thousands deep, a
    threshold that is no number, a control character in a name, a look-alike letter in an id."""
    text = corpus.plan_text
    how = data.draw(st.sampled_from(["period", "nesting", "threshold", "control", "lookalike"]), label="defect")
    if how == "period":
        years = data.draw(st.sampled_from([49, 50, 180, 7000]))
        return re.sub(r"end = (\d{4})", lambda m: f"end = {min(9999, int(m[1]) + years)}", text, count=1)
    if how == "nesting":
        depth = data.draw(st.sampled_from([50, 2000, 20000]))
        return text + "\nx = " + "[" * depth + "]" * depth + "\n"
    if how == "threshold":
        return text.replace("threshold = ", f"threshold = {data.draw(st.sampled_from(['nan', 'inf', '-inf']))} #", 1)
    if how == "control":
        char = data.draw(st.sampled_from(["\\u0007", "\\u0000", "\\u001b", "\\u0085", "\\t"]))
        return text.replace('name = "', f'name = "{char}', data.draw(st.integers(1, 3)))
    return text.replace('id = "', 'id = "\u0441', 1)  # a Cyrillic с before the first id


# -- the checks ---------------------------------------------------------------------

def check_form(corpus: Corpus, name: str, raw: bytes) -> str | None:
    from plancheck.data import store
    from plancheck.data.workbook import read_form_bytes
    from plancheck.errors import InputError
    from plancheck.judge.assessment import assess

    try:
        reading = read_form_bytes(Path(name), raw, corpus.plans, TODAY)
    except InputError as exc:
        assert exc.lines(), "an InputError must say what is wrong"
        return "refused"
    engine = corpus.engine()
    store.ingest(engine, reading.observations, file=name, sha256=store.file_sha256(raw), reporter="fuzz",
                 ignored=reading.ignored)
    for province in sorted({o.province for o in reading.observations}):
        plans = [p for (prov, _), p in corpus.plans.items() if prov == province]
        obs = store.current_observations(engine, province)
        for day in AS_OF:
            try:
                report = assess(corpus.pm, province, plans, obs, day)
            except InputError:
                continue
            json.dumps(report.to_json(), default=str)


def check_plan(corpus: Corpus, raw: bytes) -> str | None:
    from plancheck.data.forms import form_rows, write_csv
    from plancheck.errors import InputError
    from plancheck.judge.assessment import assess
    from plancheck.plans.planfile import load_plan
    from plancheck.publish.text import plan_text, plan_to_json

    path = corpus.tmp / "plan.toml"
    path.write_bytes(raw)
    try:
        plan = load_plan(path)
    except InputError as exc:
        assert exc.lines(), "an InputError must say what is wrong"
        return "refused"
    # What loads has no number that is not one, no period of centuries, no control character (issue 21)
    from plancheck.plans.identity import control_characters
    from plancheck.plans.planfile import MAX_PLAN_YEARS

    if any(t.threshold is not None and not math.isfinite(t.threshold) for t in plan.targets):
        raise Broken("a plan with a threshold that is not a number loaded")
    if plan.period.end.year - plan.period.start.year >= MAX_PLAN_YEARS:
        raise Broken(f"a plan of {plan.period.end.year - plan.period.start.year} years loaded")
    if any(control_characters(x.name) for x in (*plan.tasks, *plan.targets, *plan.measures, *plan.units)):
        raise Broken("a plan with a control character in a name loaded")
    # A plan that loads must be usable by every command that reads it.
    json.dumps(plan_to_json(plan), default=str)
    plan_text(plan)
    write_csv(form_rows(plan), io.StringIO())
    if corpus.example_obs is None:
        from plancheck.judge.assessment import example_observations

        hy = [p for (prov, _), p in corpus.plans.items() if prov == "hung_yen"]
        corpus.example_obs = example_observations(corpus.registry, "hung_yen", hy, TODAY)
    obs = [o for o in corpus.example_obs if o.plan == plan.id]
    for day in AS_OF:
        try:
            report = assess(corpus.pm, plan.province, [plan], obs, day)
        except InputError:
            continue
        json.dumps(report.to_json(), default=str)


# -- issue 21: one target per class of defect, each with the invariant it keeps ------------------

class Broken(AssertionError):
    """An input the code took although it breaks the invariant of its class (a silent failure)."""


def kinds_plan(hung_yen):
    """Hưng Yên's plan with a measure of every kind of unit and two communes of one name, as a
    plan of its own (fuzz_kinds): what the four plugins' texts do not happen to have."""
    import attrs

    from plancheck.plans.model import Measure

    def measure(mid: str, unit: str) -> Measure:
        return Measure(id=mid, name=mid, name_en=mid, unit=unit, level="province", period_type="yearly",
                       source="fuzz")

    communes = [u for u in hung_yen.units if u.level == "commune"][:2]
    units = tuple(attrs.evolve(u, name="Xã Trùng Tên") if u in communes else u for u in hung_yen.units)
    return attrs.evolve(hung_yen, province="fuzz_kinds", id="fuzz-kinds", units=units, measures=(
        *hung_yen.measures, measure("k_share", "%"), measure("k_area", "m²"), measure("k_cases", "vụ"),
        measure("k_people", "người"), measure("k_other", "đơn vị đo lạ")))


def _read(corpus: Corpus, name: str, text: str):
    from plancheck.data.forms import read_form

    return read_form(name, text, corpus.plans, TODAY)


def _csv(rows: list[list[str]], header: list[str] | tuple[str, ...] = COLUMNS) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([list(header), *rows])
    return buf.getvalue()


def _intended(data: st.DataObject, corpus: Corpus, n: int = 6) -> list[list[str]]:
    """``n`` distinct, valid, filled measure rows of Hưng Yên's own form (descriptions plain)."""
    from plancheck.data.forms import form_rows

    if not hasattr(corpus, "_hy_rows"):
        corpus._hy_rows = [r for r in form_rows(corpus.hung_yen) if r.kind == "measure"]
    rows = corpus._hy_rows
    start = data.draw(st.integers(0, len(rows) - n), label="first row")
    out = []
    for i, r in enumerate(rows[start:start + n]):
        cells = r.as_csv()
        cells[8] = f"mo ta {i}"
        cells[9] = str(data.draw(st.integers(0, 500), label="value"))
        out.append(cells)
    return out


def _meant(rows: list[list[str]]) -> set[tuple]:
    return {(r[2], r[5], r[6], float(r[9])) for r in rows}


def _got(reading) -> set[tuple]:
    return {(o.item, o.unit, o.period, o.value) for o in reading.observations}


def target_misfile(data: st.DataObject, corpus: Corpus) -> str | None:
    from plancheck.errors import InputError

    rows = _intended(data, corpus)
    header = list(COLUMNS)
    how = data.draw(st.sampled_from(["quotes", "line_break", "wide", "wide_empty", "narrow", "second_value",
                                     "unknown_column", "shared_name", "none"]), label="break")
    lines = _csv(rows, header).splitlines()
    if how == "quotes":  # a stray quote opened in one row's description, closed in a later one
        i = data.draw(st.integers(1, len(rows) - 1))
        j = data.draw(st.integers(i + 1, len(rows)))
        lines[i] = lines[i].replace(",mo ta", ',"mo ta', 1)
        lines[j] = lines[j].replace(f"mo ta {j - 1},", f'mo ta {j - 1}",', 1)
        text = "\n".join(lines) + "\n"
    elif how == "line_break":
        i = data.draw(st.integers(0, len(rows) - 1))
        rows[i][8] = "mo ta\n" + data.draw(st.sampled_from(["", "2024", ",,,5", "\r"]))
        text = _csv(rows, header)
    elif how in ("wide", "wide_empty"):
        i = data.draw(st.integers(0, len(rows) - 1))
        rows[i] = rows[i] + ["", "7" if how == "wide" else ""]
        text = _csv(rows, header)
    elif how == "narrow":
        i = data.draw(st.integers(0, len(rows) - 1))
        rows[i] = rows[i][:data.draw(st.integers(1, len(COLUMNS) - 1))]
        text = _csv(rows, header)
    elif how == "second_value":
        header = header + [data.draw(st.sampled_from(["value", "Giá trị", "VALUE", " value "]))]
        rows = [r + [str(data.draw(st.integers(0, 9)))] for r in rows]
        text = _csv(rows, header)
    elif how == "unknown_column":
        header = header + [data.draw(st.sampled_from(["ghi chú", "note", "value2"]))]
        rows = [r + ["x"] for r in rows]
        text = _csv(rows, header)
    elif how == "shared_name":
        extra = corpus.extra
        row = [extra.province, extra.id, "hotspots", "measure", "", "Xã Trùng Tên", "2024", "", "", "3", ""]
        rows = [*rows, row]
        text = _csv(rows, header)
    else:
        text = _csv(rows, header)
    corpus.last = ("misfile.csv", text.encode())
    try:
        reading = _read(corpus, "misfile.csv", text)
    except InputError:
        return "refused"
    meant = _meant([r for r in rows if r[0] == "hung_yen"])
    if how not in ("none", "wide_empty") or _got(reading) != meant:
        raise Broken(f"{how}: a broken form was taken: read {sorted(_got(reading) ^ meant)[:5]}")


def _number_text(data: st.DataObject) -> str:
    x = data.draw(st.one_of(st.integers(-1000, 100_000), st.floats(-1e6, 1e6, allow_nan=False),
                            st.sampled_from([0.5, 95.5, 100.7, 100.0, 100.01, -0.0, 99.999])), label="number")
    text = repr(x) if isinstance(x, float) else str(x)
    if data.draw(st.booleans(), label="decimal comma"):
        text = text.replace(".", ",")
    return text


def target_values(data: st.DataObject, corpus: Corpus) -> str | None:
    from plancheck.data.forms import form_rows
    from plancheck.errors import InputError
    from plancheck.plans.calendar import Period
    from plancheck.plans.quantity import value_problem

    extra = corpus.extra
    if data.draw(st.booleans(), label="a value (else a date)"):
        m = data.draw(st.sampled_from([m for m in extra.measures if m.level == "province" and not m.derived]))
        row = [extra.province, extra.id, m.id, "measure", "", extra.province_unit().id, "2024", "", "",
               _number_text(data), ""]
    else:
        if not hasattr(corpus, "_dated"):
            corpus._dated = [r for r in form_rows(extra) if r.kind == "obligation"]
        r = data.draw(st.sampled_from(corpus._dated))
        day = data.draw(st.dates(date(2023, 6, 1), TODAY), label="date")
        row = [r.province, r.plan, r.item, r.kind, r.agency, r.unit, r.period, "", "", "", day.isoformat()]
    text = _csv([row])
    corpus.last = ("values.csv", text.encode())
    try:
        reading = _read(corpus, "values.csv", text)
    except InputError:
        return "refused"
    for o in reading.observations:
        if o.kind == "measure":
            unit = next(m.unit for m in extra.measures if m.id == o.item)
            if value_problem(unit, o.value) is not None:
                raise Broken(f"{o.item} ({unit}) took {o.value!r}")
        else:
            occ = next(r for r in corpus._dated if (r.item, r.period, r.agency, r.unit) ==
                       (o.item, o.period, o.agency, o.unit))
            start = Period.parse(o.period).start
            if o.date < extra.period.start or (o.date < start and (occ.due is None or occ.due >= start)):
                raise Broken(f"{o.item} {o.period} took a date before its period: {o.date}")


def target_conflicts(data: st.DataObject, corpus: Corpus) -> str | None:
    from plancheck.data import store
    from plancheck.errors import InputError

    pool = _intended(data, corpus, 4)
    files = []
    for k in range(data.draw(st.integers(2, 3), label="files")):
        rows = [list(r) for r in pool if data.draw(st.booleans())]
        for r in rows:
            if data.draw(st.booleans(), label="changed"):
                r[9] = str(data.draw(st.integers(0, 3)))
        text = _csv(rows)
        files.append((f"part{k}.csv", text))
    corpus.last = ("conflicts.csv", "\n".join(t for _, t in files).encode())
    try:
        batch = [store.FileRows(name, name, _read(corpus, name, text).rows) for name, text in files]
    except InputError:
        return "refused"  # a file refused on its own (a part above its whole): not this target's concern
    disagree = any(len({float(r[9]) for n, t in files for r in csv.reader(io.StringIO(t)) if r[:7] == key[:7]
                        and r[0] != "province"}) > 1 for key in pool)
    engine = corpus.engine()
    try:
        preview = store.ingest_files(engine, batch, reporter="fuzz", dry_run=True)
    except InputError:
        if not disagree:
            raise Broken("files that agree were refused") from None
        return "refused"
    if disagree:
        raise Broken("files that disagree on a datum were taken")
    done = store.ingest_files(engine, batch, reporter="fuzz")
    import attrs

    if [attrs.evolve(s, dry_run=True) for s in done] != preview:
        raise Broken(f"the dry run said {preview}, the real run did {done}")


SECRET = "fz-s3cret"


def target_cli(data: st.DataObject, corpus: Corpus) -> str | None:
    """A command with hostile arguments, through the CLI as a user types it: never exit 3."""
    from click.testing import CliRunner

    from plancheck.cli import cli

    word = st.one_of(st.sampled_from(HOSTILE).filter(lambda x: "\x00" not in x), st.text(max_size=8),
                     st.sampled_from(["hung_yen", "hung_y\u0435n", "hotspots", "kim_dong", "ubnd_kim_dong", "2024",
                                      "kim_dong_directive", "drug_free_53_of_161", "-1", "99999999999999999999"]))
    out = corpus.tmp / data.draw(st.sampled_from(["out.txt", "no/such/dir/out.txt", "out.xlsx"]), label="output")
    db = data.draw(st.sampled_from([
        f"sqlite:///{corpus.tmp / 'cli.db'}", "sqlite://", "sqlite:///:memory:",
        f"postgresql+psycopg://u:{SECRET}@127.0.0.1:1/x", f"postgresql+psycopg://127.0.0.1:1/x?password={SECRET}",
        f"sqlite:///{corpus.tmp / 'cli.db'}?sslpassword={SECRET}"]), label="db")
    form = corpus.tmp / "cli.csv"
    form.write_text(_csv(_intended(data, corpus, 2)), encoding="utf-8")
    waivers = corpus.tmp / "w.toml"
    waivers.write_text(f'[[waivers]]\nitem = {json.dumps(data.draw(word))}\nagency = {json.dumps(data.draw(word))}\n'
                       'exempt = true\njustification = "x"\napproved_by = "y"\ndocument = "z"\n', encoding="utf-8")
    commands = [
        ["history", "--province", data.draw(word), "--item", data.draw(word)],
        ["diff", "--", data.draw(word), data.draw(word)],
        ["template", "--province", data.draw(word), "-o", str(out)],
        ["plugin", "new", data.draw(word), "--name", data.draw(word), "-o", str(corpus.tmp / "new")],
        ["ingest", str(form), *data.draw(st.sampled_from([[], ["--dry-run"]]))],
        ["explain", "--province", "hung_yen", "--example", data.draw(word), "--unit", data.draw(word)],
        ["run", "--province", "hung_yen", "--example", "--waivers", str(waivers), "--format",
         data.draw(st.sampled_from(["json", "csv", "xlsx"])), "-o", str(out)],
    ]
    args = ["--db", db, *data.draw(st.sampled_from(commands), label="command")]
    corpus.last = ("cli.txt", "\0".join(args).encode())
    res = CliRunner().invoke(cli, args)
    if res.exit_code not in (0, 1, 2):
        raise Broken(f"exit {res.exit_code} for {args}:\n{res.output}")
    if res.exit_code == 2 and ("Traceback" in res.output or not res.stderr.strip()):
        raise Broken(f"exit 2 without one clear message for {args}:\n{res.output}")
    if SECRET in res.output:
        raise Broken(f"a password was printed for {args}")
    return "refused" if res.exit_code == 2 else None


_LOOKALIKE = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "y": "\u0443"}


def target_unicode(data: st.DataObject, corpus: Corpus) -> str | None:
    import unicodedata

    from plancheck.errors import InputError

    rows = _intended(data, corpus, 3)
    i = data.draw(st.integers(0, len(rows) - 1))
    c = data.draw(st.sampled_from([0, 2, 5]), label="column")
    how = data.draw(st.sampled_from(["nfd", "cyrillic", "fullwidth", "upper", "zero_width", "name_nfd"]))
    text = rows[i][c]
    if how == "nfd" or how == "name_nfd":
        unit = next((u for u in corpus.hung_yen.units if u.id == rows[i][5]), None)
        text = unicodedata.normalize("NFD", unit.name if how == "name_nfd" and unit and c == 5 else text)
    elif how == "cyrillic":
        text = "".join(_LOOKALIKE.get(ch, ch) for ch in text)
    elif how == "fullwidth":
        text = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)
    elif how == "upper":
        text = text.upper()
    else:
        text = text[:2] + "\u200b" + text[2:]
    rows[i][c] = text
    csv_text = _csv(rows)
    corpus.last = ("unicode.csv", csv_text.encode())
    try:
        reading = _read(corpus, "unicode.csv", csv_text)
    except InputError:
        return "refused"
    plan = corpus.hung_yen
    ids = {u.id for u in plan.units} | {m.id for m in plan.measures}
    for o in reading.observations:
        if o.unit not in ids or o.item not in ids or o.province != plan.province:
            raise Broken(f"stored an id that is not the plan's: {o}")


def target_workbook(data: st.DataObject, corpus: Corpus) -> str | None:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from plancheck.data.excel_form import locate
    from plancheck.data.workbook import read_form_bytes
    from plancheck.errors import InputError

    wb = load_workbook(io.BytesIO(corpus.xlsx_seed))
    ws = wb["form"]
    heading, col = locate(ws)
    value, day = col["value"], col["date"]
    meant = {(r[2].value, r[5].value, r[6].value, float(r[value].value)) for r in ws.iter_rows(min_row=heading + 1)
             if r[3].value == "measure" and r[value].value is not None}
    how = data.draw(st.sampled_from(["copy_filled", "copy_empty", "hide", "rename_hide", "merge", "formula",
                                     "formula_saved", "second_value", "none"]), label="break")
    if how in ("copy_filled", "copy_empty"):
        copy = wb.copy_worksheet(ws)
        # the clerk filled the copy, not the form (or left the copy empty)
        for row in list((ws if how == "copy_filled" else copy).iter_rows(min_row=heading + 1)):
            row[value].value = row[day].value = None
    elif how == "hide":
        wb.copy_worksheet(ws).sheet_state = data.draw(st.sampled_from(["hidden", "veryHidden"]))
    elif how == "rename_hide":
        ws.title = "old"
        ws.sheet_state = "veryHidden"
        wb.active = 0
    elif how == "merge":
        ws.protection.sheet = False
        a, k = heading + data.draw(st.integers(1, 5)), get_column_letter(value + 1)
        ws.merge_cells(f"{k}{a}:{k}{a + data.draw(st.integers(1, 3))}")
    elif how in ("formula", "formula_saved"):
        r = heading + data.draw(st.integers(1, 7))
        ws.cell(row=r, column=value + 1, value="=1+1")
    elif how == "second_value":
        ws.cell(row=heading, column=ws.max_column + 1, value="value")
    buf = io.BytesIO()
    wb.save(buf)
    raw = buf.getvalue()
    if how == "formula_saved":  # a formula with the value Excel saved: read as that value
        raw = _with_saved_formula_values(raw)
    corpus.last = ("workbook.xlsx", raw)
    try:
        reading = read_form_bytes(Path("workbook.xlsx"), raw, corpus.plans, TODAY)
    except InputError:
        return "refused"
    got = {(o.item, o.unit, o.period, o.value) for o in reading.observations if o.kind == "measure"}
    if how in ("copy_filled", "hide", "rename_hide", "merge", "formula", "second_value") and got:
        raise Broken(f"{how}: an ambiguous workbook was read: {sorted(got)[:3]}")
    if how in ("none", "copy_empty") and got != meant:
        raise Broken(f"{how}: read {sorted(got ^ meant)[:3]}")


def _with_saved_formula_values(raw: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in src.namelist():
            part = src.read(n)
            if n.startswith("xl/worksheets/"):
                part = part.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>").replace(
                    b"<f>1+1</f></c>", b"<f>1+1</f><v>2</v></c>")
            z.writestr(n, part)
    return out.getvalue()


def target_cache(data: st.DataObject, corpus: Corpus) -> str | None:
    import os
    import re as re_

    from plancheck.errors import InputError
    from plancheck.plans.planfile import load_plan

    path = corpus.tmp / "cached.toml"
    path.write_text(corpus.plan_text, encoding="utf-8")
    plan = load_plan(path)  # the cache holds this version now
    spots = [m for m in re_.finditer(r"^threshold = (\d+)$", corpus.plan_text, re_.M)]
    m = data.draw(st.sampled_from(spots), label="threshold")
    digits = m[1]
    new = "".join(str(data.draw(st.integers(0, 9))) for _ in digits)
    text = corpus.plan_text[:m.start(1)] + new + corpus.plan_text[m.end(1):]
    st_before = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
    corpus.last = ("cached.toml", text.encode())
    try:
        again = load_plan(path)
    except InputError:
        return "refused"
    i = corpus.plan_text[:m.start()].count("[[targets]]") - 1
    if again.targets[i].threshold != float(new):
        raise Broken(f"the cached plan was read: threshold {again.targets[i].threshold} for {new} "
                     f"(was {plan.targets[i].threshold})")


def target_waivers(data: st.DataObject, corpus: Corpus) -> str | None:
    from plancheck.errors import InputError
    from plancheck.judge.assessment import assess, example_observations
    from plancheck.judge.waivers import load_waivers, refuse_unmatched

    plan = corpus.hung_yen
    if not hasattr(corpus, "_findings"):
        obs = example_observations(corpus.registry, "hung_yen", [plan], TODAY)
        corpus._findings = assess(corpus.pm, "hung_yen", [plan], obs, date(2025, 1, 15)).findings
    findings = corpus._findings
    f = data.draw(st.sampled_from(findings), label="finding")
    entry = {"item": f.item, "exempt": True, "justification": "x", "approved_by": "y", "document": "z"}
    for field in ("agency", "unit", "period"):
        choice = data.draw(st.sampled_from(["leave", "same", "typo", "other"]), label=field)
        value = getattr(f, field)
        if choice == "same" and value:
            entry[field] = value
        elif choice == "typo" and value:
            entry[field] = value[:-1] + ("x" if value[-1] != "x" else "y")
        elif choice == "other":
            entry[field] = data.draw(st.sampled_from(sorted({getattr(g, field) for g in findings} - {""})))
    path = corpus.tmp / "waivers.toml"
    path.write_text("[[waivers]]\n" + "".join(f"{k} = {_value(v)}\n" for k, v in entry.items()), encoding="utf-8")
    corpus.last = ("waivers.toml", path.read_bytes())
    try:
        waivers = load_waivers(path, [plan])
        refuse_unmatched(findings, waivers)
    except InputError:
        return "refused"
    for w in waivers:
        if not any(w.matches(g) for g in findings if g.item == w.item):
            raise Broken(f"a waiver that matches no finding was taken: {entry}")


def target_formulas(data: st.DataObject, corpus: Corpus) -> str | None:
    import attrs

    from plancheck.data.forms import FORMULA_START, form_rows, write_csv
    from plancheck.data.workbook import write_xlsx

    hostile = st.one_of(st.sampled_from(["=1+1", "+84 xã", "-5 điểm", "@SUM(A1)", "\tTab", "=HYPERLINK(\"x\")",
                                         "a\x07b", "dòng\nmới", "=cmd|' /C calc'!A0"]), st.text(max_size=6))
    plan = corpus.hung_yen
    tasks = tuple(attrs.evolve(t, name=data.draw(hostile)) if data.draw(st.booleans()) else t
                  for t in plan.tasks[:5]) + plan.tasks[5:]
    measures = tuple(attrs.evolve(m, name=data.draw(hostile), source=data.draw(hostile)) for m in plan.measures)
    plan = attrs.evolve(plan, tasks=tasks, measures=measures)
    rows = form_rows(plan)[:60]
    raw = write_xlsx(rows)
    corpus.last = ("formulas.xlsx", raw)
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    if any(b"<f>" in part or b"<f " in part for part in sheets):
        raise Broken("the form holds a formula")
    buf = io.StringIO()
    write_csv(rows, buf)
    for cells in list(csv.reader(io.StringIO(buf.getvalue())))[1:]:
        if cells[8].startswith(FORMULA_START) or "\n" in cells[8]:
            raise Broken(f"a CSV description a spreadsheet would run: {cells[8]!r}")


def _form_target(make: Callable[[st.DataObject, Corpus], bytes],
                 name: str) -> Callable[[st.DataObject, Corpus], str | None]:
    def target(data: st.DataObject, corpus: Corpus) -> str | None:
        raw = make(data, corpus)
        corpus.last = (name, raw)
        return check_form(corpus, name, raw)
    return target


def _plan_target(data: st.DataObject, corpus: Corpus) -> str | None:
    raw = mutate_plan(data, corpus)
    corpus.last = ("plan.toml", raw)
    return check_plan(corpus, raw)


#: Each target returns "refused" when the input was refused (an InputError, exit 2), else it was taken.
TARGETS: dict[str, Callable[[st.DataObject, Corpus], str | None]] = {
    "csv": _form_target(lambda data, corpus: mutate_csv(data, corpus), "fuzz.csv"),
    "xlsx": _form_target(lambda data, corpus: mutate_xlsx(data, corpus), "fuzz.xlsx"),
    "plan": _plan_target,
    "misfile": target_misfile,
    "values": target_values,
    "conflicts": target_conflicts,
    "cli": target_cli,
    "unicode": target_unicode,
    "workbook": target_workbook,
    "cache": target_cache,
    "waivers": target_waivers,
    "formulas": target_formulas,
}


def run_target(corpus: Corpus, target: str, examples: int, seed_value: int) -> tuple[str, bytes, str] | None:
    """Run ``examples`` inputs; return (name, input, traceback) of a crash, shrunk, or None."""

    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink],
              report_multiple_bugs=False, print_blob=False)
    @given(st.data())
    def fuzz(data: st.DataObject) -> None:
        outcome = TARGETS[target](data, corpus) or "taken"
        corpus.outcomes.setdefault(target, {}).setdefault(outcome, 0)
        corpus.outcomes[target][outcome] += 1

    try:
        fuzz()
    except Exception as exc:  # the shrunk crash: hypothesis re-raises it after its final replay
        tb = "".join(traceback.format_exception(exc))
        return corpus.last[0], corpus.last[1], tb
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    budget = ap.add_mutually_exclusive_group()
    budget.add_argument("--seconds", type=float, help="time budget for all targets together (default 30)")
    budget.add_argument("--examples", type=int, help="number of inputs per target, instead of a time budget")
    ap.add_argument("--target", action="append", choices=sorted(TARGETS),
                    help="fuzz only this target (repeatable); default: all")
    ap.add_argument("--seed", type=int, help="random seed (printed, so a run can be repeated)")
    ap.add_argument("--crash-dir", type=Path, help="save a crashing input (and its traceback) here")
    ap.add_argument("--batch", type=int, default=25, help="inputs per hypothesis run (default 25)")
    args = ap.parse_args(argv)
    targets = args.target or sorted(TARGETS)
    seed_value = args.seed if args.seed is not None else random.randrange(2**32)
    warnings.simplefilter("ignore")  # openpyxl warns about every odd workbook it is given
    corpus = Corpus()
    start = time.monotonic()
    seconds = args.seconds if args.seconds is not None else (None if args.examples else 30.0)
    print(f"fuzz: targets {', '.join(targets)}; seed {seed_value}; "
          + (f"{seconds:g} s" if seconds is not None else f"{args.examples} inputs per target"), file=sys.stderr)
    done = dict.fromkeys(targets, 0)
    round_ = 0
    while True:
        for target in targets:
            if args.examples is not None:
                if done[target] >= args.examples:
                    continue
                n = min(args.batch, args.examples - done[target])
            else:
                n = args.batch
                if time.monotonic() - start >= seconds:
                    break
            crash = run_target(corpus, target, n, seed_value + round_ * 7919 + targets.index(target))
            done[target] += n
            if crash is not None:
                name, raw, tb = crash
                print(f"fuzz: CRASH in target {target} (seed {seed_value}):\n{tb}", file=sys.stderr)
                print(f"fuzz: input ({len(raw)} bytes): {raw[:2000]!r}", file=sys.stderr)
                if args.crash_dir is not None:
                    args.crash_dir.mkdir(parents=True, exist_ok=True)
                    stem = f"{target}-{seed_value}-{round_}"
                    (args.crash_dir / f"{stem}{Path(name).suffix}").write_bytes(raw)
                    (args.crash_dir / f"{stem}.txt").write_text(tb, encoding="utf-8")
                    print(f"fuzz: saved to {args.crash_dir / stem}.*", file=sys.stderr)
                return 1
        round_ += 1
        if args.examples is not None and all(done[t] >= args.examples for t in targets):
            break
        if seconds is not None and time.monotonic() - start >= seconds:
            break
    print(f"fuzz: no crash in {sum(done.values())} inputs ({', '.join(f'{t} {n}' for t, n in done.items())}) "
          f"in {time.monotonic() - start:.0f} s", file=sys.stderr)
    print("fuzz: taken/refused: " + ", ".join(
        f"{t} {o.get('taken', 0)}/{o.get('refused', 0)}" for t, o in corpus.outcomes.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
