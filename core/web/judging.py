"""A province judged for a page: the CLI's steps (``run``, ``compare``), kept for the next page view.

The installed plugins and their plans are loaded once per worker process.
A province's report is judged by :func:`plancheck.judge.assessment.assess`
on the stored data, with the office's waivers applied by
:func:`plancheck.judge.waivers.apply_waivers`, exactly as ``plancheck run
--waivers`` does; it is kept while the province's data state
(``store.data_state``) and its waivers are unchanged, so a page view after
an upload, in any worker, is judged afresh and every other one is not.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar, cast

import attrs
from sqlalchemy.engine import Engine

from plancheck import language
from plancheck.errors import InputError
from plancheck.judge.verdicts import Report
from plancheck.plans.model import Plan

#: Judged reports kept per process (each a few hundred findings).
_KEPT = 64
T = TypeVar("T")


class Provinces:
    """The installed provinces and their plans, loaded once (restart the portal after a plugin changes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any] | None = None
        self._plans: dict[str, list[Plan] | InputError] = {}
        self._reports: OrderedDict[tuple[Any, ...], Report] = OrderedDict()
        self._judging: dict[tuple[Any, ...], threading.Lock] = {}
        self._made: OrderedDict[tuple[int, str, str], tuple[Report, Any]] = OrderedDict()

    def _registry(self) -> tuple[Any, Any]:
        with self._lock:
            if self._loaded is None:
                from plancheck.plans.plugins import load_registry

                self._loaded = load_registry()
            return self._loaded

    @property
    def pm(self) -> Any:
        return self._registry()[0]

    @property
    def registry(self) -> Any:
        return self._registry()[1]

    def ids(self) -> list[str]:
        """Every installed province id (those whose plugin failed included), sorted."""
        registry = self.registry
        return sorted(set(registry.provinces()) | {f.plugin for f in registry.failures})

    def name(self, province: str) -> str:
        srcs = self.registry.provinces().get(province)
        return srcs[0].province_name if srcs else province

    def plans(self, province: str) -> list[Plan]:
        """The province's plans; InputError when its plugin or a plan is unusable (or it is unknown)."""
        from plancheck.judge.assessment import province_plans

        registry = self.registry
        with self._lock:
            got = self._plans.get(province)
            if got is None:
                try:
                    got = province_plans(registry, province)
                except InputError as exc:
                    got = exc
                self._plans[province] = got
        if isinstance(got, InputError):
            raise got
        return got

    def all_plans(self) -> dict[tuple[str, str], Plan]:
        """Every usable plan by (province, plan id): what a filled form is checked against (as ``ingest``)."""
        out: dict[tuple[str, str], Plan] = {}
        for province in self.ids():
            try:
                for p in self.plans(province):
                    out[(p.province, p.id)] = p
            except InputError:
                continue  # a broken plan is reported on that province's pages
        return out

    def agencies(self, province: str) -> dict[str, Any]:
        """The agencies of a province's plans by id (the first plan naming one wins)."""
        out: dict[str, Any] = {}
        for p in self.plans(province):
            for a in p.agencies:
                out.setdefault(a.id, a)
        return out

    def scope_problems(self, province: str | None, agency: str | None) -> list[str]:
        """What is wrong with a user's province and agency ids (unknown ones)."""
        if not province:
            return []
        if province not in self.ids():
            return [language.gettext("unknown province {province!r}; installed: {installed}").format(
                province=province, installed=", ".join(self.ids()) or language.gettext("none"))]
        if agency:
            try:
                known = self.agencies(province)
            except InputError as exc:
                return exc.lines()
            if agency not in known:
                return [language.gettext("unknown agency {agency!r} in {province}; known: {known}").format(
                    agency=agency, province=province, known=", ".join(sorted(known)))]
        return []

    def report(self, engine: Engine, province: str, as_of: date, waivers: Sequence[Any],
               waiver_state: str) -> Report:
        """The province's findings as of ``as_of`` from the stored data, with ``waivers`` applied."""
        from plancheck.data import store

        # the language too: a verdict's computation and the waivers' notes are worded as the report is made
        key = (province, as_of, store.data_state(engine, province), waiver_state, language.current())
        with self._lock:
            if key in self._reports:
                self._reports.move_to_end(key)
                return self._reports[key]
            judging = self._judging.setdefault(key, threading.Lock())
        with judging:  # two page views of the same state: the second waits for the first's report
            with self._lock:
                if key in self._reports:
                    return self._reports[key]
            report = self._judge(engine, province, as_of, waivers)
            with self._lock:
                self._reports[key] = report
                self._judging.pop(key, None)
                while len(self._reports) > _KEPT:
                    self._reports.popitem(last=False)
        return report

    def made_from(self, report: Report, what: str, lang: str, make: Callable[[], T]) -> T:
        """``make()``, what a page shows of a kept ``report`` in ``lang`` (its rows in the reader's words,
        its filters), made once per report and kept with it.

        Issue 20: a province of 16,000 findings put every finding into the reader's words again on
        each view of its findings page, 0.3 s of a worker's time; twenty offices at once waited seconds.
        """
        key = (id(report), what, lang)
        with self._lock:
            hit = self._made.get(key)
            if hit is not None and hit[0] is report:  # the same report (an id is reused only once it is gone)
                self._made.move_to_end(key)
                return cast(T, hit[1])
        made = make()
        with self._lock:
            self._made[key] = (report, made)
            while len(self._made) > _KEPT:
                self._made.popitem(last=False)
        return made

    def _judge(self, engine: Engine, province: str, as_of: date, waivers: Sequence[Any]) -> Report:
        from plancheck.data import store
        from plancheck.judge.assessment import assess

        plans = self.plans(province)
        obs = store.current_observations(engine, province)
        owners = [s.plugin for s in self.registry.provinces().get(province, [])]
        report = assess(self.pm, province, plans, obs, as_of, (), owners)
        if waivers:
            from plancheck.judge.waivers import apply_waivers

            findings = apply_waivers(report.findings, waivers, as_of)
            expired = sorted({f"waiver for {f.item} expired on {f.waiver['expires']}" for f in findings
                              if f.waiver and f.waiver.get("expired")})
            report = attrs.evolve(report, findings=tuple(findings), notices=report.notices + tuple(expired))
        return report

    def comparison(self, db_url: str, as_of: date, today: date, programme: str = "decision-1452-2021") -> dict:
        """The ``compare --format json`` document of every installed province, from the database."""
        from plancheck.judge.assessment import assess_for_comparison
        from plancheck.judge.compare import compare
        from plancheck.plans.programme import get_programme

        prog = get_programme(programme)
        if prog is None:
            raise InputError([language.gettext("unknown programme {programme!r}").format(programme=programme)])
        # One process: forking judging workers from inside a threaded web server is not safe.
        assessments = assess_for_comparison(self.pm, self.registry, self.ids(), as_of, db_url=db_url,
                                            today=today, reuse=True, keep=True, jobs=1)
        return compare(assessments, prog, as_of, None)


def only_agency(report: Report, agency: str | None) -> Report:
    """The report limited to one agency's findings (what an agency user sees), or the report as it is."""
    if agency is None:
        return report
    return attrs.evolve(report, findings=tuple(f for f in report.findings if f.agency == agency))


def run_document(report: Report) -> dict[str, Any]:
    """The ``run --format json`` document of a report (findings, summary, roll-ups)."""
    from plancheck.publish.text import run_document as document

    return document(report)
