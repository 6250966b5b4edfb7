"""What every published format shows, worked out once: rows, counts and chart data.

Nothing here decides anything: the verdicts are the :class:`Finding`s. This
module puts each finding in a reader's words (the plan's names for items,
agencies and units, localized statuses, reasons, dates and numbers), orders
them (not met first), and counts them the ways the charts and summaries need.
The formats (``html_report``, ``xlsx_report``, ``docx_report``) lay this out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import attrs

from plancheck.judge.verdicts import STATUSES, Finding, Report
from plancheck.plans.model import Plan, Target
from plancheck.publish.labels import Locale

#: Order in which findings are listed: what needs action first.
STATUS_ORDER = ("not_met", "no_data", "pending", "met")
#: The kinds of finding, in the order reports show them (others follow, as found).
KINDS = ("target", "task", "obligation")
#: Reporting timeliness of obligations, in the order charts stack them.
TIMELINESS = ("on_time", "late", "missing", "pending")
#: Target kinds whose findings carry a number that can stand beside the threshold.
NUMERIC_TARGETS = ("value", "ratio", "growth", "change", "class_count")


@attrs.frozen
class Names:
    """The plan's own names for items, agencies and units, looked up by id (per plan)."""

    plans: dict[str, Plan]
    #: Each plan's elements by id, per collection, made when first asked (issue 20: a report looks up a
    #: unit, an agency and an item for each of 16,000 findings, and a search along a plan's 160 units
    #: each time was a third of the terminal report's time).
    _index: dict[tuple[str, str], dict[str, object]] = attrs.field(factory=dict, init=False, eq=False,
                                                                    repr=False)

    @classmethod
    def of(cls, plans: Sequence[Plan]) -> Names:
        return cls({p.id: p for p in plans})

    def _find(self, plan_id: str, coll: str, id_: str) -> object | None:
        found = self._index.get((plan_id, coll))
        if found is None:
            plan = self.plans.get(plan_id)
            if plan is None:
                return None
            found = self._index[(plan_id, coll)] = {}
            for x in getattr(plan, coll):
                found.setdefault(x.id, x)  # the first with an id, as a search along them finds it
        return found.get(id_)

    def target(self, f: Finding) -> Target | None:
        found = self._find(f.plan, "targets", f.item) if f.kind == "target" else None
        return found if isinstance(found, Target) else None

    def item(self, f: Finding, loc: Locale) -> str:
        """The item's name: as the plan writes it (vi), or the plan's English name (en)."""
        if loc.lang == "vi":
            return f.name
        coll = {"target": "targets", "task": "tasks", "obligation": "obligations",
                "consistency": "checks"}.get(f.kind)
        found = self._find(f.plan, coll, f.item) if coll else None
        return getattr(found, "name_en", None) or f.name

    def agency(self, plan_id: str, agency_id: str, loc: Locale) -> str:
        if not agency_id:
            return ""
        a = self._find(plan_id, "agencies", agency_id)
        if a is None:
            return agency_id
        return str(getattr(a, "name_en" if loc.lang == "en" else "name"))

    def unit(self, plan_id: str, unit_id: str, loc: Locale) -> str:
        """The unit's name; a commune's name is followed by its district's, to tell namesakes apart."""
        if not unit_id:
            return ""
        u = self._find(plan_id, "units", unit_id)
        if u is None:
            return unit_id
        attr = "name_en" if loc.lang == "en" else "name"
        name = str(getattr(u, attr))
        parent = self._find(plan_id, "units", getattr(u, "parent", None) or "")
        if getattr(u, "level", "") == "commune" and parent is not None:
            name = f"{name} ({getattr(parent, attr)})"
        return name

    def rule(self, plan_id: str, rule_id: str, loc: Locale) -> str:
        r = self._find(plan_id, "rules", rule_id)
        if r is None:
            return rule_id
        return str(getattr(r, "name_en" if loc.lang == "en" else "name"))


@attrs.frozen(kw_only=True)
class Row:
    """One finding in a reader's words, with the typed values a spreadsheet wants."""

    finding: Finding
    status: str
    kind: str
    name: str
    name_original: str | None
    agency: str
    unit: str
    period: str
    due: date | None
    due_text: str
    expected: str
    actual: float | date | str | None
    actual_text: str
    reason: str
    source: str
    assumed: str
    reading: str = ""
    proxy: str = ""
    doubt: str = ""

    def marks(self, loc: Locale) -> list[tuple[str, str, str]]:
        """What the verdict rests on besides the data, as (key, label, text), for every report format."""
        return [(key, mark_label(loc, key), text) for key, text in
                (("reading", self.reading), ("proxy", self.proxy), ("assumed", self.assumed),
                 ("doubt", self.doubt)) if text]


def mark_label(loc: Locale, key: str) -> str:
    """The name of a mark (``reading``, ``proxy``, ``assumed``, ``doubt``) in the report's language
    (the labels ``mark.<key>`` of :mod:`plancheck.publish.labels`)."""
    return loc.t(f"mark.{key}")


def rows(report: Report, plans: Sequence[Plan], loc: Locale) -> list[Row]:
    """Every finding as a :class:`Row`, not met first (stable: the report's order within a status)."""
    names = Names.of(plans)
    return [_row(f, names, loc) for f in ordered(report.findings)]


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    return sorted(findings, key=lambda f: rank.get(f.status, len(rank)))


def kinds_of(report: Report) -> list[str]:
    """The three kinds of finding, then any other kind the report has."""
    extra = sorted({f.kind for f in report.findings} - set(KINDS))
    return [*KINDS, *extra]


def label_or(loc: Locale, key: str, fallback: str) -> str:
    """A label, or ``fallback`` for a value core knows and this module does not yet."""
    try:
        return loc.t(key)
    except KeyError:
        return fallback


def _row(f: Finding, names: Names, loc: Locale) -> Row:
    name = names.item(f, loc)
    return Row(
        finding=f,
        status=label_or(loc, f"status.{f.status}", f.status),
        kind=label_or(loc, f"kind.{f.kind}", f.kind),
        name=name,
        name_original=f.name if name != f.name else None,
        agency=names.agency(f.plan, f.agency, loc),
        unit=names.unit(f.plan, f.unit, loc),
        period=loc.period(f.period),
        due=f.due,
        due_text=loc.day(f.due),
        expected=expected_text(f, names, loc),
        actual=actual_value(f),
        actual_text=actual_text(f, names, loc),
        reason=reason_text(f, loc),
        source=f.source,
        assumed=f.assumed or "",
        reading=f.reading or "",
        proxy=f.proxy or "",
        doubt=f.doubt or "",
    )


def reason_text(f: Finding, loc: Locale) -> str:
    if not f.reason:
        text = ""
    elif f.reason in ("late", "missing"):
        key = "reason.missing_report" if f.reason == "missing" and f.kind == "obligation" else f"reason.{f.reason}"
        text = loc.t(key, days=f.days_late if f.days_late is not None else "?")
    else:
        text = label_or(loc, f"reason.{f.reason}", f.reason)
    if getattr(f, "waived", False):
        text = f"{text} ({loc.t('waived')})" if text else loc.t("waived")
    return text


def expected_text(f: Finding, names: Names, loc: Locale) -> str:
    """What the plan asks, from the plan's own target (core's ``expected`` is for scripts)."""
    if f.kind in ("task", "obligation"):
        return loc.t("expected.by", date=loc.day(f.due)) if f.due else loc.t("expected.no_deadline")
    t = names.target(f)
    if t is None:
        return f.expected
    cmp = loc.comparator(t.comparator or ">=")
    thr = t.threshold if t.threshold is not None else 0.0
    if t.kind == "in_class":
        return loc.t("expected.in_class", rule=names.rule(f.plan, t.rule or "", loc))
    if t.kind == "ratio":
        return f"{cmp} {loc.percent(thr)}"
    if t.kind in ("growth", "change"):
        from plancheck.plans.calendar import Period

        try:
            previous = loc.period(t.baseline or Period.parse(f.period).previous().id)
        except ValueError:
            previous = ""
        value = loc.percent(thr) if t.kind == "growth" else loc.number(thr)
        return loc.t(f"expected.{t.kind}", cmp=cmp, value=value, previous=previous)
    if t.kind == "class_count":
        count = loc.number(thr)
        text = f"{cmp} " + (loc.t("expected.of", count=count, of=t.of) if t.of else count)
        if t.of:
            text += f" ({loc.percent(round(thr / t.of * 100, 1))})"
        return f"{text} {names.rule(f.plan, t.rule or '', loc).lower()}"
    return f"{cmp} {loc.number(thr)}"


def actual_value(f: Finding) -> float | date | str | None:
    """The actual as a typed value: a number, a date (the day a task was done or a report sent), or text."""
    a = f.actual
    if a is None or isinstance(a, bool):
        return None if a is None else str(a)
    if isinstance(a, int | float):
        return a
    if f.kind in ("task", "obligation"):
        try:
            return date.fromisoformat(a)
        except ValueError:
            return a
    return a


def actual_text(f: Finding, names: Names, loc: Locale) -> str:
    v = actual_value(f)
    if v is None:
        return loc.t("actual.none")
    if isinstance(v, date):
        return loc.day(v)
    if isinstance(v, str):
        return {"in class": loc.t("actual.in_class"), "not in class": loc.t("actual.not_in_class")}.get(v, v)
    t = names.target(f)
    if t is not None and t.kind in ("ratio", "growth"):
        return loc.percent(v)
    return loc.number(v)


def is_numeric(f: Finding) -> bool:
    return isinstance(f.actual, int | float) and not isinstance(f.actual, bool)


# -- counts ---------------------------------------------------------------------

def status_by_kind(report: Report) -> dict[str, dict[str, int]]:
    """{kind: {status: count}}, every kind of :func:`kinds_of` and every status present."""
    out = {k: dict.fromkeys(STATUSES, 0) for k in kinds_of(report)}
    for f in report.findings:
        out[f.kind][f.status] = out[f.kind].get(f.status, 0) + 1
    return out


def timeliness(f: Finding) -> str | None:
    """on_time, late, missing or pending, for a reporting obligation; None otherwise."""
    if f.kind != "obligation":
        return None
    if f.status == "met":
        return "on_time"
    if f.status == "not_met":
        return "late" if f.reason == "late" else "missing"
    return "pending"


def timeliness_by_agency(report: Report) -> dict[tuple[str, str], dict[str, int]]:
    """{(plan, agency): {on_time, late, missing, pending}} over reporting obligations, in report order."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    for f in report.findings:
        state = timeliness(f)
        if state is None:
            continue
        counts = out.setdefault((f.plan, f.agency), dict.fromkeys(TIMELINESS, 0))
        counts[state] += 1
    return out


@attrs.frozen
class TargetSeries:
    """One numeric target in one period: its threshold and each unit's actual."""

    plan: str
    item: str
    period: str
    title: str
    expected: str
    threshold: float
    percent: bool
    units: tuple[str, ...]
    actuals: tuple[float, ...]
    statuses: tuple[str, ...]


def target_series(report: Report, plans: Sequence[Plan], loc: Locale) -> list[TargetSeries]:
    """Numeric targets with at least one actual, one series per target and period, in report order."""
    names = Names.of(plans)
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for f in report.findings:
        if f.kind != "target" or not is_numeric(f):
            continue
        t = names.target(f)
        if t is None or t.kind not in NUMERIC_TARGETS or t.threshold is None:
            continue
        groups.setdefault((f.plan, f.item, f.period), []).append(f)
    out = []
    for (plan, item, period), fs in groups.items():
        t = names.target(fs[0])
        assert t is not None and t.threshold is not None
        out.append(TargetSeries(
            plan=plan, item=item, period=period,
            title=f"{names.item(fs[0], loc)} — {loc.period(period)}",
            expected=expected_text(fs[0], names, loc),
            threshold=t.threshold, percent=t.kind in ("ratio", "growth"),
            units=tuple(names.unit(plan, f.unit, loc) or names.agency(plan, f.agency, loc) for f in fs),
            actuals=tuple(float(f.actual) for f in fs if isinstance(f.actual, int | float)),
            statuses=tuple(f.status for f in fs)))
    return out


# -- notices ----------------------------------------------------------------------

def notices(report: Report, plans: Sequence[Plan], loc: Locale) -> list[str]:
    """The report's notices in the reader's language; a notice core wrote and we do not know stays as is."""
    known: dict[str, str] = {}
    for p in plans:
        if p.incomplete:
            known[f"plan {p.id} is INCOMPLETE: {p.incomplete}"] = loc.t("notice.incomplete", plan=p.id,
                                                                          why=p.incomplete)
        if p.source_kind == "press_summary":
            known[f"plan {p.id} is encoded from a press summary, not the plan itself"] = loc.t(
                "notice.press_summary", plan=p.id)
    out = []
    for n in report.notices:
        if n in known:
            out.append(known[n])
        elif n.startswith("EXAMPLE DATA"):
            out.append(loc.t("notice.example"))
        else:
            out.append(n)
    return out


def plan_titles(plans: Sequence[Plan], loc: Locale) -> list[str]:
    return [p.title_en if loc.lang == "en" and p.title_en else p.title for p in plans]


def province_name(report: Report, plans: Sequence[Plan], loc: Locale) -> str:
    """The province as its plan names it; for ``en``, the English name of its province unit if it has one."""
    for p in plans:
        if p.province != report.province:
            continue
        unit = p.province_unit()
        if loc.lang == "en" and unit is not None:
            return unit.name_en
        return p.province_name
    return report.province


# -- per agency: the completeness scorecard ---------------------------------------------------

@attrs.frozen
class Late:
    """A report or task not done in time: who, what, for which period, how many days."""

    who: str
    name: str
    period: str
    days: int | None


@attrs.frozen
class AgencyCard:
    """One agency's reporting completeness, as DHIS2's reporting-rate report shows it.

    ``expected``: the reports (obligations) due by the as-of date; ``received``: those sent
    at all; ``on_time``: sent by their due date; ``late``: sent after it; ``missing``: not
    sent and overdue; ``pending``: not yet due. The rates are over ``expected`` (None when
    nothing is due). Tasks and targets of the agency are counted beside them.
    """

    agency: str
    name: str
    expected: int
    received: int
    on_time: int
    late: int
    missing: int
    pending: int
    received_rate: float | None
    on_time_rate: float | None
    tasks_due: int
    tasks_on_time: int
    tasks_late: int
    tasks_missing: int
    targets_met: int
    targets_not_met: int
    targets_no_data: int
    late_reports: tuple[Late, ...] = ()
    missing_reports: tuple[Late, ...] = ()


def scorecard(report: Report, plans: Sequence[Plan], loc: Locale) -> list[AgencyCard]:
    """Every agency that owes a report, a task or a target, by its name; the counts of
    :func:`plancheck.judge.rollups.rollups` (DHIS2's reporting metrics) in a reader's words."""
    from plancheck.judge.rollups import rollups

    names = Names.of(plans)
    plan_of = {f.agency: f.plan for f in report.findings if f.agency}
    pending: dict[str, int] = {}
    late: dict[str, list[Late]] = {}
    missing: dict[str, list[Late]] = {}
    for f in report.findings:
        if f.kind != "obligation" or not f.agency:
            continue
        state = timeliness(f)
        if state == "pending" or f.due is None or f.due > report.as_of:
            pending[f.agency] = pending.get(f.agency, 0) + 1
        elif state in ("late", "missing"):
            who = names.unit(f.plan, f.unit, loc) or names.agency(f.plan, f.agency, loc)
            (late if state == "late" else missing).setdefault(f.agency, []).append(
                Late(who, names.item(f, loc), loc.period(f.period), f.days_late))
    cards = []
    for r in rollups(report.findings, report.as_of)["agencies"]:
        agency = str(r["agency"])
        cards.append(AgencyCard(
            agency=agency, name=names.agency(plan_of.get(agency, ""), agency, loc),
            expected=_int(r["expected_reports"]), received=_int(r["received"]), on_time=_int(r["on_time"]),
            late=_int(r["late"]), missing=_int(r["missing"]), pending=pending.get(agency, 0),
            received_rate=_rate(r["received_rate"]), on_time_rate=_rate(r["on_time_rate"]),
            tasks_due=_int(r["tasks_due"]), tasks_on_time=_int(r["tasks_on_time"]),
            tasks_late=_int(r["tasks_late"]), tasks_missing=_int(r["tasks_missing"]),
            targets_met=_int(r["targets_met"]), targets_not_met=_int(r["targets_not_met"]),
            targets_no_data=_int(r["targets_no_data"]),
            late_reports=tuple(late.get(agency, ())), missing_reports=tuple(missing.get(agency, ()))))
    return sorted(cards, key=lambda c: c.name.lower())


def _int(x: object) -> int:
    return int(x) if isinstance(x, int | float) else 0


def _rate(x: object) -> float | None:
    """A rate of rollups (0..1) in percent."""
    return round(float(x) * 100, 1) if isinstance(x, int | float) else None


# -- each indicator over its periods ---------------------------------------------------------

@attrs.frozen
class HistorySeries:
    """One numeric target over the periods it was judged in: each unit's actual, and the threshold."""

    plan: str
    item: str
    title: str
    expected: str
    percent: bool
    periods: tuple[str, ...]
    thresholds: tuple[float | None, ...]
    #: (unit name, the actual of each period or None)
    lines: tuple[tuple[str, tuple[float | None, ...]], ...]
    statuses: tuple[tuple[str, ...], ...]


#: Units one history chart draws a line for; a target judged on more units is not drawn over time.
HISTORY_UNITS = 6


def history_series(report: Report, plans: Sequence[Plan], loc: Locale) -> list[HistorySeries]:
    """Numeric targets with an actual in two periods or more, in report order, periods in time order."""
    from plancheck.plans.calendar import Period

    names = Names.of(plans)
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        if f.kind != "target" or not is_numeric(f):
            continue
        t = names.target(f)
        if t is None or t.kind not in NUMERIC_TARGETS:
            continue
        groups.setdefault((f.plan, f.item), []).append(f)

    def start(period: str) -> tuple[int, date]:
        try:
            return 0, Period.parse(period).start
        except ValueError:
            return 1, date.min

    out = []
    for (plan, item), fs in groups.items():
        periods = sorted({f.period for f in fs}, key=lambda p: (start(p), p))
        units = list(dict.fromkeys(f.unit for f in fs))
        if len(periods) < 2 or len(units) > HISTORY_UNITS:
            continue
        t = names.target(fs[0])
        assert t is not None
        at = {(f.unit, f.period): f for f in fs}
        lines = tuple((names.unit(plan, u, loc) or names.agency(plan, fs[0].agency, loc),
                       tuple(float(at[(u, p)].actual) if (u, p) in at and is_numeric(at[(u, p)]) else None
                             for p in periods)) for u in units)
        statuses = tuple(tuple(at[(u, p)].status if (u, p) in at else "" for p in periods) for u in units)
        out.append(HistorySeries(
            plan=plan, item=item, title=names.item(fs[0], loc), expected=expected_text(fs[0], names, loc),
            percent=t.kind in ("ratio", "growth"), periods=tuple(loc.period(p) for p in periods),
            thresholds=tuple(t.threshold for _ in periods), lines=lines, statuses=statuses))
    return out
