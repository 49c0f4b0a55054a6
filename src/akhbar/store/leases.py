"""Scheduler leases: hand each due source to exactly one scheduler until its lease runs out.

PostgreSQL: the due rows are picked with `SELECT ... FOR UPDATE SKIP LOCKED`, so two schedulers running at
once each take different sources without waiting on each other. SQLite: the write transaction is already
exclusive (BEGIN IMMEDIATE); the conditional upsert (`... WHERE lease_until < now`) is the guard on both.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from akhbar.models import Source
from akhbar.store.sources import row_to_source
from akhbar.store.tables import source_leases, sources


def _insert(conn: Connection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _due_ids(conn: Connection, now: datetime, limit: int) -> list[int]:
    """Return the ids of enabled, due, unleased sources, never-checked first, then the longest overdue."""
    free = or_(source_leases.c.lease_until.is_(None), source_leases.c.lease_until < now)
    due = or_(sources.c.next_check_at.is_(None), sources.c.next_check_at <= now)
    query = (
        select(sources.c.id)
        .select_from(sources.outerjoin(source_leases, source_leases.c.source_id == sources.c.id))
        .where(sources.c.enabled.is_(True), due, free)
        .order_by(sources.c.next_check_at.asc().nulls_first(), sources.c.id)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(of=sources, skip_locked=True)
    return list(conn.execute(query).scalars())


def _take(conn: Connection, source_id: int, token: str, now: datetime, until: datetime) -> bool:
    """Write the lease unless someone else holds a live one; return whether it is ours."""
    insert = _insert(conn)(source_leases).values(source_id=source_id, token=token, lease_until=until)
    upsert = insert.on_conflict_do_update(
        index_elements=[source_leases.c.source_id],
        set_={"token": token, "lease_until": until},
        where=source_leases.c.lease_until < now,
    ).returning(source_leases.c.source_id)
    return conn.execute(upsert).first() is not None


def claim_due(conn: Connection, token: str, now: datetime, seconds: float, limit: int) -> list[Source]:
    """Lease up to limit due sources to token for some seconds and return them."""
    until = now + timedelta(seconds=seconds)
    taken = [i for i in _due_ids(conn, now, limit) if _take(conn, i, token, now, until)]
    if not taken:
        return []
    rows = conn.execute(select(sources).where(sources.c.id.in_(taken)).order_by(sources.c.id))
    return [row_to_source(row) for row in rows]


def release(conn: Connection, source_id: int, token: str) -> bool:
    """Drop a lease if token still holds it (a late worker must not free a newer claim)."""
    held = (source_leases.c.source_id == source_id) & (source_leases.c.token == token)
    query = delete(source_leases).where(held)
    return bool(conn.execute(query).rowcount)


def leased_count(conn: Connection, now: datetime) -> int:
    """Return how many sources are leased at now."""
    query = select(source_leases.c.source_id).where(source_leases.c.lease_until >= now)
    return len(conn.execute(query).all())
