"""Issues 9 and 20: plancheck at national scale, every figure a ratio against its floor, in the same run.

    python benchmarks/run.py [--scale S] [--db sqlite|postgresql|both] [--no-growth]
                             [--provinces N] [--workdir DIR] [--markdown] [--json FILE]

Generates the synthetic country of ``benchmarks/national.py`` (63 provinces,
about 10,000 communes and 2.4 million observations at ``--scale 1``) and, for
each database, measures the real CLI in subprocesses against its floor, what
the database alone costs (``benchmarks/floors.py``: a whole process too),
measured in the same run, just before and just after the command:

========================  =================================================  =====================
figure                    floor                                              target
========================  =================================================  =====================
ingest (province forms)   csv.reader + executemany of the same rows into     ≤ 2×
                          the same table (mean of before and after)
ingest (one 1M-row file)  the same, for that file (issue 4)                  ≤ 2×
run one province          python + import sqlmodel + a bare SELECT of the    ≤ 2×
                          rows run reads (fastest of 3 runs and 4 floors,
                          interleaved)
compare whole country     python + a bare SELECT of every current row        ≤ 3×; < 10 s at scale 1
compare peak memory       (ru_maxrss of the subprocess)                      < 1 GiB
growth                    the same figure at a tenth of the scale            ≤ 12× for 10× data
start-up                  ``python -c pass``                                 ≤ 150 ms more
========================  =================================================  =====================

Prints one table with every figure, its ratio, whether the target holds and the
machine's load when it was measured. Nothing here fails: the benchmarks are not
part of the test suite's verdict (tests/test_benchmarks_smoke.py only runs them
at a tiny scale).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the sibling modules, when run as a script
    sys.path.insert(0, str(HERE))

import national  # noqa: E402
import startup  # noqa: E402

AS_OF = "2026-06-30"  # after the synthetic plans' period: every item is judged, nothing pending
GIB = 1024**3
#: How many times ``run`` (and its floor, once more) is measured; the fastest of each is compared.
RUN_ROUNDS = 3

#: Every row the table has, per database and scale (the smoke test checks them all).
FIGURES = ("ingest: province forms", "ingest: one 1M-row file", "run: one province",
           "compare: whole country", "compare: wall time", "compare: peak memory",
           "compare again: data unchanged", "compare again: wall time")
GROWTH = ("growth: ingest", "growth: run", "growth: compare")
STARTUP = ("start-up: plancheck --help", "start-up: plancheck provinces",
           "start-up: plan files parsed by provinces", "start-up: plan files parsed, first call",
           "start-up: publishers a table run imports")


@dataclass
class Row:
    """One figure of the table."""

    what: str
    db: str
    scale: float | None
    seconds: float | None
    baseline: str
    baseline_seconds: float | None
    ratio: float | None
    target: str
    holds: bool | None
    note: str = ""
    cpu: float | None = None  # user+sys CPU seconds of the command
    baseline_cpu: float | None = None  # CPU seconds of the baseline (SQLite: all of it is in this process)

    @property
    def cpu_ratio(self) -> float | None:
        return _ratio(self.cpu, self.baseline_cpu)


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


# -- running the CLI ---------------------------------------------------------------

#: Runs a command in a child and reports its wall time and the child's peak RSS:
#: ru_maxrss of RUSAGE_CHILDREN in this fresh wrapper is that one command's.
_WRAPPER = """
import json, resource, subprocess, sys, time
with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
    t0 = time.perf_counter()
    rc = subprocess.call(sys.argv[3:], stdout=out, stderr=err)
    seconds = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "rc": rc, "cpu": usage.ru_utime + usage.ru_stime,
                  "maxrss_kib": usage.ru_maxrss}))
"""


@dataclass
class Measured:
    seconds: float
    cpu: float
    rc: int
    maxrss: int  # bytes
    stdout: Path
    stderr: str


def plancheck(args: list[str], env: dict[str, str], out: Path, ok: tuple[int, ...] = (0, 1)) -> Measured:
    """``python -m plancheck ARGS`` in a subprocess: wall time, exit code, peak memory."""
    err = out.with_suffix(".stderr")
    res = subprocess.run([sys.executable, "-c", _WRAPPER, str(out), str(err), sys.executable, "-m", "plancheck",
                          *args], capture_output=True, text=True, env=env, check=True)
    info = json.loads(res.stdout)
    stderr = err.read_text(encoding="utf-8", errors="replace")
    if info["rc"] not in ok:
        raise RuntimeError(f"plancheck {' '.join(args[:3])} ... exited {info['rc']}:\n{stderr[-3000:]}")
    return Measured(info["seconds"], info["cpu"], info["rc"], info["maxrss_kib"] * 1024, out, stderr)


# -- what the database alone costs ------------------------------------------------------

class Database:
    """One empty plancheck database (SQLite file or PostgreSQL database): plancheck's own schema."""

    def __init__(self, kind: str, url: str) -> None:
        self.kind, self.url = kind, url

    @classmethod
    def fresh(cls, kind: str, workdir: Path, name: str, pg_base: str | None) -> Database:
        from plancheck.data import store

        if kind == "sqlite":
            path = workdir / f"{name}.sqlite"
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                p.unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        else:
            from pgserver import create_database

            assert pg_base is not None
            url = create_database(pg_base, name.replace("-", "_").replace(".", "_"))
        store.open_engine(url).dispose()  # plancheck's own schema: the equivalent table is the table
        return cls(kind, url)


def floor(args: list[str], env: dict[str, str], out: Path) -> Measured:
    """``benchmarks/floors.py ARGS`` in a subprocess, measured as a plancheck command is."""
    err = out.with_suffix(".stderr")
    res = subprocess.run([sys.executable, "-c", _WRAPPER, str(out), str(err), sys.executable,
                          str(HERE / "floors.py"), *args], capture_output=True, text=True, env=env, check=True)
    info = json.loads(res.stdout)
    if info["rc"] != 0:
        raise RuntimeError(f"floors.py {' '.join(args[:2])} exited {info['rc']}:\n{err.read_text()[-3000:]}")
    return Measured(info["seconds"], info["cpu"], info["rc"], info["maxrss_kib"] * 1024, out, "")


def best(*ms: Measured) -> tuple[float, float]:
    """The fastest of a floor's measurements, taken around its figure: (wall, CPU)."""
    return min(m.seconds for m in ms), min(m.cpu for m in ms)


def load() -> str:
    """The machine's load (1-minute average; it is shared with other work), said with each figure."""
    try:
        return f"load {os.getloadavg()[0]:.1f}"
    except OSError:
        return "load ?"


# -- one scale, one database ----------------------------------------------------------------

def measure_scale(db_kind: str, scale: float, data: dict, workdir: Path, env: dict[str, str],
                  pg_base: str | None, log: bool) -> list[Row]:
    forms = Path(data["forms"])
    files = [forms / f for f in data["files"]]
    tag = f"{db_kind}-{scale:g}"
    rows: list[Row] = []
    floor_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}

    def say(msg: str) -> None:
        if log:
            print(f"  [{tag}] {msg}", file=sys.stderr, flush=True)

    def against(what: str, m: Measured, baseline: str, floor_: tuple[float, float], limit: float,
                note: str) -> Row:
        # PostgreSQL does its work in the server, so a client's CPU time says little there.
        floor_cpu = floor_[1] if db_kind == "sqlite" else None
        return Row(what, db_kind, scale, m.seconds, baseline, floor_[0], _ratio(m.seconds, floor_[0]),
                   f"<= {limit:g}x", m.seconds <= limit * floor_[0], f"{note}; {load()}", m.cpu, floor_cpu)

    # Ingest: every province's form in one `plancheck ingest`, against csv.reader + executemany of
    # the same rows into the same table. The disk makes the floor vary from run to run, so it is
    # measured just before and just after the CLI, into fresh databases, and the mean taken.
    def insert_floor(name: str, paths: list[Path]) -> Measured:
        db = Database.fresh(db_kind, workdir, name, pg_base)
        m = floor(["insert", db.url, *map(str, paths)], floor_env, workdir / f"{name}.out")
        if db_kind == "postgresql":
            _drop(pg_base, db)
        return m

    def ingest_row(what: str, paths: list[Path], name: str) -> tuple[Row, Database]:
        before = insert_floor(f"floor-{name}-a", paths)
        db = Database.fresh(db_kind, workdir, f"{name}", pg_base)
        m = plancheck(["ingest", "--format", "json", "--reporter", "bench", *map(str, paths)],
                      {**env, "PLANCHECK_DB": db.url}, workdir / f"{name}.json", ok=(0,))
        after = insert_floor(f"floor-{name}-b", paths)
        n = int(before.stdout.read_text().strip())
        mean = ((before.seconds + after.seconds) / 2, (before.cpu + after.cpu) / 2)
        say(f"{what}: plancheck ingest {m.seconds:.2f} s; floor {before.seconds:.2f} s and {after.seconds:.2f} s")
        return against(what, m, "csv.reader + executemany", mean, 2,
                       f"{n:,} rows in {len(paths)} file{'s' if len(paths) > 1 else ''}: "
                       f"{n / m.seconds:,.0f} rows/s (floor {n / mean[0]:,.0f}/s; {before.seconds:.1f} s before, "
                       f"{after.seconds:.1f} s after); peak {m.maxrss / 2**20:.0f} MiB"), db

    row, main_db = ingest_row(FIGURES[0], files, f"main-{tag}")
    rows.append(row)
    run_env = {**env, "PLANCHECK_DB": main_db.url}
    # Issue 4: one CSV of about a million measure rows (several provinces), into an empty database.
    row, one_db = ingest_row(FIGURES[1], [forms / "national_1m.csv"], f"one1m-{tag}")
    rows.append(row)
    if db_kind == "postgresql":
        _drop(pg_base, one_db)

    # Run one province, against python + import sqlmodel + a bare SELECT of the rows it reads.
    # Both take about a second, which the machine's other work stretches by as much as half:
    # each is measured RUN_ROUNDS times, interleaved (floor, run, floor, run, ..., floor), and the
    # fastest of each is compared, the usual estimate of what a command costs without interference.
    province = data["provinces"][0]
    select_args = ["select", main_db.url, "--province", province, "--import-sqlmodel"]
    floors = [floor(select_args, floor_env, workdir / f"floor-run-{tag}.out")]
    runs = []
    for _ in range(RUN_ROUNDS):
        runs.append(plancheck(["run", "--province", province, "--as-of", AS_OF, "--format", "json"], run_env,
                              workdir / f"run-{tag}.json"))
        floors.append(floor(select_args, floor_env, workdir / f"floor-run-{tag}.out"))
    m = min(runs, key=lambda r: r.seconds)
    n_prov = int(floors[-1].stdout.read_text().strip())
    findings = len(json.loads(m.stdout.read_text(encoding="utf-8"))["findings"])
    say(f"plancheck run --province {province}: {', '.join(f'{r.seconds:.2f}' for r in runs)} s "
        f"(floor {', '.join(f'{f.seconds:.3f}' for f in floors)} s)")
    rows.append(against(FIGURES[2], m, f"python, sqlmodel, SELECT of {n_prov:,} rows", best(*floors),
                        2, f"{findings:,} findings; fastest of {RUN_ROUNDS} runs and {len(floors)} floors, "
                           f"interleaved; peak {m.maxrss / 2**20:.0f} MiB"))

    # Compare the whole country, against a whole process that does a bare SELECT of every current
    # row: first as the first comparison after an ingest (every province judged; --fresh says so
    # explicitly), then again with the data unchanged (every province's judged counts read back).
    select_args = ["select", main_db.url]
    f_before = floor(select_args, floor_env, workdir / f"floor-compare-{tag}.out")
    args = ["compare", "--as-of", AS_OF, "--programme", national.PROGRAMME, "--format", "json"]
    for p in data["provinces"]:
        args += ["--province", p]
    m = plancheck([*args, "--fresh"], run_env, workdir / f"compare-{tag}.json")
    f_after = floor(select_args, floor_env, workdir / f"floor-compare-{tag}.out")
    n_all = int(f_after.stdout.read_text().strip())
    sel = best(f_before, f_after)
    doc = json.loads(m.stdout.read_text(encoding="utf-8"))
    failed = [p["province"] for p in doc["provinces"] if p["status"] != "ok"]
    if failed:
        raise RuntimeError(f"compare: provinces failed: {failed[:5]}")
    say(f"plancheck compare ({len(data['provinces'])} provinces): {m.seconds:.2f} s, "
        f"peak {m.maxrss / 2**20:.0f} MiB (floor {f_before.seconds:.2f} s, {f_after.seconds:.2f} s)")
    rows.append(against(FIGURES[3], m, f"python, SELECT of all {n_all:,} rows", sel, 3,
                        f"{len(data['provinces'])} provinces, every one judged (--fresh), {_cpus()} CPUs"))
    rows.append(Row(FIGURES[4], db_kind, scale, m.seconds, "", None, None, "< 10 s at scale 1",
                    m.seconds < 10 if scale == 1 else None,
                    ("" if scale == 1 else "the target is for scale 1; ") + load(), m.cpu))
    rows.append(Row(FIGURES[5], db_kind, scale, None, "", None, None, "< 1 GiB",
                    m.maxrss < GIB, f"{m.maxrss / 2**20:.0f} MiB peak RSS (the largest process)"))
    again = plancheck(args, run_env, workdir / f"compare-again-{tag}.json")
    if again.stdout.read_bytes() != m.stdout.read_bytes():
        raise RuntimeError("compare: the comparison read back differs from the one judged")
    say(f"plancheck compare again: {again.seconds:.2f} s")
    rows.append(against(FIGURES[6], again, f"python, SELECT of all {n_all:,} rows", sel, 3,
                        "every province's judged counts read back; output identical to the judged one"))
    rows.append(Row(FIGURES[7], db_kind, scale, again.seconds, "", None, None, "< 10 s at scale 1",
                    again.seconds < 10 if scale == 1 else None,
                    ("" if scale == 1 else "the target is for scale 1; ") + load(), again.cpu))
    if db_kind == "postgresql":
        _drop(pg_base, main_db)
    return rows


def _drop(pg_base: str | None, *dbs: Database) -> None:
    """Drop benchmark databases as soon as they are measured (the server's disk is a temp dir)."""
    import psycopg
    from pgserver import plain

    assert pg_base is not None
    with psycopg.connect(f"{plain(pg_base)}/postgres", autocommit=True) as conn:
        for db in dbs:
            conn.execute(f'DROP DATABASE IF EXISTS "{db.url.rsplit("/", 1)[1]}"')


def growth_rows(rows: list[Row], small: float, large: float) -> list[Row]:
    out = []
    for db in sorted({r.db for r in rows if r.scale is not None}):
        for name, source in zip(GROWTH, (FIGURES[0], FIGURES[2], FIGURES[3]), strict=True):
            a = next(r for r in rows if r.db == db and r.what == source and r.scale == small)
            b = next(r for r in rows if r.db == db and r.what == source and r.scale == large)
            ratio = _ratio(b.seconds, a.seconds)
            out.append(Row(name, db, large, b.seconds, f"same at scale {small:g}", a.seconds, ratio,
                           "<= 12x for 10x data", ratio is not None and ratio <= 12, "", b.cpu, a.cpu))
    return out


# -- start-up -------------------------------------------------------------------------------

_COUNT_PARSES = """
import sys
import plancheck.plans.planfile as planfile
calls = []
real = planfile.parse_plan
planfile.parse_plan = lambda *a: (calls.append(a[0]), real(*a))[1]
from plancheck.cli import cli
try:
    cli(["provinces"], prog_name="plancheck")
except SystemExit:
    pass
print(len(calls), file=sys.stderr)
"""


def startup_rows(env: dict[str, str], repeat: int, n_plans: int, province: str, workdir: Path) -> list[Row]:
    """Start-up against a bare interpreter, and how many plan files ``provinces`` parses.

    ``env`` has a cache directory of its own, empty: the first ``provinces`` reads
    every plan (once per plan version), and is counted apart; the timed runs and the
    second count are what every later call costs.
    """
    def parses() -> int:
        res = subprocess.run([sys.executable, "-c", _COUNT_PARSES], capture_output=True, text=True, env=env,
                             check=True)
        return int(res.stderr.strip().splitlines()[-1])

    first = parses()
    rows = []
    for r, name in zip(startup.measure(repeat, env), STARTUP, strict=False):
        rows.append(Row(name, "-", None, float(r["seconds"]), "python -c pass", float(r["baseline"]),
                        float(r["ratio"]), f"<= {startup.TARGET_MS} ms more", bool(r["holds"]),
                        f"{r['extra_ms']} ms more; {n_plans} benchmark plans installed"))
    parsed = parses()
    rows.append(Row(STARTUP[2], "-", None, None, "", None, None, "0 (plans are read when needed)", parsed == 0,
                    f"{parsed} of {n_plans + 4} registered plan files parsed"))
    rows.append(Row(STARTUP[3], "-", None, None, "", None, None, "each plan once per version", first <= n_plans + 4,
                    f"{first} of {n_plans + 4} parsed by the first call after install (then cached)"))
    # A table run of a province with no data (a database of its own, empty): what it imports.
    empty = {**env, "PLANCHECK_DB": f"sqlite:///{workdir / 'empty.sqlite'}"}
    found = startup.publishers_imported(["run", "--province", province, "--as-of", AS_OF], empty)
    rows.append(Row(STARTUP[4], "-", None, None, "", None, None, "none (html, xlsx, docx, csv, dashboard)",
                    not found, f"run --province {province} --format table, no data: "
                               f"{', '.join(found) if found else 'none of them imported'}"))
    return rows


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# -- the table ----------------------------------------------------------------------------------

def _fmt(x: float | None, digits: int = 2) -> str:
    return "" if x is None else f"{x:.{digits}f}"


def _verdict(h: bool | None) -> str:
    return "-" if h is None else ("holds" if h else "MISSED")


def table(rows: list[Row], markdown: bool = False) -> str:
    head = ["db", "scale", "figure", "wall s", "against", "wall s", "ratio", "target", "result",
            "cpu s", "cpu s", "cpu ratio", "note"]

    def secs(x: float | None) -> str:
        return _fmt(x, 3 if (x or 0) < 1 else 2)

    body = [[r.db, "" if r.scale is None else f"{r.scale:g}", r.what, secs(r.seconds), r.baseline,
             secs(r.baseline_seconds), "" if r.ratio is None else f"{r.ratio:g}x", r.target, _verdict(r.holds),
             secs(r.cpu), secs(r.baseline_cpu), "" if r.cpu_ratio is None else f"{r.cpu_ratio:g}x", r.note]
            for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in body]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in body]
    return "\n".join(out)


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f", {kib / 2**20:.0f} GiB RAM"
    return (f"{os.cpu_count()} CPUs ({cpu}){mem}; Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}")


# -- main ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> list[Row]:
    ap = argparse.ArgumentParser(description="plancheck at national scale (issues 9 and 20)")
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 63 provinces, ~10,000 communes, 2.4M rows")
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--provinces", type=int, default=63)
    ap.add_argument("--no-growth", action="store_true", help="skip the run at a tenth of the scale")
    ap.add_argument("--repeat", type=int, default=5, help="start-up runs per command (median)")
    ap.add_argument("--workdir", type=Path, help="keep data and databases here (default: a temp dir, removed)")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    ap.add_argument("--quiet", action="store_true", help="no progress on stderr")
    ap.add_argument("--code", type=Path, metavar="DIR",
                    help="measure the plancheck whose package folder is DIR (a checkout's core/, e.g. one "
                         "'git archive' wrote), not the installed one")
    args = ap.parse_args(argv)
    scales = [args.scale] if args.no_growth else [args.scale / 10, args.scale]
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="plancheck-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log = not args.quiet
    try:
        data = {}
        for s in scales:
            t0 = time.perf_counter()
            data[s] = national.generate(workdir / f"data-{s:g}", s, args.provinces)
            if log:
                print(f"generated scale {s:g}: {data[s]['rows']} rows, {data[s]['communes']} communes "
                      f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
        # PYTHONDONTWRITEBYTECODE (set on some CI machines) would make every command compile
        # plancheck's modules afresh, which no user's install does: it is left out.
        base_env = {k: v for k, v in os.environ.items()
                    if k not in ("PLANCHECK_DB", "PYTHONPATH", "PLANCHECK_CACHE_DIR", "PLANCHECK_NO_CACHE",
                                 "PYTHONDONTWRITEBYTECODE")}
        base_env["XDG_DATA_HOME"] = str(workdir / "xdg")
        # A cache of checked plans of the benchmark's own, empty at the start (see startup_rows).
        cache = workdir / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        base_env["PLANCHECK_CACHE_DIR"] = str(cache)
        code = ""  # what goes first on every command's PYTHONPATH
        if args.code is not None:
            code = str(workdir / "code")
            Path(code).mkdir(exist_ok=True)
            link = Path(code) / "plancheck"
            link.unlink(missing_ok=True)
            link.symlink_to(args.code.resolve(), target_is_directory=True)
            sys.path.insert(0, code)  # this process's own imports (the schema of the databases) too
            sys.modules.pop("plancheck", None)
        rows: list[Row] = []
        largest = data[scales[-1]]
        env_large = {**base_env, "PYTHONPATH": os.pathsep.join(filter(None, (code, str(largest["site"]))))}
        rows += startup_rows(env_large, args.repeat, len(largest["provinces"]), largest["provinces"][0], workdir)
        with contextlib.ExitStack() as stack:
            pg_base = None
            if "postgresql" in dbs:
                from pgserver import postgres_server

                pg_base = stack.enter_context(postgres_server())
            measured: list[Row] = []
            for db in dbs:
                for s in scales:
                    env = {**base_env, "PYTHONPATH": os.pathsep.join(filter(None, (code, str(data[s]["site"]))))}
                    # An office has run plancheck before: its plans are read once, not in every figure.
                    subprocess.run([sys.executable, "-m", "plancheck", "provinces"], env=env, check=True,
                                   capture_output=True)
                    measured += measure_scale(db, s, data[s], workdir, env, pg_base, log)
            rows += measured
            if len(scales) == 2:
                rows += growth_rows(measured, scales[0], scales[1])
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"plancheck national benchmark, scale {args.scale:g} (growth against {args.scale / 10:g})"
          if len(scales) == 2 else f"plancheck national benchmark, scale {args.scale:g}")
    print(f"machine: {machine()}")
    print(f"command: python benchmarks/run.py {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    print()
    print(table(rows, args.markdown))
    if args.json:
        doc = [asdict(r) | {"cpu_ratio": r.cpu_ratio} for r in rows]
        args.json.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return rows


if __name__ == "__main__":
    main()
