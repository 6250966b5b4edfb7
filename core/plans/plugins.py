"""Finding and loading province plugins.

Plugins are found through the ``plancheck.provinces`` entry-point group, the
built-in provinces included: they take exactly the path an outside plugin
takes. Each entry point is imported and each ``register_plans`` call is made
on its own, inside its own ``try``, so one broken plugin is listed as failed
(``plancheck provinces``) and never breaks the CLI or another province.
"""

from __future__ import annotations

import functools
import importlib
import os
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar

import pluggy

from plancheck import SUPPORTED_API_VERSIONS
from plancheck.plans import hookspecs

GROUP = "plancheck.provinces"
T = TypeVar("T")


def plugin_timeout() -> float:
    """Seconds a plugin may take to import, register or derive (PLANCHECK_PLUGIN_TIMEOUT, default 20)."""
    try:
        return float(os.environ.get("PLANCHECK_PLUGIN_TIMEOUT", "20"))
    except ValueError:
        return 20.0


def call_with_timeout(fn: Callable[[], T], timeout: float, what: str) -> T:
    """Run plugin code in a daemon thread; raise TimeoutError if it does not return in time.

    A hung plugin cannot be killed from inside the process, but it no longer
    holds up the command: the thread is abandoned and the plugin reported as
    failed.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below (SystemExit included)
            box["error"] = exc

    thread = threading.Thread(target=target, name=f"plancheck-plugin-{what}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"{what} did not finish within {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


# The registry's classes are dataclasses, not attrs classes like the domain's: every command
# loads the plugins, and importing attrs was a sixth of `plancheck provinces` (issue 9).
@dataclass(frozen=True)
class PlanSource:
    """A registered plan file, not yet read."""

    province: str
    province_name: str
    path: Path
    plugin: str
    api_version: int
    examples: tuple[Path, ...] = ()


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that could not be loaded or could not register, and why."""

    plugin: str
    distribution: str
    reason: str


@dataclass
class Registry:
    """Every plan the installed plugins registered, and every plugin that failed."""

    sources: list[PlanSource] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)
    distributions: dict[str, str] = field(default_factory=dict)

    def provinces(self) -> dict[str, list[PlanSource]]:
        """Registered plans by province id, provinces in alphabetical order."""
        out: dict[str, list[PlanSource]] = {}
        for src in sorted(self.sources, key=lambda s: (s.province, str(s.path))):
            out.setdefault(src.province, []).append(src)
        return out

    def failure_for(self, province: str) -> PluginFailure | None:
        """The failure of the plugin whose entry point is named ``province``, if any."""
        return next((f for f in self.failures if f.plugin == province), None)


def get_plugin_manager(*, load_entrypoints: bool = True) -> tuple[pluggy.PluginManager, Registry]:
    """A plugin manager with the hook specs and every installed province plugin.

    Returns the manager and a :class:`Registry` that already holds any
    import failures; call :func:`collect_plans` to fill in the plans.
    """
    pm = pluggy.PluginManager("plancheck")
    pm.add_hookspecs(hookspecs)
    registry = Registry()
    if load_entrypoints:
        for ep in entry_points(group=GROUP):
            dist = ep.dist.name if ep.dist is not None else "?"
            registry.distributions[ep.name] = dist
            modname = ep.value.split(":")[0]
            try:
                module = call_with_timeout(functools.partial(importlib.import_module, modname),
                                           plugin_timeout(), f"importing {modname}")
                pm.register(module, name=ep.name)
            except (Exception, SystemExit) as exc:  # a broken plugin must not break the CLI
                registry.failures.append(PluginFailure(ep.name, dist, _reason(exc)))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) if exc.plugin is not None else "?"
        registry.failures.append(PluginFailure(name or "?", "?", str(exc)))
        if exc.plugin is not None:
            pm.unregister(exc.plugin)
    return pm, registry


def collect_plans(pm: pluggy.PluginManager, registry: Registry) -> Registry:
    """Ask every plugin to register its plans, each in its own ``try``."""
    seen: dict[tuple[str, str], str] = {}
    for impl in pm.hook.register_plans.get_hookimpls():
        name = impl.plugin_name
        dist = registry.distributions.get(name, "?")
        staged: list[PlanSource] = []

        def register(
            path: str | Path,
            *,
            province: str,
            province_name: str,
            api_version: int,
            examples: Iterable[str | Path] = (),
            _staged: list[PlanSource] = staged,
            _name: str = name,
        ) -> None:
            if api_version not in SUPPORTED_API_VERSIONS:
                supported = ", ".join(str(v) for v in SUPPORTED_API_VERSIONS)
                raise ValueError(
                    f"written for plugin API version {api_version}; this plancheck supports "
                    f"version {supported}"
                )
            key = (province, str(Path(path).resolve()))
            if key in seen:
                raise ValueError(f"plan {path} is already registered by plugin {seen[key]!r}")
            seen[key] = _name
            _staged.append(
                PlanSource(province, province_name, Path(path), _name, api_version,
                           tuple(Path(e) for e in examples))
            )

        try:
            call_with_timeout(functools.partial(impl.function, register=register), plugin_timeout(),
                              f"{name}.register_plans")
        except (Exception, SystemExit) as exc:
            registry.failures.append(PluginFailure(name, dist, _reason(exc)))
            continue
        registry.sources.extend(staged)
    return registry


def load_registry() -> tuple[pluggy.PluginManager, Registry]:
    """The plugin manager and the registry of every installed plugin's plans."""
    pm, registry = get_plugin_manager()
    return pm, collect_plans(pm, registry)


def _reason(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({Path(frame[0].filename).name}:{frame[0].lineno})" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"
