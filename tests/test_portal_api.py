"""The portal's JSON API through the ASGI app (httpx's TestClient): the CLI's documents, and who may see what.

Users and tokens are made with the public CLI (``plancheck user add`` with
the password on standard input, ``plancheck user token``); forms come from
``plancheck template`` and are filled as an agency would; what is stored is
read back with ``plancheck history``.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from datetime import date

import pytest

from plancheck.cli import cli

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
from fastapi.testclient import TestClient  # noqa: E402

PLAN = "hung_yen-2024-xa-khong-ma-tuy"
#: A day after every date the tests file: a filled date may not be in the future.
TODAY = date(2025, 6, 30)


def make_app(url: str, **settings):
    from plancheck.web.app import create_app
    from plancheck.web.context import Settings

    return create_app(Settings(url, today=settings.pop("today", TODAY), **settings))


def add_user(runner, name: str, role: str, province: str | None = None, agency: str | None = None,
             password: str | None = None) -> str:
    """``plancheck user add`` with the password piped on standard input; returns the password."""
    password = password or f"pw-{name}-0123456789"
    args = ["user", "add", name, "--role", role]
    args += ["--province", province] if province else []
    args += ["--agency", agency] if agency else []
    res = runner.invoke(cli, args, input=password + "\n")
    assert res.exit_code == 0, res.output
    return password


def token_for(runner, name: str) -> str:
    res = runner.invoke(cli, ["user", "token", name])
    assert res.exit_code == 0, res.output
    token = res.stdout.strip()
    assert token.startswith("pct_") and len(token) > 40
    return token


def template_rows(runner, province: str, agency: str | None = None) -> list[dict[str, str]]:
    args = ["template", "--province", province] + (["--agency", agency] if agency else [])
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    return list(csv.DictReader(io.StringIO(res.stdout)))


def csv_form(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def someone_elses_row(runner, province: str, not_agency: str = "") -> dict[str, str]:
    """A task or report row of ``province``'s form owed by an agency other than ``not_agency``,
    dated on its due day, as that agency would file it."""
    row = next(r for r in template_rows(runner, province)
               if r["kind"] != "measure" and r["agency"] not in ("", not_agency) and r["due"])
    return {**row, "date": row["due"]}


def kim_dong_form(runner, directive: str = "2024-02-20", review: str = "") -> list[dict[str, str]]:
    """Kim Động district's own form (III.1.3, III.8, I.2), its directive dated ``directive``."""
    rows = template_rows(runner, "hung_yen", "ubnd_kim_dong")
    for r in rows:
        if r["item"] == "kim_dong_directive":
            r["date"] = directive
        if r["item"] == "kim_dong_review":
            r["date"] = review
    return rows


@pytest.fixture
def world(runner, isolated_db):
    """An empty portal database with one user of each kind and their tokens."""
    users = {
        "kim-dong": add_user(runner, "kim-dong", "agency", "hung_yen", "ubnd_kim_dong"),
        "so-yte": add_user(runner, "so-yte", "agency", "hung_yen", "so_yte"),
        "hy-office": add_user(runner, "hy-office", "province", "hung_yen"),
        "vl-office": add_user(runner, "vl-office", "province", "vinh_long"),
        "nation": add_user(runner, "nation", "national"),
        "root": add_user(runner, "root", "admin"),
    }
    tokens = {name: token_for(runner, name) for name in users}
    client = TestClient(make_app(isolated_db), raise_server_exceptions=False)
    return client, users, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post_form(client, token: str, content: bytes, name: str = "kim_dong.csv", dry_run: bool = False):
    return client.post(f"/api/forms?dry_run={'true' if dry_run else 'false'}", headers=auth(token),
                       files={"file": (name, content, "text/csv")})


def test_no_token_or_a_wrong_one_is_401(world):
    client, _, tokens = world
    for path in ("/api/provinces", "/api/provinces/hung_yen/findings", "/api/compare"):
        for headers in ({}, {"Authorization": "Bearer pct_not-a-token"}, {"Authorization": "Basic abc"}):
            res = client.get(path, headers=headers)
            assert res.status_code == 401, (path, headers)
            assert res.headers["www-authenticate"] == "Bearer"
            assert "plancheck user token" in res.json()["detail"]
    res = client.post("/api/forms", files={"file": ("f.csv", b"x", "text/csv")})
    assert res.status_code == 401


def test_provinces_lists_what_the_token_may_see(world):
    client, _, tokens = world
    mine = client.get("/api/provinces", headers=auth(tokens["kim-dong"])).json()
    assert [p["province"] for p in mine["provinces"]] == ["hung_yen"]
    assert "failed" not in mine
    everything = client.get("/api/provinces", headers=auth(tokens["nation"])).json()
    assert {p["province"] for p in everything["provinces"]} >= {"hung_yen", "vinh_long", "tien_giang", "ninh_binh"}
    assert everything["failed"] == []
    assert everything["provinces"][0]["name"]


def test_findings_are_the_run_json_document(world, runner):
    client, _, tokens = world
    res = client.get("/api/provinces/hung_yen/findings?as_of=2025-06-30", headers=auth(tokens["hy-office"]))
    assert res.status_code == 200
    doc = res.json()
    cli_doc = json.loads(runner.invoke(cli, ["run", "--province", "hung_yen", "--as-of", "2025-06-30",
                                             "--format", "json"]).stdout)
    assert doc == cli_doc  # the same document as the command line's, finding for finding


def test_agency_files_its_own_rows_and_history_names_the_uploader(world, runner):
    client, _, tokens = world
    form = csv_form(kim_dong_form(runner))
    dry = post_form(client, tokens["kim-dong"], form, dry_run=True)
    assert dry.status_code == 200, dry.text
    assert dry.json()[0]["new"] == 1 and dry.json()[0]["dry_run"] is True
    assert runner.invoke(cli, ["history", "--province", "hung_yen", "--item", "kim_dong_directive",
                               "--format", "json"]).stdout.strip() == "[]"
    res = post_form(client, tokens["kim-dong"], form)
    assert res.status_code == 200, res.text
    assert res.json() == [{"file": "kim_dong.csv", "sha256": res.json()[0]["sha256"], "new": 1, "updated": 0,
                           "unchanged": 0, "ignored": 3, "dry_run": False}]
    history = json.loads(runner.invoke(cli, ["history", "--province", "hung_yen", "--item", "kim_dong_directive",
                                             "--format", "json"]).stdout)
    assert [(h["reporter"], h["date"], h["source_file"]) for h in history] == [
        ("kim-dong", "2024-02-20", "kim_dong.csv")]
    # the verdict the agency sees has changed: its directive is met
    mine = client.get("/api/provinces/hung_yen/findings", headers=auth(tokens["kim-dong"])).json()
    directive = [f for f in mine["findings"] if f["item"] == "kim_dong_directive"]
    assert [f["status"] for f in directive] == ["met"]
    assert {f["agency"] for f in mine["findings"]} == {"ubnd_kim_dong"}  # its own findings only


def test_agency_cannot_file_for_another_agency(world, runner):
    client, _, tokens = world
    rows = kim_dong_form(runner)
    theirs = someone_elses_row(runner, "hung_yen", "ubnd_kim_dong")
    other = theirs["agency"]
    res = post_form(client, tokens["kim-dong"], csv_form(rows + [theirs]))
    assert res.status_code == 403
    problems = res.json()["problems"]
    assert problems == [f"kim_dong.csv, cell E6 (column “agency”): '{other}': a row for {other}: you file only for "
                        f"ubnd_kim_dong; remove the row: {other} files its own form"]
    assert res.json()["cells"][0]["row"] == 6
    # refused whole: not even the agency's own row was stored
    assert runner.invoke(cli, ["history", "--province", "hung_yen", "--item", "kim_dong_directive",
                               "--format", "json"]).stdout.strip() == "[]"


def test_agency_cannot_file_a_provincial_row_of_its_own_province(world, runner):
    """A province-wide figure of another agency's form is not Kim Động's to file; the provincial office may."""
    client, _, tokens = world
    row = next(r for r in template_rows(runner, "hung_yen")
               if r["kind"] == "measure" and r["unit"] == "hung_yen" and r["agency"] != "ubnd_kim_dong")
    row["value"] = "3"
    res = post_form(client, tokens["kim-dong"], csv_form([row]))
    assert res.status_code == 403
    assert "is for the provincial office" in res.json()["problems"][0]
    assert post_form(client, tokens["hy-office"], csv_form([row])).status_code == 200


def test_agency_and_province_officer_cannot_read_or_file_another_province(world, runner):
    client, _, tokens = world
    for who in ("kim-dong", "hy-office"):
        res = client.get("/api/provinces/vinh_long/findings", headers=auth(tokens[who]))
        assert res.status_code == 403, who
    row = someone_elses_row(runner, "vinh_long")
    for who in ("kim-dong", "hy-office"):
        res = post_form(client, tokens[who], csv_form([row]))
        assert res.status_code == 403, who
        assert "you may file only for hung_yen" in res.json()["problems"][0]
    assert post_form(client, tokens["vl-office"], csv_form([row])).status_code == 200
    # national and admin users read every province, file nothing
    assert client.get("/api/provinces/vinh_long/findings", headers=auth(tokens["nation"])).status_code == 200
    assert post_form(client, tokens["nation"], csv_form([row])).status_code == 403


def test_a_bad_form_is_422_with_every_problem_and_nothing_written(world, runner):
    client, _, tokens = world
    rows = kim_dong_form(runner, directive="31/02/2024", review="someday")
    res = post_form(client, tokens["kim-dong"], csv_form(rows))
    assert res.status_code == 422
    body = res.json()
    assert body["problems"] == [  # never Python's own words ("day is out of range for month")
        "kim_dong.csv, cell K4 (column “date”): '31/02/2024': month 2 of 2024 has 29 days; check the day "
        "(day/month/year)",
        "kim_dong.csv, cell K5 (column “date”): 'someday': not a date; write 31/12/2024 (day/month/year) or "
        "2024-12-31",
    ]
    assert body["cells"][0] | {"reason": None} == {
        "file": "kim_dong.csv", "sheet": None, "cell": "K4", "row": 4, "column": "date", "heading": "date",
        "value": "31/02/2024", "problem": "month 2 of 2024 has 29 days", "fix": "check the day (day/month/year)",
        "reason": None}
    assert [(c["row"], c["column"], c["cell"]) for c in body["cells"]] == [(4, "date", "K4"), (5, "date", "K5")]
    res = post_form(client, tokens["kim-dong"], b"not,a,form\n1,2,3\n")
    assert res.status_code == 422 and "missing columns" in res.json()["problems"][0]
    assert client.post("/api/forms", headers=auth(tokens["kim-dong"])).status_code == 422  # no file field


def test_compare_is_national_and_admin_only(world, runner):
    client, _, tokens = world
    for who in ("kim-dong", "hy-office"):
        assert client.get("/api/compare", headers=auth(tokens[who])).status_code == 403
    doc = client.get("/api/compare?as_of=2025-06-30", headers=auth(tokens["nation"])).json()
    cli_doc = json.loads(runner.invoke(cli, ["compare", "--as-of", "2025-06-30", "--format", "json"]).stdout)
    assert doc == cli_doc
    assert client.get("/api/compare?as_of=June", headers=auth(tokens["root"])).status_code == 422


def test_a_disabled_user_is_out_at_once(world, runner):
    client, _, tokens = world
    assert client.get("/api/provinces", headers=auth(tokens["kim-dong"])).status_code == 200
    res = runner.invoke(cli, ["user", "disable", "kim-dong"])
    assert res.exit_code == 0, res.output
    assert client.get("/api/provinces", headers=auth(tokens["kim-dong"])).status_code == 401
    res = runner.invoke(cli, ["user", "token", "kim-dong"])
    assert res.exit_code == 2 and "disabled" in res.output
    listed = json.loads(runner.invoke(cli, ["user", "list", "--format", "json"]).stdout)
    assert {u["name"]: u["disabled"] for u in listed}["kim-dong"] is True


def test_user_commands_refuse_bad_input_and_never_print_secrets(runner, isolated_db):
    res = runner.invoke(cli, ["user", "add", "x", "--role", "agency"], input="long-enough-password\n")
    assert res.exit_code == 2
    res = runner.invoke(cli, ["user", "add", "kd", "--role", "agency", "--province", "hung_yen",
                              "--agency", "no_such_agency"], input="long-enough-password\n")
    assert res.exit_code == 2 and "unknown agency 'no_such_agency'" in res.output
    res = runner.invoke(cli, ["user", "add", "kd", "--role", "province", "--province", "hung_yen"], input="short\n")
    assert res.exit_code == 2 and "too short" in res.output
    add_user(runner, "kd", "province", "hung_yen", password="a-secret-password-1")
    res = runner.invoke(cli, ["user", "add", "kd", "--role", "national"], input="a-secret-password-1\n")
    assert res.exit_code == 2 and "exists already" in res.output
    listing = runner.invoke(cli, ["user", "list"]).output
    assert "kd" in listing and "a-secret-password-1" not in listing and "argon2" not in listing
    assert runner.invoke(cli, ["user", "token", "nobody"]).exit_code == 2
    # the password is stored only as an Argon2id hash, the token only as its sha256
    from sqlalchemy import create_engine, text

    token = token_for(runner, "kd")
    with create_engine(isolated_db).connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM portal_user WHERE name = 'kd'")).scalar_one()
        tokens = [r[0] for r in conn.execute(text("SELECT sha256 FROM portal_token"))]
    assert stored.startswith("$argon2id$") and "a-secret-password-1" not in stored
    import hashlib

    assert tokens == [hashlib.sha256(token.encode()).hexdigest()]


def test_openapi_document_is_for_signed_in_users_and_tokens(world):
    client, _, tokens = world
    assert client.get("/openapi.json").status_code == 401
    schema = client.get("/openapi.json", headers=auth(tokens["kim-dong"])).json()
    assert set(schema["paths"]) == {"/api/provinces", "/api/provinces/{province}/findings", "/api/forms",
                                    "/api/compare"}
    res = client.get("/docs", follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"].startswith("/signin")
