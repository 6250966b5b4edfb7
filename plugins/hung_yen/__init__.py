"""Hưng Yên: the 2024 plan for drug-free communes (Decision 2751/QĐ-UBND project).

The plan itself is data (plan.toml). This module registers it and computes
the one measure TOML cannot state: II.1.1's methadone rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from plancheck import hookimpl

if TYPE_CHECKING:  # only for annotations: importing the model would slow every command's start
    from plancheck.plans.model import Plan

HERE = Path(__file__).parent
PLAN_ID = "hung_yen-2024-xa-khong-ma-tuy"


@hookimpl
def register_plans(register):
    register(
        HERE / "plan.toml",
        province="hung_yen",
        province_name="Hưng Yên",
        api_version=1,
        examples=[HERE / "example" / "observations.csv"],
    )


@hookimpl
def derive_values(plan: Plan, values: Mapping[tuple[str, str, str], float]):
    """addicts_counted: II.1.1 — "100% người nghiện ma túy đang tham gia điều trị
    Methadone với thời gian trên 12 tháng không phát hiện sử dụng trái phép ...
    thì xã, phường, thị trấn được tính là đơn vị không có người nghiện ma túy"."""
    if plan.id != PLAN_ID:
        return None
    out = {}
    for (measure, unit, period), with_records in values.items():
        if measure != "addicts_with_records":
            continue
        addicts = values.get(("addicts", unit, period))
        compliant = values.get(("methadone_compliant_12m", unit, period))
        if addicts is None or compliant is None:
            continue  # without both, the rule cannot be applied: leave it undecided
        all_compliant = addicts > 0 and compliant >= addicts
        out[("addicts_counted", unit, period)] = 0.0 if all_compliant else with_records
    return out
