"""The benchmarks run at a tiny scale, so they cannot rot. No timing is asserted."""

import importlib.util
import sys

from conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"


def load(name: str):
    sys.path.insert(0, str(BENCHMARKS))  # run.py imports its sibling modules, as when run as a script
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod  # dataclasses look their module up there
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_startup_benchmark_runs():
    rows = load("startup").main(["--repeat", "1"])
    assert [r["what"] for r in rows] == ["plancheck --help", "plancheck provinces"]
    assert all(r["seconds"] > 0 and r["baseline"] > 0 for r in rows)


def test_generated_plans_are_valid_plans(tmp_path):
    """Every plan the national generator writes loads as a plan, with what issue 9 asks of it."""
    from plancheck.plans.planfile import load_plan

    national = load("national")
    info = national.generate(tmp_path, scale=0.001, provinces=2)
    assert info["provinces"] == ["tinh_01", "tinh_02"]
    plans = [load_plan(tmp_path / "site" / national.PLUGIN / "plans" / f"{p}.toml") for p in info["provinces"]]
    for plan in plans:
        assert (plan.period.start.isoformat(), plan.period.end.isoformat()) == ("2021-01-01", "2025-12-31")
        communes = [u for u in plan.units if u.level == "commune"]
        assert communes and all(u.parent and u.parent.startswith(f"{plan.province}.h") for u in communes)
        measures = [m for m in plan.measures if m.level == "commune"]
        assert len(measures) == 12 and {m.period_type for m in measures} == {"quarterly"}
        assert {t.kind for t in plan.targets if t.scope == "each_commune"} == {"value", "ratio"}
        assert {t.national for t in plan.targets if t.national} >= {"services_reached", "cases_resolved"}
        assert plan.adopts is not None and plan.adopts.programme == "decision-1452-2021"
        assert {o.recurrence for o in plan.obligations} == {"quarterly"}
    assert any(t.id == "national.no_new_hotspots" for t in plans[1].targets)  # adopted, not restated
    dist = tmp_path / "site" / f"{national.PLUGIN}-0.1.dist-info" / "entry_points.txt"
    assert dist.read_text().startswith("[plancheck.provinces]")


def test_national_benchmark_runs_and_prints_every_figure(capsys):
    run = load("run")
    rows = run.main(["--scale", "0.001", "--provinces", "3", "--db", "sqlite", "--repeat", "1", "--quiet"])
    figures = [(r.what, r.db, r.scale) for r in rows]
    expected = [(w, "-", None) for w in run.STARTUP]
    expected += [(w, "sqlite", s) for s in (0.0001, 0.001) for w in run.FIGURES]
    expected += [(w, "sqlite", 0.001) for w in run.GROWTH]
    assert figures == expected
    for r in rows:
        assert r.holds in (True, False, None)
        if r.baseline_seconds is not None:
            assert r.seconds and r.seconds > 0 and r.baseline_seconds > 0 and r.ratio is not None
    printed = capsys.readouterr().out
    assert "machine:" in printed and "command: python benchmarks/run.py" in printed
    for what in {w for w, _, _ in figures}:
        assert what in printed
