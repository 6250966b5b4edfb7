"""The plan, in the domain's words.

Every class is frozen: a plan is read once from its TOML file and never
changed. Every element carries ``source``, the clause of the plan it comes
from ("III.1.2", "V.2"), and ``assumed`` where the plan leaves something
implicit and we had to choose (the rule we used, in a sentence).

Where the text is unclear or probably mistaken, an element carries a
:class:`Reading` (the words, the reading chosen, why); where the plan states
no indicator and one stands in for it, ``proxy`` says why; where the clause
does not name the body that answers for an element, ``agency_assumed`` says
whom we chose and why (see docs/plugins.md, "What the plan does not say").
Every finding computed from such an element shows it.

The TOML format is these classes, key for key; see docs/plugins.md.
``draft = true`` marks an element written by ``plancheck plan draft`` that no
person has confirmed yet (``quote`` holds the sentence it came from);
``plancheck plugin check`` reports every element still marked draft.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Literal

import attrs

Level = Literal["province", "district", "commune"]
AgencyLevel = Literal["central", "province", "district", "commune"]
Comparator = Literal[">=", ">", "<=", "<", "=="]
TargetKind = Literal["value", "ratio", "growth", "change", "class_count", "in_class"]
Scope = Literal["province", "each_district", "each_commune", "units"]
Recurrence = Literal["once", "monthly", "quarterly", "semiannual", "annual"]
PeriodType = Literal["yearly", "semiannual", "quarterly", "monthly"]
Importance = Literal["high", "medium", "low"]

frozen = attrs.frozen(kw_only=True)


@frozen
class Reading:
    """How an unclear or probably mistaken passage of the text is read.

    ``quote``: the words as the text writes them; ``chosen``: the reading the
    encoding follows; ``why``: the reason. Every finding computed from the
    element shows the reading with ``doubt``. An element with a reading (or
    computed from one) may be of high importance only once ``confirmed_by``
    names who confirmed the reading (a reviewer with the original, or the
    issuer), with ``confirmed_on``.
    """

    quote: str
    chosen: str
    why: str
    confirmed_by: str | None = None
    confirmed_on: date | None = None


@frozen
class PlanPeriod:
    start: date
    end: date


@frozen
class Agency:
    """A body the plan assigns work to, named as the plan names it.

    ``aliases``: the other ways the text writes it ("UBND huyện", "lực
    lượng Công an"), so the fidelity cross-check can find it in a clause.
    """

    id: str
    name: str
    name_en: str
    level: AgencyLevel
    source: str
    aliases: tuple[str, ...] = ()
    quote: str | None = None
    draft: bool = False
    assumed: str | None = None
    note: str | None = None


@frozen
class Unit:
    """An administrative unit (province, district, commune) the plan names.

    ``valid_from``/``valid_to`` bound the unit's existence (the 2025
    reorganisation merged provinces and abolished districts): a unit is not
    expected to report for a period in which it did not exist.
    """

    id: str
    name: str
    name_en: str
    level: Level
    source: str
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    quote: str | None = None
    draft: bool = False
    assumed: str | None = None
    note: str | None = None

    def exists_during(self, start: date, end: date) -> bool:
        """Whether the unit existed at any time in start..end (units are merged and split)."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or self.valid_to >= start)


@frozen
class Measure:
    """Something reported as a number, per unit and period (an indicator).

    ``derived`` measures are computed by a plugin's ``derive_values`` hook and
    never appear on a reporting form; ``inputs`` names the measures they are
    computed from, so the form asks for those instead. ``proxy``: the plan
    states no indicator for what this measure stands in for (the reason).
    """

    id: str
    name: str
    name_en: str
    unit: str
    level: Level
    period_type: PeriodType
    source: str
    derived: bool = False
    inputs: tuple[str, ...] = ()
    quote: str | None = None
    draft: bool = False
    assumed: str | None = None
    reading: Reading | None = None
    proxy: str | None = None
    note: str | None = None


@frozen
class Project:
    """A project or sub-project (dự án, tiểu dự án) and who runs it."""

    id: str
    name: str
    name_en: str
    lead: str
    source: str
    coordinators: tuple[str, ...] = ()
    parent: str | None = None
    quote: str | None = None
    draft: bool = False
    assumed: str | None = None
    agency_assumed: str | None = None
    note: str | None = None


@frozen
class Condition:
    """One test in a classification rule, or a group of them.

    Exactly one of: ``measure`` (value of a measure compared with ``value``),
    ``ratio`` ([numerator, denominator], as a percentage compared with
    ``value``), ``all`` (every sub-condition holds) or ``any`` (at least one).
    """

    measure: str | None = None
    ratio: tuple[str, str] | None = None
    op: Comparator | None = None
    value: float | None = None
    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    source: str | None = None


@frozen
class Rule:
    """A classification of units (e.g. "drug-free commune") by conditions on measures."""

    id: str
    name: str
    name_en: str
    level: Level
    when: Condition
    source: str
    quote: str | None = None
    draft: bool = False
    assumed: str | None = None
    reading: Reading | None = None
    note: str | None = None


@frozen
class Target:
    """A target (chỉ tiêu).

    kinds:
      * ``value``: ``measure`` compared with ``threshold`` (zero tolerance is ``<= 0``);
      * ``ratio``: ``numerator``/``denominator`` in percent against ``threshold``;
      * ``growth``: percent change of ``measure`` against the previous period;
      * ``change``: absolute change against the previous period
        (``> 0`` increase, ``< 0`` decrease);
      * ``class_count``: number of units where ``rule`` holds, against ``threshold``
        (``of`` is the total the plan states, "53 of 161");
      * ``in_class``: each unit in scope must satisfy ``rule``.

    ``national`` names the indicator of the national programme (see
    ``adopts``) that this target implements, e.g. ``"services_reached"``; the
    target's own comparator and threshold may be tighter or looser.

    Scope: ``province`` (the plan's province unit), ``each_district``,
    ``each_commune`` or ``units`` (the listed ``units``); ``within`` limits a
    ``class_count`` to the units under one parent unit.

    ``baseline``: the period a ``growth`` or ``change`` target is compared
    with when the plan names one ("so với năm 2023" is ``"2023"``); without
    it, each period is compared with the one before ("so với năm trước").

    ``agency``: the body the plan holds to the target. Where no clause names
    one, ``agency`` is left out (nobody is blamed: findings say the plan
    names no accountable body); where the body is inferred, not named in the
    target's clause, ``agency_assumed`` says why (citing the clause that
    names it, if any). ``proxy``: the plan states no indicator and this
    target stands in for it (the reason); its findings never fail a run
    (``Report.fail_on_proxy`` is off), whatever ``--fail-on`` says.
    """

    id: str
    name: str
    name_en: str
    kind: TargetKind
    source: str
    measure: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    rule: str | None = None
    comparator: Comparator | None = None
    threshold: float | None = None
    of: int | None = None
    scope: Scope = "province"
    units: tuple[str, ...] = ()
    within: str | None = None
    period: str | None = None
    recurrence: Recurrence | None = None
    deadline: str | None = None
    baseline: str | None = None
    agency: str | None = None
    agency_assumed: str | None = None
    importance: Importance | None = None
    national: str | None = None
    quote: str | None = None
    draft: bool = False
    assumed: str | None = None
    reading: Reading | None = None
    proxy: str | None = None
    note: str | None = None


@frozen
class Task:
    """A piece of work with (usually) a deadline; each agency is judged on its own.

    ``recurrence``: ``once`` (the default), or a duty the plan repeats
    ("hằng năm" is ``annual``; "định kỳ 06 tháng" is ``semiannual``), judged
    once per period of the plan like an obligation: due on the date
    ``deadline`` gives for that period ("trước 31/12 hằng năm"), else on the
    period's last day. ``continuous = true`` marks a standing duty
    ("thường xuyên"): it is never done once and for all, so each period of
    ``recurrence`` the agency reports the day it last gave evidence of it.
    """

    id: str
    name: str
    name_en: str
    agencies: tuple[str, ...]
    source: str
    deliverable: str | None = None
    coordinators: tuple[str, ...] = ()
    deadline: str | None = None
    due: date | None = None
    recurrence: Recurrence = "once"
    continuous: bool = False
    importance: Importance | None = None
    quote: str | None = None
    draft: bool = False
    assumed: str | None = None
    agency_assumed: str | None = None
    reading: Reading | None = None
    note: str | None = None


@frozen
class ScheduleEntry:
    """One due date of an obligation, as the plan writes it."""

    period: str
    deadline: str
    name: str | None = None
    source: str | None = None


@frozen
class Obligation:
    """A reporting obligation (chế độ báo cáo): who reports, to whom, when.

    Due dates come from exactly one of: ``schedule`` (period by period, as
    the plan lists them), ``deadline`` with ``recurrence`` (e.g. "trước 31/12
    hằng năm"), or ``calendar`` with ``recurrence`` (a national reporting
    calendar, for plans that say "theo quy định"; such dates are assumed).
    With ``per_unit`` set, one submission is expected from every unit of that
    level, not one per agency.
    """

    id: str
    name: str
    name_en: str
    agencies: tuple[str, ...]
    recipient: tuple[str, ...]
    source: str
    recurrence: Recurrence = "once"
    schedule: tuple[ScheduleEntry, ...] = ()
    deadline: str | None = None
    calendar: str | None = None
    per_unit: Level | None = None
    importance: Importance | None = None
    quote: str | None = None
    draft: bool = False
    assumed: str | None = None
    agency_assumed: str | None = None
    reading: Reading | None = None
    note: str | None = None


@frozen
class Check:
    """A data-consistency rule (DHIS2's validation rule), per unit and period.

    Either ``left`` ``op`` ``right`` (two measures) or ``left`` ``op``
    ``value``; or ``exclusive``: rules a unit cannot satisfy together in one
    period. ``missing``: ``skip`` (a check with a missing value is not made)
    or ``fail`` (a missing value is a violation).
    """

    id: str
    name: str
    name_en: str
    source: str
    left: str | None = None
    op: Comparator | None = None
    right: str | None = None
    value: float | None = None
    exclusive: tuple[str, ...] = ()
    missing: Literal["skip", "fail"] = "skip"
    importance: Importance | None = None
    note: str | None = None


@frozen
class ImportanceDefaults:
    """A plugin's default importance per kind of item (each item may override it)."""

    target: Importance = "high"
    task: Importance = "medium"
    obligation: Importance = "medium"
    consistency: Importance = "medium"


@frozen
class IndicatorMapping:
    """A target of the plan that matches an indicator of a programme the plan did not build on."""

    target: str
    indicator: str
    note: str | None = None


@frozen
class Adoption:
    """Which national programme a plan builds on, as InSpec profiles include others.

    ``include``: indicators the plan adopts without restating them (they
    become targets of the plan, with the national threshold); ``skip``:
    indicators the plan deliberately leaves out. Targets that restate an
    indicator say so with their own ``national`` field.

    In ``[[adoptions]]`` (programmes other than the one in ``adopts``, e.g. a
    later one the plan's targets already serve), ``maps`` names which target
    matches which indicator.
    """

    programme: str
    include: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    maps: tuple[IndicatorMapping, ...] = ()
    source: str | None = None
    note: str | None = None


@frozen
class Plan:
    """One provincial plan, as its plugin encodes it."""

    id: str
    province: str
    province_name: str
    title: str
    title_en: str
    issuer: str
    period: PlanPeriod
    source_file: str
    source: str
    document: str | None = None
    signed: date | None = None
    signer: str | None = None
    parent_programme: str | None = None
    language: str = "vi"
    source_kind: Literal["plan", "press_summary"] = "plan"
    incomplete: str | None = None
    assumed: str | None = None
    note: str | None = None
    adopts: Adoption | None = None
    adoptions: tuple[Adoption, ...] = ()
    importance: ImportanceDefaults = ImportanceDefaults()
    agencies: tuple[Agency, ...] = ()
    units: tuple[Unit, ...] = ()
    measures: tuple[Measure, ...] = ()
    projects: tuple[Project, ...] = ()
    rules: tuple[Rule, ...] = ()
    targets: tuple[Target, ...] = ()
    tasks: tuple[Task, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    checks: tuple[Check, ...] = ()

    @property
    def name(self) -> str:
        return self.title

    def province_unit(self) -> Unit | None:
        """The unit of level ``province`` this plan covers, if it defines one."""
        return next((u for u in self.units if u.level == "province"), None)


Direction = Literal["higher", "lower"]


@frozen
class Indicator:
    """A target of a national programme, on the measures the programme defines.

    ``by``: the day the national threshold is to be reached (unset: every
    year); ``roadmap``: each province registers its own figure year by year
    towards it, so a province is judged on its own yearly figure.
    """

    code: str
    name: str
    name_en: str
    unit: str
    direction: Direction
    kind: TargetKind
    comparator: Comparator
    threshold: float
    source: str
    measure: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    by: date | None = None
    roadmap: bool = False
    confirmed: bool = False
    note: str | None = None


@frozen
class Programme:
    """A national programme template: its indicators, which provincial plans build on."""

    id: str
    name: str
    name_en: str
    document: str
    period: PlanPeriod
    source: str
    measures: tuple[Measure, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    note: str | None = None


ObservationKind = Literal["measure", "task", "obligation"]


@frozen
class Observation:
    """One reported datum: a measure's value, or the day a task was done or a report sent.

    ``agency`` is empty for measures (a value is about a unit, whoever sends
    it); ``unit`` is empty for tasks and obligations that are not per unit.
    """

    province: str
    plan: str
    item: str
    kind: ObservationKind
    period: str
    agency: str = ""
    unit: str = ""
    value: float | None = None
    date: date | None = None
    source_file: str = ""
    row: int | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        """What identifies the datum: a second row with the same key is a correction."""
        return (self.province, self.plan, self.item, self.agency, self.unit, self.period)

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any]]) -> list[Observation]:
        """Observations from rows of (province, plan, item, kind, period, agency, unit, value, date,
        source_file, row), as a database read gives them: the same objects as the constructor's.

        Performance (issue 20): a province's run reads tens of thousands of rows, and the keyword
        constructor took half as long again as reading them. The fields are set through their slots
        directly, which is all the constructor does: Observation has no validator or converter
        (checked here, falling back to the constructor should one be added).
        """
        if not _PLAIN_OBSERVATION:
            return _constructed(rows)
        new = object.__new__
        pr_, pl_, it_, ki_, pe_, ag_, un_, va_, da_, sf_, sr_ = _OBSERVATION_SLOTS
        out: list[Observation] = []
        append = out.append
        for pr, pl, it, ki, pe, ag, un, va, da, sf, sr in rows:
            o = new(cls)
            pr_(o, pr)
            pl_(o, pl)
            it_(o, it)
            ki_(o, ki)
            pe_(o, pe)
            ag_(o, ag)
            un_(o, un)
            va_(o, va)
            da_(o, da)
            sf_(o, sf)
            sr_(o, sr)
            append(o)
        return out


def _constructed(rows: Iterable[Sequence[Any]]) -> list[Observation]:
    return [Observation(**dict(zip(_OBSERVATION_FIELDS, r, strict=True))) for r in rows]


_OBSERVATION_FIELDS = ("province", "plan", "item", "kind", "period", "agency", "unit", "value", "date",
                       "source_file", "row")
#: Whether Observation's constructor only sets its fields (no validator, converter or hook), in this order.
_PLAIN_OBSERVATION = (
    tuple(a.name for a in Observation.__attrs_attrs__) == _OBSERVATION_FIELDS  # type: ignore[attr-defined]
    and all(a.validator is None and a.converter is None and a.on_setattr is None
            for a in Observation.__attrs_attrs__)  # type: ignore[attr-defined]
    and "__attrs_post_init__" not in Observation.__dict__ and "__attrs_pre_init__" not in Observation.__dict__)
_OBSERVATION_SLOTS = tuple(getattr(Observation, n).__set__ for n in _OBSERVATION_FIELDS)
