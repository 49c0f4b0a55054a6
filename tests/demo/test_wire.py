"""The wire's pages, images, conditional GET, hanging pages, shutdown and the one-port mode."""

from __future__ import annotations

import asyncio
import io
import json
import re
import socket
import threading
import time
from urllib.parse import urlsplit

import httpx
import pytest
from PIL import Image

from akhbar.demo import DemoWire, DemoWireError, synthetic_outlets
from akhbar.demo.render import body_image_slug, has_json_ld

from .conftest import sample_outlets

OUTLETS = {o.slug: o for o in sample_outlets()}


def _alternate(html: str) -> list[str]:
    return re.findall(r'<link rel="alternate"[^>]*>', html)


def test_home_links_its_feed_only_when_told(wire: DemoWire) -> None:
    linked = httpx.get(wire.site_url("la-voix-du-littoral")).text
    (link,) = _alternate(linked)
    assert 'type="application/rss+xml"' in link and f'href="{wire.feed_url("la-voix-du-littoral")}"' in link
    assert _alternate(httpx.get(wire.site_url("the-hillside-herald")).text) == []


def test_unlinked_feed_is_found_by_probing(wire: DemoWire) -> None:
    site = wire.site_url("the-hillside-herald")
    assert wire.feed_url("the-hillside-herald") == site + "rss.xml"
    assert httpx.get(site + "rss.xml").status_code == 200
    assert httpx.get(site + "atom.xml").status_code == 404


def test_home_lists_articles_with_images(wire: DemoWire) -> None:
    outlet = OUTLETS["la-voix-du-littoral"]
    html = httpx.get(wire.site_url(outlet.slug)).text
    assert '<html lang="fr">' in html
    for article in outlet.articles:
        assert f'{wire.site_url(outlet.slug)}articles/{article.slug}.html' in html
        assert f'images/{article.slug}.jpg' in html and article.title in html


def test_arabic_pages_are_right_to_left(wire: DemoWire) -> None:
    outlet = OUTLETS["arabic-outlet"]
    site = wire.site_url(outlet.slug)
    for url in (site, f"{site}articles/{outlet.articles[0].slug}.html"):
        assert '<html lang="ar" dir="rtl">' in httpx.get(url).text


@pytest.mark.parametrize("slug", ["la-voix-du-littoral", "the-hillside-herald"])
def test_article_page_has_metadata_and_body(wire: DemoWire, slug: str) -> None:
    outlet = OUTLETS[slug]
    article = outlet.articles[0]
    url = f"{wire.site_url(slug)}articles/{article.slug}.html"
    html = httpx.get(url).text
    assert f"<h1>{article.title}</h1>" in html and article.author in html
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'<meta property="og:image" content="{wire.site_url(slug)}images/{article.slug}.jpg">' in html
    assert f'<time datetime="{article.published.isoformat()}">' in html
    assert all(p.replace("'", "&#x27;") in html for p in article.paragraphs)
    assert 'class="cookie-notice"' in html and 'class="related"' in html
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    assert bool(scripts) is has_json_ld(outlet)
    if scripts:
        data = json.loads(scripts[0])
        assert data["@type"] == "NewsArticle" and data["headline"] == article.title


def test_json_ld_varies_between_outlets() -> None:
    assert {has_json_ld(o) for o in sample_outlets()} == {True, False}


def test_images_are_jpegs_drawn_the_same_each_time(wire: DemoWire) -> None:
    outlet = OUTLETS["la-voix-du-littoral"]
    url = f"{wire.site_url(outlet.slug)}images/{outlet.articles[0].slug}.jpg"
    first, second = httpx.get(url), httpx.get(url)
    assert first.headers["content-type"] == "image/jpeg" and first.content == second.content
    image = Image.open(io.BytesIO(first.content))
    assert image.format == "JPEG" and image.size == (800, 450)


def test_body_images_are_served(wire: DemoWire) -> None:
    pairs = [(o, a) for o in sample_outlets()[:2] for a in o.articles if body_image_slug(a)]
    assert pairs, "no sample article has a body image"
    outlet, article = pairs[0]
    html = httpx.get(f"{wire.site_url(outlet.slug)}articles/{article.slug}.html").text
    image_url = f"{wire.site_url(outlet.slug)}images/{body_image_slug(article)}.jpg"
    assert image_url in html
    assert Image.open(io.BytesIO(httpx.get(image_url).content)).format == "JPEG"


@pytest.mark.parametrize("path", ["", "feed", "articles/le-port-agrandit-son-quai.html",
                                  "images/le-port-agrandit-son-quai.jpg"])
@pytest.mark.parametrize("validator", [("etag", "if-none-match"), ("last-modified", "if-modified-since")])
def test_conditional_get_answers_304(wire: DemoWire, path: str, validator: tuple[str, str]) -> None:
    url = wire.site_url("la-voix-du-littoral") + path
    first = httpx.get(url)
    assert first.status_code == 200
    again = httpx.get(url, headers={validator[1]: first.headers[validator[0]]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


def test_stale_validators_get_the_full_body(wire: DemoWire) -> None:
    url = wire.feed_url("la-voix-du-littoral")
    headers = {"if-none-match": '"not-this-one"', "if-modified-since": "Mon, 02 Nov 2026 08:00:00 GMT"}
    assert httpx.get(url, headers=headers).status_code == 200
    assert httpx.get(url, headers={"if-modified-since": "Mon, 02 Nov 2026 08:00:00 GMT"}).status_code == 200


def test_robots_head_404_and_405(wire: DemoWire) -> None:
    site = wire.site_url("la-voix-du-littoral")
    robots = httpx.get(site + "robots.txt")
    assert robots.status_code == 200 and "Allow: /" in robots.text
    head = httpx.head(site + "feed")
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 100
    assert httpx.get(site + "nothing.html").status_code == 404
    assert httpx.post(site + "feed").status_code == 405


def test_source_specs_leave_the_feed_to_discovery(wire: DemoWire) -> None:
    specs = {s.url: s for s in wire.source_specs()}
    assert len(specs) == len(OUTLETS)  # one port, so one URL, each
    spec = specs[wire.site_url("la-voix-du-littoral")]
    assert (spec.name, spec.language, spec.feed_url, spec.category) == ("La Voix du Littoral", "fr", "", "")


def test_broken_article_page_times_out(wire: DemoWire) -> None:
    outlet = OUTLETS["broken-outlet"]
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{wire.site_url(outlet.slug)}articles/{outlet.articles[0].slug}.html", timeout=0.5)


def test_stop_returns_while_a_request_hangs() -> None:
    outlet = OUTLETS["broken-outlet"]
    wire = DemoWire([outlet])
    wire.start()
    url = f"{wire.site_url(outlet.slug)}articles/{outlet.articles[0].slug}.html"
    outcome: list[object] = []
    client = threading.Thread(target=lambda: outcome.append(_get_or_error(url)))
    client.start()
    time.sleep(0.3)  # let the request reach the server and start hanging
    began = time.monotonic()
    wire.stop()
    assert time.monotonic() - began < 3
    client.join(timeout=5)
    assert not client.is_alive() and outcome


def _get_or_error(url: str) -> object:
    try:
        return httpx.get(url, timeout=30).status_code
    except httpx.HTTPError as exc:
        return exc


def test_single_port_serves_many_outlets() -> None:
    outlets = synthetic_outlets(40, 3, seed=7)
    with DemoWire(outlets, single_port=True) as wire:
        urls = [wire.feed_url(o.slug) for o in outlets] + [wire.site_url(o.slug) for o in outlets]
        assert len({u.split("/s/")[0] for u in urls}) == 1
        site = wire.site_url(outlets[5].slug)
        assert site.endswith(f"/s/{outlets[5].slug}/")
        assert asyncio.run(_fetch_all(urls)) == [200] * len(urls)
        feed = httpx.get(wire.feed_url(outlets[5].slug)).text
        assert f"{site}articles/{outlets[5].articles[0].slug}.html" in feed
        assert httpx.get(site.split("/s/")[0] + "/robots.txt").status_code == 200


async def _fetch_all(urls: list[str]) -> list[int]:
    # httpx's pool slows down sharply past a few dozen connections (its own bookkeeping), so stay modest here.
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=20), timeout=30) as client:
        responses = await asyncio.gather(*(client.get(u) for u in urls))
    return [r.status_code for r in responses]


async def test_hundreds_of_connections_at_once() -> None:
    outlets = synthetic_outlets(50, 2, seed=3)
    with DemoWire(outlets, single_port=True) as wire:
        paths = [urlsplit(wire.feed_url(o.slug)).path for o in outlets]
        port = urlsplit(wire.site_url(outlets[0].slug)).port or 0
        pairs = [[paths[i % 50], paths[(i + 1) % 50]] for i in range(300)]
        statuses = await asyncio.gather(*(_raw_get(port, pair) for pair in pairs))
    assert statuses == [[200, 200]] * 300


async def _raw_get(port: int, paths: list[str]) -> list[int]:
    """Send requests over one kept-alive connection with bare asyncio streams; return the status codes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    statuses = []
    for path in paths:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: demo\r\n\r\n".encode())
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        length = int(re.search(r"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
        await reader.readexactly(length)
        statuses.append(int(head.split()[1]))
    writer.close()
    return statuses


def test_wire_refuses_misuse() -> None:
    wire = DemoWire(sample_outlets()[:1])
    with pytest.raises(DemoWireError, match="not started"):
        wire.site_url("la-voix-du-littoral")
    with wire:
        with pytest.raises(DemoWireError, match="already started"):
            wire.start()
        with pytest.raises(DemoWireError, match="no outlet 'nope'"):
            wire.site_url("nope")


def test_busy_port_gives_one_line_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(DemoWireError, match=f"cannot listen on 127.0.0.1:{port}") as caught:
            DemoWire(sample_outlets()[:1], base_port=port).start()
        assert "\n" not in str(caught.value)


def test_command_line_reports_a_busy_port_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from akhbar.demo.__main__ import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["--synthetic", "2", "1", "--single-port", "--port", str(port)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and f"cannot listen on 127.0.0.1:{port}" in error
