"""Worker task bodies and the scheduler's hand-out, without a broker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from akhbar.config import Settings
from akhbar.demo import DemoWire, synthetic_outlets
from akhbar.models import SourceSpec
from akhbar.runner import distributed
from akhbar.runner.celery_app import REFRESH_SOURCE, celery_config
from akhbar.store import Store


@pytest.fixture
def wire() -> Iterator[DemoWire]:
    with DemoWire(synthetic_outlets(4, 3), single_port=True) as running:
        yield running


@pytest.fixture
def worker_store(settings: Settings, any_db: str) -> Iterator[Store]:
    """Configure the task bodies as a worker would, on a fresh database."""
    distributed._STATE.settings = settings.replace(database_url=any_db)
    distributed._STATE.store = None
    store = distributed._store()
    yield store
    store.close()
    distributed._STATE.store = None


def _add_wire(store: Store, wire: DemoWire) -> list[int]:
    specs = [SourceSpec(url=s.url, name=s.name, language=s.language) for s in wire.source_specs()]
    return [store.add_source(SourceSpec(**{**s.__dict__, "feed_url": wire.feed_url(o.slug)})).id
            for s, o in zip(specs, wire.outlets, strict=True)]


def test_refresh_task_is_idempotent_and_frees_its_lease(worker_store: Store, wire: DemoWire) -> None:
    ids = _add_wire(worker_store, wire)
    now = datetime.now(UTC)
    claimed = worker_store.claim_due_sources("tok", now=now, seconds=600, limit=10)
    assert len(claimed) == 4
    reports = [distributed.refresh_task(i, "tok") for i in ids]
    assert [r["new"] for r in reports] == [3, 3, 3, 3]
    assert worker_store.leased_sources(now) == 0
    again = [distributed.refresh_task(i) for i in ids]  # a redelivered task: nothing new, nothing doubled
    assert all(r["new"] == 0 for r in again)
    assert worker_store.count_articles() == 12


def test_extract_and_enrich_tasks_update_an_article_in_place(worker_store: Store, wire: DemoWire) -> None:
    ids = _add_wire(worker_store, wire)
    distributed.refresh_task(ids[0])
    [article] = worker_store.latest_headlines(1)
    assert distributed.extract_task(article.id)["chars"] > 0
    enriched = distributed.enrich_task(article.id)
    assert enriched["language"] == wire.outlets[0].language
    assert worker_store.count_articles() == 12 // 4
    assert distributed.extract_task(10**9) == {"article_id": 10**9, "skipped": True}


class FakeCelery:
    """Records sent tasks; can refuse them as a broker that is down."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.sent: list[tuple[str, list[Any]]] = []
        self.fail_after = fail_after

    def send_task(self, name: str, args: list[Any], queue: str) -> None:
        if self.fail_after is not None and len(self.sent) >= self.fail_after:
            raise ConnectionError("broker down")
        self.sent.append((name, args))


def test_schedule_once_sends_each_due_source_once(settings: Settings, any_db: str) -> None:
    store = Store.open(any_db)
    for i in range(5):
        store.add_source(SourceSpec(url=f"https://o{i}.example/", name=f"O{i}"))
    celery = FakeCelery()
    assert distributed.schedule_once(store, celery, settings) == 5
    assert distributed.schedule_once(store, celery, settings) == 0
    assert {args[0] for _, args in celery.sent} == {s.id for s in store.all_sources()}
    assert {name for name, _ in celery.sent} == {REFRESH_SOURCE}
    store.close()


def test_a_refused_send_hands_the_sources_back(settings: Settings, any_db: str) -> None:
    store = Store.open(any_db)
    for i in range(5):
        store.add_source(SourceSpec(url=f"https://o{i}.example/", name=f"O{i}"))
    assert distributed.schedule_once(store, FakeCelery(fail_after=2), settings) == 2
    assert store.leased_sources(datetime.now(UTC) + timedelta(seconds=1)) == 2
    retry = FakeCelery()
    assert distributed.schedule_once(store, retry, settings) == 3
    store.close()


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies(settings: Settings) -> None:
    config = celery_config(settings)
    assert config["task_acks_late"] and config["task_reject_on_worker_lost"]
    assert config["worker_prefetch_multiplier"] == 1


def test_fetch_image_task_caches_an_article_image(worker_store: Store, wire: DemoWire) -> None:
    ids = _add_wire(worker_store, wire)
    distributed.refresh_task(ids[0])
    image = next(a.image for a in worker_store.latest_headlines(10) if a.image)
    assert distributed.fetch_image_task(image) == {"url": image, "state": "ok"}
