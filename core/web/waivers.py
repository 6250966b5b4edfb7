"""Waivers a provincial office keeps in the portal: extensions and exemptions, as ``--waivers`` files hold them.

Each is a :class:`plancheck.judge.waivers.Waiver`, checked by the same rules
as a waiver file (a known item; a justification, an approver and a document;
either a new due date or an exemption) and applied to the findings by
:func:`plancheck.judge.waivers.apply_waivers`. A waiver is never deleted:
revoking it keeps who recorded it and who revoked it, and both are in the
audit log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine

from plancheck.errors import InputError
from plancheck.judge.waivers import Waiver
from plancheck.plans.model import Plan
from plancheck.web.access import Actor
from plancheck.web.accounts import now, record
from plancheck.web.tables import WAIVER

FIELDS = ("item", "agency", "unit", "period", "new_due", "exempt", "justification", "approved_by", "document",
          "expires")


def _day(text: str, field: str, problems: list[str]) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"{field}: {text!r} is not a date like 2024-12-31")
        return None


def from_form(form: Mapping[str, str], plans: Sequence[Plan]) -> Waiver:
    """A waiver from a page's form fields; InputError listing every problem."""
    problems: list[str] = []
    get = {k: (form.get(k) or "").strip() for k in FIELDS}
    new_due = _day(get["new_due"], "new_due", problems)
    expires = _day(get["expires"], "expires", problems)
    exempt = get["exempt"].lower() in ("1", "true", "on", "yes")
    known = {x.id for p in plans for x in (*p.targets, *p.tasks, *p.obligations, *p.checks)}
    if get["item"] not in known:
        problems.append(f"item: unknown item {get['item']!r}")
    for field in ("justification", "approved_by", "document"):
        if not get[field]:
            problems.append(f"{field}: a waiver needs {field}")
    if (new_due is None) == (not exempt):
        problems.append("new_due: give either a new due date or an exemption")
    if problems:
        raise InputError(problems)
    return Waiver(item=get["item"], justification=get["justification"], approved_by=get["approved_by"],
                  document=get["document"], agency=get["agency"] or None, unit=get["unit"] or None,
                  period=get["period"] or None, new_due=new_due, exempt=exempt, expires=expires)


def add(engine: Engine, province: str, waiver: Waiver, actor: Actor, address: str) -> int:
    with engine.begin() as conn:
        result = conn.execute(insert(WAIVER).values(
            province=province, item=waiver.item, agency=waiver.agency or "", unit=waiver.unit or "",
            period=waiver.period or "", new_due=waiver.new_due, exempt=waiver.exempt,
            justification=waiver.justification, approved_by=waiver.approved_by, document=waiver.document,
            expires=waiver.expires, created_by=actor.name, created_at=now()))
        key = result.inserted_primary_key
        assert key is not None
        waiver_id = int(key[0])
        record(conn, actor.name, "waiver_add", province, address, {"waiver": waiver_id, **waiver.to_json()})
    return waiver_id


def revoke(engine: Engine, province: str, waiver_id: int, actor: Actor, address: str) -> bool:
    """Revoke a waiver of ``province``; False if there is no such waiver in force."""
    with engine.begin() as conn:
        done = conn.execute(update(WAIVER).where(
            WAIVER.c.id == waiver_id, WAIVER.c.province == province, WAIVER.c.revoked_at.is_(None)).values(
            revoked_at=now(), revoked_by=actor.name)).rowcount
        if done:
            record(conn, actor.name, "waiver_revoke", province, address, {"waiver": waiver_id})
    return bool(done)


def in_force(engine: Engine, province: str) -> tuple[list[Waiver], list[dict[str, Any]], str]:
    """The province's waivers not revoked: as Waivers (in order), as rows for a page, and their state
    (what changes whenever one is added or revoked, for keeping judged reports)."""
    with engine.connect() as conn:
        rows = list(conn.execute(select(WAIVER).where(WAIVER.c.province == province,
                                                      WAIVER.c.revoked_at.is_(None)).order_by(WAIVER.c.id)))
        n, last = conn.execute(select(func.count(), func.max(WAIVER.c.revoked_at)).where(
            WAIVER.c.province == province)).one()
    waivers = [Waiver(item=r.item, justification=r.justification, approved_by=r.approved_by, document=r.document,
                      agency=r.agency or None, unit=r.unit or None, period=r.period or None, new_due=r.new_due,
                      exempt=r.exempt, expires=r.expires) for r in rows]
    shown = [{"id": r.id, "created_by": r.created_by, "created_at": r.created_at, **w.to_json()}
             for r, w in zip(rows, waivers, strict=True)]
    return waivers, shown, f"{n}:{last}:{','.join(str(r.id) for r in rows)}"
