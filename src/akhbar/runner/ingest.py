"""`akhbar run`'s ingestion process: scheduler, fetches and extraction pool, apart from the web server.

In one event loop the fetches, the feed parsing, the storing and the story placement hold the interpreter for
tens of milliseconds at a time, and every page request waits behind them: with 1,000 sources landing, the
web p99 passed a second (benchmarks/load.py). In a process of its own, at a lower CPU priority, ingestion
uses what the web server leaves; the two share only the database (SQLite's WAL: readers never wait for the
writer), and the web server's page cache notices new articles by the latest article id, as `akhbar web` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import sys
from multiprocessing.process import BaseProcess

from akhbar.config import Settings

log = logging.getLogger(__name__)

STOP_SECONDS = 8.0  # SIGTERM to exit: `akhbar run` must be gone within 10 seconds
RESTART_SECONDS = 5.0  # wait before starting again an ingestion process that died


class IngestProcess:
    """Start, watch and stop the ingestion process of the embedded runner (spawned: no lock copied)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._process: BaseProcess | None = None

    def start(self) -> None:
        """Start the process (the scheduler begins with the sources that are due)."""
        context = multiprocessing.get_context("spawn")
        self._process = context.Process(
            target=ingest_main, args=(self.settings, os.getpid()), name="akhbar-ingest", daemon=False
        )
        self._process.start()

    @property
    def exit_code(self) -> int | None:
        """Return the exit status of a process that ended, None while it runs (or before it started)."""
        return None if self._process is None else self._process.exitcode

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Ask the process to finish (SIGTERM: work in flight abandoned cleanly); kill it if it lingers."""
        process = self._process
        if process is None or process.pid is None:
            return
        if process.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
            process.join(timeout)
        if process.is_alive():
            log.warning("ingest: still busy after %.0f s; killed", timeout)
            process.kill()
            process.join()

    async def supervise(self, stop: asyncio.Event) -> None:
        """Start the process again whenever it dies, until stop is set (the web server keeps serving)."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=RESTART_SECONDS)
            code = self.exit_code
            if code is not None and not stop.is_set():
                log.warning("ingest: the ingestion process ended (exit status %s); starting it again", code)
                self.start()


def ingest_main(settings: Settings, parent: int) -> None:
    """Run the scheduler until SIGTERM or SIGINT; a failure is one line on stderr, never a traceback."""
    from akhbar.runner.pool import exit_with_parent

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    nice = int(settings.ingest_nice)
    if nice > 0:
        os.nice(nice)
    exit_with_parent(parent)
    try:
        asyncio.run(_ingest(settings))
    except Exception as exc:  # noqa: BLE001  # the last guard of this process: one line, then exit status 1
        from akhbar.pipeline import one_line_error

        print(f"akhbar: ingest: {one_line_error(exc)}", file=sys.stderr)
        sys.exit(1)


async def _ingest(settings: Settings) -> None:
    from akhbar.runner.local import pipeline_context, scheduler_loop
    from akhbar.store import Store

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):  # Ctrl-C reaches the whole process group
        loop.add_signal_handler(signum, stop.set)
    store = Store.open(settings.database_url_effective, auto_migrate=False)
    try:
        async with pipeline_context(settings, store) as ctx:
            await scheduler_loop(ctx, stop)
    finally:
        store.close()
