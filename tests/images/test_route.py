"""GET /img: signed only, fetched once through the guarded fetcher, re-encoded, placeholder once blocked."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from akhbar.config import Settings
from akhbar.images import image_path
from akhbar.store import Store
from akhbar.web.app import create_app
from akhbar.web.keys import secret_key


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    opened = Store.open(settings.database_url_effective)
    yield opened
    opened.close()


@pytest.fixture
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store)) as client:
        yield client


def signed(settings: Settings, url: str) -> str:
    return image_path(secret_key(settings), url)


def test_an_image_is_fetched_reencoded_and_served_with_validators(
    settings, store, client, loopback, make_image
):
    loopback.reply("/photo.jpg", make_image("JPEG", (1600, 800), exif=True), content_type="text/plain")
    url = loopback.url + "/photo.jpg"
    response = client.get(signed(settings, url))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert "max-age=" in response.headers["cache-control"]
    assert b"SecretCameraMaker" not in response.content
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == (1200, 600)
    again = client.get(signed(settings, url), headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304
    record = store.image_by_url(url)
    assert record is not None and record.state == "ok" and (record.width, record.height) == (1200, 600)
    assert loopback.hits.count("/photo.jpg") == 1  # the second request came from the cache
    files = list((Path(settings.data_dir) / "images").rglob("*.jpg"))
    assert [f.name for f in files] == [f"{record.sha256}.jpg"]


@pytest.mark.parametrize(
    "path",
    ["/img/AAAAAAAAAAAAAAAAAAAAAA/aHR0cHM6Ly9ldmlsLmV4YW1wbGUv", "/img/x/y", "/img/only-one-part"],
)
def test_unsigned_paths_are_404_and_fetch_nothing(client, loopback, path: str) -> None:
    assert client.get(path).status_code == 404
    assert loopback.hits == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [(b"<html>not an image</html>", "not a JPEG"), (b"\xff\xd8\xff" + b"\0" * 50, "cannot read")],
)
def test_what_is_not_an_image_fails_and_shows_the_placeholder(
    settings, store, client, loopback, body, reason
):
    loopback.reply("/x.jpg", body, content_type="image/jpeg")
    response = client.get(signed(settings, loopback.url + "/x.jpg"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    record = store.image_by_url(loopback.url + "/x.jpg")
    assert record is not None and record.state == "failed" and reason in record.error


def test_the_image_size_cap_holds(settings, store, loopback, make_image) -> None:
    small = settings.replace(image_max_bytes=1000)
    loopback.reply(
        "/big.png", make_image("PNG", (300, 300), (1, 2, 3)) + b"\0" * 5000, content_type="image/png"
    )
    with TestClient(create_app(small, store)) as client:
        response = client.get(signed(small, loopback.url + "/big.png"))
    assert response.headers["content-type"].startswith("image/svg+xml")
    record = store.image_by_url(loopback.url + "/big.png")
    assert record is not None and record.state == "failed"


def test_private_addresses_stay_refused_by_default(tmp_path, make_image, loopback) -> None:
    from akhbar.config import load_settings

    strict = load_settings({"AKHBAR_DATA_DIR": str(tmp_path / "strict")}, env_file=None)
    loopback.reply("/inside.jpg", make_image("JPEG"), content_type="image/jpeg")
    store = Store.open(strict.database_url_effective)
    try:
        with TestClient(create_app(strict, store)) as client:
            response = client.get(signed(strict, loopback.url + "/inside.jpg"))
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert loopback.hits == []
    finally:
        store.close()


def test_a_blocked_image_serves_the_placeholder_even_from_its_old_url(
    settings, store, client, loopback, make_image
):
    loopback.reply("/p.png", make_image("PNG"), content_type="image/png")
    path = signed(settings, loopback.url + "/p.png")
    assert client.get(path).headers["content-type"] == "image/webp"
    image = store.image_by_url(loopback.url + "/p.png")
    assert image is not None
    store.set_image_state(image.id, "blocked")
    blocked = client.get(path)
    assert blocked.headers["content-type"].startswith("image/svg+xml")
    assert b"bloqu" in blocked.content
    store.set_image_state(image.id, "ok")
    assert client.get(path).headers["content-type"] == "image/webp"


def test_confirmed_bytes_block_a_new_copy_on_arrival(settings, store, client, loopback, make_image) -> None:
    data = make_image("JPEG", (30, 30), (9, 9, 9))
    loopback.reply("/first.jpg", data, content_type="image/jpeg")
    loopback.reply("/renamed-copy.jpg", data, content_type="image/jpeg")
    client.get(signed(settings, loopback.url + "/first.jpg"))
    first = store.image_by_url(loopback.url + "/first.jpg")
    assert first is not None
    store.set_image_state(first.id, "confirmed")
    response = client.get(signed(settings, loopback.url + "/renamed-copy.jpg"))
    assert response.headers["content-type"].startswith("image/svg+xml")
    copy = store.image_by_url(loopback.url + "/renamed-copy.jpg")
    assert copy is not None and copy.state == "confirmed" and copy.sha256 == first.sha256


async def test_concurrent_first_requests_fetch_once(settings, store, loopback, make_image) -> None:
    data = make_image("JPEG", (40, 40))

    def slow(req: BaseHTTPRequestHandler) -> None:
        time.sleep(0.2)  # keeps the first fetch in flight while the others arrive
        req.send_response(200)
        req.send_header("Content-Type", "image/jpeg")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    loopback.routes["/slow.jpg"] = slow
    app = create_app(settings, store)
    path = signed(settings, loopback.url + "/slow.jpg")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://portal") as client:
        responses = await asyncio.gather(*(client.get(path) for _ in range(8)))
    assert {r.status_code for r in responses} == {200}
    assert {r.headers["content-type"] for r in responses} == {"image/jpeg"}
    assert loopback.hits.count("/slow.jpg") == 1
