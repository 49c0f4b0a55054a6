"""The embedded runner: one asyncio loop for the scheduler, the fetches and the web server; a process pool
for extraction."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from akhbar.config import Settings
from akhbar.fetch import Fetcher
from akhbar.models import Source
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
    pool = ExtractPool(extraction_processes(settings))
    try:
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

    return list(await asyncio.gather(*(one(s) for s in sources)))


async def scheduler_loop(ctx: PipelineContext, stop: asyncio.Event) -> None:
    """Refresh due sources until stop is set; a source is never refreshed twice at once."""
    in_flight: dict[int, asyncio.Task[RefreshReport]] = {}
    while not stop.is_set():
        now = datetime.now(UTC)
        for source in await asyncio.to_thread(ctx.store.due_sources, now):
            if source.id not in in_flight:
                task = asyncio.create_task(refresh_source(source, ctx))
                in_flight[source.id] = task
                task.add_done_callback(functools.partial(_finished, in_flight, source.id))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=float(ctx.settings.schedule_tick))
    for task in list(in_flight.values()):
        task.cancel()
    await asyncio.gather(*in_flight.values(), return_exceptions=True)


def _finished(
    in_flight: dict[int, asyncio.Task[RefreshReport]], source_id: int, task: asyncio.Task[RefreshReport]
) -> None:
    in_flight.pop(source_id, None)
    if not task.cancelled() and task.exception() is None:
        report = task.result()
        log.info("refresh %s: %s", report.slug, report.error or f"{report.new} new, {report.updated} updated")


async def serve_embedded(settings: Settings, store: Store, host: str, port: int) -> None:
    """Run the web server and the scheduler in this loop until the server stops (Ctrl-C, SIGTERM)."""
    import uvicorn

    from akhbar.web.app import create_app

    config = uvicorn.Config(create_app(settings, store), host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    stop = asyncio.Event()
    async with pipeline_context(settings, store) as ctx:
        scheduler = asyncio.create_task(scheduler_loop(ctx, stop))
        try:
            await server.serve()
        finally:
            stop.set()
            await scheduler
