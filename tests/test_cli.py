"""The CLI contract: commands, JSON shapes, exit codes, messages, nothing written on error."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.cli import cli

HY = "hung_yen-2024-xa-khong-ma-tuy"


def rows_in_db(url: str) -> int:
    path = url.removeprefix("sqlite:///")
    try:
        with sqlite3.connect(path) as conn:
            return conn.execute("select count(*) from observation").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # no database, or no table yet: nothing written


def test_provinces_lists_the_four_built_in_plugins(runner):
    res = runner.invoke(cli, ["provinces", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    names = {p["province"]: p["name"] for p in data["provinces"]}
    assert names == {"hung_yen": "Hưng Yên", "ninh_binh": "Ninh Bình", "tien_giang": "Tiền Giang",
                     "vinh_long": "Vĩnh Long"}
    assert data["failed"] == []


def test_a_broken_plugin_is_listed_as_failed_and_breaks_nothing(runner, install_plugin):
    install_plugin("plancheck_test_broken", "raise RuntimeError('boom at import')\n")
    res = runner.invoke(cli, ["provinces"])
    assert res.exit_code == 0
    assert "test_broken" in res.output and "FAILED" in res.output
    assert "RuntimeError: boom at import" in res.output
    assert "hung_yen" in res.output
    assert runner.invoke(cli, ["plan", "show", "--province", "hung_yen"]).exit_code == 0
    res = runner.invoke(cli, ["run", "--province", "test_broken"])
    assert res.exit_code == 2
    assert "plugin failed to load" in res.stderr and "boom at import" in res.stderr


def test_plugin_for_another_api_version_is_refused(runner, install_plugin):
    install_plugin("plancheck_test_future", PLUGIN_SOURCE.replace("api_version=1", "api_version=7"),
                   {"plan.toml": MINIMAL_PLAN}, entry_point="test_province")
    data = json.loads(runner.invoke(cli, ["provinces", "--format", "json"]).output)
    [failed] = data["failed"]
    assert failed["plugin"] == "test_province"
    assert "written for plugin API version 7; this plancheck supports version 1" in failed["reason"]
    assert len(data["provinces"]) == 4


def test_misspelt_hook_implementation_is_an_error_not_silence(runner, install_plugin):
    install_plugin("plancheck_test_typo", PLUGIN_SOURCE + '''
@hookimpl
def register_plan(register):
    pass
''', {"plan.toml": MINIMAL_PLAN}, entry_point="test_province")
    data = json.loads(runner.invoke(cli, ["provinces", "--format", "json"]).output)
    assert any("register_plan" in f["reason"] for f in data["failed"])


def test_bad_plan_file_exits_2_naming_file_and_key(runner, install_plugin):
    install_plugin("plancheck_test_badplan", PLUGIN_SOURCE,
                   {"plan.toml": MINIMAL_PLAN.replace('source = "III.1.2"', 'soruce = "III.1.2"')},
                   entry_point="test_province")
    res = runner.invoke(cli, ["plan", "show", "--province", "test_province"])
    assert res.exit_code == 2
    assert "plan.toml: unknown keys: soruce @ $.tasks[0]" in res.stderr
    assert "plan.toml: required field missing @ $.tasks[0].source" in res.stderr
    assert "Traceback" not in res.output


def test_plan_show_json_shape(runner):
    res = runner.invoke(cli, ["plan", "show", "--province", "hung_yen", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["province"] == "hung_yen"
    [plan] = doc["plans"]
    for key in ("id", "title", "document", "signed", "period", "source_file", "agencies", "units",
                "measures", "projects", "targets", "rules", "tasks", "obligations"):
        assert key in plan
    for coll in ("agencies", "units", "measures", "targets", "rules", "tasks", "obligations"):
        for el in plan[coll]:
            assert el["id"] and el["name"] and el["source"], (coll, el)
    t = next(t for t in plan["targets"] if t["id"] == "drug_free_53_of_161")
    assert (t["comparator"], t["threshold"], t["of"]) == (">=", 53.0, 161)
    # recurring obligations: one entry per period, each with its ISO due date
    dues = [(o["period"], o["due"]) for o in plan["obligations"] if o["obligation"] == "periodic_reports"]
    assert dues == [("2024Q1", "2024-03-12"), ("2024S1", "2024-06-11"), ("2024Q3", "2024-09-12"),
                    ("2024", "2024-11-30")]


def test_unknown_province_is_a_usage_error(runner):
    res = runner.invoke(cli, ["run", "--province", "ha_noi"])
    assert res.exit_code == 2
    assert "unknown province 'ha_noi'; installed: hung_yen, ninh_binh, tien_giang, vinh_long" in res.stderr


def test_template_columns_and_rows(runner):
    res = runner.invoke(cli, ["template", "--province", "hung_yen"])
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert list(rows[0]) == ["province", "plan", "item", "kind", "agency", "unit", "period", "due",
                             "description", "value", "date"]
    q1 = [r for r in rows if r["item"] == "periodic_reports" and r["period"] == "2024Q1"]
    # V.1-V.2: the provincial departments, agencies and mass organisations, as one collective (issue 16)
    assert len(q1) == 1 and {r["due"] for r in q1} == {"2024-03-12"}
    # derived measures are never asked for; their inputs are
    items = {r["item"] for r in rows}
    assert "addicts_counted" not in items and "methadone_compliant_12m" in items
    only = runner.invoke(cli, ["template", "--province", "hung_yen", "--agency", "ubnd_kim_dong"])
    agencies = {r["agency"] for r in csv.DictReader(io.StringIO(only.stdout))}
    assert agencies == {"ubnd_kim_dong"}


def form(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["province", "plan", "item", "kind", "agency", "unit",
                                        "period", "due", "description", "value", "date"],
                       lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({"province": "hung_yen", "plan": HY, "agency": "", "unit": "", "due": "",
                    "description": "", "value": "", "date": "", **r})
    return buf.getvalue()


def test_ingest_run_correct_and_history(runner, tmp_path, isolated_db):
    f1 = tmp_path / "q1.csv"
    f1.write_text(form([
        {"item": "periodic_reports", "kind": "obligation", "agency": "so_ban_nganh_doan_the", "period": "2024Q1",
         "date": "2024-03-14"},
        {"item": "bodies_total", "kind": "measure", "unit": "hung_yen", "period": "2024", "value": "1250"},
        {"item": "bodies_drug_free", "kind": "measure", "unit": "hung_yen", "period": "2024", "value": "1198"},
        {"item": "hotspots", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024"},  # empty
    ]), encoding="utf-8")
    res = runner.invoke(cli, ["ingest", str(f1), "--format", "json"])
    assert res.exit_code == 0, res.output
    [s] = json.loads(res.stdout)
    assert (s["new"], s["updated"], s["unchanged"], s["ignored"]) == (3, 0, 0, 1)
    again = json.loads(runner.invoke(cli, ["ingest", str(f1), "--format", "json"]).stdout)[0]
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 3)

    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "2025-01-15",
                              "--format", "json"])
    assert res.exit_code == 1
    out = json.loads(res.stdout)
    assert set(out) == {"province", "as_of", "fail_on", "notices", "findings", "summary", "rollups"}
    f = next(f for f in out["findings"] if f["item"] == "periodic_reports"
             and f["agency"] == "so_ban_nganh_doan_the" and f["period"] == "2024Q1")
    assert (f["status"], f["reason"], f["days_late"], f["due"], f["actual"], f["source"]) == (
        "not_met", "late", 2, "2024-03-12", "2024-03-14", "V.2")
    b = next(f for f in out["findings"] if f["item"] == "bodies_drug_free_100")
    assert (b["status"], b["actual"], b["expected"]) == ("not_met", 95.84, ">= 100%")

    # a correction: the new value counts, the old one is kept in history
    f2 = tmp_path / "q1-corrected.csv"
    f2.write_text(form([{"item": "bodies_drug_free", "kind": "measure", "unit": "hung_yen",
                         "period": "2024", "value": "1250"}]), encoding="utf-8")
    res = runner.invoke(cli, ["ingest", str(f2), "--reporter", "Phòng PC04", "--format", "json"])
    assert json.loads(res.stdout)[0]["updated"] == 1
    out = json.loads(runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "2025-01-15",
                                         "--format", "json"]).stdout)
    b = next(f for f in out["findings"] if f["item"] == "bodies_drug_free_100")
    assert (b["status"], b["actual"]) == ("met", 100.0)
    hist = json.loads(runner.invoke(cli, ["history", "--province", "hung_yen", "--item",
                                          "bodies_drug_free", "--format", "json"]).stdout)
    assert [(h["value"], h["current"], h["source_file"]) for h in hist] == [
        (1198.0, False, "q1.csv"), (1250.0, True, "q1-corrected.csv")]
    assert hist[1]["reporter"] == "Phòng PC04" and len(hist[1]["source_sha256"]) == 64


def test_bad_form_is_rejected_whole_with_every_problem(runner, tmp_path, isolated_db):
    bad = tmp_path / "bad.csv"
    bad.write_text(form([
        {"item": "bodies_total", "kind": "measure", "unit": "hung_yen", "period": "2024", "value": "1250"},
        {"item": "bodies_drug_free", "kind": "measure", "unit": "hung_yen", "period": "2024", "value": "1300"},
        {"item": "hotspots", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024", "value": "-1"},
        {"item": "hotspots", "kind": "measure", "unit": "ha_noi", "period": "2024", "value": "1"},
        {"item": "periodic_reports", "kind": "obligation", "agency": "so_ban_nganh_doan_the", "period": "2024Q1",
         "value": "3"},
        {"item": "issue_criteria", "kind": "task", "agency": "cong_an_tinh", "period": "2024",
         "date": "2099-01-01"},
        {"item": "population", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024",
         "value": "1.000"},
    ]), encoding="utf-8")
    res = runner.invoke(cli, ["ingest", str(bad)])
    assert res.exit_code == 2
    err = res.stderr
    # each problem names the cell as the spreadsheet does, with its column's heading as the form prints it
    assert f"{bad}, cell J4 (column “value”): '-1': a count cannot be negative; give the figure, 0 or more" in err
    assert f"{bad}, cell F5 (column “unit”): 'ha_noi': unknown unit in plan {HY}" in err
    assert f"{bad}, cell J6 (column “value”): '3': obligation rows take a date" in err
    assert f"{bad}, cell K7 (column “date”): '2099-01-01': in the future" in err
    assert f"{bad}, cell J8 (column “value”): '1.000': ambiguous number" in err
    assert (f"{bad}, cell J3 (column “value”): '1300': bodies_drug_free is larger than bodies_total (1250, row 2) "
            "for hung_yen 2024") in err
    assert "nothing was written" in err
    assert rows_in_db(isolated_db) == 0


def test_conflicting_rows_and_bad_encoding(runner, tmp_path, isolated_db):
    dup = tmp_path / "dup.csv"
    dup.write_text(form([
        {"item": "hotspots", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024", "value": "0"},
        {"item": "hotspots", "kind": "measure", "unit": "kim_dong.nhan_la", "period": "2024", "value": "2"},
    ]), encoding="utf-8")
    res = runner.invoke(cli, ["ingest", str(dup)])
    assert res.exit_code == 2
    assert f"{dup}, cell J3 (column “value”): '2': row 2 gives 0 for the same datum" in res.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes(form([{"item": "hotspots", "kind": "measure", "unit": "Xã Nhân La", "period": "2024",
                             "value": "0"}]).encode("cp1258", errors="replace").replace(b"?", b"\xe3"))
    res = runner.invoke(cli, ["ingest", str(latin)])
    assert res.exit_code == 2
    assert "not UTF-8 text" in res.stderr and "save the form as 'CSV UTF-8'" in res.stderr
    assert rows_in_db(isolated_db) == 0


def test_utf16_and_bom_and_decomposed_names_are_read(runner, tmp_path):
    import unicodedata

    text = form([{"item": "hotspots", "kind": "measure",
                  "unit": unicodedata.normalize("NFD", "Xã Nhân La"), "period": "2024", "value": "0"}])
    for enc, name in (("utf-16", "u16.csv"), ("utf-8-sig", "bom.csv")):
        p = tmp_path / name
        p.write_bytes(text.encode(enc))
        res = runner.invoke(cli, ["ingest", str(p), "--dry-run", "--format", "json"])
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout)[0]["new"] == 1


def test_dry_run_writes_nothing(runner, tmp_path, isolated_db):
    p = tmp_path / "f.csv"
    p.write_text(form([{"item": "bodies_total", "kind": "measure", "unit": "hung_yen",
                        "period": "2024", "value": "10"}]), encoding="utf-8")
    res = runner.invoke(cli, ["ingest", str(p), "--dry-run"])
    assert res.exit_code == 0 and "nothing was written" in res.stderr
    assert rows_in_db(isolated_db) == 0


def test_run_with_no_data_points_at_the_example(runner):
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "2024-01-15"])
    assert "No data ingested for hung_yen yet" in res.stderr
    assert "--example" in res.stderr
    assert res.exit_code == 0  # nothing is due yet on 15/01/2024: all pending


def test_bad_as_of_date(runner):
    res = runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "12/3/24"])
    assert res.exit_code == 2 and "write the year in full" in res.stderr


def test_python_dash_m_and_stderr_stdout_split():
    res = subprocess.run([sys.executable, "-m", "plancheck", "run", "--province", "hung_yen",
                          "--example", "--format", "json"], capture_output=True, text=True,
                         encoding="utf-8")
    assert res.returncode == 1
    data = json.loads(res.stdout)
    assert data["summary"]["not_met"] > 0
    assert any("EXAMPLE DATA" in n for n in data["notices"])


def test_a_hanging_plugin_is_reported_and_the_others_carry_on(runner, install_plugin, monkeypatch):
    monkeypatch.setenv("PLANCHECK_PLUGIN_TIMEOUT", "1")
    install_plugin("plancheck_test_hang", "import time\ntime.sleep(30)\n")
    res = runner.invoke(cli, ["provinces", "--format", "json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    [failed] = data["failed"]
    assert failed["plugin"] == "test_hang"
    assert "importing plancheck_test_hang did not finish within 1 s" in failed["reason"]
    assert len(data["provinces"]) == 4
    res = runner.invoke(cli, ["run", "--province", "test_hang"])
    assert res.exit_code == 2 and "did not finish within 1 s" in res.stderr
