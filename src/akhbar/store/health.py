"""Source health figures for the operator's view: articles per day per source."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from akhbar.store.tables import articles


def _day_of(conn: Connection) -> Any:
    """Return the SQL expression of an article's UTC publication day on this engine."""
    if conn.dialect.name == "postgresql":
        return func.date(func.timezone("UTC", articles.c.published_at))
    return func.date(articles.c.published_at)  # SQLite keeps naive UTC text: date() cuts the day off it


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def daily_counts(conn: Connection, days: int, now: datetime) -> dict[int, list[int]]:
    """Return, per source id, its articles per UTC publication day over the last days (oldest first)."""
    today = now.astimezone(UTC).date()
    first = today - timedelta(days=days - 1)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    day = _day_of(conn).label("day")
    query = (
        select(articles.c.source_id, day, func.count().label("n"))
        .where(articles.c.published_at >= start, articles.c.published_at < start + timedelta(days=days))
        .group_by(articles.c.source_id, day)
    )
    counts: dict[int, list[int]] = {}
    for source_id, day_value, n in conn.execute(query):
        index = (_as_date(day_value) - first).days
        if 0 <= index < days:
            counts.setdefault(int(source_id), [0] * days)[index] = int(n)
    return counts
