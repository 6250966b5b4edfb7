"""Where an element's citation points in the plan's text: the clauses its ``source`` names, and their words.

Plugins cite clauses by the text's own numbering ("III.1.2", "II.1.1 (2)",
"I.2, III.1.1", "IV.2, III.2-III.19", "Điều 3"), by a heading and its
paragraphs for texts without numbers ("Các chỉ tiêu năm 2024 ¶3",
"Các nhiệm vụ trọng tâm, Thứ tư ¶2, ¶4", "Thứ nhất ¶1"), or by place
("preamble", "Mở đầu", "Đoạn cuối": the last paragraph). :class:`Citations`
reads a citation into a :class:`Passage`: the sentences of the clauses it
names (a clause with its sub-clauses; ``¶n`` the n-th paragraph under a
heading), so the fidelity cross-check can ask what *that* clause says: its
deadline phrases, its numbers, the bodies it names, the units it lists.

A text that numbers two clauses alike (two clauses "4.3") gives them one
id; a citation of it reads both. A citation naming no clause of the text
resolves to None, and the check falls back on the whole text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import attrs

from plancheck.authoring.clauses import PlanText, Sentence, to_ascii


@attrs.frozen
class Passage:
    """The sentences one citation points to, in text order, with the clauses it named."""

    clauses: tuple[str, ...]
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def as_text(self, pt: PlanText) -> PlanText:
        """The passage as a PlanText of its own, for the mention finders."""
        return attrs.evolve(pt, text=self.text, sentences=self.sentences)


def folded(text: str) -> str:
    """A name or passage for matching: ASCII, lower case, punctuation as spaces, "UBND" spelt out."""
    text = to_ascii(unicodedata.normalize("NFC", text)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"\bubnd\b", "uy ban nhan dan", text)
    return f" {' '.join(text.split())} "


_PLACES = {"preamble": "preamble", "mở đầu": "preamble", "đoạn cuối": "<last>"}


class Citations:
    """Reads citations against one plan text (built once per text)."""

    def __init__(self, pt: PlanText) -> None:
        self.pt = pt
        self.order = [s.clause for s in pt.sections]
        # Paragraphs as runs of sentences: (clause, is a heading, sentences, which of the clauses
        # numbered alike it is in: 1, or 2 for the second "4.3").
        self.paragraphs: list[tuple[str, bool, list[Sentence], int]] = []
        sentences = list(pt.sentences)
        seen: dict[str, int] = {}
        i = 0
        for para in pt.paragraphs:
            run: list[Sentence] = []
            while i < len(sentences) and " ".join(sentences[i].text.split()) in " ".join(para.split()):
                run.append(sentences[i])
                i += 1
            if run:
                clause, heading = run[0].clause, run[0].first_in_clause
                if heading:
                    seen[clause] = seen.get(clause, 0) + 1
                self.paragraphs.append((clause, heading, run, seen.get(clause, 1)))
        while i < len(sentences):  # what the walk could not place stays with its clause
            self.paragraphs.append((sentences[i].clause, False, [sentences[i]], seen.get(sentences[i].clause, 1)))
            i += 1
        keys: dict[str, str] = {}
        for clause in dict.fromkeys(s.clause for s in pt.sentences):
            keys.setdefault(unicodedata.normalize("NFC", clause).casefold(), clause)
            if ", " in clause:  # "Thứ nhất" for "Các nhiệm vụ trọng tâm, Thứ nhất"
                tail = clause.rsplit(", ", 1)[1].casefold()
                keys.setdefault(tail, clause)
        for place, clause in _PLACES.items():
            keys.setdefault(place, clause)
        self.keys = keys
        #: What callers work out from a passage, kept with the text (the cross-check asks the same
        #: citations of hundreds of plans: see tests/test_mutation.py).
        self.memo: dict[object, object] = {}
        self._resolved: dict[str, Passage | None] = {}
        alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
        self._key_re = re.compile(rf"(?<![\w.])({alternatives})(?![\w]|\.\d)", re.IGNORECASE)

    def resolve(self, citation: str | None) -> Passage | None:
        """The passage a citation points to; None when it names no clause of the text."""
        if not citation:
            return None
        if citation not in self._resolved:
            self._resolved[citation] = self._resolve(citation)
        return self._resolved[citation]

    def folded(self, citation: str) -> str | None:
        """The passage a citation points to, :func:`folded` for matching names; None as for resolve."""
        key = ("folded", citation)
        if key not in self.memo:
            passage = self.resolve(citation)
            self.memo[key] = folded(passage.text) if passage is not None else None
        found = self.memo[key]
        return found if isinstance(found, str) else None

    def _resolve(self, citation: str) -> Passage | None:
        text = unicodedata.normalize("NFC", citation)
        matches = list(self._key_re.finditer(text))
        if not matches:
            return None
        parts: list[tuple[str, list[int], int, int | None]] = []
        clauses: list[str] = []
        for n, m in enumerate(matches):
            clause = self.keys[m[1].casefold()]
            tail = text[m.end():]
            head = re.match(r"^(?:\s*,?\s*¶\s*\d+)*", tail)
            paras = [int(x) for x in re.findall(r"¶\s*(\d+)", head[0] if head else "")]
            # "(second; ...)": which of two clauses numbered alike; "(2)": the 2nd item under the heading
            which = re.match(r"^\s*\((first|second|third)\b", tail)
            occurrence = ("first", "second", "third").index(which[1]) + 1 if which else 0
            item = re.match(r"^\s*\((\d{1,2})\)", tail)
            # "III.2-III.19": every clause from the first to the last, in the text's order
            if n + 1 < len(matches) and re.fullmatch(r"\s*[-–]\s*", text[m.end():matches[n + 1].start()]):
                last = self.keys[matches[n + 1][1].casefold()]
                if clause in self.order and last in self.order:
                    a, b = self.order.index(clause), self.order.index(last)
                    for c in self.order[a:b + 1]:
                        if c not in clauses:
                            clauses.append(c)
                            parts.append((c, [], 0, None))
            if clause not in clauses or paras or occurrence or item:
                clauses.append(clause)
                parts.append((clause, paras, occurrence, int(item[1]) if item else None))
        chosen: list[Sentence] = []
        for clause, paras, occurrence, nth in parts:
            for s in self._sentences(clause, paras, occurrence, nth):
                if s not in chosen:
                    chosen.append(s)
        if not chosen:
            return None
        order = {id(s): i for i, s in enumerate(self.pt.sentences)}
        chosen.sort(key=lambda s: order.get(id(s), 0))
        return Passage(tuple(dict.fromkeys(clauses)), tuple(chosen))

    def _sentences(self, clause: str, paras: Sequence[int], occurrence: int = 0,
                   nth: int | None = None) -> list[Sentence]:
        if clause == "<last>":
            for _, _, run, _ in reversed(self.paragraphs):
                if len(" ".join(s.text for s in run).split()) >= 8:
                    return list(run)
            return []
        own = [(heading, run) for c, heading, run, k in self.paragraphs
               if c == clause and occurrence in (0, k)]
        if paras and clause != "preamble":  # a preamble's paragraphs are numbered too many ways to follow
            body = [run for heading, run in own if not heading]
            picked = [s for n in paras if 0 < n <= len(body) for s in body[n - 1]]
            if picked:
                return picked
        if nth is not None:  # the heading and the n-th item under it ("II.1.1 (2)")
            body = [run for heading, run in own if not heading]
            if 0 < nth <= len(body):
                return [s for heading, run in own if heading for s in run] + list(body[nth - 1])
        out = [s for _, run in own for s in run]
        out += [s for c, _, run, k in self.paragraphs if _under(c, clause) and occurrence in (0, k) for s in run]
        return out


def _under(clause: str, parent: str) -> bool:
    """Whether ``clause`` is a sub-clause of ``parent`` ("III.1.2" of "III.1"; "Các ..., Thứ ba" of "Các ...")."""
    return clause.startswith(parent + ".") or clause.startswith(parent + ", ")
