"""Chromium reports an image in place; once readers of other networks report it too, a reload hides it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from akhbar.web import auth
from akhbar.web.report import THANKS

PLACEHOLDER = "/static/blocked.svg"
PASSWORD = "e2e moderator password"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
# The browser leaves from 127.0.0.1; these stand for two other readers' networks.
OTHER_NETWORKS = ("127.0.1.1", "127.0.2.1")


def _article_with_image(portal):
    """Return a stored article whose lead image is an outlet's (served through /img)."""
    for article in portal.headlines():
        if article.image.startswith("http"):
            return article
    raise AssertionError("e2e: no demo article has a lead image")


def _report_from(url: str, address: str, image_id: int) -> bool:
    """Report an image as a reader of another network would; return whether the answer says it is blocked."""
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(base_url=url, transport=transport, timeout=30) as client:
        token = client.get("/img/report-token").json()["token"]
        answer = client.post(
            "/img/report",
            data={"image": str(image_id)},
            headers={"x-csrf-token": token, "accept": "application/json"},
        )
        answer.raise_for_status()
        return bool(answer.json()["blocked"])


def test_report_in_place_then_the_placeholder_after_the_threshold(page, demo_portal, screenshot):
    article = _article_with_image(demo_portal)
    image = demo_portal.store.ensure_image(article.image)
    try:
        page.goto(f"{demo_portal.url}/article/{article.id}")
        lead = page.locator("figure.lead-image img")
        assert "/img/" in (lead.get_attribute("src") or "")
        page.get_by_role("button", name="Signaler cette image").first.click()
        message = page.locator("figure.lead-image .image-report-message")
        message.wait_for(state="visible")
        page.wait_for_function(
            "document.querySelector('figure.lead-image .image-report-message').textContent"
        )
        assert message.inner_text().strip() == THANKS
        assert page.url.endswith(f"/article/{article.id}")  # posted in place, no navigation
        screenshot(page, "image-report")
        assert [_report_from(demo_portal.url, a, image.id) for a in OTHER_NETWORKS] == [False, True]
        page.reload()
        assert PLACEHOLDER in (page.locator("figure.lead-image img").get_attribute("src") or "")
        assert page.locator("figure.lead-image form.image-report").count() == 0
    finally:  # the demo portal is shared with the other browser tests: a moderator restores the image
        _restore(demo_portal, image.id)
    assert demo_portal.store.image_by_id(image.id).state == "ok"
    assert demo_portal.store.audit_entries()[0].actor == "e2e-moderator"


def _restore(portal, image_id: int) -> None:
    """Restore an image through the moderation page (which also empties the page cache)."""
    if portal.store.account_by_username("e2e-moderator") is None:
        hashed = auth.hash_password(PASSWORD)
        portal.store.create_account("e2e-moderator", hashed, "moderator", now=datetime.now(UTC))
    with httpx.Client(base_url=portal.url, timeout=30) as client:
        token = TOKEN.search(client.get("/admin/login").text).group(1)
        login = {"username": "e2e-moderator", "password": PASSWORD, "csrf_token": token}
        client.post("/admin/login", data=login)
        token = TOKEN.search(client.get("/admin/moderation").text).group(1)
        done = client.post(
            f"/admin/moderation/images/{image_id}/restore", data={"reason": "test e2e", "csrf_token": token}
        )
        assert done.status_code == 303
