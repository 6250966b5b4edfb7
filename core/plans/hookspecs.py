"""Hook specifications: the manual for province plugin authors.

A province plugin is a Python module, declared as an entry point in the
``plancheck.provinces`` group of its distribution's ``pyproject.toml``::

    [project.entry-points."plancheck.provinces"]
    my_province = "plancheck_my_province"

The module implements some of the hooks below, each marked with
``@plancheck.hookimpl``. Core calls them; the plugin never imports core's
internals beyond :mod:`plancheck.plans.model` and this module. See docs/plugins.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from plancheck.plans.model import Plan

hookspec = pluggy.HookspecMarker("plancheck")
hookimpl = pluggy.HookimplMarker("plancheck")

#: ``(measure id, unit id, period id)``, the key of a reported or derived value.
ValueKey = tuple[str, str, str]


@hookspec
def register_plans(register: Callable[..., None]) -> None:
    """Register the plan files this plugin provides.

    Call ``register`` once per plan file::

        register(
            Path(__file__).parent / "plan.toml",
            province="my_province",
            province_name="Tỉnh Của Tôi",
            api_version=1,
            examples=[Path(__file__).parent / "example" / "observations.csv"],
        )

    :param register: the callback. Its arguments:

        * ``path``: the plan's TOML file. It is not read when registered,
          only when a command needs the plan, so ``plancheck provinces`` and
          ``--help`` stay fast;
        * ``province``: the province id, lowercase ASCII with underscores; it
          must equal ``province`` in the plan file;
        * ``province_name``: the province's name as written in Vietnamese;
        * ``api_version``: the plugin API version the plugin was written for
          (:data:`plancheck.API_VERSION`); a plugin written for a version core
          does not support is refused, with the supported versions named;
        * ``examples``: filled reporting forms to show the plan at work
          (``plancheck run --example``); optional.

    Core refuses a second registration of the same plan id, and records the
    refusal against the plugin; other plugins are not affected.

    Returning a value has no effect.
    """


@hookspec
def derive_values(plan: Plan, values: Mapping[ValueKey, float]) -> Mapping[ValueKey, float] | None:
    """Compute measures that the plan file cannot express as data.

    Called once per evaluation of ``plan`` with every reported value of that
    plan. Use it for province-specific arithmetic that a TOML rule cannot
    state, e.g. "a commune whose every addict has been on methadone for over
    12 months with no relapse counts as having no addicts".

    :param plan: the plan being evaluated. Check ``plan.province`` (or
        ``plan.id``) and return ``None`` for plans that are not yours: every
        plugin's implementation is called for every plan.
    :param values: reported values, keyed ``(measure, unit, period)``.
        Read-only.

    Return a mapping of the same shape with the derived values. Each measure
    returned must be declared in the plan with ``derived = true``; core
    refuses anything else. Return ``None`` (or nothing) to derive nothing.
    Every implementation's result is used.
    """


@hookspec
def register_lineage(register: Callable[..., None]) -> None:
    """Register the files declaring this plugin's district- and commune-level lineage.

    Core already knows the province-level reorganisation of 2025 (Resolution
    202/2025/QH15) and the end of the district level on 2025-07-01; a province
    declares what became of its own communes (each province's by its own
    resolution of the National Assembly Standing Committee). Call
    ``register`` once per file::

        register(Path(__file__).parent / "lineage.toml", province="my_province")

    :param register: the callback. Its arguments:

        * ``path``: a TOML file with ``province``, ``[[units]]`` (``id``,
          ``name``, ``level``, ``valid_from``, ``valid_to``: the ids the plans
          use) and ``[[events]]`` (``kind``: ``merged_into``, ``split_from``,
          ``renamed`` or ``abolished``; ``date``: the first day of the new
          arrangement; ``predecessors``, ``successors``; ``basis``: the legal
          act, required on every event; ``confirmed``: whether the basis was
          checked against the official text). See docs/plugins.md;
        * ``province``: the province id; it must equal ``province`` in the file.

    A file with any problem (a missing basis, a unit no version of which
    ends or begins on the event's date) makes that province's commands fail
    with every problem listed; other provinces are not affected. Only events
    a cited act supports belong here: a merger that cannot be sourced is left
    out, and findings on that unit are then judged as if it had not changed.

    Returning a value has no effect.
    """
