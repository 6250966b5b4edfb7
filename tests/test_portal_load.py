"""The portal under load on PostgreSQL: 50 agency users file at once while 200 pages are viewed.

``plancheck serve --workers 2`` runs against the test session's PostgreSQL
server on 127.0.0.1. Fifty agency users of the four provinces each file
their own rows (the tasks and reports of their agency's form, ``plancheck
template --agency``, dated as the plan says) through ``POST /api/forms``, all
at once, while signed-in users view 200 pages. Bounded: 250 requests, each
with a 45 s timeout, the whole in 90 s at most (a hang fails; no timing is
asserted). Then nothing may be lost or half-written: every accepted row is
stored exactly once, as the current value, under the ingest that wrote it,
with its uploader as reporter. The p50/p95 latencies are printed and kept in
``test-artifacts/portal-load.json`` (docs/performance.md records a run).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import statistics
import time
from collections import Counter
from datetime import date

import pytest
from test_portal_browser import free_port, running_portal
from test_publish_html import ARTIFACTS

UPLOADERS = 50
PAGE_VIEWS = 200
REQUEST_TIMEOUT = 45.0
WHOLE_TIMEOUT = 90.0


def agency_shares(today: date) -> list[tuple[str, str, list[dict[str, str]]]]:
    """(province, agency, rows) for UPLOADERS users: the tasks and reports of each agency's form
    (``plancheck template``), dated on their due day (or their period's last day), the largest forms
    split between two users until there are enough, so no two users file the same datum."""
    from click.testing import CliRunner

    from plancheck.cli import cli
    from plancheck.plans.calendar import Period

    runner = CliRunner()
    provinces = json.loads(runner.invoke(cli, ["provinces", "--format", "json"]).stdout)["provinces"]
    shares = []
    for province in sorted(p["province"] for p in provinces):
        res = runner.invoke(cli, ["template", "--province", province])
        assert res.exit_code == 0, res.output
        by_agency: dict[str, list[dict[str, str]]] = {}
        for r in csv.DictReader(io.StringIO(res.stdout)):
            if r["kind"] == "measure" or not r["agency"]:
                continue
            due = date.fromisoformat(r["due"]) if r["due"] else Period.parse(r["period"]).end
            by_agency.setdefault(r["agency"], []).append({**r, "date": min(due, today).isoformat()})
        shares += [(province, a, rows) for a, rows in by_agency.items()]
    assert len(shares) <= UPLOADERS
    while len(shares) < UPLOADERS:
        shares.sort(key=lambda s: -len(s[2]))
        province, agency, rows = shares.pop(0)
        half = len(rows) // 2
        shares += [(province, agency, rows[:half]), (province, agency, rows[half:])]
    return shares


def as_csv(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


async def _sign_in(client, name: str, password: str) -> None:
    page = await client.get("/signin")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    res = await client.post("/signin", data={"csrf": token, "name": name, "password": password, "next": "/"})
    assert res.status_code == 303, res.text[:300]


async def _load(base: str, uploads: list[tuple[str, str, bytes]], viewers: list[tuple[str, str, str]]):
    import httpx

    limits = httpx.Limits(max_connections=400, max_keepalive_connections=100)
    timeout = httpx.Timeout(REQUEST_TIMEOUT)
    api = httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout)
    sessions = []
    for name, password, _ in viewers:
        c = httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout)
        await _sign_in(c, name, password)
        sessions.append(c)

    async def upload(user: str, token: str, content: bytes):
        t = time.perf_counter()
        res = await api.post("/api/forms", headers={"Authorization": f"Bearer {token}"},
                             files={"file": (f"{user}.csv", content, "text/csv")})
        return "upload", user, res.status_code, res.text, time.perf_counter() - t

    async def view(i: int):
        c, (_, _, province) = sessions[i % len(sessions)], viewers[i % len(viewers)]
        path = ("/", f"/p/{province}/findings", f"/p/{province}/completeness")[i % 3]
        t = time.perf_counter()
        res = await c.get(path)
        return "view", path, res.status_code, res.text, time.perf_counter() - t

    try:
        started = time.perf_counter()
        results = await asyncio.wait_for(asyncio.gather(
            *(upload(*u) for u in uploads), *(view(i) for i in range(PAGE_VIEWS))), WHOLE_TIMEOUT)
        return results, time.perf_counter() - started
    finally:
        for c in [api, *sessions]:
            await c.aclose()


@pytest.mark.slow
def test_fifty_uploads_and_two_hundred_page_views_at_once_lose_nothing(postgres_url, tmp_path):
    from sqlalchemy import create_engine, text

    from plancheck.web import accounts
    from plancheck.web.tables import open_portal

    today = date(2025, 6, 30)
    engine = open_portal(postgres_url)
    shares = agency_shares(today)
    uploads, expected = [], {}
    for i, (province, agency, rows) in enumerate(shares):
        name = f"u{i:02d}.{agency.replace('_', '-')}"[:60]
        accounts.add_user(engine, name, "agency", f"pw-{name}-0123456789", province=province, agency=agency,
                          by="test")
        uploads.append((name, accounts.issue_token(engine, name, by="test"), as_csv(rows)))
        expected[name] = {(r["province"], r["plan"], r["item"], r["agency"], r["unit"], r["period"]): r["date"]
                          for r in rows}
    viewers = []
    for province in sorted({s[0] for s in shares}):
        office = f"{province.replace('_', '-')}-office"
        accounts.add_user(engine, office, "province", f"pw-{office}-0123456789", province=province, by="test")
        viewers.append((office, f"pw-{office}-0123456789", province))
        first = next(u for u, (p, _, _) in zip(uploads, shares, strict=True) if p == province)
        viewers.append((first[0], f"pw-{first[0]}-0123456789", province))
    engine.dispose()

    port = free_port()
    args = ["--db", postgres_url, "serve", "--port", str(port), "--workers", "2"]
    with running_portal(args, tmp_path / "serve") as (base, _):
        results, wall = asyncio.run(_load(base, uploads, viewers))

    failed = [(kind, who, status, body[:300]) for kind, who, status, body, _ in results if status != 200]
    assert failed == []
    times = {kind: [r[4] for r in results if r[0] == kind] for kind in ("upload", "view")}
    assert len(times["upload"]) == UPLOADERS and len(times["view"]) == PAGE_VIEWS
    summaries = {who: json.loads(body)[0] for kind, who, _, body, _ in results if kind == "upload"}
    for who, summary in summaries.items():
        assert (summary["new"], summary["updated"], summary["unchanged"]) == (len(expected[who]), 0, 0), who
    assert all("<main>" in body for kind, _, _, body, _ in results if kind == "view")

    # Nothing lost, nothing written twice, nothing half-written: read the database itself.
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        current = conn.execute(text(
            "SELECT province, plan, item, agency, unit, period, date, reporter, ingest_id FROM observation "
            "WHERE superseded_at IS NULL")).all()
        ingests = dict(conn.execute(text("SELECT reporter, id FROM ingest")).all())
        per_ingest = Counter(r.ingest_id for r in current)
        audited = conn.execute(text("SELECT count(*) FROM portal_audit WHERE action = 'ingest'")).scalar_one()
        everything = conn.execute(text("SELECT count(*) FROM observation")).scalar_one()
    engine.dispose()
    stored = Counter((r.province, r.plan, r.item, r.agency, r.unit, r.period) for r in current)
    assert max(stored.values()) == 1  # each datum once
    assert everything == len(current) == sum(len(rows) for rows in expected.values())
    assert set(ingests) == set(expected)  # one ingest per uploader
    for r in current:
        assert r.date.isoformat() == expected[r.reporter][(r.province, r.plan, r.item, r.agency, r.unit, r.period)]
        assert ingests[r.reporter] == r.ingest_id
    assert {who: per_ingest[ingests[who]] for who in expected} == {who: len(rows) for who, rows in expected.items()}
    assert audited == UPLOADERS

    figures = {kind: {"count": len(xs), "p50_ms": round(statistics.median(xs) * 1000),
                      "p95_ms": round(percentile(xs, 95) * 1000), "max_ms": round(max(xs) * 1000)}
               for kind, xs in times.items()}
    figures["wall_s"] = round(wall, 2)
    figures["rows_stored"] = len(current)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "portal-load.json").write_text(json.dumps(figures, indent=2) + "\n")
    print("portal load:", json.dumps(figures))
