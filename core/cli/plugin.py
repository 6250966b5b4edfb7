"""Commands for plugin authors: ``plancheck plugin new`` and ``plancheck plugin check``.

``new`` writes a standalone distribution from the templates in
:mod:`plancheck.authoring.scaffold`; ``check`` reviews plan files with
:mod:`plancheck.authoring.review`. Both are thin: they parse, call, print.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from plancheck.cli.translated import group
from plancheck.language import lazy


@group(help=lazy("Create and check province plugins."))
def plugin() -> None:
    pass


def _today():
    from plancheck.plans.calendar import today_in_vietnam

    return today_in_vietnam()


@plugin.command("new",
                help=lazy("Create a province plugin PROVINCE (an id such as my_province), ready to install.\n\n"
                          "Writes PARENT/plancheck-<id>/, the id with hyphens (my_province: plancheck-my-province/): "
                          "pyproject.toml (the entry point), the hook module, a plan.toml skeleton that shows every "
                          "key of the plan format and already passes `plancheck plugin check`, an example form, a "
                          "test and a README. Then: pip install -e plancheck-<id>, and replace the skeleton with the "
                          "plan."))
@click.argument("province")
@click.option("--name", "province_name", metavar="NAME",
              help=lazy("The province's name in Vietnamese, as the plan writes it. Default: from the id."))
@click.option("-o", "--output", "parent", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True,
              help=lazy("Directory in which to create plancheck-<id>/ (my_province: plancheck-my-province/)."))
def new(province: str, province_name: str | None, parent: Path) -> None:
    from plancheck.authoring import scaffold

    if not scaffold.ID_RE.match(province):
        raise click.UsageError(f"{province!r} is not a province id: use lowercase ASCII letters, digits "
                               "and underscores, e.g. my_province")
    if province_name is not None and any(c in province_name for c in '"\\') | any(
            not c.isprintable() for c in province_name):
        # It is written into TOML, Python and Markdown files as it is (issue 21: a traceback).
        raise click.UsageError(f"--name {province_name!r}: a province's name has no quote, backslash, "
                               "line break or control character; write it as the plan does, e.g. 'Tỉnh Mẫu'")
    names = scaffold.Names(province, province_name or province.replace("_", " ").title(),
                           _today().year)
    target = parent / names.directory
    if target.exists():
        raise click.UsageError(f"{target} already exists; remove it or choose another directory with -o")
    try:
        made = scaffold.create(names, parent)
    except OSError as exc:
        raise click.UsageError(f"cannot create {target}: {exc.strerror or exc}") from None
    for path in sorted(p for p in made.rglob("*") if p.is_file()):
        click.echo(str(path))
    click.echo(f"created {made}\nnext: pip install -e {made} && plancheck plugin check {province}", err=True)


def _is_path(arg: str) -> bool:
    return arg.endswith(".toml") or "/" in arg or "\\" in arg or Path(arg).is_file()


@plugin.command("check",
                help=lazy("Check a plan before use: a plan file, or every plan of an installed province.\n\n"
                          "Lists every problem as `file: message @ $.key.path`: the file's structure and references "
                          "(as every command checks them), plus targets no form row can feed, rules that can never "
                          "be true, duplicate ids, empty sources and dates or periods outside the plan period. "
                          "Agencies, measures and rules nothing uses are warnings. For a province, also its plugin "
                          "(a plugin refused for its API version is reported) and its example forms.\n\n"
                          "Exit code: 0 no errors (warnings allowed unless --strict), 1 problems found, 2 a usage "
                          "error (unknown province, missing file)."))
@click.argument("target", metavar="PROVINCE_OR_FILE")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--strict", is_flag=True, help=lazy("Warnings fail too (exit 1)."))
@click.option("--against", "text_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help=lazy("Also cross-check the plan with its source text (dates, percentages, counts, units)."))
@click.pass_context
def check(ctx: click.Context, target: str, fmt: str, strict: bool, text_file: Path | None) -> None:
    try:
        _check(ctx, target, fmt, strict, text_file)
    except (click.exceptions.ClickException, click.exceptions.Exit):
        raise
    except Exception as exc:
        # The plan under check is the user's input: whatever it makes the review trip over is
        # a problem of that plan (issue 21: a typo in a rule's measure, an empty id, deeply
        # nested TOML were tracebacks and exit 1, which reads as "problems found").
        raise click.UsageError(f"{target}: cannot check this plan: {type(exc).__name__}: {exc}; "
                               "run plancheck plugin check on the plan file alone to see its errors") from None


def _check(ctx: click.Context, target: str, fmt: str, strict: bool, text_file: Path | None) -> None:
    import attrs

    from plancheck.authoring.review import Review, review_file, review_province

    if _is_path(target):
        path = Path(target)
        if not path.is_file():
            raise click.UsageError(f"file not found: {target}")
        review = Review((str(path),), tuple(review_file(path)))
    else:
        from plancheck.plans.plugins import load_registry

        _, registry = load_registry()
        found = review_province(registry, target, today=_today())
        if found is None:
            known = ", ".join(registry.provinces()) or "none installed"
            raise click.UsageError(f"unknown province {target!r}; installed: {known} "
                                   "(or give the path of a plan file)")
        review = found
    review = attrs.evolve(review, strict=strict)
    if text_file is not None:
        ctx.exit(max(_fidelity(review, text_file, fmt), review.return_code))
    if fmt == "json":
        click.echo(json.dumps(review.to_json(), ensure_ascii=False, indent=2))
    else:
        for problem in review.problems:
            click.echo(problem.line())
        click.echo(review.summary(), err=True)
    ctx.exit(review.return_code)


def _fidelity(review, text_file: Path, fmt: str) -> int:
    """``--against``: the plan checked line by line against its text; 1 unless clean."""
    from plancheck.authoring.fidelity import (
        cross_check,
        exceptions_path,
        format_mismatch,
        is_clean,
        load_exceptions,
        stale_exceptions,
    )
    from plancheck.errors import InputError
    from plancheck.plans.planfile import load_plan

    text = text_file.read_bytes().decode("utf-8-sig", errors="replace")
    out: list[dict[str, object]] = []
    code = 0
    for name in review.files:
        path = Path(name)
        try:
            plan = load_plan(path)
            exc_file = exceptions_path(path)
            exceptions = load_exceptions(exc_file) if exc_file.is_file() else []
        except InputError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            return 1
        mismatches = cross_check(plan, text, exceptions)
        open_ = [m for m in mismatches if not m.excepted]
        stale = stale_exceptions(mismatches, exceptions)
        if not is_clean(mismatches) or stale:
            code = 1
        if fmt == "json":
            out.append({"file": name, "against": str(text_file),
                        "mismatches": [format_mismatch(m) for m in open_],
                        "excepted": sum(1 for m in mismatches if m.excepted),
                        "stale_exceptions": [str(e) for e in stale]})
            continue
        for m in open_:
            click.echo(f"{name}: {format_mismatch(m)}")
        for e in stale:
            click.echo(f"{exc_file}: exception no longer needed: {e}")
        click.echo(f"{name} against {text_file}: {len(open_)} mismatches, "
                   f"{len(mismatches) - len(open_)} reviewed exceptions, {len(stale)} stale", err=True)
    if fmt == "json":
        click.echo(json.dumps({"review": review.to_json(), "fidelity": out}, ensure_ascii=False, indent=2))
    else:
        for problem in review.problems:
            click.echo(problem.line())
        click.echo(review.summary(), err=True)
    return code
