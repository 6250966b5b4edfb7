"""The cache of checked plans (issue 9): each version of a plan file is read once, and a cache
never makes plancheck say something a fresh read would not."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.cli import cli
from plancheck.errors import InputError
from plancheck.plans import planfile
from plancheck.plans.plancache import cache_dir, known_problems


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache of this test's own, so what it finds there is what this test put there."""
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "plans"


@pytest.fixture
def parses(monkeypatch):
    """Every real read of a plan file (cache misses), by path."""
    calls: list[str] = []
    real = planfile.parse_plan

    def counting(path):
        calls.append(str(path))
        return real(path)

    monkeypatch.setattr(planfile, "parse_plan", counting)
    return calls


def test_a_plan_is_read_once_per_version(tmp_path, cache, parses):
    path = tmp_path / "plan.toml"
    path.write_text(MINIMAL_PLAN, encoding="utf-8")
    first = planfile.load_plan(path)
    second = planfile.load_plan(path)
    assert parses == [str(path)]
    assert second == first and second.tasks[0].deadline == "Hoàn thành trong quý I/2024"
    assert known_problems(path) == []
    # A changed plan is read again, and what it now says is what load_plan returns.
    path.write_text(MINIMAL_PLAN.replace("quý I/2024", "quý II/2024"), encoding="utf-8")
    assert known_problems(path) is None
    assert planfile.load_plan(path).tasks[0].deadline == "Hoàn thành trong quý II/2024"
    assert parses == [str(path), str(path)]
    # Only the current version of a plan file is kept.
    assert len(list(cache.iterdir())) == 1


def test_a_broken_plan_stays_broken_with_the_same_message(tmp_path, cache, parses):
    path = tmp_path / "plan.toml"
    path.write_text(MINIMAL_PLAN.replace('agencies = ["cong_an_tinh"]', 'agencies = ["bo_cong_an"]'),
                    encoding="utf-8")
    messages = []
    for _ in range(2):
        with pytest.raises(InputError) as exc:
            planfile.load_plan(path)
        messages.append(exc.value.lines())
    assert len(parses) == 1
    assert messages[0] == messages[1]
    assert any("bo_cong_an" in m and f"{path}:" in m and "@ $.tasks[0].agencies" in m for m in messages[0])
    assert known_problems(path) == messages[0]


def test_a_damaged_cache_entry_is_read_past(tmp_path, cache, parses):
    path = tmp_path / "plan.toml"
    path.write_text(MINIMAL_PLAN, encoding="utf-8")
    expected = planfile.load_plan(path)
    (entry,) = cache.iterdir()
    entry.write_bytes(b"not a pickle")
    assert planfile.load_plan(path) == expected
    assert len(parses) == 2


def test_no_cache_when_disabled_or_unwritable(tmp_path, monkeypatch, parses):
    path = tmp_path / "plan.toml"
    path.write_text(MINIMAL_PLAN, encoding="utf-8")
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PLANCHECK_NO_CACHE", "1")
    assert cache_dir() is None
    planfile.load_plan(path)
    planfile.load_plan(path)
    assert len(parses) == 2 and not (tmp_path / "cache").exists()
    # A cache directory that cannot be created costs speed, never an error.
    monkeypatch.delenv("PLANCHECK_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(blocker))
    assert planfile.load_plan(path).id == "test-2024"


def test_provinces_lists_a_broken_plan_cold_and_warm(install_plugin, runner, cache, parses):
    broken = MINIMAL_PLAN.replace('deadline = "Hoàn thành trong quý I/2024"', 'deadline = "sớm"')
    install_plugin("plancheck_test_cached", PLUGIN_SOURCE, {"plan.toml": broken}, entry_point="test_province")
    outputs = []
    for _ in range(2):
        result = runner.invoke(cli, ["provinces", "--format", "json"])
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.output))
    assert outputs[0] == outputs[1]
    (failed,) = [f for f in outputs[0]["failed"] if f["plugin"] == "test_province"]
    assert "sớm" in failed["reason"]
    assert "test_province" not in {p["province"] for p in outputs[0]["provinces"]}
    # The first call read the plans it did not know; the second read none.
    assert parses and all(p.endswith(".toml") for p in parses)
    first = len(parses)
    runner.invoke(cli, ["provinces"])
    assert len(parses) == first


def test_provinces_reads_no_plan_it_already_knows(cache):
    """In a fresh process, with every plan already checked, ``provinces`` imports neither the plan
    reader nor the model: no plan can have been parsed."""
    subprocess.run([sys.executable, "-m", "plancheck", "provinces"], check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "plancheck", "provinces"], check=True,
                         capture_output=True, text=True, env={**os.environ})
    assert "hung_yen" in out.stdout and "vinh_long" in out.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines()}
    assert "plancheck.plans.plugins" in imported
    assert not {"plancheck.plans.planfile", "plancheck.plans.model"} & imported


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_others_can_write_is_never_read(tmp_path, monkeypatch, parses):
    """Unpickling runs code: entries in a directory another user could write are not trusted."""
    shared = tmp_path / "shared"
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(shared))
    path = tmp_path / "plan.toml"
    path.write_text(MINIMAL_PLAN, encoding="utf-8")
    planfile.load_plan(path)
    plans = shared / "plans"
    assert plans.stat().st_mode & 0o777 == 0o700  # created private
    planfile.load_plan(path)
    assert len(parses) == 1
    plans.chmod(0o777)
    from plancheck.plans import plancache

    plancache._private.cache_clear()
    planfile.load_plan(path)
    assert len(parses) == 2  # read afresh, the entry there ignored
    assert known_problems(path) is None
