"""The command line: parse, call core, render. Nothing is decided here.

The top room: it may import every other room and none imports it. What every
command needs (the database, the date, a province's plans and findings, a
user's error) is in :mod:`.context`; the forms agencies send (``ingest``,
``history``) in :mod:`.forms`; how verdicts were reached and changed
(``explain``, ``diff``) in :mod:`.findings`; the plugin authors' commands in
:mod:`.plugin`; the portal's in :mod:`.serve`; reference data in
:mod:`.reference`; help and messages in the reader's language in
:mod:`.translated`; the generator of docs/plugins.md, which reads this CLI's
help, in :mod:`.docs`.

Exit codes: 0 nothing not met, 1 something not met (from the report), 2 a
usage or input error (bad arguments, bad plan or form files, a failed plugin,
an output that cannot be written), 3 a bug (its traceback is shown; see _Guarded).
Data go to stdout, messages to stderr. Heavy modules (sqlmodel, the plan
loader) are imported inside the commands that need them.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from plancheck import language
from plancheck.cli.context import (
    InputProblem,
    as_of_date,
    db_url,
    emit,
    evaluate_province,
    input_errors,
    leave,
    one_command_process,
    plan_version,
    plugins_registry,
    province_plans,
    today_in_vietnam,
)
from plancheck.cli.translated import Group, lang_option, speak_the_readers_language
from plancheck.language import _, lazy

speak_the_readers_language()

class _Guarded(Group):
    """The one top-level guard (issue 21): every error a user can cause is a message on stderr
    and exit 2 (a bad input, an output that cannot be written: a missing directory, a full
    disk, a closed pipe); a bug shows its traceback and exits 3, never 1 ("something not met")."""

    def invoke(self, ctx: click.Context) -> Any:
        import traceback

        from plancheck.errors import EXIT_BUG, InputError, output_failure

        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # a closed pipe shows here, not after the exit code is set
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except InputError as exc:
            raise InputProblem(exc.lines()) from None
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                with contextlib.suppress(Exception):  # nothing more can reach the closed pipe
                    import os

                    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise InputProblem([output_failure(exc)]) from None
        except KeyboardInterrupt:
            raise click.exceptions.Exit(130) from None
        except Exception:
            traceback.print_exc()
            click.echo(_("plancheck: a bug (exit {code}): please report it with the lines above").format(code=EXIT_BUG),
                       err=True)
            raise click.exceptions.Exit(EXIT_BUG) from None


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]},
             help=lazy("plancheck: check how a provincial plan is being carried out.\n\n"
                       "Each province's plan comes from a plugin. Agencies report data on forms (plancheck "
                       "template); plancheck ingest stores them; plancheck run says, target by target, task by task "
                       "and report by report, what is met, late, missing or below target."))
@click.version_option(package_name="plancheck", help=lazy("Show the version and exit."))
@click.option("--db", envvar="PLANCHECK_DB", metavar="URL",
              help=lazy("Database URL (SQLAlchemy form). Default: PLANCHECK_DB, else a SQLite file "
                        "in your data directory."))
@lang_option()
@click.pass_context
def cli(ctx: click.Context, db: str | None, lang: str | None) -> None:
    ctx.obj = {"db": db}


@cli.command(help=lazy("List installed province plugins, their plans, and plugins that failed."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def provinces(fmt: str) -> None:
    from plancheck.errors import InputError
    from plancheck.plans.plancache import known_problems
    from plancheck.plans.plugins import PluginFailure

    _pm, registry = plugins_registry()
    # A plugin is usable only if its plans can be read. What reading each version of a plan
    # concluded is cached, so only a plan that is new or changed since it was last read is read.
    for province, srcs in list(registry.provinces().items()):
        for src in srcs:
            problems = known_problems(src.path)
            if problems is None:
                from plancheck.plans.planfile import load_plan

                try:
                    load_plan(src.path)
                    problems = []
                except InputError as exc:
                    problems = exc.lines()
            if problems:
                registry.failures.append(PluginFailure(src.plugin, registry.distributions.get(src.plugin, "?"),
                                                       "; ".join(problems[:5])))
                registry.sources = [s for s in registry.sources if s.province != province]
                break
    if fmt == "json":
        click.echo(json.dumps({
            "provinces": [
                {"province": p, "name": srcs[0].province_name, "plugin": srcs[0].plugin,
                 "api_version": srcs[0].api_version, "plans": [str(s.path) for s in srcs]}
                for p, srcs in registry.provinces().items()
            ],
            "failed": [{"plugin": f.plugin, "distribution": f.distribution, "reason": f.reason}
                       for f in registry.failures],
        }, ensure_ascii=False, indent=2))
        return
    from plancheck.language import pgettext
    from plancheck.publish.text import table

    rows = [(p, srcs[0].province_name, pgettext("plugin", "ok"), ", ".join(s.path.name for s in srcs))
            for p, srcs in registry.provinces().items()]
    rows += [(f.plugin, "", pgettext("plugin", "FAILED"), f"{f.distribution}: {f.reason}") for f in registry.failures]
    heads = [pgettext("heading", "province"), _("name"), pgettext("plugin", "status"), _("plans")]
    click.echo(table(heads, rows, max_width=100))


@cli.group(help=lazy("Inspect the plans provinces have encoded."))
def plan() -> None:
    pass


@plan.command("show",
              help=lazy("Show a province's plan as encoded, clause by clause."))
@click.option("--province", required=True, help=lazy("Province id (see plancheck provinces)."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@input_errors
def plan_show(province: str, fmt: str) -> None:
    from plancheck.publish.text import plan_text, plan_to_json

    _pm, _registry, plans = province_plans(province)
    if fmt == "json":
        doc = {"province": province, "plans": [plan_to_json(p) for p in plans]}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(plan_text(p) for p in plans))


@plan.command("draft",
              help=lazy("Draft a plan TOML from a decision's text (rule-based, offline).\n\n"
                        "Every drafted element carries its clause, the sentence it came from, and draft = true until "
                        "a person confirms it (see docs/drafting.md)."))
@click.argument("text_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help=lazy("Write DIR/plan.toml instead of printing the draft."))
def plan_draft(text_file: Path, output_dir: Path | None) -> None:
    from plancheck.authoring.drafting import draft_plan

    try:
        text = text_file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputProblem([f"{text_file}: not UTF-8 text (byte {exc.start}): save it as UTF-8"]) from None
    try:
        toml = draft_plan(text, text_file.name)
    except ValueError as exc:
        raise InputProblem([f"{text_file}: {exc}"]) from None
    if output_dir is None:
        click.echo(toml)
        return
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / "plan.toml"
    target.write_text(toml, encoding="utf-8")
    click.echo(_("wrote {file}").format(file=target), err=True)


@cli.command(help=lazy("Write the blank reporting form for a province: one row per expected datum."))
@click.option("--province", required=True, help=lazy("Province id (see plancheck provinces)."))
@click.option("--agency", help=lazy("Only the rows this agency must fill (agency id)."))
@click.option("--unit", help=lazy("Only the rows of this unit and the units under it (unit id: a district gets its "
                   "communes' rows)."))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv",
              help=lazy("csv for scripts; xlsx for agencies (locked ids, validation, instructions)."))
@lang_option(lazy("Language of the form's headings, instructions and messages (vi or en). Default: PLANCHECK_LANG, "
                  "else the locale, else English."))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help=lazy("Write to FILE, not stdout."))
@input_errors
def template(province: str, agency: str | None, unit: str | None, fmt: str, lang: str | None,
             output: str | None) -> None:
    import io

    from plancheck.data.forms import form_rows, write_csv
    from plancheck.plans.lineage import load_lineage

    pm, _registry, plans = province_plans(province)
    if agency is not None and not any(a.id == agency for p in plans for a in p.agencies):
        known = ", ".join(sorted({a.id for p in plans for a in p.agencies}))
        raise click.BadParameter(_("unknown agency {agency!r}; known: {known}").format(agency=agency, known=known),
                                 param_hint="--agency")
    if unit is not None and not any(u.id == unit for p in plans for u in p.units):
        from plancheck.plans.identity import hint

        units = sorted({u.id for p in plans for u in p.units})
        raise click.BadParameter(_("unknown unit {unit!r}{hint}").format(unit=unit, hint=hint(unit, units)),
                                 param_hint="--unit")
    lineage = load_lineage(pm)
    rows = [r for p in plans for r in form_rows(p, agency, unit, lineage=lineage, today=today_in_vietnam())]
    if fmt == "xlsx":
        from plancheck.data.workbook import write_xlsx

        if not output:
            raise click.UsageError(_("an xlsx form needs -o FILE"))
        Path(output).write_bytes(write_xlsx(rows, lang or language.current(), plans))
        click.echo(_("wrote {file} ({n} rows)").format(file=output, n=len(rows)), err=True)
        return
    buf = io.StringIO()
    write_csv(rows, buf)
    emit(buf.getvalue(), output)


@cli.command(help=lazy("Judge a province's plan against the reported data.\n\n"
                       "Exit code 0 when nothing fails, 1 when a not-met finding at or above --fail-on is not "
                       "covered by a waiver, 2 on bad input. With -o FILE the exit code is 0 once the file is "
                       "written, unless --fail-on is given."))
@click.option("--province", required=True, help=lazy("Province id (see plancheck provinces)."))
@click.option("--as-of", "as_of", metavar="DATE", help=lazy("Judge as of this date (default: today in Vietnam)."))
@click.option("--example", is_flag=True,
              help=lazy("Use the plugin's shipped example data instead of the database (nothing is written)."))
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False, path_type=Path),
              help=lazy("Extensions and exemptions (TOML or CSV) to apply."))
@click.option("--fail-on", type=click.Choice(["high", "medium", "low"]), default="low", show_default=True,
              help=lazy("Lowest importance of a not-met finding that makes the exit code 1."))
@click.option("--save", is_flag=True, help=lazy("Store this run (findings, plan version, data state) for diff."))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "html", "xlsx", "csv", "docx"]),
              default="table", help=lazy("table/json for operators; html, xlsx, csv, docx reports (need -o FILE)."))
@lang_option(lazy("Language of the output and of the html, xlsx and docx reports (vi or en). Default: "
                  "PLANCHECK_LANG, else the locale (LANG=vi_VN.UTF-8: Vietnamese), else English."))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help=lazy("Write to FILE, not stdout."))
@click.option("--issuer", metavar="AGENCY",
              help=lazy("The docx report's reporting body (agency id; default: the plan's issuer)."))
@click.option("--agency", "only_agency", metavar="AGENCY",
              help=lazy("Only the findings about this agency (agency id): its summary, exit code and reports."))
@click.option("--unit", "only_unit", metavar="UNIT",
              help=lazy("Only the findings about this unit and the units under it (a district: its communes too)."))
@click.option("--status", "only_status", multiple=True, type=click.Choice(["met", "not_met", "pending", "no_data"]),
              help=lazy("Only the findings with this status (repeatable)."))
@click.pass_context
@input_errors
def run(ctx: click.Context, province: str, as_of: str | None, example: bool, waivers_file: Path | None,
        fail_on: str, save: bool, fmt: str, lang: str | None, output: str | None, issuer: str | None,
        only_agency: str | None, only_unit: str | None, only_status: tuple[str, ...]) -> None:
    day = as_of_date(as_of)
    lang = lang or language.current()
    narrowed = only_agency is not None or only_unit is not None or bool(only_status)
    if save and narrowed:
        raise click.UsageError(_("--save keeps a whole province's run: leave out --agency, --unit and --status"))
    _pm, registry, plans, report = evaluate_province(ctx, province, day, example, waivers_file, fail_on)
    if issuer is not None and not any(a.id == issuer for p in plans for a in p.agencies):
        known = ", ".join(sorted({a.id for p in plans for a in p.agencies}))
        raise click.BadParameter(_("unknown agency {agency!r}; known: {known}").format(agency=issuer, known=known),
                                 param_hint="--issuer")
    title = ""
    if narrowed:
        import attrs

        from plancheck.judge.scope import select

        report = attrs.evolve(report, findings=tuple(select(report.findings, plans, agency=only_agency,
                                                            unit=only_unit, statuses=only_status)))
        title = _("Only: {what}").format(what=", ".join(
            x for x in (only_agency and _("agency {id}").format(id=only_agency),
                        only_unit and _("unit {id} and the units under it").format(id=only_unit),
                        only_status and _("status {statuses}").format(statuses=", ".join(only_status))) if x))
    doc: dict[str, Any] = {}
    if save or fmt == "json":  # the document only where it is written or saved (issue 20)
        from plancheck.publish.text import run_document

        # Findings stay objects, written straight to text, unless they are saved (issue 20).
        doc = run_document(report, objects=not save)
        if narrowed:
            doc["only"] = {"agency": only_agency, "unit": only_unit, "status": list(only_status)}
    if save:
        from plancheck.data import store

        engine = store.open_engine(db_url(ctx))
        doc["plan_version"] = plan_version(registry, province)
        doc["data_state"] = "example data" if example else store.data_state(engine, province)
        run_id = store.save_run(engine, doc, plan_version=doc["plan_version"], state=doc["data_state"])
        doc["run_id"] = run_id
        click.echo(_("saved as run {id}").format(id=run_id), err=True)
    if fmt in ("html", "xlsx", "csv", "docx"):
        from plancheck.publish import publish

        if not output:
            raise click.UsageError(_("--format {format} writes a file: give -o FILE").format(format=fmt))
        Path(output).write_bytes(publish(report, plans, fmt, lang, issuer=issuer))
        click.echo(_("wrote {file}").format(file=output), err=True)
    elif fmt == "json":
        from plancheck.publish.text import json_chunks

        emit(json_chunks(doc), output)
    else:
        from plancheck.publish.terminal import report_text

        emit(report_text(report, plans, lang, title), output)
    # A report written to a file is a product, not a check: writing it is success (0) unless
    # --fail-on is given, so `plancheck run --format html -o r.html && ...` goes on.
    if output and ctx.get_parameter_source("fail_on") is click.core.ParameterSource.DEFAULT:
        ctx.exit(0)
    ctx.exit(report.return_code)


@cli.command(help=lazy("Compare provinces side by side on a national programme's indicators.\n\n"
                       "A province whose plugin fails to load or evaluate is shown as a failed row with the reason; "
                       "the others are still compared. The ranking rule is stated in the output."))
@click.option("--province", "provinces_", multiple=True, metavar="P",
              help=lazy("Compare only these provinces (repeatable). Default: every installed province."))
@click.option("--as-of", "as_of", metavar="DATE", help=lazy("Judge as of this date (default: today in Vietnam)."))
@click.option("--period", metavar="PERIOD", help=lazy("Compare one period (e.g. 2024) instead of every shared year."))
@click.option("--programme", metavar="ID",
              help=lazy("The national programme whose indicators are compared (see plancheck programmes). "
                        "Default: the one in force on --as-of."))
@click.option("--units-as-of", "units_as_of", metavar="DATE",
              help=lazy("Group provinces as they existed on this date (default: --as-of): after 2025-07-01, one "
                        "group per current province with its predecessors' plans under it."))
@click.option("--example", is_flag=True, help=lazy("Use each plugin's example data instead of the database."))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "html"]), default="table",
              help=lazy("html is a self-contained dashboard (needs -o FILE)."))
@lang_option(lazy("Language of the output and of the html dashboard (vi or en). Default: PLANCHECK_LANG, else "
                  "the locale (LANG=vi_VN.UTF-8: Vietnamese), else English."))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help=lazy("Write to FILE, not stdout."))
@click.option("--fresh", is_flag=True,
              help=lazy("Judge every province again, even one whose data, plans and plugins have not changed "
                        "since a comparison for the same date."))
@click.option("--jobs", type=click.IntRange(min=1), metavar="N",
              help=lazy("Judge up to N provinces at once, each in its own process. Default: one per CPU."))
@click.pass_context
@input_errors
def compare(ctx: click.Context, provinces_: tuple[str, ...], as_of: str | None, period: str | None,
            programme: str | None, units_as_of: str | None, example: bool, fmt: str, lang: str | None,
            output: str | None, fresh: bool, jobs: int | None) -> None:
    from plancheck.judge.assessment import assess_for_comparison, available_cpus
    from plancheck.judge.compare import compare as do_compare
    from plancheck.plans import plancache
    from plancheck.plans.calendar import Period
    from plancheck.plans.programme import get_programme, programme_in_force, programmes

    day = as_of_date(as_of)
    try:
        units_day = as_of_date(units_as_of) if units_as_of else day
    except click.BadParameter:
        raise click.BadParameter(_("{text!r} is not a date like 01/07/2025 or 2025-07-01").format(text=units_as_of),
                                 param_hint="--units-as-of") from None
    if period is not None:
        try:
            Period.parse(period)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--period") from None
    prog = get_programme(programme) if programme else programme_in_force(day)
    if prog is None:
        raise click.BadParameter(f"unknown programme {programme!r}; known: {', '.join(programmes())}",
                                 param_hint="--programme")
    pm, registry = plugins_registry()
    names = list(provinces_) or sorted(set(registry.provinces()) | {f.plugin for f in registry.failures})
    # A province whose data, plans and plugins have not changed since a comparison judged it
    # for the same date is not judged again: its counts were kept in the database (issue 9).
    keep = plancache.cache_dir() is not None  # PLANCHECK_NO_CACHE turns this off too
    assessments = assess_for_comparison(
        pm, registry, names, day, db_url=None if example else db_url(ctx), today=today_in_vietnam(),
        reuse=keep and not fresh, keep=keep, jobs=jobs or available_cpus(), typed=provinces_)
    doc = do_compare(assessments, prog, day, period, units_as_of=units_day)
    if example:
        doc["notices"] = ["EXAMPLE DATA: illustrative figures shipped with the plugins, not real reports"]
    if fmt == "json":
        from plancheck.publish.text import json_text

        emit(json_text(doc), output)
    elif fmt == "html":
        from plancheck.publish import publish_comparison

        if not output:
            raise click.UsageError(_("--format {format} writes a file: give -o FILE").format(format="html"))
        Path(output).write_bytes(publish_comparison(doc, lang or language.current()))
        click.echo(_("wrote {file}").format(file=output), err=True)
    elif fmt == "csv":
        from plancheck.publish.text import comparison_csv

        emit(comparison_csv(doc), output)
    else:
        from plancheck.publish.terminal import comparison_text

        emit(comparison_text(doc, lang or language.current()), output)


# The forms agencies send, and how verdicts were reached and changed.
from plancheck.cli.findings import diff, explain  # noqa: E402
from plancheck.cli.forms import history, ingest  # noqa: E402

cli.add_command(ingest)
cli.add_command(history)
cli.add_command(explain)
cli.add_command(diff)

# Authoring commands (plugin new, plugin check) live with the code they drive.
from plancheck.cli.plugin import plugin  # noqa: E402

cli.add_command(plugin)

# The portal and its accounts (plancheck serve, plancheck user).
from plancheck.cli.serve import serve, user  # noqa: E402

cli.add_command(serve)
cli.add_command(user)

# Reference data: units' lineage and the national programme templates.
from plancheck.cli.reference import lineage, programmes_cmd  # noqa: E402

cli.add_command(lineage)
cli.add_command(programmes_cmd)


def main() -> None:
    """Entry point of the ``plancheck`` command: one command, then the process ends (see leave)."""
    one_command_process()
    try:
        cli(prog_name="plancheck")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    leave(code)


if __name__ == "__main__":  # pragma: no cover
    main()
