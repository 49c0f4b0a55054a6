"""Browser fixtures: the demo portal served for real on loopback, and chromium driven by Playwright."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from akhbar.commands import demo_settings, fetch_pass
from akhbar.config import Settings, load_settings
from akhbar.demo import DemoWire, Outlet, load_outlets
from akhbar.models import Article, SourceSpec
from akhbar.registry import import_specs
from akhbar.store import Store
from akhbar.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _require_services() -> bool:
    return os.environ.get("AKHBAR_REQUIRE_SERVICES", "") == "1"


def _missing(reason: str) -> None:
    """Skip the browser tests, or fail them when CI says every service must be there."""
    if _require_services():
        pytest.fail(f"{reason} (AKHBAR_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def portal_settings(data_dir: Path) -> Settings:
    """Return the demo's settings over a fresh data dir: loopback fetches, no robots, short timeouts."""
    base = load_settings(
        {
            "AKHBAR_DATA_DIR": str(data_dir),
            "AKHBAR_FETCH_RESPECT_ROBOTS": "0",
            "AKHBAR_FETCH_TOTAL_TIMEOUT": "5",
            "AKHBAR_FETCH_CONNECT_TIMEOUT": "2",
            "AKHBAR_FETCH_RETRIES": "0",
        },
        env_file=None,
    )
    return demo_settings(base)


class LiveServer:
    """The portal's ASGI app under uvicorn, in a background thread, on a free loopback port."""

    def __init__(self, settings: Settings, store: Store) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.sock = sock
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(
            create_app(settings, store),
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, name="e2e-portal", daemon=True)

    def _run(self) -> None:
        asyncio.run(self.server.serve(sockets=[self.sock]))

    def start(self) -> LiveServer:
        """Start serving and return once the server accepts requests."""
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("e2e: the portal's server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for its thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@dataclass
class Portal:
    """A running portal and what the tests need to know about its content."""

    url: str
    store: Store
    settings: Settings
    wire: DemoWire | None = None
    outlets: tuple[Outlet, ...] = ()

    def headlines(self, limit: int = 500) -> list[Article]:
        """Return the stored articles, newest first."""
        return self.store.latest_headlines(limit)


def ingest(settings: Settings, store: Store, specs: list[SourceSpec]) -> None:
    """Register the sources and run one fetch pass over them (the pipeline, as `akhbar fetch` does)."""
    import_specs(store, specs)
    sources = [s for s in store.all_sources() if s.enabled]
    # Playwright's sync API keeps an event loop in this thread, so the pass runs in a thread of its own.
    worker = threading.Thread(target=lambda: asyncio.run(fetch_pass(settings, store, sources, quiet=True)))
    worker.start()
    worker.join()


@pytest.fixture(scope="session")
def serve_portal() -> Iterator[Callable[[Settings, Store], str]]:
    """Return a function that serves the web app over a store and gives its base URL (stopped at the end)."""
    servers: list[LiveServer] = []

    def serve(settings: Settings, store: Store) -> str:
        server = LiveServer(settings, store).start()
        servers.append(server)
        return server.url

    yield serve
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def build_portal(
    tmp_path_factory: pytest.TempPathFactory, serve_portal: Callable[[Settings, Store], str]
) -> Iterator[Callable[[list[SourceSpec]], Portal]]:
    """Return a function that ingests sources into a fresh database and serves a portal over it."""
    stores: list[Store] = []

    def build(specs: list[SourceSpec]) -> Portal:
        settings = portal_settings(tmp_path_factory.mktemp("portal"))
        store = Store.open(settings.database_url_effective)
        stores.append(store)
        ingest(settings, store, specs)
        return Portal(serve_portal(settings, store), store, settings)

    yield build
    for store in stores:
        store.close()


@pytest.fixture(scope="session")
def demo_portal(build_portal: Callable[[list[SourceSpec]], Portal]) -> Iterator[Portal]:
    """Serve the bundled demo outlets on loopback, ingest them into a fresh database and serve the portal."""
    outlets = load_outlets()
    with DemoWire(outlets) as wire:
        portal = build_portal(wire.source_specs())
        assert portal.store.count_articles() > 20, "e2e: the demo pass stored too few articles"
        portal.wire, portal.outlets = wire, tuple(outlets)
        yield portal


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Launch Debian's chromium for a test module (skipped, or failed in CI, when it is absent).

    Module scope, not session: Playwright's sync API holds an event loop in the main thread while it runs,
    and the asyncio tests of the other packages that run after tests/e2e need that thread free.
    """
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is absent (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright for Python is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """Open a fresh browser context (no cache, no cookies) and one page in it, 1280x900, French locale."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], None]:
    """Return a function that saves a full-page PNG to docs/screenshots/ when AKHBAR_SCREENSHOTS=1."""

    def take(page: Any, name: str) -> None:
        if os.environ.get("AKHBAR_SCREENSHOTS", "") != "1":
            return  # CI must not rewrite tracked files
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

    return take
