"""Readers' browsers never contact the outlets: every image of a real demo page goes through /img."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from akhbar.config import Settings
from akhbar.demo import DemoWire, load_outlets
from akhbar.fetch import Fetcher
from akhbar.images import PLACEHOLDER, parse_image_path
from akhbar.pipeline import PipelineContext, refresh_source
from akhbar.store import Store
from akhbar.web.app import create_app
from akhbar.web.keys import secret_key

BASE = "https://portal.example"
_IMG_SRC = re.compile(r"<img\b[^>]*\ssrc=\"([^\"]*)\"")
_META_IMAGE = re.compile(r'<meta (?:property|name)="(?:og|twitter):image" content="([^"]*)"')


@pytest.fixture(scope="module")
def wire() -> Iterator[DemoWire]:
    with DemoWire(load_outlets()[:2]) as running:
        yield running


@pytest.fixture
def demo(settings: Settings, wire: DemoWire) -> Iterator[tuple[Settings, Store]]:
    """Return settings and a store holding what the pipeline took from two demo outlets."""
    settings = settings.replace(base_url=BASE, page_cache_ttl=0.0, fetch_article_pages="always")
    store = Store.open(settings.database_url_effective)
    for spec in wire.source_specs():
        store.add_source(spec)

    async def refresh_all() -> None:
        async with Fetcher(settings) as fetcher:
            ctx = PipelineContext(settings, fetcher, store)
            for source in store.all_sources():
                report = await refresh_source(source, ctx)
                assert report.ok, report.error

    asyncio.run(refresh_all())
    yield settings, store
    store.close()


def _article_paths(client: TestClient) -> list[str]:
    home = client.get("/").text
    return sorted(set(re.findall(r'href="(/article/[^"]+)"', home)))


def test_every_image_of_the_demo_pages_is_served_by_the_portal(demo) -> None:
    settings, store = demo
    key = secret_key(settings)
    with TestClient(create_app(settings, store)) as client:
        paths = _article_paths(client)
        assert paths, "the demo home page lists articles"
        pages = ["/", *paths]
        seen_inline = 0
        for path in pages:
            html = client.get(path).text
            for src in _IMG_SRC.findall(html):
                assert src.startswith("/img/"), f"{path}: <img src={src!r}>"
                assert parse_image_path(key, src.replace("&amp;", "&")) is not None
            for content in _META_IMAGE.findall(html):
                assert content.startswith(BASE + "/img/"), f"{path}: meta image {content!r}"
            body = html.split('class="article-body"', 1)[1] if 'class="article-body"' in html else ""
            seen_inline += len(_IMG_SRC.findall(body))
            assert "127.0.0.1" not in "".join(_IMG_SRC.findall(html))
        assert seen_inline > 0, "some demo article carries images inside its text"
        first_src = _IMG_SRC.findall(client.get(paths[0]).text)[0]
        image = client.get(first_src.replace("&amp;", "&"))
        assert image.status_code == 200 and image.headers["content-type"] in ("image/jpeg", "image/webp")


def test_a_blocked_image_leaves_every_page_and_opengraph(demo) -> None:
    settings, store = demo
    with TestClient(create_app(settings, store)) as client:
        path = next(p for p in _article_paths(client) if _META_IMAGE.search(client.get(p).text))
        article_id = int(path.split("/article/")[1].split("-")[0])
        images = store.images_of_article(article_id)
        assert images, "the pipeline registered the article's images"
        for image in images:
            store.set_image_state(image.id, "blocked")
        html = client.get(path).text
        assert not _META_IMAGE.search(html)
        srcs = _IMG_SRC.findall(html)
        assert PLACEHOLDER in srcs
        assert "Image bloquée après des signalements" in html
        key = secret_key(settings)
        blocked_urls = {i.url for i in images}
        shown = {parse_image_path(key, s.replace("&amp;", "&")) for s in srcs if s.startswith("/img/")}
        assert not shown & blocked_urls


def test_the_api_and_the_feeds_never_give_outlet_image_urls(demo) -> None:
    settings, store = demo
    with TestClient(create_app(settings, store)) as client:
        listed = client.get("/api/v1/articles", params={"limit": 50}).json()["articles"]
        with_image = [a for a in listed if a["image"]]
        assert with_image
        assert all(a["image"].startswith(BASE + "/img/") for a in with_image)
        detail = client.get(f"/api/v1/articles/{with_image[0]['id']}").json()
        srcs = _IMG_SRC.findall(detail["html"])
        assert all(s.startswith(BASE + "/img/") for s in srcs)
        for image in store.images_of_article(with_image[0]["id"]):
            store.set_image_state(image.id, "blocked")
        blocked = client.get(f"/api/v1/articles/{with_image[0]['id']}").json()
        assert blocked["image"] == BASE + PLACEHOLDER
        assert all(s == BASE + PLACEHOLDER for s in _IMG_SRC.findall(blocked["html"]))
        for feed in ("/feed.xml", "/atom.xml"):
            body = client.get(feed).text
            assert "/images/" not in body and ".jpg" not in body  # the outlets' image files never appear
