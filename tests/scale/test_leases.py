"""Scheduler leases: each due source goes to one claimer until its lease runs out, on both engines."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from akhbar.models import SourceSpec
from akhbar.store import Store

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def _store_with_sources(url: str, count: int) -> Store:
    store = Store.open(url)
    for i in range(count):
        store.add_source(SourceSpec(url=f"https://outlet-{i}.example/", name=f"Outlet {i}"))
    return store


def test_a_claimed_source_is_not_claimed_again_until_its_lease_ends(any_db: str) -> None:
    store = _store_with_sources(any_db, 3)
    first = store.claim_due_sources("a", now=NOW, seconds=60, limit=10)
    assert len(first) == 3
    assert store.claim_due_sources("b", now=NOW + timedelta(seconds=59), seconds=60, limit=10) == []
    assert store.leased_sources(NOW) == 3
    again = store.claim_due_sources("b", now=NOW + timedelta(seconds=61), seconds=60, limit=10)
    assert sorted(s.id for s in again) == sorted(s.id for s in first)
    store.close()


def test_only_the_holder_releases_a_lease(any_db: str) -> None:
    store = _store_with_sources(any_db, 1)
    [source] = store.claim_due_sources("holder", now=NOW, seconds=60, limit=1)
    assert store.release_lease(source.id, "someone-else") is False
    assert store.claim_due_sources("x", now=NOW, seconds=60, limit=1) == []
    assert store.release_lease(source.id, "holder") is True
    assert [s.id for s in store.claim_due_sources("x", now=NOW, seconds=60, limit=1)] == [source.id]
    store.close()


def test_sources_not_due_or_disabled_are_not_claimed(any_db: str) -> None:
    store = _store_with_sources(any_db, 3)
    a, b, c = store.all_sources()
    store.set_source_enabled(a.id, False, now=NOW)
    store.save_refresh(b.__class__(**{**b.__dict__, "next_check_at": NOW + timedelta(hours=1)}), [])
    claimed = store.claim_due_sources("t", now=NOW, seconds=60, limit=10)
    assert [s.id for s in claimed] == [c.id]
    store.close()


@pytest.mark.parametrize("claimers", [2, 6])
def test_concurrent_claimers_never_share_a_source(any_db: str, claimers: int) -> None:
    _store_with_sources(any_db, 120).close()
    stores = [Store.open(any_db) for _ in range(claimers)]
    taken: list[list[int]] = [[] for _ in range(claimers)]
    start = threading.Barrier(claimers)

    def claim(index: int) -> None:
        start.wait()
        while batch := stores[index].claim_due_sources(f"c{index}", now=NOW, seconds=600, limit=7):
            taken[index].extend(s.id for s in batch)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(claimers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for ids in taken for i in ids]
    assert len(everything) == len(set(everything)) == 120
    for store in stores:
        store.close()
