"""plancheck: checks how provincial government plans are being carried out.

Core knows plans, agencies, measures, projects, targets, rules, tasks,
reporting obligations and administrative units in general; each province's
plan comes from a plugin (see :mod:`plancheck.hookspecs`).
"""

__version__ = "0.1.0"

#: The plugin API this core implements. A plugin declares the version it was
#: written for when it registers a plan; a different major version is refused.
API_VERSION = 1
SUPPORTED_API_VERSIONS = (1,)


def __getattr__(name: str) -> object:
    # ``from plancheck import hookimpl`` without importing pluggy at start-up.
    if name in ("hookimpl", "hookspec"):
        from plancheck import hookspecs

        return getattr(hookspecs, name)
    raise AttributeError(name)
