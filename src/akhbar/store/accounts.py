"""Queries on operator accounts, login sessions and failed logins; each takes an open connection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select, update

from akhbar.store.errors import StoreError
from akhbar.store.tables import accounts, login_failures, login_sessions

ROLES = ("admin", "moderator")


@dataclass(frozen=True)
class Account:
    """An operator who can log in to /admin: a name, an argon2 hash and a role."""

    id: int
    username: str
    password_hash: str
    role: str
    created_at: datetime
    last_login_at: datetime | None = None


def _account(row: Row[Any]) -> Account:
    return Account(**{column.name: getattr(row, column.name) for column in accounts.columns})


def insert_account(conn: Connection, username: str, password_hash: str, role: str, now: datetime) -> Account:
    """Insert a new account; refuse a taken name or an unknown role."""
    if role not in ROLES:
        raise StoreError(f"store: unknown role {role!r} (use {' or '.join(ROLES)})")
    if account_where(conn, accounts.c.username == username) is not None:
        raise StoreError(f"store: an account named {username!r} already exists")
    values = {"username": username, "password_hash": password_hash, "role": role, "created_at": now}
    new_id = conn.execute(accounts.insert().values(**values).returning(accounts.c.id)).scalar_one()
    found = account_where(conn, accounts.c.id == new_id)
    assert found is not None  # just inserted in this transaction
    return found


def by_name(username: str) -> Any:
    """Return the condition selecting an account by name."""
    return accounts.c.username == username


def account_where(conn: Connection, *conditions: Any) -> Account | None:
    """Return the first account matching the conditions."""
    row = conn.execute(select(accounts).where(*conditions).limit(1)).first()
    return _account(row) if row else None


def all_accounts(conn: Connection) -> list[Account]:
    """Return every account, by name."""
    return [_account(row) for row in conn.execute(select(accounts).order_by(accounts.c.username))]


def set_password_hash(conn: Connection, account_id: int, password_hash: str) -> bool:
    """Replace an account's password hash; return False when the account is unknown."""
    result = conn.execute(
        update(accounts).where(accounts.c.id == account_id).values(password_hash=password_hash)
    )
    return bool(result.rowcount)


def insert_session(
    conn: Connection, token_hash: str, account_id: int, now: datetime, expires_at: datetime
) -> None:
    """Store a new login session, note the login time and drop the expired sessions on the way."""
    conn.execute(delete(login_sessions).where(login_sessions.c.expires_at <= now))
    conn.execute(
        login_sessions.insert().values(
            id=token_hash, account_id=account_id, created_at=now, expires_at=expires_at
        )
    )
    conn.execute(update(accounts).where(accounts.c.id == account_id).values(last_login_at=now))


def session_account(conn: Connection, token_hash: str, now: datetime) -> Account | None:
    """Return the account of a live session (None when unknown or expired)."""
    query = (
        select(accounts)
        .join(login_sessions, login_sessions.c.account_id == accounts.c.id)
        .where(login_sessions.c.id == token_hash, login_sessions.c.expires_at > now)
    )
    row = conn.execute(query).first()
    return _account(row) if row else None


def delete_session(conn: Connection, token_hash: str) -> None:
    """Forget one login session."""
    conn.execute(delete(login_sessions).where(login_sessions.c.id == token_hash))


def insert_failure(conn: Connection, username: str, network: str, now: datetime) -> None:
    """Record one failed login for a name and a client network."""
    conn.execute(login_failures.insert().values(username=username, network=network, failed_at=now))


def failures_since(conn: Connection, username: str, network: str, since: datetime) -> tuple[int, int]:
    """Return the failed logins since a time: (for this name, from this network)."""

    def count(*conditions: Any) -> int:
        query = select(func.count()).select_from(login_failures).where(*conditions)
        return int(conn.execute(query).scalar_one())

    recent = login_failures.c.failed_at > since
    by_account = count(recent, login_failures.c.username == username)
    return by_account, count(recent, login_failures.c.network == network)


def clear_failures(conn: Connection, username: str, before: datetime) -> None:
    """Forget a name's failed logins (after a success) and everyone's older than before."""
    conn.execute(delete(login_failures).where(login_failures.c.username == username))
    conn.execute(delete(login_failures).where(login_failures.c.failed_at <= before))
