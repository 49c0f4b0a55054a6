"""Tests for `akhbar run`'s ingestion process: apart from the web server, niced, stopped and restarted."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import wait_for

from akhbar.models import SourceSpec
from akhbar.runner import ingest
from akhbar.runner.ingest import IngestProcess
from akhbar.store import Store

FEED = (
    "<rss version='2.0'><channel><title>Rapide</title>"
    + "".join(f"<item><guid>r{n}</guid><title>Article rapide {n}</title></item>" for n in range(5))
    + "</channel></rss>"
)


@pytest.fixture
def store(settings) -> Iterator[Store]:
    """Return a store on the test's SQLite database, closed after the test."""
    opened = Store.open(settings.database_url_effective)
    yield opened
    opened.close()


def ingest_settings(settings, store: Store, loopback):
    """Register one quick source and return settings for an ingestion process on it."""
    loopback.reply("/quick", FEED)
    store.add_source(SourceSpec(url=f"{loopback.url}/quick", feed_url=f"{loopback.url}/quick", name="q"))
    return settings.replace(
        ingest_nice=5, schedule_tick=0.2, extract_processes=1, fetch_article_pages="never"
    )


def niceness(pid: int) -> int:
    """Return the niceness of a process, from /proc."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def test_settings_cross_to_a_spawned_process(settings) -> None:
    copy = pickle.loads(pickle.dumps(settings))
    assert copy == settings and copy.database_url_effective == settings.database_url_effective


def test_ingestion_runs_niced_in_its_own_process_and_stops_on_request(settings, store, loopback) -> None:
    process = IngestProcess(ingest_settings(settings, store, loopback))
    process.start()
    try:
        assert wait_for(lambda: store.count_articles() == 5, 60)
        pid = process._process.pid  # type: ignore[union-attr]
        assert pid != os.getpid()
        assert niceness(pid) == min(os.nice(0) + 5, 19)
    finally:
        started = time.monotonic()
        process.stop()
    assert time.monotonic() - started < 10
    assert process.exit_code == 0  # SIGTERM: the scheduler stopped, nothing killed
    assert store.integrity_check() == "ok" and store.count_articles() == 5


def test_a_dead_ingestion_process_is_started_again(settings, store, loopback, monkeypatch) -> None:
    monkeypatch.setattr(ingest, "RESTART_SECONDS", 0.2)
    process = IngestProcess(ingest_settings(settings, store, loopback))
    process.start()
    first = process._process.pid  # type: ignore[union-attr]

    async def kill_and_supervise() -> int | None:
        stop = asyncio.Event()
        supervisor = asyncio.create_task(process.supervise(stop))
        os.kill(first, signal.SIGKILL)  # type: ignore[arg-type]
        for _ in range(100):
            await asyncio.sleep(0.1)
            if process._process.pid != first:  # type: ignore[union-attr]
                break
        stop.set()
        await supervisor
        return process._process.pid  # type: ignore[union-attr]

    try:
        second = asyncio.run(kill_and_supervise())
        assert second != first and process.exit_code is None  # a new one, running
        assert wait_for(lambda: store.count_articles() == 5, 60)  # and it ingests
    finally:
        process.stop()
    assert process.exit_code == 0
