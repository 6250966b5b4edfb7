"""How verdicts were reached and how they changed: ``explain`` and ``diff``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from plancheck import language
from plancheck.cli.context import (
    InputProblem,
    as_of_date,
    db_url,
    evaluate_province,
    input_errors,
    plan_version,
)
from plancheck.cli.translated import command, lang_option
from plancheck.language import _, lazy


@command(help=lazy("Show how the verdicts on one item were reached: data, rule, clause, comparison."))
@click.option("--province", required=True, help=lazy("Province id (see plancheck provinces)."))
@click.argument("item")
@click.option("--as-of", "as_of", metavar="DATE", help=lazy("Judge as of this date (default: today in Vietnam)."))
@click.option("--example", is_flag=True, help=lazy("Use the plugin's example data instead of the database."))
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--unit", help=lazy("Only the findings about this unit."))
@click.option("--agency", help=lazy("Only the findings about this agency."))
@lang_option()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
@input_errors
def explain(ctx: click.Context, province: str, item: str, as_of: str | None, example: bool,
            waivers_file: Path | None, unit: str | None, agency: str | None, lang: str | None, fmt: str) -> None:
    day = as_of_date(as_of)
    _pm, _registry, plans, report = evaluate_province(ctx, province, day, example, waivers_file, "low")
    found = [f for f in report.findings if f.item == item and unit in (None, f.unit)
             and agency in (None, f.agency)]
    if not found:
        raise InputProblem([_nothing_to_explain(report.findings, province, item, unit, agency)])
    if fmt == "json":
        click.echo(json.dumps([f.to_json() for f in found], ensure_ascii=False, indent=2))
        return
    from plancheck.publish.terminal import explain_text

    click.echo(explain_text(found, plans, lang or language.current()))


def _nothing_to_explain(findings: Any, province: str, item: str, unit: str | None, agency: str | None) -> str:
    """Why no finding matched: the item, or (issue 21) the unit or agency asked for, is not the plan's."""
    from plancheck.errors import reason
    from plancheck.plans.identity import hint

    of_item = [f for f in findings if f.item == item]
    if not of_item:
        known = sorted({f.item for f in findings})
        return reason("no_item", item=item, province=province, hint=hint(item, known), known=", ".join(known))
    for option, given, field in (("--unit", unit, "unit"), ("--agency", agency, "agency")):
        known = sorted({getattr(f, field) for f in of_item} - {""})
        if given is not None and given not in known:
            return reason("no_finding_for", item=item, option=option, given=given, hint=hint(given, known),
                          known=", ".join(known) or "none")
    return reason("no_finding_for_both", item=item, unit=unit, agency=agency)


@command(help=lazy("What changed between two saved runs (plancheck diff RUN_A RUN_B), or since the last one.\n\n"
                       "Lists findings newly not met, resolved, newly late, otherwise changed, added and removed; "
                       "says whether the plan version changed in between."))
@click.argument("runs", nargs=-1, type=int)
@click.option("--province", help=lazy("With --since LAST: the province to compare against its last saved run."))
@click.option("--since", type=click.Choice(["LAST"]), help=lazy("Compare the last saved run with a run made now."))
@click.option("--as-of", "as_of", metavar="DATE", help=lazy("With --since: judge the new run as of this date."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
@input_errors
def diff(ctx: click.Context, runs: tuple[int, ...], province: str | None, since: str | None,
         as_of: str | None, fmt: str) -> None:
    from plancheck.data import store
    from plancheck.judge.runs import diff_runs

    engine = store.open_engine(db_url(ctx))
    if since:
        if not province or runs:
            raise click.UsageError(_("--since LAST needs --province and no run ids"))
        last = store.last_run_id(engine, province)
        if last is None:
            raise InputProblem([_("no saved run for {province}; save one with plancheck run --save").format(
                province=province)])
        before = store.load_run(engine, last)
        day = as_of_date(as_of)
        _pm, registry, _plans, report = evaluate_province(ctx, province, day, False, None, "low")
        after = report.to_json() | {"plan_version": plan_version(registry, province),
                                    "data_state": store.data_state(engine, province), "id": None}
    elif len(runs) == 2:
        before, after = store.load_run(engine, runs[0]), store.load_run(engine, runs[1])
        missing = [str(r) for r, x in zip(runs, (before, after), strict=True) if x is None]
        if missing:
            raise InputProblem([_("no saved run {ids}").format(ids=", ".join(missing))])
    else:
        raise click.UsageError(_("give two run ids, or --province P --since LAST"))
    assert before is not None and after is not None
    doc = diff_runs(before, after)
    if fmt == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    from plancheck.publish.text import diff_text

    click.echo(diff_text(doc))
