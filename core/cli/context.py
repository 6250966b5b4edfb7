"""What every command needs: the database, the date, a province's plans and findings, a user's error.

The commands of :mod:`plancheck.cli` and its modules (:mod:`.forms`,
:mod:`.findings`, ...) share these; nothing here is a command.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    """Plans, data, findings and waivers of one province → its Report (shared by run and explain)."""
    import attrs

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
