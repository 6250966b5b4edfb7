"""ruff and mypy stay green: they run with the tests, so CI keeps them so."""

import subprocess
import sys

from conftest import ROOT


def test_ruff():
    res = subprocess.run([sys.executable, "-m", "ruff", "check", "core", "plugins", "tests", "benchmarks"], cwd=ROOT,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy():
    res = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
