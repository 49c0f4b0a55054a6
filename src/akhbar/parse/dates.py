"""Turn the dates that feed engines hand back into timezone-aware UTC datetimes, and flag odd ones."""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

# A clock a little ahead at the publisher is common; only dates further ahead are treated as wrong.
FUTURE_TOLERANCE = timedelta(hours=1)


def to_utc(value: Any) -> datetime | None:
    """Return `value` (struct_time, 9-tuple, datetime or date string) as an aware UTC datetime, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, time.struct_time | tuple):
        return _from_tuple(tuple(value))
    if isinstance(value, str):
        return _from_string(value.strip())
    return None


def _aware(value: datetime) -> datetime:
    # A naive datetime from a feed has no zone; UTC is the only neutral reading.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _from_tuple(parts: tuple[Any, ...]) -> datetime | None:
    try:
        # feedparser hands back UTC struct_times; timegm reads them as UTC without touching the local zone.
        return datetime.fromtimestamp(calendar.timegm(parts[:6] + (0, 0, 0)), UTC)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _from_string(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return _aware(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return _aware(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def settle(
    published: datetime | None, updated: datetime | None, now: datetime
) -> tuple[datetime | None, str]:
    """Return the published date to store and its note: "" (as given), "missing" or "future" (clamped)."""
    if published is None:
        published = updated
    if published is None:
        return None, "missing"
    if published > now + FUTURE_TOLERANCE:
        return now, "future"
    return published, ""
