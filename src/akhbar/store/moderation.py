"""Queries on image reports, reporters' standing and the moderation audit log (each takes a connection)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select, update

from akhbar.moderation.policy import Policy, Tally, crosses, weight
from akhbar.store import images as img
from akhbar.store.images import ImageRecord
from akhbar.store.tables import image_reports, images, moderation_audit, reporter_standing

# States an image may leave for "blocked" on its own; blocked and confirmed ones stay as they are.
AUTO_BLOCKABLE = frozenset({"pending", "ok", "failed"})
ACTIONS = ("confirm", "restore", "reject", "block")
ARTICLES_SHOWN = 10


@dataclass(frozen=True)
class ReportOutcome:
    """What became of one report: recorded, repeat, rate_limited or unknown (no such image)."""

    status: str
    state: str = ""  # the image's state after the report
    tally: Tally = Tally()


@dataclass(frozen=True)
class ReportedImage:
    """An image on the moderation page: its state, its open reports' tally and the articles showing it."""

    image: ImageRecord
    tally: Tally
    total_reports: int
    first_report_at: datetime | None
    last_report_at: datetime | None
    article_ids: list[int]


@dataclass(frozen=True)
class AuditEntry:
    """One moderator action: who did what to which target, when and why."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    target_id: int
    reason: str
    detail: str


def lock_image(conn: Connection, image_id: int) -> ImageRecord | None:
    """Return an image row locked for this transaction (SQLite's BEGIN IMMEDIATE already serialises)."""
    row = conn.execute(select(images).where(images.c.id == image_id).with_for_update()).first()
    return img.image_where(conn, images.c.id == image_id) if row is not None else None


def tally(conn: Connection, image_ids: Iterable[int]) -> Tally:
    """Return the distinct reporters, networks and summed weight of the open reports of these images."""
    query = (
        select(image_reports.c.reporter, image_reports.c.network, reporter_standing.c.rejections)
        .outerjoin(reporter_standing, reporter_standing.c.reporter == image_reports.c.reporter)
        .where(image_reports.c.image_id.in_(list(image_ids)), image_reports.c.status == "open")
    )
    standing: dict[str, int] = {}
    networks: set[str] = set()
    for row in conn.execute(query):
        standing[row.reporter] = row.rejections or 0
        networks.add(row.network)
    return Tally(len(standing), len(networks), sum(weight(n) for n in standing.values()))


def recent_reports(conn: Connection, since: datetime, *, reporter: str, network: str) -> tuple[int, int]:
    """Return how many reports this reporter, and this network, made since a time."""
    count = select(func.count()).select_from(image_reports).where(image_reports.c.reported_at >= since)
    by_reporter = conn.execute(count.where(image_reports.c.reporter == reporter)).scalar_one()
    by_network = conn.execute(count.where(image_reports.c.network == network)).scalar_one()
    return int(by_reporter), int(by_network)


def same_bytes_ids(conn: Connection, image: ImageRecord) -> list[int]:
    """Return the ids of an image and of every image with the same bytes."""
    if not image.sha256:
        return [image.id]
    return list(conn.execute(select(images.c.id).where(images.c.sha256 == image.sha256)).scalars())


def _existing(conn: Connection, image_id: int, reporter: str) -> bool:
    query = select(image_reports.c.id).where(
        image_reports.c.image_id == image_id, image_reports.c.reporter == reporter
    )
    return conn.execute(query).first() is not None


def _protected(image: ImageRecord, now: datetime) -> bool:
    return image.protected_until is not None and image.protected_until > now


def record_report(
    conn: Connection,
    image_id: int,
    reporter: str,
    network: str,
    now: datetime,
    policy: Policy,
    moderator: str,
) -> ReportOutcome:
    """Record one reader's report and block the image when it crosses the threshold, in this transaction."""
    image = lock_image(conn, image_id)
    if image is None:
        return ReportOutcome("unknown")
    repeat = _existing(conn, image_id, reporter)
    if repeat and not moderator:
        return ReportOutcome("repeat", image.state, tally(conn, same_bytes_ids(conn, image)))
    if not repeat and not moderator:
        by_reporter, by_network = recent_reports(
            conn, now - policy.window, reporter=reporter, network=network
        )
        if max(by_reporter, by_network) >= policy.rate_limit:
            return ReportOutcome("rate_limited", image.state)
    if repeat:
        where = and_(image_reports.c.image_id == image_id, image_reports.c.reporter == reporter)
        conn.execute(update(image_reports).where(where).values(by_moderator=True, status="open"))
    else:
        values = {"image_id": image_id, "reporter": reporter, "network": network, "reported_at": now}
        conn.execute(image_reports.insert().values(**values, by_moderator=bool(moderator)))
    counted = tally(conn, same_bytes_ids(conn, image))
    state = image.state
    automatic = state in AUTO_BLOCKABLE and not _protected(image, now) and crosses(counted, policy)
    if (moderator and state not in img.HIDDEN_STATES) or automatic:
        img.set_state(conn, image_id, "blocked", None)
        state = "blocked"
    if moderator:
        write_audit(conn, now, moderator, "report", "image", image_id, "", f"state {image.state} -> {state}")
    return ReportOutcome("recorded", state, counted)


def write_audit(
    conn: Connection,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    target_id: int,
    reason: str,
    detail: str,
) -> None:
    """Append one entry to the audit log."""
    values = {"at": at, "actor": actor, "action": action, "target": target, "target_id": target_id}
    conn.execute(moderation_audit.insert().values(**values, reason=reason[:2000], detail=detail[:2000]))


def _set_reports(conn: Connection, image_ids: list[int], status: str) -> list[str]:
    """Move the open reports of these images to a status; return their (non-moderator) reporters."""
    where = and_(image_reports.c.image_id.in_(image_ids), image_reports.c.status == "open")
    reporters = conn.execute(
        select(image_reports.c.reporter).distinct().where(where, image_reports.c.by_moderator.is_(False))
    ).scalars()
    found = list(reporters)
    conn.execute(update(image_reports).where(where).values(status=status))
    return found


def lower_standing(conn: Connection, reporters: list[str], now: datetime) -> None:
    """Count one more rejected report against each of these reporters."""
    for reporter in reporters:
        changed = conn.execute(
            update(reporter_standing)
            .where(reporter_standing.c.reporter == reporter)
            .values(rejections=reporter_standing.c.rejections + 1, updated_at=now)
        ).rowcount
        if not changed:
            conn.execute(reporter_standing.insert().values(reporter=reporter, rejections=1, updated_at=now))


def moderate(
    conn: Connection, image_id: int, action: str, *, actor: str, reason: str, now: datetime, policy: Policy
) -> str | None:
    """Apply a moderator's action to an image (and its copies) and audit it; return the new state."""
    image = lock_image(conn, image_id)
    if image is None:
        return None
    ids = same_bytes_ids(conn, image)
    detail = f"state {image.state}"
    if action == "confirm":
        img.set_state(conn, image_id, "confirmed", None)
        state = "confirmed"
    elif action in ("restore", "reject"):
        until = now + policy.protection
        img.set_state(conn, image_id, "ok", until)
        state = "ok"
        reporters = _set_reports(conn, ids, "rejected" if action == "reject" else "cleared")
        if action == "reject":
            lower_standing(conn, reporters, now)
        detail += f"; {len(reporters)} report(s) {'rejected' if action == 'reject' else 'cleared'}"
        detail += f"; protected until {until.isoformat(timespec='seconds')}"
    elif action == "block":
        state = image.state if image.state == "confirmed" else "blocked"
        img.set_state(conn, image_id, state, None)
    else:
        raise ValueError(f"unknown moderation action {action!r} (use one of {', '.join(ACTIONS)})")
    write_audit(conn, now, actor, action, "image", image_id, reason, f"{detail} -> {state}")
    return state


def block_all(
    conn: Connection,
    targets: list[ImageRecord],
    *,
    actor: str,
    target: str,
    target_id: int,
    reason: str,
    now: datetime,
) -> int:
    """Block every image of an article or a source (confirmed ones stay so), audit it; return how many."""
    changed = [image.id for image in targets if image.state not in img.HIDDEN_STATES]
    for image_id in changed:
        img.set_state(conn, image_id, "blocked", None)
    shown = ", ".join(str(i) for i in changed[:50]) + (" ..." if len(changed) > 50 else "")
    detail = f"{len(changed)} image(s) blocked of {len(targets)}" + (f": {shown}" if changed else "")
    write_audit(conn, now, actor, "block_all", target, target_id, reason, detail)
    return len(changed)


def _report_summary(conn: Connection, limit: int) -> list[Any]:
    """Return (image_id, total, first, last) of the images with reports, most recently reported first."""
    query = (
        select(
            image_reports.c.image_id,
            func.count().label("total"),
            func.min(image_reports.c.reported_at).label("first_at"),
            func.max(image_reports.c.reported_at).label("last_at"),
        )
        .group_by(image_reports.c.image_id)
        .order_by(func.max(image_reports.c.reported_at).desc(), image_reports.c.image_id.desc())
        .limit(limit)
    )
    return list(conn.execute(query))


def reported_images(conn: Connection, limit: int) -> list[ReportedImage]:
    """Return the reported images (latest reports first), then blocked ones nobody reported."""
    result: list[ReportedImage] = []
    for row in _report_summary(conn, limit):
        image = img.image_where(conn, images.c.id == row.image_id)
        if image is None:
            continue
        ids = same_bytes_ids(conn, image)
        articles = img.article_ids_of_image(conn, image.id)[:ARTICLES_SHOWN]
        result.append(ReportedImage(image, tally(conn, ids), row.total, row.first_at, row.last_at, articles))
    seen = {entry.image.id for entry in result}
    blocked = select(images).where(images.c.state.in_(img.HIDDEN_STATES)).order_by(images.c.id.desc())
    for row in conn.execute(blocked.limit(limit)):
        if row.id not in seen and len(result) < limit:
            image = img.image_where(conn, images.c.id == row.id)
            assert image is not None
            articles = img.article_ids_of_image(conn, image.id)[:ARTICLES_SHOWN]
            result.append(ReportedImage(image, Tally(), 0, None, None, articles))
    return result


def audit_entries(conn: Connection, limit: int, before: int | None = None) -> list[AuditEntry]:
    """Return audit entries, newest first, older than the id before when given."""
    query = select(moderation_audit).order_by(moderation_audit.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(moderation_audit.c.id < before)
    return [
        AuditEntry(**{c.name: getattr(row, c.name) for c in moderation_audit.columns})
        for row in conn.execute(query)
    ]


def reporter_rejections(conn: Connection, reporter: str) -> int:
    """Return how many of a reporter's reports moderators rejected."""
    query = select(reporter_standing.c.rejections).where(reporter_standing.c.reporter == reporter)
    return int(conn.execute(query).scalar() or 0)
