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
from typing import Any, Optional, cast

import attrs
from sqlalchemy import Index, event, func, insert, select, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Field, SQLModel, create_engine

from plancheck.errors import InputError
from plancheck.plans.model import Observation

SCHEMA_VERSION = 3


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


class AssessmentRow(SQLModel, table=True):
    """A province's judged counts kept for comparisons, with what they were judged from.

    Valid only while the province's data state and the plans/plancheck/plugin
    fingerprint are those recorded: a comparison reads it instead of judging
    every row again, and any ingest into the province makes it stale.
    """

    __tablename__ = "assessment"
    id: Optional[int] = Field(default=None, primary_key=True)  # noqa: UP045
    province: str = Field(index=True)
    as_of: dt.date
    fingerprint: str
    data_state: str
    at: datetime
    content: str


class SchemaRow(SQLModel, table=True):
    __tablename__ = "plancheck_schema"
    id: int = Field(default=1, primary_key=True)
    version: int


# The tables as SQLAlchemy Core objects: bulk paths use Core, not one ORM object per row.
OBSERVATION = SQLModel.metadata.tables["observation"]
INGEST = SQLModel.metadata.tables["ingest"]
SCHEMA = SQLModel.metadata.tables["plancheck_schema"]
RUN = SQLModel.metadata.tables["run"]
ASSESSMENT = SQLModel.metadata.tables["assessment"]


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
            # 1 → 2: the run table (saved runs) is new; 2 → 3: the assessment table (judged
            # counts kept for comparisons) is new. create_all above made them, and no existing
            # table changed. Later upgrades add their steps here, in order.
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
    observations: Sequence[Observation] | Sequence[tuple[Any, ...]],
    *,
    file: str,
    sha256: str,
    reporter: str,
    ignored: int = 0,
    dry_run: bool = False,
) -> IngestSummary:
    """Write one checked file's observations in one transaction.

    ``observations`` are Observations, or the same as tuples of the fields
    ``_ROW_COLUMNS`` (what ``plancheck.data.forms.Reading.rows`` holds). Unchanged
    data are left alone; a changed value supersedes the old row, which stays
    in history. Writers to the same province are serialised (a
    transaction-scoped advisory lock on PostgreSQL, the write lock on
    SQLite); should two still collide on a datum, the transaction is rolled
    back and retried, so nothing is written twice and nothing is lost.
    """
    rows = _as_rows(observations)
    for attempt in range(5):
        try:
            return _ingest_once(engine, rows, file=file, sha256=sha256, reporter=reporter,
                                ignored=ignored, dry_run=dry_run)
        except (IntegrityError, OperationalError):
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _as_rows(observations: Sequence[Observation] | Sequence[tuple[Any, ...]]) -> Sequence[tuple[Any, ...]]:
    """Observations as tuples of ``_ROW_COLUMNS`` (tuples are taken as they are)."""
    if not observations or isinstance(observations[0], tuple):
        return cast(Sequence[tuple[Any, ...]], observations)
    return [(o.province, o.plan, o.item, o.kind, o.agency, o.unit, o.period, o.value, o.date, o.row)
            for o in cast(Sequence[Observation], observations)]


def _ingest_once(
    engine: Engine,
    rows: Sequence[tuple[Any, ...]],
    *,
    file: str,
    sha256: str,
    reporter: str,
    ignored: int,
    dry_run: bool,
) -> IngestSummary:
    from plancheck.data.bulk import gc_paused

    table = OBSERVATION
    now = datetime.now(UTC)
    plans = sorted({r[:2] for r in rows})
    # The collector is paused while the rows are compared and written (see
    # verdicts.gc_paused): a million lasting tuples set off full collections that find nothing.
    with gc_paused(), engine.begin() as conn:
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
        new_rows: Sequence[tuple[Any, ...]] = []
        superseded: list[int] = []
        unchanged = 0
        if not current:  # nothing stored yet for these plans: every row is new, nothing to look up
            new_rows = rows
        else:
            changed = []
            for row in rows:
                cur = current.get((row[0], row[1], row[2], row[4], row[5], row[6]))
                if cur is not None and cur[1] == row[7] and cur[2] == row[8]:
                    unchanged += 1
                    continue
                if cur is not None:
                    superseded.append(cur[0])
                changed.append(row)
            new_rows = changed
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
            _insert_observations(conn, new_rows, {
                "source_file": file, "source_sha256": sha256, "reporter": reporter, "ingested_at": now,
                "ingest_id": ingest_id, "superseded_at": None})
    return summary


#: Columns an ingest writes that vary per row, in the order of Observation's fields.
_ROW_COLUMNS = ("province", "plan", "item", "kind", "agency", "unit", "period", "value", "date", "source_row")
#: Rows given to one executemany: the parameters are built a batch at a time, not for every row at once.
_INSERT_BATCH = 20_000


def _insert_observations(conn: Any, rows: Sequence[tuple[Any, ...]], fixed: dict[str, Any]) -> None:
    """Insert observation rows (tuples of ``_ROW_COLUMNS``) with DB-API ``executemany``;
    ``fixed`` holds the columns that are the same on every row (file, sha256, reporter,
    ingest time and id).

    Performance (issue 9): ``conn.execute(insert(table), [dict, ...])`` costs about
    25 µs a row in SQLAlchemy's per-row parameter handling, more than SQLite takes
    to store the row. The rows go to the driver's ``executemany`` as tuples instead,
    through the very bind processors SQLAlchemy applies (``dialect_impl(...).bind_processor``),
    so what is stored is unchanged: the fixed columns are processed once, and per row
    only the value and the date (the only varying columns with a processor, on SQLite;
    a float value is its own float and needs no call). Anything else (a DB-API with
    named parameters, a processor on another column) takes SQLAlchemy's own path.
    """
    dialect = conn.dialect
    table = OBSERVATION

    def processor(name: str) -> Any:
        return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)

    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    if mark is None or any(processor(n) for n in _ROW_COLUMNS if n not in ("value", "date")):
        conn.execute(insert(table), [{**dict(zip(_ROW_COLUMNS, r, strict=True)), **fixed} for r in rows])
        return
    constants = tuple(v if v is None or processor(k) is None else processor(k)(v) for k, v in fixed.items())
    pv, pd = processor("value"), processor("date")

    def processed(r: tuple[Any, ...]) -> tuple[Any, ...]:
        v, d = r[7], r[8]
        return (*r[:7], v if pv is None or v is None else pv(v), d if pd is None or d is None else pd(d),
                r[9], *constants)

    quote = dialect.identifier_preparer.quote
    columns = (*_ROW_COLUMNS, *fixed)
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    float_ = float
    for i in range(0, len(rows), _INSERT_BATCH):
        batch = rows[i:i + _INSERT_BATCH]
        if pv is None and pd is None:
            params = [r + constants for r in batch]
        else:  # a measure's row (a float, no date) is written as it is
            params = [r + constants if r[8] is None and r[7].__class__ is float_ else processed(r) for r in batch]
        conn.exec_driver_sql(sql, params)


def _chunks(xs: list[int], n: int) -> Iterable[list[int]]:
    for i in range(0, len(xs), n):
        yield xs[i : i + n]


def current_observations(engine: Engine, province: str, plan: str | None = None) -> list[Observation]:
    """The current value of every datum of a province (or one of its plans)."""
    table = OBSERVATION
    # Performance (issue 9): only the columns an Observation holds (not the sha256,
    # reporter and timestamps, whose conversion cost more than the rows' reading), all
    # rows in one fetch as plain tuples (see _fetch_all), unpacked rather than looked up.
    q = select(table.c.province, table.c.plan, table.c.item, table.c.kind, table.c.period, table.c.agency,
               table.c.unit, table.c.value, table.c.date, table.c.source_file, table.c.source_row).where(
        table.c.province == province, table.c.superseded_at.is_(None))
    if plan is not None:
        q = q.where(table.c.plan == plan)
    # The collector is paused while the rows and Observations are built, as for the
    # findings (see plancheck.judge.verdicts.gc_paused): they are many, they last, and no
    # cycle is among them.
    from plancheck.data.bulk import gc_paused

    with gc_paused(), engine.connect() as conn:
        rows = _fetch_all(conn, q)
        return [
            Observation(province=pr, plan=pl, item=it, kind=ki, period=pe, agency=ag, unit=un, value=va,
                        date=da, source_file=sf, row=sr)
            for pr, pl, it, ki, pe, ag, un, va, da, sf, sr in rows
        ]


def _fetch_all(conn: Any, q: Any) -> list[tuple[Any, ...]]:
    """Every row of the select ``q``, as plain tuples straight from the DB-API cursor.

    Performance (issue 9): SQLAlchemy's Row objects cost about 1 µs a row on top of
    the driver's own fetch, a third of reading a province. The statement is the one
    SQLAlchemy compiles, and each column goes through the result processor SQLAlchemy
    would apply (``dialect_impl(...).result_processor``; on SQLite a date's text
    becomes a date), so the values are the same. The parameters are plain strings,
    which have no bind processor.
    """
    dialect = conn.dialect
    compiled = q.compile(dialect=dialect)
    params = compiled.params
    args = tuple(params[k] for k in compiled.positiontup or ()) if compiled.positional else params
    cursor = conn.connection.cursor()
    try:
        cursor.execute(compiled.string, args)
        rows = cursor.fetchall()
        description = cursor.description
    finally:
        cursor.close()
    for i, (column, desc) in enumerate(zip(q.selected_columns, description, strict=True)):
        proc = column.type.dialect_impl(dialect).result_processor(dialect, desc[1])
        if proc is not None:
            rows = [r if r[i] is None else (*r[:i], proc(r[i]), *r[i + 1:]) for r in rows]
    return rows


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


def saved_assessment(engine: Engine, province: str, as_of: dt.date, fingerprint: str,
                     state: str) -> dict[str, Any] | None:
    """The judged counts a comparison kept for exactly this province, date, fingerprint and data state."""
    import json

    with engine.connect() as conn:
        row = conn.execute(select(ASSESSMENT.c.content).where(
            ASSESSMENT.c.province == province, ASSESSMENT.c.as_of == as_of,
            ASSESSMENT.c.fingerprint == fingerprint, ASSESSMENT.c.data_state == state)).first()
    return json.loads(row[0]) if row else None


def save_assessments(engine: Engine, items: Sequence[tuple[str, dt.date, str, str, dict[str, Any]]]) -> None:
    """Keep judged counts ``(province, as_of, fingerprint, data_state, content)``; drop stale ones.

    Best effort: a database this user may only read is left as it is.
    """
    import json

    from sqlalchemy import delete, or_
    from sqlalchemy.exc import SQLAlchemyError

    if not items:
        return
    now = datetime.now(UTC)
    try:
        with engine.begin() as conn:
            for province, as_of, fingerprint, state, content in items:
                conn.execute(delete(ASSESSMENT).where(ASSESSMENT.c.province == province, or_(
                    ASSESSMENT.c.as_of == as_of, ASSESSMENT.c.fingerprint != fingerprint,
                    ASSESSMENT.c.data_state != state)))
                conn.execute(insert(ASSESSMENT).values(
                    province=province, as_of=as_of, fingerprint=fingerprint, data_state=state, at=now,
                    content=json.dumps(content, ensure_ascii=False, separators=(",", ":"))))
    except SQLAlchemyError:
        pass
