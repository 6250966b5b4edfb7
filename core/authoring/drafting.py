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

This module owns the header ("what the text says about itself":
:func:`read_header`), the draft assembled from the readings (ids, who does
what, a measure per target, periods and due dates) and the TOML written out.
The readings it builds on live beside it: the text into clauses and sentences
in :mod:`plancheck.authoring.clauses`; dates, numbers, units, deadlines,
projects and targets in :mod:`plancheck.authoring.mentions`; agencies in
:mod:`plancheck.authoring.agencies`. The public reading functions are also
importable from here (see ``__all__``, and docs/drafting.md);
:mod:`plancheck.authoring.fidelity` uses the same reading to cross-check a
plan against its text. Rule-based throughout; no model, no network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import attrs

from plancheck.authoring.agencies import AgencyMention, find_agencies
from plancheck.authoring.clauses import (
    CAPWORD,
    PlanText,
    Sentence,
    is_inside,
    is_legal_basis,
    quoted_spans,
    read_text,
    segments_of,
    slug,
    to_ascii,
)
from plancheck.authoring.mentions import (
    LONG_DATE_RE,
    DeadlinePhrase,
    find_counts,
    find_dates,
    find_deadlines,
    find_numbers,
    find_percentages,
    find_projects,
    find_units,
    targets_in,
)
from plancheck.plans.calendar import Due, parse_deadline

__all__ = [
    "Header",
    "PlanText",
    "draft_plan",
    "find_agencies",
    "find_counts",
    "find_dates",
    "find_deadlines",
    "find_numbers",
    "find_percentages",
    "find_projects",
    "find_units",
    "read_header",
    "read_text",
]

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
        if m := LONG_DATE_RE.search(para):
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
        if m := re.match(rf"^Người ký\s+({CAPWORD}(?: {CAPWORD}){{1,4}})$", para):
            return m[1]
        if not re.match(r"^(?:TM\.|KT\.)", para):
            continue
        block = []
        j = i
        while j < len(paras) and paras[j].isupper() and len(paras[j]) < 60:
            block.append(paras[j])
            j += 1
        if j < len(paras) and re.fullmatch(rf"{CAPWORD}(?: {CAPWORD}){{1,4}}", paras[j]):
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
        if m := re.search(rf"trên địa bàn ({CAPWORD}(?: {CAPWORD})*)", para):
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
    quoted = quoted_spans(text)
    for i, c in enumerate(text):
        if c in stops and not is_inside(i, quoted):
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
    return f"{to_ascii(name)} {kind}"


def _unit_id(keyword: str, name: str) -> str:
    prefix = {"thành phố": "tp_", "thị xã": "tx_", "quận": "q_"}.get(keyword, "")
    return prefix + slug(name)


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
        self.province_id = slug(self.province) if self.province != "TODO" else "todo"
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
            uid = new_id(f"{parent}.{slug(u.name)}" if parent else slug(u.name))
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
            if is_legal_basis(s):
                continue
            segments = segments_of(s.text)
            for g in targets_in(s.text):
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
            name = _clean_name(segments_of(p.sentence)[p.segment][1])
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
