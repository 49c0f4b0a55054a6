"""Fault tests against the real PostgreSQL and a real redis-server: a scheduler and two workers (processes)
refresh a loopback wire of 200 sources; a worker is SIGKILLed, or the broker restarted, mid-run; at the end
every article of the wire is stored exactly once and none is missing."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from akhbar.demo import DemoWire, synthetic_outlets
from akhbar.models import SourceSpec
from akhbar.store import Store

pytestmark = pytest.mark.services

SOURCES, ITEMS = 200, 2
EXPECTED = SOURCES * ITEMS
# Short leases and visibility: a task lost with its worker or its broker is handed out again within seconds.
FAST = {
    "AKHBAR_LEASE_SECONDS": "12",
    "AKHBAR_BROKER_VISIBILITY_TIMEOUT": "12",
    "AKHBAR_SCHEDULE_TICK": "0.5",
    "AKHBAR_FETCH_TOTAL_TIMEOUT": "10",
}


@pytest.fixture(scope="module")
def wire() -> Iterator[DemoWire]:
    with DemoWire(synthetic_outlets(SOURCES, ITEMS, seed=6), single_port=True) as running:
        yield running


def _register(url: str, wire: DemoWire) -> set[str]:
    """Add every outlet with its feed URL; return the article URLs the wire serves."""
    store = Store.open(url)
    for spec, outlet in zip(wire.source_specs(), wire.outlets, strict=True):
        store.add_source(SourceSpec(url=spec.url, name=spec.name, language=spec.language,
                                    feed_url=wire.feed_url(outlet.slug)))
    store.close()
    return {a.slug for o in wire.outlets for a in o.articles}


def _counts(url: str) -> tuple[int, int, int]:
    """Return (articles, distinct canonical URLs, sources refreshed successfully)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        total, distinct = conn.execute(
            text("SELECT count(*), count(DISTINCT canonical_url) FROM articles")
        ).one()
        done = conn.execute(text("SELECT count(*) FROM sources WHERE last_success_at IS NOT NULL")).scalar()
    engine.dispose()
    return int(total), int(distinct), int(done or 0)


def _wait(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.25)


def _stored_slugs(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        urls = conn.execute(text("SELECT url FROM articles")).scalars().all()
    engine.dispose()
    return [u.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html") for u in urls]


def _check_everything_once(url: str, slugs: set[str], logs: str) -> None:
    def finished() -> bool:
        total, _, refreshed = _counts(url)
        return total >= EXPECTED and refreshed == SOURCES

    _wait(finished, 120, f"{EXPECTED} articles\n{logs}")
    time.sleep(1.0)  # let any redelivered task finish: it must not add a row
    total, distinct, done = _counts(url)
    assert (total, distinct, done) == (EXPECTED, EXPECTED, SOURCES)
    assert sorted(_stored_slugs(url)) == sorted(slugs)


def test_a_worker_killed_mid_run_loses_nothing(
    pg_url: str, redis_server: Any, processes: Any, helpers: Any, wire: DemoWire
) -> None:
    slugs = _register(pg_url, wire)
    processes.env = helpers.env(pg_url, redis_server.url, **FAST)
    processes.start("worker-1", "worker", "--concurrency", "2")
    processes.start("worker-2", "worker", "--concurrency", "2")
    processes.start("scheduler", "scheduler")
    _wait(lambda: _counts(pg_url)[0] >= 40, 90, "the first articles\n" + processes.log("worker-1"))
    processes.kill("worker-1")  # SIGKILL to the worker and its pool processes, mid-task
    assert _counts(pg_url)[0] < EXPECTED, "the run ended before the kill: make the wire bigger"
    processes.start("worker-1b", "worker", "--concurrency", "2")
    _check_everything_once(pg_url, slugs, processes.log("scheduler") + processes.log("worker-2"))


def test_a_broker_restarted_mid_run_loses_nothing(
    pg_url: str, redis_server: Any, processes: Any, helpers: Any, wire: DemoWire
) -> None:
    slugs = _register(pg_url, wire)
    processes.env = helpers.env(pg_url, redis_server.url, **FAST)
    processes.start("worker-1", "worker", "--concurrency", "2")
    processes.start("worker-2", "worker", "--concurrency", "2")
    processes.start("scheduler", "scheduler")
    _wait(lambda: _counts(pg_url)[0] >= 40, 90, "the first articles\n" + processes.log("worker-1"))
    redis_server.stop()  # every queued message is lost: the leases bring the sources back
    assert _counts(pg_url)[0] < EXPECTED, "the run ended before the restart: make the wire bigger"
    time.sleep(2.0)
    redis_server.start()
    _check_everything_once(pg_url, slugs, processes.log("scheduler") + processes.log("worker-2"))
