"""The distributed mode's commands: worker, scheduler, web, and `db copy` (registered on the CLI app)."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from akhbar.cli import app, current_settings, db_app, err, fail, open_store, out
from akhbar.config import load_settings
from akhbar.store import Store
from akhbar.store.engine import safe_url

if TYPE_CHECKING:  # fastapi takes ~0.15 s to import: only the web command needs it
    from fastapi import FastAPI

HostOption = Annotated[str, typer.Option(help="Address to listen on (default: the host setting).")]
PortOption = Annotated[int, typer.Option(help="Port to listen on (default: the port setting).")]


def _log_level(level: str) -> str:
    logging.getLogger("akhbar").setLevel(level.upper())
    return level.upper()


@app.command("worker")
def worker_command(
    concurrency: Annotated[int, typer.Option(help="Tasks run at once (default: worker_concurrency).")] = 0,
    loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "WARNING",
) -> None:
    """Run a Celery worker: refresh sources, extract and enrich articles, cache images."""
    from akhbar.runner.distributed import worker_app, worker_argv

    settings = current_settings()
    with open_store(settings):
        pass  # refuse at once a database that is unreachable or behind; the task processes open their own
    celery = worker_app(settings)
    celery.worker_main(worker_argv(settings, concurrency, _log_level(loglevel)))


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@app.command("scheduler")
def scheduler_command(
    loglevel: Annotated[str, typer.Option(help="Log level.")] = "INFO",
) -> None:
    """Hand due sources to the workers (one lease per source: several schedulers never send one twice)."""
    from akhbar.registry import ensure_default_sources
    from akhbar.runner.celery_app import broker_label
    from akhbar.runner.distributed import run_scheduler, scheduler_app

    logging.getLogger().setLevel(_log_level(loglevel))
    settings = current_settings()
    stop = threading.Event()
    _stop_on_signals(stop)
    with open_store(settings) as store:
        added = ensure_default_sources(store, settings)
        if added:
            err.print(f"loaded {added} default sources")
        err.print(f"akhbar scheduler: sending to {broker_label(settings)} (Ctrl-C to stop)")
        run_scheduler(store, scheduler_app(settings), settings, stop)


def web_factory() -> FastAPI:
    """Build the web app from the environment (uvicorn calls this in each of its worker processes)."""
    from akhbar.web.app import create_app

    settings = load_settings()
    store = Store.open(settings.database_url_effective, auto_migrate=False)
    return create_app(settings, store)


@app.command("web")
def web_command(
    host: HostOption = "",
    port: PortOption = 0,
    workers: Annotated[int, typer.Option(help="Web processes on this port.")] = 1,
) -> None:
    """Run a stateless web node (no scheduler, no fetching): run as many as needed behind a proxy."""
    import uvicorn

    settings = current_settings()
    with open_store(settings):
        pass  # migrate (or refuse an old schema) once, before the processes start
    host, port = host or settings.host, port or settings.port
    err.print(f"akhbar web: serving on http://{host}:{port} with {workers} process(es)")
    uvicorn.run(
        "akhbar.commands_scale:web_factory", factory=True, host=host, port=port, workers=max(workers, 1),
        log_level="warning", proxy_headers=False,  # the trusted_proxies setting decides, in our code
    )


@db_app.command("copy")
def db_copy(
    to: Annotated[str, typer.Option("--to", help="Target database URL, e.g. postgresql+psycopg://...")],
) -> None:
    """Copy this install's database into another (SQLite to PostgreSQL), checking counts and checksums."""
    settings = current_settings()
    if not to.strip():
        fail("db: --to needs a database URL")
    with open_store(settings) as source:
        target = Store.open(to, auto_migrate=True)
        try:
            written, checks = source.copy_into(target, lambda name, rows: err.print(f"{name}: {rows} rows"))
        finally:
            target.close()
    bad = [c for c in checks if not c.ok]
    for check in bad:
        err.print(f"{check.name}: {check.source_rows} rows here, {check.target_rows} there, checksums differ")
    if bad:
        fail(f"db: copy to {safe_url(to)} does not match in {len(bad)} table(s)")
    total = sum(c.source_rows for c in checks)
    out.print(f"copied {written} rows to {safe_url(to)}; {len(checks)} tables, {total} rows match")
