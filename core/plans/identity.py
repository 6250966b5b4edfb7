"""Ids and names that look the same must be the same: Unicode identity.

Vietnamese text reaches plancheck composed (NFC, "ã" one character) or
decomposed (NFD, "a" + combining tilde, as macOS and some web pages write
it); both look the same and never compare equal. Plan files are composed when
they are read (the converter's string hook), forms when their cells are read,
so an id matches whatever form it was typed in.

What composition cannot fix is refused with the reason:

* a **look-alike**: an id typed with Cyrillic or Greek letters that look like
  Latin ones ("hung_yеn" with a Cyrillic е), or in full-width letters; the
  message names the letters and the ids it looks like (:func:`hint`), as
  Unicode's confusable detection (UTS #39) advises;
* a **control character** in any text of a plan (a bell, a NUL, a form feed):
  it cannot be shown, and Word and Excel refuse to save it (:func:`plan_problems`).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Iterator

import attrs

from plancheck.language import _
from plancheck.plans.model import Plan

#: Letters of other scripts drawn like Latin ones (Unicode's confusables.txt, the ones a
#: Cyrillic or Greek keyboard layout produces in place of Latin).
_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m",
    "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d",
    "һ": "h", "ԛ": "q", "ԝ": "w", "ү": "y", "ɡ": "g", "ı": "i",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}
#: Characters no text of a plan may hold: C0 controls but tab and line breaks, DEL, C1
#: controls, and the two non-characters (what XML 1.0, hence docx and xlsx, cannot hold).
_FORBIDDEN = frozenset(
    [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\ufffe", "\uffff"]
)


def skeleton(text: str) -> str:
    """What ``text`` looks like: compatibility-composed (full-width letters become Latin), look-alike
    letters of other scripts replaced by the Latin ones they are drawn like."""
    return "".join(_CONFUSABLES.get(c, c) for c in unicodedata.normalize("NFKC", text))


def lookalike_letters(text: str) -> list[str]:
    """The characters of ``text`` that only look like Latin ones, described (``Cyrillic 'е' (U+0435)``)."""
    out = []
    for c in dict.fromkeys(text):
        if c in _CONFUSABLES or (unicodedata.normalize("NFKC", c) != c and c.isalnum()):
            name = unicodedata.name(c, "").split(" ")[0].title() or "non-Latin"
            out.append(f"{name} {c!r} (U+{ord(c):04X})")
    return out


def hint(text: str, known: Iterable[str]) -> str:
    """What ``text`` was probably meant to be, among ``known`` ids, as the end of a message:
    ``"; it looks like 'le_an' but is written with Cyrillic 'е' (U+0435): ..."``, or a
    close spelling, or nothing."""
    from plancheck.errors import reason

    known = list(dict.fromkeys(known))
    if not text or not known:
        return ""
    shape = skeleton(text)
    letters = lookalike_letters(text)
    if letters:
        same = [k for k in known if skeleton(k) == shape] or [k for k in known if skeleton(k).lower() == shape.lower()]
        if same:
            return "; " + reason("lookalike", candidates=_names(same), letters=", ".join(letters))
    same_case = [k for k in known if k.lower() == text.lower() or k.lower() == shape.lower()]
    if same_case:
        return "; " + _("ids are written as the plan writes them: did you mean {names}?").format(
            names=_names(same_case))
    close = difflib.get_close_matches(text, known, n=3, cutoff=0.8)
    if close:
        return "; " + _("did you mean {names}?").format(names=_names(close))
    return ""


def _names(ids: list[str]) -> str:
    return _(" or ").join(repr(i) for i in ids)


def control_characters(text: str) -> list[str]:
    """The control characters in ``text`` (as ``U+0007``)."""
    return [f"U+{ord(c):04X}" for c in dict.fromkeys(text) if c in _FORBIDDEN]


def plan_problems(plan: Plan) -> Iterator[tuple[str, str]]:
    """(json path, message): text of the plan with a control character, and ids written with
    letters that only look Latin (they would never match what a clerk types)."""
    from plancheck.errors import reason

    for where, text, is_id in _texts(plan, "$"):
        found = control_characters(text)
        if found:
            yield where, reason("control_character", what=where.rpartition(".")[2], codepoint=", ".join(found))
        if is_id and lookalike_letters(text):
            yield where, (f"id {text!r} is written with {', '.join(lookalike_letters(text))}, which only "
                          f"look like Latin letters: write {skeleton(text)!r}")


#: Fields holding an id or a reference to one, whose text must match a form's cells exactly.
_ID_FIELDS = frozenset({"id", "province", "parent", "lead", "measure", "numerator", "denominator", "rule",
                        "agency", "within", "left", "right", "programme", "per_unit", "national"})


def _texts(value: object, where: str, is_id: bool = False) -> Iterator[tuple[str, str, bool]]:
    """Every string inside an attrs object, with its json path and whether it is an id."""
    if isinstance(value, str):
        yield where, value, is_id
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts(item, f"{where}[{i}]", is_id)
    elif attrs.has(cls := type(value)):
        for field in attrs.fields(cls):
            ids = field.name in _ID_FIELDS or field.name in ("agencies", "units", "coordinators",
                                                             "recipient", "inputs", "exclusive", "ratio")
            yield from _texts(getattr(value, field.name), f"{where}.{field.name}", ids)
