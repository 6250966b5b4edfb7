"""Ninh Bình: see plan.toml for the plan this plugin encodes."""

from __future__ import annotations

from pathlib import Path

from plancheck import hookimpl

HERE = Path(__file__).parent


@hookimpl
def register_plans(register):
    register(
        HERE / "plan.toml",
        province="ninh_binh",
        province_name="Ninh Bình",
        api_version=1,
        examples=[HERE / "example" / "observations.csv"],
    )
