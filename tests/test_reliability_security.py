"""Security: data is never code, SQL is always parameterised, passwords are never printed,
and hostile workbooks are refused with a message in bounded memory.
"""

from __future__ import annotations

import ast
import io
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from sqlalchemy import create_engine, text

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE, ROOT
from plancheck.cli import cli
from plancheck.data.excel_form import locate

CORE = ROOT / "core"
HY = "hung_yen-2024-xa-khong-ma-tuy"
HEADER = "province,plan,item,kind,agency,unit,period,due,description,value,date\n"

# -- data is never executed -----------------------------------------------------------

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "yaml", "subprocess", "pty",
                     "jsonpickle"}
FORBIDDEN_ATTRS = {("os", "system"), ("os", "popen"), ("os", "startfile"), ("yaml", "load"),
                   ("pickle", "load"), ("pickle", "loads"), ("marshal", "loads")}
SQL_CALLS = {"text", "exec_driver_sql"}
#: Modules that may be imported by one file, reviewed: (file, module) → why no one else's data reaches it.
REVIEWED_MODULES = {
    ("plancache.py", "pickle"): "reads back only plans this user checked, from a directory only this user can "
                                "write (checked before use; tests below), like black's cache",
}
#: Code that imports modules by name does so for plugins, which are code by design.
IMPORTS_BY_NAME = {"plugins.py": "entry points of installed province plugins"}
#: SQL text built at run time, reviewed: (file, function) → why no data can reach it.
REVIEWED_SQL = {
    ("store.py", "_insert_observations"): "table and column names come from the schema and are quoted by the "
                                          "dialect; every value is a bound parameter of executemany",
}


def problems_in(source: str, name: str) -> list[str]:
    """Every place in ``source`` that could run data as code or build SQL from data."""
    out: list[str] = []
    functions: list[str] = []

    class Scan(ast.NodeVisitor):
        def visit_FunctionDef(self, node):
            functions.append(node.name)
            self.generic_visit(node)
            functions.pop()

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_Import(self, node):
            self.imports(node, [a.name for a in node.names])

        def visit_ImportFrom(self, node):
            self.imports(node, [node.module or ""])

        def imports(self, node, mods):
            for mod in mods:
                if mod.split(".")[0] in FORBIDDEN_MODULES and (Path(name).name, mod) not in REVIEWED_MODULES:
                    out.append(f"{name}:{node.lineno}: imports {mod}")

        def visit_Call(self, node):
            where, f = f"{name}:{node.lineno}", node.func
            if isinstance(f, ast.Name) and f.id in FORBIDDEN_CALLS:
                out.append(f"{where}: calls {f.id}()")
            if isinstance(f, ast.Attribute):
                if (isinstance(f.value, ast.Name) and (f.value.id, f.attr) in FORBIDDEN_ATTRS
                        and (Path(name).name, f.value.id) not in REVIEWED_MODULES):
                    out.append(f"{where}: calls {f.value.id}.{f.attr}()")
                if f.attr.startswith(("exec", "spawn")) and isinstance(f.value, ast.Name) and f.value.id == "os":
                    out.append(f"{where}: calls os.{f.attr}()")
                if f.attr == "import_module" and Path(name).name not in IMPORTS_BY_NAME:
                    out.append(f"{where}: imports a module by name")
            called = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            literal = node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
            reviewed = (Path(name).name, functions[-1] if functions else "") in REVIEWED_SQL
            if called in SQL_CALLS and node.args and not literal and not reviewed:
                out.append(f"{where}: SQL built at run time in {called}(): use a literal with bound parameters")
            self.generic_visit(node)

    Scan().visit(ast.parse(source, name))
    return out


def test_the_scan_finds_what_it_looks_for():
    bad = '''
import pickle, subprocess
from yaml import load
eval(cell)
os.system(cmd)
conn.execute(text(f"select * from observation where unit = '{unit}'"))
conn.exec_driver_sql("select " + column)
'''
    found = problems_in(bad, "bad.py")
    assert len(found) == 7, found
    assert problems_in('conn.execute(text("select 1 where a = :a"), {"a": x})', "ok.py") == []
    # a reviewed function is reviewed in its own file only
    assert problems_in("def _insert_observations(c):\n    c.exec_driver_sql(f'{x}')", "store.py") == []
    assert len(problems_in("def _insert_observations(c):\n    c.exec_driver_sql(f'{x}')", "cli.py")) == 1
    # pickle is reviewed for the plan cache alone
    assert problems_in("import pickle\npickle.load(fh)", "plancache.py") == []
    assert len(problems_in("import pickle\npickle.load(fh)", "store.py")) == 2


def test_core_never_runs_data_as_code_nor_builds_sql_from_it():
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 15
    found = [p for f in files for p in problems_in(f.read_text(encoding="utf-8"), str(f.relative_to(ROOT)))]
    assert found == []


def test_a_plan_that_looks_like_code_is_only_text(runner, install_plugin, tmp_path):
    marker = tmp_path / "pwned"
    payload = f"__import__('os').system('touch {marker}')"
    plan = MINIMAL_PLAN.replace('title = "Kế hoạch thử"', f'title = "{payload}"')
    install_plugin("plancheck_test_code", PLUGIN_SOURCE, {"plan.toml": plan}, entry_point="test_province")
    res = runner.invoke(cli, ["plan", "show", "--province", "test_province", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["plans"][0]["title"] == payload
    assert not marker.exists()


# -- SQL is parameterised ---------------------------------------------------------------

INJECTIONS = ["'; DROP TABLE observation; --", "Robert'); DROP TABLE observation; --"]

INJECTED_PLAN = MINIMAL_PLAN.replace('id = "cong_an_tinh"', f'id = "{INJECTIONS[0]}"').replace(
    'agencies = ["cong_an_tinh"]', f'agencies = ["{INJECTIONS[0]}"]') + f'''
[[units]]
id = "{INJECTIONS[1]}"
name = "Xã {INJECTIONS[1]}"
name_en = "Commune"
level = "commune"
parent = "test_province"
source = "I"

[[measures]]
id = "hotspots"
name = "Điểm nóng"
name_en = "Hotspots"
unit = "count"
level = "commune"
period_type = "yearly"
source = "I.1"

[[targets]]
id = "no_hotspots"
name = "Không có điểm nóng"
name_en = "No hotspots"
kind = "value"
measure = "hotspots"
comparator = "<="
threshold = 0
scope = "each_commune"
period = "2024"
source = "I.1"
'''


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, isolated_db):
    if request.param == "sqlite":
        return isolated_db
    return request.getfixturevalue("postgres_url")


def table_rows(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as c:
        n = c.execute(text("select count(*) from observation")).scalar()
    engine.dispose()
    return n


def test_ids_and_names_that_are_sql_are_stored_literally(runner, install_plugin, tmp_path, db_url):
    install_plugin("plancheck_test_inject", PLUGIN_SOURCE, {"plan.toml": INJECTED_PLAN},
                   entry_point="test_province")
    form = tmp_path / "x'); DROP TABLE observation; --.csv"
    form.write_text(HEADER + "\n".join([
        f'test_province,test-2024,hotspots,measure,,"{INJECTIONS[1]}",2024,,,3,',
        f'test_province,test-2024,criteria,task,"{INJECTIONS[0]}",,2024,,,,2024-03-01',
    ]) + "\n", encoding="utf-8")
    res = runner.invoke(cli, ["--db", db_url, "ingest", str(form), "--reporter", INJECTIONS[1], "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["new"] == 2
    assert table_rows(db_url) == 2
    hist = json.loads(runner.invoke(cli, ["--db", db_url, "history", "--province", "test_province", "--item",
                                          "hotspots", "--format", "json"]).stdout)
    assert [(h["unit"], h["reporter"], h["source_file"]) for h in hist] == [(INJECTIONS[1], INJECTIONS[1], form.name)]
    task = json.loads(runner.invoke(cli, ["--db", db_url, "history", "--province", "test_province", "--item",
                                          "criteria", "--format", "json"]).stdout)
    assert [h["agency"] for h in task] == [INJECTIONS[0]]
    res = runner.invoke(cli, ["--db", db_url, "run", "--province", "test_province", "--as-of", "2025-01-01",
                              "--format", "json"])
    assert res.exit_code == 1, res.output
    [f] = [f for f in json.loads(res.stdout)["findings"] if f["item"] == "no_hotspots"]
    assert (f["unit"], f["status"], f["actual"]) == (INJECTIONS[1], "not_met", 3.0)
    # lookups with SQL in them match nothing (an unknown item or province is refused, exit 2), and
    # change nothing
    for item in ("x' OR '1'='1", "hotspots' --", *INJECTIONS):
        res = runner.invoke(cli, ["--db", db_url, "history", "--province", "test_province", "--item", item,
                                  "--format", "json"])
        assert (res.exit_code, res.stdout) == (2, ""), res.output
        assert f"no measure, task or obligation {item!r} in test_province's plans" in res.stderr
    res = runner.invoke(cli, ["--db", db_url, "history", "--province", "test_province' OR '1'='1", "--item",
                              "hotspots", "--format", "json"])
    assert (res.exit_code, res.stdout) == (2, "") and "unknown province" in res.stderr
    assert table_rows(db_url) == 2


def test_sql_in_a_form_for_a_real_plan_is_refused_and_the_table_survives(runner, tmp_path, db_url):
    ok = tmp_path / "ok.csv"
    ok.write_text(HEADER + f"hung_yen,{HY},hotspots,measure,,kim_dong.nhan_la,2024,,,0,\n", encoding="utf-8")
    assert runner.invoke(cli, ["--db", db_url, "ingest", str(ok)]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\n".join(
        f'hung_yen,{HY},{item},{kind},"{agency}","{unit}",{period},,,{value},{day}'
        for s in INJECTIONS
        for item, kind, agency, unit, period, value, day in [
            ("hotspots", "measure", "", s, "2024", "1", ""),
            (s, "measure", "", "kim_dong.nhan_la", "2024", "1", ""),
            ("issue_criteria", "task", s, "", "2024", "", "2024-03-01"),
            ("hotspots", "measure", "", "kim_dong.nhan_la", s, "1", ""),
            ("hotspots", "measure", "", "kim_dong.nhan_la", "2024", s, ""),
        ]) + "\n", encoding="utf-8")
    res = runner.invoke(cli, ["--db", db_url, "ingest", str(bad)])
    assert res.exit_code == 2
    assert res.stderr.count(":") > 10 and "nothing was written" in res.stderr
    assert f"(column “unit”): {INJECTIONS[0]!r}: unknown unit" in res.stderr
    assert table_rows(db_url) == 1


# -- passwords are never printed ------------------------------------------------------

@pytest.mark.parametrize("password", ["s3cret-pw", "p@ss:w/rd%"])
@pytest.mark.parametrize("command", [
    ["history", "--province", "hung_yen", "--item", "hotspots"],
    ["ingest", "FORM"],
    ["run", "--province", "hung_yen"],
    ["compare", "--province", "hung_yen"],
    ["diff", "1", "2"],
])
def test_a_password_in_the_database_url_is_never_printed(runner, tmp_path, command, password):
    from urllib.parse import quote

    form = tmp_path / "form.csv"
    form.write_text(HEADER + f"hung_yen,{HY},hotspots,measure,,kim_dong.nhan_la,2024,,,0,\n", encoding="utf-8")
    url = f"postgresql+psycopg://officer:{quote(password, safe='')}@127.0.0.1:1/nowhere"
    args = [str(form) if a == "FORM" else a for a in command]
    res = runner.invoke(cli, ["--db", url, *args])
    assert res.exit_code == 2, res.output
    assert "cannot open" in res.stderr and "officer:***@127.0.0.1:1/nowhere" in res.stderr
    for secret in (password, quote(password, safe=""), "s3cret", "w/rd"):
        assert secret not in res.output


@pytest.mark.parametrize("query", ["password={pw}", "sslpassword={pw}", "user=officer&password={pw}&sslmode=disable",
                                   "sslkey=/k.pem&sslpassword={pw}", "token={pw}"])
@pytest.mark.parametrize("command", [
    ["history", "--province", "hung_yen", "--item", "hotspots"],
    ["ingest", "FORM"],
    ["run", "--province", "hung_yen"],
    ["compare", "--province", "hung_yen"],
    ["diff", "1", "2"],
])
def test_a_password_in_the_urls_query_string_is_never_printed(runner, tmp_path, command, query):
    """Issue 21, class 6: libpq and the drivers take credentials in the query string too."""
    from urllib.parse import quote

    password = "q-s3cret/pw"
    form = tmp_path / "form.csv"
    form.write_text(HEADER + f"hung_yen,{HY},hotspots,measure,,kim_dong.nhan_la,2024,,,0,\n", encoding="utf-8")
    url = f"postgresql+psycopg://127.0.0.1:1/nowhere?{query.format(pw=quote(password, safe=''))}"
    res = runner.invoke(cli, ["--db", url, *[str(form) if a == "FORM" else a for a in command]])
    assert res.exit_code == 2, res.output
    assert "cannot open" in res.stderr and "=***" in res.stderr
    for secret in (password, quote(password, safe=""), "s3cret"):
        assert secret not in res.output


def test_the_no_data_notice_masks_the_password_too(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}?password=s3cret-pw"
    res = runner.invoke(cli, ["--db", url, "run", "--province", "hung_yen", "--as-of", "2025-01-01"])
    assert "No data ingested for hung_yen yet" in res.stderr and "password=***" in res.stderr
    assert "s3cret" not in res.output


def test_a_password_is_not_printed_when_the_server_answers(runner, tmp_path, postgres_server):
    url = postgres_server.replace("postgres@", "postgres:s3cret-pw@") + "/no_such_database"
    res = runner.invoke(cli, ["--db", url, "history", "--province", "hung_yen", "--item", "hotspots"])
    assert res.exit_code == 2
    assert "no_such_database" in res.stderr and "s3cret" not in res.output
    # and in the query string, with a server that says the password is wrong
    url = postgres_server.replace("postgres@", "nobody@") + "/postgres?password=s3cret-pw"
    res = runner.invoke(cli, ["--db", url, "history", "--province", "hung_yen", "--item", "hotspots"])
    assert res.exit_code == 2 and "cannot open" in res.stderr and "s3cret" not in res.output


# -- hostile workbooks --------------------------------------------------------------

def template_xlsx(runner, tmp_path) -> bytes:
    path = tmp_path / "template.xlsx"
    res = runner.invoke(cli, ["template", "--province", "hung_yen", "--agency", "ubnd_kim_dong", "--format",
                              "xlsx", "-o", str(path)])
    assert res.exit_code == 0, res.output
    return path.read_bytes()


def with_part(raw: bytes, name: str, edit) -> bytes:
    """The workbook with one part rewritten by ``edit(bytes) -> bytes`` (added if missing)."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in src.namelist():
            z.writestr(n, edit(src.read(n)) if n == name else src.read(n))
        if name not in src.namelist():
            z.writestr(name, edit(b""))
    return out.getvalue()


FORM_SHEET = "xl/worksheets/sheet2.xml"


def test_a_formula_is_never_evaluated_its_saved_value_is_read(runner, tmp_path, isolated_db):
    raw = template_xlsx(runner, tmp_path)
    sheet = zipfile.ZipFile(io.BytesIO(raw)).read(FORM_SHEET).decode()
    [row] = [r for r in sheet.split("<row ") if ">district_bodies_total<" in r]
    rownum = row.split('r="', 1)[1].split('"', 1)[0]
    # Excel saved "=100+31" with 7 as its value (say, from an earlier state): 7 is what was reported
    value = locate(openpyxl.load_workbook(io.BytesIO(raw))["form"])[1]["value"]
    cell = f'<c r="{get_column_letter(value + 1)}{rownum}"><f>100+31</f><v>7</v></c>'
    edited = sheet.replace(row, row.replace("</row>", cell + "</row>", 1), 1)
    path = tmp_path / "formula.xlsx"
    path.write_bytes(with_part(raw, FORM_SHEET, lambda _: edited.encode()))
    res = runner.invoke(cli, ["ingest", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    hist = json.loads(runner.invoke(cli, ["history", "--province", "hung_yen", "--item", "district_bodies_total",
                                          "--format", "json"]).stdout)
    assert [h["value"] for h in hist] == [7.0]


PEAK_RSS = r"""
import json, resource, subprocess, sys
res = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"rc": res.returncode, "stderr": res.stderr,
                  "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""
MEMORY_BOUND_MIB = 300


def ingest_measured(path: Path, db: str) -> dict:
    """``plancheck ingest`` in a child process; its exit code, messages and peak memory."""
    out = subprocess.run([sys.executable, "-c", PEAK_RSS, sys.executable, "-m", "plancheck", "--db", db,
                          "ingest", str(path)], capture_output=True, text=True, timeout=600)
    return json.loads(out.stdout)


def million_columns(raw: bytes) -> bytes:
    import re

    cells = b"<c><v>1</v></c>" * 1_000_000  # no r=, and a dimension that lies: nothing tells the size
    return with_part(raw, FORM_SHEET, lambda s: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:L2"', s)
                     .replace(b"<sheetData>", b"<sheetData><row>" + cells + b"</row>", 1))


def shared_strings(raw: bytes) -> bytes:
    n = 3_000_000
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           b'2006/main" count="%d" uniqueCount="%d">' % (n, n) + b"<si><t>ab</t></si>" * n + b"</sst>")
    raw = with_part(raw, "xl/sharedStrings.xml", lambda _: sst)
    raw = with_part(raw, "[Content_Types].xml", lambda s: s.replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    return with_part(raw, "xl/_rels/workbook.xml.rels", lambda s: s.replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))


def entity_bomb(raw: bytes) -> bytes:
    lol = b'<!DOCTYPE lolz [<!ENTITY a0 "lol">' + b"".join(
        b'<!ENTITY a%d "&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;">' % (i, *[i - 1] * 10)
        for i in range(1, 10)) + b"]>"
    return with_part(raw, FORM_SHEET, lambda s: lol + s.replace(b"<v>", b"<v>&a9;", 1))


def zip_bomb(_raw: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    return buf.getvalue()


def lying_zip_bomb(_raw: bytes) -> bytes:
    """A member that says it holds 1 kB and inflates to 300 MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (300 * 1024 * 1024) + b"</a>")
    raw = bytearray(buf.getvalue())
    struct.pack_into("<I", raw, 22, 1000)  # the local header's uncompressed size
    struct.pack_into("<I", raw, raw.index(b"PK\x01\x02") + 24, 1000)  # and the central directory's
    return bytes(raw)


@pytest.mark.slow
@pytest.mark.parametrize(("make", "message"), [
    (million_columns, "refused: xl/worksheets/sheet2.xml: a row has more than 16384 cells"),
    (shared_strings, "refused: xl/sharedStrings.xml: more than 1100000 shared strings"),
    (entity_bomb, "refused: xl/worksheets/sheet2.xml: a DOCTYPE declaration"),
    (zip_bomb, "refused: the workbook unpacks to 210 MiB"),
    (lying_zip_bomb, "damaged workbook: xl/worksheets/sheet1.xml: BadZipFile: Bad CRC-32"),
])
def test_hostile_workbooks_are_refused_in_bounded_memory(runner, tmp_path, isolated_db, make, message):
    path = tmp_path / f"{make.__name__}.xlsx"
    path.write_bytes(make(template_xlsx(runner, tmp_path)))
    assert path.stat().st_size < 5 * 2**20  # small files: the danger is in what they unpack to
    got = ingest_measured(path, isolated_db)
    assert got["rc"] == 2, got["stderr"]
    assert message in got["stderr"] and "nothing was written" in got["stderr"]
    assert got["peak_kib"] < MEMORY_BOUND_MIB * 1024, f"peak {got['peak_kib'] // 1024} MiB"
