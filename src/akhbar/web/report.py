"""The reader's side of image reports: the "Signaler cette image" control, its form page and POST /img/report.

The article page is shared by every reader through the page cache, so it carries no CSRF token: its control is
a small GET form leading to /img/report?image=..., an uncached page whose form carries the visitor's token and
posts. With JavaScript (static/report.js), the click fetches a token from /img/report-token (uncached),
posts in place and shows the answer under the image.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from akhbar.images import image_path, parse_image_path
from akhbar.images.public import PLACEHOLDER, is_outlet_url
from akhbar.moderation import reporters
from akhbar.moderation.policy import RATE_WINDOW, Policy
from akhbar.store.images import ImageRecord
from akhbar.web import csrf, rendering, sessions
from akhbar.web.deps import get_settings, get_store
from akhbar.web.editions import DEFAULT_EDITION, EDITION_CODES, parse_editions
from akhbar.web.i18n import gettext_for
from akhbar.web.keys import secret_key

router = APIRouter(include_in_schema=False)
csrf.install(rendering.TEMPLATES.env)

THANKS = (
    "Merci d'avoir signalé! Cette image sera automatiquement bloquée après qu'elle soit signalée "
    "par plusieurs personnes."
)
TOO_MANY = "Trop de signalements en peu de temps : réessayez dans une heure."
UNKNOWN = "Cette image est introuvable."
LABEL = "Signaler cette image"
# The moderator marker: set by /admin/moderation, read here (the session cookie never reaches /img).
MODERATOR_COOKIE = "akhbar_moderator"
MODERATOR_SALT = "akhbar.moderator"
MODERATOR_ROLES = ("admin", "moderator")


def edition_code(raw: str) -> str:
    """Return a known edition code, French by default."""
    return raw if raw in EDITION_CODES else DEFAULT_EDITION


def safe_back(target: str) -> str:
    """Return a path of this site to go back to (no open redirect), "" otherwise."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target and len(target) < 2000:
        return target
    return ""


def control_markup(request: Request, url: str, code: str, shown: str = "") -> Markup:
    """Return the "Signaler cette image" control for an outlet image (nothing when it is not shown).

    Images inside an article's text get it through images.rewrite_html(..., after=...).
    """
    if not url or not is_outlet_url(url) or PLACEHOLDER in shown:
        return Markup("")
    _ = gettext_for(edition_code(code))
    ref = image_path(secret_key(get_settings(request)), url)
    script = Markup("")
    if not getattr(request.state, "report_script", False):  # one <script> per page, however many images
        request.state.report_script = True
        script = Markup('<script src="{}" defer></script>').format(rendering.asset_url("report.js"))
    return Markup(
        '<form class="image-report" method="get" action="/img/report">'
        '<input type="hidden" name="image" value="{}"><input type="hidden" name="edition" value="{}">'
        '<input type="hidden" name="back" value="{}">'
        '<button type="submit" class="image-report-button">{}</button>'
        '<span class="image-report-message" role="status" aria-live="polite"></span></form>{}'
    ).format(ref, edition_code(code), request.url.path, _(LABEL), script)


@pass_context
def report_control(context: Context, url: str, shown: str = "") -> Markup:
    """Return the control for a template ({{ report_control(article.image, src) }})."""
    edition = context.get("edition")
    return control_markup(context["request"], url, getattr(edition, "code", DEFAULT_EDITION), shown)


rendering.TEMPLATES.env.globals["report_control"] = report_control


@pass_context
def report_after(context: Context) -> Callable[[str], str]:
    """Return the hook that puts the control after each image of an article's text (rewrite_html's after)."""
    request: Request = context["request"]
    code = getattr(context.get("edition"), "code", DEFAULT_EDITION)
    helpers = context.get("t")
    shown: Callable[[str], str] = getattr(helpers, "image_src", lambda url: "")
    return lambda url: str(control_markup(request, url, code, shown(url)))


rendering.TEMPLATES.env.globals["report_after"] = report_after


def find_image(request: Request, ref: str) -> ImageRecord | None:
    """Return the image a report names: its id, or the signed /img path we gave the reader."""
    store = get_store(request)
    if ref.isdigit() and len(ref) < 19:
        return store.image_by_id(int(ref))
    url = parse_image_path(secret_key(get_settings(request)), ref)
    if url is None:
        return None  # not a path we signed: no image row is made for it
    return store.image_by_url(url) or store.ensure_image(url)


def moderator_of(request: Request) -> str:
    """Return the name of the logged-in moderator behind this report, "" for a reader."""
    marker = request.cookies.get(MODERATOR_COOKIE, "")
    if not marker:
        return ""
    settings = get_settings(request)
    serializer = URLSafeTimedSerializer(secret_key(settings), salt=MODERATOR_SALT)
    try:
        session_hash = serializer.loads(marker, max_age=int(settings.session_max_age))
    except BadSignature:
        return ""
    if not isinstance(session_hash, str):
        return ""
    account = get_store(request).session_account(session_hash, now=datetime.now(UTC))
    return account.username if account is not None and account.role in MODERATOR_ROLES else ""


def set_moderator_marker(request: Request, response: Response) -> None:
    """Let the report endpoint recognise this logged-in moderator (their report blocks at once)."""
    token = request.cookies.get(sessions.COOKIE, "")
    if not token:
        return
    settings = get_settings(request)
    value = URLSafeTimedSerializer(secret_key(settings), salt=MODERATOR_SALT).dumps(
        sessions.token_hash(token)
    )
    response.set_cookie(
        MODERATOR_COOKIE,
        value,
        max_age=int(settings.session_max_age),
        path=reporters.COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=sessions.secure_cookies(settings),
    )


def _page(request: Request, name: str, context: dict[str, Any], code: str, status: int = 200) -> Response:
    edition = parse_editions(str(get_settings(request).edition_languages))[code]
    response = rendering.render(request, name, context, edition=edition, status_code=status)
    response.headers["cache-control"] = "private, no-store"
    return csrf.attach(request, response)


def _shown(request: Request, image: ImageRecord) -> str:
    """Return what the reader's browser loads for this image now (the placeholder once blocked)."""
    if image.state in ("blocked", "confirmed"):
        return PLACEHOLDER
    return image_path(secret_key(get_settings(request)), image.url)


@router.get("/img/report")
def report_form(request: Request, image: str = "", edition: str = "", back: str = "") -> Response:
    """Show the report form of one image (uncached: it carries the visitor's CSRF token)."""
    code = edition_code(edition)
    found = find_image(request, image[:6000])
    if found is None:
        _ = gettext_for(code)
        return _page(
            request, "report_done.html", {"message": _(UNKNOWN), "image_src": "", "back": ""}, code, 404
        )
    context = {"image_id": found.id, "image_src": _shown(request, found), "back": safe_back(back)}
    return _page(request, "report_form.html", context, code)


@router.get("/img/report-token")
def report_token(request: Request) -> Response:
    """Return a CSRF token for report.js (uncached, with the cookie that goes with it)."""
    response = JSONResponse({"token": csrf.token_for(request)})
    return csrf.attach(request, response)


def _reporter(request: Request) -> tuple[str, str, bool]:
    """Return (reporter id, network, whether the id is new) for a request."""
    settings = get_settings(request)
    known = reporters.unsign(request.cookies.get(reporters.COOKIE, ""), secret_key(settings))
    peer = request.client.host if request.client else ""
    proxies = reporters.parse_proxies(str(settings.trusted_proxies))
    host = reporters.client_address(peer, request.headers.get("x-forwarded-for", ""), proxies)
    return known or reporters.new_reporter_id(), reporters.network_of(host), not known


def _answer(request: Request, wants_json: bool, context: dict[str, Any], code: str, status: int) -> Response:
    if wants_json:
        body = {"message": context["message"], "blocked": context.get("image_src", "").endswith(PLACEHOLDER)}
        response: Response = JSONResponse(body, status_code=status, headers={"cache-control": "no-store"})
        return response
    return _page(request, "report_done.html", context, code, status)


@router.post("/img/report", dependencies=[Depends(csrf.require_csrf)])
def report(
    request: Request,
    image: Annotated[str, Form(max_length=6000)] = "",
    edition: Annotated[str, Form(max_length=8)] = "",
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record a report; answer with the thanks (HTML page, or JSON for report.js), 429 past the rate limit."""
    code, _ = edition_code(edition), gettext_for(edition_code(edition))
    wants_json = "application/json" in request.headers.get("accept", "")
    found = find_image(request, image)
    if found is None:
        return _answer(request, wants_json, {"message": _(UNKNOWN), "image_src": "", "back": ""}, code, 404)
    reporter, network, fresh = _reporter(request)
    policy = Policy.from_settings(get_settings(request))
    outcome = get_store(request).record_image_report(
        found.id, reporter, network, now=datetime.now(UTC), policy=policy, moderator=moderator_of(request)
    )
    if outcome.state != found.state:  # blocked now: cached pages still show the image
        request.app.state.page_cache.invalidate()
    limited = outcome.status == "rate_limited"
    shown = PLACEHOLDER if outcome.state in ("blocked", "confirmed") else _shown(request, found)
    context = {"message": _(TOO_MANY if limited else THANKS), "image_src": shown, "back": safe_back(back)}
    response = _answer(request, wants_json, context, code, 429 if limited else 200)
    if limited:
        response.headers["retry-after"] = str(int(RATE_WINDOW.total_seconds()))
    if fresh:
        _set_reporter_cookie(request, response, reporter)
    return response


def _set_reporter_cookie(request: Request, response: Response, reporter: str) -> None:
    settings = get_settings(request)
    response.set_cookie(
        reporters.COOKIE,
        reporters.sign(reporter, secret_key(settings)),
        max_age=reporters.COOKIE_MAX_AGE,
        path=reporters.COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=sessions.secure_cookies(settings),
    )
