"""The portal's tables, beside the CLI's on the same database, and opening that database.

Their own metadata (the CLI's schema is not touched, and the CLI never needs
these) and their own schema version (``portal_schema``), created on first
use; on PostgreSQL several workers starting at once create them once.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Index, LargeBinary, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import registry
from sqlmodel import Column, Field, SQLModel

from plancheck.errors import InputError
from plancheck.language import _

PORTAL_SCHEMA_VERSION = 1


class PortalTable(SQLModel, registry=registry()):
    """The portal's tables: a metadata of their own, so the CLI's schema is not touched."""


class UserRow(PortalTable, table=True):
    __tablename__ = "portal_user"
    id: Optional[int] = Field(default=None, primary_key=True)  # noqa: UP045 (sqlmodel needs Optional)
    name: str = Field(unique=True)
    role: str
    province: str = ""
    agency: str = ""
    password_hash: str
    created_at: datetime
    disabled_at: Optional[datetime] = None  # noqa: UP045


class TokenRow(PortalTable, table=True):
    __tablename__ = "portal_token"
    id: Optional[int] = Field(default=None, primary_key=True)  # noqa: UP045
    user_id: int = Field(index=True)
    sha256: str = Field(unique=True)
    created_at: datetime


class SessionRow(PortalTable, table=True):
    __tablename__ = "portal_session"
    id: Optional[int] = Field(default=None, primary_key=True)  # noqa: UP045
    sha256: str = Field(unique=True)
    user_id: int = Field(index=True)
    csrf: str
    created_at: datetime
    seen_at: datetime
    expires_at: datetime


class SigninFailureRow(PortalTable, table=True):
    __tablename__ = "portal_signin_failure"
    __table_args__ = (Index("ix_portal_signin_failure_name_at", "name", "at"),
                      Index("ix_portal_signin_failure_address_at", "address", "at"))
    id: Optional[int] = Field(default=None, primary_key=True)  # noqa: UP045
    name: str
    address: str
    at: datetime


class AuditRow(PortalTable, table=True):
    __tablename__ = "portal_audit"
    __table_args__ = (Index("ix_portal_audit_province_id", "province", "id"),)
    id: Optional[int] = Field(default=None, primary_key=True)  # noqa: UP045
    at: datetime
    actor: str
    action: str
    province: str = ""
    address: str = ""
    detail: str = "{}"


class UploadRow(PortalTable, table=True):
    """A checked upload shown as a preview, kept until its uploader confirms it (or it expires)."""

    __tablename__ = "portal_upload"
    id: str = Field(primary_key=True)
    user_id: int = Field(index=True)
    file: str
    sha256: str
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime


class PortalSchemaRow(PortalTable, table=True):
    __tablename__ = "portal_schema"
    id: int = Field(default=1, primary_key=True)
    version: int


class WaiverRow(PortalTable, table=True):
    """An extension or exemption a provincial office recorded (see plancheck.judge.waivers.Waiver)."""

    __tablename__ = "portal_waiver"
    id: Optional[int] = Field(default=None, primary_key=True)  # noqa: UP045
    province: str = Field(index=True)
    item: str
    agency: str = ""
    unit: str = ""
    period: str = ""
    new_due: Optional[date] = None  # noqa: UP045
    exempt: bool = False
    justification: str
    approved_by: str
    document: str
    expires: Optional[date] = None  # noqa: UP045
    created_by: str
    created_at: datetime
    revoked_by: str = ""
    revoked_at: Optional[datetime] = None  # noqa: UP045


USER = PortalTable.metadata.tables["portal_user"]
TOKEN = PortalTable.metadata.tables["portal_token"]
SESSION = PortalTable.metadata.tables["portal_session"]
FAILURE = PortalTable.metadata.tables["portal_signin_failure"]
AUDIT = PortalTable.metadata.tables["portal_audit"]
UPLOAD = PortalTable.metadata.tables["portal_upload"]
WAIVER = PortalTable.metadata.tables["portal_waiver"]
SCHEMA = PortalTable.metadata.tables["portal_schema"]


def open_portal(url: str) -> Engine:
    """The database of ``url`` with the CLI's schema and the portal's tables; InputError if unusable."""
    from plancheck.data import store

    engine = store.open_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # several workers start at once: one creates the tables
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": zlib.crc32(b"plancheck:portal")})
        PortalTable.metadata.create_all(conn)
        row = conn.execute(select(SCHEMA.c.version)).first()
        if row is None:
            conn.execute(insert(SCHEMA).values(id=1, version=PORTAL_SCHEMA_VERSION))
        elif row[0] > PORTAL_SCHEMA_VERSION:
            raise InputError([_("the portal's tables were written by a newer plancheck (portal schema {found}); "
                                "this one knows {known}: upgrade plancheck").format(found=row[0],
                                                                                    known=PORTAL_SCHEMA_VERSION)])
    return engine
