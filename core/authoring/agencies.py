"""The agencies a plan's text names, and in what role.

Owns the catalogue of the bodies Vietnamese provincial plans name (People's
Committees at each level, the police, the departments, the mass
organisations ...), each with an id, an English name and a level, and
:func:`find_agencies`: the agencies named as the heading of a clause, as lead
("chủ trì", "Giao ...") or as coordinator ("phối hợp (với)"). Names are
matched with old-style tone marks folded to the new style ("Uỷ ban" is "Ủy
ban"). Reads the sentences of :mod:`plancheck.authoring.clauses`.
"""

from __future__ import annotations

import re

import attrs

from plancheck.authoring.clauses import NAME, NOT_LETTER_BEFORE, PlanText, is_legal_basis, slug, to_ascii

# -- names of bodies as written ---------------------------------------------------------

# Old-style tone placement at the end of a word ("uỷ", "hoá") folded to the new
# style for matching names of bodies ("đoàn" is left alone); every pair keeps
# its length, so offsets stay valid.
_TONE_FOLD = {
    "uỷ": "ủy", "Uỷ": "Ủy", "UỶ": "ỦY", "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa",
    "oạ": "ọa", "Oá": "Óa", "Oà": "Òa", "uý": "úy", "uỳ": "ùy", "uỵ": "ụy", "uỹ": "ũy",
    "oé": "óe", "oè": "òe",
}
_TONE_RE = re.compile("(?:" + "|".join(map(re.escape, _TONE_FOLD)) + r")(?![^\W\d_])")  # open syllables only


def _fold(text: str) -> str:
    """The text with old-style tone marks at the end of a syllable in the new style ("uỷ" → "ủy")."""
    return _TONE_RE.sub(lambda m: _TONE_FOLD[m[0]], text)


# -- agencies ---------------------------------------------------------------------------

@attrs.frozen(kw_only=True)
class _AgencyKind:
    id: str
    pattern: str
    name_en: str
    level: str


_UBND = r"(?:Ủy ban nhân dân|UBND)"
_AGENCY_KINDS = (
    _AgencyKind(id="vp_ubnd_tinh", pattern=rf"Văn phòng {_UBND} tỉnh",
                name_en="Office of the Provincial People's Committee", level="province"),
    _AgencyKind(id="ubnd_cap_huyen",
                pattern=rf"{_UBND} (?:các |cấp )?huyện, thị xã, thành phố|{_UBND} cấp huyện",
                name_en="District, town and city People's Committees", level="district"),
    _AgencyKind(id="ubnd_cap_xa", pattern=rf"{_UBND} (?:cấp xã|cấp cơ sở|(?:các )?xã, phường, thị trấn)",
                name_en="Commune-level People's Committees", level="commune"),
    _AgencyKind(id="ubnd_{name}", pattern=rf"{_UBND} (?:huyện|thị xã|thành phố|quận) (?-i:(?P<name>{NAME}))",
                name_en="{Name} District People's Committee", level="district"),
    _AgencyKind(id="ubnd_tinh", pattern=rf"{_UBND} tỉnh", name_en="Provincial People's Committee",
                level="province"),
    _AgencyKind(id="ubmttq_tinh", pattern=r"Ủy ban (?:Mặt trận Tổ quốc|MTTQ)(?: Việt Nam)? tỉnh",
                name_en="Provincial Committee of the Vietnam Fatherland Front", level="province"),
    _AgencyKind(id="ubqg_aids_ma_tuy_mai_dam",
                pattern=r"Ủy ban Quốc gia phòng, chống AIDS và phòng, chống tệ nạn ma túy, mại dâm",
                name_en="National Committee on AIDS, Drugs and Prostitution Prevention", level="central"),
    _AgencyKind(id="cong_an_tinh", pattern=r"Công an tỉnh", name_en="Provincial Police", level="province"),
    _AgencyKind(id="cong_an_cap_huyen", pattern=r"Công an (?:cấp )?huyện(?:, thị xã, thành phố)?",
                name_en="District police", level="district"),
    _AgencyKind(id="cong_an_cap_xa", pattern=r"Công an (?:cấp )?xã(?:, phường, thị trấn)?",
                name_en="Commune police", level="commune"),
    _AgencyKind(id="bo_cong_an", pattern=r"Bộ Công an", name_en="Ministry of Public Security", level="central"),
    _AgencyKind(id="bdbp_tinh", pattern=r"Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
                name_en="Provincial Border Guard Command", level="province"),
    _AgencyKind(id="bchqs_tinh", pattern=r"Bộ Chỉ huy Quân sự tỉnh", name_en="Provincial Military Command",
                level="province"),
    _AgencyKind(id="chinh_phu", pattern=r"(?<!tướng )Chính phủ", name_en="The Government", level="central"),
    _AgencyKind(id="tinh_uy", pattern=r"Tỉnh ủy", name_en="Provincial Party Committee", level="province"),
    _AgencyKind(id="tinh_doan", pattern=r"Tỉnh đoàn", name_en="Provincial Youth Union", level="province"),
    _AgencyKind(id="ldld_tinh", pattern=r"Liên đoàn Lao động tỉnh", name_en="Provincial Labour Federation",
                level="province"),
    _AgencyKind(id="hoi_lhpn_tinh", pattern=r"Hội Liên hiệp Phụ nữ(?: Việt Nam)? tỉnh",
                name_en="Provincial Women's Union", level="province"),
    _AgencyKind(id="hoi_nong_dan_tinh", pattern=r"Hội Nông dân tỉnh", name_en="Provincial Farmers' Union",
                level="province"),
    _AgencyKind(id="hoi_ccb_tinh", pattern=r"Hội Cựu chiến binh tỉnh",
                name_en="Provincial Veterans' Association", level="province"),
    _AgencyKind(id="vksnd_tinh", pattern=r"Viện kiểm sát nhân dân tỉnh",
                name_en="Provincial People's Procuracy", level="province"),
    _AgencyKind(id="tand_tinh", pattern=r"Tòa án nhân dân tỉnh", name_en="Provincial People's Court",
                level="province"),
    _AgencyKind(id="dai_ptth", pattern=rf"Đài Phát thanh (?:và|-) Truyền hình(?: tỉnh| (?-i:{NAME}))?",
                name_en="Provincial Radio and Television", level="province"),
    _AgencyKind(id="bao_{name}", pattern=rf"Báo (?-i:(?P<name>{NAME}))", name_en="{Name} Newspaper",
                level="province"),
    _AgencyKind(id="bcd_tinh",
                pattern=r"Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội"
                        r"(?: và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc)?(?: tỉnh)?",
                name_en="Provincial Steering Committee for crime and social-evil prevention",
                level="province"),
    _AgencyKind(id="so_ban_nganh_doan_the", pattern=r"(?:các )?sở, ban, ngành, đoàn thể tỉnh",
                name_en="Provincial departments, agencies and mass organisations", level="province"),
    _AgencyKind(id="ban_nganh_tw", pattern=r"(?:các )?ban, ngành tỉnh, Cơ quan Trung ương đóng trên địa bàn tỉnh",
                name_en="Provincial departments and agencies, and central agencies based in the province",
                level="province"),
    _AgencyKind(id="so_nganh_tinh", pattern=r"(?:các )?sở, ngành tỉnh", name_en="Provincial departments",
                level="province"),
    _AgencyKind(id="so_ldtbxh", pattern=r"Sở Lao động\s*[-–,]\s*Thương binh và Xã hội",
                name_en="Department of Labour, Invalids and Social Affairs", level="province"),
    _AgencyKind(id="so_vhttdl", pattern=r"Sở Văn hóa,? Thể thao và Du lịch",
                name_en="Department of Culture, Sports and Tourism", level="province"),
    _AgencyKind(id="so_gddt", pattern=r"Sở Giáo dục và Đào tạo", name_en="Department of Education and Training",
                level="province"),
    _AgencyKind(id="so_yte", pattern=r"Sở Y tế", name_en="Department of Health", level="province"),
    _AgencyKind(id="so_taichinh", pattern=r"Sở Tài chính", name_en="Department of Finance", level="province"),
    _AgencyKind(id="so_tttt", pattern=r"Sở Thông tin và Truyền thông",
                name_en="Department of Information and Communications", level="province"),
    _AgencyKind(id="so_khdt", pattern=r"Sở Kế hoạch và Đầu tư", name_en="Department of Planning and Investment",
                level="province"),
    _AgencyKind(id="so_nnptnt", pattern=r"Sở Nông nghiệp và Phát triển nông thôn",
                name_en="Department of Agriculture and Rural Development", level="province"),
    _AgencyKind(id="so_congthuong", pattern=r"Sở Công Thương", name_en="Department of Industry and Trade",
                level="province"),
    _AgencyKind(id="so_tuphap", pattern=r"Sở Tư pháp", name_en="Department of Justice", level="province"),
    _AgencyKind(id="so_noivu", pattern=r"Sở Nội vụ", name_en="Department of Home Affairs", level="province"),
    _AgencyKind(id="so_tnmt", pattern=r"Sở Tài nguyên và Môi trường",
                name_en="Department of Natural Resources and Environment", level="province"),
    _AgencyKind(id="so_xaydung", pattern=r"Sở Xây dựng", name_en="Department of Construction", level="province"),
    _AgencyKind(id="so_gtvt", pattern=r"Sở Giao thông vận tải", name_en="Department of Transport",
                level="province"),
    _AgencyKind(id="so_khcn", pattern=r"Sở Khoa học và Công nghệ", name_en="Department of Science and Technology",
                level="province"),
    _AgencyKind(id="so_ngoaivu", pattern=r"Sở Ngoại vụ", name_en="Department of Foreign Affairs",
                level="province"),
)
_AGENCY_RES = [(k, re.compile(NOT_LETTER_BEFORE + "(?:" + k.pattern + ")", re.IGNORECASE))
               for k in _AGENCY_KINDS]


@attrs.frozen(kw_only=True)
class AgencyMention:
    """An agency named in a role: ``heading`` of a clause, ``lead`` or ``coordinator``."""

    id: str
    name: str
    name_en: str
    level: str
    role: str
    clause: str
    sentence: str
    start: int


def _agency_matches(sentence: str) -> list[tuple[int, int, _AgencyKind, re.Match[str]]]:
    folded = _fold(sentence)
    found = [(m.start(), m.end(), k, m) for k, rx in _AGENCY_RES for m in rx.finditer(folded)]
    found.sort(key=lambda t: (t[0], -t[1]))
    out: list[tuple[int, int, _AgencyKind, re.Match[str]]] = []
    for f in found:
        if not out or f[0] >= out[-1][1]:
            out.append(f)
    return out


_LIST_GAP_RE = re.compile(r"^(?:\s*\([^()]*\))?\s*(?:,|;|\svà\s|\s)\s*$")
_PAREN_RE = re.compile(r"^\s*(?:\([^()]*\)\s*)?")


def find_agencies(pt: PlanText) -> list[AgencyMention]:
    """Agencies named in a role, in text order.

    ``heading``: the agencies a numbered clause opens with ("1.2. Công an tỉnh",
    "18. Đề nghị Viện Kiểm sát nhân dân tỉnh và Tòa án nhân dân tỉnh");
    ``lead``: a list followed by "chủ trì" or preceded by "Giao";
    ``coordinator``: a list after "phối hợp (chặt chẽ) (với)" or followed by
    "phối hợp". Agencies named in other roles (recipients, objects) are not taken.
    """
    out = []
    for s in pt.sentences:
        if is_legal_basis(s):
            continue
        matches = _agency_matches(s.text)
        groups: list[list[tuple[int, int, _AgencyKind, re.Match[str]]]] = []
        for mt in matches:
            if groups and _LIST_GAP_RE.match(s.text[groups[-1][-1][1]:mt[0]]):
                groups[-1].append(mt)
            else:
                groups.append([mt])
        for group in groups:
            before = s.text[:group[0][0]]
            after = s.text[group[-1][1]:]
            after = after[_PAREN_RE.match(after).end():]  # type: ignore[union-attr]
            role = None
            if s.first_in_clause and re.fullmatch(r"\s*(?:Đề nghị\s*)?", before):
                role = "heading"
            elif re.search(r"(?:^|\s)[Gg]iao\s*$", before) or re.match(r"chủ trì", after, re.IGNORECASE):
                role = "lead"
            elif re.search(r"phối hợp(?: chặt chẽ)?(?: với)?\s*$", before, re.IGNORECASE) or re.match(
                    r"phối hợp", after, re.IGNORECASE):
                role = "coordinator"
            if role is None:
                continue
            for start, end, kind, m in group:
                written = s.text[start:end]
                name_part = m.groupdict().get("name")
                if name_part:
                    ascii_name = to_ascii(name_part)
                    aid = kind.id.format(name=slug(name_part))
                    name_en = kind.name_en.format(Name=ascii_name)
                else:
                    aid, name_en = kind.id, kind.name_en
                name = written[0].upper() + written[1:]
                out.append(AgencyMention(id=aid, name=name, name_en=name_en, level=kind.level, role=role,
                                         clause=s.clause, sentence=s.text, start=start))
    return out
