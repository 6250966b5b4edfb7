"""Differences between two runs: what became not met, what was resolved, what became late."""

from __future__ import annotations

from typing import Any


def _key(f: dict[str, Any]) -> tuple[str, ...]:
    return (f["plan"], f["kind"], f["item"], f["agency"], f["unit"], f["period"])


def diff_runs(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Compare two runs' findings (as stored or as JSON) by what identifies each finding."""
    a = {_key(f): f for f in before["findings"]}
    b = {_key(f): f for f in after["findings"]}
    out: dict[str, list[dict[str, Any]]] = {
        "newly_not_met": [], "resolved": [], "newly_late": [], "changed": [], "added": [], "removed": []}
    for k, fb in b.items():
        fa = a.get(k)
        if fa is None:
            out["added"].append(fb)
            continue
        was_bad = fa["status"] == "not_met" and not fa.get("waived")
        is_bad = fb["status"] == "not_met" and not fb.get("waived")
        row = {"plan": fb["plan"], "kind": fb["kind"], "item": fb["item"], "agency": fb["agency"],
               "unit": fb["unit"], "period": fb["period"], "before": _state(fa), "after": _state(fb),
               "source": fb["source"]}
        if fb.get("reason") in ("late", "missing") and fa.get("reason") not in ("late", "missing"):
            out["newly_late"].append(row)  # also listed below: late is one way of not being met
        if is_bad and not was_bad:
            out["newly_not_met"].append(row)
        elif was_bad and not is_bad:
            out["resolved"].append(row)
        elif _state(fa) != _state(fb):
            out["changed"].append(row)
    out["removed"] = [f for k, f in a.items() if k not in b]
    return {
        "before": {k: before.get(k) for k in ("id", "as_of", "plan_version", "data_state")},
        "after": {k: after.get(k) for k in ("id", "as_of", "plan_version", "data_state")},
        "plan_changed": before.get("plan_version") != after.get("plan_version"),
        **out,
        "counts": {k: len(v) for k, v in out.items()},
    }


def _state(f: dict[str, Any]) -> str:
    s = f["status"] + (f" ({f['reason']})" if f.get("reason") else "")
    return s + (" [waived]" if f.get("waived") else "")
