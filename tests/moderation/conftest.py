"""Moderation fixtures: a store on each engine, an article with an image, and the app live on loopback."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi import FastAPI

from akhbar.config import Settings
from akhbar.models import Article, SourceSpec
from akhbar.store import Store
from akhbar.store.images import ImageRecord
from akhbar.web import auth
from akhbar.web.app import create_app

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
# Loopback addresses in distinct /24 networks: each stands for a different reader's network.
NETWORKS = ("127.0.0.1", "127.0.1.1", "127.0.2.1", "127.0.3.1")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Return the URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'data' / 'akhbar.db'}"


@pytest.fixture
def postgresql_url(postgresql_clean_url: str) -> str:
    """Return the session's PostgreSQL database, emptied (tests/conftest.py)."""
    return postgresql_clean_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Return the URL of a fresh database on each engine."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Use cheap argon2 parameters (the same code path) for test accounts."""
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth._decoy_hash.cache_clear()
    yield
    auth._decoy_hash.cache_clear()


@pytest.fixture
def mod_settings(settings: Settings, db_url: str) -> Settings:
    """Return settings on the engine under test, with the default thresholds."""
    return settings.replace(database_url=db_url, base_url="http://127.0.0.1:8000")


@pytest.fixture
def store(mod_settings: Settings) -> Iterator[Store]:
    """Open a fresh store with an admin (alice) and a moderator (mona)."""
    opened = Store.open(mod_settings.database_url_effective)
    now = datetime.now(UTC)
    opened.create_account("alice", auth.hash_password(PASSWORD), "admin", now=now)
    opened.create_account("mona", auth.hash_password(PASSWORD), "moderator", now=now)
    yield opened
    opened.close()


@dataclass
class Shown:
    """An article of the test store and the image it shows."""

    article: Article
    image: ImageRecord


AddArticle = Callable[..., Shown]


@pytest.fixture
def add_article(store: Store) -> AddArticle:
    """Return a function that stores an article showing an image (state ok), one source per slug."""
    counter = iter(range(1, 10_000))

    def add(image_url: str = "", *, source: str = "wire", sha256: str = "") -> Shown:
        n = next(counter)
        found = store.source_by_slug(source)
        if found is None:
            found = store.add_source(SourceSpec(url=f"https://{source}.example/", name=source.title()))
            found = store.source_by_slug(found.slug) or found
        url = image_url or f"https://{source}.example/img/{n}.jpg"
        canonical = f"https://{source}.example/news/{n}"
        article = Article(
            found.id, f"g{n}", canonical, canonical, f"Titre numéro {n}", summary="Résumé.", text="Texte.",
            image=url, published_at=datetime.now(UTC), language="fr",
        )  # fmt: skip
        store.save_refresh(found, [article])
        store.link_article_images({canonical: [url]})
        image = store.ensure_image(url)
        store.record_image_fetch(
            image.id, sha256=sha256 or f"{n:064x}", width=10, height=10, content_type="image/webp",
            now=datetime.now(UTC),
        )  # fmt: skip
        stored = next(a for a in store.latest_headlines(1000) if a.canonical_url == canonical)
        record = store.image_by_id(image.id)
        assert record is not None
        return Shown(stored, record)

    return add


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Live:
    """The app served by uvicorn on loopback, and the store behind it."""

    url: str
    app: FastAPI
    store: Store
    settings: Settings

    def client(self, address: str = NETWORKS[0]) -> httpx.Client:
        """Return a new reader (its own cookie jar) whose requests leave from a loopback address."""
        transport = httpx.HTTPTransport(local_address=address)
        return httpx.Client(base_url=self.url, transport=transport, timeout=30)


def serve(app: FastAPI) -> Iterator[str]:
    """Run an app under uvicorn in a thread; yield its base URL; stop it afterwards."""
    port = free_port()
    # uvicorn would rewrite the client address from X-Forwarded-For for 127.0.0.1 on its own; akhbar's
    # trusted_proxies setting decides that instead.
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", proxy_headers=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def make_live(store: Store, mod_settings: Settings) -> Iterator[Callable[..., Live]]:
    """Return a function that starts the portal live with some settings changed."""
    stops: list[Iterator[str]] = []

    def start(**changes: object) -> Live:
        settings = mod_settings.replace(**changes)
        app = create_app(settings, store)
        running = serve(app)
        stops.append(running)
        return Live(next(running), app, store, settings)

    yield start
    for running in stops:
        next(running, None)


@pytest.fixture
def live(make_live: Callable[..., Live]) -> Live:
    """Return the portal live with the default thresholds."""
    return make_live()


def post_report(client: httpx.Client, image: object, **form: str) -> httpx.Response:
    """Report an image as report.js does: a token from /img/report-token (once per client), then a POST."""
    if "x-csrf-token" not in client.headers:
        client.headers["x-csrf-token"] = client.get("/img/report-token").json()["token"]
    data = {"image": str(image), **form}
    return client.post("/img/report", data=data, headers={"accept": "application/json"})


@pytest.fixture
def report() -> Callable[..., httpx.Response]:
    """Return the function that posts a report from a client."""
    return post_report
