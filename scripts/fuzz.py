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
  added, elements repeated, bytes flipped.

The contract checked is the CLI's: a form is read into observations or
refused with :class:`~plancheck.errors.InputError` (exit 2); accepted data is
written and judged without an exception; a plan file loads or is refused with
InputError, and a plan that loads can be rendered, turned into a form and
evaluated. Any other exception is a crash: the input is printed (and saved
with ``--crash-dir``) and the script exits 1.
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

    def engine(self):
        """One in-memory SQLite database that every accepted form is written to."""
        if self._engine is None:
            from plancheck.data import store

            self._engine = store.open_engine("sqlite://")
        return self._engine


def _filled_xlsx(rows) -> bytes:
    """A reporting workbook as write_xlsx makes it, with some values and dates filled."""
    from openpyxl import load_workbook

    from plancheck.data.workbook import write_xlsx

    wb = load_workbook(io.BytesIO(write_xlsx(rows)))
    ws = wb["form"]
    for i, row in enumerate(ws.iter_rows(min_row=2)):
        if i % 3:
            continue
        if row[3].value == "measure":
            row[10].value = i
        else:
            row[11].value = datetime(2024, 3, 1)
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
    if data.draw(st.integers(0, 4), label="text mutation") == 0:
        return mutate_bytes(data, corpus.plan_text.encode("utf-8"))
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


# -- the checks ---------------------------------------------------------------------

def check_form(corpus: Corpus, name: str, raw: bytes) -> None:
    from plancheck.data import store
    from plancheck.data.workbook import read_form_bytes
    from plancheck.errors import InputError
    from plancheck.judge.assessment import assess

    try:
        reading = read_form_bytes(Path(name), raw, corpus.plans, TODAY)
    except InputError as exc:
        assert exc.lines(), "an InputError must say what is wrong"
        return
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


def check_plan(corpus: Corpus, raw: bytes) -> None:
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
        return
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


TARGETS: dict[str, Callable[[st.DataObject, Corpus], tuple[str, bytes]]] = {
    "csv": lambda data, corpus: ("fuzz.csv", mutate_csv(data, corpus)),
    "xlsx": lambda data, corpus: ("fuzz.xlsx", mutate_xlsx(data, corpus)),
    "plan": lambda data, corpus: ("plan.toml", mutate_plan(data, corpus)),
}


def run_target(corpus: Corpus, target: str, examples: int, seed_value: int) -> tuple[str, bytes, str] | None:
    """Run ``examples`` inputs; return (name, input, traceback) of a crash, shrunk, or None."""
    last: dict[str, object] = {}

    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink],
              report_multiple_bugs=False, print_blob=False)
    @given(st.data())
    def fuzz(data: st.DataObject) -> None:
        name, raw = TARGETS[target](data, corpus)
        last["name"], last["raw"] = name, raw
        if target == "plan":
            check_plan(corpus, raw)
        else:
            check_form(corpus, name, raw)

    try:
        fuzz()
    except Exception as exc:  # the shrunk crash: hypothesis re-raises it after its final replay
        tb = "".join(traceback.format_exception(exc))
        return str(last.get("name")), bytes(last.get("raw") or b""), tb  # type: ignore[arg-type]
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
