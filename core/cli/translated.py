"""The command line in its reader's language: help texts, click's own words, ``--lang``.

Help texts are written ``help=lazy("...")`` (:func:`plancheck.language.lazy`),
so Babel extracts them and they are looked up only when shown: ``plancheck
--help`` stays as fast as it was, and a command's help is in the language of
the moment, chosen as :mod:`plancheck.language` says (``--lang``, else
``PLANCHECK_LANG``, else the locale, else English). :class:`Command` and
:class:`Group` put their texts (their own, their options' and, for a group,
its commands' short help) in that language while a help page is written.

click words its own messages ("Usage:", "Missing option", "Try ... for help.")
through the stdlib's ``gettext.gettext``, which knows nothing of ``--lang``:
:func:`speak_the_readers_language` points the name ``_`` (and ``ngettext``) of
click's modules at plancheck's, and :data:`CLICK_WORDS` marks those messages
so the catalog has them. A message missing from the catalog is shown in
English, as before.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

import click

from plancheck import language
from plancheck.language import LANGS, LazyText, lazy


class _InReadersLanguage:
    """Help texts shown in the language of the moment (see the module's docstring)."""

    _showing = False

    @contextlib.contextmanager
    def _texts_translated(self, ctx: click.Context) -> Iterator[None]:
        objects: list[Any] = [self, *self.get_params(ctx)]  # type: ignore[attr-defined]
        objects += list(getattr(self, "commands", {}).values())  # a group lists its commands' short help
        saved = []
        self._showing = True
        for obj in objects:
            for attr in ("help", "short_help", "epilog"):
                text = getattr(obj, attr, None)
                if isinstance(text, str) and text:
                    saved.append((obj, attr, text))
                    setattr(obj, attr, language.gettext(text))
        try:
            yield
        finally:
            self._showing = False
            for obj, attr, text in reversed(saved):
                setattr(obj, attr, text)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # In a context of its own: the language _choose settles holds until click has shown the command's
        # error ("Error: ...", "Usage: ..."), which it does once the command's context is closed.
        return contextvars.copy_context().run(super().main, *args, **kwargs)  # type: ignore[misc]

    def get_help(self, ctx: click.Context) -> str:
        with self._texts_translated(ctx):
            return super().get_help(ctx)  # type: ignore[misc, no-any-return]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None and not isinstance(option.help, LazyText) and not self._showing:
            option.help = lazy("Show this message and exit.")  # click's is worded once, in English
        return option  # type: ignore[no-any-return]


class Command(_InReadersLanguage, click.Command):
    """A command whose help is shown in its reader's language."""


class Group(_InReadersLanguage, click.Group):
    """A group whose help, and its commands', is shown in its reader's language."""

    command_class = Command


Group.group_class = Group


def command(*args: Any, **kwargs: Any) -> Any:
    """``click.command`` making a :class:`Command`."""
    kwargs.setdefault("cls", Command)
    return click.command(*args, **kwargs)


def group(*args: Any, **kwargs: Any) -> Any:
    """``click.group`` making a :class:`Group`."""
    kwargs.setdefault("cls", Group)
    return click.group(*args, **kwargs)


def _choose(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--lang``: the language of the rest of the command (help included, when it comes after).

    Without it, the language the environment chooses is settled here, once, rather than read
    from the environment again by each message (issue 20: 12,000 times in a province's run)."""
    language.set_language(value if value is not None else language.current())  # until main ends
    return value


def lang_option(help_text: str | None = None) -> Any:
    """The ``--lang vi|en`` option: the command's language, before ``PLANCHECK_LANG`` and the locale."""
    return click.option(
        "--lang", type=click.Choice(LANGS), default=None, is_eager=True, expose_value=True, callback=_choose,
        help=help_text or lazy("Language of the output (vi or en). Default: PLANCHECK_LANG, else the locale "
                               "(LANG=vi_VN.UTF-8: Vietnamese), else English."))


def speak_the_readers_language() -> None:
    """click's own messages through plancheck's catalog, in the language of the moment."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                   click.types):
        if hasattr(module, "_"):
            module._ = language.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = language.ngettext  # type: ignore[attr-defined]


#: click's messages a reader of plancheck meets, marked so the catalog has them (click's own msgids).
CLICK_WORDS = (
    lazy("Usage:"), lazy("Options"), lazy("Commands"), lazy("Positional arguments"), lazy("Aborted!"),
    lazy("Show this message and exit."), lazy("Show the version and exit."),
    lazy("Error: {message}"), lazy("Try '{command} {option}' for help."), lazy("Invalid value: {message}"),
    lazy("Invalid value for {param_hint}: {message}"), lazy("Missing argument"), lazy("Missing option"),
    lazy("Missing parameter"), lazy("Missing {param_type}"), lazy("Missing parameter: {param_name}"),
    lazy("No such option {name!r}."), lazy("No such command {name!r}."), lazy("Missing command."),
    lazy("Option {name!r} does not take a value."), lazy("default: {default}"), lazy("required"),
    lazy("env var: {var}"), lazy("{value!r} is not a valid {number_type}."),
    lazy("{value} is not in the range {range}."), lazy("{name} {filename!r} does not exist."),
    lazy("{name} {filename!r} is a directory."), lazy("{name} {filename!r} is a file."),
    lazy("{name} {filename!r} is not readable."), lazy("file"), lazy("directory"), lazy("path"),
    lazy("Error: The two entered values do not match."), lazy("Repeat for confirmation"),
    lazy("Could not open file {filename!r}: {message}"),
)


def _plural_marks() -> None:  # pragma: no cover - never called: marks click's plural messages for the catalog
    language.ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
    language.ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
    language.ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    language.ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1)
