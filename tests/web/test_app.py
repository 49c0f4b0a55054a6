"""The application: security headers on every response, the latest-articles page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from akhbar.store import Store
from akhbar.web.app import create_app


@pytest.fixture
def client(settings):
    store = Store.open(settings.database_url_effective)
    with TestClient(create_app(settings, store)) as client:
        yield client
    store.close()


@pytest.mark.parametrize("path", ["/", "/healthz", "/no-such-page"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]


def test_empty_portal_says_sources_are_being_fetched(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Aucun article" in response.text
