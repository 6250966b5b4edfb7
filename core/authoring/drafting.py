"""From a decision's text to a draft plan: what ``plancheck plan draft`` writes.

A province plugin starts as a plan file written clause by clause from the
decision's text. :func:`draft_plan` does the mechanical part of that reading
and writes a plan TOML that :func:`plancheck.plans.planfile.load_plan` accepts:

* the header: document number, signing date, signer, title, province and a
  period (from the title's "năm 2024" / "giai đoạn 2021 - 2025", "Thời gian
  thực hiện", else the deadlines found);
* the section tree (I, II, III.1, III.1.2 ... as the text numbers its clauses;
  bullets take the clause of their heading), listed in a comment;
* every deadline phrase, as a task whose ``deadline`` is the phrase as written
  and whose due date, computed by core's
  :func:`~plancheck.plans.calendar.parse_deadline`, is shown in a comment;
* every quantified target it recognises (percentages, counts "53/161",
  "trên 20 người nghiện", growth "tăng từ 5%", "không để ..."), with a guess at
  kind, comparator and threshold, and draft measures so the references hold;
* every agency named as a clause heading, as lead ("chủ trì", "Giao ...") or as
  coordinator ("phối hợp (với)"); every project named in quotation marks after
  "Dự án"/"Tiểu dự án"; every province, district and commune named.

Every drafted element carries ``source`` (its clause), ``quote`` (the sentence
it came from; for units, the part of the sentence between semicolons that
names them) and ``draft = true``: nothing is confirmed until a person has
checked it against the text and removed the mark. English names the drafter
cannot know are written ``TODO: English name``.

The reading functions (:func:`read_text` and the ``find_*`` functions) are
public: :mod:`plancheck.authoring.fidelity` uses the same reading to cross-check a plan
against its text. Rule-based throughout; no model, no network.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date

import attrs

from plancheck.plans.calendar import Due, parse_deadline

# -- characters -----------------------------------------------------------------

_UPPER = "".join(
    c for c in map(chr, range(0x41, 0x1EFA))
    if c.isupper() and unicodedata.name(c, "").startswith("LATIN")
)
_L = r"[^\W\d_]"  # a letter
_CAPWORD = rf"[{_UPPER}]{_L}*"
_NAME = rf"(?:\d+|{_CAPWORD}(?: {_CAPWORD})*)"
_NOT_LETTER_BEFORE = rf"(?<!{_L})"

# Old-style tone placement at the end of a word ("uỷ", "hoá") folded to the new
# style for matching names of bodies ("đoàn" is left alone); every pair keeps
# its length, so offsets stay valid.
_TONE_FOLD = {
    "uỷ": "ủy", "Uỷ": "Ủy", "UỶ": "ỦY", "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa",
    "oạ": "ọa", "Oá": "Óa", "Oà": "Òa", "uý": "úy", "uỳ": "ùy", "uỵ": "ụy", "uỹ": "ũy",
    "oé": "óe", "oè": "òe",
}
_TONE_RE = re.compile("(?:" + "|".join(map(re.escape, _TONE_FOLD)) + r")(?![^\W\d_])")  # open syllables only


def _fold(text: str) -> str:
    return _TONE_RE.sub(lambda m: _TONE_FOLD[m[0]], text)


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", _ascii(text).lower()).strip("_")


def _number(text: str) -> float:
    """A number as Vietnamese texts write it: "32,9" (decimal comma), "1.000" (thousands)."""
    if "," in text:
        return float(text.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return float(text.replace(".", ""))
    return float(text)


def _fmt(x: float) -> str:
    return f"{x:g}"


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


def _segments(sentence: str) -> list[tuple[int, str]]:
    """The parts of a sentence between semicolons, with their offsets."""
    out, start = [], 0
    for m in re.finditer(r";", sentence):
        out.append((start, sentence[start:m.start()]))
        start = m.end()
    out.append((start, sentence[start:]))
    return out


def _quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of text in quotation marks (“…”, "…" or a mix of the two)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[“\"][^“”\"]*[”\"]", sentence)]


def _inside(pos: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a < pos < b for a, b in spans)


def _is_legal_basis(sentence: Sentence) -> bool:
    """Sentences that state no commitment: legal bases, the plan's own period, the list of recipients."""
    return sentence.clause == "Nơi nhận" or bool(re.match(
        r"^(?:Căn cứ (?:Luật|Bộ luật|Hiến pháp|Nghị định|Nghị quyết|Quyết định|Chỉ thị|Thông tư|Công văn|Tờ trình"
        r"|Kế hoạch số)|Theo đề nghị|Thời gian thực hiện)", sentence.text))


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
_LONG_DATE_RE = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})", re.IGNORECASE)
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
        for m in _LONG_DATE_RE.finditer(s.text):
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
_UNIT_RE = re.compile(rf"{_NOT_LETTER_BEFORE}(?:(?i:các)\s+)?({_UNIT_KW})\s+({_NAME})")
_UNIT_NEXT_RE = re.compile(rf"\s*(?:,|\svà)\s*(?:({_UNIT_KW})\s+)?({_NAME})(?={_L}?)")
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
        for _offset, seg in _segments(s.text):
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
                        break  # "huyện Kim Động, Ủy ban ...": not a name in the list
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
        if strict and _is_legal_basis(s):
            continue
        quoted = _quoted_spans(s.text)
        for i, (seg_start, seg) in enumerate(_segments(s.text)):
            for m in regex.finditer(seg):
                if strict and _inside(seg_start + m.start(), quoted):
                    continue
                out.append(DeadlinePhrase(written=m[0], clause=s.clause, sentence=s.text, segment=i,
                                          start=seg_start + m.start()))
    return out


# -- agencies ---------------------------------------------------------------------------

@attrs.frozen(kw_only=True)
class _AgencyKind:
    id: str
    pattern: str
    name_en: str
    level: str


_UBND = r"(?:Ủy ban nhân dân|UBND)"
_AGENCY_KINDS = (
    _AgencyKind(id="vp_ubnd_tinh", pattern=rf"Văn phòng {_UBND} tỉnh",
                name_en="Office of the Provincial People's Committee", level="province"),
    _AgencyKind(id="ubnd_cap_huyen",
                pattern=rf"{_UBND} (?:các |cấp )?huyện, thị xã, thành phố|{_UBND} cấp huyện",
                name_en="District, town and city People's Committees", level="district"),
    _AgencyKind(id="ubnd_cap_xa", pattern=rf"{_UBND} (?:cấp xã|cấp cơ sở|(?:các )?xã, phường, thị trấn)",
                name_en="Commune-level People's Committees", level="commune"),
    _AgencyKind(id="ubnd_{name}", pattern=rf"{_UBND} (?:huyện|thị xã|thành phố|quận) (?-i:(?P<name>{_NAME}))",
                name_en="{Name} District People's Committee", level="district"),
    _AgencyKind(id="ubnd_tinh", pattern=rf"{_UBND} tỉnh", name_en="Provincial People's Committee",
                level="province"),
    _AgencyKind(id="ubmttq_tinh", pattern=r"Ủy ban (?:Mặt trận Tổ quốc|MTTQ)(?: Việt Nam)? tỉnh",
                name_en="Provincial Committee of the Vietnam Fatherland Front", level="province"),
    _AgencyKind(id="ubqg_aids_ma_tuy_mai_dam",
                pattern=r"Ủy ban Quốc gia phòng, chống AIDS và phòng, chống tệ nạn ma túy, mại dâm",
                name_en="National Committee on AIDS, Drugs and Prostitution Prevention", level="central"),
    _AgencyKind(id="cong_an_tinh", pattern=r"Công an tỉnh", name_en="Provincial Police", level="province"),
    _AgencyKind(id="cong_an_cap_huyen", pattern=r"Công an (?:cấp )?huyện(?:, thị xã, thành phố)?",
                name_en="District police", level="district"),
    _AgencyKind(id="cong_an_cap_xa", pattern=r"Công an (?:cấp )?xã(?:, phường, thị trấn)?",
                name_en="Commune police", level="commune"),
    _AgencyKind(id="bo_cong_an", pattern=r"Bộ Công an", name_en="Ministry of Public Security", level="central"),
    _AgencyKind(id="bdbp_tinh", pattern=r"Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
                name_en="Provincial Border Guard Command", level="province"),
    _AgencyKind(id="bchqs_tinh", pattern=r"Bộ Chỉ huy Quân sự tỉnh", name_en="Provincial Military Command",
                level="province"),
    _AgencyKind(id="chinh_phu", pattern=r"(?<!tướng )Chính phủ", name_en="The Government", level="central"),
    _AgencyKind(id="tinh_uy", pattern=r"Tỉnh ủy", name_en="Provincial Party Committee", level="province"),
    _AgencyKind(id="tinh_doan", pattern=r"Tỉnh đoàn", name_en="Provincial Youth Union", level="province"),
    _AgencyKind(id="ldld_tinh", pattern=r"Liên đoàn Lao động tỉnh", name_en="Provincial Labour Federation",
                level="province"),
    _AgencyKind(id="hoi_lhpn_tinh", pattern=r"Hội Liên hiệp Phụ nữ(?: Việt Nam)? tỉnh",
                name_en="Provincial Women's Union", level="province"),
    _AgencyKind(id="hoi_nong_dan_tinh", pattern=r"Hội Nông dân tỉnh", name_en="Provincial Farmers' Union",
                level="province"),
    _AgencyKind(id="hoi_ccb_tinh", pattern=r"Hội Cựu chiến binh tỉnh",
                name_en="Provincial Veterans' Association", level="province"),
    _AgencyKind(id="vksnd_tinh", pattern=r"Viện kiểm sát nhân dân tỉnh",
                name_en="Provincial People's Procuracy", level="province"),
    _AgencyKind(id="tand_tinh", pattern=r"Tòa án nhân dân tỉnh", name_en="Provincial People's Court",
                level="province"),
    _AgencyKind(id="dai_ptth", pattern=rf"Đài Phát thanh (?:và|-) Truyền hình(?: tỉnh| (?-i:{_NAME}))?",
                name_en="Provincial Radio and Television", level="province"),
    _AgencyKind(id="bao_{name}", pattern=rf"Báo (?-i:(?P<name>{_NAME}))", name_en="{Name} Newspaper",
                level="province"),
    _AgencyKind(id="bcd_tinh",
                pattern=r"Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội"
                        r"(?: và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc)?(?: tỉnh)?",
                name_en="Provincial Steering Committee for crime and social-evil prevention",
                level="province"),
    _AgencyKind(id="so_ban_nganh_doan_the", pattern=r"(?:các )?sở, ban, ngành, đoàn thể tỉnh",
                name_en="Provincial departments, agencies and mass organisations", level="province"),
    _AgencyKind(id="ban_nganh_tw", pattern=r"(?:các )?ban, ngành tỉnh, Cơ quan Trung ương đóng trên địa bàn tỉnh",
                name_en="Provincial departments and agencies, and central agencies based in the province",
                level="province"),
    _AgencyKind(id="so_nganh_tinh", pattern=r"(?:các )?sở, ngành tỉnh", name_en="Provincial departments",
                level="province"),
    _AgencyKind(id="so_ldtbxh", pattern=r"Sở Lao động\s*[-–,]\s*Thương binh và Xã hội",
                name_en="Department of Labour, Invalids and Social Affairs", level="province"),
    _AgencyKind(id="so_vhttdl", pattern=r"Sở Văn hóa,? Thể thao và Du lịch",
                name_en="Department of Culture, Sports and Tourism", level="province"),
    _AgencyKind(id="so_gddt", pattern=r"Sở Giáo dục và Đào tạo", name_en="Department of Education and Training",
                level="province"),
    _AgencyKind(id="so_yte", pattern=r"Sở Y tế", name_en="Department of Health", level="province"),
    _AgencyKind(id="so_taichinh", pattern=r"Sở Tài chính", name_en="Department of Finance", level="province"),
    _AgencyKind(id="so_tttt", pattern=r"Sở Thông tin và Truyền thông",
                name_en="Department of Information and Communications", level="province"),
    _AgencyKind(id="so_khdt", pattern=r"Sở Kế hoạch và Đầu tư", name_en="Department of Planning and Investment",
                level="province"),
    _AgencyKind(id="so_nnptnt", pattern=r"Sở Nông nghiệp và Phát triển nông thôn",
                name_en="Department of Agriculture and Rural Development", level="province"),
    _AgencyKind(id="so_congthuong", pattern=r"Sở Công Thương", name_en="Department of Industry and Trade",
                level="province"),
    _AgencyKind(id="so_tuphap", pattern=r"Sở Tư pháp", name_en="Department of Justice", level="province"),
    _AgencyKind(id="so_noivu", pattern=r"Sở Nội vụ", name_en="Department of Home Affairs", level="province"),
    _AgencyKind(id="so_tnmt", pattern=r"Sở Tài nguyên và Môi trường",
                name_en="Department of Natural Resources and Environment", level="province"),
    _AgencyKind(id="so_xaydung", pattern=r"Sở Xây dựng", name_en="Department of Construction", level="province"),
    _AgencyKind(id="so_gtvt", pattern=r"Sở Giao thông vận tải", name_en="Department of Transport",
                level="province"),
    _AgencyKind(id="so_khcn", pattern=r"Sở Khoa học và Công nghệ", name_en="Department of Science and Technology",
                level="province"),
    _AgencyKind(id="so_ngoaivu", pattern=r"Sở Ngoại vụ", name_en="Department of Foreign Affairs",
                level="province"),
)
_AGENCY_RES = [(k, re.compile(_NOT_LETTER_BEFORE + "(?:" + k.pattern + ")", re.IGNORECASE))
               for k in _AGENCY_KINDS]


@attrs.frozen(kw_only=True)
class AgencyMention:
    """An agency named in a role: ``heading`` of a clause, ``lead`` or ``coordinator``."""

    id: str
    name: str
    name_en: str
    level: str
    role: str
    clause: str
    sentence: str
    start: int


def _agency_matches(sentence: str) -> list[tuple[int, int, _AgencyKind, re.Match[str]]]:
    folded = _fold(sentence)
    found = [(m.start(), m.end(), k, m) for k, rx in _AGENCY_RES for m in rx.finditer(folded)]
    found.sort(key=lambda t: (t[0], -t[1]))
    out: list[tuple[int, int, _AgencyKind, re.Match[str]]] = []
    for f in found:
        if not out or f[0] >= out[-1][1]:
            out.append(f)
    return out


_LIST_GAP_RE = re.compile(r"^(?:\s*\([^()]*\))?\s*(?:,|;|\svà\s|\s)\s*$")
_PAREN_RE = re.compile(r"^\s*(?:\([^()]*\)\s*)?")


def find_agencies(pt: PlanText) -> list[AgencyMention]:
    """Agencies named in a role, in text order.

    ``heading``: the agencies a numbered clause opens with ("1.2. Công an tỉnh",
    "18. Đề nghị Viện Kiểm sát nhân dân tỉnh và Tòa án nhân dân tỉnh");
    ``lead``: a list followed by "chủ trì" or preceded by "Giao";
    ``coordinator``: a list after "phối hợp (chặt chẽ) (với)" or followed by
    "phối hợp". Agencies named in other roles (recipients, objects) are not taken.
    """
    out = []
    for s in pt.sentences:
        if _is_legal_basis(s):
            continue
        matches = _agency_matches(s.text)
        groups: list[list[tuple[int, int, _AgencyKind, re.Match[str]]]] = []
        for mt in matches:
            if groups and _LIST_GAP_RE.match(s.text[groups[-1][-1][1]:mt[0]]):
                groups[-1].append(mt)
            else:
                groups.append([mt])
        for group in groups:
            before = s.text[:group[0][0]]
            after = s.text[group[-1][1]:]
            after = after[_PAREN_RE.match(after).end():]  # type: ignore[union-attr]
            role = None
            if s.first_in_clause and re.fullmatch(r"\s*(?:Đề nghị\s*)?", before):
                role = "heading"
            elif re.search(r"(?:^|\s)[Gg]iao\s*$", before) or re.match(r"chủ trì", after, re.IGNORECASE):
                role = "lead"
            elif re.search(r"phối hợp(?: chặt chẽ)?(?: với)?\s*$", before, re.IGNORECASE) or re.match(
                    r"phối hợp", after, re.IGNORECASE):
                role = "coordinator"
            if role is None:
                continue
            for start, end, kind, m in group:
                written = s.text[start:end]
                name_part = m.groupdict().get("name")
                if name_part:
                    ascii_name = _ascii(name_part)
                    aid = kind.id.format(name=_slug(name_part))
                    name_en = kind.name_en.format(Name=ascii_name)
                else:
                    aid, name_en = kind.id, kind.name_en
                name = written[0].upper() + written[1:]
                out.append(AgencyMention(id=aid, name=name, name_en=name_en, level=kind.level, role=role,
                                         clause=s.clause, sentence=s.text, start=start))
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
        if _is_legal_basis(s):
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
class _TargetGuess:
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
    rf"{_NOT_LETTER_BEFORE}(không quá|tối đa|tối thiểu|ít nhất|giữ vững|trên|hơn|dưới)\s+"
    r"(\d+(?:[.,]\d+)*)(?!\s?%|[\d/])\s*([^\W\d_][^\s,;.()]*)", re.IGNORECASE)
_TIME_NOUNS = {"ngày", "tháng", "năm", "quý", "tuần", "giờ", "phút"}
_NO_RE = re.compile(rf"{_NOT_LETTER_BEFORE}[Kk]hông để\s")


def _comparator_before(text: str) -> str:
    tail = text.lower().rstrip()
    for word, cmp in _CMP_WORDS:
        if tail.endswith(" " + word) or tail == word:
            return cmp
    return ">="


def _targets_in(sentence: str) -> list[_TargetGuess]:
    out: list[_TargetGuess] = []
    for i, (seg_start, seg) in enumerate(_segments(sentence)):
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
            out.append(_TargetGuess(kind="value", comparator=">=", threshold=part, of=whole,
                                    token=f"{part}_of_{whole}", unit="count", segment=i, start=seg_start + a,
                                    note=" ".join(filter(None, [note, "The text states a part of a whole: "
                                                                "consider kind 'class_count' with a rule."]))))
        for pa, pb, pct, _written in percents:
            if (pa, pb) in taken:
                continue
            before = seg[:pa]
            cmp = _comparator_before(before)
            window = before[-60:].lower()
            growth = bool(re.search(rf"{_NOT_LETTER_BEFORE}(?:tăng|giảm)(?!{_L})", window)) or bool(
                re.match(r"[^;]{0,20}so với năm", seg[pb:]))
            threshold = pct
            if growth and re.search(rf"{_NOT_LETTER_BEFORE}giảm(?!{_L})", window):
                threshold, cmp = -pct, "<="
            if growth:
                kind = "growth"
            elif pct > 100:
                kind = "value"
            else:
                kind = "ratio"
            out.append(_TargetGuess(kind=kind, comparator=cmp, threshold=threshold,
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
            out.append(_TargetGuess(kind="value", comparator=cmp, threshold=n, unit=unit,
                                    token=f"{_slug(word)}_{_fmt(n).replace('.', '_')}", segment=i,
                                    start=seg_start + m.start()))
        for m in _NO_RE.finditer(seg):
            out.append(_TargetGuess(kind="value", comparator="<=", threshold=0, token="zero", unit="count",
                                    segment=i, start=seg_start + m.start(),
                                    note="'Không để ...': a zero-tolerance target, if the plan means one."))
    out.sort(key=lambda t: t.start)
    return out


# -- the header --------------------------------------------------------------------------

@attrs.frozen(kw_only=True)
class Header:
    """What the text says about itself: number, date, signer, title, province, period."""

    document: str | None
    signed: date | None
    signer: str | None
    title: str
    province_name: str
    parent_programme: str | None
    period: tuple[date, date] | None
    period_from: str | None


_DOC_KIND = {"QĐ": "Quyết định", "KH": "Kế hoạch", "CT": "Chỉ thị", "NQ": "Nghị quyết"}
_TITLES = {"CHỦ TỊCH": "Chủ tịch", "PHÓ CHỦ TỊCH": "Phó Chủ tịch"}


def _document(pt: PlanText) -> str | None:
    def named(number: str) -> str:
        code = re.search(r"/([A-ZĐ]+)-", number)
        kind = _DOC_KIND.get(code[1]) if code else None
        return f"{kind} số {number}" if kind else f"Số {number}"

    for para in pt.header:
        if m := re.match(r"^Số\s*:\s*(\d+/[\wĐ-]+)", para):
            return named(m[1])
    for para in pt.header:
        if m := re.match(r"^Số hiệu\s+(\d+/[\wĐ-]+)", para):
            return named(m[1])
    for para in pt.header:
        if m := re.search(r"ban hành (Kế hoạch|Quyết định) số (\d+/[\wĐ-]+)", para):
            return f"{m[1]} số {m[2]}"
    return None


def _signed(pt: PlanText) -> date | None:
    for para in pt.header:
        if m := _LONG_DATE_RE.search(para):
            return date(int(m[3]), int(m[2]), int(m[1]))
    for para in pt.header:
        if m := re.match(r"^Ngày ban hành\s+(\d{1,2})/(\d{1,2})/(\d{4})", para):
            return date(int(m[3]), int(m[2]), int(m[1]))
    for para in pt.header:
        if m := re.search(r"Ngày (\d{1,2})/(\d{1,2})/(\d{4}),[^.]*ban hành (?:Kế hoạch|Quyết định)", para):
            return date(int(m[3]), int(m[2]), int(m[1]))
    return None


def _signer(pt: PlanText) -> str | None:
    paras = pt.paragraphs
    for i, para in enumerate(paras):
        if m := re.match(rf"^Người ký\s+({_CAPWORD}(?: {_CAPWORD}){{1,4}})$", para):
            return m[1]
        if not re.match(r"^(?:TM\.|KT\.)", para):
            continue
        block = []
        j = i
        while j < len(paras) and paras[j].isupper() and len(paras[j]) < 60:
            block.append(paras[j])
            j += 1
        if j < len(paras) and re.fullmatch(rf"{_CAPWORD}(?: {_CAPWORD}){{1,4}}", paras[j]):
            title = next((t for t in reversed(block) if not re.match(r"^(?:TM|KT)\.", t)), None)
            out = paras[j]
            if title:
                out += ", " + _TITLES.get(title, title.capitalize())
            acting = next((t for t in block if t.startswith("KT.")), None)
            if acting:
                rest = acting[3:].strip()
                out += f" (KT. {_TITLES.get(rest, rest.capitalize())})"
            return out
    return None


def _province(pt: PlanText) -> str:
    counts: dict[str, int] = {}
    for u in find_units(pt):
        if u.keyword == "tỉnh":
            counts[u.name] = counts.get(u.name, 0) + 1
    if counts:
        return max(counts, key=lambda n: (counts[n], -pt.text.find(n)))
    for para in pt.paragraphs:
        if m := re.search(rf"trên địa bàn ({_CAPWORD}(?: {_CAPWORD})*)", para):
            return m[1]
    return "TODO"


def _unquoted(text: str) -> str:
    return re.sub(r"[“\"][^“”\"]*[”\"]", " ", text)


def _sentence_case(text: str, province: str) -> str:
    if text.isupper() or sum(c.isupper() for c in text) > len(text) / 2:
        text = text.lower()
        text = re.sub(r"tỉnh " + re.escape(province.lower()), "tỉnh " + province, text)
        text = re.sub(r"([“\"])(\w)", lambda m: m[1] + m[2].upper(), text)
    return text


def _title(pt: PlanText, province: str) -> str:
    paras = pt.paragraphs
    for i, para in enumerate(paras[:-1]):
        if para == "KẾ HOẠCH":
            nxt = _sentence_case(paras[i + 1], province)
            return "Kế hoạch " + nxt[0].lower() + nxt[1:]
    for para in pt.header:
        if m := re.search(r"ban hành Kế hoạch số \S+ (về [^.]+)", para):
            return "Kế hoạch " + m[1].strip()
    return next((p for p in pt.header if len(p) > 20), pt.paragraphs[0] if pt.paragraphs else "TODO")


def _parent_programme(pt: PlanText) -> str | None:
    paras = pt.paragraphs
    for i, para in enumerate(paras):
        if para != "KẾ HOẠCH":
            continue
        for nxt in paras[i + 1:i + 4]:
            m = re.match(r"^(?:Căn cứ|Thực hiện) ((?:Quyết định|Kế hoạch|Chỉ thị|Nghị quyết) số .+)", nxt)
            if m:
                return _cut_outside_quotes(m[1], ";(").strip(" ,.")
    return None


def _cut_outside_quotes(text: str, stops: str) -> str:
    """``text`` up to the first of ``stops`` that is not inside quotation marks."""
    quoted = _quoted_spans(text)
    for i, c in enumerate(text):
        if c in stops and not _inside(i, quoted):
            return text[:i]
    return text


def _period(pt: PlanText, title: str) -> tuple[tuple[date, date] | None, str | None]:
    for para in pt.paragraphs:
        m = re.search(r"[Tt]hời gian thực hiện\s*:?\s*từ năm (\d{4}) đến (?:hết )?năm (\d{4})", para)
        if m:
            return (date(int(m[1]), 1, 1), date(int(m[2]), 12, 31)), f"'{m[0]}'"
    bare = _unquoted(title)
    if m := re.search(r"giai đoạn (\d{4})\s*[-–]\s*(\d{4})", bare, re.IGNORECASE):
        return (date(int(m[1]), 1, 1), date(int(m[2]), 12, 31)), f"the title's '{m[0]}'"
    years = re.findall(r"năm (\d{4})", bare, re.IGNORECASE)
    if years:
        y = int(years[-1])
        return (date(y, 1, 1), date(y, 12, 31)), f"the title's 'năm {y}'"
    return None, None


def read_header(pt: PlanText) -> Header:
    """The document number, signing date, signer, title, province and period the text gives."""
    province = _province(pt)
    title = _title(pt, province)
    period, period_from = _period(pt, title)
    return Header(document=_document(pt), signed=_signed(pt), signer=_signer(pt), title=title,
                  province_name=province, parent_programme=_parent_programme(pt), period=period,
                  period_from=period_from)


# -- the draft ----------------------------------------------------------------------------

_PLACEHOLDER_AGENCY = "chua_xac_dinh"
_TODO_EN = "TODO: English name"


@attrs.frozen
class _Element:
    table: str
    fields: tuple[tuple[str, object], ...]
    comments: tuple[tuple[str, str], ...] = ()

    def get(self, key: str) -> object:
        return dict(self.fields).get(key)


def _clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" .;:,-")
    return text[0].upper() + text[1:] if text else text


def _parents(clause: str) -> Iterator[str]:
    yield clause
    while "." in clause:
        clause = clause.rsplit(".", 1)[0]
        yield clause


def _unit_en(keyword: str, name: str) -> str:
    kind = {"tỉnh": "province", "huyện": "district", "quận": "district", "thị xã": "town (district level)",
            "thành phố": "city", "xã": "commune", "phường": "ward", "thị trấn": "township"}[keyword]
    return f"{_ascii(name)} {kind}"


def _unit_id(keyword: str, name: str) -> str:
    prefix = {"thành phố": "tp_", "thị xã": "tx_", "quận": "q_"}.get(keyword, "")
    return prefix + _slug(name)


def _dues(phrase: str, start: date, end: date) -> list[Due] | None:
    try:
        return parse_deadline(phrase, start, end)
    except ValueError:
        return None


def draft_plan(text: str, source_file: str) -> str:
    """A draft plan TOML for a plan's text; :func:`~plancheck.plans.planfile.load_plan` accepts it.

    ``text`` in any Unicode normalisation (it is NFC-normalised first);
    ``source_file`` is written to the plan's ``source_file``. Every element is
    marked ``draft = true`` with its clause (``source``) and sentence
    (``quote``); see the module docstring for what is recognised. Raises
    ValueError when the text gives nothing to date the plan by (no period,
    deadline, signing date or year).
    """
    return _Drafter(read_text(text), source_file).render()


class _Drafter:
    """One draft: the reading, then each kind of element in turn."""

    def __init__(self, pt: PlanText, source_file: str) -> None:
        self.pt = pt
        self.source_file = source_file
        self.header = read_header(pt)
        self.province = self.header.province_name
        self.province_id = _slug(self.province) if self.province != "TODO" else "todo"
        self.phrases = find_deadlines(pt)
        self.start, self.end, self.period_note = self._period()
        self.single_year = self.start.year == self.end.year
        self.skipped: list[str] = []
        self.heading_agencies: dict[str, list[str]] = {}
        self.roles: dict[str, list[AgencyMention]] = {}
        self.agencies = self._agencies()
        self.units = self._units()
        self.projects = self._projects()
        self.measures: list[_Element] = []
        self.consumed: set[tuple[str, int, int]] = set()  # deadlines given to targets
        self.targets = self._targets()
        self.tasks = self._tasks()
        used = {a for e in (*self.tasks, *self.projects) for key in ("agencies", "coordinators", "lead")
                for a in _as_list(e.get(key))}
        if _PLACEHOLDER_AGENCY in used:
            self.agencies.append(_Element("agencies", (
                ("id", _PLACEHOLDER_AGENCY), ("name", "TODO: cơ quan thực hiện (câu trích không nêu)"),
                ("name_en", "TODO: the sentence names no agency"), ("level", "province"), ("source", "preamble"),
                ("quote", "—"), ("draft", True),
                ("note", "A placeholder for tasks and projects whose sentence and clause name no agency."))))

    # -- the period ------------------------------------------------------------------

    def _period(self) -> tuple[date, date, str | None]:
        if self.header.period is not None:
            start, end = self.header.period
            return start, end, f"The period is taken from {self.header.period_from}."
        probe = date(2000, 1, 1), date(2000, 12, 31)
        firsts = [d[0].due for p in self.phrases if (d := _dues(p.written, *probe)) and d[0].year is None]
        if firsts:
            return (date(min(firsts).year, 1, 1), date(max(firsts).year, 12, 31),
                    "The text states no period; it is taken as the years of the deadlines found.")
        if self.header.signed is not None:
            y = self.header.signed.year
            return (date(y, 1, 1), date(y, 12, 31),
                    "The text states no period or deadline; it is taken as the year of signing.")
        years = [int(y) for y in re.findall(r"năm (\d{4})", self.pt.text)]
        if not years:
            raise ValueError("the text gives no period, deadline, signing date or year to date the plan by")
        return (date(max(years), 1, 1), date(max(years), 12, 31),
                "The text states no period; it is taken as the last year it names.")

    # -- agencies and who does what ----------------------------------------------------

    def _agencies(self) -> list[_Element]:
        out: dict[str, _Element] = {}
        for a in find_agencies(self.pt):
            out.setdefault(a.id, _Element("agencies", (
                ("id", a.id), ("name", a.name), ("name_en", a.name_en), ("level", a.level),
                ("source", a.clause), ("quote", a.sentence), ("draft", True))))
            self.roles.setdefault(a.sentence, []).append(a)
            if a.role == "heading" and a.id not in self.heading_agencies.setdefault(a.clause, []):
                self.heading_agencies[a.clause].append(a.id)
        return list(out.values())

    def _doers(self, clause: str, sentence: str) -> tuple[list[str], list[str]]:
        """(leads, coordinators): the sentence's leads, else its clause's (or a parent clause's) heading."""
        roles = self.roles.get(sentence, [])
        leads = list(dict.fromkeys(a.id for a in roles if a.role == "lead"))
        if not leads:
            leads = next((self.heading_agencies[c] for c in _parents(clause) if c in self.heading_agencies), [])
        coords = list(dict.fromkeys(a.id for a in roles if a.role == "coordinator" and a.id not in leads))
        return leads or [_PLACEHOLDER_AGENCY], coords

    # -- units ----------------------------------------------------------------------------

    def _units(self) -> list[_Element]:
        pid = self.province_id
        mentions = find_units(self.pt)
        named = next((u for u in mentions if u.keyword == "tỉnh" and u.name == self.province), None)
        clause, quote = (named.clause, named.segment) if named else (
            "preamble", next((s.text for s in self.pt.sentences if self.province in s.text), "—"))
        out = [_Element("units", (
            ("id", pid), ("name", f"Tỉnh {self.province}"), ("name_en", _unit_en("tỉnh", self.province)),
            ("level", "province"), ("source", clause), ("quote", quote), ("draft", True)))]
        ids = {pid}

        def new_id(uid: str) -> str:
            while uid in ids:
                uid += "_"
            ids.add(uid)
            return uid

        districts: dict[tuple[str, str], str] = {}
        for u in mentions:  # districts first, so that communes can name them as parents
            if u.level == "district" and (u.keyword, u.name) not in districts:
                uid = districts[(u.keyword, u.name)] = new_id(_unit_id(u.keyword, u.name))
                out.append(_Element("units", (
                    ("id", uid), ("name", f"{u.keyword.capitalize()} {u.name}"),
                    ("name_en", _unit_en(u.keyword, u.name)), ("level", "district"), ("parent", pid),
                    ("source", u.clause), ("quote", u.segment), ("draft", True))))
        communes: set[tuple[str, str | None]] = set()
        for u in mentions:
            if u.level != "commune":
                continue
            parent = districts.get((u.parent_keyword or "", u.parent_name or ""))
            if (u.name, parent) in communes:
                continue
            communes.add((u.name, parent))
            uid = new_id(f"{parent}.{_slug(u.name)}" if parent else _slug(u.name))
            out.append(_Element("units", (
                ("id", uid), ("name", f"{u.keyword.capitalize()} {u.name}"),
                ("name_en", _unit_en(u.keyword, u.name)), ("level", "commune"), ("parent", parent or pid),
                ("source", u.clause), ("quote", u.segment), ("draft", True))))
        return out

    # -- projects ---------------------------------------------------------------------------

    def _projects(self) -> list[_Element]:
        out: list[_Element] = []
        seen: set[str] = set()
        last_parent: str | None = None
        for pm in find_projects(self.pt):
            if pm.name.casefold() in seen:
                continue
            seen.add(pm.name.casefold())
            leads, coords = self._doers(pm.clause, pm.sentence)
            pid = f"{'tieu_du_an' if pm.sub else 'du_an'}_{len(out) + 1:02d}"
            fields: list[tuple[str, object]] = [("id", pid), ("name", pm.name), ("name_en", _TODO_EN),
                                                ("lead", leads[0])]
            if coords or leads[1:]:
                fields.append(("coordinators", [*leads[1:], *coords]))
            if pm.sub and last_parent:
                fields.append(("parent", last_parent))
            fields += [("source", pm.clause), ("quote", pm.sentence), ("draft", True)]
            if pm.number:
                fields.append(("note", f"{'Tiểu dự án' if pm.sub else 'Dự án'} {pm.number} in the text."))
            out.append(_Element("projects", tuple(fields)))
            if not pm.sub:
                last_parent = pid
        return out

    # -- targets, with a draft measure each ---------------------------------------------------

    def _measure(self, mid: str, name: str, unit: str, s: Sentence) -> None:
        self.measures.append(_Element("measures", (
            ("id", mid), ("name", name), ("name_en", _TODO_EN), ("unit", unit), ("level", "province"),
            ("period_type", "yearly"), ("source", s.clause), ("quote", s.text), ("draft", True))))

    def _targets(self) -> list[_Element]:
        out: list[_Element] = []
        by_sentence: dict[str, list[DeadlinePhrase]] = {}
        for p in self.phrases:
            by_sentence.setdefault(p.sentence, []).append(p)
        for s in self.pt.sentences:
            if _is_legal_basis(s):
                continue
            segments = _segments(s.text)
            for g in _targets_in(s.text):
                tid = f"t{len(out) + 1:02d}_{g.token}"
                what = _clean_name(segments[g.segment][1])
                fields: list[tuple[str, object]] = [("id", tid), ("name", what), ("name_en", _TODO_EN),
                                                    ("kind", g.kind)]
                if g.kind == "ratio":
                    self._measure(f"m_{tid}_num", f"TODO: số đạt — {what}", "count", s)
                    self._measure(f"m_{tid}_den", f"TODO: tổng số — {what}", "count", s)
                    fields += [("numerator", f"m_{tid}_num"), ("denominator", f"m_{tid}_den")]
                else:
                    self._measure(f"m_{tid}", f"TODO: chỉ số — {what}", g.unit, s)
                    fields.append(("measure", f"m_{tid}"))
                fields += [("comparator", g.comparator), ("threshold", g.threshold)]
                if g.of is not None:
                    fields.append(("of", g.of))
                leads, _ = self._doers(s.clause, s.text)
                if leads[0] != _PLACEHOLDER_AGENCY:
                    fields.append(("agency", leads[0]))
                comments: tuple[tuple[str, str], ...] = ()
                deadline = next((p for p in by_sentence.get(s.text, []) if p.segment == g.segment), None)
                dues = _dues(deadline.written, self.start, self.end) if deadline else None
                if deadline and dues and all(self.start <= d.due <= self.end for d in dues):
                    self.consumed.add((s.text, deadline.segment, deadline.start))
                    fields += [("period", str(dues[0].due.year)), ("deadline", deadline.written)]
                    comments = (("deadline", f"due {dues[0].due.isoformat()}"),)
                elif self.single_year:
                    fields.append(("period", str(self.start.year)))
                else:
                    fields.append(("recurrence", "annual"))
                fields += [("source", s.clause), ("quote", s.text), ("draft", True)]
                if g.note:
                    fields.append(("note", g.note))
                out.append(_Element("targets", tuple(fields), comments))
        return out

    # -- tasks: the deadline phrases no target took ---------------------------------------------

    def _tasks(self) -> list[_Element]:
        out: list[_Element] = []
        for p in self.phrases:
            if (p.sentence, p.segment, p.start) in self.consumed:
                continue
            dues = _dues(p.written, self.start, self.end)
            if dues is None:
                self.skipped.append(f"{p.clause}: '{p.written}' (not understood by core's parse_deadline)")
                continue
            if not all(self.start <= d.due <= self.end for d in dues):
                self.skipped.append(
                    f"{p.clause}: '{p.written}' (due {dues[0].due.isoformat()}, outside the plan period)")
                continue
            leads, coords = self._doers(p.clause, p.sentence)
            name = _clean_name(_segments(p.sentence)[p.segment][1])
            fields: list[tuple[str, object]] = [("id", f"task_{len(out) + 1:02d}"), ("name", name),
                                                ("name_en", _TODO_EN), ("agencies", leads)]
            if coords:
                fields.append(("coordinators", coords))
            fields += [("deadline", p.written), ("source", p.clause), ("quote", p.sentence), ("draft", True)]
            if "Báo cáo" in name:
                fields.append(("note", "A report: consider encoding it as an obligation (with a schedule)."))
            due_text = ", ".join(d.due.isoformat() for d in dues)
            comment = f"due {due_text}" if len(dues) == 1 else f"due every year: {due_text}"
            out.append(_Element("tasks", tuple(fields), (("deadline", comment),)))
        return out

    # -- the file ------------------------------------------------------------------------------

    def _plan_fields(self) -> list[tuple[str, object]]:
        h = self.header
        plan_id = f"{self.province_id}-{self.start.year}" + ("" if self.single_year else f"-{self.end.year}")
        fields: list[tuple[str, object]] = [
            ("id", plan_id + "-draft"), ("province", self.province_id), ("province_name", self.province),
            ("title", h.title), ("title_en", "TODO: English title"),
            ("issuer", f"Ủy ban nhân dân tỉnh {self.province}"),
        ]
        optional: list[tuple[str, object]] = [("document", h.document), ("signed", h.signed),
                                              ("signer", h.signer), ("parent_programme", h.parent_programme)]
        fields += [(k, v) for k, v in optional if v is not None]
        fields += [("period", {"start": self.start, "end": self.end}), ("source_file", self.source_file),
                   ("source", "preamble"), ("language", "vi")]
        if self.period_note:
            fields.append(("assumed", self.period_note))
        fields.append(("note", "Drafted by `plancheck plan draft` from the text; every element is marked "
                               "draft = true until a person has checked it against its quote."))
        return fields

    def render(self) -> str:
        lines = [
            f"# Draft plan written by `plancheck plan draft` from {self.source_file}.",
            "# Check every element against its quote, give it an English name, then remove",
            "# `draft = true`. `plancheck plugin check` lists the elements still in draft.",
            "#",
            "# Sections found in the text (clause: heading):",
        ]
        for sec in self.pt.sections:
            heading = sec.heading if len(sec.heading) <= 90 else sec.heading[:87] + "..."
            shown = sec.clause if heading in ("", sec.clause) else f"{sec.clause}: {heading}"
            lines.append(f"#   {'  ' * (sec.depth - 1)}{shown}")
        if self.skipped:
            lines += ["#", "# Deadline phrases not drafted:", *(f"#   {s}" for s in self.skipped)]
        lines.append("")
        lines += [f"{key} = {_toml(value)}" for key, value in self._plan_fields()]
        groups = (("Agencies", self.agencies), ("Units", self.units), ("Measures", self.measures),
                  ("Projects", self.projects), ("Targets", self.targets), ("Tasks", self.tasks))
        for title, items in groups:
            if not items:
                continue
            lines += ["", f"# -- {title} " + "-" * (74 - len(title))]
            for e in items:
                lines += ["", f"[[{e.table}]]"]
                notes = dict(e.comments)
                for key, value in e.fields:
                    line = f"{key} = {_toml(value)}"
                    lines.append(f"{line}  # {notes[key]}" if key in notes else line)
        return "\n".join(lines) + "\n"


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]  # type: ignore[attr-defined]


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        out = []
        for c in value:
            if c == "\\":
                out.append("\\\\")
            elif c == '"':
                out.append('\\"')
            elif c == "\n":
                out.append("\\n")
            elif c == "\t":
                out.append("\\t")
            elif ord(c) < 0x20 or ord(c) == 0x7F:
                out.append(f"\\u{ord(c):04x}")
            else:
                out.append(c)
        return '"' + "".join(out) + '"'
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
