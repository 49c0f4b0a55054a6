"""The distributed mode: the scheduler that hands due sources out under a lease, and the worker task bodies.

A refresh task runs one source through the whole chain (fetch, parse, extract, enrich, store) and commits
the source's state and its articles in ONE transaction: a task lost with its worker or its broker leaves the
source exactly as it was, due, and the scheduler hands it out again when the lease runs out. The other stages
are tasks too, for work on one stored article (extract its page again, enrich it again, cache an image).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import socket
import threading
import uuid
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

from celery import Celery

from akhbar.config import Settings
from akhbar.enrich import assign_category, detect_language
from akhbar.extract import extract_article
from akhbar.fetch import Fetcher, FetchError
from akhbar.pipeline import HTML_ACCEPT, PipelineContext, refresh_source
from akhbar.runner.celery_app import (
    ENRICH_ARTICLE,
    EXTRACT_ARTICLE,
    FETCH_IMAGE,
    QUEUE,
    REFRESH_SOURCE,
    make_celery,
)
from akhbar.store import Store, StoreError

log = logging.getLogger(__name__)


class _WorkerState:
    """The settings of this worker and one store per process (a forked child never reuses its parent's)."""

    settings: Settings | None = None
    store: Store | None = None
    pid = 0


_STATE = _WorkerState()


def _settings() -> Settings:
    if _STATE.settings is None:
        raise RuntimeError("worker: settings not configured (start it with `akhbar worker`)")
    return _STATE.settings


def _store() -> Store:
    """Return this process's store, opened on first use after the fork."""
    if _STATE.store is None or _STATE.pid != os.getpid():
        settings = _settings()
        _STATE.store = Store.open(settings.database_url_effective, auto_migrate=settings.auto_migrate)
        _STATE.pid = os.getpid()
    return _STATE.store


# task bodies: plain functions, so tests and the benchmark can call them without a broker


def refresh_task(source_id: int, token: str = "") -> dict[str, Any]:
    """Refresh one source end to end, then free its lease; a source gone or disabled is skipped."""
    store = _store()
    try:
        source = store.source_by_id(source_id)
        if source is None or not source.enabled:
            return {"source_id": source_id, "skipped": True}
        report = asyncio.run(_refresh(source_id, store))
        return asdict(report)
    finally:
        if token:
            store.release_lease(source_id, token)


async def _refresh(source_id: int, store: Store) -> Any:
    settings = _settings()
    source = store.source_by_id(source_id)
    assert source is not None
    async with Fetcher(settings) as fetcher:
        # Extraction runs in this process: the worker's processes are the pool (worker_concurrency).
        ctx = PipelineContext(settings=settings, fetcher=fetcher, store=store, extract_pool=None)
        return await refresh_source(source, ctx)


def extract_task(article_id: int) -> dict[str, Any]:
    """Fetch a stored article's page again and update its text, HTML, image and author in place."""
    store = _store()
    article = store.article_by_id(article_id)
    if article is None:
        return {"article_id": article_id, "skipped": True}
    try:
        content, url = asyncio.run(_fetch_page(article.url))
    except FetchError as exc:
        return {"article_id": article_id, "error": str(exc)}
    page = extract_article(content, url)
    updated = replace(
        article,
        text=page.text or article.text,
        html=page.html or article.html,
        image=article.image or page.image,
        author=article.author or page.author,
        summary_only=article.summary_only and not page.text,
    )
    store.upsert_articles(article.source_id, [updated])
    return {"article_id": article_id, "chars": len(updated.text)}


async def _fetch_page(url: str) -> tuple[bytes, str]:
    async with Fetcher(_settings()) as fetcher:
        page = await fetcher.get(url, accept=HTML_ACCEPT)
    return page.content, page.url


def enrich_task(article_id: int) -> dict[str, Any]:
    """Detect a stored article's language again (and give it a category when it has none)."""
    store = _store()
    article = store.article_by_id(article_id)
    if article is None:
        return {"article_id": article_id, "skipped": True}
    source = store.source_by_id(article.source_id)
    prior = article.language or (source.language if source else "")
    language = detect_language(f"{article.title}. {article.text[:300]}", prior=prior or None) or prior
    category = article.category or assign_category(source.category if source else "", [], article.title)
    store.upsert_articles(article.source_id, [replace(article, language=language, category=category)])
    return {"article_id": article_id, "language": language, "category": category}


def fetch_image_task(url: str) -> dict[str, Any]:
    """Cache one image ahead of its first reader (bytes go to this machine's data_dir/images)."""
    try:
        images = importlib.import_module("akhbar.images")
    except ImportError:
        return {"url": url, "skipped": "no image cache in this install"}
    cache = images.ImageCache(_settings(), _store())
    served = asyncio.run(cache.serve(url))  # fetches when pending; a blocked image is never fetched
    return {"url": url, "state": served.record.state}


def register_tasks(app: Celery) -> None:
    """Register the task bodies on a Celery app (late acknowledgement comes from its configuration)."""
    for name, body in (
        (REFRESH_SOURCE, refresh_task),
        (EXTRACT_ARTICLE, extract_task),
        (ENRICH_ARTICLE, enrich_task),
        (FETCH_IMAGE, fetch_image_task),
    ):
        app.task(name=name, acks_late=True, reject_on_worker_lost=True)(body)


def worker_app(settings: Settings) -> Celery:
    """Return a Celery app with the tasks registered, for this worker process and its children."""
    _STATE.settings = settings
    app = make_celery(settings)
    register_tasks(app)
    return app


def worker_argv(settings: Settings, concurrency: int, loglevel: str) -> list[str]:
    """Return the `celery worker` arguments of an akhbar worker."""
    slots = concurrency or int(settings.worker_concurrency) or os.cpu_count() or 1
    name = f"akhbar-{socket.gethostname()}-{os.getpid()}@%h"
    # gossip/mingle/heartbeat are worker-to-worker chatter that akhbar does not use; without them a worker
    # starts faster and puts less load on the broker.
    return [
        "worker", f"--concurrency={slots}", f"--loglevel={loglevel}", "-Q", QUEUE, "-n", name,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]


# the scheduler


def schedule_once(store: Store, app: Celery, settings: Settings, now: datetime | None = None) -> int:
    """Lease the due sources and send one refresh task for each; return how many were sent."""
    token = uuid.uuid4().hex
    claimed = store.claim_due_sources(
        token,
        now=now or datetime.now(UTC),
        seconds=float(settings.lease_seconds),
        limit=int(settings.scheduler_batch),
    )
    sent = 0
    for position, source in enumerate(claimed):
        try:
            app.send_task(REFRESH_SOURCE, args=[source.id, token], queue=QUEUE)
        except Exception as exc:  # noqa: BLE001  # broker down: give the unsent sources back at once
            log.warning("scheduler: broker refused tasks (%s); %d handed back", exc, len(claimed) - sent)
            for unsent in claimed[position:]:
                store.release_lease(unsent.id, token)
            break
        sent += 1
    return sent


def run_scheduler(store: Store, app: Celery, settings: Settings, stop: threading.Event) -> None:
    """Hand due sources to the workers every schedule_tick seconds until stop is set."""
    while not stop.is_set():
        try:
            sent = schedule_once(store, app, settings)
        except StoreError as exc:  # the database is away for a moment: try again next tick
            log.warning("scheduler: %s", exc)
            sent = 0
        if sent:
            log.info("scheduler: %d sources sent to the workers", sent)
        stop.wait(float(settings.schedule_tick))


def scheduler_app(settings: Settings) -> Celery:
    """Return the Celery app the scheduler sends through (no tasks registered: it only publishes)."""
    return make_celery(settings)
