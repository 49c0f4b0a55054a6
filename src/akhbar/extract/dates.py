"""Publication dates: parse, vet for plausibility, and fall back to htmldate."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from lxml.html import HtmlElement

LOG = logging.getLogger(__name__)

# The web's news sites start in the mid-1990s; anything older is a parsing accident or a placeholder.
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
# Clocks disagree a little; a date a few minutes ahead is a skewed clock, not a scheduled article.
FUTURE_SLACK = timedelta(minutes=10)


def utc_now() -> datetime:
    """Return the current time, timezone-aware UTC."""
    return datetime.now(UTC)


def plausible(value: datetime, now: datetime | None = None) -> bool:
    """Return True when value lies between 1995 and now (with a little clock slack)."""
    return EARLIEST <= value <= (now or utc_now()) + FUTURE_SLACK


def parse_date(raw: object, now: datetime | None = None) -> datetime | None:
    """Return raw (ISO 8601 or RFC 2822 text) as a plausible UTC datetime, else None."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    value = _from_iso(text) or _from_rfc2822(text)
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # a zone-less date is read as UTC, the least surprising guess
    value = value.astimezone(UTC)
    return value if plausible(value, now) else None


def _from_iso(text: str) -> datetime | None:
    """Return text parsed as ISO 8601, else None."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    # Some sites write "2025-03-14T09:30:00.000+0100" or a trailing zone name; try the leading part.
    try:
        return datetime.fromisoformat(text[:19])
    except ValueError:
        return None


def _from_rfc2822(text: str) -> datetime | None:
    """Return text parsed as an RFC 2822 date, else None."""
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def date_from_page(tree: HtmlElement, url: str, now: datetime | None = None) -> datetime | None:
    """Return htmldate's guess of the publication date (fast mode, no network), else None."""
    from htmldate import find_date  # imported late: it pulls in a large module graph

    now = now or utc_now()
    try:
        # A tree (never a URL string) is passed, so htmldate cannot fetch anything.
        found = find_date(
            tree,
            extensive_search=False,
            original_date=True,
            outputformat="%Y-%m-%d",
            url=url or None,
            min_date=EARLIEST.replace(tzinfo=None),
            max_date=now.replace(tzinfo=None),
        )
    except Exception as exc:  # htmldate is heuristic code; a failure only means "no date"
        LOG.debug("extract: htmldate failed on %s: %s", url, exc)
        return None
    return parse_date(found, now) if found else None
