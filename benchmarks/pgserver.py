"""A throwaway PostgreSQL server, for the benchmarks and for the test suite (tests/conftest.py).

``with postgres_server() as base:`` yields ``postgresql+psycopg://postgres@127.0.0.1:PORT``;
:func:`create_database` adds an empty database to it. The server runs with
``fsync=off`` on a temporary directory and is stopped and removed on exit.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path


def _bindir() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        raise RuntimeError("PostgreSQL server binaries (initdb) not found: install postgresql")
    return Path(candidates[-1]).parent


def _as_unprivileged() -> tuple[pwd.struct_passwd | None, Callable[[], None] | None]:
    """initdb refuses to run as root: run the server as the postgres (or nobody) user."""
    if os.geteuid() != 0:
        return None, None
    for name in ("postgres", "nobody"):
        try:
            pw = pwd.getpwnam(name)
            break
        except KeyError:
            continue
    else:
        raise RuntimeError("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL")

    def demote() -> None:
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)

    return pw, demote


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1; yields its base SQLAlchemy URL."""
    bindir = _bindir()
    pw, demote = _as_unprivileged()
    base = Path(tempfile.mkdtemp(prefix="plancheck-bench-pg-"))
    data = base / "data"
    if pw is not None:
        os.chown(base, pw.pw_uid, pw.pw_gid)
    env = {**os.environ, "LC_ALL": "C"}
    res = subprocess.run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                          "-E", "UTF8", "--no-instructions"], capture_output=True, text=True,
                         preexec_fn=demote, env=env, cwd=base)
    if res.returncode != 0:
        raise RuntimeError(f"initdb failed: {res.stderr or res.stdout}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    res = subprocess.run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w",
                          "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off",
                          "start"], capture_output=True, text=True, preexec_fn=demote, env=env, cwd=base)
    if res.returncode != 0:
        log = (base / "log").read_text() if (base / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {res.stderr or res.stdout}\n{log}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, preexec_fn=demote, cwd=base)
        shutil.rmtree(base, ignore_errors=True)


def create_database(base_url: str, prefix: str = "bench") -> str:
    """A new empty database on the server at ``base_url``; returns its SQLAlchemy URL."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{plain(base_url)}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base_url}/{name}"


def plain(url: str) -> str:
    """The libpq form of a SQLAlchemy psycopg URL."""
    return url.replace("postgresql+psycopg://", "postgresql://")
