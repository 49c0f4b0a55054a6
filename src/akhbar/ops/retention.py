"""Retention: prune the bodies of articles older than retention_days (titles, links and stories stay)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from akhbar.store import Store

# Seconds between two retention passes of the scheduler: pruning is cheap when nothing is due.
PRUNE_EVERY = 3600.0


def cutoff(days: int, now: datetime | None = None) -> datetime | None:
    """Return the publication time before which bodies go, or None when retention is off (0 days)."""
    if days <= 0:
        return None
    return (now or datetime.now(UTC)) - timedelta(days=days)


def prune_bodies(store: Store, days: int, now: datetime | None = None, *, dry_run: bool = False) -> int:
    """Prune (or, dry, count) the bodies of articles published more than `days` days ago."""
    before = cutoff(days, now)
    if before is None:
        return 0
    return store.count_prunable_bodies(before) if dry_run else store.prune_article_bodies(before)
