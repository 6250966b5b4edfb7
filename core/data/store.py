"""Where reported data is kept: SQLite by default, any SQLAlchemy URL otherwise.

Every observation row is kept forever. A correction does not overwrite: the
old row gets ``superseded_at`` and the new one is inserted, so history shows
every value a datum has had, from which file (name and sha256), by whom and
when. An ingest runs in one transaction: all of its files or none of them.

Readers never wait for a writer (issue 21): on SQLite the database is in WAL
mode, reading functions begin a plain (deferred) transaction that takes no
lock, and only writes take the write lock up front (``BEGIN IMMEDIATE``); the
schema is checked by reading it, and written only when it must change. A
database in memory is refused for writing (what is written there vanishes
when the command ends), and a URL is shown only with every credential in it
masked (:func:`safe_url`).

sqlmodel is imported here and only here, and this module is imported only by
the commands that touch the database, so ``plancheck --help`` stays fast.
"""

import contextlib
import datetime as dt
import getpass
import hashlib
import os
import sys
import weakref
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Optional, cast, overload

import attrs
from sqlalchemy import Index, event, func, insert, select, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Field, SQLModel, create_engine

from plancheck.errors import InputError, Problem, reason
from plancheck.plans.model import Observation

SCHEMA_VERSION = 3


class ObservationRow(SQLModel, table=True):
    __tablename__ = "observation"
    __table_args__ = (
        Index("ix_observation_current", "province", "plan", "superseded_at"),
        Index("ix_observation_item", "province", "item"),
        # At most one current value per datum, whatever concurrent writers do. The condition
        # (a partial index) is given for the database at hand when the schema is written
        # (_partial_current_key): a ``postgresql_where`` here would load SQLAlchemy's PostgreSQL
        # dialect in every command, 50 ms of a SQLite run (issue 20).
        Index("ux_observation_current_key", "province", "plan", "item", "agency", "unit", "period",
              unique=True),
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


#: Query parameters of a database URL that hold a credential (libpq's, the drivers', the clouds').
_SECRET_KEYS = ("password", "passwd", "pwd", "secret", "token", "sslpassword", "sslkey_password",
                "access_key", "api_key", "apikey", "credentials", "auth")


def safe_url(url: str) -> str:
    """The URL with every credential hidden (the password, and ``?password=``, ``?sslpassword=``
    or any other secret in its query), for messages."""
    try:
        u = make_url(url)
    except Exception:
        return mask_secrets("<database url>", url)
    query = {k: ("***" if _secret(k) else v) for k, v in u.query.items()}
    text = u.set(query=query).render_as_string(hide_password=True).replace("%2A%2A%2A", "***")
    return mask_secrets(text, url)


def _secret(key: str) -> bool:
    k = key.lower()
    return any(s in k for s in _SECRET_KEYS)


def _secrets(url: str) -> list[str]:
    """Every credential in ``url``, as written and decoded, longest first."""
    import re
    from urllib.parse import unquote, unquote_plus

    found: list[str] = []
    try:
        u = make_url(url)
        if u.password:
            found.append(str(u.password))
        for k, v in u.query.items():
            if _secret(k):
                found.extend([v] if isinstance(v, str) else list(v))
    except Exception:
        pass
    # What make_url could not parse: user:password@ and key=value pairs, as written
    m = re.search(r"://[^/:@]*:([^@/]*)@", url)
    if m:
        found.append(m[1])
    for key, value in re.findall(r"[?&;]([^=&;]+)=([^&;#]*)", url):
        if _secret(key):
            found.append(value)
    out = set()
    for f in found:
        if f and f != "***":
            out.update({f, unquote(f), unquote_plus(f)})
    return sorted((f for f in out if len(f) >= 1), key=len, reverse=True)


def mask_secrets(text: str, url: str) -> str:
    """``text`` (an error from a driver, a URL) with every credential of ``url`` replaced by ***."""
    for secret in _secrets(url):
        text = text.replace(secret, "***")
    return text


def in_memory(url: str) -> bool:
    """Whether ``url`` is a database that lives in the process's memory (``sqlite://``, ``:memory:``)."""
    try:
        u = make_url(url)
    except Exception:
        return False
    if u.get_backend_name() != "sqlite":
        return False
    database = u.database or ""
    return (database in ("", ":memory:") or database.startswith("file::memory:")
            or "mode=memory" in database or u.query.get("mode") == "memory")


def refuse_in_memory(engine: Engine) -> None:
    """InputError when ``engine``'s database lives in memory: a command that writes would lose it all."""
    url = engine.url.render_as_string(hide_password=False)
    if in_memory(url):
        raise InputError([reason("memory_database", url=safe_url(url))])


@overload
def open_engine(url: str) -> Engine: ...
@overload
def open_engine(url: str, *, write_schema: bool) -> Engine | None: ...
def open_engine(url: str, *, write_schema: bool = True) -> Engine | None:
    """An engine for ``url``, its schema created or upgraded on first use; ``write_schema`` False writes nothing (a
    dry run): None if the schema is missing or older. InputError (no credential in it) if the database or URL fails."""
    try:
        return _open_engine(url, write_schema)
    except InputError:
        raise
    except Exception as exc:  # a bad URL, a missing driver, a server that is not there
        why = str(getattr(exc, "orig", None) or exc).splitlines()
        raise InputError([mask_secrets(f"database {safe_url(url)}: cannot open: {type(exc).__name__}: "
                                       f"{why[0] if why else ''}", url)]) from None


#: Every engine this process opened, so that a command ending its process closes their connections.
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def close_engines() -> None:
    """Close every connection this process's engines hold (a process that ends without taking the
    interpreter apart would not: a PostgreSQL server would log each as lost, SQLite keep its WAL)."""
    for engine in list(_ENGINES):
        engine.dispose()


def _open_engine(url: str, write_schema: bool = True) -> Engine | None:
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and not in_memory(url) and write_schema:
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    _ENGINES.add(engine)
    if u.get_backend_name() == "sqlite":
        _sqlite_pragmas(engine, wal=write_schema)
    return engine if _migrate(engine, write_schema) else None


def _sqlite_pragmas(engine: Engine, wal: bool = True) -> None:
    # WAL + a busy timeout: concurrent ingests wait instead of failing, readers never wait
    # for a writer; a write takes the write lock up front ("BEGIN IMMEDIATE", so two writers
    # never deadlock upgrading a read lock), a read (``_reading``) takes none.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=30000")
        # Asked first: setting it when it is already WAL is a no-op, but a database not yet
        # in WAL needs a moment alone to change (and a write: not for a dry run's engine, ``wal`` False).
        if wal and str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover
        if conn.get_execution_options().get("plancheck_read"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextlib.contextmanager
def _reading(engine: Engine) -> Iterator[Any]:
    """A connection for reading only: on SQLite its transaction takes no lock, so it never waits
    for a writer (WAL readers see the last committed state)."""
    with engine.connect() as conn:
        conn.execution_options(plancheck_read=True)
        yield conn


def _migrate(engine: Engine, write: bool = True) -> bool:
    # Read first: a schema that is already current is never written to (issue 21: every command used to take
    # the write lock here and wait for any ingest under way), nor any with ``write`` False. Whether it is current.
    with _reading(engine) as conn:
        if (current := _schema_version(conn) == SCHEMA_VERSION) or not write:
            return current
    with engine.begin() as conn:
        # Several processes may open a new database at once: one creates the schema.
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": zlib.crc32(b"plancheck:schema")})
        _partial_current_key(conn.dialect.name)
        SQLModel.metadata.create_all(conn)
        row = conn.execute(select(SCHEMA.c.version)).first()
        if row is None:
            conn.execute(insert(SCHEMA).values(id=1, version=SCHEMA_VERSION))
        elif row[0] > SCHEMA_VERSION:
            raise InputError([_newer(row[0])])
        elif row[0] < SCHEMA_VERSION:
            # 1 → 2: the run table (saved runs) is new; 2 → 3: the assessment table (judged
            # counts kept for comparisons) is new. create_all above made them, and no existing
            # table changed. Later upgrades add their steps here, in order.
            conn.execute(update(SCHEMA).where(SCHEMA.c.id == 1).values(version=SCHEMA_VERSION))
    return True


def _partial_current_key(dialect: str) -> None:
    """Make the unique index of current values partial (``WHERE superseded_at IS NULL``) on the
    databases that have partial indexes: superseded rows keep their history under the same key."""
    if dialect in ("sqlite", "postgresql"):
        index = next(i for i in OBSERVATION.indexes if i.name == "ux_observation_current_key")
        index.dialect_kwargs[f"{dialect}_where"] = text("superseded_at IS NULL")


def _newer(version: int) -> str:
    return (f"the database was written by a newer plancheck (schema {version}); "
            f"this one knows schema {SCHEMA_VERSION}: upgrade plancheck")


def _schema_version(conn: Any) -> int | None:
    """The schema version recorded, when every table of it is there; else None (it must be written)."""
    from sqlalchemy import inspect

    names = set(inspect(conn).get_table_names())
    if not set(SQLModel.metadata.tables) <= names:
        return None
    row = conn.execute(select(SCHEMA.c.version)).first()
    if row is not None and row[0] > SCHEMA_VERSION:
        raise InputError([_newer(row[0])])
    return row[0] if row is not None else None


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


@attrs.frozen
class FileRows:
    """One checked file to ingest: its name, sha256, rows (tuples of ``_ROW_COLUMNS``) and rows ignored."""

    file: str
    sha256: str
    rows: Sequence[tuple[Any, ...]]
    ignored: int = 0


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
    """Write one checked file's observations in one transaction (see :func:`ingest_files`).

    ``observations`` are Observations, or the same as tuples of the fields
    ``_ROW_COLUMNS`` (what ``plancheck.data.forms.Reading.rows`` holds).
    """
    return ingest_files(engine, [FileRows(file, sha256, _as_rows(observations), ignored)],
                        reporter=reporter, dry_run=dry_run)[0]


def ingest_files(engine: Engine, files: Sequence[FileRows], *, reporter: str,
                 dry_run: bool = False) -> list[IngestSummary]:
    """Write checked files in one transaction: all of them or none; one summary per file.

    Unchanged data are left alone; a changed value supersedes the old row, which
    stays in history. Two files giving different values for one datum are
    refused (InputError, nothing written), as two rows of one file are: which
    is right is the user's to say. ``dry_run`` computes the very summaries the
    real run would give (the same code, each file seeing the ones before it),
    reading only. Writers to the same province are serialised (a
    transaction-scoped advisory lock on PostgreSQL, the write lock on SQLite);
    should two still collide on a datum, the transaction is rolled back and
    retried, so nothing is written twice and nothing is lost.
    """
    problems = conflicts(files)
    if problems:
        raise InputError([*problems, reason("nothing_written")])
    if not dry_run:
        refuse_in_memory(engine)
    for attempt in range(5):
        try:
            return _ingest_once(engine, files, reporter=reporter, dry_run=dry_run)
        except (IntegrityError, OperationalError):
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def conflicts(files: Sequence[FileRows]) -> list[Problem]:
    """A problem (the file, its row and column) for each datum that two files give different
    values (or dates) for (issue 21: the last file silently won)."""
    from plancheck.data.forms import shown

    if len(files) < 2:
        return []  # one file's own conflicts are refused when it is read
    seen: dict[tuple, tuple[str, Any, Any, Any]] = {}
    out = []
    for f in files:
        for row in f.rows:
            key = (row[0], row[1], row[2], row[4], row[5], row[6])
            prev = seen.setdefault(key, (f.file, row[9], row[7], row[8]))
            if prev[0] != f.file and (prev[2], prev[3]) != (row[7], row[8]):
                measure = row[3] == "measure"
                out.append(Problem.of(
                    f.file, "conflict_across_files", row=row[9], column="value" if measure else "date",
                    value=shown(row[7] if measure else row[8]), other_file=prev[0], other_row=prev[1],
                    other=shown(prev[2] if measure else prev[3])))
    return out


def _as_rows(observations: Sequence[Observation] | Sequence[tuple[Any, ...]]) -> Sequence[tuple[Any, ...]]:
    """Observations as tuples of ``_ROW_COLUMNS`` (tuples are taken as they are)."""
    if not observations or isinstance(observations[0], tuple):
        return cast(Sequence[tuple[Any, ...]], observations)
    return [(o.province, o.plan, o.item, o.kind, o.agency, o.unit, o.period, o.value, o.date, o.row)
            for o in cast(Sequence[Observation], observations)]


def _ingest_once(engine: Engine, files: Sequence[FileRows], *, reporter: str, dry_run: bool) -> list[IngestSummary]:
    from plancheck.data.bulk import gc_paused

    table = OBSERVATION
    now = datetime.now(UTC)
    plans = sorted({r[:2] for f in files for r in f.rows})
    # A dry run only reads: it takes no lock and waits for no writer.
    connection = _reading(engine) if dry_run else engine.begin()
    # The collector is paused while the rows are compared and written (see
    # verdicts.gc_paused): a million lasting tuples set off full collections that find nothing.
    with gc_paused(), connection as conn:
        if conn.dialect.name == "postgresql" and not dry_run:
            for province in sorted({p for p, _ in plans}):
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                             {"k": zlib.crc32(f"plancheck:{province}".encode())})
        current: dict[tuple, tuple[int | None, float | None, dt.date | None]] = {}
        for province, plan in plans:
            q = select(table.c.id, table.c.province, table.c.plan, table.c.item, table.c.agency,
                       table.c.unit, table.c.period, table.c.value, table.c.date).where(
                table.c.province == province, table.c.plan == plan, table.c.superseded_at.is_(None))
            for r in conn.execute(q):
                current[(r.province, r.plan, r.item, r.agency, r.unit, r.period)] = (r.id, r.value, r.date)
        summaries = []
        for f in files:
            summary, new_rows, superseded = _changes(f, current, dry_run)
            summaries.append(summary)
            if len(files) > 1:
                # What this file writes is current for the next one; conflicts were refused, so
                # a later file only repeats it (unchanged) and never supersedes it.
                for row in new_rows:
                    current[(row[0], row[1], row[2], row[4], row[5], row[6])] = (None, row[7], row[8])
            if dry_run:
                continue
            result = conn.execute(insert(INGEST).values(
                file=f.file, sha256=f.sha256, reporter=reporter, at=now, new=summary.new,
                updated=summary.updated, unchanged=summary.unchanged))
            ingest_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
            for chunk in _chunks(superseded, 500):
                conn.execute(update(table).where(table.c.id.in_(chunk)).values(superseded_at=now))
            if new_rows:
                _insert_observations(conn, new_rows, {
                    "source_file": f.file, "source_sha256": f.sha256, "reporter": reporter, "ingested_at": now,
                    "ingest_id": ingest_id, "superseded_at": None})
    return summaries


def _changes(f: FileRows, current: dict[tuple, tuple[int | None, float | None, dt.date | None]],
             dry_run: bool) -> tuple[IngestSummary, Sequence[tuple[Any, ...]], list[int]]:
    """What writing ``f`` over ``current`` does: its summary, the rows to insert, the ids superseded."""
    if not current:  # nothing stored yet for these plans: every row is new, nothing to look up
        return IngestSummary(f.file, f.sha256, len(f.rows), 0, 0, f.ignored, dry_run), f.rows, []
    changed, superseded, unchanged = [], [], 0
    for row in f.rows:
        cur = current.get((row[0], row[1], row[2], row[4], row[5], row[6]))
        if cur is not None and cur[1] == row[7] and cur[2] == row[8]:
            unchanged += 1
            continue
        if cur is not None and cur[0] is not None:
            superseded.append(cur[0])
        changed.append(row)
    summary = IngestSummary(f.file, f.sha256, len(changed) - len(superseded), len(superseded), unchanged,
                            f.ignored, dry_run)
    return summary, changed, superseded


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

    with gc_paused(), _reading(engine) as conn:
        return Observation.from_rows(_fetch_all(conn, q))  # the columns in from_rows' order


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


def current_rows(engine: Engine, province: str, plan: str, columns: Sequence[str], *, measure_values: bool,
                 items: Sequence[str] = (), units: Sequence[str] = ()) -> list[tuple[Any, ...]]:
    """The named columns of a plan's current rows, as plain tuples (see _fetch_all): what judging
    for a comparison reads (issue 20: plancheck.judge.counting), without an Observation per row.

    ``measure_values`` True: the measures' values (rows of kind measure with a value); False:
    every other row, and every row of ``items`` and of ``units`` besides.
    """
    from sqlalchemy import or_

    t = OBSERVATION
    value = (t.c.kind == "measure") & t.c.value.is_not(None)
    # equalities, not IN: _fetch_all passes plain parameters, never an expanding one
    wanted = value if measure_values else or_(~value, *(t.c.item == i for i in items),
                                              *(t.c.unit == u for u in units))
    q = select(*(t.c[c] for c in columns)).where(t.c.province == province, t.c.plan == plan,
                                                 t.c.superseded_at.is_(None), wanted)
    with _reading(engine) as conn:
        return _fetch_all(conn, q)


def count_observations(engine: Engine, province: str) -> int:
    table = OBSERVATION
    with _reading(engine) as conn:
        return conn.execute(select(func.count()).select_from(table).where(
            table.c.province == province, table.c.superseded_at.is_(None))).scalar_one()


def in_vietnam(moment: datetime) -> datetime:
    """A stored moment (UTC; SQLite keeps it without its zone) as Vietnam's time, UTC+7, as every date
    plancheck shows is."""
    from plancheck.plans.calendar import VIETNAM

    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(VIETNAM)


def history(engine: Engine, province: str, item: str) -> list[dict[str, object]]:
    """Every value ever ingested for an item of a province, oldest first; times in Vietnam's (UTC+7).

    ``agency`` is the row's key as stored: a measure is stored per unit, without an agency (any
    body allowed to file that unit's figure may), so it is empty for a measure's rows."""
    table = OBSERVATION
    q = (select(table).where(table.c.province == province, table.c.item == item)
         .order_by(table.c.agency, table.c.unit, table.c.period, table.c.id))
    with _reading(engine) as conn:
        return [
            {"plan": r.plan, "item": r.item, "kind": r.kind, "agency": r.agency, "unit": r.unit,
             "period": r.period, "value": r.value,
             "date": r.date.isoformat() if r.date else None,
             "source_file": r.source_file, "source_sha256": r.source_sha256,
             "source_row": r.source_row, "reporter": r.reporter,
             "ingested_at": in_vietnam(r.ingested_at).isoformat(timespec="seconds"),
             "current": r.superseded_at is None,
             "superseded_at": in_vietnam(r.superseded_at).isoformat(timespec="seconds") if r.superseded_at else None}
            for r in conn.execute(q)
        ]


def data_state(engine: Engine, province: str) -> str:
    """A fingerprint of the province's stored data: every row ever ingested, and how many."""
    with _reading(engine) as conn:
        n, last = conn.execute(select(func.count(), func.max(OBSERVATION.c.id)).where(
            OBSERVATION.c.province == province)).one()
    return f"rows={n};last_id={last or 0}"


def data_states(engine: Engine) -> dict[str, str]:
    """:func:`data_state` of every province that has rows, in one query (issue 20: not one per province)."""
    with _reading(engine) as conn:
        rows = conn.execute(select(OBSERVATION.c.province, func.count(), func.max(OBSERVATION.c.id))
                            .group_by(OBSERVATION.c.province)).all()
    return {p: f"rows={n};last_id={last or 0}" for p, n, last in rows}


def save_run(engine: Engine, report_json: dict[str, Any], *, plan_version: str, state: str) -> int:
    """Store a run's findings; returns its id."""
    import json

    refuse_in_memory(engine)
    with engine.begin() as conn:
        result = conn.execute(insert(RUN).values(
            province=report_json["province"], as_of=dt.date.fromisoformat(str(report_json["as_of"])),
            at=datetime.now(UTC), fail_on=report_json.get("fail_on", "low"), plan_version=plan_version,
            data_state=state, summary=json.dumps(report_json["summary"]),
            findings=json.dumps(report_json["findings"], ensure_ascii=False)))
        return int(result.inserted_primary_key[0]) if result.inserted_primary_key else 0


def load_run(engine: Engine, run_id: int) -> dict[str, Any] | None:
    """A saved run, or None when there is none with that id (any integer, however large)."""
    import json

    if not -(2**63) <= run_id < 2**63:  # no database column holds it (issue 21: a traceback)
        return None
    with _reading(engine) as conn:
        r = conn.execute(select(RUN).where(RUN.c.id == run_id)).first()
    if r is None:
        return None
    return {"id": r.id, "province": r.province, "as_of": r.as_of.isoformat(),
            "at": r.at.isoformat(timespec="seconds"), "plan_version": r.plan_version,
            "data_state": r.data_state, "summary": json.loads(r.summary), "findings": json.loads(r.findings)}


def last_run_id(engine: Engine, province: str) -> int | None:
    with _reading(engine) as conn:
        return conn.execute(select(func.max(RUN.c.id)).where(RUN.c.province == province)).scalar()


def saved_assessment(engine: Engine, province: str, as_of: dt.date, fingerprint: str,
                     state: str) -> dict[str, Any] | None:
    """The judged counts a comparison kept for exactly this province, date, fingerprint and data state."""
    import json

    with _reading(engine) as conn:
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
        with engine.connect() as conn:
            # Kept counts only save time: a comparison does not wait for an ingest under way
            # to keep them (issue 21: readers are never blocked by a writer).
            with _patience(conn):
                with conn.begin():
                    for province, as_of, fingerprint, state, content in items:
                        conn.execute(delete(ASSESSMENT).where(ASSESSMENT.c.province == province, or_(
                            ASSESSMENT.c.as_of == as_of, ASSESSMENT.c.fingerprint != fingerprint,
                            ASSESSMENT.c.data_state != state)))
                        conn.execute(insert(ASSESSMENT).values(
                            province=province, as_of=as_of, fingerprint=fingerprint, data_state=state, at=now,
                            content=json.dumps(content, ensure_ascii=False, separators=(",", ":"))))
    except SQLAlchemyError:
        pass


@contextlib.contextmanager
def _patience(conn: Any) -> Iterator[None]:
    """On SQLite, wait at most a fifth of a second for the write lock within the block (not 30 s)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection  # not through SQLAlchemy: that would begin a transaction
    raw.execute("PRAGMA busy_timeout=200")
    try:
        yield
    finally:
        raw.execute("PRAGMA busy_timeout=30000")
