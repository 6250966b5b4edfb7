"""plancheck: checks how provincial government plans are being carried out.

Core knows plans, agencies, measures, projects, targets, rules, tasks,
reporting obligations and administrative units in general; each province's
plan comes from a plugin (see :mod:`plancheck.plans.hookspecs`).

The package is laid out in rooms, one per stage, and data flows one way
(a room imports only the rooms below it; tests/test_layout.py holds this)::

    cli        the command line: parse, call, print (top; nothing imports it)
    publish    every renderer: terminal, JSON, HTML, xlsx, csv, docx, dashboard
    authoring  drafting a plan from its text, the fidelity cross-check, plan review, scaffold
    judge      verdicts, waivers, consistency, roll-ups, a province's assessment, comparison
    data       forms in and out, the store, the history of values
    plans      the model, the converter, plan files, dates, programmes, plugin loading
    errors     the one error type every room raises for a user's mistake

What a plugin imports is here at the top: ``from plancheck import hookimpl,
load_plan``; everything else is core's own and may move between versions.
"""

__version__ = "0.1.0"

#: The plugin API this core implements. A plugin declares the version it was
#: written for when it registers a plan; a different major version is refused.
API_VERSION = 1
SUPPORTED_API_VERSIONS = (1,)


def __getattr__(name: str) -> object:
    # ``from plancheck import hookimpl`` without importing pluggy (or the plan
    # reader) at start-up.
    if name in ("hookimpl", "hookspec"):
        from plancheck.plans import hookspecs

        return getattr(hookspecs, name)
    if name == "load_plan":
        from plancheck.plans.planfile import load_plan

        return load_plan
    raise AttributeError(name)
