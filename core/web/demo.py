"""``plancheck serve --example``: every installed province's example data, and demo accounts.

The example forms a plugin ships (illustrative figures, labelled as such) are
ingested as ``plancheck ingest`` would, with ``example`` as reporter. Demo
accounts get random passwords, printed once by the command; every page then
says it is a demonstration.
"""

from __future__ import annotations

import secrets
from datetime import date

import attrs
from sqlalchemy.engine import Engine

from plancheck.errors import InputError
from plancheck.web import accounts
from plancheck.web.judging import Provinces


def load_examples(engine: Engine, provinces: Provinces, today: date) -> list[tuple[str, int]]:
    """Ingest every installed province's example forms; (file, rows stored) for each."""
    import hashlib

    from plancheck.data import store
    from plancheck.data.workbook import read_form_bytes

    plans = provinces.all_plans()
    out = []
    for province, srcs in provinces.registry.provinces().items():
        for src in srcs:
            for path in src.examples:
                raw = path.read_bytes()
                reading = read_form_bytes(path, raw, plans, today)
                summary = store.ingest(engine, reading.rows, file=f"{province}-{path.name}",
                                       sha256=hashlib.sha256(raw).hexdigest(), reporter="example",
                                       ignored=reading.ignored)
                out.append((f"{province}/{path.name}", summary.new + summary.updated))
    return out


@attrs.frozen
class DemoAccount:
    name: str
    role: str
    province: str
    agency: str
    password: str | None  # None: the account existed already and keeps its password


def demo_agency(engine: Engine, provinces: Provinces, province: str, today: date) -> str | None:
    """The agency of a province with the most late or missing tasks and reports on the example data:
    the one whose filing visibly changes verdicts."""
    from collections import Counter

    report = provinces.report(engine, province, today, (), "")
    counts = Counter(f.agency for f in report.findings
                     if f.agency and f.kind in ("task", "obligation") and f.status == "not_met")
    known = provinces.agencies(province)
    ranked = [a for a, _ in counts.most_common() if a in known]
    return ranked[0] if ranked else None


def create_demo_accounts(engine: Engine, provinces: Provinces, today: date) -> list[DemoAccount]:
    """An admin, a national user, and per province its office and one agency; random passwords."""
    wanted: list[tuple[str, str, str, str]] = [("admin", "admin", "", ""), ("national", "national", "", "")]
    for province in provinces.ids():
        try:
            agency = demo_agency(engine, provinces, province, today)
        except InputError:
            continue  # a province whose plugin fails has no demo accounts
        wanted.append((province.replace("_", "-"), "province", province, ""))
        if agency:
            wanted.append((f"{province}.{agency}".replace("_", "-"), "agency", province, agency))
    existing = {u.name for u in accounts.users(engine)}
    out = []
    for name, role, province, agency in wanted:
        if name in existing:
            out.append(DemoAccount(name, role, province, agency, None))
            continue
        password = secrets.token_urlsafe(10)
        accounts.add_user(engine, name, role, password, province=province or None, agency=agency or None,
                          by="plancheck serve --example")
        out.append(DemoAccount(name, role, province, agency, password))
    return out
