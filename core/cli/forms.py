"""The forms agencies send: ``ingest`` reads and stores them, ``history`` shows what was stored."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from plancheck.cli.context import InputProblem, db_url, input_errors, plugins_registry, province_plans, today_in_vietnam
from plancheck.cli.translated import command
from plancheck.language import _, lazy

if TYPE_CHECKING:
    from plancheck.plans.model import Plan


def _all_plans() -> dict[tuple[str, str], Plan]:
    from plancheck.errors import InputError
    from plancheck.plans.planfile import load_plan

    _pm, registry = plugins_registry()
    plans: dict[tuple[str, str], Plan] = {}
    for srcs in registry.provinces().values():
        for src in srcs:
            try:
                p = load_plan(src.path)
            except InputError:
                continue  # a broken plan is reported by commands about that province
            plans[(p.province, p.id)] = p
    return plans


@command(help=lazy("Read filled reporting forms (CSV or XLSX) into the database.\n\n"
                       "Every row of every file is checked first; a file with any problem is rejected whole, with "
                       "every problem listed, and nothing is written. Ingesting the same file twice changes nothing; "
                       "a changed value is a correction and the old value stays in history."))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help=lazy("Check and summarise; write nothing."))
@click.option("--reporter", help=lazy("Who is ingesting (kept in history). Default: the OS user."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
@input_errors
def ingest(ctx: click.Context, files: tuple[Path, ...], dry_run: bool, reporter: str | None,
           fmt: str) -> None:
    from plancheck.data import store
    from plancheck.data.workbook import read_form_file
    from plancheck.errors import InputError

    plans = _all_plans()
    today = today_in_vietnam()
    checked: list[Any] = []
    problems: list[Any] = []
    for path in files:
        # Performance (issue 9): each file is read as it is checked, and only its checked rows
        # and sha256 are kept until every file is checked (not its bytes, nor Observations).
        try:
            with _progress(path) as bar:
                reading, sha256 = read_form_file(path, plans, today, bar)
        except OSError as exc:
            from plancheck.errors import Problem

            problems.append(Problem.of(str(path), "cannot_read_file", why=exc.strerror or type(exc).__name__))
            continue
        except InputError as exc:
            problems.extend(exc.problems if fmt == "json" else exc.lines())
            continue
        checked.append((path, sha256, reading))
    if problems:
        _refuse_forms(problems, fmt)
    engine = store.open_engine(db_url(ctx))
    # One transaction; files that disagree on a datum are refused; a dry run is the exact preview.
    try:
        summaries = store.ingest_files(engine, [store.FileRows(path.name, sha256, reading.rows, reading.ignored)
                                                for path, sha256, reading in checked],
                                       reporter=store.reporter_name(reporter), dry_run=dry_run)
    except InputError as exc:  # files that disagree on a datum
        _refuse_forms(exc.problems, fmt)
    if fmt == "json":
        click.echo(json.dumps([s.to_json() for s in summaries], indent=2))
        return
    from plancheck.publish.text import table

    click.echo(table([_("file"), _("new"), _("updated"), _("unchanged"), _("ignored")],
                     [(s.file, s.new, s.updated, s.unchanged, s.ignored) for s in summaries]))
    if dry_run:
        click.echo(_("dry run: nothing was written"), err=True)


def _refuse_forms(problems: list[Any], fmt: str) -> None:
    """Exit 2 with every problem of the forms and "nothing was written" (on stderr); with
    ``--format json`` the problems are also a JSON list on stdout: file, sheet, cell, row, column,
    heading, value, problem, fix."""
    from plancheck.errors import InputError, reason

    error = InputError([p for p in problems if str(p) != reason("nothing_written")])
    if fmt == "json":
        click.echo(json.dumps(error.to_json(), ensure_ascii=False, indent=2))
    raise InputError([*error.lines(), reason("nothing_written")])


@contextlib.contextmanager
def _progress(path: Path):
    """A progress bar on stderr for large files, only when stderr is a terminal."""
    if not sys.stderr.isatty() or path.stat().st_size < 1_000_000:
        yield None
        return
    if path.suffix.lower() == ".csv":
        with path.open("rb") as fh:
            rows = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    else:
        rows = max(1, path.stat().st_size // 40)
    with click.progressbar(length=rows, label=_("reading {file}").format(file=path.name), file=sys.stderr) as bar:
        yield bar.update


@command(help=lazy("Every value ever ingested for one item, corrections included.\n\n"
                   "Times are Vietnam's (UTC+7). The agency is the one whose form holds the row (for a figure, "
                   "as the plan assigns it: the store keeps figures per unit); the reporter is who filed it."))
@click.option("--province", required=True, help=lazy("Province id (see plancheck provinces)."))
@click.option("--item", required=True, help=lazy("Measure, task or obligation id."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
@input_errors
def history(ctx: click.Context, province: str, item: str, fmt: str) -> None:
    from plancheck.data import store

    rows = store.history(store.open_engine(db_url(ctx)), province, item)
    _pm, _registry, plans = province_plans(province)
    if not rows:  # nothing stored: say so only if the province and item exist (issue 21)
        known = sorted({x.id for p in plans for x in (*p.measures, *p.tasks, *p.obligations)})
        if item not in known:
            from plancheck.errors import reason
            from plancheck.plans.identity import hint

            raise InputProblem([reason("no_history_item", item=item, province=province,
                                       hint=hint(item, known))])
    owners = _form_agencies(plans, item)
    for r in rows:
        r["form_agency"] = r["agency"] or owners.get((str(r["plan"]), str(r["unit"]), str(r["period"])), "")
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from plancheck.publish.text import table

    click.echo(table([_("agency"), _("unit"), _("period"), _("value"), _("date"), _("current"), _("file"),
                      _("row"), _("reporter"), _("ingested at (UTC+7)")],
                     [(r["form_agency"], r["unit"], r["period"], r["value"], r["date"],
                       _("yes") if r["current"] else _("no"), r["source_file"], r["source_row"],
                       r["reporter"], str(r["ingested_at"]).replace("T", " ")) for r in rows]))


def _form_agencies(plans: list[Plan], item: str) -> dict[tuple[str, str, str], str]:
    """(plan, unit, period) → the agency whose form holds ``item``'s row (the plan assigns each row one)."""
    from plancheck.data.expected import form_rows

    out: dict[tuple[str, str, str], str] = {}
    for p in plans:
        if any(m.id == item for m in p.measures):
            for r in form_rows(p):
                if r.item == item and r.agency:
                    out.setdefault((p.id, r.unit, r.period), r.agency)
    return out
