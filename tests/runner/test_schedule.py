"""The scheduling policy: adaptive intervals, backoff with jitter, disabling after repeated failures."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from akhbar.runner.schedule import (
    items_per_day,
    next_check_after_failure,
    next_check_after_success,
    should_disable,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def seconds_until(when: datetime) -> float:
    return (when - NOW).total_seconds()


@pytest.mark.parametrize(
    ("per_day", "low", "high"), [(0, 19440, 23760), (2, 19440, 23760), (48, 810, 990), (10_000, 270, 330)]
)
def test_interval_adapts_to_rate_within_bounds(settings, per_day, low, high):
    wait = seconds_until(next_check_after_success(NOW, per_day, settings, rng=random.Random(1)))
    assert low <= wait <= high


def test_max_age_delays_the_next_check(settings):
    wait = seconds_until(next_check_after_success(NOW, 10_000, settings, max_age=3600, rng=random.Random(1)))
    assert 3240 <= wait <= 3960


def test_rate_from_item_dates():
    dates = [NOW - timedelta(hours=h) for h in range(24)]
    assert 22 <= items_per_day(dates + [None], NOW) <= 26
    assert items_per_day([], NOW) == 0


def test_backoff_grows_and_is_capped(settings):
    rng = random.Random(3)
    waits = [seconds_until(next_check_after_failure(NOW, n, settings, rng=rng)) for n in range(1, 12)]
    assert waits[0] <= 300 and waits[5] > waits[0] and max(waits) <= 21600


def test_retry_after_is_honoured(settings):
    assert seconds_until(next_check_after_failure(NOW, 1, settings, retry_after=7200)) >= 7200


def test_disabled_after_ten_failures(settings):
    assert not should_disable(9, settings) and should_disable(10, settings)
