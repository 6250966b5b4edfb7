"""Checked plans kept between commands, so that a plan file is read once per version.

Reading a plan (TOML, structuring, the checks, adopting the national
programme) takes 10–30 ms; with sixty plans installed that was a second on
every command, and ``plancheck provinces`` had to read them all to say which
plugins are broken (issue 9). So the outcome of reading a plan, the checked
:class:`~plancheck.plans.model.Plan` or the list of its problems, is kept in the
user's cache directory under a key made of

* the plan file's path and the sha256 of its content (issue 21: a key of size
  and modification time kept the old verdicts of a plan edited without
  changing either, while ``run --save`` recorded the new file's hash; hashing
  a plan file costs well under a millisecond), and
* a fingerprint of plancheck itself (the name, size and modification time of
  every module and programme template in the package, of attrs' and cattrs'
  modules, and Python's version), so that a new or edited plancheck never trusts
  what an older one concluded.

Whether a plan is usable can be answered from the file name alone
(:func:`known_problems`), without importing the model: that keeps
``plancheck provinces`` fast. The cache is an optimisation only: when it is
disabled (``PLANCHECK_NO_CACHE=1``), unwritable, or an entry cannot be read,
the plan is simply read again.

Entries are pickles, as in black's cache: reading one is as fast as Python
gets, and unpickling runs code, so the directory must be as private as the
user's own site-packages. It is created readable by the user alone, and a
directory that another user could write to is not used (:func:`_private`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

#: Bump when what an entry holds changes shape (3: keyed by content).
FORMAT = 3
#: The content hash each version of a file (its stat) had when it was looked up, so that
#: :func:`store` keeps a plan only under the hash of the very bytes that were parsed.
_LOOKED_UP: dict[tuple[str, int, int, int], str] = {}


def cache_dir() -> Path | None:
    """Where checked plans are kept: ``PLANCHECK_CACHE_DIR``, else the user's cache directory.

    None when ``PLANCHECK_NO_CACHE`` is set to anything but "" or "0".
    """
    if os.environ.get("PLANCHECK_NO_CACHE", "") not in ("", "0"):
        return None
    env = os.environ.get("PLANCHECK_CACHE_DIR")
    if env:
        return Path(env) / "plans"
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "plancheck" / "plans"


@functools.cache
def code_fingerprint() -> str:
    """What a cached plan depends on besides its file: this plancheck and its libraries."""
    from importlib.util import find_spec

    package = Path(__file__).resolve().parent.parent  # all of plancheck, not only this room
    h = hashlib.sha256(f"{FORMAT};{sys.version};".encode())
    for lib in ("attrs", "attr", "cattrs"):
        # An upgraded library is a rewritten file: its size and time say so without importing it.
        spec = find_spec(lib)
        if spec is not None and spec.origin:
            st = Path(spec.origin).stat()
            h.update(f"{lib}:{st.st_size}:{st.st_mtime_ns};".encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
            st = path.stat()
            h.update(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def _content(path: Path) -> str | None:
    """The sha256 of the file's bytes now (None if it cannot be read)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _key(path: Path, content: str) -> tuple[str, str]:
    """(prefix, key): the prefix names the plan file, the key one version of its content."""
    where = hashlib.sha256(os.path.abspath(path).encode()).hexdigest()[:16]
    return where, f"{where}-{content[:32]}-{code_fingerprint()}"


def _version(path: Path, st: os.stat_result) -> tuple[str, int, int, int]:
    return os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino


def _entry(path: Path, content: str | None) -> tuple[Path, str, str] | None:
    directory = cache_dir()
    if directory is None or content is None or not _private(directory):
        return None
    prefix, key = _key(path, content)
    return directory, prefix, key


@functools.cache
def _private(directory: Path) -> bool:
    """Whether only this user can write the cache directory (it is created so when missing).

    Entries are pickles, and unpickling runs code: a directory another user can
    write to is not used at all, so nobody else's file is ever unpickled.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = directory.stat()
    except OSError:
        return False
    if not hasattr(os, "getuid"):  # Windows: the user's own profile directory, protected by its ACL
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def known_problems(path: Path) -> list[str] | None:
    """What is known of a plan file without reading the plan: [] usable, its problems, or None (unknown)."""
    entry = _entry(path, _content(path))
    if entry is None:
        return None
    directory, _, key = entry
    if (directory / f"{key}.ok").exists():
        return []
    return _problems(directory, key)


def _problems(directory: Path, key: str) -> list[str] | None:
    try:
        problems = json.loads((directory / f"{key}.problems.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [str(p) for p in problems] if isinstance(problems, list) and problems else None


def lookup(path: Path, st: os.stat_result) -> Any | list[str] | None:
    """For the file as it is now (``st`` its stat, taken before): the cached checked plan, its
    problems, or None (not known)."""
    content = _content(path)
    if content is not None:
        _LOOKED_UP[_version(path, st)] = content
    entry = _entry(path, content)
    if entry is None:
        return None
    directory, _, key = entry
    import pickle

    try:
        with open(directory / f"{key}.ok", "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return _problems(directory, key)
    except Exception:  # truncated, or written by an incompatible version: read the plan again
        return None


def store(path: Path, st: os.stat_result, plan: Any | None, problems: list[str] | None = None) -> None:
    """Keep a checked plan (or the problems that stop it) for the content the file had when
    :func:`lookup` was asked about this version (its ``stat``); should the file have changed
    meanwhile, nothing is kept: what was parsed may be either version."""
    content = _LOOKED_UP.pop(_version(path, st), None)
    if content is None or _content(path) != content:
        return
    entry = _entry(path, content)
    if entry is None:
        return
    directory, prefix, key = entry
    import pickle
    import tempfile

    try:
        if plan is not None:
            data, name = pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL), f"{key}.ok"
        else:
            data, name = json.dumps(problems or [], ensure_ascii=False).encode(), f"{key}.problems.json"
        # Written whole under a temporary name, then renamed: a reader never sees half an entry.
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, directory / name)
        # Older versions of the same plan file are of no further use.
        for old in directory.glob(f"{prefix}-*"):
            if not old.name.startswith(key):
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full disk only costs speed
