"""Start-up cost of the CLI, as a ratio against a bare interpreter, in one run.

    python benchmarks/startup.py [--repeat N]

Target (issue 9): ``plancheck --help`` and ``plancheck provinces`` cost at most
150 ms more than ``python -c pass``. Prints a table; never fails a test run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def best_of(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> list[dict[str, object]]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    py = sys.executable
    base = best_of([py, "-c", "pass"], args.repeat)
    rows = []
    for name, cmd in (("plancheck --help", [py, "-m", "plancheck", "--help"]),
                      ("plancheck provinces", [py, "-m", "plancheck", "provinces"])):
        t = best_of(cmd, args.repeat)
        extra_ms = (t - base) * 1000
        rows.append({"what": name, "seconds": round(t, 3), "baseline": round(base, 3),
                     "ratio": round(t / base, 1), "extra_ms": round(extra_ms),
                     "target": "extra <= 150 ms", "holds": extra_ms <= 150})
    print(f"{'what':24} {'median s':>9} {'python -c pass':>15} {'ratio':>6} {'extra ms':>9}  target")
    for r in rows:
        print(f"{r['what']:24} {r['seconds']:>9} {r['baseline']:>15} {r['ratio']:>6} {r['extra_ms']:>9}  "
              f"{r['target']}: {'holds' if r['holds'] else 'MISSED'}")
    return rows


if __name__ == "__main__":
    main()
