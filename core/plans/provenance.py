"""What a verdict rests on besides the data: readings, proxies and assumptions.

A target is computed from its rule and measures (a derived measure from its
inputs); a task or obligation from itself. Whatever those elements carry
where the text is unclear (``reading``), states no indicator (``proxy``) or
leaves something implicit (``assumed``, ``agency_assumed``) travels to every
finding computed from them, so a reader of the verdict sees it without
opening the plan file. One place works this out for plan checks
(:mod:`plancheck.plans.planfile`) and for judging (:mod:`plancheck.judge.verdicts`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeAlias

import attrs

from plancheck.plans.model import Condition, Measure, Obligation, Plan, Reading, Rule, Target, Task

#: What a finding says when a target names no accountable body (docs/plugins.md).
NO_ACCOUNTABLE_BODY = "the plan names no accountable body for this target"

Element: TypeAlias = Measure | Rule | Target | Task | Obligation


@attrs.frozen
class Provenance:
    """The readings, proxies and assumptions one element's findings rest on, each with its owner."""

    readings: tuple[tuple[str, Reading], ...] = ()
    proxies: tuple[tuple[str, str], ...] = ()
    assumed: tuple[str, ...] = ()

    @property
    def reading_text(self) -> str | None:
        """Every reading as one line: the words, how they are read, why (and who confirmed it)."""
        if not self.readings:
            return None
        return " | ".join(describe_reading(owner, r) for owner, r in self.readings)

    @property
    def proxy_text(self) -> str | None:
        if not self.proxies:
            return None
        return " | ".join(f"{owner}: {why}" for owner, why in self.proxies)

    @property
    def assumed_text(self) -> str | None:
        return "; ".join(a.rstrip(". ") for a in self.assumed) or None

    @property
    def doubt(self) -> str | None:
        """The doubt a reader must see: the text is unclear, or the indicator is not the plan's."""
        parts = []
        unconfirmed = [owner for owner, r in self.readings if not r.confirmed_by]
        if unconfirmed:
            parts.append(f"rests on a reading of unclear text ({', '.join(unconfirmed)})")
        if self.proxies:
            parts.append(f"judged on a proxy the plan does not state ({', '.join(o for o, _ in self.proxies)})")
        return "; ".join(parts) or None


def describe_reading(owner: str, r: Reading) -> str:
    """One reading in words, as findings and reports show it."""
    confirmed = f" [confirmed by {r.confirmed_by}" + (f", {r.confirmed_on.isoformat()}" if r.confirmed_on else "") \
        + "]" if r.confirmed_by else " [not confirmed]"
    return f"{owner}: the text says “{r.quote}”; read as: {r.chosen}; because {r.why}{confirmed}"


def condition_measures(cond: Condition) -> list[str]:
    """Every measure a condition names, in order, once."""
    out = [cond.measure] if cond.measure else []
    out += list(cond.ratio or ())
    for sub in (cond.all or ()) + (cond.any or ()):
        out += condition_measures(sub)
    return list(dict.fromkeys(out))


def computed_from(plan: Plan, el: Element) -> Iterator[tuple[str, Element]]:
    """The element and every element its findings are computed from, each with a label ("rule drug_free")."""
    kind = {Measure: "measure", Rule: "rule", Target: "target", Task: "task", Obligation: "obligation"}
    yield f"{kind[type(el)]} {el.id}", el
    if not isinstance(el, Target):
        return
    measures = {m.id: m for m in plan.measures}
    names: list[str] = [x for x in (el.measure, el.numerator, el.denominator) if x]
    if el.rule is not None:
        rule = next((r for r in plan.rules if r.id == el.rule), None)
        if rule is not None:
            yield f"rule {rule.id}", rule
            names += condition_measures(rule.when)
    seen: set[str] = set()
    for name in names:
        m = measures.get(name)
        if m is None or m.id in seen:
            continue
        seen.add(m.id)
        yield f"measure {m.id}", m
        for inp in m.inputs:
            sub = measures.get(inp)
            if sub is not None and sub.id not in seen:
                seen.add(sub.id)
                yield f"measure {sub.id}", sub


def provenance(plan: Plan, el: Target | Task | Obligation) -> Provenance:
    """What the findings of ``el`` rest on besides the data."""
    readings, proxies, assumed = [], [], []
    for owner, part in computed_from(plan, el):
        if part.reading is not None:
            readings.append((owner, part.reading))
        proxy = getattr(part, "proxy", None)
        if proxy:
            proxies.append((owner, proxy))
        own = part.assumed if part is el else (f"{owner}: {part.assumed}" if part.assumed else None)
        if own:
            assumed.append(own)
        agency = getattr(part, "agency_assumed", None)
        if agency:
            assumed.append(f"agency: {agency}")
    if isinstance(el, Target) and el.agency is None:
        assumed.append(NO_ACCOUNTABLE_BODY)
    return Provenance(tuple(readings), tuple(proxies), tuple(dict.fromkeys(assumed)))


def unconfirmed_readings(plan: Plan, el: Target | Task | Obligation) -> list[tuple[str, Reading]]:
    """The readings ``el`` rests on that no reviewer has confirmed."""
    return [(owner, r) for owner, r in provenance(plan, el).readings if not r.confirmed_by]


def is_proxy(plan: Plan, el: Target | Task | Obligation) -> bool:
    """Whether ``el`` is judged on an indicator the plan does not state."""
    return bool(provenance(plan, el).proxies)
