"""What ``plancheck plugin new`` writes: a standalone province plugin, ready to install.

Owns the names a new plugin is known by (:class:`Names`), the filling of the
templates with them (:func:`fill`), the example reporting form and the writing
of the distribution (:func:`create`). The templates are files in
``templates/`` next to this module, shipped as package data, one per file
written and named after it (``plan.toml.tmpl`` becomes
``plancheck_<id>/plan.toml``). The plan skeleton (``plan.toml.tmpl``) shows
every section and key of the plan format with a comment and an example: lines
``# key = value`` are optional keys; everything not commented is a real,
minimal element. It loads and passes ``plancheck plugin check`` as written.
docs/plugins.md takes its field examples from it (see
:mod:`plancheck.authoring.plugin_docs`).
"""

from __future__ import annotations

import csv
import io
import re
from importlib.resources import files as resource_files
from pathlib import Path

import attrs

from plancheck import API_VERSION

ID_RE = re.compile(r"^[a-z0-9_]+$")

#: Illustrative values for the example form, by measure id (made up, labelled as such);
#: PREVIOUS_VALUES for the year before the plan (growth and change baselines) and
#: UNIT_VALUES for one unit, so the example shows a target not met.
PREVIOUS_VALUES = {"crimes_detected": "100", "new_addicts": "5"}
UNIT_VALUES = {("hotspots", "huyen_a.xa_b"): "1"}
EXAMPLE_VALUES = {
    "hotspots": "0",
    "addicts": "3",
    "addicts_with_records": "3",
    "prevention_models": "1",
    "new_addicts": "4",
    "crimes_detected": "106",
    "cases": "50",
    "cases_resolved": "46",
    "awareness_sessions": "2",
}


@attrs.frozen
class Names:
    """The names a new plugin is known by."""

    province: str
    province_name: str
    year: int

    @property
    def package(self) -> str:
        return f"plancheck_{self.province}"

    @property
    def distribution(self) -> str:
        return f"plancheck-{self.province.replace('_', '-')}"

    @property
    def directory(self) -> str:
        return self.distribution


def read_template(name: str) -> str:
    """The text of the template ``name`` (e.g. ``"plan.toml.tmpl"``) in ``templates/``."""
    return (resource_files("plancheck.authoring") / "templates" / name).read_text(encoding="utf-8")


def fill(template: str, names: Names) -> str:
    """The template with the plugin's names and year in place."""
    return (template.replace("__PROVINCE__", names.province)
            .replace("__NAME__", names.province_name)
            .replace("__PACKAGE__", names.package)
            .replace("__DISTRIBUTION__", names.distribution)
            .replace("__PREV__", str(names.year - 1))
            .replace("__YEAR__", str(names.year))
            .replace("__API__", str(API_VERSION)))


def skeleton(names: Names) -> str:
    """The commented plan.toml for ``names``."""
    return fill(read_template("plan.toml.tmpl"), names)


def files(names: Names) -> dict[str, str]:
    """Every file of the new distribution, by path relative to its directory."""
    pkg = names.package
    out = {
        "pyproject.toml": fill(read_template("pyproject.toml.tmpl"), names),
        "README.md": fill(read_template("README.md.tmpl"), names),
        f"{pkg}/__init__.py": fill(read_template("__init__.py.tmpl"), names),
        f"{pkg}/plan.toml": skeleton(names),
        "tests/test_plan.py": fill(read_template("test_plan.py.tmpl"), names),
    }
    out[f"{pkg}/example/observations.csv"] = example_form(out[f"{pkg}/plan.toml"])
    return out


def example_form(plan_text: str) -> str:
    """The reporting form of the skeleton plan, with illustrative values for its measures."""
    import tempfile

    from plancheck.data.forms import form_rows, write_csv
    from plancheck.plans.planfile import load_plan

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.toml"
        path.write_text(plan_text, encoding="utf-8")
        plan = load_plan(path)
    rows = [r for r in form_rows(plan) if r.kind == "measure"]
    before = str(plan.period.start.year - 1)
    buf = io.StringIO()
    write_csv([], buf)
    writer = csv.writer(buf, lineterminator="\n")
    for r in rows:
        cells = r.as_csv()
        value = EXAMPLE_VALUES.get(r.item, "")
        if r.period == before:
            value = PREVIOUS_VALUES.get(r.item, value)
        cells[-2] = UNIT_VALUES.get((r.item, r.unit), value)
        writer.writerow(cells)
    return buf.getvalue()


def create(names: Names, parent: Path) -> Path:
    """Write the new distribution into ``parent``/plancheck-<id>/; return its directory.

    Raises FileExistsError if that directory exists (nothing is written).
    """
    target = parent / names.directory
    content = files(names)  # built first: nothing is written if this fails
    target.mkdir(parents=True, exist_ok=False)
    for rel, text in content.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target
