"""The benchmarks run at a tiny scale, so they cannot rot. No timing is asserted."""

import importlib.util

from conftest import ROOT


def test_startup_benchmark_runs():
    spec = importlib.util.spec_from_file_location("startup", ROOT / "benchmarks" / "startup.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rows = mod.main(["--repeat", "1"])
    assert [r["what"] for r in rows] == ["plancheck --help", "plancheck provinces"]
    assert all(r["seconds"] > 0 and r["baseline"] > 0 for r in rows)
