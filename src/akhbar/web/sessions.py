"""Operators' login sessions: a random token in an HttpOnly cookie, its hash stored in the database."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from fastapi import Request, Response

from akhbar.config import Settings
from akhbar.store.accounts import Account
from akhbar.web.deps import get_settings, get_store

COOKIE = "akhbar_session"
# The session cookie only travels to the operator's pages, never with reader pages or the API.
COOKIE_PATH = "/admin"
TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    """Return the stored form of a session token (a leaked table gives no usable cookie)."""
    return hashlib.sha256(token.encode()).hexdigest()


def secure_cookies(settings: Settings) -> bool:
    """Return True when the portal is served over https, so cookies must say Secure."""
    return str(settings.base_url).lower().startswith("https://")


def start_session(request: Request, response: Response, account: Account) -> None:
    """Open a session for an account and set its cookie on the response."""
    settings = get_settings(request)
    max_age = int(settings.session_max_age)
    now = datetime.now(UTC)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    get_store(request).create_session(
        token_hash(token), account.id, now=now, expires_at=now + timedelta(seconds=max_age)
    )
    response.set_cookie(
        COOKIE,
        token,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(settings),
    )


def current_account(request: Request) -> Account | None:
    """Return the account logged in on this request (None when no live session)."""
    if not hasattr(request.state, "account"):  # looked up once, remembered for the rest of the request
        token = request.cookies.get(COOKIE, "")
        account = None
        if token:
            account = get_store(request).session_account(token_hash(token), now=datetime.now(UTC))
        request.state.account = account
    found: Account | None = request.state.account
    return found


def end_session(request: Request, response: Response) -> None:
    """Forget the request's session in the database and clear its cookie."""
    token = request.cookies.get(COOKIE, "")
    if token:
        get_store(request).delete_session(token_hash(token))
    response.delete_cookie(
        COOKIE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(get_settings(request)),
    )
