"""Profile one plancheck command in-process with cProfile.

    PYTHONPATH=DATA/site PLANCHECK_DB=sqlite:///DB python benchmarks/profile_cli.py [--top N]
        [--sort tottime|cumulative] [--save FILE.prof] -- ingest DATA/forms/tinh_01.csv

The command's own output is discarded; the profile (top functions) is printed
on stderr. Use the data ``benchmarks/run.py --workdir DIR`` or
``benchmarks/national.py`` leaves behind.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import sys


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    ap.add_argument("--save", help="write the raw profile here (for snakeviz, pstats)")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    from plancheck.cli import cli

    prof = cProfile.Profile()
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        prof.enable()
        try:
            cli(command, prog_name="plancheck", standalone_mode=False)
        except SystemExit:
            pass
        finally:
            prof.disable()
    if args.save:
        prof.dump_stats(args.save)
    pstats.Stats(prof, stream=sys.stderr).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
