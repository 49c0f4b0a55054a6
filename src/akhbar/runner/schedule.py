"""When to check a source next: adaptive to its publishing rate, exponential backoff on errors."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta

from akhbar.config import Settings

# Look twice per expected gap between two items: a source that publishes every hour is checked every 30 min.
CHECKS_PER_ITEM_GAP = 2.0
# Rate estimates use at most this window of item dates; older items say little about today's rhythm.
RATE_WINDOW = timedelta(days=7)
JITTER = 0.1  # +-10% spreads sources that were added together


def items_per_day(dates: Iterable[datetime | None], now: datetime) -> float:
    """Estimate items per day from the publication dates of a feed's items (last seven days)."""
    recent = sorted(d for d in dates if d is not None and now - RATE_WINDOW <= d <= now)
    if len(recent) < 2:
        return float(len(recent)) / RATE_WINDOW.days
    span_days = max((now - recent[0]).total_seconds(), 3600.0) / 86400
    return len(recent) / span_days


def _jittered(seconds: float, rng: random.Random) -> float:
    return seconds * (1 + rng.uniform(-JITTER, JITTER))


def next_check_after_success(
    now: datetime,
    rate: float,
    settings: Settings,
    max_age: int | None = None,
    rng: random.Random | None = None,
) -> datetime:
    """Return the next check time after a good refresh: sooner for busy sources, bounded by the settings."""
    rng = rng or random.Random()
    lo, hi = float(settings.schedule_min_interval), float(settings.schedule_max_interval)
    interval = hi if rate <= 0 else 86400 / rate / CHECKS_PER_ITEM_GAP
    if max_age:
        interval = max(interval, float(max_age))  # the server told us its feed will not change before then
    return now + timedelta(seconds=_jittered(min(max(interval, lo), hi), rng))


def next_check_after_failure(
    now: datetime,
    failures: int,
    settings: Settings,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> datetime:
    """Return the next check time after a failed refresh: exponential backoff with jitter."""
    rng = rng or random.Random()
    lo, hi = float(settings.schedule_min_interval), float(settings.schedule_max_interval)
    backoff = min(lo * 2 ** max(failures - 1, 0), hi)
    wait = max(rng.uniform(backoff / 2, backoff), lo)
    if retry_after:
        wait = max(wait, min(retry_after, 7 * hi))
    return now + timedelta(seconds=wait)


def should_disable(failures: int, settings: Settings) -> bool:
    """Return True when a source has failed too many times in a row to keep trying."""
    return failures >= int(settings.schedule_max_failures)
