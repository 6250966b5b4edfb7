"""Where reported data is kept: SQLite by default, any SQLAlchemy URL otherwise.

Every observation row is kept forever. A correction does not overwrite: the
old row gets ``superseded_at`` and the new one is inserted, so history shows
every value a datum has had, from which file (name and sha256), by whom and
when. An ingest runs in one transaction: all of a file or none of it.

sqlmodel is imported here and only here, and this module is imported only by
the commands that touch the database, so ``plancheck --help`` stays fast.
"""

import datetime as dt
import getpass
import hashlib
import os
import sys
import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Optional

import attrs
from sqlalchemy import Index, event, func, insert, select, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Field, SQLModel, create_engine

from plancheck.errors import InputError
from plancheck.model import Observation

SCHEMA_VERSION = 2


class ObservationRow(SQLModel, table=True):
    __tablename__ = "observation"
    __table_args__ = (
        Index("ix_observation_current", "province", "plan", "superseded_at"),
        Index("ix_observation_item", "province", "item"),
        # At most one current value per datum, whatever concurrent writers do.
        Index("ux_observation_current_key", "province", "plan", "item", "agency", "unit", "period",
              unique=True, sqlite_where=text("superseded_at IS NULL"),
              postgresql_where=text("superseded_at IS NULL")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)  # noqa: UP045 (sqlmodel needs Optional)
    province: str
    plan: str
    item: str
    kind: str
    agency: str = ""
    unit: str = ""
    period: str
    value: Optional[float] = None  # noqa: UP045
    date: Optional[dt.date] = None  # noqa: UP045
    source_file: str
    source_sha256: str
    source_row: Optional[int] = None  # noqa: UP045
    reporter: str
    ingested_at: datetime
    ingest_id: int
    superseded_at: Optional[datetime] = None  # noqa: UP045


class IngestRow(SQLModel, table=True):
    __tablename__ = "ingest"
    id: Optional[int] = Field(default=None, primary_key=True)  # noqa: UP045
    file: str
    sha256: str
    reporter: str
    at: datetime
    new: int
    updated: int
    unchanged: int


class RunRow(SQLModel, table=True):
    """A saved run: its findings, the plan version and the data state they came from."""

    __tablename__ = "run"
    id: Optional[int] = Field(default=None, primary_key=True)  # noqa: UP045
    province: str = Field(index=True)
    as_of: dt.date
    at: datetime
    fail_on: str
    plan_version: str
    data_state: str
    summary: str
    findings: str


class SchemaRow(SQLModel, table=True):
    __tablename__ = "plancheck_schema"
    id: int = Field(default=1, primary_key=True)
    version: int


# The tables as SQLAlchemy Core objects: bulk paths use Core, not one ORM object per row.
OBSERVATION = SQLModel.metadata.tables["observation"]
INGEST = SQLModel.metadata.tables["ingest"]
SCHEMA = SQLModel.metadata.tables["plancheck_schema"]
RUN = SQLModel.metadata.tables["run"]


def default_db_url() -> str:
    """PLANCHECK_DB, else a SQLite file in the user's data directory."""
    env = os.environ.get("PLANCHECK_DB")
    if env:
        return env
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{base / 'plancheck' / 'plancheck.db'}"


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<database url>"


def open_engine(url: str) -> Engine:
    """An engine for ``url``, with the schema created or upgraded on first use.

    Raises InputError (never with the password in it) when the database
    cannot be reached or the URL is not usable.
    """
    try:
        return _open_engine(url)
    except InputError:
        raise
    except Exception as exc:  # a bad URL, a missing driver, a server that is not there
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        try:
            password = make_url(url).password
        except Exception:
            password = None
        if password:
            reason = reason.replace(str(password), "***")
        raise InputError([f"database {safe_url(url)}: cannot open: {type(exc).__name__}: {reason}"]) from None


def _open_engine(url: str) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if u.get_backend_name() == "sqlite":
        _sqlite_pragmas(engine)
    _migrate(engine)
    return engine


def _sqlite_pragmas(engine: Engine) -> None:
    # WAL + a busy timeout: concurrent ingests wait instead of failing, and
    # "BEGIN IMMEDIATE" takes the write lock up front so two writers never
    # deadlock upgrading a read lock.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _migrate(engine: Engine) -> None:
    with engine.begin() as conn:
        # Several processes may open a new database at once: one creates the schema.
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": zlib.crc32(b"plancheck:schema")})
        SQLModel.metadata.create_all(conn)
        row = conn.execute(select(SCHEMA.c.version)).first()
        if row is None:
            conn.execute(insert(SCHEMA).values(id=1, version=SCHEMA_VERSION))
        elif row[0] > SCHEMA_VERSION:
            raise InputError([
                f"the database was written by a newer plancheck (schema {row[0]}); "
                f"this one knows schema {SCHEMA_VERSION}: upgrade plancheck"
            ])
        elif row[0] < SCHEMA_VERSION:
            # 1 → 2: the run table (saved runs) is new; create_all above made it, and no
            # existing table changed. Later upgrades add their steps here, in order.
            conn.execute(update(SCHEMA).where(SCHEMA.c.id == 1).values(version=SCHEMA_VERSION))


@attrs.frozen
class IngestSummary:
    """What an ingest did (or, with dry_run, would do), DHIS2-style."""

    file: str
    sha256: str
    new: int
    updated: int
    unchanged: int
    ignored: int
    dry_run: bool

    def to_json(self) -> dict[str, object]:
        return attrs.asdict(self)


def file_sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def reporter_name(explicit: str | None) -> str:
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def ingest(
    engine: Engine,
    observations: Sequence[Observation],
    *,
    file: str,
    sha256: str,
    reporter: str,
    ignored: int = 0,
    dry_run: bool = False,
) -> IngestSummary:
    """Write one checked file's observations in one transaction.

    Unchanged data are left alone; a changed value supersedes the old row,
    which stays in history. Writers to the same province are serialised (a
    transaction-scoped advisory lock on PostgreSQL, the write lock on
    SQLite); should two still collide on a datum, the transaction is rolled
    back and retried, so nothing is written twice and nothing is lost.
    """
    for attempt in range(5):
        try:
            return _ingest_once(engine, observations, file=file, sha256=sha256, reporter=reporter,
                                ignored=ignored, dry_run=dry_run)
        except (IntegrityError, OperationalError):
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _ingest_once(
    engine: Engine,
    observations: Sequence[Observation],
    *,
    file: str,
    sha256: str,
    reporter: str,
    ignored: int,
    dry_run: bool,
) -> IngestSummary:
    table = OBSERVATION
    now = datetime.now(UTC)
    plans = sorted({(o.province, o.plan) for o in observations})
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for province in sorted({p for p, _ in plans}):
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                             {"k": zlib.crc32(f"plancheck:{province}".encode())})
        current: dict[tuple, tuple[int, float | None, dt.date | None]] = {}
        for province, plan in plans:
            q = select(table.c.id, table.c.province, table.c.plan, table.c.item, table.c.agency,
                       table.c.unit, table.c.period, table.c.value, table.c.date).where(
                table.c.province == province, table.c.plan == plan, table.c.superseded_at.is_(None))
            for r in conn.execute(q):
                current[(r.province, r.plan, r.item, r.agency, r.unit, r.period)] = (r.id, r.value, r.date)
        new_rows, superseded = [], []
        unchanged = 0
        for o in observations:
            cur = current.get(o.key)
            if cur is not None and cur[1] == o.value and cur[2] == o.date:
                unchanged += 1
                continue
            if cur is not None:
                superseded.append(cur[0])
            new_rows.append(o)
        summary = IngestSummary(file, sha256, len(new_rows) - len(superseded), len(superseded),
                                unchanged, ignored, dry_run)
        if dry_run:
            return summary
        result = conn.execute(insert(INGEST).values(
            file=file, sha256=sha256, reporter=reporter, at=now, new=summary.new,
            updated=summary.updated, unchanged=unchanged))
        ingest_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
        for chunk in _chunks(superseded, 500):
            conn.execute(update(table).where(table.c.id.in_(chunk)).values(superseded_at=now))
        if new_rows:
            conn.execute(insert(table), [
                {"province": o.province, "plan": o.plan, "item": o.item, "kind": o.kind,
                 "agency": o.agency, "unit": o.unit, "period": o.period, "value": o.value,
                 "date": o.date, "source_file": file, "source_sha256": sha256,
                 "source_row": o.row, "reporter": reporter, "ingested_at": now,
                 "ingest_id": ingest_id, "superseded_at": None}
                for o in new_rows
            ])
    return summary


def _chunks(xs: list[int], n: int) -> Iterable[list[int]]:
    for i in range(0, len(xs), n):
        yield xs[i : i + n]


def current_observations(engine: Engine, province: str, plan: str | None = None) -> list[Observation]:
    """The current value of every datum of a province (or one of its plans)."""
    table = OBSERVATION
    q = select(table).where(table.c.province == province, table.c.superseded_at.is_(None))
    if plan is not None:
        q = q.where(table.c.plan == plan)
    with engine.connect() as conn:
        return [
            Observation(province=r.province, plan=r.plan, item=r.item, kind=r.kind,
                        period=r.period, agency=r.agency, unit=r.unit, value=r.value, date=r.date,
                        source_file=r.source_file, row=r.source_row)
            for r in conn.execute(q)
        ]


def count_observations(engine: Engine, province: str) -> int:
    table = OBSERVATION
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(
            table.c.province == province, table.c.superseded_at.is_(None))).scalar_one()


def history(engine: Engine, province: str, item: str) -> list[dict[str, object]]:
    """Every value ever ingested for an item of a province, oldest first."""
    table = OBSERVATION
    q = (select(table).where(table.c.province == province, table.c.item == item)
         .order_by(table.c.agency, table.c.unit, table.c.period, table.c.id))
    with engine.connect() as conn:
        return [
            {"plan": r.plan, "item": r.item, "kind": r.kind, "agency": r.agency, "unit": r.unit,
             "period": r.period, "value": r.value,
             "date": r.date.isoformat() if r.date else None,
             "source_file": r.source_file, "source_sha256": r.source_sha256,
             "source_row": r.source_row, "reporter": r.reporter,
             "ingested_at": r.ingested_at.isoformat(timespec="seconds"),
             "current": r.superseded_at is None,
             "superseded_at": r.superseded_at.isoformat(timespec="seconds") if r.superseded_at else None}
            for r in conn.execute(q)
        ]


def data_state(engine: Engine, province: str) -> str:
    """A fingerprint of the province's stored data: every row ever ingested, and how many."""
    with engine.connect() as conn:
        n, last = conn.execute(select(func.count(), func.max(OBSERVATION.c.id)).where(
            OBSERVATION.c.province == province)).one()
    return f"rows={n};last_id={last or 0}"


def save_run(engine: Engine, report_json: dict[str, Any], *, plan_version: str, state: str) -> int:
    """Store a run's findings; returns its id."""
    import json

    with engine.begin() as conn:
        result = conn.execute(insert(RUN).values(
            province=report_json["province"], as_of=dt.date.fromisoformat(str(report_json["as_of"])),
            at=datetime.now(UTC), fail_on=report_json.get("fail_on", "low"), plan_version=plan_version,
            data_state=state, summary=json.dumps(report_json["summary"]),
            findings=json.dumps(report_json["findings"], ensure_ascii=False)))
        return int(result.inserted_primary_key[0]) if result.inserted_primary_key else 0


def load_run(engine: Engine, run_id: int) -> dict[str, Any] | None:
    import json

    with engine.connect() as conn:
        r = conn.execute(select(RUN).where(RUN.c.id == run_id)).first()
    if r is None:
        return None
    return {"id": r.id, "province": r.province, "as_of": r.as_of.isoformat(),
            "at": r.at.isoformat(timespec="seconds"), "plan_version": r.plan_version,
            "data_state": r.data_state, "summary": json.loads(r.summary), "findings": json.loads(r.findings)}


def last_run_id(engine: Engine, province: str) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(func.max(RUN.c.id)).where(RUN.c.province == province)).scalar()
