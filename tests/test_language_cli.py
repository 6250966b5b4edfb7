"""What a Vietnamese reader of the command line sees is Vietnamese: through the public CLI with ``--lang vi``.

The portal's administrator may be a provincial officer, not an IT person: ``plancheck serve`` and
``plancheck user`` speak their language too; a token is still printed once, a password never.
Each check looks for words of the catalog's Vietnamese, and for the English they replace being gone.
"""

from __future__ import annotations

import json
import re
import warnings

import pytest
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


# -- plan show and diff: the plan's kinds, scopes and dates in the reader's words (issue 17) ------------

PROVINCES = ("hung_yen", "ninh_binh", "tien_giang", "vinh_long")
#: What plan show wrote in English (the plan file's words) under --lang vi before; an id may still hold them.
PLAN_FILE_WORDS = re.compile(r"\b(class_count|in_class|each_commune|each_district|units in|units?|annual|ratio|"
                             r"central|province|district|commune)\b")


def beside_the_id(text: str) -> list[str]:
    """Each line of plan show without its first word: in a table, the id column (``new_model_each_commune``)."""
    return [parts[1] for line in text.splitlines() if len(parts := line.split(None, 1)) == 2]


def test_plan_show_says_kinds_scopes_levels_and_dates_in_vietnamese(runner):
    shown = {}
    for province in PROVINCES:
        res = runner.invoke(cli, ["--lang", "vi", "plan", "show", "--province", province])
        assert res.exit_code == 0, res.output
        shown[province] = res.stdout
        left = [line for line in beside_the_id(res.stdout) if PLAN_FILE_WORDS.search(line)]
        assert not left, (province, left)
    hy = shown["hung_yen"]
    rows = {line.split(None, 1)[0]: line for line in hy.splitlines() if line.strip()}
    assert "số đơn vị đạt" in rows["kim_dong_11_of_17"] and "các đơn vị thuộc kim_dong" in rows["kim_dong_11_of_17"]
    assert "số đơn vị drug_free >= 53 trên tổng số 161" in rows["drug_free_53_of_161"]
    assert "toàn tỉnh" in rows["drug_free_53_of_161"] and "1 đơn vị" in rows["kim_dong_bodies_drug_free_100"]
    assert "mỗi xã" in rows["new_model_each_commune"] and "mỗi huyện" in rows["users_managed_100"]
    assert "từng đơn vị đạt" in rows["keep_22_drug_free"] and "22 đơn vị" in rows["keep_22_drug_free"]
    assert "hằng năm: 31/12/2024" in rows["district_assessment_council"]
    assert "trung ương" in rows["bo_cong_an"] and "31/03/2024" in rows["issue_criteria"]
    assert "thời gian: 01/01/2024 .. 31/12/2024" in hy and "2024-12-31" not in hy
    assert "ubnd_cap_xa (mỗi xã)" in hy and "Quý I/2024" in hy
    assert "tốc độ tăng (%) của drug_crimes_detected" in shown["tien_giang"]
    assert "mức tăng, giảm" in shown["vinh_long"]


def test_plan_show_in_english_counts_one_unit_as_one(runner):
    res = runner.invoke(cli, ["--lang", "en", "plan", "show", "--province", "hung_yen"])
    assert res.exit_code == 0, res.output
    rows = {line.split(None, 1)[0]: line for line in res.stdout.splitlines() if line.strip()}
    assert " 1 unit " in rows["kim_dong_bodies_drug_free_100"] and not re.search(r"\b1 units", res.stdout)
    assert " 22 units " in rows["keep_22_drug_free"] and "each commune" in rows["new_model_each_commune"]
    assert "#drug_free >= 53 of 161" in rows["drug_free_53_of_161"] and "annual: 2024-12-31" in res.stdout
    assert "mỗi xã" not in res.stdout and "hằng năm" not in res.stdout


def test_diff_writes_dates_and_verdicts_as_a_vietnamese_reader_does(runner):
    for day in ("2024-03-01", "2024-04-15"):
        res = runner.invoke(cli, ["run", "--province", "hung_yen", "--example", "--as-of", day, "--save"])
        assert res.exit_code in (0, 1), res.output
    vi = runner.invoke(cli, ["--lang", "vi", "diff", "1", "2"])
    assert vi.exit_code == 0, vi.output
    assert vi.stdout.splitlines()[0] == ("từ lần đánh giá 1 (tính đến 01/03/2024) đến lần đánh giá 2 "
                                         "(tính đến 15/04/2024)")
    [row] = {line for line in vi.stdout.splitlines() if line.startswith("Nhiệm vụ  kim_dong_review")}
    assert "Chưa đến hạn" in row and "Không đạt (chưa thực hiện)" in row and "Năm 2024" in row
    assert not any(word in vi.stdout for word in ("2024-03-01", "not_met", "pending", "task "))
    since = runner.invoke(cli, ["--lang", "vi", "diff", "--province", "hung_yen", "--since", "LAST",
                                "--as-of", "2024-05-02"])
    assert "(tính đến 15/04/2024) đến hiện tại (tính đến 02/05/2024)" in since.stdout.splitlines()[0], since.output
    en = runner.invoke(cli, ["--lang", "en", "diff", "1", "2"]).stdout
    assert en.splitlines()[0] == "from run 1 (as of 2024-03-01) to run 2 (as of 2024-04-15)"
    assert "Not met (not done)" in en


def test_a_suggestion_and_its_fix_are_two_sentences_not_doubled_punctuation(runner, tmp_path):
    """A form's misspelt unit: the suggestion ends with '?', and the fix follows as its own sentence."""
    form = runner.invoke(cli, ["template", "--province", "hung_yen", "--agency", "ubnd_kim_dong"]).stdout
    head, row = form.splitlines()[:2]
    assert ",kim_dong,2024," in row
    path = tmp_path / "f.csv"
    path.write_text(f"{head}\n{row.replace(',kim_dong,2024,', ',kim_dongg,2024,')[:-2]},5,\n", encoding="utf-8")
    vi = runner.invoke(cli, ["--lang", "vi", "ingest", str(path), "--dry-run"])
    en = runner.invoke(cli, ["--lang", "en", "ingest", str(path), "--dry-run"])
    assert (vi.exit_code, en.exit_code) == (2, 2), (vi.output, en.output)
    assert "có phải là 'kim_dong'? Cách sửa: ghi đơn vị" in vi.stderr
    assert "did you mean 'kim_dong'? Write the unit as the form gives it" in en.stderr
    mistyped = runner.invoke(cli, ["--lang", "vi", "explain", "--province", "hung_yen", "kim_dong_directiv"])
    assert mistyped.exit_code == 2 and "có phải là 'kim_dong_directive'? Cách sửa:" in mistyped.stderr
    for res in (vi, en, mistyped):
        assert not any(doubled in res.stderr for doubled in ("?.", "?;", ".."))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_mistyped_province_or_agency_is_told_without_doubled_punctuation(runner, lang):
    """The judge's own refusals (an unknown province, an --agency the plans do not have) end a suggestion
    with '?' and go on with a sentence, in the reader's language."""
    province = runner.invoke(cli, ["--lang", lang, "run", "--province", "hung_yem"])
    agency = runner.invoke(cli, ["--lang", lang, "run", "--province", "hung_yen", "--example",
                                 "--agency", "ubnd_kim_dng"])
    assert (province.exit_code, agency.exit_code) == (2, 2), (province.output, agency.output)
    said = {"vi": ("không có tỉnh 'hung_yem'; có phải là 'hung_yen'? Cách sửa: các tỉnh đã cài: hung_yen",
                   "có phải là 'ubnd_kim_dong'? Cách sửa: các cơ quan: "),
            "en": ("unknown province 'hung_yem'; did you mean 'hung_yen'? Installed: hung_yen",
                   "did you mean 'ubnd_kim_dong'? Agencies: ")}[lang]
    assert said[0] in province.stderr and said[1] in agency.stderr
    for res in (province, agency):
        assert not any(doubled in res.stderr for doubled in ("?.", "?;", ".."))
