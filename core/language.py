"""Which language a person reads, and the words and numbers in it.

The bottom of the house, beside :mod:`plancheck.errors`: every room may use it
and it imports no room. Messages are written in English in the code and
marked for translation the standard way (``_("...")``, ``ngettext``,
``pgettext``); the Vietnamese text lives in the gettext catalog
``core/locale/vi/LC_MESSAGES/plancheck.po`` (compiled to ``.mo`` beside it),
which translators' tools (Poedit, Weblate) read and write. Babel extracts the
messages (``babel.cfg``) and formats numbers, percentages and dates.

The language, first that applies:

1. ``--lang`` of the command (or of a portal request);
2. the ``PLANCHECK_LANG`` environment variable;
3. the locale: ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` starting with ``vi``
   (on Windows, where those are usually unset, the regional settings);
4. English.

The plan's own names (agencies, units, items) are never translated: they are
shown as the plan writes them, with the plan's ``name_en`` for English.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

LANGS = ("vi", "en")
DOMAIN = "plancheck"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

#: The language of the work under way (a command, a portal request); None: chosen from the environment.
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("plancheck_language", default=None)


def _from_locale_name(name: str | None) -> str | None:
    if not name:
        return None
    head = name.strip().lower()
    if head.startswith("vi"):
        return "vi"
    if head.startswith("en") or head in ("c", "posix") or head.startswith(("c.", "posix.")):
        return "en"
    return None


def choose(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: ``explicit``, else ``PLANCHECK_LANG``, else the locale, else English."""
    env = os.environ if environ is None else environ
    if explicit:
        return normalise(explicit)
    wanted = env.get("PLANCHECK_LANG", "").strip()
    if wanted:
        return normalise(wanted)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        found = _from_locale_name(env.get(var))
        if found:
            return found
        if env.get(var):
            return "en"  # a locale is set, and it is not Vietnamese
    if environ is None and os.name == "nt":  # pragma: no cover - Windows regional settings
        import locale

        found = _from_locale_name(locale.getlocale()[0] or "")
        if found:
            return found
    return "en"


def normalise(lang: str) -> str:
    """``vi``, ``vi_VN``, ``vi-VN.UTF-8`` -> ``vi``; anything else that is not Vietnamese -> ``en``."""
    return "vi" if lang.strip().lower().startswith("vi") else "en"


def current() -> str:
    """The language of the work under way."""
    lang = _current.get()
    return lang if lang is not None else choose()


@contextlib.contextmanager
def using(lang: str) -> Iterator[str]:
    """Run a block in ``lang`` (a portal request, a report in another language)."""
    token = _current.set(normalise(lang))
    try:
        yield normalise(lang)
    finally:
        _current.reset(token)


def set_language(lang: str) -> None:
    """Make ``lang`` the language of the rest of this command (the CLI calls this once)."""
    _current.set(normalise(lang))


@functools.cache
def translations(lang: str):  # -> gettext.NullTranslations
    """The compiled catalog of ``lang`` (English is the source language: no catalog needed)."""
    import gettext

    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)


def gettext(message: str) -> str:
    """``message`` in the current language."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the current language."""
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, where the same English has several meanings."""
    return translations(current()).pgettext(context, message)


#: The conventional short name, so extraction tools find the messages.
_ = gettext


def lazy(message: str) -> LazyText:
    """A message translated when it is shown, not when the module is imported (help texts, tables)."""
    return LazyText(message)


class LazyText(str):
    """A str whose text is looked up in the current language each time it is shown."""

    __slots__ = ()

    def __str__(self) -> str:
        return gettext(str.__str__(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def number(x: float, decimals: int = 2, lang: str | None = None) -> str:
    """1.234,5 (vi) or 1,234.5 (en): at most ``decimals`` decimals, no trailing zeros (Babel)."""
    return _number(round(x, decimals) + 0.0, decimals, babel_locale(lang))


@functools.lru_cache(maxsize=65536)
def _number(x: float, decimals: int, locale: str) -> str:
    # Kept per value (issue 20): a province's report writes the same few hundred counts and
    # shares tens of thousands of times, and Babel reads its locale again on every call.
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    text = format_decimal(x, format=pattern, locale=babel(locale))
    return "0" if text in ("-0", "") else text


@functools.cache
def babel(locale: str):  # -> babel.Locale
    """The Babel ``Locale`` of a locale name, read once."""
    from babel import Locale

    return Locale.parse(locale)


def percent(x: float, decimals: int = 2, lang: str | None = None) -> str:
    """32,9% (vi) or 32.9% (en); ``x`` is already in percent."""
    return f"{number(x, decimals, lang)}%"


def babel_locale(lang: str | None = None) -> str:
    """The Babel (CLDR) locale of ``lang`` (default: the current language)."""
    return "vi_VN" if (lang or current()) == "vi" else "en_US"
