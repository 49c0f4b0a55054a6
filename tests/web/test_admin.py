"""The operator's side: login, sessions, rate limits, roles and the source health page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from akhbar.models import Article, Source, SourceSpec
from akhbar.store import Store
from akhbar.web import auth, sessions
from akhbar.web.admin import safe_next
from akhbar.web.app import create_app

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


# argon2's defaults cost about half a second a hash on the test machine; tests use the same code, cheaper.
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    monkeypatch.setattr(auth, "HASHER", FAST)
    auth._decoy_hash.cache_clear()
    yield
    auth._decoy_hash.cache_clear()


@pytest.fixture
def store(settings):
    opened = Store.open(settings.database_url_effective)
    now = datetime.now(UTC)
    opened.create_account("alice", auth.hash_password(PASSWORD), "admin", now=now)
    opened.create_account("mona", auth.hash_password(PASSWORD), "moderator", now=now)
    yield opened
    opened.close()


@pytest.fixture
def client(settings, store):
    with TestClient(create_app(settings, store), follow_redirects=False) as client:
        yield client


def csrf_token(client: TestClient, path: str = "/admin/login") -> str:
    """Return the CSRF token of the form on a page (the client keeps the cookie that goes with it)."""
    match = TOKEN.search(client.get(path).text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def log_in(client: TestClient, username: str = "alice", password: str = PASSWORD, **extra: str):
    """Post the login form with a valid CSRF token."""
    data = {"username": username, "password": password, "csrf_token": csrf_token(client), **extra}
    return client.post("/admin/login", data=data)


def set_cookie_header(response, name: str) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}="))


@pytest.mark.parametrize("path", ["/admin/sources", "/admin/sources?x=1"])
def test_admin_pages_redirect_to_login_without_a_session(client, path):
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/login?next=/admin/sources")


def test_admin_root_goes_to_the_sources_page(client):
    assert client.get("/admin").headers["location"] == "/admin/sources"


def test_login_opens_a_session_with_safe_cookie_flags(client):
    response = log_in(client, next="/admin/sources")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/sources"
    cookie = set_cookie_header(response, sessions.COOKIE).lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/admin" in cookie
    assert "max-age=43200" in cookie
    assert "secure" not in cookie  # the test portal's base_url is http
    assert client.get("/admin/sources").status_code == 200


def test_cookies_are_secure_when_the_portal_is_https(settings, store):
    app = create_app(settings.replace(base_url="https://news.example.org"), store)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        login_page = client.get("/admin/login")
        assert "secure" in set_cookie_header(login_page, "akhbar_csrf").lower()
        response = log_in(client)
    assert "secure" in set_cookie_header(response, sessions.COOKIE).lower()


def test_the_session_token_is_stored_hashed(client, store):
    response = log_in(client)
    token = response.cookies[sessions.COOKIE]
    assert store.session_account(sessions.token_hash(token), now=datetime.now(UTC)).username == "alice"
    assert store.session_account(token, now=datetime.now(UTC)) is None


@pytest.mark.parametrize("username, password", [("alice", "wrong password!"), ("nobody", PASSWORD), ("", "")])
def test_wrong_credentials_show_the_form_again_with_401(client, username, password):
    response = log_in(client, username, password)
    assert response.status_code == 401
    assert "incorrect" in response.text
    assert sessions.COOKIE not in response.cookies
    assert client.get("/admin/sources").status_code == 303


def test_user_names_are_case_insensitive(client):
    assert log_in(client, "  ALICE ").status_code == 303


def test_failures_past_the_account_limit_give_429_even_with_the_right_password(client):
    for _ in range(auth.ACCOUNT_LIMIT):
        assert log_in(client, "alice", "wrong password!").status_code == 401
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text
    assert response.headers["retry-after"] == "900"
    assert log_in(client, "mona").status_code == 303  # another account from the same network still may


def test_failures_past_the_network_limit_give_429_for_every_name(client):
    for i in range(auth.NETWORK_LIMIT):
        assert log_in(client, f"guess{i}", "wrong password!").status_code == 401
    assert log_in(client, "alice").status_code == 429


def test_failures_older_than_the_window_do_not_count(client, store):
    old = datetime.now(UTC) - auth.WINDOW - timedelta(minutes=1)
    for _ in range(auth.ACCOUNT_LIMIT):
        store.record_login_failure("alice", "testclient", now=old)
    assert log_in(client).status_code == 303


@pytest.mark.parametrize(
    "host, network",
    [
        ("203.0.113.9", "203.0.113.0/24"),
        ("2001:db8:1:2:3::4", "2001:db8:1:2::/64"),
        ("testclient", "testclient"),
    ],
)
def test_client_networks_group_neighbouring_addresses(host, network):
    assert auth.client_network(host) == network


def test_sources_page_lists_every_source_with_status_errors_and_a_sparkline(client, store):
    now = datetime.now(UTC)
    healthy = store.add_source(SourceSpec(url="https://ok.example/", name="La Gazette Saine"))
    broken = store.add_source(SourceSpec(url="https://ko.example/", name="Le Courrier Muet"))
    store.save_refresh(
        Source(**{**broken.__dict__, "last_error": "HTTP 503 from ko.example", "consecutive_failures": 3}), []
    )
    articles = [
        Article(
            source_id=healthy.id,
            guid=f"g{i}",
            url=f"https://ok.example/{i}",
            canonical_url=f"https://ok.example/{i}",
            title=f"Titre {i}",
            published_at=now - timedelta(days=i % 3),
            fetched_at=now,
        )
        for i in range(6)
    ]
    store.save_refresh(healthy, articles)
    log_in(client)
    page = client.get("/admin/sources")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    assert "La Gazette Saine" in page.text and "Le Courrier Muet" in page.text
    assert "HTTP 503 from ko.example" in page.text
    assert "badge-failing" in page.text and "badge-ok" in page.text
    assert page.text.count('<svg class="spark"') == 2
    assert "6 articles en 14 jours" in page.text
    assert "style=" not in page.text  # the CSP forbids inline styles
    assert "<script" not in page.text


def test_moderators_land_on_the_moderation_queue(client):
    response = log_in(client, "mona")
    assert response.headers["location"].endswith("/admin/moderation")
    assert client.get("/admin", follow_redirects=False).headers["location"] == "/admin/moderation"


def test_moderators_cannot_see_the_sources_page(client):
    log_in(client, "mona")
    response = client.get("/admin/sources")
    assert response.status_code == 403
    assert "moderator" in response.text


def test_disable_then_enable_a_source_from_the_page(client, store):
    source = store.add_source(SourceSpec(url="https://ok.example/", name="La Gazette"))
    log_in(client)
    token = csrf_token(client, "/admin/sources")
    response = client.post(f"/admin/sources/{source.slug}/disable", data={"csrf_token": token})
    assert response.status_code == 303
    assert store.source_by_id(source.id).enabled is False
    assert "badge-disabled" in client.get("/admin/sources").text
    client.post(f"/admin/sources/{source.slug}/enable", data={"csrf_token": token})
    assert store.source_by_id(source.id).enabled is True


def test_unknown_source_action_is_404(client):
    log_in(client)
    token = csrf_token(client, "/admin/sources")
    assert client.post("/admin/sources/nope/disable", data={"csrf_token": token}).status_code == 404


def test_logout_ends_the_session_in_the_database(client):
    old_token = log_in(client).cookies[sessions.COOKIE]
    response = client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/sources")})
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login"
    assert 'akhbar_session=""' in set_cookie_header(response, sessions.COOKIE)
    assert client.get("/admin/sources").status_code == 303
    client.cookies.set(sessions.COOKIE, old_token, path="/admin")  # replaying the old cookie opens nothing
    assert client.get("/admin/sources").status_code == 303


def test_an_expired_session_sends_back_to_login(client, store):
    account = store.account_by_username("alice")
    now = datetime.now(UTC)
    store.create_session(
        sessions.token_hash("stale"),
        account.id,
        now=now - timedelta(days=2),
        expires_at=now - timedelta(days=1),
    )
    client.cookies.set(sessions.COOKIE, "stale", path="/admin")
    assert client.get("/admin/sources").status_code == 303


def test_a_logged_in_visit_to_the_login_page_goes_on(client):
    log_in(client)
    assert client.get("/admin/login?next=/admin/sources").headers["location"] == "/admin/sources"


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/admin/sources", "/admin/sources"),
        ("/admin/sources?page=2", "/admin/sources?page=2"),
        ("https://evil.example/", "/admin/sources"),
        ("//evil.example/admin", "/admin/sources"),
        ("/\\evil.example", "/admin/sources"),
        ("/", "/admin/sources"),
    ],
)
def test_login_only_redirects_inside_admin(target, expected):
    assert safe_next(target) == expected


def test_login_page_is_one_form_with_labels_and_no_inline_style(client):
    page = client.get("/admin/login")
    assert page.status_code == 200
    assert 'for="login-username"' in page.text and 'for="login-password"' in page.text
    assert 'autocomplete="current-password"' in page.text
    assert "style=" not in page.text
    assert "/static/admin.css" in page.text


def test_passwords_are_argon2id_hashes():
    hashed = auth.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert auth.verify_password(hashed, PASSWORD)
    assert not auth.verify_password(hashed, PASSWORD + "!")
    assert not auth.verify_password("not a hash", PASSWORD)


def test_a_login_upgrades_a_hash_made_with_weaker_parameters(client, store, monkeypatch):
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    assert log_in(client).status_code == 303
    assert "t=2" in store.account_by_username("alice").password_hash
