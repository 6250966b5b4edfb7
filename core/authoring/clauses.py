"""A plan's text read into paragraphs, numbered clauses and sentences.

Owns the first reading of a decision's text, which the drafter
(:mod:`plancheck.authoring.drafting`) and the fidelity cross-check
(:mod:`plancheck.authoring.fidelity`) share: :func:`read_text` turns the text
into a :class:`PlanText` (NFC paragraphs, the section tree I, II, III.1 ...,
sentences with the clause they belong to, the header paragraphs before the
first clause). Also owns what the later readings build on: the character
classes for Vietnamese names (:data:`CAPWORD`, :data:`NAME`), names made ASCII
(:func:`to_ascii`, :func:`slug`), the parts of a sentence between semicolons
(:func:`segments_of`), quoted spans, and which sentences are legal bases that
commit to nothing (:func:`is_legal_basis`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import attrs

# -- characters and names -----------------------------------------------------------

_UPPER = "".join(
    c for c in map(chr, range(0x41, 0x1EFA))
    if c.isupper() and unicodedata.name(c, "").startswith("LATIN")
)
LETTER = r"[^\W\d_]"  # a letter
CAPWORD = rf"[{_UPPER}]{LETTER}*"  # a word that starts in upper case
NAME = rf"(?:\d+|{CAPWORD}(?: {CAPWORD})*)"  # a proper name: "Minh Hải", or a number
NOT_LETTER_BEFORE = rf"(?<!{LETTER})"  # a word starts here


def to_ascii(text: str) -> str:
    """The text without diacritics ("Hải Dương" → "Hai Duong", "đ" → "d")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def slug(text: str) -> str:
    """An identifier made from a name: ASCII, lower case, words joined by "_"."""
    return re.sub(r"[^a-z0-9]+", "_", to_ascii(text).lower()).strip("_")


# -- reading the text: paragraphs, clauses, sentences ---------------------------

@attrs.frozen(kw_only=True)
class Section:
    """A numbered clause of the text and its heading (the paragraph that opens it)."""

    clause: str
    heading: str
    depth: int


@attrs.frozen(kw_only=True)
class Sentence:
    """A sentence of the text and the clause it belongs to."""

    clause: str
    text: str
    first_in_clause: bool = False  # the heading sentence of a numbered clause


@attrs.frozen(kw_only=True)
class PlanText:
    """A plan's text as read: NFC paragraphs, the section tree, sentences by clause."""

    text: str
    paragraphs: tuple[str, ...]
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    header: tuple[str, ...]  # the paragraphs before the first numbered clause


_ROMAN_RE = re.compile(r"^(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\.\s+(.*)$")
_DECIMAL_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.\s+(.*)$")
_ARTICLE_RE = re.compile(r"^Điều (\d+)\.\s*(.*)$")
_STAR_RE = re.compile(r"^\*\s*([^*].*)$")
_ORDINAL_RE = re.compile(r"^(Thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)),\s*(.*)$")
_TITLE_LINE_RE = re.compile(r"^(?:KẾ HOẠCH|QUYẾT ĐỊNH):?$")
_SENTENCE_SPLIT = re.compile(rf"(?<=[.!?])\s+(?=[{_UPPER}\d“\"(⁽-])")


def read_text(text: str) -> PlanText:
    """Read a plan's text (any Unicode normalisation) into paragraphs, clauses and sentences.

    A line that starts in lower case continues the paragraph before it (page
    breaks cut paragraphs in the seeds). Clauses: roman numerals (``I.``),
    decimal numbers under them (``1.`` → ``III.1``, ``1.2.`` → ``III.1.2``),
    ``Điều N.``, a ``*Heading`` line and ``Thứ nhất, ...`` under it (for
    texts without numbers), ``Nơi nhận``; a ``KẾ HOẠCH`` or ``QUYẾT ĐỊNH``
    title line starts a new preamble. Everything before the first clause is
    ``preamble``. Bullets keep the clause of their heading.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[str] = []
    for raw in text.split("\n"):
        line = re.sub(r"\s+", " ", raw.replace("\u00a0", " ")).strip()
        if not line:
            continue
        if paragraphs and line[0].islower():
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)

    sections: list[Section] = []
    sentences: list[Sentence] = []
    header: list[str] = []
    clause, roman, star = "preamble", "", ""
    numbered_seen = False
    out_paragraphs: list[str] = []
    for para in paragraphs:
        heading = None
        depth = 0
        star_m = _STAR_RE.match(para)
        para = para.replace("*", "").strip()
        if not para:
            continue
        if _TITLE_LINE_RE.match(para):
            clause, roman, star = "preamble", "", ""
        elif m := _ROMAN_RE.match(para):
            roman, star = m[1], ""
            clause, heading, depth = roman, m[2], 1
        elif m := _DECIMAL_RE.match(para):
            path = m[1]
            clause = f"{roman}.{path}" if roman else path
            heading, depth = m[2], 1 + (1 if roman else 0) + path.count(".")
        elif m := _ARTICLE_RE.match(para):
            clause, heading, depth = f"Điều {m[1]}", m[2], 1
        elif star_m:
            star = para
            clause, heading, depth = star, para, 1
        elif m := _ORDINAL_RE.match(para):
            clause = f"{star}, {m[1]}" if star else m[1]
            heading, depth = para, 2
        elif para.startswith("Nơi nhận"):
            clause, heading, depth = "Nơi nhận", para[len("Nơi nhận"):].strip(" :"), 1
        if heading is not None:
            numbered_seen = True
            sections.append(Section(clause=clause, heading=heading, depth=depth))
        elif not numbered_seen:
            header.append(para)
        out_paragraphs.append(para)
        body = heading if heading is not None and star_m is None else para
        body = re.sub(r"^[-+•]\s*", "", body)
        for i, sent in enumerate(_SENTENCE_SPLIT.split(body)):
            sent = sent.strip()
            if sent:
                sentences.append(Sentence(clause=clause, text=sent,
                                          first_in_clause=heading is not None and i == 0))
    return PlanText(text=text, paragraphs=tuple(out_paragraphs), sections=tuple(sections),
                    sentences=tuple(sentences), header=tuple(header))


def segments_of(sentence: str) -> list[tuple[int, str]]:
    """The parts of a sentence between semicolons, with their offsets."""
    out, start = [], 0
    for m in re.finditer(r";", sentence):
        out.append((start, sentence[start:m.start()]))
        start = m.end()
    out.append((start, sentence[start:]))
    return out


def quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of text in quotation marks (“…”, "…" or a mix of the two)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[“\"][^“”\"]*[”\"]", sentence)]


def is_inside(pos: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether ``pos`` falls strictly inside one of ``spans`` (e.g. :func:`quoted_spans`)."""
    return any(a < pos < b for a, b in spans)


def is_legal_basis(sentence: Sentence) -> bool:
    """Sentences that state no commitment: legal bases, the plan's own period, the list of recipients."""
    return sentence.clause == "Nơi nhận" or bool(re.match(
        r"^(?:Căn cứ (?:Luật|Bộ luật|Hiến pháp|Nghị định|Nghị quyết|Quyết định|Chỉ thị|Thông tư|Công văn|Tờ trình"
        r"|Kế hoạch số)|Theo đề nghị|Thời gian thực hiện)", sentence.text))

