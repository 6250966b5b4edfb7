"""Accounts: users, API tokens, sessions, failed sign-ins, the audit log, uploads awaiting confirmation.

Kept in the portal's tables (:mod:`.tables`). What is secret is never kept: passwords as Argon2id hashes, API
tokens and session ids as their SHA-256 (they are long random strings, so a
fast hash is enough, as for GitHub's tokens); a token or password is shown
once, when it is made, and never again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine

from plancheck.errors import InputError
from plancheck.language import _
from plancheck.web.access import ROLES, Actor
from plancheck.web.tables import AUDIT, FAILURE, SESSION, TOKEN, UPLOAD, USER

#: Failed sign-ins of one user name within :data:`LOCK_WINDOW` that lock it until the window has passed.
LOCK_AFTER = 5
#: Failed sign-ins from one address within :data:`LOCK_WINDOW` that stop it signing in as anyone.
LOCK_ADDRESS_AFTER = 30
LOCK_WINDOW = timedelta(minutes=15)
#: A session ends this long after sign-in, or after this long unused.
SESSION_LIFETIME = timedelta(hours=12)
SESSION_IDLE = timedelta(hours=2)
#: An upload not confirmed within this time is dropped.
UPLOAD_LIFETIME = timedelta(hours=1)
MIN_PASSWORD = 10
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def now() -> datetime:
    return datetime.now(UTC)


def _aware(t: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were written in UTC."""
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# -- passwords --------------------------------------------------------------------

def _hasher() -> Any:
    from argon2 import PasswordHasher

    # OWASP's Argon2id minimum (19 MiB, 2 passes, 1 lane): argon2-cffi's default (64 MiB, 4 lanes)
    # took 0.8 s a sign-in on a 2-core office server, which is itself a way to deny service.
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def hash_password(password: str) -> str:
    return str(_hasher().hash(password))


def password_problems(password: str) -> list[str]:
    if len(password) < MIN_PASSWORD:
        return [_("the password is too short: at least {n} characters").format(n=MIN_PASSWORD)]
    return []


#: Verified against when the user does not exist, so an unknown name takes as long as a wrong password.
_DUMMY_HASH: list[str] = []


def _verify(stored: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    if stored is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hash_password(secrets.token_urlsafe(16)))
        stored = _DUMMY_HASH[0]
        password = password + "\0"  # never matches
    try:
        return bool(_hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


# -- users --------------------------------------------------------------------------

@attrs.frozen
class User:
    """A user as ``plancheck user list`` shows them (no hash)."""

    name: str
    role: str
    province: str
    agency: str
    created_at: datetime
    disabled: bool
    tokens: int

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "role": self.role, "province": self.province or None,
                "agency": self.agency or None, "created_at": self.created_at.isoformat(timespec="seconds"),
                "disabled": self.disabled, "tokens": self.tokens}


def user_problems(name: str, role: str, province: str | None, agency: str | None) -> list[str]:
    """What is wrong with a new user's name, role and scope (the province and agency ids are checked elsewhere)."""
    problems = []
    if not _NAME.match(name):
        problems.append(_("user name {name!r}: 2 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or "
                          "digit").format(name=name))
    if role not in ROLES:
        problems.append(_("role {role!r}: one of {roles}").format(role=role, roles=", ".join(ROLES)))
    elif role == "agency" and not (province and agency):
        problems.append(_("an agency user needs a province and an agency id (--province and --agency)"))
    elif role == "province" and (not province or agency):
        problems.append(_("a province user needs a province (--province) and no agency"))
    elif role in ("national", "admin") and (province or agency):
        problems.append(_("a user with role {role} has no province or agency (no --province, no --agency): they see "
                          "every province").format(role=role))
    return problems


def add_user(engine: Engine, name: str, role: str, password: str, *, province: str | None = None,
             agency: str | None = None, by: str, address: str = "") -> None:
    """Create a user; InputError listing every problem (nothing written then)."""
    problems = user_problems(name, role, province, agency) + password_problems(password)
    if problems:
        raise InputError(problems)
    hashed = hash_password(password)
    with engine.begin() as conn:
        if conn.execute(select(USER.c.id).where(USER.c.name == name)).first() is not None:
            raise InputError([_("user {name!r} exists already").format(name=name)])
        conn.execute(insert(USER).values(name=name, role=role, province=province or "", agency=agency or "",
                                         password_hash=hashed, created_at=now()))
        record(conn, by, "user_add", province or "", address,
               {"user": name, "role": role, "agency": agency or None})


def users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        q = select(TOKEN.c.user_id, func.count()).group_by(TOKEN.c.user_id)
        counts: dict[int, int] = {uid: n for uid, n in conn.execute(q)}
        return [User(r.name, r.role, r.province, r.agency, _aware(r.created_at), r.disabled_at is not None,
                     counts.get(r.id, 0))
                for r in conn.execute(select(USER).order_by(USER.c.name))]


def _user_id(conn: Any, name: str) -> int:
    row = conn.execute(select(USER.c.id).where(USER.c.name == name)).first()
    if row is None:
        raise InputError([_("no user {name!r} (see plancheck user list)").format(name=name)])
    return int(row[0])


def set_disabled(engine: Engine, name: str, disabled: bool, *, by: str, address: str = "") -> None:
    """Disable a user (their sessions and tokens stop working at once) or enable them again."""
    with engine.begin() as conn:
        uid = _user_id(conn, name)
        conn.execute(update(USER).where(USER.c.id == uid).values(disabled_at=now() if disabled else None))
        if disabled:
            conn.execute(delete(SESSION).where(SESSION.c.user_id == uid))
            conn.execute(delete(TOKEN).where(TOKEN.c.user_id == uid))
        record(conn, by, "user_disable" if disabled else "user_enable", "", address, {"user": name})


def issue_token(engine: Engine, name: str, *, by: str, address: str = "") -> str:
    """A new API token for ``name`` (shown once: only its hash is kept)."""
    token = "pct_" + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        uid = _user_id(conn, name)
        disabled = conn.execute(select(USER.c.disabled_at).where(USER.c.id == uid)).scalar()
        if disabled is not None:
            raise InputError([_("user {name!r} is disabled: no token is issued").format(name=name)])
        conn.execute(insert(TOKEN).values(user_id=uid, sha256=sha256(token), created_at=now()))
        record(conn, by, "token_issue", "", address, {"user": name})
    return token


def _actor(r: Any) -> Actor:
    return Actor(r.id, r.name, r.role, r.province, r.agency)


def token_actor(engine: Engine, token: str) -> Actor | None:
    """The user an API token belongs to, or None (unknown token, disabled user)."""
    with engine.connect() as conn:
        r = conn.execute(select(USER).join(TOKEN, TOKEN.c.user_id == USER.c.id).where(
            TOKEN.c.sha256 == sha256(token), USER.c.disabled_at.is_(None))).first()
    return _actor(r) if r is not None else None


# -- signing in, sessions ------------------------------------------------------------

@attrs.frozen
class SignedIn:
    actor: Actor
    session: str
    csrf: str


@attrs.frozen
class Refused:
    """A sign-in refused: ``locked`` when too many attempts failed lately (the password was not tried)."""

    locked: bool = False


def sign_in(engine: Engine, name: str, password: str, address: str) -> SignedIn | Refused:
    """Check a name and password; a session on success. Every attempt is in the audit log."""
    name = name.strip().lower()
    since = now() - LOCK_WINDOW
    with engine.connect() as conn:
        by_name = conn.execute(select(func.count()).select_from(FAILURE).where(
            FAILURE.c.name == name, FAILURE.c.at >= since)).scalar_one()
        by_address = conn.execute(select(func.count()).select_from(FAILURE).where(
            FAILURE.c.address == address, FAILURE.c.at >= since)).scalar_one()
        user = conn.execute(select(USER).where(USER.c.name == name)).first()
    if by_name >= LOCK_AFTER or by_address >= LOCK_ADDRESS_AFTER:
        with engine.begin() as conn:
            record(conn, name, "signin_locked", "", address, {})
        return Refused(locked=True)
    ok = _verify(user.password_hash if user is not None else None, password)
    if not ok or user is None or user.disabled_at is not None:
        with engine.begin() as conn:
            conn.execute(insert(FAILURE).values(name=name, address=address, at=now()))
            record(conn, name, "signin_failed", "", address,
                   {"reason": "disabled" if ok and user is not None else "wrong name or password"})
        return Refused()
    session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    t = now()
    with engine.begin() as conn:
        conn.execute(delete(FAILURE).where(FAILURE.c.name == name))
        conn.execute(delete(SESSION).where(SESSION.c.expires_at < t))
        conn.execute(insert(SESSION).values(sha256=sha256(session), user_id=user.id, csrf=csrf, created_at=t,
                                            seen_at=t, expires_at=t + SESSION_LIFETIME))
        record(conn, name, "signin", user.province, address, {"role": user.role})
    return SignedIn(_actor(user), session, csrf)


def session_actor(engine: Engine, session: str) -> tuple[Actor, str] | None:
    """The signed-in user of a session cookie and the session's CSRF token, or None."""
    t = now()
    with engine.connect() as conn:
        r = conn.execute(select(USER, SESSION.c.id.label("sid"), SESSION.c.csrf, SESSION.c.seen_at,
                                SESSION.c.expires_at).join(SESSION, SESSION.c.user_id == USER.c.id).where(
            SESSION.c.sha256 == sha256(session), USER.c.disabled_at.is_(None))).first()
    if r is None or _aware(r.expires_at) < t or _aware(r.seen_at) + SESSION_IDLE < t:
        return None
    if _aware(r.seen_at) + timedelta(minutes=5) < t:  # not a write on every page view
        with engine.begin() as conn:
            conn.execute(update(SESSION).where(SESSION.c.id == r.sid).values(seen_at=t))
    return _actor(r), r.csrf


def sign_out(engine: Engine, session: str, actor: Actor, address: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(SESSION).where(SESSION.c.sha256 == sha256(session)))
        record(conn, actor.name, "signout", actor.province, address, {})


def same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


# -- the audit log ---------------------------------------------------------------------

def record(conn: Any, actor: str, action: str, province: str, address: str, detail: dict[str, Any]) -> None:
    """One audit entry, in the caller's transaction (so an entry exists exactly when what it records does)."""
    conn.execute(insert(AUDIT).values(at=now(), actor=actor, action=action, province=province or "",
                                      address=address or "", detail=json.dumps(detail, ensure_ascii=False,
                                                                               default=str)))


def audit(engine: Engine, actor: str, action: str, province: str, address: str, detail: dict[str, Any]) -> None:
    with engine.begin() as conn:
        record(conn, actor, action, province, address, detail)


def audit_entries(engine: Engine, province: str | None = None, action: str | None = None,
                  limit: int = 200) -> list[dict[str, Any]]:
    """The latest entries, newest first (of one province, or of one action, when given)."""
    q = select(AUDIT).order_by(AUDIT.c.id.desc()).limit(limit)
    if province is not None:
        q = q.where(AUDIT.c.province == province)
    if action is not None:
        q = q.where(AUDIT.c.action == action)
    with engine.connect() as conn:
        return [{"id": r.id, "at": _aware(r.at), "actor": r.actor, "action": r.action, "province": r.province,
                 "address": r.address, "detail": json.loads(r.detail)} for r in conn.execute(q)]


# -- uploads awaiting confirmation ---------------------------------------------------------

def keep_upload(engine: Engine, actor: Actor, file: str, digest: str, content: bytes) -> str:
    """Keep a checked upload until its uploader confirms it; returns its id."""
    upload_id = secrets.token_urlsafe(18)
    t = now()
    with engine.begin() as conn:
        conn.execute(delete(UPLOAD).where(UPLOAD.c.created_at < t - UPLOAD_LIFETIME))
        conn.execute(insert(UPLOAD).values(id=upload_id, user_id=actor.id, file=file, sha256=digest,
                                           content=content, created_at=t))
    return upload_id


def take_upload(engine: Engine, actor: Actor, upload_id: str) -> tuple[str, bytes] | None:
    """The file name and bytes of ``actor``'s own kept upload, removed from keeping; None if gone."""
    with engine.begin() as conn:
        r = conn.execute(select(UPLOAD).where(UPLOAD.c.id == upload_id, UPLOAD.c.user_id == actor.id)).first()
        if r is None or _aware(r.created_at) < now() - UPLOAD_LIFETIME:
            return None
        conn.execute(delete(UPLOAD).where(UPLOAD.c.id == upload_id))
    return r.file, bytes(r.content)
