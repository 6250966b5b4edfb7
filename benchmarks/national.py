"""Synthetic national data: 63 provinces' plans as an installed plugin, and their filled forms.

    python benchmarks/national.py OUT [--scale S] [--provinces N]

Writes, under ``OUT``:

* ``site/``: a province plugin installed the way ``pip install`` leaves one
  (a package and a ``*.dist-info`` with ``entry_points.txt`` in the
  ``plancheck.provinces`` group). Put ``site`` on PYTHONPATH and plancheck
  finds it through ``importlib.metadata``, as it finds any province. It
  registers one plan per province (``tinh_01`` ... ``tinh_63``), each a plan
  TOML that ``plancheck.plans.planfile.load_plan`` accepts;
* ``forms/<province>.csv``: each province's filled reporting form, in the
  form's own columns (province, plan, item, kind, agency, unit, period, due,
  description, value, date): 12 commune-level measures for every commune and
  quarter of 2021-2025, the province-level yearly figures behind its national
  indicators (2020 too, the baseline of growth targets), and a submission date
  for every district agency's quarterly reports (a few late, a few missing);
* ``forms/national_1m.csv``: the first provinces' commune measures in one
  file, about a million rows at full scale (issue 4).

At ``--scale 1`` the country has about 10,000 communes (63 provinces,
about 11 districts each), so 12 × 20 × 10,000 = 2.4 million measure rows.
``--scale`` multiplies communes and districts; the number of provinces stays
63 unless ``--provinces`` says otherwise. Everything is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import textwrap
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import attrs

PLUGIN = "plancheck_bench_national"
ENTRY_POINT = "bench_national"
PROGRAMME = "decision-1452-2021"
START, END = date(2021, 1, 1), date(2025, 12, 31)
QUARTERS = [f"{y}Q{q}" for y in range(START.year, END.year + 1) for q in range(1, 5)]
YEARS = [str(y) for y in range(START.year - 1, END.year + 1)]  # 2020: the growth baseline
COMMUNES_FULL = 10_000
COMMUNES_PER_DISTRICT = 14
ONE_MILLION = 1_000_000

#: The 12 commune-level quarterly measures: id, name, unit.
MEASURES = (
    ("addicts", "Số người nghiện ma túy", "people"),
    ("users", "Số người sử dụng trái phép chất ma túy", "people"),
    ("users_with_records", "Số người sử dụng trái phép chất ma túy có hồ sơ quản lý", "people"),
    ("users_reached", "Số người có hồ sơ quản lý được tiếp cận dịch vụ", "people"),
    ("in_treatment", "Số người đang điều trị nghiện bằng thuốc thay thế", "people"),
    ("rehab_done", "Số người hoàn thành cai nghiện", "people"),
    ("hotspots", "Số điểm, tụ điểm phức tạp về ma túy", "count"),
    ("cases", "Số vụ việc vi phạm pháp luật về ma túy phát hiện", "count"),
    ("cases_resolved", "Số vụ việc vi phạm pháp luật về ma túy đã xử lý", "count"),
    ("awareness_sessions", "Số buổi tuyên truyền phòng, chống ma túy", "count"),
    ("people_reached", "Số lượt người được tuyên truyền", "people"),
    ("households_pledged", "Số hộ gia đình ký cam kết không có ma túy", "count"),
)

#: Commune targets, judged every quarter in every commune: id, name, kind, fields.
COMMUNE_TARGETS = (
    ("records_100", "100% người sử dụng trái phép chất ma túy có hồ sơ quản lý", "ratio",
     {"numerator": "users_with_records", "denominator": "users", "comparator": ">=", "threshold": 100}),
    ("reached_80", "Trên 80% người có hồ sơ quản lý được tiếp cận dịch vụ", "ratio",
     {"numerator": "users_reached", "denominator": "users_with_records", "comparator": ">", "threshold": 80}),
    ("resolved_90", "Trên 90% vụ việc vi phạm được xử lý", "ratio",
     {"numerator": "cases_resolved", "denominator": "cases", "comparator": ">", "threshold": 90}),
    ("no_hotspots", "Không để hình thành điểm, tụ điểm phức tạp về ma túy", "value",
     {"measure": "hotspots", "comparator": "<=", "threshold": 0}),
    ("awareness_each_quarter", "Mỗi quý tổ chức ít nhất 01 buổi tuyên truyền", "value",
     {"measure": "awareness_sessions", "comparator": ">=", "threshold": 1}),
)

#: Province-level yearly measures behind the national indicators.
PROVINCE_MEASURES = (
    ("prov_users_with_records", "Số người nghiện, người sử dụng có hồ sơ quản lý (toàn tỉnh)", "people"),
    ("prov_users_reached", "Số người có hồ sơ quản lý được tiếp cận dịch vụ (toàn tỉnh)", "people"),
    ("prov_crimes_detected", "Số vụ phạm tội về ma túy được phát hiện, bắt giữ", "count"),
    ("prov_cases", "Số vụ án ma túy phải giải quyết", "count"),
    ("prov_cases_resolved", "Số vụ án ma túy được giải quyết, xét xử", "count"),
)

#: Obligations every district agency owes each quarter (calendar of Decree 09/2019).
OBLIGATIONS = (
    ("quarterly_report", "Báo cáo quý kết quả thực hiện kế hoạch"),
    ("quarterly_statistics", "Báo cáo thống kê số liệu quý về ma túy"),
)


@attrs.frozen
class Province:
    id: str
    name: str
    index: int
    districts: tuple[str, ...]
    communes: tuple[tuple[str, str], ...]  # (commune id, district id)

    @property
    def plan_id(self) -> str:
        return f"{self.id}-2021-2025"

    @property
    def includes_hotspots(self) -> bool:
        """Every other province adopts the national 'no new hotspot' indicator without restating it."""
        return self.index % 2 == 0


def country(scale: float, provinces: int = 63) -> list[Province]:
    """The provinces, their districts and communes at ``scale`` (1.0 = about 10,000 communes)."""
    total = max(provinces, round(COMMUNES_FULL * scale))
    out = []
    for i in range(provinces):
        pid = f"tinh_{i + 1:02d}"
        n = total // provinces + (1 if i < total % provinces else 0)
        nd = max(1, round(n / COMMUNES_PER_DISTRICT))
        districts = tuple(f"{pid}.h{d + 1:02d}" for d in range(nd))
        communes = tuple((f"{districts[c % nd]}.x{c + 1:03d}", districts[c % nd]) for c in range(n))
        out.append(Province(pid, f"Tỉnh Thử Nghiệm {i + 1:02d}", i + 1, districts, communes))
    return out


# -- the plan ------------------------------------------------------------------------

def _toml(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return str(value)


def _table(name: str, fields: dict[str, object]) -> str:
    return f"[[{name}]]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in fields.items()) + "\n"


def plan_toml(p: Province) -> str:
    """The plan of one generated province, in the plan file format (docs/plugins.md)."""
    adopts: dict[str, object] = {"programme": PROGRAMME, "source": "preamble"}
    if p.includes_hotspots:
        adopts["include"] = ["no_new_hotspots"]
    if p.index % 3 == 0:
        adopts["skip"] = ["awareness_coverage"]
    head = {
        "id": p.plan_id, "province": p.id, "province_name": p.name,
        "title": f"Kế hoạch thực hiện Chương trình phòng, chống ma túy giai đoạn 2021 - 2025 ({p.name})",
        "title_en": f"Synthetic benchmark plan of {p.id}, 2021-2025",
        "issuer": f"Ủy ban nhân dân {p.name}", "period": {"start": START, "end": END},
        "source_file": "synthetic", "source": "preamble", "adopts": adopts,
        "note": "Generated by benchmarks/national.py for the performance benchmarks; not a real plan.",
    }
    parts = ["".join(f"{k} = {_toml(v)}\n" for k, v in head.items()) + "\n"]
    parts.append(_table("agencies", {"id": "cong_an_tinh", "name": "Công an tỉnh", "name_en": "Provincial Police",
                                     "level": "province", "source": "V.1"}))
    for d in p.districts:
        n = d.rsplit(".", 1)[1]
        parts.append(_table("agencies", {"id": f"ubnd_{n}", "name": f"Ủy ban nhân dân huyện {n}",
                                         "name_en": f"District {n} People's Committee", "level": "district",
                                         "source": "V.2"}))
    parts.append(_table("units", {"id": p.id, "name": p.name, "name_en": p.id, "level": "province",
                                  "source": "I"}))
    for d in p.districts:
        parts.append(_table("units", {"id": d, "name": f"Huyện {d}", "name_en": f"District {d}",
                                      "level": "district", "parent": p.id, "source": "I"}))
    for c, d in p.communes:
        parts.append(_table("units", {"id": c, "name": f"Xã {c}", "name_en": f"Commune {c}",
                                      "level": "commune", "parent": d, "source": "I"}))
    for mid, name, unit in MEASURES:
        parts.append(_table("measures", {"id": mid, "name": name, "name_en": mid, "unit": unit,
                                         "level": "commune", "period_type": "quarterly", "source": "II.1"}))
    for mid, name, unit in PROVINCE_MEASURES:
        parts.append(_table("measures", {"id": mid, "name": name, "name_en": mid, "unit": unit,
                                         "level": "province", "period_type": "yearly", "source": "II.2"}))
    for tid, name, kind, fields in COMMUNE_TARGETS:
        parts.append(_table("targets", {"id": tid, "name": name, "name_en": tid, "kind": kind, **fields,
                                        "scope": "each_commune", "recurrence": "quarterly", "source": "I.2"}))
    national = (
        ("national_services_80", "services_reached", "ratio",
         {"numerator": "prov_users_reached", "denominator": "prov_users_with_records", "comparator": ">",
          "threshold": 80}),
        ("national_crimes_growth_5", "crimes_detected_growth", "growth",
         {"measure": "prov_crimes_detected", "comparator": ">=", "threshold": 5}),
        ("national_cases_resolved", "cases_resolved", "ratio",
         {"numerator": "prov_cases_resolved", "denominator": "prov_cases", "comparator": ">",
          "threshold": 90 if p.index % 4 else 100}),
    )
    for tid, code, kind, fields in national:
        parts.append(_table("targets", {"id": tid, "name": f"Chỉ tiêu quốc gia {code}", "name_en": tid,
                                        "kind": kind, "national": code, **fields, "scope": "province",
                                        "recurrence": "annual", "source": "I.1"}))
    district_agencies = [f"ubnd_{d.rsplit('.', 1)[1]}" for d in p.districts]
    for oid, name in OBLIGATIONS:
        parts.append(_table("obligations", {"id": oid, "name": name, "name_en": oid,
                                            "agencies": district_agencies, "recipient": ["cong_an_tinh"],
                                            "recurrence": "quarterly", "calendar": "decree-09-2019",
                                            "source": "V.2"}))
    return "".join(parts)


PLUGIN_SOURCE = '''\
"""Synthetic provinces for plancheck's performance benchmarks (benchmarks/national.py)."""

from pathlib import Path

from plancheck import hookimpl

HERE = Path(__file__).parent
PROVINCES = {provinces!r}


@hookimpl
def register_plans(register):
    for province, name in PROVINCES.items():
        register(HERE / "plans" / f"{{province}}.toml", province=province, province_name=name, api_version=1)
'''


def install_plugin(site: Path, provinces: list[Province]) -> Path:
    """Write the plugin as ``pip install`` would leave it; returns ``site`` (for PYTHONPATH)."""
    pkg = site / PLUGIN
    (pkg / "plans").mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text(
        PLUGIN_SOURCE.format(provinces={p.id: p.name for p in provinces}), encoding="utf-8")
    for p in provinces:
        (pkg / "plans" / f"{p.id}.toml").write_text(plan_toml(p), encoding="utf-8")
    dist = site / f"{PLUGIN}-0.1.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {PLUGIN}\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(f"[plancheck.provinces]\n{ENTRY_POINT} = {PLUGIN}\n")
    return site


# -- the filled forms --------------------------------------------------------------------

def _quarter_end(period: str) -> date:
    y, q = int(period[:4]), int(period[5])
    return (date(y + (q == 4), 1 if q == 4 else 3 * q + 1, 1)) - timedelta(days=1)


def _commune_values(rng: random.Random) -> list[int]:
    """One commune-quarter's 12 values, consistent (no part larger than its whole)."""
    users = rng.randint(0, 40)
    addicts = rng.randint(0, users)
    records = users if rng.random() < 0.8 else rng.randint(0, users)
    reached = rng.randint(records * 3 // 4, records) if records else 0
    cases = rng.randint(0, 12)
    resolved = rng.randint(cases * 4 // 5, cases) if cases else 0
    return [addicts, users, records, reached, rng.randint(0, reached), rng.randint(0, addicts),
            int(rng.random() < 0.1), cases, resolved, rng.randint(0, 3), rng.randint(0, 500), rng.randint(0, 300)]


def measure_rows(p: Province) -> Iterator[list[str]]:
    """The commune measure rows of one province's form, values filled."""
    rng = random.Random(f"measures:{p.id}")
    for period in QUARTERS:
        due = _quarter_end(period).isoformat()
        for commune, _ in p.communes:
            for (mid, name, unit), value in zip(MEASURES, _commune_values(rng), strict=True):
                yield [p.id, p.plan_id, mid, "measure", "", commune, period, due, f"{name} ({unit}) [II.1]",
                       str(value), ""]


def province_rows(p: Province) -> Iterator[list[str]]:
    """The province-level yearly figures (the national indicators' data) and the report dates."""
    rng = random.Random(f"province:{p.id}")
    crimes = rng.randint(80, 200)
    for year in YEARS:
        records = rng.randint(800, 3000)
        cases = rng.randint(50, 150)
        crimes = max(1, round(crimes * rng.uniform(0.97, 1.12)))
        values = {"prov_users_with_records": records, "prov_users_reached": rng.randint(records * 7 // 10, records),
                  "prov_crimes_detected": crimes, "prov_cases": cases,
                  "prov_cases_resolved": rng.randint(cases * 85 // 100, cases)}
        if p.includes_hotspots:
            values["nat_new_hotspots"] = int(rng.random() < 0.3)
        for mid, value in values.items():
            yield [p.id, p.plan_id, mid, "measure", "", p.id, year, f"{year}-12-31", f"{mid} [I.1]", str(value), ""]
    for oid, name in OBLIGATIONS:
        for period in QUARTERS:
            due = _quarter_end(period)
            for d in p.districts:
                r = rng.random()
                if r < 0.02:
                    continue  # never sent: missing
                sent = due + timedelta(days=rng.randint(1, 30) if r < 0.12 else -rng.randint(0, 10))
                yield [p.id, p.plan_id, oid, "obligation", f"ubnd_{d.rsplit('.', 1)[1]}", "", period,
                       due.isoformat(), f"{name} [V.2]", "", sent.isoformat()]


HEADER = ["province", "plan", "item", "kind", "agency", "unit", "period", "due", "description", "value", "date"]


def write_forms(forms: Path, provinces: list[Province], scale: float) -> dict[str, object]:
    """Every province's filled form, and the one-file national sample; returns row counts."""
    forms.mkdir(parents=True, exist_ok=True)
    counts = {"measure_rows": 0, "other_rows": 0}
    files = []
    for p in provinces:
        path = forms / f"{p.id}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(HEADER)
            for row in measure_rows(p):
                w.writerow(row)
                counts["measure_rows"] += 1
            for row in province_rows(p):
                w.writerow(row)
                counts["other_rows"] += 1
        files.append(path.name)
    # Issue 4: one file of about a million measure rows (at full scale), several provinces in it.
    wanted, written = max(1, round(ONE_MILLION * scale)), 0
    with (forms / "national_1m.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        for p in provinces:
            for row in measure_rows(p):
                w.writerow(row)
                written += 1
            if written >= wanted:
                break
    return {"files": files, "rows": counts["measure_rows"] + counts["other_rows"], **counts,
            "national_1m_rows": written}


def generate(out: Path, scale: float, provinces: int = 63) -> dict[str, object]:
    """Plugin and forms under ``out``; returns what was written (paths and row counts)."""
    land = country(scale, provinces)
    site = install_plugin(out / "site", land)
    info = write_forms(out / "forms", land, scale)
    info.update({"site": str(site), "forms": str(out / "forms"), "provinces": [p.id for p in land],
                 "communes": sum(len(p.communes) for p in land),
                 "districts": sum(len(p.districts) for p in land)})
    (out / "generated.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=textwrap.dedent(__doc__ or "").splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--provinces", type=int, default=63)
    args = ap.parse_args(argv)
    info = generate(args.out, args.scale, args.provinces)
    print(f"{len(info['provinces'])} provinces, {info['districts']} districts, {info['communes']} communes, "
          f"{info['rows']} form rows ({info['measure_rows']} commune measures) under {args.out}")


if __name__ == "__main__":
    main()
