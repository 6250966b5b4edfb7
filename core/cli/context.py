"""What every command needs: the database, the date, a province's plans and findings, a user's error.

The commands of :mod:`plancheck.cli` and its modules (:mod:`.forms`,
:mod:`.findings`, ...) share these; nothing here is a command.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from plancheck.language import _

if TYPE_CHECKING:
    from plancheck.plans.model import Plan
    from plancheck.plans.plugins import Registry


class InputProblem(click.ClickException):
    """A user error with every problem listed; exit code 2."""

    exit_code = 2

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


def input_errors(fn):
    """Turn InputError into exit code 2 with its lines, never a traceback."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from plancheck.errors import InputError

        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            raise InputProblem(exc.lines()) from None

    return wrapper


def today_in_vietnam() -> date:
    from plancheck.plans.calendar import today_in_vietnam

    return today_in_vietnam()


def as_of_date(value: str | None) -> date:
    if value is None:
        return today_in_vietnam()
    from plancheck.plans.calendar import parse_written_date

    try:
        return parse_written_date(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r}: {exc}", param_hint="--as-of") from None


def emit(text: str | Iterable[str], output: str | None) -> None:
    if not isinstance(text, str):  # written piece by piece as it is made (issue 20: a run's JSON)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.writelines(text)
                fh.write("\n")
            click.echo(_("wrote {file}").format(file=output), err=True)
        else:
            sys.stdout.writelines(text)
            sys.stdout.write("\n")
            sys.stdout.flush()
        return
    if output:
        Path(output).write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
        click.echo(_("wrote {file}").format(file=output), err=True)
    else:
        click.echo(text)


def plugins_registry() -> tuple[Any, Registry]:
    from plancheck.plans.plugins import load_registry

    return load_registry()


def province_plans(province: str) -> tuple[Any, Registry, list[Plan]]:
    """The plugin manager, registry and loaded plans of one province; exit 2 if unusable."""
    from plancheck.judge.assessment import province_plans

    pm, registry = plugins_registry()
    return pm, registry, province_plans(registry, province)


def db_url(ctx: click.Context) -> str:
    from plancheck.data.store import default_db_url

    return ctx.obj.get("db") or default_db_url()


def plan_version(registry: Registry, province: str) -> str:
    """The plan version a verdict depends on: plancheck's version and the plan files' sha256."""
    import hashlib

    from plancheck import __version__

    h = hashlib.sha256()
    for src in registry.provinces().get(province, []):
        h.update(src.path.read_bytes())
    return f"plancheck {__version__}; plans sha256 {h.hexdigest()[:16]}"


def evaluate_province(ctx: click.Context, province: str, as_of: date, example: bool,
                       waivers_file: Path | None, fail_on: str) -> tuple[Any, Registry, list[Plan], Any]:
    """Plans, data, findings and waivers of one province → its Report (shared by run, explain and diff)."""
    import attrs

    bounded_command()  # one province's findings, then the process ends

    from plancheck.judge.assessment import assess, example_observations

    pm, registry, plans = province_plans(province)
    waivers = []
    if waivers_file is not None:
        from plancheck.judge.waivers import load_waivers

        waivers = load_waivers(waivers_file, plans)
    notices = []
    if example:
        obs = example_observations(registry, province, plans, today_in_vietnam())
        # in English, as core writes notices: every report puts it in its reader's words (publish.content)
        notices.append("EXAMPLE DATA: illustrative figures shipped with the plugin, not real reports")
    else:
        from plancheck.data import store

        url = db_url(ctx)
        engine = store.open_engine(url)
        obs = store.current_observations(engine, province)
        if not obs:
            click.echo(_("No data ingested for {province} yet ({url}). Try: plancheck run --province {province} "
                         "--example, or fill 'plancheck template --province {province}' and 'plancheck ingest' it.")
                       .format(province=province, url=store.safe_url(url)), err=True)
    owners = [s.plugin for s in registry.provinces().get(province, [])]
    report = assess(pm, province, plans, obs, as_of, notices, owners)
    if waivers:
        from plancheck.judge.waivers import apply_waivers, refuse_unmatched

        refuse_unmatched(report.findings, waivers)  # a mistyped agency, unit or period waives nothing
        findings = apply_waivers(report.findings, waivers, as_of)
        expired = sorted({_("waiver for {item} expired on {date}").format(item=f.item, date=f.waiver["expires"])
                          for f in findings
                          if f.waiver and f.waiver.get("expired")})
        report = attrs.evolve(report, findings=tuple(findings), notices=report.notices + tuple(expired))
    return pm, registry, plans, attrs.evolve(report, fail_on=fail_on)


# -- the process a command runs in (issue 20) ----------------------------------------------
#
# ``plancheck`` runs one command and ends. What follows is only for that process (main() says
# so): a test's CliRunner and the portal's server keep Python's defaults.

#: The cyclic collector's pace when the process started; ``serve``, a long-lived process, goes back to it.
COLLECTOR_DEFAULT = gc.get_threshold()
_ONE_COMMAND = False


def one_command_process() -> None:
    """This process runs one command and ends (called by :func:`plancheck.cli.main` only).

    The cyclic garbage collector then runs less often, as mypy's does: a command builds many
    lasting objects with no cycle among them (rows, observations, findings, texts), and at the
    default pace, a collection every 700 new objects, it walked them again and again and found
    nothing. Cycles are still collected, less often.
    """
    global _ONE_COMMAND
    _ONE_COMMAND = True
    gc.set_threshold(200_000, 30, 30)


def bounded_command() -> None:
    """The command at hand builds what one province's data holds and ends the process: no cyclic
    collection at all (a run's one collection walked all of its findings for 80 ms, and found
    nothing). Nothing in a test's CliRunner or the portal."""
    if _ONE_COMMAND:
        gc.disable()


def leave(code: object) -> NoReturn:
    """End the process once the command has ended, without taking the interpreter apart.

    As mypy's ``hard_exit``: freeing every object one by one and the last full collection took
    0.1 to 0.25 s after a province's run (issue 20), for a process about to end. What must
    happen at exit still does: the functions registered with atexit (libraries' own, temporary
    files' finalizers), every database connection closed properly, and the output flushed.

    Output that cannot be flushed (a full disk, a closed pipe) is a user's error, exit 2, said
    once: Python's own exit would try the same flush again, say it failed in a traceback-like
    "Exception ignored" and exit 120 (a bug that was there before this function, whenever
    standard output is buffered).
    """
    import atexit
    import os

    status = 0 if code is None else code if isinstance(code, int) else 1
    if not isinstance(code, int | None):
        print(code, file=sys.stderr)  # as SystemExit("message") would
    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if run_exitfuncs is None:  # another Python: its own exit does it all
        raise SystemExit(status)
    try:
        run_exitfuncs()
        store = sys.modules.get("plancheck.data.store")
        if store is not None:
            store.close_engines()
    except Exception:
        raise SystemExit(status) from None
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError) as exc:
            if status in (0, 1) and stream is sys.stdout and isinstance(exc, OSError):  # not said yet
                from plancheck.errors import output_failure

                with contextlib.suppress(Exception):
                    os.write(2, (output_failure(exc) + "\n").encode("utf-8", "replace"))
            status = 2 if status in (0, 1) else status
    os._exit(status)
