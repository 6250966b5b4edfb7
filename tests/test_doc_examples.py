"""Every `plancheck` example in README.md and docs/*.md runs, and says what the program does.

Each document's shell examples (a ``plancheck ...`` line, or ``$ plancheck ...``
followed by the output it shows, in a fenced block) run in order, as a reader
would type them, in one scratch home and database per document. The exit code
must be the one the line states (``# exit 1: ...``; no statement means 0), and
a shown output must be the real output (only today's date is normalised).

A line that cannot run here says so in the document itself with a visible
``# not run: <why>`` comment; those are counted, never silently skipped. What
an example needs that the text only describes (a filled form, a second saved
run, the plan text, an installed plugin) is made by a fixture below, not by
skipping the example.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.M | re.S)
_EXIT = re.compile(r"#.*\bexit (\d)\b")
_NOT_RUN = re.compile(r"#\s*not run: (.+)$")


@dataclass(frozen=True)
class Example:
    doc: str
    line: int
    command: str
    expected_exit: int
    shown: str | None
    not_run: str | None


def examples(path: Path) -> list[Example]:
    text = path.read_text(encoding="utf-8")
    found: list[Example] = []
    for block in _FENCE.finditer(text):
        first_line = text.count("\n", 0, block.start(2)) + 1
        lines = block[2].splitlines()
        i = 0
        while i < len(lines):
            raw = lines[i].strip()
            shown_follows = raw.startswith("$ plancheck ")
            command = raw[2:] if shown_follows else raw
            if not (command.startswith("plancheck ") or re.search(r"&&\s*plancheck ", command)):
                i += 1
                continue
            shown = None
            j = i + 1
            if shown_follows:
                out = []
                while j < len(lines) and not lines[j].startswith("$ "):
                    out.append(lines[j])
                    j += 1
                shown = "\n".join(out).strip("\n")
            not_run = _NOT_RUN.search(command)
            code = _EXIT.search(command)
            found.append(Example(path.name, first_line + i, command, int(code[1]) if code else 0, shown,
                                 not_run[1].strip() if not_run else None))
            i = j if shown_follows else i + 1
    return found


ALL = {path.name: examples(path) for path in DOCS}


def test_every_document_with_commands_is_covered():
    assert sum(len(v) for v in ALL.values()) > 30
    assert ALL["README.md"], "the README lost its examples"


def test_marked_examples_are_counted_and_say_why():
    marked = [e for v in ALL.values() for e in v if e.not_run]
    for e in marked:
        assert len(e.not_run.split()) >= 2, f"{e.doc}:{e.line}: say why it cannot run here"
    print(f"\n{len(marked)} of {sum(len(v) for v in ALL.values())} examples marked 'not run': "
          + "; ".join(f"{e.doc}:{e.line}" for e in marked))
    assert len(marked) <= 5, "more than a handful of examples cannot run: make fixtures for them"


class Scratch:
    """A reader's machine: a home, a database, a working directory, the plan texts at ../shared."""

    def __init__(self, base: Path, cache: Path) -> None:
        self.base = base
        self.work = base / "work"
        self.work.mkdir()
        (base / "home").mkdir()
        (base / "shared").symlink_to(ROOT.parent / "shared")
        self.site = base / "site"
        self.site.mkdir()
        self.env = dict(os.environ)
        for var in ("PLANCHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
            self.env.pop(var, None)
        self.env.update({
            "HOME": str(base / "home"),
            "PLANCHECK_DB": f"sqlite:///{base / 'plancheck.db'}",
            "XDG_DATA_HOME": str(base / "xdg"),
            "PLANCHECK_CACHE_DIR": str(cache),
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), self.env.get("PATH", "")]),
            "PYTHONPATH": os.pathsep.join([str(self.site), self.env.get("PYTHONPATH", "")]),
            "COLUMNS": "200",
        })
        self.filled: set[str] = set()
        self.saved_runs = 0

    def run(self, command: str) -> subprocess.CompletedProcess[str]:
        # The README's first line sets up a virtualenv, then runs plancheck: the setup is what this
        # test session already is (CI makes it from a fresh clone), the command after it runs here.
        command = re.sub(r"^python3? -m venv .*?&& pip install [^&]*&&\s*", "", command)
        return subprocess.run(["bash", "-c", command], cwd=self.work, env=self.env, capture_output=True,
                              text=True, encoding="utf-8", timeout=300)

    # -- what examples need that their text only describes ------------------------------------------
    def prepare(self, e: Example, doc_text: str) -> None:
        words = e.command.split()
        for seed in SEEDS.glob("*.txt"):
            if seed.name in words:
                shutil.copy(seed, self.work / seed.name)
        if "quyet-dinh-2657.txt" in words:  # docs/drafting.md names Vĩnh Long's decision by its number
            shutil.copy(SEEDS / "000_1614eaec3b5eead3.txt", self.work / "quyet-dinh-2657.txt")
        for name in re.findall(r"^```toml\n# (\S+\.toml)\n", doc_text, re.M):
            block = re.search(rf"^```toml\n# {re.escape(name)}\n(.*?)^```", doc_text, re.M | re.S)
            if name in words and block and not (self.work / name).exists():
                (self.work / name).write_text(block[1], encoding="utf-8")
        if "bad.toml" in words:
            from test_docs import BAD_PLAN

            (self.work / "bad.toml").write_text(BAD_PLAN, encoding="utf-8")
        if words[:2] == ["plancheck", "ingest"]:
            for name in words[2:]:
                if name.endswith((".xlsx", ".csv")) and name not in self.filled and (self.work / name).exists():
                    fill_form(self.work / name)
                    self.filled.add(name)
        if words[:2] == ["plancheck", "diff"] and words[2:4] == ["1", "2"]:
            while self.saved_runs < 2:  # the text shows one `run --save`; a diff needs two
                res = self.run("plancheck run --province hung_yen --save")
                assert res.returncode in (0, 1), res.stderr
                self.saved_runs += 1
        if "path/to/plan.toml" in words:
            plans = sorted((self.base / "home" / "src").rglob("plan.toml"))
            assert plans, "no scaffolded plan.toml to check: `plugin new` should come first in the text"
            (self.work / "path" / "to").mkdir(parents=True, exist_ok=True)
            shutil.copy(plans[0], self.work / "path" / "to" / "plan.toml")

    def after(self, e: Example, res: subprocess.CompletedProcess[str]) -> None:
        words = e.command.split()
        if "--save" in words and res.returncode in (0, 1):
            self.saved_runs += 1
        if words[:3] == ["plancheck", "plugin", "new"] and res.returncode == 0:
            self.install_scaffolded(res.stdout)

    def install_scaffolded(self, listing: str) -> None:
        """What `pip install -e plancheck-<id>` leaves behind: the package on the path, its entry point."""
        init = next((Path(p) for p in listing.split() if p.endswith("__init__.py")), None)
        assert init is not None, listing
        package = init.parent
        name = package.name
        province = name.removeprefix("plancheck_")
        if province in ("hung_yen", "vinh_long", "tien_giang", "ninh_binh"):
            return  # a re-scaffold of a shipped province: the shipped one stays installed
        (self.site / name).symlink_to(package, target_is_directory=True)
        dist = self.site / f"{name}-0.1.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
        (dist / "entry_points.txt").write_text(f"[plancheck.provinces]\n{province} = {name}\n")


def fill_form(path: Path) -> None:
    """Fill a blank form as an agency would: the values of the province's illustrative example data."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["form"] if "form" in wb.sheetnames else wb.active
    header_row, heads = _header(ws)
    col = {h: i for i, h in enumerate(heads)}
    province = ws.cell(header_row + 1, col["province"] + 1).value
    example = ROOT / "plugins" / str(province) / "example" / "observations.csv"
    with example.open(encoding="utf-8") as fh:
        known = {(r["item"], r["agency"], r["unit"], r["period"]): r for r in csv.DictReader(fh)}
    filled = 0
    for row in range(header_row + 1, ws.max_row + 1):
        key = tuple(str(ws.cell(row, col[k] + 1).value or "") for k in ("item", "agency", "unit", "period"))
        found = known.get(key)  # type: ignore[arg-type]
        if not found:
            continue
        if found["value"]:
            ws.cell(row, col["value"] + 1).value = float(found["value"])
            filled += 1
        elif found["date"]:
            from datetime import date

            ws.cell(row, col["date"] + 1).value = date.fromisoformat(found["date"])
            filled += 1
    assert filled > 10, f"the example data filled only {filled} rows of {path.name}"
    wb.save(path)


def _header(ws) -> tuple[int, list[str]]:
    """The row of the form's headings, as column ids (the form may put a header block above it)."""
    from plancheck.data.forms import HEADINGS

    by_heading = {heading: key for lang in HEADINGS.values() for key, heading in lang.items()}
    by_heading.update({key: key for key in by_heading.values()})
    for row in range(1, 60):
        cells = [str(c.value or "").strip() for c in ws[row]]
        keys = [by_heading.get(c, c) for c in cells]
        if {"item", "value", "agency", "unit", "period"} <= set(keys):
            return row, keys
    raise AssertionError(f"{ws.title}: no row of column headings (item, agency, unit, period, value) found")


def _normalise(text: str) -> str:
    from plancheck.plans.calendar import today_in_vietnam

    today = today_in_vietnam()
    text = text.replace(today.isoformat(), "<today>").replace(today.strftime("%d/%m/%Y"), "<today>")
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def shown_matches(shown: str, real: str) -> bool:
    """The text's output is the real one. As in doctest's ELLIPSIS, and visible to the reader: a line
    ending in "..." stands for a line that starts so, a line "..." alone for any lines that follow."""
    want, got = _normalise(shown).splitlines(), _normalise(real).splitlines()
    i = 0
    for n, line in enumerate(want):
        if line.strip() == "...":
            rest = want[n + 1:]
            return not rest or any(shown_matches("\n".join(rest), "\n".join(got[k:])) for k in range(i, len(got)))
        if i >= len(got):
            return False
        if line.endswith("...") or line.endswith("…"):
            if not got[i].startswith(line.rstrip(".…").rstrip()):
                return False
        elif got[i] != line:
            return False
        i += 1
    return i == len(got)


def test_the_ellipsis_convention():
    assert shown_matches("a\nb: x, ...\n...", "a\nb: x, y, z\nc\nd")
    assert not shown_matches("a\nb: x, ...", "a\nb: x, y\nc")
    assert not shown_matches("a\nb", "a\nc")
    assert shown_matches("a\n...\nd", "a\nb\nc\nd")


@pytest.mark.parametrize("doc", sorted(ALL), ids=str)
def test_examples_run_as_documented(doc, tmp_path, plan_cache_dir):
    runnable = [e for e in ALL[doc] if not e.not_run]
    if not runnable:
        assert all(e.not_run for e in ALL[doc])
        return
    text = next(p for p in DOCS if p.name == doc).read_text(encoding="utf-8")
    scratch = Scratch(tmp_path, plan_cache_dir)
    failures = []
    for e in runnable:
        scratch.prepare(e, text)
        res = scratch.run(e.command)
        scratch.after(e, res)
        if res.returncode != e.expected_exit:
            failures.append(f"{e.doc}:{e.line}: `{e.command}` exited {res.returncode}, the text says "
                            f"{e.expected_exit}\n{res.stderr[-1500:]}")
            continue
        if e.shown is not None and not shown_matches(e.shown, res.stdout + res.stderr):
            failures.append(f"{e.doc}:{e.line}: `{e.command}` shows other output than the text:\n"
                            f"--- text\n{e.shown}\n--- real\n{res.stdout + res.stderr}")
    assert not failures, "\n\n".join(failures)


def _commands(group, prefix=("plancheck",)):
    import click

    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield " ".join(path), command


def _table_rows() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Commands and options (the contract)", 1)[1].split("\n#", 1)[0]
    rows: dict[str, str] = {}
    for line in table.splitlines():
        cell = re.match(r"\|\s*`(plancheck [^`]*)`", line)
        if cell:
            words = re.findall(r"[a-z][a-z_-]*", cell[1].split("[", 1)[0].split(" --", 1)[0])
            name = " ".join(w for w in words if not w.isupper())
            rows.setdefault(name, "")
            rows[name] += line.replace("\\|", "|")
    return rows


def test_the_readme_command_table_has_every_command_option_and_choice():
    """The contract table cannot lose an option: every command, option and choice of the CLI is in it."""
    import click

    from plancheck.cli import cli

    rows = _table_rows()
    missing = []
    for name, command in _commands(cli):
        row = next((text for key, text in rows.items() if key == name or key.startswith(name + " ")), None)
        if row is None:
            missing.append(f"no row for `{name}`")
            continue
        for param in command.params:
            if not isinstance(param, click.Option) or param.hidden or param.name == "help":
                continue
            flag = max(param.opts, key=len)
            if not any(re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", row) for opt in param.opts):
                missing.append(f"`{name}`: {flag}")
            if isinstance(param.type, click.Choice):
                for choice in param.type.choices:
                    if not re.search(rf"[\s\[|]{re.escape(str(choice))}[\s\]|`]", row):
                        missing.append(f"`{name}` {flag}: choice {choice}")
    assert not missing, "README.md's command table lacks: " + "; ".join(missing)
