"""The disk-space guard: ingestion pauses when the disk is (nearly) full, and resumes when space returns.

A full disk makes every write fail while reads still work, so the site can keep serving what it has. The
guard pauses the scheduler instead of letting it retry every source on every tick (each failure would try
to write its health, and fail again). It looks at the free space of the data directory, and after a write
failed with "disk full" it also holds ingestion for a while even if space seems to be there (a quota or a
PostgreSQL server's disk is not visible from here), then lets one pass try again.
"""

from __future__ import annotations

import errno
import shutil
import time
from collections.abc import Callable
from pathlib import Path

# What SQLite, PostgreSQL and the OS say when a write finds no space.
_FULL_WORDS = ("database or disk is full", "no space left on device", "disk full", "could not extend file")
# Seconds ingestion stays paused after a write failed with "disk full", before one pass tries again.
FULL_BACKOFF = 60.0


def is_disk_full(exc_or_text: BaseException | str) -> bool:
    """Return True when an exception (or its chain) or an error line says the disk is full."""
    if isinstance(exc_or_text, str):
        return any(word in exc_or_text.lower() for word in _FULL_WORDS)
    seen: set[int] = set()
    current: BaseException | None = exc_or_text
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if is_disk_full(str(current)):
            return True
        current = current.__cause__ or current.__context__
    return False


def free_bytes(path: Path) -> int:
    """Return the bytes available to us on the filesystem holding path (its nearest existing parent)."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return shutil.disk_usage(probe).free


class DiskGuard:
    """Say whether ingestion must pause, and why, in one line."""

    def __init__(
        self,
        path: Path,
        min_free_bytes: int,
        *,
        backoff: float = FULL_BACKOFF,
        free: Callable[[Path], int] = free_bytes,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self.min_free_bytes = min_free_bytes
        self.backoff = backoff
        self._free = free
        self._clock = clock
        self._full_until = 0.0
        self._full_error = ""

    def note_failure(self, error: str) -> bool:
        """Record a write that failed; return True when it failed for want of space (ingestion pauses)."""
        if not is_disk_full(error):
            return False
        self._full_until = self._clock() + self.backoff
        self._full_error = error
        return True

    def pause_reason(self) -> str:
        """Return why ingestion must pause now, or "" when it may run."""
        try:
            free = self._free(self.path)
        except OSError as exc:
            return f"ingestion paused: cannot read the free space of {self.path} ({exc})"
        if free < self.min_free_bytes:
            return (
                f"ingestion paused: only {free // 1_000_000} MB free on {self.path} "
                f"(below AKHBAR_MIN_FREE_MB={self.min_free_bytes // 1_000_000}); the site keeps serving"
            )
        if self._clock() < self._full_until:
            return f"ingestion paused: the disk is full ({self._full_error}); the site keeps serving"
        return ""
