"""The forms agencies send: ``ingest`` reads and stores them, ``history`` shows what was stored.

Whatever a form or its file's name brings is printed escaped (:func:`printable`): a file named
``"\\x1b[2J.csv"`` or ``"a\\rb.csv"`` is shown as such, never obeyed by the terminal.
"""

from __future__ import annotations

import contextlib
import json
import re
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


#: What a terminal may obey or a reader mistake: control characters (C0, DEL, C1: escape sequences,
#: carriage returns, bells), line and paragraph separators, the bidirectional overrides and isolates
#: (a name shown backwards), and lone surrogates (bytes of a file name that are not UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: Of those, what ``json.dumps(..., ensure_ascii=False)`` leaves as it is (it escapes C0 itself; outside
#: a string its output holds none of these, so each can be escaped wherever it is).
_UNPRINTABLE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with every character a terminal could obey escaped as Python writes it (``\\x1b``,
    ``\\r``, ``\\u202e``): the line stays one line and names what it names recognisably. A byte of
    a file's name that is not UTF-8 is shown as that byte (``\\xff``), as :func:`_stored_name` keeps it."""
    return _UNPRINTABLE.sub(_escaped, text)


def _escaped(m: re.Match[str]) -> str:
    n = ord(m[0])
    return f"\\x{n - 0xDC00:02x}" if 0xDC80 <= n <= 0xDCFF else repr(m[0])[1:-1]


def _stored_name(path: Path) -> str:
    """The name of a form's file as history keeps it: as it is printed (:func:`printable`), so every
    report that shows it later (``run``'s terminal report, history) shows it safely, and a byte of it
    that is not UTF-8 (which no database takes as text) is kept as ``\\xff``."""
    return printable(path.name)


def _json(doc: Any) -> str:
    """``doc`` as readable JSON (letters as they are), with every character a terminal could obey escaped."""
    return _UNPRINTABLE_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(doc, ensure_ascii=False, indent=2))


@command(help=lazy("Read filled reporting forms (CSV or XLSX) into the database.\n\n"
                       "Every row of every file is checked first; a file with any problem is rejected whole, with "
                       "every problem listed, and nothing is written. Ingesting the same file twice changes nothing; "
                       "a changed value is a correction and the old value stays in history."))
# A directory is refused with every other problem (cannot_read_file), not alone by click before any
# file is read.
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
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
    url = db_url(ctx)
    # A dry run writes nothing, not even an empty database, a table or SQLite's switch to WAL: against
    # a database that does not exist yet, or has not this plancheck's schema (an empty PostgreSQL
    # database, an older file), it previews against an empty one in memory.
    absent = _absent_database(url) if dry_run else None
    engine = None if absent else store.open_engine(url, write_schema=not dry_run)
    unwritten = engine is None and not absent
    if engine is None:
        engine = store.open_engine("sqlite://")
    # One transaction; files that disagree on a datum are refused; a dry run is the exact preview.
    try:
        summaries = store.ingest_files(engine, [store.FileRows(_stored_name(path), sha256, reading.rows,
                                                               reading.ignored)
                                                for path, sha256, reading in checked],
                                       reporter=store.reporter_name(reporter), dry_run=dry_run)
    except InputError as exc:  # files that disagree on a datum
        _refuse_forms(exc.problems, fmt)
    if absent:
        click.echo(_("dry run: the database {database} does not exist yet; the ingest would create it")
                   .format(database=printable(absent)), err=True)
    elif unwritten:
        click.echo(_("dry run: the database {database} does not have this plancheck's tables yet; the ingest "
                     "would create or upgrade them (this preview is against an empty database)")
                   .format(database=printable(store.safe_url(url))), err=True)
    if fmt == "json":
        click.echo(json.dumps([s.to_json() for s in summaries], indent=2))
        return
    from plancheck.publish.text import table

    click.echo(table([_("file"), _("new"), _("updated"), _("unchanged"), _("ignored")],
                     [(printable(s.file), s.new, s.updated, s.unchanged, s.ignored) for s in summaries]))
    if dry_run:
        click.echo(_("dry run: nothing was written"), err=True)


def _absent_database(url: str) -> str | None:
    """The file of a SQLite database ``url`` names when it does not exist (opening it would create it);
    None for any other database, or a URL :func:`~plancheck.data.store.open_engine` will refuse."""
    from sqlalchemy.engine import make_url

    from plancheck.data.store import in_memory

    try:
        u = make_url(url)
    except Exception:
        return None
    database = u.database or ""
    if u.get_backend_name() != "sqlite" or in_memory(url) or database.startswith("file:"):
        return None  # a SQLite URI ("file:...?mode=ro") says itself whether the file is created
    return None if Path(database).exists() else database


def _refuse_forms(problems: list[Any], fmt: str) -> None:
    """Exit 2 with every problem of the forms and "nothing was written" (on stderr); with
    ``--format json`` the problems are also a JSON list on stdout: file, sheet, cell, row, column,
    heading, value, problem, fix."""
    from plancheck.errors import InputError, reason

    error = InputError([p for p in problems if str(p) != reason("nothing_written")])
    if fmt == "json":
        click.echo(_json(error.to_json()))
    # Each problem is one line, whatever a file's name or a cell holds (see printable).
    raise InputError([*map(printable, error.lines()), reason("nothing_written")])


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
    with click.progressbar(length=rows, label=_("reading {file}").format(file=printable(path.name)),
                           file=sys.stderr) as bar:
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
        click.echo(_json(rows))
        return
    from plancheck.publish.text import table

    click.echo(table([_("agency"), _("unit"), _("period"), _("value"), _("date"), _("current"), _("file"),
                      _("row"), _("reporter"), _("ingested at (UTC+7)")],
                     [(r["form_agency"], r["unit"], r["period"], r["value"], r["date"],
                       _("yes") if r["current"] else _("no"), printable(r["source_file"] or ""), r["source_row"],
                       printable(r["reporter"] or ""), str(r["ingested_at"]).replace("T", " ")) for r in rows]))


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
