"""Assessing one province: its plans, its data, its findings.

The steps ``plancheck run`` and ``plancheck compare`` share: load a
province's plans from its plugin, gather its observations (from the database
or from the plugin's example forms), evaluate with the plugin's derived
values, and attach the notices a reader must see first.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from plancheck.errors import InputError
from plancheck.judge.verdicts import Report, evaluate
from plancheck.plans.model import Observation, Plan
from plancheck.plans.plugins import Registry


def province_plans(registry: Registry, province: str) -> list[Plan]:
    """The loaded plans of a province; InputError when its plugin or a plan is unusable."""
    from plancheck.plans.planfile import load_plan

    failure = registry.failure_for(province)
    if failure is not None:
        raise InputError([f"province {province!r}: plugin failed to load "
                          f"({failure.distribution}): {failure.reason}"])
    sources = registry.provinces().get(province)
    if not sources:
        from plancheck.errors import joined
        from plancheck.language import _
        from plancheck.plans.identity import hint  # a look-alike id names what it looks like (issue 21)

        known = ", ".join(registry.provinces()) or _("none installed")
        raise InputError([joined(_("unknown province {province!r}{hint}").format(
            province=province, hint=hint(province, registry.provinces())),
            _("installed: {installed}").format(installed=known))])
    plans = []
    for src in sources:
        plan = load_plan(src.path)
        if plan.province != province:
            raise InputError([f"{src.path}: province is {plan.province!r} but plugin "
                              f"{src.plugin!r} registered it for {province!r}"])
        plans.append(plan)
    return plans


def example_observations(registry: Registry, province: str, plans: Sequence[Plan],
                         today: date) -> list[Observation]:
    """The observations in the example forms a province's plugin ships."""
    from plancheck.data.workbook import read_form_bytes

    by_key = {(p.province, p.id): p for p in plans}
    return [o for s in registry.provinces().get(province, []) for e in s.examples
            for o in read_form_bytes(e, e.read_bytes(), by_key, today).observations]


def judged_fingerprint(pm: Any, registry: Registry, province: str) -> str:
    """Everything besides the data and the date that a province's findings depend on.

    plancheck itself, the province's plan files, and the code of every plugin
    that derives values (each is asked about every plan): a saved judgement with
    another fingerprint is not reused.
    """
    import hashlib
    from pathlib import Path

    from plancheck.judge.reorganisation import fingerprint as lineage_fingerprint
    from plancheck.plans.plancache import code_fingerprint

    h = hashlib.sha256((code_fingerprint() + lineage_fingerprint(pm)).encode())
    for src in registry.provinces().get(province, []):
        h.update(str(src.path).encode() + b"\0" + src.path.read_bytes())
    for impl in pm.hook.derive_values.get_hookimpls():
        file = getattr(impl.plugin, "__file__", None)
        files = [Path(file)] if file else []
        if file and Path(file).name == "__init__.py":
            files = sorted(Path(file).parent.rglob("*.py"))
        h.update(impl.plugin_name.encode())
        for f in files:
            st = f.stat()
            h.update(f"{f}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:32]


def plan_notices(plans: Sequence[Plan]) -> list[str]:
    """What a reader must know before trusting the findings of these plans (in English, as every notice core
    writes: the reports put the ones they know in the reader's words, :func:`plancheck.publish.content.notices`)."""
    notices = []
    for p in plans:
        if p.incomplete:
            notices.append(f"plan {p.id} is INCOMPLETE: {p.incomplete}")
        if p.source_kind == "press_summary":
            notices.append(f"plan {p.id} is encoded from a press summary, not the plan itself")
    return notices


def _deriver(pm: Any, province: str, owners: Sequence[str], ignored: list[str]) -> Any:
    """The plugins' ``derive_values``, as judging calls it for each plan; a failure in another
    plugin than the province's own is set aside in ``ignored``."""
    from plancheck.plans.plugins import call_with_timeout, plugin_timeout

    def derive(plan, values):
        # Each plugin's implementation on its own: a failure in the province's own plugin is an
        # error; a failure in another plugin (which should have returned None for a plan not
        # its own) is set aside with a notice, so it cannot stop this province.
        results = []
        for impl in pm.hook.derive_values.get_hookimpls():
            call = functools.partial(impl.function, plan=plan, values=values)
            try:
                result = call_with_timeout(call, plugin_timeout(), f"{impl.plugin_name}.derive_values")
                if result and not isinstance(result, Mapping):  # the hookspec: a mapping of keys to values
                    raise TypeError(f"returned a {type(result).__name__}, not a mapping of "
                                    "(measure, unit, period) to a value")
            except (Exception, SystemExit) as exc:
                if impl.plugin_name in (owners or (province,)):
                    raise InputError([f"province {province!r}: a plugin's derive_values failed: "
                                      f"{type(exc).__name__}: {exc}"]) from None
                ignored.append(f"plugin {impl.plugin_name!r} failed in derive_values for plan {plan.id} "
                               f"and was ignored: {type(exc).__name__}: {exc}")
                continue
            if result:
                results.append(result)
        return results

    return derive


def assess(pm: Any, province: str, plans: Sequence[Plan], observations: Sequence[Observation],
           as_of: date, notices: Sequence[str] = (), owners: Sequence[str] = ()) -> Report:
    """Evaluate every plan of a province; InputError if its own plugin's hook fails.

    ``owners``: the plugins that registered the province's plans (default: the
    plugin named like the province).
    """
    from plancheck.judge.reorganisation import Reorganisation

    ignored: list[str] = []
    derive = _deriver(pm, province, owners, ignored)
    # Plans written for units since merged, split or renamed (issue 19): data mapped through the
    # lineage before judging, findings on reorganised units without an exact mapping marked after.
    reorganisation = Reorganisation.for_province(pm, province)
    findings = []
    for p in plans:
        try:
            prepared = reorganisation.prepare(p, observations)
            findings += reorganisation.mark(p, evaluate(p, prepared.observations, as_of, derive), prepared)
        except ValueError as exc:
            raise InputError([f"province {province!r}: {exc}"]) from None
    return Report(province, as_of, tuple(findings), tuple([*plan_notices(plans), *notices, *ignored]))


def count(pm: Any, province: str, plans: Sequence[Plan], rows: Any, as_of: date,
          owners: Sequence[str] = ()) -> tuple[dict[Any, list[int]], Report]:
    """What a comparison needs of a province, judged by the counting path (issue 20): every finding
    :func:`assess` would give, counted per plan, kind, item, period, due, status and reason
    (``[count, days late summed]``), and a report holding only the national targets' findings,
    with the notices :func:`assess` gives. ``rows``: a :mod:`~plancheck.judge.counting` source
    (the database's rows, or observations). InputError as :func:`assess`.
    """
    from plancheck.judge.counting import count_plan
    from plancheck.judge.reorganisation import Reorganisation

    ignored: list[str] = []
    derive = _deriver(pm, province, owners, ignored)
    reorganisation = Reorganisation.for_province(pm, province)
    counts: dict[Any, list[int]] = {}
    kept: list[Any] = []
    for p in plans:
        try:
            kept += count_plan(p, rows, as_of, derive, reorganisation, counts)
        except ValueError as exc:
            raise InputError([f"province {province!r}: {exc}"]) from None
    return counts, Report(province, as_of, tuple(kept), tuple([*plan_notices(plans), *ignored]))


def assess_for_comparison(pm: Any, registry: Registry, provinces: Sequence[str], as_of: date, *,
                          db_url: str | None, today: date, reuse: bool = True, keep: bool = True,
                          jobs: int = 1, typed: Sequence[str] = ()) -> list[Any]:
    """Every province's :class:`~plancheck.judge.compare.ProvinceAssessment`, in the order given.

    ``db_url`` None: each plugin's example data. Otherwise the database's data, and
    (issue 9) a province whose data, plans and plugins are unchanged since a
    comparison for the same date is read back rather than judged (``reuse``);
    what is judged is kept for the next one (``keep``); and up to ``jobs``
    provinces are judged at once, each in its own process, which is what makes a
    national comparison use more than one core. A province that cannot be
    assessed is a failed assessment; a name in ``typed`` that no plugin knows is
    an InputError.
    """
    from plancheck.judge.compare import ProvinceAssessment

    engine = None
    if db_url is not None:
        from plancheck.data import store

        engine = store.open_engine(db_url)
    out: dict[str, Any] = {}
    states: dict[str, str] | None = None
    todo: list[tuple[str, str, list[Plan], str, str]] = []
    for province in provinces:
        srcs = registry.provinces().get(province)
        name = srcs[0].province_name if srcs else province
        try:
            plans = province_plans(registry, province)
            if engine is None:
                from plancheck.judge.counting import ObservationRows

                rows = ObservationRows(example_observations(registry, province, plans, today))
                counts, report = count(pm, province, plans, rows, as_of, owners=[s.plugin for s in srcs or []])
                out[province] = ProvinceAssessment.counted(province, name, plans, counts, report)
                continue
            if states is None:
                states = store.data_states(engine)  # every province's in one query
            state = states.get(province, NO_DATA_STATE)
            fingerprint = judged_fingerprint(pm, registry, province)
        except InputError as exc:
            if province in typed and province not in registry.provinces() and registry.failure_for(province) is None:
                raise  # a name the user typed that does not exist: a usage error
            out[province] = ProvinceAssessment(province, name, failure="; ".join(exc.lines()))
            continue
        saved = store.saved_assessment(engine, province, as_of, fingerprint, state) if reuse else None
        if saved is not None:
            out[province] = ProvinceAssessment.from_saved(province, name, plans, as_of, saved)
        else:
            todo.append((province, name, plans, fingerprint, state))
    if todo:
        assert db_url is not None and engine is not None
        kept = []
        for (province, name, plans, fingerprint, state), (saved, failure) in zip(
                todo, _judge_all(pm, registry, {t[0]: t[2] for t in todo}, as_of, db_url, jobs), strict=True):
            if failure is not None:
                out[province] = ProvinceAssessment(province, name, failure=failure)
                continue
            out[province] = ProvinceAssessment.from_saved(province, name, plans, as_of, saved)
            kept.append((province, as_of, fingerprint, state, saved))
        if keep:
            store.save_assessments(engine, kept)
    return [out[p] for p in provinces]


#: The data state of a province with no rows (as ``store.data_state`` gives it).
NO_DATA_STATE = "rows=0;last_id=0"

#: What forked judging processes inherit: set just before the pool starts, read by :func:`_judge_one`.
_JOB: dict[str, Any] = {}


def _judge_one(province: str) -> tuple[dict[str, Any] | None, str | None]:
    """Judge one province from the database by the counting path: (its assessment as ``to_saved``
    keeps it, None) or (None, why not)."""
    from plancheck.data import store
    from plancheck.judge.compare import ProvinceAssessment
    from plancheck.judge.counting import DatabaseRows

    pm, registry, as_of, url = _JOB["pm"], _JOB["registry"], _JOB["as_of"], _JOB["db_url"]
    if "engine" not in _JOB:
        _JOB["engine"] = store.open_engine(url)  # one per process: connections never cross a fork
    plans = _JOB["plans"][province]
    try:
        counts, report = count(pm, province, plans, DatabaseRows(_JOB["engine"], province), as_of,
                               owners=[s.plugin for s in registry.provinces().get(province, [])])
    except InputError as exc:
        return None, "; ".join(exc.lines())
    return ProvinceAssessment.counted(province, "", plans, counts, report).to_saved(), None


def _quiet_collector() -> None:
    """A judging process's start: no collections in it (issue 20). It lives for one comparison, and
    what it builds forms no cycles; each collection walked every object it inherited, for nothing."""
    import gc

    gc.disable()


def _judge_all(pm: Any, registry: Registry, plans: dict[str, list[Plan]], as_of: date, db_url: str,
               jobs: int) -> list[tuple[dict[str, Any] | None, str | None]]:
    """Judge the provinces ``plans`` names (with their loaded plans), up to ``jobs`` at once."""
    import gc
    import multiprocessing
    import sys

    _JOB.clear()
    _JOB.update(pm=pm, registry=registry, as_of=as_of, db_url=db_url, plans=plans)
    provinces = list(plans)
    try:
        # Forked workers inherit the loaded plugins and plans; where fork is not available, or
        # for a single province, the judging is done here.
        if jobs <= 1 or len(provinces) <= 1 or sys.platform != "linux":
            return [_judge_one(p) for p in provinces]
        from concurrent.futures import ProcessPoolExecutor

        # What the workers inherit is moved out of the collector's sight before the fork, so no
        # collection (here or in a worker) touches it and copies its pages.
        gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=min(jobs, len(provinces)), initializer=_quiet_collector,
                                     mp_context=multiprocessing.get_context("fork")) as pool:
                return list(pool.map(_judge_one, provinces))
        finally:
            gc.unfreeze()
    finally:
        engine = _JOB.get("engine")
        if engine is not None:
            engine.dispose()
        _JOB.clear()


def available_cpus() -> int:
    """The CPUs this process may run on."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
