"""Passwords (argon2) and logins, with failed attempts rate-limited per account and per client network."""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from akhbar.store import Store
from akhbar.store.accounts import Account

HASHER = PasswordHasher()
MIN_PASSWORD = 10
USERNAME = re.compile(r"^[\w.@-]{1,80}$")
# 5 failures per account in 15 minutes, as the issue suggests; a network gets more room because a newsroom
# or a mobile carrier puts many people behind one address block.
WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
NETWORK_LIMIT = 20


class LoginRefused(Exception):
    """A login did not succeed; status is 401 (wrong credentials) or 429 (too many failures)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def normalize_username(name: str) -> str:
    """Return the stored form of a user name (trimmed, case-folded)."""
    return name.strip().casefold()


def check_new_credentials(username: str, password: str) -> None:
    """Refuse a user name or a password that cannot make a new account (ValueError with one line)."""
    if not USERNAME.match(username):
        raise ValueError("a user name is 1 to 80 letters, digits or . _ @ - (no spaces)")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password must have at least {MIN_PASSWORD} characters")


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Return True when the password matches the hash."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):  # VerifyMismatchError is a VerificationError
        return False


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return hash_password("not the password of anyone")


def client_network(host: str) -> str:
    """Return the network a client address counts in: its /24 (IPv4) or /64 (IPv6)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:64] or "unknown"
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def authenticate(store: Store, username: str, password: str, host: str, now: datetime) -> Account:
    """Return the account these credentials open, or raise LoginRefused (429 past the failure limits)."""
    name, network = normalize_username(username)[:80], client_network(host)
    by_account, by_network = store.login_failures_since(name, network, now - WINDOW)
    if by_account >= ACCOUNT_LIMIT or by_network >= NETWORK_LIMIT:
        minutes = int(WINDOW.total_seconds() // 60)
        raise LoginRefused(429, f"Trop de tentatives de connexion : réessayez dans {minutes} minutes.")
    account = store.account_by_username(name) if name else None
    # An unknown name costs the same hash as a known one, so timing does not tell which names exist.
    matched = verify_password(account.password_hash if account else _decoy_hash(), password)
    if account is None or not matched:
        store.record_login_failure(name, network, now=now)
        raise LoginRefused(401, "Nom d'utilisateur ou mot de passe incorrect.")
    store.clear_login_failures(name, before=now - WINDOW)
    if HASHER.check_needs_rehash(account.password_hash):  # the hasher's parameters were raised since
        store.set_password_hash(account.id, hash_password(password))
    return account
