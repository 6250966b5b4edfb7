"""``plancheck serve`` (the portal) and ``plancheck user`` (its accounts).

Thin: the portal is :mod:`plancheck.web`; FastAPI, uvicorn and argon2 are
imported inside the commands, so ``plancheck --help`` stays fast.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from plancheck.cli.translated import command, group, lang_option
from plancheck.language import _, lazy, ngettext, pgettext

#: ``--lang`` of these commands: their own messages (the portal's pages choose their language per request).
_LANG_HELP = lazy("Language of this command's messages (vi or en). Default: PLANCHECK_LANG, else the locale "
                  "(LANG=vi_VN.UTF-8: Vietnamese), else English.")


class UserError(click.ClickException):
    """A user's error (bad name, unknown user, unusable database): exit code 2, as every command."""

    exit_code = 2


def _db(ctx: click.Context) -> str:
    from plancheck.data.store import default_db_url

    root = ctx.find_root()
    return (root.obj or {}).get("db") or default_db_url()


def _engine(ctx: click.Context) -> Any:
    from plancheck.errors import InputError
    from plancheck.web.tables import open_portal

    try:
        return open_portal(_db(ctx))
    except InputError as exc:
        raise UserError("\n".join(exc.lines())) from None


def _who() -> str:
    from plancheck.data.store import reporter_name

    return f"cli:{reporter_name(None)}"


@command(help=lazy("Start the portal: agencies file their forms, offices see their plan live (Ctrl+C stops "
                         "it)."))
@click.option("--host", default="127.0.0.1", show_default=True,
              help=lazy("Address to listen on (keep 127.0.0.1 behind a reverse proxy; see docs/operations.md)."))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--example", is_flag=True,
              help=lazy("Load every installed province's example data into a scratch database (or into --db, "
                        "when given on the command line) and create demo accounts, whose passwords are printed once."))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help=lazy("Worker processes (PostgreSQL; SQLite serves one office with one)."))
@click.option("--max-upload-mb", default=20, show_default=True, type=click.IntRange(1, 1024),
              help=lazy("Largest form a user may upload."))
@click.option("--forwarded-allow-ips", default="127.0.0.1", show_default=True, metavar="IPS",
              help=lazy("Proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed."))
@click.option("--secure-cookies/--no-secure-cookies", default=None,
              help=lazy("Mark session cookies Secure. Default: when the request came over HTTPS."))
@lang_option(lazy("Language of this command's messages (vi or en); the portal's pages are in Vietnamese unless "
                  "?lang=en is asked for. Default: PLANCHECK_LANG, else the locale, else English."))
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, example: bool, workers: int, max_upload_mb: int,
          forwarded_allow_ips: str, secure_cookies: bool | None, lang: str | None) -> None:
    import os
    import tempfile

    from click.core import ParameterSource

    from plancheck.errors import InputError
    from plancheck.web.context import Settings

    url = _db(ctx)
    if example and ctx.find_root().get_parameter_source("db") != ParameterSource.COMMANDLINE:
        # Example data never goes into the database the office works in unless asked for by --db.
        scratch = tempfile.mkdtemp(prefix="plancheck-example-")
        url = f"sqlite:///{scratch}/plancheck.db"
    settings = Settings(url, max_upload=max_upload_mb * 1024 * 1024, secure_cookies=secure_cookies,
                        example=example)
    try:
        if example:
            _load_example(settings)
        from plancheck.web.app import SETTINGS_ENV, create_app

        app = create_app(settings)  # opens the database (and makes the portal's tables) before listening
    except InputError as exc:
        raise UserError("\n".join(exc.lines())) from None
    import gc

    import uvicorn

    from plancheck.cli.context import COLLECTOR_DEFAULT
    from plancheck.data.store import safe_url

    # A server lives long: the collector at its usual pace (see one_command_process).
    gc.set_threshold(*COLLECTOR_DEFAULT)

    click.echo(_("plancheck portal on {address} (database {database}); Ctrl+C stops it").format(
        address=f"http://{host}:{port}/", database=safe_url(url)), err=True)
    options: dict[str, Any] = {"host": host, "port": port, "proxy_headers": True,
                               "forwarded_allow_ips": forwarded_allow_ips, "server_header": False,
                               "log_level": "info"}
    if workers > 1:
        os.environ[SETTINGS_ENV] = settings.to_env()
        uvicorn.run("plancheck.web.app:app_from_environment", factory=True, workers=workers, **options)
    else:
        uvicorn.run(app, **options)


def _load_example(settings: Any) -> None:
    from plancheck.data.store import safe_url
    from plancheck.publish.text import table
    from plancheck.web.context import Portal
    from plancheck.web.demo import create_demo_accounts, load_examples

    portal = Portal(settings)
    loaded = load_examples(portal.engine, portal.provinces, portal.today())
    made = create_demo_accounts(portal.engine, portal.provinces, portal.today())
    files = ", ".join(ngettext("{file} ({n} row)", "{file} ({n} rows)", n).format(file=f, n=n) for f, n in loaded)
    click.echo(_("EXAMPLE DATA (illustrative figures, not real reports) in {database}: {files}").format(
        database=safe_url(settings.db_url), files=files), err=True)
    # The heading's first words are what scripts and tests look for, in either language: "DEMO ACCOUNTS".
    click.echo(_("DEMO ACCOUNTS, for this demonstration only; passwords are shown this once:"))
    click.echo(table([_("user"), _("password"), _("role"), pgettext("heading", "province"), _("agency")],
                     [(a.name, a.password or _("(exists; unchanged)"), role_word(a.role), a.province, a.agency)
                      for a in made], max_width=40))
    sys.stdout.flush()  # before the server takes over: a pipe or a log file gets the accounts now


# -- users -----------------------------------------------------------------------------

@group(help=lazy("Manage the portal's users and their API tokens."))
def user() -> None:
    pass


def _password() -> str:
    """The new password: typed twice on a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        return str(click.prompt(_("Password"), hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@user.command("add",
              help=lazy("Add a user. The password is read from standard input (never an argument): typed twice on a "
                        "terminal, or the first line of a pipe: printf '%s\\n' \"$PW\" | plancheck user add ..."))
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["agency", "province", "national", "admin"]),
              help=lazy("agency: files its own forms and sees its own verdicts; province: the provincial office, "
                        "everything of its province; national: reads every province and the national comparison; "
                        "admin: users and the audit log."))
@click.option("--province", help=lazy("The province of a province or agency user (see plancheck provinces)."))
@click.option("--agency", help=lazy("The agency id of an agency user (as in the plan)."))
@lang_option(_LANG_HELP)
@click.pass_context
def user_add(ctx: click.Context, name: str, role: str, province: str | None, agency: str | None,
             lang: str | None) -> None:
    from plancheck.errors import InputError
    from plancheck.web import accounts
    from plancheck.web.judging import Provinces

    problems = accounts.user_problems(name, role, province, agency)
    if not problems:
        problems = Provinces().scope_problems(province, agency)
    if problems:
        raise click.UsageError("; ".join(problems))
    password = _password()
    engine = _engine(ctx)
    try:
        accounts.add_user(engine, name, role, password, province=province, agency=agency, by=_who())
    except InputError as exc:
        raise UserError("\n".join(exc.lines())) from None
    if agency:
        added = _("added user {name}, role {role}, province {province}, agency {agency}")
    elif province:
        added = _("added user {name}, role {role}, province {province}")
    else:
        added = _("added user {name}, role {role}")
    click.echo(added.format(name=name, role=role_word(role), province=province, agency=agency), err=True)


@user.command("token",
              help=lazy("Print a new API token for NAME (shown once; only its hash is kept)."))
@click.argument("name")
@lang_option(_LANG_HELP)
@click.pass_context
def user_token(ctx: click.Context, name: str, lang: str | None) -> None:
    from plancheck.errors import InputError
    from plancheck.web import accounts

    try:
        click.echo(accounts.issue_token(_engine(ctx), name, by=_who()))
    except InputError as exc:
        raise UserError("\n".join(exc.lines())) from None


@user.command("list",
              help=lazy("List users: name, role, province, agency, tokens, whether disabled."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@lang_option(_LANG_HELP)
@click.pass_context
def user_list(ctx: click.Context, fmt: str, lang: str | None) -> None:
    import json

    from plancheck.web import accounts

    found = accounts.users(_engine(ctx))
    if fmt == "json":
        click.echo(json.dumps([u.to_json() for u in found], ensure_ascii=False, indent=2))
        return
    from plancheck.publish.text import table

    click.echo(table([_("user"), _("role"), pgettext("heading", "province"), _("agency"), _("tokens"), _("state")],
                     [(u.name, role_word(u.role), u.province, u.agency, u.tokens,
                       _("disabled") if u.disabled else _("active")) for u in found]))


@user.command("disable",
              help=lazy("Disable NAME: their sessions end and their API tokens stop working at once."))
@click.argument("name")
@lang_option(_LANG_HELP)
@click.pass_context
def user_disable(ctx: click.Context, name: str, lang: str | None) -> None:
    from plancheck.errors import InputError
    from plancheck.web import accounts

    try:
        accounts.set_disabled(_engine(ctx), name, True, by=_who())
    except InputError as exc:
        raise UserError("\n".join(exc.lines())) from None
    click.echo(_("disabled {name}: their sessions and API tokens no longer work").format(name=name), err=True)


def role_word(role: str) -> str:
    """A role in the reader's words, with the id ``--role`` takes where the words differ:
    ``Văn phòng tỉnh (province)``."""
    word = _(role)  # the roles' words are the portal's (web.context.SHOWN_FROM_DATA)
    return word if word == role else f"{word} ({role})"
