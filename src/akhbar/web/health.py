"""The operator's view of source health: status, times, errors and an items-per-day sparkline per source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from babel.dates import format_timedelta

from akhbar.models import Source
from akhbar.store import Store

DAYS = 14
# The sparkline's drawing box, in SVG user units: one bar per day, a 1-unit gap between bars.
BAR_W = 5
GAP = 1
HEIGHT = 24
LOCALE = "fr"


@dataclass(frozen=True)
class Bar:
    """One day of a sparkline: its rectangle and its tooltip."""

    x: int
    y: int
    height: int
    label: str


@dataclass(frozen=True)
class Sparkline:
    """Items per day over the last days, ready to draw as inline SVG."""

    bars: tuple[Bar, ...]
    total: int
    width: int
    height: int = HEIGHT
    bar_width: int = BAR_W

    @property
    def summary(self) -> str:
        """Return the text alternative of the chart."""
        return f"{self.total} articles en {len(self.bars)} jours"


@dataclass(frozen=True)
class SourceHealth:
    """One row of /admin/sources."""

    source: Source
    status: str  # ok, failing or disabled
    last_check: str
    next_check: str
    spark: Sparkline


def status_of(source: Source) -> str:
    """Return ok, failing or disabled for a source."""
    if not source.enabled:
        return "disabled"
    return "failing" if source.last_error or source.consecutive_failures else "ok"


def sparkline(counts: list[int], now: datetime) -> Sparkline:
    """Return the bars of a day-count series ending today (UTC); the tallest day fills the height."""
    peak = max(counts, default=0) or 1
    first = now.date() - timedelta(days=len(counts) - 1)
    bars = []
    for i, n in enumerate(counts):
        height = round(n * HEIGHT / peak) if n else 0
        height = max(height, 1)  # an empty day still shows a baseline tick
        label = f"{first + timedelta(days=i):%d/%m} : {n}"
        bars.append(Bar(i * (BAR_W + GAP), HEIGHT - height, height, label))
    return Sparkline(tuple(bars), sum(counts), max(len(counts) * (BAR_W + GAP) - GAP, 1))


def relative(when: datetime | None, now: datetime) -> str:
    """Return a time relative to now in French ("il y a 5 min", "dans 2 h"); a dash when unknown."""
    if when is None:
        return "—"
    return format_timedelta(when - now, add_direction=True, format="short", locale=LOCALE)


def exact(when: datetime | None) -> str:
    """Return a time in full, UTC (the title of a relative time)."""
    return "" if when is None else f"{when.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def health_rows(store: Store, now: datetime, days: int = DAYS) -> list[SourceHealth]:
    """Return the health of every source, by name, with its articles per day over the last days."""
    counts = store.daily_counts(days, now)
    rows = []
    for source in store.all_sources():
        status = status_of(source)
        rows.append(
            SourceHealth(
                source=source,
                status=status,
                last_check=relative(source.last_checked_at, now),
                next_check="—" if status == "disabled" else relative(source.next_check_at, now),
                spark=sparkline(counts.get(source.id, [0] * days), now),
            )
        )
    return rows
