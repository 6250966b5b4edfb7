"""What a plan's text states, recognised sentence by sentence.

Owns the recognition of the things a plan commits to, over the clauses and
sentences :mod:`plancheck.authoring.clauses` reads: dates
(:func:`find_dates`), percentages, counts "53/161" and every number written
(:func:`find_percentages`, :func:`find_counts`, :func:`find_numbers`), the
provinces, districts and communes named (:func:`find_units`), deadline phrases
(:func:`find_deadlines`), projects named in quotation marks
(:func:`find_projects`), and the quantified targets of a sentence with a guess
at kind, comparator and threshold (:func:`targets_in`). Numbers are read as
Vietnamese texts write them ("32,9", "1.000"). Agencies are recognised in
:mod:`plancheck.authoring.agencies`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import attrs

from plancheck.authoring.clauses import (
    LETTER,
    NAME,
    NOT_LETTER_BEFORE,
    PlanText,
    is_inside,
    is_legal_basis,
    quoted_spans,
    segments_of,
    slug,
)

# -- numbers as the text writes them ----------------------------------------------

def _number(text: str) -> float:
    """A number as Vietnamese texts write it: "32,9" (decimal comma), "1.000" (thousands)."""
    if "," in text:
        return float(text.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return float(text.replace(".", ""))
    return float(text)


def _fmt(x: float) -> str:
    """A number as the plan writes it: 32.9, 100 (no trailing .0)."""
    return f"{x:g}"


# -- what the text states: dates, percentages, counts, numbers -----------------

@attrs.frozen(kw_only=True)
class DateMention:
    """A date written in the text: ``12/3/2024``, ``ngày 04 tháng 10 năm 2021``, or ``26/6`` (no year)."""

    written: str
    clause: str
    sentence: str
    day: int
    month: int
    year: int | None

    @property
    def value(self) -> str:
        """ISO date, or ``d/m`` where the text gives no year."""
        if self.year is None:
            return f"{self.day}/{self.month}"
        return date(self.year, self.month, self.day).isoformat()


@attrs.frozen(kw_only=True)
class PercentMention:
    """A percentage written in the text ("32,9%", "trên 80%"); ``number`` is 32.9."""

    written: str
    clause: str
    sentence: str
    number: float

    @property
    def value(self) -> str:
        return f"{_fmt(self.number)}%"


@attrs.frozen(kw_only=True)
class CountMention:
    """"53/161": a part of a whole (not a date, not a document number)."""

    written: str
    clause: str
    sentence: str
    part: int
    whole: int

    @property
    def value(self) -> str:
        return f"{self.part}/{self.whole}"


_LEVEL_OF_KEYWORD = {
    "tỉnh": "province", "thành phố": "district", "thị xã": "district", "huyện": "district",
    "quận": "district", "thị trấn": "commune", "phường": "commune", "xã": "commune",
}


@attrs.frozen(kw_only=True)
class UnitMention:
    """A province, district or commune named in the text, with the district it sits in."""

    written: str
    clause: str
    sentence: str
    segment: str
    keyword: str  # "xã", "thị trấn", "huyện", ... (lower case)
    name: str  # "Minh Hải"
    parent_keyword: str | None = None
    parent_name: str | None = None

    @property
    def level(self) -> str:
        return _LEVEL_OF_KEYWORD[self.keyword]

    @property
    def value(self) -> str:
        return f"{self.keyword} {self.name}"


@attrs.frozen(kw_only=True)
class DeadlinePhrase:
    """A deadline phrase as written ("trong quý I/2024") and where it is."""

    written: str
    clause: str
    sentence: str
    segment: int  # index of the ;-part of the sentence it is in
    start: int


_DMY_RE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
LONG_DATE_RE = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})", re.IGNORECASE)
_FRACTION_RE = re.compile(r"(?<![\d/.,])(\d{1,5})/(\d{1,5})(?![\d/])")
_COUNT_NOUN_RE = re.compile(
    r"^\s*(?:xã|phường|thị trấn|huyện|quận|cơ quan|đơn vị|trường|người|hộ|thôn|tổ|khu|cơ sở|vụ|trạm|điểm)",
    re.IGNORECASE)
_PERCENT_RE = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s?%")
_NUMBER_RE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")


def _valid(day: int, month: int, year: int = 2000) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _fractions(sentence: str) -> Iterator[tuple[re.Match[str], str]]:
    """Every N/M in a sentence, classified as ``date`` (d/m), ``count`` or skipped."""
    for m in _FRACTION_RE.finditer(sentence):
        a, b = int(m[1]), int(m[2])
        if len(m[2]) == 4 and b >= 1900:
            continue  # "tháng 2/2024", "quý I/2024": a month or quarter, not a count
        before = sentence[max(0, m.start() - 4):m.start()].lower()
        if before.endswith("số ") or before.endswith("số:"):
            continue  # a document number
        after = sentence[m.end():]
        if _valid(a, b) and (before.endswith("-") or not _COUNT_NOUN_RE.match(after)):
            yield m, "date"
        elif a <= b or _COUNT_NOUN_RE.match(after):
            yield m, "count"


def find_dates(pt: PlanText) -> list[DateMention]:
    """Every date in the text, with its clause and sentence."""
    out = []
    for s in pt.sentences:
        for m in _DMY_RE.finditer(s.text):
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
            if _valid(d, mo, y):
                out.append(DateMention(written=m[0], clause=s.clause, sentence=s.text, day=d, month=mo, year=y))
        for m in LONG_DATE_RE.finditer(s.text):
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
            if _valid(d, mo, y):
                out.append(DateMention(written=m[0], clause=s.clause, sentence=s.text, day=d, month=mo, year=y))
        for m, what in _fractions(s.text):
            if what == "date":
                out.append(DateMention(written=m[0], clause=s.clause, sentence=s.text,
                                       day=int(m[1]), month=int(m[2]), year=None))
    return out


def find_percentages(pt: PlanText) -> list[PercentMention]:
    """Every percentage in the text ("32,9%", "trên 80%", "100%")."""
    return [
        PercentMention(written=m[0], clause=s.clause, sentence=s.text, number=_number(m[1]))
        for s in pt.sentences for m in _PERCENT_RE.finditer(s.text)
    ]


def find_counts(pt: PlanText) -> list[CountMention]:
    """Every count written N/M ("53/161", "143/143") that is not a date or a document number."""
    return [
        CountMention(written=m[0], clause=s.clause, sentence=s.text, part=int(m[1]), whole=int(m[2]))
        for s in pt.sentences for m, what in _fractions(s.text) if what == "count"
    ]


def find_numbers(pt: PlanText) -> set[float]:
    """Every number written in the text ("06" is 6, "1.000" is 1000, "0,1" is 0.1)."""
    out: set[float] = set()
    for m in _NUMBER_RE.finditer(pt.text):
        token = m[0].rstrip(".,")
        if re.fullmatch(r"\d+(?:\.\d{1,2})+", token):  # "4.3" clause numbers: each part
            out.update(float(p) for p in token.split("."))
            continue
        try:
            out.add(_number(token))
        except ValueError:
            out.update(float(p) for p in re.findall(r"\d+", token))
    return out


# -- named units -------------------------------------------------------------------

_UNIT_KW = r"(?i:tỉnh|thành phố|thị xã|thị trấn|huyện|quận|phường|xã)"
_UNIT_RE = re.compile(rf"{NOT_LETTER_BEFORE}(?:(?i:các)\s+)?({_UNIT_KW})\s+({NAME})")
_UNIT_NEXT_RE = re.compile(rf"\s*(?:,|\svà)\s*(?:({_UNIT_KW})\s+)?({NAME})(?={LETTER}?)")
_BARE_END_RE = re.compile(r"\s*(?:$|[,;.:()⁽]|\s(?:và|có)\b)")


# Words that end a name written in capitals ("TỈNH X GIAI ĐOẠN 2021 - 2025").
_CAPS_STOP = {"giai", "năm", "không", "có", "trên", "và", "về", "của", "trong", "tại", "đến", "thực", "phòng",
              "chống", "tệ", "ma", "xây", "thí", "điểm"}


def _unit_name(name: str) -> str | None:
    """The name as written, or in title case if written in capitals (cut at the first common word)."""
    if not name.isupper():
        return name
    words = []
    for w in name.split():
        if w.lower() in _CAPS_STOP:
            break
        words.append(w)
    return " ".join(words).title() if 0 < len(words) <= 3 else None


def find_units(pt: PlanText) -> list[UnitMention]:
    """Every province, district and commune named in the text.

    A keyword (tỉnh, huyện, thị xã, thành phố, quận, xã, phường, thị trấn)
    followed by a capitalised name; names listed after it ("các xã Minh Hải,
    Việt Hưng và thị trấn Lương Bằng") share its keyword unless they bring
    their own. A commune's district is the nearest district named before it in
    the same part of the sentence (between semicolons), else the nearest after.
    """
    out: list[UnitMention] = []
    for s in pt.sentences:
        for _offset, seg in segments_of(s.text):
            found: list[tuple[int, str, str, str]] = []  # (pos, keyword, name, written)
            pos = 0
            while (m := _UNIT_RE.search(seg, pos)) is not None:
                kw = m[1].lower()
                pos = m.end()
                name = _unit_name(m[2])
                if name is None:
                    continue
                found.append((m.start(), kw, name, seg[m.start(1):m.start(2) + len(name)]))
                while (n := _UNIT_NEXT_RE.match(seg, pos)) is not None:
                    if n[1] is None and not _BARE_END_RE.match(seg, n.end()):
                        break  # "huyện X, Ủy ban ...": not a name in the list
                    if n[1] is not None:
                        kw = n[1].lower()
                    start = n.start(1) if n[1] is not None else n.start(2)
                    pos = n.end()
                    name = _unit_name(n[2])
                    if name is None:
                        break
                    found.append((start, kw, name, seg[start:n.start(2) + len(name)]))
            districts = [(p, kw, name) for p, kw, name, _ in found if _LEVEL_OF_KEYWORD[kw] == "district"]
            for p, kw, name, written in found:
                parent_kw = parent_name = None
                if _LEVEL_OF_KEYWORD[kw] == "commune" and districts:
                    before = [d for d in districts if d[0] < p]
                    d = before[-1] if before else next(d for d in districts if d[0] > p)
                    parent_kw, parent_name = d[1], d[2]
                out.append(UnitMention(written=written, clause=s.clause, sentence=s.text,
                                       segment=seg.strip(), keyword=kw, name=name,
                                       parent_keyword=parent_kw, parent_name=parent_name))
    return out


# -- deadline phrases ----------------------------------------------------------------

_DEADLINE_EXPR = (
    r"(?:\d{1,2}/\d{1,2}/\d{4}(?![\d/])"
    r"|\d{1,2}/\d{1,2}\s+h[ằà]ng năm"
    r"|quý\s+(?:IV|III|II|I)/\d{4}"
    r"|tháng\s+\d{1,2}/\d{4}"
    r"|0?6 tháng đầu năm \d{4}"
    r"|năm \d{4})"
)
_DEADLINE_STRICT_RE = re.compile(
    r"(?:(?:hoàn thành|chậm nhất)\s+)?(?:trong|trước|vào|đến hết|đến|hết)\s+(?:ngày\s+)?" + _DEADLINE_EXPR,
    re.IGNORECASE)
_DEADLINE_BROAD_RE = re.compile(
    r"(?:(?:hoàn thành|chậm nhất)\s+)?(?:(?:trong|trước|vào|đến hết|đến|hết)\s+)?(?:ngày\s+)?" + _DEADLINE_EXPR,
    re.IGNORECASE)


def find_deadlines(pt: PlanText, *, strict: bool = True) -> list[DeadlinePhrase]:
    """Deadline phrases in the text, as written.

    ``strict`` (what the drafter uses) takes only phrases introduced by
    trong / trước / vào / đến (hết) / hết, outside quotation marks and outside
    legal bases ("Căn cứ ..."): "trong ngày 12/3/2024", "Hoàn thành trong quý
    I/2024", "trước 31/12 hàng năm". ``strict=False`` also takes bare dates,
    quarters, months and years ("năm 2023"), for checking that a plan's due
    date is in the text.
    """
    regex = _DEADLINE_STRICT_RE if strict else _DEADLINE_BROAD_RE
    out = []
    for s in pt.sentences:
        if strict and is_legal_basis(s):
            continue
        quoted = quoted_spans(s.text)
        for i, (seg_start, seg) in enumerate(segments_of(s.text)):
            for m in regex.finditer(seg):
                if strict and is_inside(seg_start + m.start(), quoted):
                    continue
                out.append(DeadlinePhrase(written=m[0], clause=s.clause, sentence=s.text, segment=i,
                                          start=seg_start + m.start()))
    return out


# -- projects --------------------------------------------------------------------------

@attrs.frozen(kw_only=True)
class ProjectMention:
    """A project named in quotation marks after "Dự án" or "Tiểu dự án"."""

    name: str
    sub: bool
    number: str | None
    clause: str
    sentence: str
    start: int


_PROJECT_RE = re.compile(r"(?<!\w)(Tiểu dự án|Dự án)(?:\s+(\d+))?([^“”\"\n.;]{0,40}?)[“\"]([^“”\"]+)[”\"]",
                         re.IGNORECASE)
_NEXT_QUOTED_RE = re.compile(r"\s*[;,]?\s*(?:và\s+)?[“\"]([^“”\"]+)[”\"]")


def find_projects(pt: PlanText) -> list[ProjectMention]:
    """Every project or sub-project named in quotation marks after "Dự án"/"Tiểu dự án"."""
    out = []
    for s in pt.sentences:
        if is_legal_basis(s):
            continue
        for m in _PROJECT_RE.finditer(s.text):
            sub = m[1].lower().startswith("tiểu")
            names = [(m.start(4), m[4])]
            pos = m.end()
            while (n := _NEXT_QUOTED_RE.match(s.text, pos)) is not None:
                names.append((n.start(1), n[1]))
                pos = n.end()
            for start, name in names:
                name = name.strip(" .")
                if name.isupper():
                    name = name[0] + name[1:].lower()
                out.append(ProjectMention(name=name, sub=sub, number=m[2], clause=s.clause, sentence=s.text,
                                          start=start))
    return out


# -- quantified targets -----------------------------------------------------------------

@attrs.frozen(kw_only=True)
class TargetGuess:
    """A quantified target in a sentence, with a guess at its kind, comparator and threshold."""

    kind: str  # value, ratio or growth
    comparator: str
    threshold: float
    token: str  # for the id
    unit: str
    of: int | None = None
    note: str | None = None
    segment: int = 0
    start: int = 0


_CMP_WORDS = (("không quá", "<="), ("tối đa", "<="), ("tối thiểu", ">="), ("ít nhất", ">="), ("giữ vững", ">="),
              ("trên", ">"), ("hơn", ">"), ("dưới", "<"), ("từ", ">="), ("đạt", ">="))
_CMP_COUNT_RE = re.compile(
    rf"{NOT_LETTER_BEFORE}(không quá|tối đa|tối thiểu|ít nhất|giữ vững|trên|hơn|dưới)\s+"
    r"(\d+(?:[.,]\d+)*)(?!\s?%|[\d/])\s*([^\W\d_][^\s,;.()]*)", re.IGNORECASE)
_TIME_NOUNS = {"ngày", "tháng", "năm", "quý", "tuần", "giờ", "phút"}
_NO_RE = re.compile(rf"{NOT_LETTER_BEFORE}[Kk]hông để\s")


def _comparator_before(text: str) -> str:
    tail = text.lower().rstrip()
    for word, cmp in _CMP_WORDS:
        if tail.endswith(" " + word) or tail == word:
            return cmp
    return ">="


def targets_in(sentence: str) -> list[TargetGuess]:
    """The quantified targets of a sentence, in text order: counts "53/161", percentages
    (ratio, or growth after "tăng"/"giảm"), "trên 20 người", and "không để ..." (zero)."""
    out: list[TargetGuess] = []
    for i, (seg_start, seg) in enumerate(segments_of(sentence)):
        taken: list[tuple[int, int]] = []
        counts = [(m.start(), m.end(), int(m[1]), int(m[2])) for m, what in _fractions(seg) if what == "count"]
        percents = [(m.start(), m.end(), _number(m[1]), m[0]) for m in _PERCENT_RE.finditer(seg)]
        for a, _end, part, whole in counts:
            note = None
            for pa, pb, pct, written in percents:
                share = 100 * part / whole if whole else -1.0
                if abs(share - pct) <= 0.05:
                    note = f"The text also gives the share: {written} ({part}/{whole} = {_fmt(round(share, 1))}%)."
                    taken.append((pa, pb))
            out.append(TargetGuess(kind="value", comparator=">=", threshold=part, of=whole,
                                    token=f"{part}_of_{whole}", unit="count", segment=i, start=seg_start + a,
                                    note=" ".join(filter(None, [note, "The text states a part of a whole: "
                                                                "consider kind 'class_count' with a rule."]))))
        for pa, pb, pct, _written in percents:
            if (pa, pb) in taken:
                continue
            before = seg[:pa]
            cmp = _comparator_before(before)
            window = before[-60:].lower()
            growth = bool(re.search(rf"{NOT_LETTER_BEFORE}(?:tăng|giảm)(?!{LETTER})", window)) or bool(
                re.match(r"[^;]{0,20}so với năm", seg[pb:]))
            threshold = pct
            if growth and re.search(rf"{NOT_LETTER_BEFORE}giảm(?!{LETTER})", window):
                threshold, cmp = -pct, "<="
            if growth:
                kind = "growth"
            elif pct > 100:
                kind = "value"
            else:
                kind = "ratio"
            out.append(TargetGuess(kind=kind, comparator=cmp, threshold=threshold,
                                    token=_fmt(pct).replace(".", "_") + "pct", unit="count", segment=i,
                                    start=seg_start + pa))
        for m in _CMP_COUNT_RE.finditer(seg):
            noun = m[3].lower()
            if noun in _TIME_NOUNS:
                continue
            word = m[1].lower()
            cmp = dict(_CMP_WORDS)[word]
            n = _number(m[2])
            unit = "m2" if noun.startswith("m²") or noun == "m2" else ("people" if noun == "người" else "count")
            out.append(TargetGuess(kind="value", comparator=cmp, threshold=n, unit=unit,
                                    token=f"{slug(word)}_{_fmt(n).replace('.', '_')}", segment=i,
                                    start=seg_start + m.start()))
        for m in _NO_RE.finditer(seg):
            out.append(TargetGuess(kind="value", comparator="<=", threshold=0, token="zero", unit="count",
                                    segment=i, start=seg_start + m.start(),
                                    note="'Không để ...': a zero-tolerance target, if the plan means one."))
    out.sort(key=lambda t: t.start)
    return out

