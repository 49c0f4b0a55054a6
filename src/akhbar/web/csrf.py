"""CSRF tokens for every form: a signed double-submit cookie, bound to the login session when there is one.

A visitor gets a random nonce in an HttpOnly cookie (akhbar_csrf) the first time a form is rendered for them;
the form carries that nonce signed with the portal's secret key (and the hash of the session cookie, when
logged in). A POST passes only when the signature holds, is recent, and matches the cookies it arrives with,
so anonymous forms (the image report) and the operator's forms share one mechanism.

Use: `csrf_field()` in a template inside the <form>, `attach(request, response)` on the rendered response
(sets the cookie when it was just minted and takes the page out of the shared page cache: a token belongs to
one visitor), and `Depends(require_csrf)` on the POST route.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from fastapi import HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from akhbar.web import sessions
from akhbar.web.cache import CACHEABLE
from akhbar.web.deps import get_settings
from akhbar.web.keys import secret_key

COOKIE = "akhbar_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SALT = "akhbar.csrf"
# A form may stay open a working day before it is posted; older tokens ask for a reload.
MAX_AGE_S = 24 * 3600
MESSAGE = "Jeton CSRF absent ou périmé : rechargez la page et renvoyez le formulaire."
_NONCE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(get_settings(request)), salt=SALT)


def _binding(request: Request, nonce: str) -> str:
    """Return what a token signs: the nonce, plus a digest of the session cookie when there is one."""
    session = request.cookies.get(sessions.COOKIE, "")
    if not session:
        return nonce
    return f"{nonce}.{hashlib.sha256(session.encode()).hexdigest()[:32]}"


def _cookie_nonce(request: Request) -> str:
    nonce = request.cookies.get(COOKIE, "")
    return nonce if _NONCE.match(nonce) else ""


def nonce_for(request: Request) -> str:
    """Return the visitor's nonce, minting one (to be set by attach) when the request has none."""
    minted: str | None = getattr(request.state, "csrf_minted", None)
    nonce = minted or _cookie_nonce(request)
    if not nonce:
        nonce = secrets.token_urlsafe(32)
        request.state.csrf_minted = nonce
    return nonce


def token_for(request: Request) -> str:
    """Return a CSRF token for a form rendered on this request."""
    request.state.csrf_rendered = True
    return str(_serializer(request).dumps(_binding(request, nonce_for(request))))


def is_valid(request: Request, token: str) -> bool:
    """Return True when a posted token is ours, recent, and matches the request's cookies."""
    nonce = _cookie_nonce(request)
    if not nonce or not token:
        return False
    try:
        signed = _serializer(request).loads(token, max_age=MAX_AGE_S)
    except BadSignature:  # also covers SignatureExpired
        return False
    return isinstance(signed, str) and hmac.compare_digest(signed, _binding(request, nonce))


async def require_csrf(request: Request) -> None:
    """Refuse a POST whose CSRF token (form field csrf_token or X-CSRF-Token header) does not check out."""
    token = request.headers.get(HEADER, "")
    if not token:
        form = await request.form()
        value = form.get(FIELD, "")
        token = value if isinstance(value, str) else ""
    if not is_valid(request, token):
        raise HTTPException(status_code=403, detail=MESSAGE)


def attach(request: Request, response: Response) -> Response:
    """Set the CSRF cookie when this request minted the nonce, keep a page with a token private; return it."""
    if getattr(request.state, "csrf_rendered", False):
        # A token belongs to one visitor: a page carrying one must never be served from a shared cache.
        if CACHEABLE.decode() in response.headers:
            del response.headers[CACHEABLE.decode()]
        response.headers["cache-control"] = "private, no-store"
    minted: str | None = getattr(request.state, "csrf_minted", None)
    if minted:
        response.set_cookie(
            COOKIE,
            minted,
            path="/",
            httponly=True,
            samesite="lax",
            secure=sessions.secure_cookies(get_settings(request)),
        )
    return response


@pass_context
def csrf_field(context: Context) -> Markup:
    """Return the hidden input that carries the CSRF token (a Jinja global: {{ csrf_field() }})."""
    request: Request = context["request"]
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, token_for(request))


def install(env: Environment) -> None:
    """Make csrf_field() available to the templates of a Jinja environment."""
    env.globals["csrf_field"] = csrf_field
