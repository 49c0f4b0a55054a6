"""The moderators' pages: login and roles, CSRF and a reason on each action, the audit log, its exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from akhbar.moderation.policy import Policy
from akhbar.web.app import create_app

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def client(mod_settings, store):
    with TestClient(create_app(mod_settings, store), follow_redirects=False) as client:
        yield client


def log_in(client, username="mona"):
    token = TOKEN.search(client.get("/admin/login").text).group(1)
    data = {"username": username, "password": PASSWORD, "csrf_token": token, "next": "/admin/moderation"}
    assert client.post("/admin/login", data=data).status_code == 303


def token_of(client, path="/admin/moderation"):
    return TOKEN.search(client.get(path).text).group(1)


@pytest.mark.parametrize(
    "path", ["/admin/moderation", "/admin/moderation/audit", "/admin/moderation/audit.csv"]
)
def test_moderation_needs_a_login(client, path):
    answer = client.get(path)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/admin/login")


@pytest.mark.parametrize("username", ["mona", "alice"])
def test_moderators_and_admins_see_reported_images(client, add_article, store, username):
    shown = add_article()
    store.moderate_image(
        shown.image.id, "block", actor="x", reason="r", now=shown.image.fetched_at, policy=Policy()
    )
    log_in(client, username)
    page = client.get("/admin/moderation")
    assert page.status_code == 200
    assert f'id="image-{shown.image.id}"' in page.text and shown.article.title in page.text
    assert "private" in page.headers["cache-control"]


def test_actions_need_csrf_and_a_reason_and_are_audited(client, add_article, store):
    shown = add_article()
    log_in(client)
    url = f"/admin/moderation/images/{shown.image.id}/confirm"
    assert client.post(url, data={"reason": "choquant"}).status_code == 403
    token = token_of(client)
    assert client.post(url, data={"reason": " ", "csrf_token": token}).status_code == 400
    answer = client.post(url, data={"reason": "choquant", "csrf_token": token})
    assert answer.status_code == 303
    assert store.image_by_id(shown.image.id).state == "confirmed"
    audit = client.get("/admin/moderation/audit").text
    assert "mona" in audit and "choquant" in audit and "confirm" in audit


def test_block_all_images_of_a_source(client, add_article, store):
    shown = add_article(source="alpha")
    other = add_article(source="alpha")
    log_in(client)
    token = token_of(client)
    answer = client.post(
        f"/admin/moderation/sources/{shown.article.source_id}/block",
        data={"reason": "lot", "csrf_token": token},
    )
    assert answer.status_code == 200 and "2 image(s)" in answer.text
    assert {store.image_by_id(i).state for i in (shown.image.id, other.image.id)} == {"blocked"}
    assert (
        client.post(
            "/admin/moderation/sources/999/block", data={"reason": "x", "csrf_token": token}
        ).status_code
        == 404
    )


def test_audit_exports(client, add_article):
    shown = add_article()
    log_in(client)
    token = token_of(client)
    client.post(
        f"/admin/moderation/images/{shown.image.id}/block",
        data={"reason": "=HYPERLINK()", "csrf_token": token},
    )
    rows = list(csv.DictReader(io.StringIO(client.get("/admin/moderation/audit.csv").text)))
    assert rows[0]["actor"] == "mona" and rows[0]["action"] == "block"
    assert rows[0]["reason"] == "'=HYPERLINK()"  # no formula runs in a spreadsheet
    exported = client.get("/admin/moderation/audit.json")
    assert "attachment" in exported.headers["content-disposition"]
    entry = exported.json()[0]
    assert (entry["actor"], entry["target"], entry["target_id"]) == ("mona", "image", shown.image.id)


def test_a_moderators_own_report_blocks_at_once(client, add_article, store):
    shown = add_article()
    log_in(client)
    client.get("/admin/moderation")  # gives the report endpoint the moderator marker
    token = client.get("/img/report-token").json()["token"]
    answer = client.post(
        "/img/report",
        data={"image": shown.image.id},
        headers={"x-csrf-token": token, "accept": "application/json"},
    )
    assert answer.json()["blocked"] is True
    assert store.audit_entries()[0].action == "report"


def test_the_marker_without_a_live_session_is_a_plain_reader(client, add_article, store):
    shown = add_article()
    log_in(client)
    client.get("/admin/moderation")
    token = TOKEN.search(client.get("/admin/moderation").text).group(1)
    client.post("/admin/logout", data={"csrf_token": token})
    report_token = client.get("/img/report-token").json()["token"]
    answer = client.post(
        "/img/report",
        data={"image": shown.image.id},
        headers={"x-csrf-token": report_token, "accept": "application/json"},
    )
    assert answer.json()["blocked"] is False
