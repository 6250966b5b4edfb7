"""What a Vietnamese reader of the command line sees is Vietnamese: through the public CLI with ``--lang vi``.

The portal's administrator may be a provincial officer, not an IT person: ``plancheck serve`` and
``plancheck user`` speak their language too; a token is still printed once, a password never.
Each check looks for words of the catalog's Vietnamese, and for the English they replace being gone.
"""

from __future__ import annotations

import json
import warnings

from test_portal_browser import free_port, running_portal

from plancheck.cli import cli

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
from fastapi.testclient import TestClient  # noqa: E402


def user_add(runner, *args: str, password: str = "a-long-password-1"):
    return runner.invoke(cli, ["user", "add", *args], input=password + "\n")


def test_user_commands_speak_vietnamese(runner):
    res = user_add(runner, "kd", "--role", "province", "--province", "hung_yen", "--lang", "vi", password="short")
    assert res.exit_code == 2 and "mật khẩu quá ngắn" in res.stderr and "too short" not in res.stderr
    res = user_add(runner, "kd", "--role", "agency", "--lang", "vi")
    assert res.exit_code == 2 and "người dùng cơ quan cần có tỉnh và mã cơ quan" in res.stderr

    res = user_add(runner, "kd", "--role", "province", "--province", "hung_yen", "--lang", "vi")
    assert res.exit_code == 0, res.output
    assert "đã thêm người dùng kd" in res.stderr and "Văn phòng tỉnh" in res.stderr
    res = user_add(runner, "kd", "--role", "national", "--lang", "vi")
    assert res.exit_code == 2 and "đã có" in res.stderr and "exists already" not in res.stderr

    listing = runner.invoke(cli, ["user", "list", "--lang", "vi"])
    assert listing.exit_code == 0 and "VAI TRÒ" in listing.stdout and "đang hoạt động" in listing.stdout
    assert "a-long-password-1" not in listing.output

    token = runner.invoke(cli, ["user", "token", "kd", "--lang", "vi"])
    assert token.exit_code == 0 and token.stdout.startswith("pct_")  # shown once, as it is made
    res = runner.invoke(cli, ["user", "disable", "kd", "--lang", "vi"])
    assert res.exit_code == 0 and "đã khóa kd" in res.stderr and token.stdout.strip() not in res.output
    res = runner.invoke(cli, ["user", "token", "kd", "--lang", "vi"])
    assert res.exit_code == 2 and "đã bị khóa" in res.stderr and res.stdout == ""
    res = runner.invoke(cli, ["user", "token", "nobody", "--lang", "vi"])
    assert res.exit_code == 2 and "không có người dùng 'nobody'" in res.stderr


def test_user_commands_speak_english_when_asked(runner):
    res = user_add(runner, "kd", "--role", "province", "--province", "hung_yen", "--lang", "en")
    assert res.exit_code == 0 and "added user kd, role province, province hung_yen" in res.stderr
    listing = runner.invoke(cli, ["user", "list", "--lang", "en"]).stdout
    assert "ROLE" in listing and "active" in listing and "VAI TRÒ" not in listing


def test_the_portal_refuses_tables_of_a_newer_plancheck_in_vietnamese(runner, isolated_db):
    from sqlalchemy import create_engine, text

    assert user_add(runner, "kd", "--role", "national").exit_code == 0  # makes the portal's tables
    with create_engine(isolated_db).begin() as conn:
        conn.execute(text("UPDATE portal_schema SET version = version + 1"))
    for args in (["serve", "--lang", "vi", "--port", str(free_port())], ["user", "list", "--lang", "vi"]):
        res = runner.invoke(cli, args)
        assert res.exit_code == 2 and "hãy nâng cấp plancheck" in res.stderr, (args, res.output)


def test_serve_speaks_vietnamese_and_shows_the_demo_passwords_once(tmp_path):
    port = free_port()
    db = f"sqlite:///{tmp_path / 'portal.db'}"
    with running_portal(["--db", db, "serve", "--example", "--lang", "vi", "--port", str(port)],
                        tmp_path / "serve") as (base, stdout):
        stderr = (tmp_path / "serve.stderr").read_text(encoding="utf-8")
    assert f"Cổng thông tin plancheck đang chạy tại {base}/" in stderr and "bấm Ctrl+C để dừng" in stderr
    assert "SỐ LIỆU MINH HỌA" in stderr and "dòng)" in stderr
    assert "TÀI KHOẢN DÙNG THỬ" in stdout and "Văn phòng tỉnh (province)" in stdout
    # the demo passwords are in the table, once each, and nowhere in the log
    rows = [line.split() for line in stdout.splitlines() if line.startswith("hung-yen ")]
    assert len(rows) == 1 and stdout.count(rows[0][1]) == 1 and rows[0][1] not in stderr


def test_the_api_answers_in_the_language_asked(runner, isolated_db):
    from plancheck.web.app import create_app
    from plancheck.web.context import Settings

    client = TestClient(create_app(Settings(isolated_db)))
    vi = client.get("/api/provinces?lang=vi")
    en = client.get("/api/provinces?lang=en")
    assert (vi.status_code, en.status_code) == (401, 401)
    assert "cần mã truy cập API hợp lệ" in json.loads(vi.text)["detail"]
    assert "a valid API token is needed" in json.loads(en.text)["detail"]


# -- compare's table: its rules in the reader's words -------------------------------------------------

COMPARE = ["compare", "--example", "--as-of", "2026-06-30"]


def test_the_comparison_for_a_terminal_states_its_rules_in_vietnamese(runner):
    """publish.terminal.comparison_text on the document ``compare --format json`` prints: the period, grouping,
    threshold and ranking rules the judge room writes in English are in the reader's words."""
    from plancheck.publish.terminal import comparison_text

    doc = json.loads(runner.invoke(cli, [*COMPARE, "--format", "json"]).stdout)
    vi = comparison_text(doc, "vi")
    rules = [line for line in vi.splitlines() if line.startswith(("Kỳ so sánh:", "Quy tắc:", "Ngưỡng so sánh:"))]
    assert [line.split(":")[0] for line in rules] == ["Kỳ so sánh", "Quy tắc", "Ngưỡng so sánh", "Quy tắc"]
    assert "Các tỉnh được xếp hạng theo tỷ lệ đánh giá đạt" in rules[-1]
    assert "Các tỉnh tại ngày 30/06/2026: 34 tỉnh" in vi and "SỐ LIỆU MINH HỌA" in vi
    assert not any(word in vi for word in ("Provinces are", "compared on the years", "Each province is compared",
                                           "not_met", "not_in_plan", "EXAMPLE DATA", "no plan installed"))
    en = comparison_text(doc, "en")
    assert "Rule: Provinces are ranked by" in en and "Periods: compared on the years every compared plan covers" in en
    assert "not_met" in en and "Quy tắc" not in en  # in English the verdicts stay the ids json and csv give


def test_compare_s_table_rule_line_reads_in_vietnamese(runner):
    res = runner.invoke(cli, [*COMPARE, "--lang", "vi"])
    assert res.exit_code == 0, res.output
    [rule] = [line for line in res.stdout.splitlines() if line.startswith("Quy tắc: Các tỉnh được xếp hạng")]
    assert "tỷ lệ đánh giá đạt" in rule
    assert "Kỳ so sánh: so sánh trên các năm" in res.stdout


# -- reference data: lineage and programmes ------------------------------------------------------------

def test_lineage_and_programmes_speak_vietnamese(runner):
    res = runner.invoke(cli, ["lineage", "tien_giang", "--lang", "vi"])
    assert res.exit_code == 0, res.output
    first, merged = res.stdout.splitlines()[:2]
    assert first.endswith("(đến 30/06/2025)") and merged.startswith("  hợp nhất ngày 01/07/2025 vào: ")
    assert "căn cứ: Nghị quyết số 202/2025/QH15" in res.stdout and "chưa xác nhận" in res.stdout
    res = runner.invoke(cli, ["lineage", "kim_dong", "--province", "hung_yen", "--lang", "vi"])
    assert "kết thúc hoạt động ngày 01/07/2025 (không có đơn vị kế thừa)" in res.stdout
    res = runner.invoke(cli, ["lineage", "no_such_place", "--lang", "vi"])
    assert res.exit_code == 2 and res.stderr.startswith("không có đơn vị 'no_such_place'")

    table = runner.invoke(cli, ["programmes", "--lang", "vi"]).stdout
    assert "ntp-drugs-2030: Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030 (2026–2030)" in table
    assert "đến hết ngày 31/12/2030; theo lộ trình của tỉnh" in table and "hằng năm" in table
    assert "each year" not in table and "INDICATOR" not in table


def test_a_file_too_large_is_refused_in_the_readers_language(isolated_db):
    from plancheck.web.app import create_app
    from plancheck.web.context import Settings

    client = TestClient(create_app(Settings(isolated_db, max_upload=2 * 2**20)), raise_server_exceptions=False)
    big = {"content": b"x" * (2 * 2**20 + 1), "headers": {"content-type": "text/csv"}}
    page = client.post("/upload", **big)  # the pages are Vietnamese unless ?lang=en
    assert page.status_code == 413 and "tệp lớn hơn mức 2 MiB" in page.text and "Quay lại" in page.text
    api = client.post("/api/forms?lang=vi", **big)
    assert api.status_code == 413 and api.json() == {"problems": ["tệp lớn hơn mức 2 MiB cổng thông tin này nhận"]}
    assert "larger than the 2 MiB" in client.post("/api/forms", **big).json()["problems"][0]  # the API: English


def test_the_portal_s_national_page_states_the_ranking_rule_in_vietnamese(runner, isolated_db):
    from test_portal_pages import sign_in

    from plancheck.web.app import create_app
    from plancheck.web.context import Settings

    assert user_add(runner, "nation", "--role", "national").exit_code == 0
    client = TestClient(create_app(Settings(isolated_db)), raise_server_exceptions=False)
    sign_in(client, "nation", "a-long-password-1")
    page = client.get("/national?as_of=2025-02-01")
    assert page.status_code == 200 and "Các tỉnh được xếp hạng theo tỷ lệ đánh giá đạt" in page.text
    assert "01/02/2025" in page.text and "Provinces are ranked" not in page.text
    assert "Provinces are ranked by" in client.get("/national?as_of=2025-02-01&lang=en").text
