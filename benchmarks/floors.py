"""What the database alone costs: the floors plancheck's figures are held against (issue 20).

    python benchmarks/floors.py select URL [--province P] [--import-sqlmodel]
    python benchmarks/floors.py insert URL FORM.csv ...

Each floor is a whole process, as each plancheck command is: the interpreter
starting, then only what no implementation of the command can avoid.

* ``select``: the bare SELECT of the current rows an evaluation reads (the
  columns and condition of ``plancheck.data.store.current_observations``), of
  one province or of every province, fetched whole. With ``--import-sqlmodel``
  the process first imports sqlmodel, which the design of the store asks for
  (the floor of ``plancheck run``); without, it is the floor of ``compare``.
* ``insert``: each form read with ``csv.reader`` into the rows ingest stores
  (parameters as plancheck's store passes them), and ``executemany`` into the
  observation table the URL's database already has (plancheck's own schema:
  the same columns and indexes), one transaction per file.

Only ``sqlite3`` or ``psycopg`` are used; ``URL`` is a SQLAlchemy URL
(``sqlite:///FILE`` or ``postgresql+psycopg://...``). Prints the number of rows.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from datetime import UTC, date, datetime
from pathlib import Path

#: What an evaluation reads of each current row (plancheck.data.store.current_observations).
READ_COLUMNS = ("province", "plan", "item", "kind", "period", "agency", "unit", "value", "date", "source_file",
                "source_row")
#: The columns an ingest writes.
COLUMNS = ("province", "plan", "item", "kind", "agency", "unit", "period", "value", "date", "source_file",
           "source_sha256", "source_row", "reporter", "ingested_at", "ingest_id", "superseded_at")


def connect(url: str):
    """A DB-API connection (autocommit off for PostgreSQL; SQLite in manual transactions)."""
    if url.startswith("sqlite:///"):
        import sqlite3

        return sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))


def select(url: str, province: str | None) -> int:
    mark = "?" if url.startswith("sqlite") else "%s"
    sql = f"SELECT {', '.join(READ_COLUMNS)} FROM observation WHERE superseded_at IS NULL"
    params: tuple = ()
    if province is not None:
        sql += f" AND province = {mark}"
        params = (province,)
    conn = connect(url)
    try:
        return len(conn.execute(sql, params).fetchall())
    finally:
        conn.close()


def form_params(path: Path, sqlite: bool) -> list[tuple]:
    """The observation rows a form's ingest writes, as DB-API parameters (what plancheck would store)."""
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    now = datetime.now(UTC)
    stamp: object = now.replace(tzinfo=None).isoformat(sep=" ") if sqlite else now
    shared: dict[str, str] = {}
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for i, r in enumerate(reader, start=2):
            province, plan, item, kind_, agency, unit, period, _due, _desc, value, day = (
                shared.setdefault(x, x) for x in r)
            when: object = (day or None) if sqlite else (date.fromisoformat(day) if day else None)
            out.append((province, plan, item, kind_, agency, unit, period, float(value) if value else None, when,
                        path.name, sha, i, "bench", stamp, 1, None))
    return out


def insert(url: str, paths: list[Path]) -> int:
    sqlite = url.startswith("sqlite")
    mark = "?" if sqlite else "%s"
    sql = f"INSERT INTO observation ({', '.join(COLUMNS)}) VALUES ({', '.join([mark] * len(COLUMNS))})"
    n = 0
    conn = connect(url)
    try:
        for path in paths:
            rows = form_params(path, sqlite)
            n += len(rows)
            if sqlite:
                conn.execute("BEGIN")
                conn.executemany(sql, rows)
                conn.execute("COMMIT")
            else:
                with conn.cursor() as cur:
                    cur.executemany(sql, rows)
                conn.commit()
    finally:
        conn.close()
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="the database alone: the floors of plancheck's figures")
    sub = ap.add_subparsers(dest="what", required=True)
    s = sub.add_parser("select")
    s.add_argument("url")
    s.add_argument("--province")
    s.add_argument("--import-sqlmodel", action="store_true")
    i = sub.add_parser("insert")
    i.add_argument("url")
    i.add_argument("forms", nargs="+", type=Path)
    args = ap.parse_args(argv)
    if args.what == "select":
        if args.import_sqlmodel:
            import sqlmodel  # noqa: F401  (the store's design: part of the floor of a command that reads it)
        n = select(args.url, args.province)
    else:
        n = insert(args.url, args.forms)
    print(n)
    return n


if __name__ == "__main__":
    main(sys.argv[1:])
