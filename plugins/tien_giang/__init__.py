"""Tiền Giang: Plan 23/KH-UBND (22/01/2024) on drug prevention in 2024.

The plan itself is data (plan.toml), encoded from a press summary. This module
registers it and computes the two measures TOML cannot state: the shares of
trafficking and of possession in drug-crime prosecutions ("Các chỉ tiêu năm
2024" ¶3).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from plancheck import hookimpl

if TYPE_CHECKING:  # only for annotations: importing the model would slow every command's start
    from plancheck.plans.model import Plan

HERE = Path(__file__).parent
PLAN_ID = "tien_giang-2024-phong-chong-ma-tuy"

#: derived measure -> (numerator, denominator), shares in percent
SHARES = {
    "trafficking_share": ("prosecuted_trafficking", "prosecuted_drug_cases"),
    "possession_share": ("prosecuted_possession", "prosecuted_drug_cases"),
}


@hookimpl
def register_plans(register):
    register(
        HERE / "plan.toml",
        province="tien_giang",
        province_name="Tiền Giang",
        api_version=1,
        examples=[HERE / "example" / "observations.csv"],
    )


@hookimpl
def derive_values(plan: Plan, values: Mapping[tuple[str, str, str], float]):
    """"Phấn đấu tăng tỷ lệ khởi tố tội phạm mua bán trái phép chất ma túy và giảm
    tỷ lệ khởi tố tội tàng trữ trái phép chất ma túy trong cơ cấu tội phạm so với
    năm 2023": each share is part / all drug-crime prosecutions × 100, per unit
    and period (2023 included, as the baseline). Without both counts, or with no
    prosecutions at all, the share is left undecided."""
    if plan.id != PLAN_ID:
        return None
    out = {}
    for (measure, unit, period), total in values.items():
        if measure != "prosecuted_drug_cases" or total <= 0:
            continue
        for derived, (part, _) in SHARES.items():
            count = values.get((part, unit, period))
            if count is not None:
                out[(derived, unit, period)] = count / total * 100
    return out
