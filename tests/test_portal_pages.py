"""The portal's pages through the ASGI app: signing in, filing a form, role boundaries, security.

Each test signs in through the sign-in form as a browser does (its CSRF
token, its session cookie), with users made by ``plancheck user add``.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from test_portal_api import TestClient, add_user, csv_form, kim_dong_form, make_app

from conftest import MINIMAL_PLAN, PLUGIN_SOURCE
from plancheck.cli import cli


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, html[:2000]
    return m.group(1)


def sign_in(client, name: str, password: str, expect: int = 303):
    page = client.get("/signin")
    assert page.status_code == 200
    res = client.post("/signin", data={"csrf": csrf_of(page.text), "name": name, "password": password,
                                       "next": "/"}, follow_redirects=False)
    assert res.status_code == expect, res.text[:500]
    return res


@pytest.fixture
def site(runner, isolated_db):
    users = {
        "kim-dong": add_user(runner, "kim-dong", "agency", "hung_yen", "ubnd_kim_dong"),
        "hy-office": add_user(runner, "hy-office", "province", "hung_yen"),
        "vl-office": add_user(runner, "vl-office", "province", "vinh_long"),
        "nation": add_user(runner, "nation", "national"),
        "root": add_user(runner, "root", "admin"),
    }
    app = make_app(isolated_db)

    def client_for(name: str | None = None, **kwargs) -> TestClient:
        c = TestClient(app, raise_server_exceptions=False, **kwargs)
        if name:
            sign_in(c, name, users[name])
        return c

    return client_for, users


def upload(client, content: bytes, name: str = "kim_dong.csv"):
    page = client.get("/upload")
    assert page.status_code == 200
    return client.post("/upload", data={"csrf": csrf_of(page.text)}, files={"file": (name, content, "text/csv")})


def test_pages_need_signing_in(site):
    client_for, _ = site
    c = client_for()
    for path in ("/", "/upload", "/p/hung_yen/findings", "/national", "/admin/users", "/docs", "/audit"):
        res = c.get(path, follow_redirects=False)
        assert res.status_code == 303, path
        assert res.headers["location"].startswith("/signin?next=")
    assert c.get("/healthz").text == "ok\n"


def test_file_a_form_preview_confirm_and_see_the_verdict_change(site, runner):
    client_for, _ = site
    c = client_for("kim-dong")
    home = c.get("/")
    assert "Ủy ban nhân dân huyện Kim Động" in home.text and "Trễ hạn hoặc chưa thực hiện" in home.text
    findings = c.get("/p/hung_yen/findings?status=not_met&lang=en")
    assert 'data-item="kim_dong_directive"' in findings.text
    # a form with an error: refused whole, the cell named
    refused = upload(c, csv_form(kim_dong_form(runner, directive="31/02/2024")))
    assert refused.status_code == 422
    assert ('<td>4</td><td class="cell">K4</td><td>date</td><td>31/02/2024</td><td>month 2 of 2024 has 29 days</td>'
            '<td>check the day (day/month/year)</td>') in refused.text, refused.text  # never Python's own words
    # corrected: a preview, nothing stored yet
    preview = upload(c, csv_form(kim_dong_form(runner)))
    assert preview.status_code == 200
    assert re.search(r'id="n-new">1<', preview.text) and re.search(r'id="n-ignored">3<', preview.text)
    assert '<tr class="c-new"><td>4</td>' in preview.text
    assert c.get("/p/hung_yen/findings?status=met").text.count('data-item="kim_dong_directive"') == 0
    action = re.search(r'action="(/upload/[^"]+/confirm)"', preview.text).group(1)
    stored = c.post(action, data={"csrf": csrf_of(preview.text)})
    assert stored.status_code == 200 and 'id="stored"' in stored.text
    met = c.get("/p/hung_yen/findings?status=met")
    assert 'data-item="kim_dong_directive"' in met.text
    # a second confirmation of the same upload stores nothing more
    assert c.post(action, data={"csrf": csrf_of(preview.text)}).status_code == 410
    # the office sees who filed it, in its audit log and on its home page
    office = client_for("hy-office")
    assert "kim-dong" in office.get("/").text
    audit = office.get("/audit").text
    assert "ingest" in audit and "kim_dong.csv" in audit and "sha256=" in audit


def test_a_post_without_its_csrf_token_is_refused(site, runner):
    client_for, users = site
    c = client_for("kim-dong")
    form = csv_form(kim_dong_form(runner))
    assert c.post("/upload", files={"file": ("f.csv", form, "text/csv")}).status_code == 403
    assert c.post("/upload", data={"csrf": "forged"}, files={"file": ("f.csv", form, "text/csv")}).status_code == 403
    token = csrf_of(c.get("/upload").text)
    foreign = c.post("/upload", data={"csrf": token}, files={"file": ("f.csv", form, "text/csv")},
                     headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert c.post("/signout", data={}).status_code == 403
    # signing in needs the sign-in page's own token too
    fresh = client_for()
    assert fresh.post("/signin", data={"name": "kim-dong", "password": users["kim-dong"]}).status_code == 403
    # and none of that stored anything
    assert runner.invoke(cli, ["history", "--province", "hung_yen", "--item", "kim_dong_directive",
                               "--format", "json"]).stdout.strip() == "[]"


def test_role_boundaries_on_pages(site, runner):
    client_for, _ = site
    agency, office, nation, root = (client_for(n) for n in ("kim-dong", "hy-office", "nation", "root"))
    assert agency.get("/p/vinh_long/findings").status_code == 403
    assert office.get("/p/vinh_long/findings").status_code == 403
    assert office.get("/p/vinh_long/report.xlsx").status_code == 403
    assert nation.get("/p/vinh_long/findings").status_code == 200
    for c in (agency, office):
        assert c.get("/national").status_code == 403
        assert c.get("/admin/users").status_code == 403
    assert nation.get("/upload").status_code == 403 and nation.get("/admin/users").status_code == 403
    assert root.get("/admin/users").status_code == 200
    # an agency sees its own findings and form only
    rows = re.findall(r'data-agency="([^"]*)"', agency.get("/p/hung_yen/findings").text)
    assert rows and set(rows) == {"ubnd_kim_dong"}
    form = agency.get("/p/hung_yen/form.csv?agency=so_yte")
    assert form.status_code == 200 and "so_yte" not in form.text and "ubnd_kim_dong" in form.text
    assert agency.get("/p/hung_yen/waivers").status_code == 403
    # an agency files only its own rows, through the pages as through the API
    theirs = [dict(r) for r in kim_dong_form(runner)]
    for r in theirs:
        if r["item"] == "kim_dong_directive":
            r["agency"] = "so_yte"
    assert upload(agency, csv_form(theirs)).status_code == 422  # so_yte is not expected to submit it
    # a provincial officer waives; an agency may not
    page = office.get("/p/hung_yen/waivers")
    res = office.post("/p/hung_yen/waivers", data={
        "csrf": csrf_of(page.text), "item": "kim_dong_directive", "agency": "ubnd_kim_dong", "new_due": "2025-12-31",
        "justification": "Chờ tiêu chí của Công an tỉnh (III.1.2)", "approved_by": "Phó Chủ tịch UBND tỉnh",
        "document": "Công văn số 12/UBND-NC"}, follow_redirects=False)
    assert res.status_code == 303
    waived = agency.get("/p/hung_yen/findings?status=not_met").text
    assert re.search(r'data-item="kim_dong_directive".*?s-waived', waived, re.S)
    assert "waiver_add" in office.get("/audit").text
    page = office.get("/p/hung_yen/waivers")
    revoke = re.search(r'action="(/p/hung_yen/waivers/\d+/revoke)"', page.text).group(1)
    assert agency.post(revoke, data={"csrf": csrf_of(agency.get("/").text)}).status_code == 403
    assert office.post(revoke, data={"csrf": csrf_of(page.text)}, follow_redirects=False).status_code == 303
    assert not re.search(r'data-item="kim_dong_directive"[^\n]*s-waived', agency.get("/p/hung_yen/findings").text)
    assert "waiver_revoke" in office.get("/audit").text
    token = csrf_of(agency.get("/").text)
    assert agency.post("/p/hung_yen/waivers", data={"csrf": token, "item": "kim_dong_directive"}).status_code == 403


def test_admin_adds_and_disables_users_on_the_page(site):
    client_for, _ = site
    root = client_for("root")
    page = root.get("/admin/users")
    new = {"name": "so-yte", "role": "agency", "province": "hung_yen", "agency": "so_yte",
           "password": "a-long-password-1", "password2": "a-long-password-1"}
    bad = root.post("/admin/users", data={**new, "csrf": csrf_of(page.text), "agency": "so_nowhere"})
    assert bad.status_code == 422 and "không có cơ quan &#39;so_nowhere&#39;" in bad.text  # the page's language
    res = root.post("/admin/users", data={**new, "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert res.status_code == 303
    fresh = client_for()
    sign_in(fresh, "so-yte", "a-long-password-1")
    assert "Sở Y tế" in fresh.get("/").text
    res = root.post("/admin/users/so-yte/disable", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert res.status_code == 303
    assert fresh.get("/", follow_redirects=False).status_code == 303  # signed out at once
    audit = root.get("/audit").text
    assert "user_add" in audit and "user_disable" in audit


def test_a_disabled_user_is_signed_out(site, runner):
    client_for, users = site
    c = client_for("kim-dong")
    assert c.get("/").status_code == 200
    assert runner.invoke(cli, ["user", "disable", "kim-dong"]).exit_code == 0
    res = c.get("/", follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"].startswith("/signin")
    sign_in(client_for(), "kim-dong", users["kim-dong"], expect=401)


def test_repeated_failed_sign_ins_lock_the_name(site, monkeypatch):
    from plancheck.web import pages

    monkeypatch.setattr(pages, "FAILED_SIGNIN_DELAY", 0)
    client_for, users = site
    c = client_for()
    for _ in range(5):
        res = sign_in(c, "hy-office", "wrong password!", expect=401)
        assert "Sai tên đăng nhập hoặc mật khẩu" in res.text
    locked = sign_in(c, "hy-office", users["hy-office"], expect=429)
    assert "tạm khóa" in locked.text
    sign_in(client_for(), "nation", users["nation"])  # another name is not locked
    root = client_for("root")
    audit = root.get("/audit").text
    assert audit.count("signin_failed") == 5 and "signin_locked" in audit


def test_security_headers_and_cookies(site, runner):
    client_for, users = site
    c = client_for()
    page = c.get("/signin")
    assert "script-src" not in page.headers["content-security-policy"]  # no script at all
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["x-frame-options"] == "DENY"
    res = sign_in(c, "nation", users["nation"])
    cookie = res.headers["set-cookie"]
    assert "plancheck_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain HTTP on a developer's machine
    tls = client_for(base_url="https://portal.example")
    res = sign_in(tls, "nation", users["nation"])
    cookie = [v for k, v in res.headers.multi_items() if k == "set-cookie" and "session" in v][0]
    assert cookie.startswith("__Host-plancheck_session=") and "Secure" in cookie and "Path=/" in cookie
    assert res.headers["strict-transport-security"].startswith("max-age=")
    assert tls.get("/").status_code == 200


def test_upload_size_limit(runner, isolated_db):
    add_user(runner, "kim-dong", "agency", "hung_yen", "ubnd_kim_dong")
    token = runner.invoke(cli, ["user", "token", "kim-dong"]).stdout.strip()
    c = TestClient(make_app(isolated_db, max_upload=4096), raise_server_exceptions=False)
    big = csv_form(kim_dong_form(runner)) + b"\n" * 5000
    res = c.post("/api/forms", headers={"Authorization": f"Bearer {token}"}, files={"file": ("f.csv", big)})
    assert res.status_code == 413 and "larger than" in res.json()["problems"][0]
    small = csv_form(kim_dong_form(runner))
    assert c.post("/api/forms", headers={"Authorization": f"Bearer {token}"},
                  files={"file": ("f.csv", small)}).status_code == 200


EVIL = "<script>alert('x')</script>"
EVIL_PLAN = MINIMAL_PLAN.replace('name = "Công an tỉnh"', f'name = "Công an tỉnh {EVIL}"').replace(
    'name = "Ban hành tiêu chí"', 'name = "Ban hành tiêu chí <img src=x onerror=alert(1)>"').replace(
    'title = "Kế hoạch thử"', f'title = "Kế hoạch thử {EVIL}"')


def test_a_script_in_a_plan_or_a_form_is_shown_as_text(runner, isolated_db, install_plugin):
    install_plugin("plancheck_test_province", PLUGIN_SOURCE, {"plan.toml": EVIL_PLAN})
    pw = add_user(runner, "office", "province", "test_province")
    c = TestClient(make_app(isolated_db), raise_server_exceptions=False)
    sign_in(c, "office", pw)
    for path in ("/", "/p/test_province/findings", "/p/test_province/explain/criteria",
                 "/p/test_province/completeness", "/p/test_province/waivers"):
        page = c.get(path)
        assert page.status_code == 200, path
        assert "<script" not in page.text and "<img" not in page.text, path
    findings = c.get("/p/test_province/findings").text
    assert "Ban hành tiêu chí &lt;img src=x onerror=alert(1)&gt;" in findings
    assert "Công an tỉnh &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in findings
    # a form's cells come back in the problems, as text
    bad = (b"province,plan,item,kind,agency,unit,period,due,description,value,date\n"
           b"test_province,test-2024,criteria,task,cong_an_tinh,<script>alert(2)</script>,2024,,,,2024-02-01\n")
    res = upload(c, bad, name="<b>form</b>.csv")
    assert res.status_code == 422
    assert "<script" not in res.text and "&lt;script&gt;alert(2)&lt;/script&gt;" in res.text
    assert "<b>" not in res.text


def test_no_stack_trace_reaches_the_browser(runner, isolated_db, install_plugin):
    """An error nobody foresaw (here: a plugin's derive_values keyed by a number, which judging does not
    expect) is an internal error: a page with an incident number, nothing of the code."""
    source = PLUGIN_SOURCE + textwrap.dedent('''
        @hookimpl
        def derive_values(plan, values):
            return {1: 2.0}
        ''')
    plan = MINIMAL_PLAN + textwrap.dedent('''
        [[measures]]
        id = "n"
        name = "Số"
        name_en = "Count"
        unit = "count"
        level = "province"
        period_type = "yearly"
        source = "I"

        [[targets]]
        id = "t"
        name = "Chỉ tiêu"
        name_en = "Target"
        kind = "value"
        measure = "n"
        comparator = ">="
        threshold = 1
        period = "2024"
        source = "I"
        ''')
    install_plugin("plancheck_test_province", source, {"plan.toml": plan})
    pw = add_user(runner, "office", "province", "test_province")
    token = runner.invoke(cli, ["user", "token", "office"]).stdout.strip()
    c = TestClient(make_app(isolated_db), raise_server_exceptions=False)
    sign_in(c, "office", pw)
    page = c.get("/p/test_province/findings?lang=en")
    assert page.status_code == 500
    assert re.search(r"logged on the server as incident [0-9a-f]{8}", page.text), page.text
    assert "Traceback" not in page.text and ".py" not in page.text and "Error" not in page.text
    api = c.get("/api/provinces/test_province/findings", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 500 and "Traceback" not in api.text and set(api.json()) == {"detail"}


def test_pages_in_vietnamese_by_default_and_english_on_request(site):
    client_for, _ = site
    c = client_for("hy-office")
    assert '<html lang="vi">' in c.get("/").text and "Kết quả đánh giá" in c.get("/").text
    en = c.get("/?lang=en")
    assert '<html lang="en">' in en.text and "Findings" in en.text and "Kết quả đánh giá" not in en.text
    assert '<html lang="en">' in c.get("/p/hung_yen/completeness").text  # the choice is kept


def test_every_page_word_has_its_vietnamese():
    """Every ``_("...")`` in the templates is in the gettext catalog (nothing shown half in English)."""
    from importlib.resources import files

    from plancheck import language

    catalog = language.translations("vi")
    missing, seen = set(), 0
    for entry in (files("plancheck.web") / "templates").iterdir():
        text = entry.read_text(encoding="utf-8")
        for m in re.finditer(r'_\((["\'])(.*?)\1', text):
            seen += 1
            if m.group(2) not in catalog._catalog:  # type: ignore[attr-defined]
                missing.add(m.group(2))
    assert missing == set()
    assert seen > 150


def test_words_from_data_and_refusals_in_the_pages_language(site):
    """A role, and why a page was refused, are words of the catalog too (not the server's English)."""
    client_for, _ = site
    c = client_for("hy-office")
    assert "Văn phòng tỉnh" in c.get("/").text  # the role "province"
    refused = c.get("/p/vinh_long/findings")
    assert refused.status_code == 403 and "bạn không có quyền xem tỉnh này" in refused.text
    assert "this province is not yours to see" in c.get("/p/vinh_long/findings?lang=en").text
    nation = client_for("root").get("/national").text  # why a province is unranked, in the page's words
    assert "Không xếp hạng: kế hoạch của tỉnh không áp dụng chỉ tiêu nào" in nation
    assert "no_national_indicator" not in nation and "insufficient data" not in nation
