"""Start-up cost of the CLI, as a ratio against a bare interpreter, in one run.

    python benchmarks/startup.py [--repeat N]

Target (issue 9): ``plancheck --help`` and ``plancheck provinces`` cost at most
150 ms more than ``python -c pass``. Prints a table; never fails a test run.
``benchmarks/run.py`` runs the same measurement with the national benchmark
plugin installed (63 more plans registered).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping

TARGET_MS = 150


def best_of(cmd: list[str], repeat: int, env: Mapping[str, str] | None = None) -> float:
    """The median wall time of ``cmd`` over ``repeat`` runs (after one warm-up run)."""
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(repeat: int, env: Mapping[str, str] | None = None) -> list[dict[str, object]]:
    """``plancheck --help`` and ``plancheck provinces`` against ``python -c pass``, same run."""
    py = sys.executable
    env = dict(env if env is not None else os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user's install: modules compiled once, not every time
    base = best_of([py, "-c", "pass"], repeat, env)
    rows = []
    for name, cmd in (("plancheck --help", [py, "-m", "plancheck", "--help"]),
                      ("plancheck provinces", [py, "-m", "plancheck", "provinces"])):
        t = best_of(cmd, repeat, env)
        extra_ms = (t - base) * 1000
        rows.append({"what": name, "seconds": round(t, 3), "baseline": round(base, 3),
                     "ratio": round(t / base, 1), "extra_ms": round(extra_ms),
                     "target": f"extra <= {TARGET_MS} ms", "holds": extra_ms <= TARGET_MS})
    return rows


#: The modules that make reports people read in files (and the libraries they use): a command that
#: only prints a table has no business importing them (issue 20). ``publish.content`` is not one: the
#: terminal report is built from the same rows and notices as every other format (issue 17).
PUBLISHERS = ("plancheck.publish.html_report", "plancheck.publish.xlsx_report", "plancheck.publish.docx_report",
              "plancheck.publish.csv_report", "plancheck.publish.dashboard", "plancheck.publish.page",
              "openpyxl", "docx", "jinja2")


def imported(cmd: list[str], env: Mapping[str, str] | None = None) -> list[str]:
    """Every module ``python -X importtime`` says ``cmd`` (a plancheck command's arguments) imports."""
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "plancheck", *cmd], capture_output=True,
                         text=True, env=dict(env if env is not None else os.environ), check=False)
    return [line.rsplit("|", 1)[1].strip() for line in res.stderr.splitlines()
            if line.startswith("import time:") and "|" in line and not line.rstrip().endswith("package")]


def publishers_imported(cmd: list[str], env: Mapping[str, str] | None = None) -> list[str]:
    """The report-making modules among what ``cmd`` imports."""
    return sorted({m for m in imported(cmd, env) if any(m == p or m.startswith(p + ".") for p in PUBLISHERS)})


def main(argv: list[str] | None = None) -> list[dict[str, object]]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    rows = measure(args.repeat)
    print(f"{'what':24} {'median s':>9} {'python -c pass':>15} {'ratio':>6} {'extra ms':>9}  target")
    for r in rows:
        print(f"{r['what']:24} {r['seconds']:>9} {r['baseline']:>15} {r['ratio']:>6} {r['extra_ms']:>9}  "
              f"{r['target']}: {'holds' if r['holds'] else 'MISSED'}")
    return rows


if __name__ == "__main__":
    main()
