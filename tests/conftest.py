"""Shared fixtures.

Plugins in tests are installed for real: a fixture writes a module and a
``*.dist-info`` directory with an ``entry_points.txt`` into a temporary
directory on ``sys.path``, which is exactly what ``pip install`` leaves
behind, so core discovers them through ``importlib.metadata`` as it would an
outside province. Nothing is mocked.
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def plan_cache_dir(tmp_path_factory) -> Path:
    """One cache of checked plans for the whole run: its keys are the plan files' contents."""
    return tmp_path_factory.mktemp("plan-cache")


@pytest.fixture(autouse=True)
def isolated_db(tmp_path, monkeypatch, plan_cache_dir):
    """Every test gets its own database; nothing touches the user's data or cache directory."""
    url = f"sqlite:///{tmp_path / 'plancheck.db'}"
    monkeypatch.setenv("PLANCHECK_DB", url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(plan_cache_dir))
    monkeypatch.delenv("PLANCHECK_NO_CACHE", raising=False)
    for var in ("PLANCHECK_LANG", "LC_ALL", "LC_MESSAGES"):  # English unless a test chooses (plancheck.language)
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return url


@pytest.fixture
def install_plugin(tmp_path, monkeypatch):
    """Install a throwaway province plugin: ``install_plugin(name, module_source, files)``.

    Returns the directory added to ``sys.path`` (also exported in PYTHONPATH
    for subprocesses).
    """
    site = tmp_path / "site"
    site.mkdir()

    def install(name: str, source: str, files: dict[str, str] | None = None,
                entry_point: str | None = None) -> Path:
        pkg = site / name
        pkg.mkdir()
        (pkg / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")
        for fname, text in (files or {}).items():
            (pkg / fname).write_text(textwrap.dedent(text), encoding="utf-8")
        dist = site / f"{name}-0.1.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
        ep = entry_point or name.removeprefix("plancheck_")
        (dist / "entry_points.txt").write_text(f"[plancheck.provinces]\n{ep} = {name}\n")
        return site

    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    yield install
    for mod in [m for m in sys.modules if m.startswith("plancheck_test")]:
        del sys.modules[mod]


MINIMAL_PLAN = '''
id = "test-2024"
province = "test_province"
province_name = "Tỉnh Thử"
title = "Kế hoạch thử"
title_en = "Test plan"
issuer = "Ủy ban nhân dân tỉnh Thử"
period = { start = 2024-01-01, end = 2024-12-31 }
source_file = "test.txt"
source = "preamble"

[[agencies]]
id = "cong_an_tinh"
name = "Công an tỉnh"
name_en = "Provincial Police"
level = "province"
source = "V.2"

[[units]]
id = "test_province"
name = "Tỉnh Thử"
name_en = "Test province"
level = "province"
source = "I"

[[tasks]]
id = "criteria"
name = "Ban hành tiêu chí"
name_en = "Issue the criteria"
agencies = ["cong_an_tinh"]
deadline = "Hoàn thành trong quý I/2024"
source = "III.1.2"
'''

PLUGIN_SOURCE = '''
from pathlib import Path
from plancheck import hookimpl

@hookimpl
def register_plans(register):
    register(Path(__file__).parent / "plan.toml", province="test_province",
             province_name="Tỉnh Thử", api_version=1)
'''


# -- a real PostgreSQL server, started and stopped by the test session -------------

def _pgserver():
    """benchmarks/pgserver.py, the one place that knows how to start a throwaway server."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("plancheck_pgserver", ROOT / "benchmarks" / "pgserver.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server on 127.0.0.1 for this test session; yields its base URL.

    The PostgreSQL tests never skip: a server that cannot start fails them.
    """
    try:
        with _pgserver().postgres_server() as url:
            yield url
    except RuntimeError as exc:  # binaries missing, initdb or start failed
        pytest.fail(f"{exc} (the PostgreSQL tests do not skip)")


@pytest.fixture
def postgres_url(postgres_server, monkeypatch):
    """A fresh, empty database on the session's server, also set as PLANCHECK_DB."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    plain = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{postgres_server}/{name}"
    monkeypatch.setenv("PLANCHECK_DB", url)
    return url
