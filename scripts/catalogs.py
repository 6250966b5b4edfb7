"""The translation catalogs: extract, update, compile, check (Babel, the gettext way).

    python scripts/catalogs.py update     # extract messages from core/, merge into every .po
    python scripts/catalogs.py compile    # .po -> .mo (the .mo files are shipped with the package)
    python scripts/catalogs.py check      # exit 1 if a message is missing, untranslated, fuzzy or stale

Messages are marked in the code with ``_()``, ``ngettext()``, ``pgettext()`` or
``lazy()`` from :mod:`plancheck.language`; English is the source language, so
only ``core/locale/vi/LC_MESSAGES/plancheck.po`` holds translations.
A translator edits that .po file (Poedit, Weblate), then runs ``compile``.
tests/test_language.py runs ``check``.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "core"
LOCALES = CORE / "locale"
LANGS = ("vi",)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "lazy": None}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "plancheck.po"


def extract() -> Catalog:
    """Every message marked in core/ (Python, and the portal's Jinja2 templates)."""
    template = Catalog(project="plancheck", charset="utf-8", fuzzy=False)
    methods = METHODS if _has_jinja() else METHODS[:1]
    for filename, lineno, message, comments, context in extract_from_dir(
            str(CORE), method_map=methods, keywords=KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True):
        template.add(message, None, [(f"core/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def _has_jinja() -> bool:
    try:
        import jinja2.ext  # noqa: F401
    except ImportError:
        return False
    return True


def _read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="plancheck", charset="utf-8", fuzzy=False)
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def _po_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, omit_header=False, sort_output=False, include_previous=True)
    return buf.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def update() -> None:
    template = extract()
    for lang in LANGS:
        catalog = _read(lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_po_bytes(catalog))
        print(f"wrote {path.relative_to(ROOT)} ({len(catalog)} messages)", file=sys.stderr)


def compile_all() -> None:
    for lang in LANGS:
        catalog = _read(lang)
        mo = po_path(lang).with_suffix(".mo")
        mo.write_bytes(_mo_bytes(catalog))
        print(f"wrote {mo.relative_to(ROOT)}", file=sys.stderr)


def problems() -> list[str]:
    """What keeps the catalogs from being complete and current."""
    out: list[str] = []
    template = extract()
    wanted = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in template if m.id}
    for lang in LANGS:
        path = po_path(lang)
        catalog = _read(lang)
        have = {(m.id if isinstance(m.id, str) else m.id[0], m.context): m for m in catalog if m.id}
        for key in sorted(wanted - have.keys(), key=str):
            out.append(f"{path.relative_to(ROOT)}: missing {key[0]!r} (run: python scripts/catalogs.py update)")
        for key in sorted(have.keys() - wanted, key=str):
            out.append(f"{path.relative_to(ROOT)}: stale {key[0]!r}, no longer in the code (run update)")
        for key, m in have.items():
            if key not in wanted:
                continue
            strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
            if not all(strings):
                out.append(f"{path.relative_to(ROOT)}: untranslated {key[0]!r}")
            elif m.fuzzy:
                out.append(f"{path.relative_to(ROOT)}: fuzzy {key[0]!r}: review the translation")
            elif _fields(key[0]) != _fields(strings[0]):
                out.append(f"{path.relative_to(ROOT)}: {key[0]!r}: the translation must keep the fields "
                           f"{sorted(_fields(key[0]))}, has {sorted(_fields(strings[0]))}")
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != _mo_bytes(catalog):
            out.append(f"{mo.relative_to(ROOT)}: not compiled from the current .po (run: python scripts/catalogs.py"
                       " compile)")
    return out


def _fields(text: str) -> set[str]:
    """The ``{name}`` fields of a message (str.format), which a translation must keep."""
    import string

    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
        return 0
    if command == "compile":
        compile_all()
        return 0
    if command == "check":
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
