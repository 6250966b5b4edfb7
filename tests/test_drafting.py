"""``plancheck plan draft``: from a plan's text to a draft plan that loads (issue 11).

The drafter is used through its public API only (``draft_plan``); its output
is read back with ``tomllib`` and with ``plancheck.plans.planfile.load_plan``, and
due dates are computed by core (``plancheck.plans.schedule``), never here. Every
expected value is read off the seed texts in shared/seeds, with the phrase
quoted next to it, or off tests/data/dong_phong_2025.txt, a plan text written
for these tests (see tests/data/README.md).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from datetime import date

import pytest

from conftest import ROOT, SEEDS
from plancheck.authoring.drafting import draft_plan
from plancheck.plans.planfile import load_plan
from plancheck.plans.schedule import target_occurrences, task_due

DATA = ROOT / "tests" / "data"
SEED_FILES = {
    "vinh_long": "000_1614eaec3b5eead3.txt",
    "tien_giang": "001_d8a992d4185929be.txt",
    "hung_yen": "003_321bb8eed9b7a999.txt",
    "ninh_binh": "004_3ecd5a108e118145.txt",
}


class Draft:
    """A draft as written (``toml``), as data (``data``) and as a loaded plan (``plan``)."""

    def __init__(self, toml: str, tmp_dir) -> None:
        self.toml = toml
        self.data = tomllib.loads(toml)
        path = tmp_dir / "plan.toml"
        path.write_text(toml, encoding="utf-8")
        self.plan = load_plan(path)  # raises InputError if the draft does not load

    def items(self, coll: str) -> list[dict]:
        return self.data.get(coll, [])

    def by_id(self, coll: str, id_: str) -> dict:
        found = [x for x in self.items(coll) if x["id"] == id_]
        assert len(found) == 1, f"{coll} {id_!r}: {len(found)} found"
        return found[0]

    def unit(self, name: str) -> dict:
        found = [u for u in self.items("units") if u["name"] == name]
        assert len(found) == 1, f"unit {name!r}: {len(found)} found"
        return found[0]

    def tasks_with(self, deadline: str) -> list:
        return [t for t in self.plan.tasks if t.deadline == deadline]

    def targets_where(self, **fields) -> list[dict]:
        return [t for t in self.items("targets") if all(t.get(k) == v for k, v in fields.items())]


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> dict[str, Draft]:
    out = {}
    for province, name in SEED_FILES.items():
        text = (SEEDS / name).read_text(encoding="utf-8")
        out[province] = Draft(draft_plan(text, name), tmp_path_factory.mktemp(province))
    return out


# -- every draft loads, every element is a draft with its clause and sentence -------


@pytest.mark.parametrize("province", SEED_FILES)
def test_the_draft_loads_and_marks_every_element(drafts, province):
    d = drafts[province]
    assert d.data["source_file"] == SEED_FILES[province]
    for coll in ("agencies", "units", "measures", "projects", "targets", "tasks"):
        for item in d.items(coll):
            assert item["draft"] is True, (coll, item["id"])
            assert item["source"].strip() and item["quote"].strip(), (coll, item["id"])
    elements = [x for coll in ("agencies", "units", "measures", "projects", "targets", "tasks")
                for x in getattr(d.plan, coll)]
    assert elements and all(x.draft for x in elements)


@pytest.mark.parametrize("province", SEED_FILES)
def test_decomposed_unicode_gives_the_same_draft(province):
    text = (SEEDS / SEED_FILES[province]).read_text(encoding="utf-8")
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != unicodedata.normalize("NFC", text)
    assert draft_plan(nfd, "x.txt") == draft_plan(text, "x.txt")


# -- Hưng Yên (003): the 2024 plan for drug-free communes ------------------------------


@pytest.mark.parametrize(
    ("deadline", "due", "sources"),
    [
        # V.2 "Báo cáo Quý I trong ngày 12/3/2024; Báo cáo quý III trong ngày 12/9/2024."
        ("trong ngày 12/3/2024", date(2024, 3, 12), ["V.2"]),
        ("trong ngày 12/9/2024", date(2024, 9, 12), ["V.2"]),
        # V.2 "Báo cáo 06 tháng trước 12/6/2024." / "Báo cáo năm trước ngày 01/12/2024."
        ("trước 12/6/2024", date(2024, 6, 11), ["V.2"]),
        ("trước ngày 01/12/2024", date(2024, 11, 30), ["V.2"]),
        # III.1.2, III.3.1, III.4.2: "(Hoàn thành trong quý I/2024)"; III.8 "(Hoàn thành trong quý I/2024)"
        ("Hoàn thành trong quý I/2024", date(2024, 3, 31), ["III.1.2", "III.3.1", "III.4.2", "III.8"]),
        # III.1.3 "(ban hành văn bản chỉ đạo trong tháng 2/2024)"
        ("trong tháng 2/2024", date(2024, 2, 29), ["III.1.3"]),
        # II.2.1 "(Hoàn thành trước 31/12 hàng năm)"
        ("Hoàn thành trước 31/12 hàng năm", date(2024, 12, 30), ["II.2.1"]),
    ],
)
def test_hung_yen_deadlines(drafts, deadline, due, sources):
    d = drafts["hung_yen"]
    tasks = d.tasks_with(deadline)
    assert [t.source for t in tasks] == sources
    assert {task_due(d.plan, t) for t in tasks} == {due}
    # the due date is shown next to the phrase, as a comment
    assert f'deadline = "{deadline}"  # due {due.isoformat()}' in d.toml


def test_hung_yen_who_does_the_dated_tasks(drafts):
    d = drafts["hung_yen"]
    # III.1.3 "Ủy ban nhân dân huyện Kim Động xây dựng kế hoạch ... (ban hành văn bản chỉ đạo trong tháng 2/2024)"
    assert d.tasks_with("trong tháng 2/2024")[0].agencies == ("ubnd_kim_dong",)
    kim_dong = d.by_id("agencies", "ubnd_kim_dong")
    assert (kim_dong["name"], kim_dong["name_en"], kim_dong["level"]) == (
        "Ủy ban nhân dân huyện Kim Động", "Kim Dong District People's Committee", "district")
    # "1.2. Công an tỉnh" then "- Chủ trì, tham mưu ... (Hoàn thành trong quý I/2024)"
    by_source = {t.source: t.agencies for t in d.tasks_with("Hoàn thành trong quý I/2024")}
    assert by_source == {"III.1.2": ("cong_an_tinh",), "III.3.1": ("cong_an_tinh",),
                         "III.4.2": ("cong_an_tinh",), "III.8": ("ubnd_kim_dong",)}
    # IV.1 "Sở Tài chính chủ trì, phối hợp với Công an tỉnh và các sở, Ngành liên quan"
    assert d.by_id("agencies", "so_taichinh")["source"] == "IV.1"


def test_hung_yen_targets(drafts):
    d = drafts["hung_yen"]
    # I.2 "Phần đầu đến hết năm 2024 có 53/161 xã, phường, thị trấn không có ma túy (đạt tỷ lệ 32,9%)"
    [t53] = d.targets_where(threshold=53, of=161)
    assert (t53["comparator"], t53["deadline"], t53["period"], t53["source"]) == (">=", "đến hết năm 2024", "2024",
                                                                                  "I.2")
    assert "32,9%" in t53["note"]
    # I.2 "phần đầu đến hết năm 2024 có 11/17 xã, thị trấn không có ma túy (đạt tỷ lệ 64,7%)"
    [t11] = d.targets_where(threshold=11, of=17)
    assert "64,7%" in t11["note"] and t11["source"] == "I.2"
    # the shares are the counts' own: no separate 32,9% or 64,7% target
    assert not d.targets_where(threshold=32.9) and not d.targets_where(threshold=64.7)
    # I.2 "Phần đầu 100% cơ quan, đơn vị, trường học đạt tiêu chuẩn không có ma túy" (province, then Kim Động)
    assert len(d.targets_where(source="I.2", kind="ratio", comparator=">=", threshold=100)) == 2
    # I.2 "giữ vững 06 xã", "chuyển hóa tối thiểu 05 xã"; III.1.1 "Chuyển hóa tối thiểu 31 xã"
    assert [t["source"] for t in d.targets_where(comparator=">=", threshold=6)] == ["I.2"]
    assert [t["source"] for t in d.targets_where(comparator=">=", threshold=5)] == ["I.2"]
    assert [t["source"] for t in d.targets_where(comparator=">=", threshold=31)] == ["III.1.1"]
    # II.1.3 "từ 0,1% đến dưới 0,3%"; "dưới 1.000m²"
    assert [t["comparator"] for t in d.targets_where(source="II.1.3", threshold=0.1)] == [">="]
    assert [t["comparator"] for t in d.targets_where(source="II.1.3", threshold=0.3)] == ["<"]
    [area] = d.targets_where(source="II.1.3", threshold=1000)
    assert area["comparator"] == "<" and d.by_id("measures", area["measure"])["unit"] == "m2"
    # III.4.3 "Đảm bảo 100% cơ sở y tế ..." under "4.3. Sở Y tế"
    [health] = d.targets_where(source="III.4.3", threshold=100)
    assert health["agency"] == "so_yte"
    # III.8 "không để phát sinh người nghiện ma túy" drafted as a zero target
    assert d.targets_where(source="III.8", comparator="<=", threshold=0)


def test_hung_yen_units(drafts):
    d = drafts["hung_yen"]
    assert d.unit("Tỉnh Hưng Yên")["level"] == "province"
    province = d.unit("Tỉnh Hưng Yên")["id"]
    # "⁽⁴⁾ **Huyện Kim Động:** các xã Nhân La, ..." and "thị trấn Lương Bằng"
    kim_dong = d.unit("Huyện Kim Động")
    assert (kim_dong["level"], kim_dong["parent"], kim_dong["name_en"]) == ("district", province, "Kim Dong district")
    # "⁽¹⁾ **Huyện Văn Lâm:** các xã Minh Hải, Việt Hưng"
    minh_hai = d.unit("Xã Minh Hải")
    assert (minh_hai["level"], minh_hai["parent"], minh_hai["source"]) == (
        "commune", d.unit("Huyện Văn Lâm")["id"], "III.1.1")
    # "⁽⁷⁾ **Huyện Kim Động:** các xã Hùng An, Ngọc Thanh, Thọ Vinh, Hiệp Cường và thị trấn Lương Bằng"
    luong_bang = d.unit("Thị trấn Lương Bằng")
    assert (luong_bang["parent"], luong_bang["name_en"]) == (kim_dong["id"], "Luong Bang township")
    # "⁽⁴⁾ **Thị xã Mỹ Hào:** phường Phan Đình Phùng, xã Ngọc Lâm, Hòa Phong": Hòa Phong is a xã too
    my_hao = d.unit("Thị xã Mỹ Hào")["id"]
    assert d.unit("Phường Phan Đình Phùng")["parent"] == my_hao
    assert d.unit("Xã Hòa Phong")["parent"] == my_hao
    # 22 kept + 31 to transform, and the address "phường Minh Khai, thành phố Hưng Yên" (V.1)
    communes = [u for u in d.items("units") if u["level"] == "commune"]
    assert len(communes) == 54
    assert d.unit("Phường Minh Khai")["parent"] == d.unit("Thành phố Hưng Yên")["id"]
    assert len([u for u in d.items("units") if u["level"] == "district"]) == 10
    # the headings in capitals ("... THỊ TRẤN KHÔNG TỆ NẠN MA TÚY") name no unit
    assert not [u for u in d.items("units") if "Không" in u["name"]]


def test_hung_yen_header(drafts):
    d = drafts["hung_yen"].data
    # "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Duy Hưng"
    assert d["signer"] == "Nguyễn Duy Hưng, Phó Chủ tịch (KT. Chủ tịch)"
    # the text carries no number or date of its own ("Căn cứ Quyết định số 2751/QĐ-UBND" is its basis)
    assert "document" not in d and "signed" not in d
    assert d["parent_programme"].startswith("Quyết định số 2751/QĐ-UBND ngày 25/12/2023")
    # the title ends "... không có ma túy” năm 2024"; its quoted project name says 2023 - 2025
    assert d["period"] == {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}
    assert (d["province"], d["province_name"]) == ("hung_yen", "Hưng Yên")


# -- Vĩnh Long (000): Decision 2657/QĐ-UBND, the 2021-2025 programme plan ----------------


def test_vinh_long_header(drafts):
    d = drafts["vinh_long"].data
    # "Số: 2657/QĐ-UBND" / "Vĩnh Long, ngày 04 tháng 10 năm 2021"
    assert (d["document"], d["signed"]) == ("Quyết định số 2657/QĐ-UBND", date(2021, 10, 4))
    # "KẾ HOẠCH THỰC HIỆN CHƯƠNG TRÌNH ... GIAI ĐOẠN 2021 - 2025"
    assert d["period"] == {"start": date(2021, 1, 1), "end": date(2025, 12, 31)}
    assert "tỉnh Vĩnh Long giai đoạn 2021 - 2025" in d["title"]
    assert "1452/QĐ-TTg" in d["parent_programme"]


def test_vinh_long_deadlines(drafts):
    d = drafts["vinh_long"]
    # IV.2 "Các kế hoạch gửi Công an tỉnh trước ngày 20/10/2021 để theo dõi."
    [task] = d.tasks_with("trước ngày 20/10/2021")
    assert (task.source, task_due(d.plan, task)) == ("IV.2", date(2021, 10, 19))
    # I.1 "... đến năm 2020 và định hướng đến năm 2030": outside 2021-2025, listed, not drafted
    assert "#   I.1: 'đến năm 2030' (due 2030-12-31, outside the plan period)" in d.toml
    assert not d.tasks_with("đến năm 2030")


def test_vinh_long_targets(drafts):
    d = drafts["vinh_long"]
    # I.1 "kiềm chế tỷ lệ gia tăng số người nghiện ma túy ... dưới 1% so với năm trước"
    [growth_1] = d.targets_where(threshold=1)
    assert (growth_1["kind"], growth_1["comparator"], growth_1["recurrence"]) == ("growth", "<", "annual")
    # I.1 "Trên 80% số người nghiện ... được tiếp cận các dịch vụ"
    [over_80] = d.targets_where(threshold=80)
    assert (over_80["kind"], over_80["comparator"]) == ("ratio", ">")
    # I.1 "Số vụ phạm tội về ma túy được phát hiện, bắt giữ hàng năm tăng từ 5% so với năm trước"
    [growth_5] = d.targets_where(threshold=5)
    assert (growth_5["kind"], growth_5["comparator"]) == ("growth", ">=")
    # I.1 "100% số vụ án ma túy ...; 100% các vụ việc ...; tại 100% số xã ...; kiểm soát chặt chẽ 100% ..."
    assert len(d.targets_where(source="I.1", kind="ratio", threshold=100)) == 4
    # I.1 "Phấn đấu không để hình thành “điểm nóng” ..."
    assert d.targets_where(source="I.1", comparator="<=", threshold=0)


def test_vinh_long_projects_in_quotes(drafts):
    d = drafts["vinh_long"]
    projects = {p["name"]: p for p in d.items("projects")}
    expected = {
        # III.1 "Dự án 1: “...”", "Dự án 2: “...”"
        "Đấu tranh phòng, chống tội phạm ma túy tại các địa bàn, tuyến trọng điểm": "cong_an_tinh",
        "Giải quyết điểm, tụ điểm và chuyển hóa địa bàn trọng điểm, phức tạp về ma túy tại xã, phường, thị trấn":
            "cong_an_tinh",
        # III.2 "Chủ trì xây dựng và triển khai thực hiện Dự án “...”, Dự án gồm: (1) Tiểu dự án 1 ... (2) ..."
        "Nâng cao hiệu quả công tác cai nghiện ma túy và phòng ngừa nghiện ma túy đối với nhóm người có nguy cơ cao "
        "và người sử dụng trái phép chất ma túy": "so_ldtbxh",
        "Nâng cao hiệu quả công tác cai nghiện ma túy, quản lý sau cai và hòa nhập cộng đồng cho người sau cai "
        "nghiện ma túy": "so_ldtbxh",
        "Phòng ngừa nghiện ma túy đối với nhóm người có nguy cơ cao và người sử dụng trái phép chất ma túy":
            "so_ldtbxh",
        # III.3, III.4, III.13, III.14, III.15, III.17, III.18
        "Tuyên truyền về phòng, chống ma túy trên các phương tiện thông tin đại chúng và hệ thống thông tin cơ sở "
        "giai đoạn 2021 - 2025": "so_tttt",
        "Tăng cường năng lực phòng, chống ma túy trong trường học đến năm 2025": "so_gddt",
        "Tăng cường phòng, chống ma túy cho công nhân lao động tại các Khu Công nghiệp": "ldld_tinh",
        "Tăng cường phòng, chống ma túy trong thanh thiếu niên": "tinh_doan",
        "Tăng cường quản lý, giáo dục con em trong gia đình không tham gia tội phạm và tệ nạn ma túy":
            "hoi_lhpn_tinh",
        "Phát động phong trào toàn dân tham gia phòng, chống ma túy": "ubmttq_tinh",
        # III.18 "Tòa án nhân dân tỉnh chủ trì xây dựng ... Dự án “...”"
        "Nâng cao năng lực xét xử của Tòa án nhân dân các cấp trong công tác xét xử các vụ án ma túy và áp dụng "
        "biện pháp xử lý hành chính đưa vào Cơ sở cai nghiện bắt buộc": "tand_tinh",
    }
    assert {name: p["lead"] for name, p in projects.items()} == expected
    parent = projects[next(n for n in expected if n.startswith("Nâng cao hiệu quả công tác cai nghiện ma túy và"))]
    subs = [p for p in projects.values() if p["id"].startswith("tieu_du_an")]
    assert len(subs) == 2 and {p["parent"] for p in subs} == {parent["id"]}


def test_vinh_long_agencies_as_named(drafts):
    d = drafts["vinh_long"]
    # III.1-III.19 open with the body they assign ("1. Công an tỉnh" ... "19. Ủy ban nhân dân các huyện, ...")
    headings = {"cong_an_tinh", "so_ldtbxh", "so_tttt", "so_gddt", "so_vhttdl", "so_yte", "so_nnptnt",
                "so_congthuong", "so_tuphap", "so_taichinh", "so_khdt", "vp_ubnd_tinh", "ldld_tinh", "tinh_doan",
                "hoi_lhpn_tinh", "ban_nganh_tw", "ubmttq_tinh", "vksnd_tinh", "tand_tinh", "ubnd_cap_huyen"}
    ids = {a["id"] for a in d.items("agencies")}
    assert headings <= ids
    # III.2 "Chủ trì, phối hợp với Công an tỉnh, ..., Đài Phát thanh và Truyền hình Vĩnh Long, ..."
    assert d.by_id("agencies", "dai_ptth")["name"] == "Đài Phát thanh và Truyền hình Vĩnh Long"
    # "17. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh": the request is not part of the name
    assert d.by_id("agencies", "ubmttq_tinh")["name"] == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    assert d.unit("Tỉnh Vĩnh Long")["level"] == "province"


# -- Ninh Bình (004): Plan 126/KH-UBND, cut after III.4 ----------------------------------


def test_ninh_binh(drafts):
    d = drafts["ninh_binh"]
    data = d.data
    # "Số hiệu 126/KH-UBND", "Ngày ban hành 04/12/2020", "Người ký Tống Quang Thìn"
    assert (data["document"], data["signed"], data["signer"]) == (
        "Kế hoạch số 126/KH-UBND", date(2020, 12, 4), "Tống Quang Thìn")
    # II.2 "Thời gian thực hiện: từ năm 2021 đến hết năm 2025." gives the period, not a task
    assert data["period"] == {"start": date(2021, 1, 1), "end": date(2025, 12, 31)}
    assert not d.tasks_with("đến hết năm 2025")
    # II.1 "kế hoạch được thực hiện tại 143/143 xã phường, thị trấn của tỉnh"
    [scope] = d.targets_where(threshold=143, of=143)
    assert (scope["source"], scope["recurrence"]) == ("II.1", "annual")
    # II.1 "tập trung tại các địa phương có trên 20 người nghiện"
    [over_20] = d.targets_where(threshold=20)
    assert (over_20["comparator"], over_20["source"]) == (">", "II.1")
    assert d.by_id("measures", over_20["measure"])["unit"] == "people"
    # the project is named three ways in the title, the heading and the preamble
    assert "Xây dựng xã, phường, thị trấn không có tệ nạn ma túy" in {p["name"] for p in d.items("projects")}


# -- Tiền Giang (001): a press summary of Plan 23/KH-UBND --------------------------------


def test_tien_giang(drafts):
    d = drafts["tien_giang"]
    data = d.data
    # "Ngày 22/01/2024, Ủy ban nhân dân (UBND) tỉnh ban hành Kế hoạch số 23/KH-UBND về ..."
    assert (data["document"], data["signed"]) == ("Kế hoạch số 23/KH-UBND", date(2024, 1, 22))
    assert data["title"] == "Kế hoạch về thực hiện công tác phòng, chống ma túy năm 2024 trên địa bàn Tiền Giang"
    assert data["period"] == {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}
    chi_tieu = "Các chỉ tiêu năm 2024"
    # "Có 100% xã, ...", "Có 100% người sử dụng ...", "100% người nghiện ...", "100% người hoàn thành ...",
    # "100% tin báo, tố giác ..."
    assert len(d.targets_where(source=chi_tieu, kind="ratio", threshold=100)) == 5
    # "Số vụ phạm tội về ma túy được phát hiện, bắt giữ tăng ít nhất 5% so với năm 2023"
    [five] = d.targets_where(threshold=5)
    assert (five["kind"], five["comparator"], five["source"]) == ("growth", ">=", chi_tieu)
    # "trong đó tỷ lệ giải quyết đạt trên 90%"
    [ninety] = d.targets_where(threshold=90)
    assert (ninety["kind"], ninety["comparator"]) == ("ratio", ">")
    # Thứ tư: "... tại 100% trạm y tế các xã, phường, thị trấn"
    assert d.targets_where(source="Các nhiệm vụ trọng tâm, Thứ tư", threshold=100)
    # "Bộ Chỉ huy Bộ đội Biên phòng tỉnh phối hợp chặt chẽ với lực lượng Công an"; "Giao Công an tỉnh - ..."
    assert d.by_id("agencies", "bdbp_tinh")["source"] == "Các nhiệm vụ trọng tâm, Thứ ba"
    assert d.by_id("agencies", "cong_an_tinh")["source"] == "Các nhiệm vụ trọng tâm, Thứ sáu"


# -- a plan text written for the tests, with its expected draft --------------------------

_COLLECTIONS = ("agencies", "units", "measures", "projects", "targets", "tasks")


@pytest.fixture(scope="module")
def dong_phong():
    text = (DATA / "dong_phong_2025.txt").read_text(encoding="utf-8")
    return draft_plan(text, "dong_phong_2025.txt"), (DATA / "dong_phong_2025.draft.toml").read_text(encoding="utf-8")


def test_test_plan_header_as_expected(dong_phong):
    got, expected = (tomllib.loads(x) for x in dong_phong)
    header = {k: v for k, v in expected.items() if k not in _COLLECTIONS}
    assert {k: v for k, v in got.items() if k not in _COLLECTIONS} == header
    # read off the text: "Số: 45/KH-UBND", "Đông Phong, ngày 15 tháng 01 năm 2025", the signature block
    assert (header["document"], header["signed"], header["signer"]) == (
        "Kế hoạch số 45/KH-UBND", date(2025, 1, 15), "Trần Văn Minh, Phó Chủ tịch (KT. Chủ tịch)")


@pytest.mark.parametrize("coll", _COLLECTIONS)
def test_test_plan_elements_as_expected(dong_phong, coll):
    got, expected = (tomllib.loads(x).get(coll, []) for x in dong_phong)
    assert [x["id"] for x in got] == [x["id"] for x in expected]
    for g, e in zip(got, expected, strict=True):
        assert g == e, f"{coll} {e['id']}"


def test_test_plan_comments_as_expected(dong_phong):
    got, expected = ([line for line in x.splitlines() if "#" in line] for x in dong_phong)
    assert got == expected


def test_test_plan_draft_loads_with_the_dates_of_the_text(dong_phong, tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(dong_phong[0], encoding="utf-8")
    plan = load_plan(path)
    dues = {t.deadline: task_due(plan, t) for t in plan.tasks}
    assert dues == {
        "Hoàn thành trong quý I/2025": date(2025, 3, 31),   # II.1 "(Hoàn thành trong quý I/2025)"
        "trong tháng 3/2025": date(2025, 3, 31),            # II.4 "(ban hành trong tháng 3/2025)"
        "Hoàn thành trước 15/12 hằng năm": date(2025, 12, 14),
        "trước ngày 15/6/2025": date(2025, 6, 14),          # III.1 "Báo cáo 6 tháng trước ngày 15/6/2025"
        "trong ngày 10/12/2025": date(2025, 12, 10),        # III.1 "Báo cáo năm trong ngày 10/12/2025"
    }
    targets = {t.id: [o.due for o in target_occurrences(plan, t)] for t in plan.targets if t.deadline}
    assert targets == {
        "t01_12_of_40": [date(2025, 12, 31)],  # I.2 "Phấn đấu đến hết năm 2025 có 12/40 xã ..."
        "t05_100pct": [date(2025, 6, 30)],     # II.2 "(hoàn thành trước ngày 01/7/2025)"
    }


def test_test_plan_nfd_gives_the_same_draft(dong_phong):
    text = (DATA / "dong_phong_2025.txt").read_text(encoding="utf-8")
    assert draft_plan(unicodedata.normalize("NFD", text), "dong_phong_2025.txt") == dong_phong[0]


# -- small texts: where the period comes from ------------------------------------------


def test_period_from_the_deadlines_when_the_text_gives_none(tmp_path):
    text = ("KẾ HOẠCH\n\nPhòng, chống ma túy trên địa bàn tỉnh Thử\n\nI. NHIỆM VỤ\n\n"
            "1. Công an tỉnh\n\n- Tổng rà soát người nghiện (Hoàn thành trong quý II/2026).\n")
    draft = Draft(draft_plan(text, "thu.txt"), tmp_path)
    assert draft.data["period"] == {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    assert re.search(r"years of the deadlines", draft.data["assumed"])
    [task] = draft.plan.tasks
    assert (task.agencies, task_due(draft.plan, task), task.source) == (("cong_an_tinh",), date(2026, 6, 30), "I.1")


def test_a_text_with_nothing_to_date_it_by_is_an_error():
    with pytest.raises(ValueError, match="nothing|no period"):
        draft_plan("KẾ HOẠCH\n\nPhòng, chống ma túy\n\nI. NHIỆM VỤ\n\n1. Công an tỉnh tuyên truyền.\n", "x.txt")


def test_docs_example_sections_are_what_the_drafter_writes(drafts):
    doc = (ROOT / "docs" / "drafting.md").read_text(encoding="utf-8")
    [example] = [b for b in re.findall(r"```toml\n(.*?)```", doc, re.DOTALL) if "Sections found" in b]
    lines = [line for line in example.splitlines() if line.strip() != "#   ..."]
    assert len(lines) >= 4 and set(lines) <= set(drafts["hung_yen"].toml.splitlines())
