"""CSRF tokens: anonymous forms, forms behind a session, the admin's forms, and the secret key behind them."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.testclient import TestClient
from jinja2 import Environment

from akhbar.config import ConfigError
from akhbar.store import Store
from akhbar.web import csrf, keys, sessions
from akhbar.web.app import create_app
from akhbar.web.cache import CACHEABLE, mark_cacheable

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
ENV = Environment(autoescape=True)
csrf.install(ENV)
FORM = ENV.from_string(
    '<form method="post" action="/report">{{ csrf_field() }}<button>Signaler</button></form>'
)


def report_app(settings) -> FastAPI:
    """Return a small app with an anonymous form, the way the image-report form will use the module."""
    app = FastAPI()
    app.state.settings = settings

    @app.get("/form")
    def form(request: Request) -> Response:
        return csrf.attach(request, HTMLResponse(FORM.render(request=request)))

    @app.post("/report", dependencies=[Depends(csrf.require_csrf)])
    def report() -> PlainTextResponse:
        return PlainTextResponse("reçu")

    return app


@pytest.fixture
def anon(settings):
    with TestClient(report_app(settings)) as client:
        yield client


def token_of(client: TestClient, path: str = "/form") -> str:
    match = TOKEN.search(client.get(path).text)
    assert match
    return match.group(1)


def test_an_anonymous_visitor_gets_a_cookie_and_a_token_that_passes(anon):
    first = anon.get("/form")
    cookie = next(h for h in first.headers.get_list("set-cookie") if h.startswith("akhbar_csrf="))
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower() and "path=/" in cookie.lower()
    token = TOKEN.search(first.text).group(1)
    response = anon.post("/report", data={"csrf_token": token})
    assert response.status_code == 200
    assert response.text == "reçu"


def test_a_page_with_a_token_is_kept_out_of_shared_caches(settings):
    app = report_app(settings)

    @app.get("/cached-form")
    def cached_form(request: Request) -> Response:
        page = mark_cacheable(HTMLResponse(FORM.render(request=request)))
        return csrf.attach(request, page)

    with TestClient(app) as client:
        response = client.get("/cached-form")
    assert response.headers["cache-control"] == "private, no-store"
    assert CACHEABLE.decode() not in response.headers


def test_the_cookie_is_set_once_and_reused(anon):
    anon.get("/form")
    again = anon.get("/form")
    assert "akhbar_csrf" not in again.headers.get("set-cookie", "")
    assert anon.post("/report", data={"csrf_token": TOKEN.search(again.text).group(1)}).status_code == 200


def test_the_token_may_come_in_a_header(anon):
    token = token_of(anon)
    assert anon.post("/report", headers={"X-CSRF-Token": token}).status_code == 200


@pytest.mark.parametrize("token", ["", "forged", "eyJhIjoxfQ.ZZZZZZ.not-a-signature"])
def test_a_missing_or_forged_token_is_403_with_a_clear_message(anon, token):
    anon.get("/form")
    response = anon.post("/report", data={"csrf_token": token} if token else {})
    assert response.status_code == 403
    assert response.json()["detail"] == csrf.MESSAGE


def test_a_token_without_its_cookie_is_refused(anon):
    token = token_of(anon)
    anon.cookies.clear()
    assert anon.post("/report", data={"csrf_token": token}).status_code == 403


def test_another_visitors_token_is_refused(settings):
    with TestClient(report_app(settings)) as mallory, TestClient(report_app(settings)) as victim:
        stolen = token_of(mallory)
        token_of(victim)  # the victim has a cookie of their own
        assert victim.post("/report", data={"csrf_token": stolen}).status_code == 403


def test_a_token_signed_with_another_key_is_refused(settings, tmp_path):
    other = settings.replace(secret_key="another key entirely, long enough")
    with TestClient(report_app(other)) as elsewhere, TestClient(report_app(settings)) as here:
        forged = token_of(elsewhere)
        here.cookies.set(csrf.COOKIE, elsewhere.cookies[csrf.COOKIE])
        assert here.post("/report", data={"csrf_token": forged}).status_code == 403


def test_an_expired_token_is_refused(anon, monkeypatch):
    token = token_of(anon)
    monkeypatch.setattr(csrf, "MAX_AGE_S", -1)
    assert anon.post("/report", data={"csrf_token": token}).status_code == 403


def test_a_token_is_bound_to_the_session_it_was_made_for(anon):
    anon.cookies.set(sessions.COOKIE, "session-one")
    token = token_of(anon)
    assert anon.post("/report", data={"csrf_token": token}).status_code == 200
    anon.cookies.set(sessions.COOKIE, "session-two")
    assert anon.post("/report", data={"csrf_token": token}).status_code == 403


def test_admin_login_without_a_token_is_403(settings):
    store = Store.open(settings.database_url_effective)
    with TestClient(create_app(settings, store)) as client:
        client.get("/admin/login")
        response = client.post("/admin/login", data={"username": "a", "password": "b"})
        assert response.status_code == 403
        logout = client.post("/admin/logout")
        assert logout.status_code == 403
    store.close()


def test_a_secret_key_is_generated_once_with_private_permissions(settings):
    first = keys.secret_key(settings)
    path = Path(settings.data_dir) / keys.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    keys._key_file.cache_clear()  # a second process reads the same file
    assert keys.secret_key(settings) == first
    assert len(first) >= 40


def test_the_setting_wins_over_the_key_file(settings):
    assert keys.secret_key(settings.replace(secret_key="from the environment")) == "from the environment"
    assert not (Path(settings.data_dir) / keys.KEY_FILE).exists()


def test_an_unusable_key_file_is_one_clear_line(settings):
    path = Path(settings.data_dir) / keys.KEY_FILE
    path.parent.mkdir(parents=True)
    path.write_text("short\n")
    keys._key_file.cache_clear()
    with pytest.raises(ConfigError, match=r"holds no usable secret key \(delete it"):
        keys.secret_key(settings)
