"""What the scheduler does besides refreshing: pause on a full disk, prune old bodies now and then."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path

from akhbar.config import Settings
from akhbar.ops.diskspace import DiskGuard
from akhbar.ops.retention import PRUNE_EVERY, prune_bodies
from akhbar.store import Store, StoreError

log = logging.getLogger(__name__)


class Housekeeper:
    """Gate each scheduler pass on disk space, and run retention once in a while."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        guard: DiskGuard | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.store = store
        self.guard = guard or DiskGuard(Path(settings.data_dir), int(settings.min_free_mb) * 1_000_000)
        self.paused = ""  # the pause line in force, "" while ingestion runs
        self._clock = clock
        self._next_prune = clock()

    async def may_ingest(self) -> bool:
        """Return False while ingestion must pause; log the reason when it starts and when it ends."""
        reason = await asyncio.to_thread(self.guard.pause_reason)
        if reason and not self.paused:
            log.warning("%s", reason)
        elif self.paused and not reason:
            log.warning("ingestion resumed: disk space is back")
        self.paused = reason
        return not reason

    def note_failure(self, error: str) -> None:
        """Pause ingestion when a refresh failed for want of disk space."""
        if self.guard.note_failure(error) and not self.paused:
            self.paused = self.guard.pause_reason()
            log.warning("%s", self.paused)

    async def maybe_prune(self) -> int:
        """Prune old bodies when retention is on and an hour has passed; return how many were pruned."""
        days = int(self.settings.retention_days)
        if days <= 0 or self._clock() < self._next_prune:
            return 0
        self._next_prune = self._clock() + PRUNE_EVERY
        try:
            pruned = await asyncio.to_thread(prune_bodies, self.store, days)
        except StoreError as exc:
            log.warning("retention: %s", exc)
            return 0
        if pruned:
            log.info("retention: pruned the bodies of %d articles older than %d days", pruned, days)
        return pruned
