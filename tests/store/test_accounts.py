"""Operator accounts, login sessions, failed logins and per-day article counts, on every engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from akhbar.models import Article, SourceSpec
from akhbar.store import Store, StoreError

NOW = datetime(2026, 11, 29, 10, 30, tzinfo=UTC)


def test_accounts_are_created_read_and_listed(store: Store) -> None:
    made = store.create_account("alice", "$argon2id$x", "admin", now=NOW)
    store.create_account("mona", "$argon2id$y", "moderator", now=NOW)
    found = store.account_by_username("alice")
    assert found == made
    assert (found.role, found.created_at, found.last_login_at) == ("admin", NOW, None)
    assert [a.username for a in store.all_accounts()] == ["alice", "mona"]
    assert store.account_by_username("nobody") is None


@pytest.mark.parametrize(
    "name, role, message",
    [("alice", "admin", "already exists"), ("bob", "king", "unknown role 'king'")],
)
def test_bad_accounts_are_refused(store: Store, name: str, role: str, message: str) -> None:
    store.create_account("alice", "h", "admin", now=NOW)
    with pytest.raises(StoreError, match=message):
        store.create_account(name, "h", role, now=NOW)


def test_sessions_live_until_they_expire_or_are_deleted(store: Store) -> None:
    alice = store.create_account("alice", "h", "admin", now=NOW)
    store.create_session("a" * 64, alice.id, now=NOW, expires_at=NOW + timedelta(hours=1))
    assert store.session_account("a" * 64, now=NOW).username == "alice"
    assert store.account_by_username("alice").last_login_at == NOW
    assert store.session_account("a" * 64, now=NOW + timedelta(hours=2)) is None
    store.delete_session("a" * 64)
    assert store.session_account("a" * 64, now=NOW) is None


def test_a_new_session_sweeps_the_expired_ones(store: Store) -> None:
    alice = store.create_account("alice", "h", "admin", now=NOW)
    store.create_session("old", alice.id, now=NOW - timedelta(days=2), expires_at=NOW - timedelta(days=1))
    store.create_session("new", alice.id, now=NOW, expires_at=NOW + timedelta(hours=1))
    with store.engine.connect() as conn:
        from akhbar.store.tables import login_sessions

        ids = set(conn.execute(login_sessions.select().with_only_columns(login_sessions.c.id)).scalars())
    assert ids == {"new"}


def test_set_password_hash(store: Store) -> None:
    alice = store.create_account("alice", "old", "admin", now=NOW)
    store.set_password_hash(alice.id, "new")
    assert store.account_by_username("alice").password_hash == "new"
    with pytest.raises(StoreError, match="no such account"):
        store.set_password_hash(alice.id + 99, "x")


def test_failed_logins_are_counted_per_name_and_per_network(store: Store) -> None:
    for minutes in (1, 2, 30):
        store.record_login_failure("alice", "203.0.113.0/24", now=NOW - timedelta(minutes=minutes))
    store.record_login_failure("bob", "203.0.113.0/24", now=NOW)
    since = NOW - timedelta(minutes=15)
    assert store.login_failures_since("alice", "198.51.100.0/24", since) == (2, 0)
    assert store.login_failures_since("carol", "203.0.113.0/24", since) == (0, 3)
    store.clear_login_failures("alice", before=since)
    assert store.login_failures_since("alice", "203.0.113.0/24", NOW - timedelta(days=1)) == (0, 1)


def test_daily_counts_bucket_articles_by_utc_publication_day(store: Store) -> None:
    one = store.add_source(SourceSpec(url="https://one.example/", name="One"))
    two = store.add_source(SourceSpec(url="https://two.example/", name="Two"))
    published = [
        (one, [NOW, NOW - timedelta(hours=10), NOW - timedelta(days=1), NOW - timedelta(days=13, hours=10)]),
        (two, [NOW - timedelta(days=2), NOW - timedelta(days=20), None]),
    ]
    for source, times in published:
        batch = [
            Article(
                source_id=source.id,
                guid=f"{source.slug}{i}",
                url=f"{source.url}{i}",
                canonical_url=f"{source.url}{i}",
                title=f"t{i}",
                published_at=when,
                fetched_at=NOW,
            )
            for i, when in enumerate(times)
        ]
        store.save_refresh(source, batch)
    counts = store.daily_counts(14, NOW)
    # NOW - 10 h is 00:30 the same day; NOW - 13 days 10 h falls on the first day of the window.
    assert counts[one.id] == [1] + [0] * 11 + [1, 2]
    assert counts[two.id] == [0] * 11 + [1, 0, 0]
    assert store.daily_counts(1, NOW) == {one.id: [2]}
