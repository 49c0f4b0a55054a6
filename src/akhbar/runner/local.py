"""The embedded runner: the scheduler and the fetches in one asyncio loop, a process pool for extraction; the
web server beside them, in a process of its own under `akhbar run` (runner/ingest.py)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import os
import signal
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from akhbar.config import Settings
from akhbar.enrich import language
from akhbar.fetch import Fetcher
from akhbar.models import Source
from akhbar.ops.backup import portal_lock, sqlite_path
from akhbar.ops.errors import OpsError
from akhbar.ops.housekeeping import Housekeeper
from akhbar.ops.shutdown import terminate_on_sigterm
from akhbar.pipeline import PipelineContext, RefreshReport, refresh_source
from akhbar.runner.pool import ExtractPool
from akhbar.store import Store

log = logging.getLogger(__name__)

OnReport = Callable[[RefreshReport], None]


def extraction_processes(settings: Settings) -> int:
    """Return how many extraction processes to start (0 in the settings means one per core)."""
    return int(settings.extract_processes) or os.cpu_count() or 1


@asynccontextmanager
async def pipeline_context(
    settings: Settings, store: Store, fetcher: Fetcher | None = None
) -> AsyncIterator[PipelineContext]:
    """Open a fetcher (unless one is given) and an extraction pool around a block of refreshes."""
    pool = ExtractPool(extraction_processes(settings), nice=int(settings.extract_nice), lazy=True)
    try:
        # The language models load on first use, for a second of CPU: done in the event loop by the first
        # article, it would stall every fetch deadline and the web server, so pay it here, off the loop.
        await asyncio.to_thread(language.warm_up)
        async with fetcher or Fetcher(settings) as fetcher:
            yield PipelineContext(settings=settings, fetcher=fetcher, store=store, extract_pool=pool)
    finally:
        pool.shutdown()


async def refresh_many(
    ctx: PipelineContext, sources: Iterable[Source], on_report: OnReport | None = None
) -> list[RefreshReport]:
    """Refresh sources concurrently (the fetcher bounds the connections) and return their reports."""
    limit = asyncio.Semaphore(max(int(ctx.settings.fetch_concurrency), 1))

    async def one(source: Source) -> RefreshReport:
        async with limit:
            report = await refresh_source(source, ctx)
        if on_report:
            on_report(report)
        return report

    with terminate_on_sigterm():  # `akhbar fetch` stopped by SIGTERM abandons its work cleanly
        return list(await asyncio.gather(*(one(s) for s in sources)))


async def scheduler_loop(
    ctx: PipelineContext, stop: asyncio.Event, keeper: Housekeeper | None = None
) -> None:
    """Refresh due sources until stop is set; a source is never refreshed twice at once.

    The housekeeper pauses ingestion while the disk is full (the web server keeps serving) and prunes old
    article bodies when retention is on.
    """
    keeper = keeper or Housekeeper(ctx.settings, ctx.store)
    in_flight: dict[int, asyncio.Task[RefreshReport]] = {}
    while not stop.is_set():
        if await keeper.may_ingest():
            await keeper.maybe_prune()
            for source in await asyncio.to_thread(ctx.store.due_sources, datetime.now(UTC)):
                if source.id not in in_flight and not keeper.paused:
                    task = asyncio.create_task(refresh_source(source, ctx))
                    in_flight[source.id] = task
                    task.add_done_callback(functools.partial(_finished, in_flight, source.id, keeper))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=float(ctx.settings.schedule_tick))
    for task in list(in_flight.values()):
        task.cancel()
    await asyncio.gather(*in_flight.values(), return_exceptions=True)


def _finished(
    in_flight: dict[int, asyncio.Task[RefreshReport]],
    source_id: int,
    keeper: Housekeeper,
    task: asyncio.Task[RefreshReport],
) -> None:
    in_flight.pop(source_id, None)
    if not task.cancelled() and task.exception() is None:
        report = task.result()
        log.info("refresh %s: %s", report.slug, report.error or f"{report.new} new, {report.updated} updated")
        if report.error:
            keeper.note_failure(report.error)


async def serve_embedded(settings: Settings, store: Store, host: str, port: int) -> None:
    """Run the web server in this loop and ingestion in a process of its own until the server stops.

    The ingestion process (runner/ingest.py) runs the scheduler, the fetches and the extraction pool at a
    lower CPU priority; Ctrl-C or SIGTERM stops both, work in flight abandoned cleanly, within 10 seconds.
    """
    import uvicorn

    from akhbar.runner.ingest import IngestProcess
    from akhbar.web.app import create_app

    # proxy_headers=False: which proxies may set the client address is our trusted_proxies setting, not
    # uvicorn's default of trusting 127.0.0.1 (report counting and rate limits rely on the real address).
    config = uvicorn.Config(
        create_app(settings, store), host=host, port=port, log_level="warning", proxy_headers=False
    )
    server = uvicorn.Server(config)
    stop = asyncio.Event()
    # uvicorn handles SIGTERM itself, then re-sends it to the handler it found: without one of ours that
    # is the default action, which would kill the process before the ingestion process is stopped.
    def graceful() -> None:
        server.should_exit = True
        stop.set()

    _on_sigterm(graceful)
    ingest = IngestProcess(settings)
    with _portal_lock(settings):
        ingest.start()
        supervisor = asyncio.create_task(ingest.supervise(stop))
        try:
            _freeze_heap()
            await server.serve()
        finally:
            stop.set()
            await supervisor
            await asyncio.to_thread(ingest.stop)


def _freeze_heap() -> None:
    """Move what start-up allocated out of the collector's sight: full collections then stay short."""
    gc.collect()
    gc.freeze()


def _on_sigterm(callback: Callable[[], None]) -> None:
    """Run callback in the loop on SIGTERM (where the loop can take signal handlers)."""
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, callback)


def _portal_lock(settings: Settings) -> contextlib.AbstractContextManager[None]:
    """Hold the SQLite database's shared lock while the portal runs (a restore waits for none)."""
    try:
        path = sqlite_path(settings.database_url_effective, Path("backup"))
    except OpsError:  # PostgreSQL: the operator restores with pg_restore, no local file to guard
        return contextlib.nullcontext()
    return portal_lock(path, exclusive=False)
