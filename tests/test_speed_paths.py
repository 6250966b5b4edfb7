"""The faster paths of issue 20 say exactly what the plain ones say.

* a run's findings written straight to JSON text (no dict per finding) give the very bytes
  ``json.dumps`` of their dicts gives, on every plan's findings and on odd values;
* a command ends its process without taking the interpreter apart, and still runs what was
  registered with atexit, flushes all of its output and keeps its exit code;
* a lineage file is read once per version, and read again when it changes;
* a SQLite database never loads SQLAlchemy's PostgreSQL dialect, and the unique index of
  current values stays partial on both databases.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck.cli import cli
from plancheck.judge.findings import Evidence, Finding, Report
from plancheck.publish.text import json_text, run_document

PROVINCES = ("hung_yen", "vinh_long", "tien_giang", "ninh_binh")


def _both(report: Report) -> tuple[str, str]:
    return json_text(run_document(report, objects=True)), json_text(run_document(report))


@pytest.mark.parametrize("province", PROVINCES)
@pytest.mark.parametrize("as_of", ["2024-06-30", "2025-01-20", "2026-11-30"])
def test_findings_written_as_objects_are_the_bytes_of_their_dicts(province, as_of, runner):
    import click

    from plancheck.cli.context import evaluate_province

    with click.Context(cli, obj={"db": None}) as ctx:
        _pm, _reg, _plans, report = evaluate_province(ctx, province, date.fromisoformat(as_of), True, None, "low")
    fast, plain = _both(report)
    assert fast == plain
    assert json.loads(fast)["findings"] == [f.to_json() for f in report.findings]


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", "\x00\x1b[31m\r\n\t\"\\", "Xã Tân Phú — 53/161", "\U0001f600", "\u2028"])
_number = (st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10**20, 10**20) | st.none()
           | st.booleans() | _text)
_evidence = st.builds(Evidence, item=_text, unit=_text, period=_text, value=st.floats() | st.none(),
                      date=st.dates() | st.none(), source_file=_text, row=st.integers(-5, 10**9) | st.none(),
                      derived=st.booleans())


@st.composite
def _findings(draw):
    shared = draw(st.lists(_evidence, max_size=3))
    out = []
    for _ in range(draw(st.integers(1, 5))):
        evidence = draw(st.lists(st.sampled_from(shared), max_size=3)) if shared else []
        out.append(Finding(
            plan=draw(_text), item=draw(_text), kind=draw(st.sampled_from(["target", "task", "obligation"])),
            name=draw(_text), agency=draw(_text), unit=draw(_text), period=draw(_text),
            due=draw(st.dates() | st.none()), status=draw(st.sampled_from(["met", "not_met", "pending", "no_data"])),
            reason=draw(_text | st.none()), expected=draw(_text), actual=draw(_number), source=draw(_text),
            days_late=draw(st.integers(-400, 400) | st.none()), assumed=draw(_text | st.none()),
            importance=draw(st.sampled_from(["low", "medium", "high"])), computation=draw(_text),
            evidence=tuple(evidence), doubt=draw(_text | st.none()), reading=draw(_text | st.none()),
            proxy=draw(_text | st.none()), waived=draw(st.booleans()),
            waiver=draw(st.none() | st.fixed_dictionaries({"id": _text, "expires": st.dates().map(str)}))))
    return out


@settings(max_examples=300, deadline=None)
@given(_findings())
def test_odd_values_are_written_as_the_encoder_writes_them(findings):
    report = Report("p", date(2025, 1, 1), tuple(findings))
    fast, plain = _both(report)
    assert fast == plain


def test_a_float_is_spelled_as_json_spells_it():
    special = Finding(plan="p", item="i", kind="target", name="n", agency="", unit="u", period="2024",
                      due=None, status="met", reason=None, expected="", actual=-0.0, source="I",
                      evidence=(Evidence(item="m", unit="u", period="2024", value=math.nan),
                                Evidence(item="m", unit="v", period="2024", value=-math.inf)))
    fast, plain = _both(Report("p", date(2025, 1, 1), (special, attrs.evolve(special, actual=1e300))))
    assert fast == plain
    assert "NaN" in fast and "-Infinity" in fast and "-0.0" in fast and "1e+300" in fast


# -- how the process ends ----------------------------------------------------------------------

def _plancheck(args, tmp_path, before=""):
    code = f"{before}\nimport sys\nsys.argv = ['plancheck', *{args!r}]\nfrom plancheck.cli import main\nmain()\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=tmp_path)


def test_a_command_ends_with_its_code_its_whole_output_and_the_atexit_functions(tmp_path):
    marker = tmp_path / "atexit.txt"
    before = f"import atexit\natexit.register(lambda: open({str(marker)!r}, 'w').write('ran'))"
    piped = _plancheck(["run", "--province", "hung_yen", "--example", "--as-of", "2025-12-31", "--format", "json"],
                       tmp_path, before)
    assert piped.returncode == 1  # the example data has targets not met
    assert marker.read_text() == "ran"
    written = _plancheck(["run", "--province", "hung_yen", "--example", "--as-of", "2025-12-31", "--format", "json",
                          "-o", str(tmp_path / "run.json"), "--fail-on", "low"], tmp_path)
    assert written.returncode == 1
    assert piped.stdout == (tmp_path / "run.json").read_bytes()  # every byte reached the pipe
    assert len(piped.stdout) > 10 * 65536  # far more than a pipe holds: written while the reader read
    assert json.loads(piped.stdout)["findings"]
    unknown = _plancheck(["run", "--province", "no_such_province"], tmp_path)
    assert unknown.returncode == 2 and b"no_such_province" in unknown.stderr
    assert _plancheck(["provinces"], tmp_path).returncode == 0


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_closed_pipe_is_still_a_users_error(tmp_path, unbuffered):
    import os

    code = ("import sys\nsys.argv = ['plancheck', 'run', '--province', 'hung_yen', '--example', '--format', 'json']\n"
            "from plancheck.cli import main\nmain()\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | (
        {"PYTHONUNBUFFERED": unbuffered} if unbuffered else {})
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    proc.stdout.read(10)
    proc.stdout.close()  # the reader goes away, as `| head` does
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert b"Traceback" not in err and b"Exception ignored" not in err


# -- lineage files ------------------------------------------------------------------------------

def test_a_lineage_file_is_read_once_per_version(tmp_path, monkeypatch):
    from plancheck.plans import lineage

    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(tmp_path / "cache"))
    reads: list[str] = []
    real = lineage._read_file
    monkeypatch.setattr(lineage, "_read_file", lambda path, name: reads.append(name) or real(path, name))
    path = tmp_path / "lineage.toml"
    text = ('province = "test_province"\n\n[[units]]\nid = "xa_a"\nname = "Xã A"\nlevel = "commune"\n'
            'valid_to = 2025-06-30\n')
    path.write_text(text, encoding="utf-8")
    first = lineage.read_file(path, str(path))
    assert lineage.read_file(path, str(path)) == first
    assert reads == [str(path)]
    path.write_text(text.replace("Xã A", "Xã Á"), encoding="utf-8")
    assert lineage.read_file(path, str(path)).units[0].name == "Xã Á"
    assert reads == [str(path), str(path)]


# -- the database -------------------------------------------------------------------------------

def test_sqlite_never_loads_the_postgresql_dialect(tmp_path):
    code = ("import sys\nfrom plancheck.data import store\n"
            f"store.open_engine('sqlite:///{tmp_path / 'x.db'}')\n"
            "print('sqlalchemy.dialects.postgresql' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "False"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_current_key_index_is_partial(kind, request, tmp_path):
    from sqlalchemy import text

    from plancheck.data import store

    url = f"sqlite:///{tmp_path / 'x.db'}" if kind == "sqlite" else request.getfixturevalue("postgres_url")
    engine = store.open_engine(url)
    with engine.connect() as conn:
        if kind == "sqlite":
            ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'ux_observation_current_key'")).scalar()
        else:
            ddl = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ux_observation_current_key'"
                                    )).scalar()
    engine.dispose()
    assert "UNIQUE" in ddl.upper() and "superseded_at IS NULL" in ddl.replace("(", "").replace(")", "")


# -- observations read from the database ----------------------------------------------------------

_row = st.tuples(_text, _text, _text, st.sampled_from(["measure", "task", "obligation"]), _text, _text, _text,
                 st.floats(allow_nan=False) | st.none(), st.dates() | st.none(), _text,
                 st.integers(0, 10**9) | st.none())


@settings(max_examples=100, deadline=None)
@given(st.lists(_row, max_size=8))
def test_observations_from_rows_are_the_constructors(rows):
    from plancheck.plans.model import Observation

    fields = ("province", "plan", "item", "kind", "period", "agency", "unit", "value", "date", "source_file", "row")
    made = Observation.from_rows(rows)
    assert made == [Observation(**dict(zip(fields, r, strict=True))) for r in rows]
    assert [attrs.astuple(o) for o in made] == [tuple(r) for r in rows]
    for o in made:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            o.value = 1.0  # type: ignore[misc]
