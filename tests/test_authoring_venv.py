"""A provincial developer's first hour, for real: scaffold, install, edit, check, run, test.

Nothing is mocked: a fresh virtualenv, ``pip install`` of plancheck from this
repository and of the scaffolded plugin (editable), then the installed
``plancheck`` command in subprocesses. Slow (a minute or so, most of it pip),
but part of the normal run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

NEW_TARGET = '''
[[targets]]
id = "models_each_commune"
name = "Mỗi xã có ít nhất 01 mô hình phòng, chống ma túy hoạt động hiệu quả"
name_en = "At least one working prevention model in each commune"
kind = "value"
measure = "prevention_models"
comparator = ">="
threshold = 1
scope = "each_commune"
period = "{year}"
agency = "ubnd_cap_xa"
source = "III.4"
'''


def _env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(venv)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(venv: Path, *args: str | Path, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=_env(venv), capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)


@pytest.fixture(scope="session")
def venv(tmp_path_factory) -> Path:
    """A fresh virtualenv with plancheck installed from this repository (editable) and pytest."""
    path = tmp_path_factory.mktemp("venv") / "env"
    res = subprocess.run([sys.executable, "-m", "venv", str(path)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    res = _run(path, path / "bin" / "python", "-m", "pip", "install", "-q", "-e", ROOT, "pytest>=8")
    assert res.returncode == 0, res.stdout + res.stderr
    return path


def test_scaffold_install_edit_check_run_and_test_a_new_province(venv, tmp_path):
    bin_ = venv / "bin"
    res = _run(venv, bin_ / "plancheck", "plugin", "new", "demo_tinh", "--name", "Tỉnh Demo", "-o", tmp_path)
    assert res.returncode == 0, res.stderr
    top = tmp_path / "plancheck-demo-tinh"
    assert (top / "pyproject.toml").is_file()

    # Before it is installed, plancheck does not know it.
    res = _run(venv, bin_ / "plancheck", "provinces", "--format", "json")
    assert "demo_tinh" not in {p["province"] for p in json.loads(res.stdout)["provinces"]}

    res = _run(venv, bin_ / "python", "-m", "pip", "install", "-q", "-e", f"{top}[test]")
    assert res.returncode == 0, res.stdout + res.stderr

    # The developer's first edit: one more target.
    plan_file = top / "plancheck_demo_tinh" / "plan.toml"
    year = tomllib.loads(plan_file.read_text(encoding="utf-8"))["period"]["start"].year
    with plan_file.open("a", encoding="utf-8") as fh:
        fh.write(NEW_TARGET.format(year=year))

    res = _run(venv, bin_ / "plancheck", "provinces", "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    [mine] = [p for p in data["provinces"] if p["province"] == "demo_tinh"]
    assert (mine["name"], mine["api_version"]) == ("Tỉnh Demo", 1)
    assert mine["plans"] == [str(plan_file)]
    assert data["failed"] == []

    res = _run(venv, bin_ / "plancheck", "plugin", "check", "demo_tinh")
    assert (res.returncode, res.stdout) == (0, ""), res.stdout + res.stderr
    assert res.stderr.strip() == "ok: 1 plan file checked, no problems"

    res = _run(venv, bin_ / "plancheck", "run", "--province", "demo_tinh", "--example",
               "--as-of", f"{year + 1}-01-31", "--format", "json")
    assert res.returncode == 1, res.stderr  # the example has a commune with a hotspot
    report = json.loads(res.stdout)
    new = {f["unit"]: f["status"] for f in report["findings"] if f["item"] == "models_each_commune"}
    assert new == {"huyen_a.xa_a": "met", "huyen_a.xa_b": "met"}
    hotspots = {f["unit"]: (f["status"], f["reason"]) for f in report["findings"] if f["item"] == "no_hotspots"}
    assert hotspots == {"huyen_a.xa_a": ("met", None), "huyen_a.xa_b": ("not_met", "above_limit")}
    assert any("EXAMPLE DATA" in n for n in report["notices"])

    # The scaffold's own tests, with the virtualenv's pytest.
    res = _run(venv, bin_ / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=top)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "4 passed" in res.stdout
