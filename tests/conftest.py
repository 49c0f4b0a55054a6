"""Shared fixtures: settings for tests, the ../shared folder, and service requirements."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from akhbar.config import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POSTGRES_URL = os.environ.get("AKHBAR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def require_services() -> bool:
    """Return True when a missing PostgreSQL/Redis must fail the run instead of skipping."""
    return os.environ.get("AKHBAR_REQUIRE_SERVICES", "") == "1"


def wait_for(predicate: Callable[[], bool], seconds: float) -> bool:
    """Poll predicate until it holds or the time is up (for tests that watch another process)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def shared_dir() -> Path:
    """Return ../shared, skipping the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Return settings for a test: a fresh data dir, private addresses allowed, no default sources."""
    return load_settings(
        {
            "AKHBAR_DATA_DIR": str(tmp_path / "data"),
            "AKHBAR_FETCH_ALLOW_PRIVATE": "1",
            "AKHBAR_LOAD_DEFAULT_SOURCES": "0",
            "AKHBAR_FETCH_RESPECT_ROBOTS": "0",
            "AKHBAR_FETCH_TOTAL_TIMEOUT": "5",
            "AKHBAR_FETCH_CONNECT_TIMEOUT": "2",
            "AKHBAR_FETCH_RETRIES": "0",
        },
        env_file=None,
    )


Handler = Callable[[BaseHTTPRequestHandler], None]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up early (size caps, timeouts) are what the tests provoke


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 whose routes are plain functions set by the test."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: list[str] = []
        routes, hits = self.routes, self.hits

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                hits.append(self.path)
                handler = routes.get(self.path.split("?")[0])
                if handler is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                handler(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Return the base URL (no trailing slash)."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def reply(
        self,
        path: str,
        body: bytes | str,
        status: int = 200,
        content_type: str = "application/rss+xml",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Serve a fixed response at path."""
        data = body.encode() if isinstance(body, str) else body

        def handler(req: BaseHTTPRequestHandler) -> None:
            req.send_response(status)
            req.send_header("Content-Type", content_type)
            req.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                req.send_header(name, value)
            req.end_headers()
            req.wfile.write(data)

        self.routes[path] = handler


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    """Start a loopback HTTP server for one test."""
    server = LoopbackServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def _unreachable(exc: OperationalError) -> None:
    """Skip (or, under AKHBAR_REQUIRE_SERVICES=1, fail) because PostgreSQL cannot be reached."""
    message = f"PostgreSQL unreachable at {POSTGRES_URL}: {str(exc.orig).strip().splitlines()[0]}"
    if require_services():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgresql_session_url() -> Iterator[str]:
    """Create one PostgreSQL database for the whole run, migrated once; drop it at the end.

    Creating a database per test costs 2-4 s; emptying this one (postgresql_clean_url) costs milliseconds.
    """
    from akhbar.store import Store

    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"akhbar_test_session_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        _unreachable(exc)
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        Store.open(url).close()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgresql_clean_url(postgresql_session_url: str) -> str:
    """Return the session's PostgreSQL database with every table emptied and every id sequence restarted."""
    engine = create_engine(postgresql_session_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '20s'"))  # a store left open fails loudly, not hangs
            names = conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).scalars()
            tables = ", ".join(f'"{name}"' for name in names if name != "alembic_version")
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()
    return postgresql_session_url


POSTGRES_URL = os.environ.get("AKHBAR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """Create a throw-away PostgreSQL database, yield its URL, drop it afterwards (skip or fail if absent)."""
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.exc import OperationalError

    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"akhbar_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL unreachable at {POSTGRES_URL}: {str(exc.orig).strip().splitlines()[0]}"
        if require_services():
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
