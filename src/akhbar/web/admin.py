"""The operator's side under /admin: login, logout and the health of every source, behind a session."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from akhbar.store.accounts import Account
from akhbar.web import csrf, rendering
from akhbar.web.auth import WINDOW, LoginRefused, authenticate
from akhbar.web.deps import get_store
from akhbar.web.health import DAYS, health_rows
from akhbar.web.sessions import current_account, end_session, start_session

router = APIRouter(prefix="/admin")
csrf.install(rendering.TEMPLATES.env)
HOME = "/admin/sources"
MODERATION_HOME = "/admin/moderation"
# Who may open which page; the image moderation pages will let moderators in.
SOURCES_ROLES = ("admin",)
Csrf = Depends(csrf.require_csrf)


def page(request: Request, name: str, context: Mapping[str, Any], status_code: int = 200) -> Response:
    """Render an admin template (over base.html), never cached, with the CSRF cookie when just minted."""
    response = rendering.render(
        request, name, {"account": current_account(request), **context}, status_code=status_code
    )
    response.headers["cache-control"] = "private, no-store"
    return csrf.attach(request, response)


def safe_next(target: str) -> str:
    """Return where to go after login: an /admin path of this site only (no open redirect)."""
    if target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


def to_login(request: Request) -> RedirectResponse:
    """Send a visitor without a session to the login page, coming back here afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/admin/login?next={quote(here, safe='/')}", status_code=303)


def gate(request: Request, roles: tuple[str, ...]) -> Account | Response:
    """Return the logged-in account allowed here, else the response to send (login redirect or 403)."""
    account = current_account(request)
    if account is None:
        return to_login(request)
    if account.role not in roles:
        message = f"Votre compte ({account.role}) ne donne pas accès à cette page."
        return page(request, "admin/message.html", {"title": "Accès refusé", "message": message}, 403)
    return account


@router.get("", include_in_schema=False)
@router.get("/", include_in_schema=False)
def admin_home(request: Request) -> RedirectResponse:
    """Send an admin to the source health page, a moderator to the moderation queue."""
    return RedirectResponse(landing(current_account(request), HOME), status_code=303)


def landing(account: Account | None, target: str) -> str:
    """Return where to go after login: the asked page, except that moderators start at moderation."""
    if account is not None and account.role == "moderator" and target == HOME:
        return MODERATION_HOME
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = HOME) -> Response:
    """Show the login form (or go straight on when already logged in)."""
    if current_account(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "admin/login.html", {"next": safe_next(next), "error": "", "username": ""})


@router.post("/login", response_class=HTMLResponse, dependencies=[Csrf])
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = HOME,
) -> Response:
    """Check the credentials; open a session and go on, or show the form again with the reason."""
    host = request.client.host if request.client else ""
    try:
        account = authenticate(get_store(request), username, password, host, datetime.now(UTC))
    except LoginRefused as refused:
        context = {"next": safe_next(next), "error": refused.message, "username": username}
        refusal = page(request, "admin/login.html", context, refused.status)
        if refused.status == 429:
            refusal.headers["retry-after"] = str(int(WINDOW.total_seconds()))
        return refusal
    response = RedirectResponse(landing(account, safe_next(next)), status_code=303)
    start_session(request, response, account)
    return response


@router.post("/logout", dependencies=[Csrf])
def logout(request: Request) -> RedirectResponse:
    """Close the session and go back to the login page."""
    response = RedirectResponse("/admin/login", status_code=303)
    end_session(request, response)
    return response


@router.get("/sources", response_class=HTMLResponse)
def sources_health(request: Request) -> Response:
    """Show the health of every source with its items per day over the last two weeks."""
    allowed = gate(request, SOURCES_ROLES)
    if isinstance(allowed, Response):
        return allowed
    rows = health_rows(get_store(request), datetime.now(UTC))
    failing = sum(row.status == "failing" for row in rows)
    return page(request, "admin/sources.html", {"rows": rows, "days": DAYS, "failing": failing})


@router.post("/sources/{slug}/{action}", dependencies=[Csrf])
def source_action(request: Request, slug: str, action: str) -> Response:
    """Enable (checked at once) or disable a source, then show the health page again."""
    allowed = gate(request, SOURCES_ROLES)
    if isinstance(allowed, Response):
        return allowed
    store = get_store(request)
    source = store.source_by_slug(slug)
    if source is None or action not in ("enable", "disable"):
        message = f"Aucune source « {slug} » ou action inconnue « {action} »."
        return page(request, "admin/message.html", {"title": "Introuvable", "message": message}, 404)
    store.set_source_enabled(source.id, action == "enable", now=datetime.now(UTC))
    return RedirectResponse(f"{HOME}#source-{source.slug}", status_code=303)
