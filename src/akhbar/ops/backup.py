"""Online backup and checked restore of the SQLite database; guidance for PostgreSQL (pg_dump).

A backup uses SQLite's online backup API, so the portal keeps serving and writing while it runs, and the
copy is a consistent snapshot. A restore checks the file first (SQLite header, integrity_check, an akhbar
schema), refuses while a portal holds the database, and keeps the old database beside the new one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import make_url

from akhbar.ops.errors import OpsError

SQLITE_HEADER = b"SQLite format 3\x00"
# Pages copied per step of the online backup; between steps the portal's writers get the database.
PAGES_PER_STEP = 1024
PG_GUIDANCE = (
    "use pg_dump for PostgreSQL: pg_dump --format=custom --file {path} '{url}' "
    "(restore with pg_restore --clean --dbname '{url}' {path})"
)


@dataclass(frozen=True)
class BackupReport:
    """What a backup or restore did."""

    path: Path
    size: int
    integrity: str
    kept: Path | None = None  # the database a restore replaced, kept beside it


def sqlite_path(url: str, path: Path) -> Path:
    """Return the database file of a SQLite URL; raise OpsError with pg_dump guidance for other engines."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        safe = parsed.render_as_string(hide_password=True)
        raise OpsError(f"ops: cannot back up this database here; {PG_GUIDANCE.format(path=path, url=safe)}")
    if not parsed.database or parsed.database == ":memory:":
        raise OpsError("ops: an in-memory SQLite database has nothing to back up")
    return Path(parsed.database)


def integrity(path: Path) -> str:
    """Return SQLite's integrity_check verdict for a file ('ok' when sound); raise OpsError if unreadable."""
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise OpsError(f"ops: {path} is not a SQLite database")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise OpsError(f"ops: cannot read {path}: {exc}") from None
    verdict = "; ".join(str(r[0]) for r in rows)
    if verdict == "ok" and not {"alembic_version", "sources", "articles"} <= tables:
        raise OpsError(f"ops: {path} is a SQLite database but not an akhbar one (no sources/articles tables)")
    return verdict


def _copy(source: Path, target: Path) -> None:
    """Copy a live database into target through the online backup API, via a temporary file."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            contextlib.closing(sqlite3.connect(source, timeout=30)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst, pages=PAGES_PER_STEP)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise OpsError(f"ops: cannot copy {source} to {target}: {exc}") from None


def backup_database(url: str, target: Path) -> BackupReport:
    """Write a consistent copy of the live database to target and check it."""
    source = sqlite_path(url, target)
    if not source.is_file():
        raise OpsError(f"ops: no database at {source}")
    if target.resolve() == source.resolve():
        raise OpsError("ops: the backup cannot overwrite the database itself")
    if not target.parent.is_dir():
        raise OpsError(f"ops: no such directory: {target.parent}")
    _copy(source, target)
    verdict = integrity(target)
    if verdict != "ok":
        raise OpsError(f"ops: the backup at {target} failed its integrity check: {verdict}")
    return BackupReport(target, target.stat().st_size, verdict)


@contextlib.contextmanager
def portal_lock(database: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold the database's lock file: shared by running portals, exclusive for a restore."""
    lock_path = database.with_name(database.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OpsError(f"ops: a portal is running on {database}; stop it first") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _set_aside(database: Path, now: datetime) -> Path | None:
    """Fold the WAL into the database, then move the database aside; return where it went."""
    if not database.exists():
        return None
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    kept = database.with_name(f"{database.name}.before-restore-{now:%Y%m%dT%H%M%S}")
    os.replace(database, kept)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return kept


def restore_database(url: str, backup: Path, *, now: datetime | None = None) -> BackupReport:
    """Replace the database with a checked backup, keeping the old one; refuse while a portal runs."""
    database = sqlite_path(url, backup)
    if not backup.is_file():
        raise OpsError(f"ops: no such backup file: {backup}")
    verdict = integrity(backup)
    if verdict != "ok":
        raise OpsError(f"ops: refused: {backup} failed its integrity check: {verdict}")
    with portal_lock(database, exclusive=True):
        kept = _set_aside(database, now or datetime.now(UTC))
        try:
            _copy(backup, database)
        except OpsError:
            if kept is not None:
                os.replace(kept, database)  # put the old database back: a restore never leaves none
            raise
    return BackupReport(database, database.stat().st_size, integrity(database), kept)
