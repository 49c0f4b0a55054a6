"""The extraction process pool: bounded submissions, and a fresh pool when a worker dies."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from akhbar.extract import extract_article
from akhbar.models import ExtractedArticle

log = logging.getLogger(__name__)

# Pages queued per worker: enough to keep every worker busy, few enough that pages wait in the event loop
# (cheap) rather than in the pool's pipe, where a full pipe blocks the loop inside submit().
QUEUED_PER_WORKER = 4
PARENT_CHECK_SECONDS = 1.0


def _warm_up() -> None:
    import akhbar.extract  # noqa: F401  # pay the import of trafilatura once per worker, before the first page


def _init_worker(parent: int, nice: int) -> None:
    """Set up a worker: no unused imports, a lower CPU priority, and an exit when its parent is gone."""
    # trafilatura imports py3langid, and numpy with it, for a language filter we never ask for (no
    # target_language): refusing the import saves ~18 MB in each worker and changes no extraction.
    sys.modules.setdefault("py3langid", None)  # type: ignore[arg-type]
    if nice > 0:
        # On two cores the extraction workers would otherwise take half the CPU from the event loop that
        # fetches and serves pages; niced, they use what the loop leaves, so nothing is lost when it idles.
        os.nice(nice)
    exit_with_parent(parent)


def exit_with_parent(parent: int) -> None:
    """Start a thread that ends this process when its parent is gone (killed with SIGKILL, say)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)  # an orphaned worker holds memory and nothing can reach it any more

    threading.Thread(target=watch, name="akhbar-parent-watch", daemon=True).start()


class ExtractPool:
    """Run extract_article in worker processes (spawned, so no lock held by a thread is copied).

    Lazy, the workers start with the first page: a pass where every feed answers 304 never pays for them.
    """

    def __init__(self, processes: int, nice: int = 0, lazy: bool = False) -> None:
        self.processes = max(processes, 1)
        self.nice = max(nice, 0)
        self._pool: ProcessPoolExecutor | None = None if lazy else self._start()
        self._slots: asyncio.Semaphore | None = None

    def _start(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(os.getpid(), self.nice),
        )
        for _ in range(self.processes):
            pool.submit(_warm_up)
        return pool

    def _running(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self._start()
        return self._pool

    async def extract(self, html: bytes, url: str) -> ExtractedArticle | None:
        """Return what the page gives, or None when the worker died on it (the pool is then replaced)."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.processes * QUEUED_PER_WORKER)
        async with self._slots:
            pool = self._running()
            try:
                return await asyncio.get_running_loop().run_in_executor(pool, extract_article, html, url)
            except BrokenProcessPool:
                log.warning("extract: a worker died on %s; starting a fresh pool", url)
                if pool is self._pool:
                    self._pool = self._start()
                    pool.shutdown(wait=False, cancel_futures=True)
                return None

    def shutdown(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
