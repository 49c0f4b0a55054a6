"""The moderators' side under /admin/moderation: reported and blocked images, actions, and the audit log."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from akhbar.moderation.policy import Policy
from akhbar.store.accounts import Account
from akhbar.store.moderation import ACTIONS, AuditEntry
from akhbar.web import csrf
from akhbar.web.admin import gate, page
from akhbar.web.deps import get_settings, get_store
from akhbar.web.images import image_cache
from akhbar.web.report import set_moderator_marker

router = APIRouter(prefix="/admin/moderation", include_in_schema=False)
ROLES = ("admin", "moderator")
HOME = "/admin/moderation"
AUDIT_PAGE = 200
EXPORT_LIMIT = 100_000
Csrf = Depends(csrf.require_csrf)
Reason = Annotated[str, Form(max_length=2000)]
NO_REASON = "Indiquez la raison de cette action : elle est inscrite au journal."


def _gated(request: Request) -> Account | Response:
    return gate(request, ROLES)


def _message(request: Request, title: str, message: str, status: int) -> Response:
    return page(request, "admin/message.html", {"title": title, "message": message}, status)


def _changed(request: Request) -> None:
    """Drop cached reader pages: they may show an image whose state just changed."""
    request.app.state.page_cache.invalidate()


@router.get("")
def moderation_home(request: Request) -> Response:
    """Show the reported and blocked images with their counts, the articles using them and the actions."""
    allowed = _gated(request)
    if isinstance(allowed, Response):
        return allowed
    store = get_store(request)
    rows = store.reported_images()
    titles = {aid: store.article_by_id(aid) for row in rows for aid in row.article_ids}
    response = page(request, "admin/moderation.html", {"rows": rows, "articles": titles, "actions": ACTIONS})
    set_moderator_marker(request, response)
    return response


@router.get("/images/{image_id}/view")
def moderator_view(request: Request, image_id: int) -> Response:
    """Serve the cached bytes of an image to a moderator, blocked or not (never to readers)."""
    allowed = _gated(request)
    if isinstance(allowed, Response):
        return allowed
    record = get_store(request).image_by_id(image_id)
    path = image_cache(request).file_of(record) if record is not None else None
    if record is None or path is None or not path.is_file():
        return Response(status_code=404, headers={"cache-control": "private, no-store"})
    headers = {"cache-control": "private, no-store"}
    return FileResponse(path, media_type=record.content_type, headers=headers)


@router.post("/images/{image_id}/{action}", dependencies=[Csrf])
def image_action(request: Request, image_id: int, action: str, reason: Reason = "") -> Response:
    """Confirm, restore, reject the reports of, or block one image; written to the audit log."""
    allowed = _gated(request)
    if isinstance(allowed, Response):
        return allowed
    if action not in ACTIONS:
        return _message(request, "Introuvable", f"Action inconnue « {action} ».", 404)
    if not reason.strip():
        return _message(request, "Raison manquante", NO_REASON, 400)
    policy = Policy.from_settings(get_settings(request))
    state = get_store(request).moderate_image(
        image_id, action, actor=allowed.username, reason=reason.strip(), now=datetime.now(UTC), policy=policy
    )
    if state is None:
        return _message(request, "Introuvable", f"Aucune image n° {image_id}.", 404)
    _changed(request)
    return RedirectResponse(f"{HOME}#image-{image_id}", status_code=303)


@router.post("/{target}/{target_id}/block", dependencies=[Csrf])
def block_all(request: Request, target: str, target_id: int, reason: Reason = "") -> Response:
    """Block every image of an article or of a source; written to the audit log."""
    allowed = _gated(request)
    if isinstance(allowed, Response):
        return allowed
    store = get_store(request)
    kinds = {"articles": ("article", store.article_by_id), "sources": ("source", store.source_by_id)}
    if target not in kinds or kinds[target][1](target_id) is None:
        return _message(request, "Introuvable", f"Aucun élément {target}/{target_id}.", 404)
    if not reason.strip():
        return _message(request, "Raison manquante", NO_REASON, 400)
    kind = kinds[target][0]
    count = store.block_images_of(
        kind, target_id, actor=allowed.username, reason=reason.strip(), now=datetime.now(UTC)
    )
    _changed(request)
    message = f"{count} image(s) bloquée(s) ({kind} {target_id})."
    return page(request, "admin/moderation_done.html", {"title": "Images bloquées", "message": message})


@router.get("/audit")
def audit(request: Request, before: int | None = None) -> Response:
    """Show the audit log, newest first, a page at a time."""
    allowed = _gated(request)
    if isinstance(allowed, Response):
        return allowed
    entries = get_store(request).audit_entries(AUDIT_PAGE, before)
    older = entries[-1].id if len(entries) == AUDIT_PAGE else None
    return page(request, "admin/moderation_audit.html", {"entries": entries, "older": older})


def _rows(entries: list[AuditEntry]) -> list[dict[str, Any]]:
    return [{**asdict(e), "at": e.at.isoformat()} for e in entries]


@router.get("/audit.csv")
def audit_csv(request: Request) -> Response:
    """Export the whole audit log as CSV."""
    allowed = _gated(request)
    if isinstance(allowed, Response):
        return allowed
    buffer = io.StringIO()
    fields = ["id", "at", "actor", "action", "target", "target_id", "reason", "detail"]
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for row in _rows(get_store(request).audit_entries(EXPORT_LIMIT)):
        # A cell starting with = + - @ would run as a formula in a spreadsheet: quote it out.
        writer.writerow({k: f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for k, v in row.items()})
    return _download(buffer.getvalue(), "text/csv; charset=utf-8", "moderation-audit.csv")


@router.get("/audit.json")
def audit_json(request: Request) -> Response:
    """Export the whole audit log as JSON."""
    allowed = _gated(request)
    if isinstance(allowed, Response):
        return allowed
    body = json.dumps(_rows(get_store(request).audit_entries(EXPORT_LIMIT)), ensure_ascii=False, indent=1)
    return _download(body, "application/json", "moderation-audit.json")


def _download(body: str, media_type: str, name: str) -> Response:
    headers = {"content-disposition": f'attachment; filename="{name}"', "cache-control": "private, no-store"}
    return Response(body, media_type=media_type, headers=headers)
