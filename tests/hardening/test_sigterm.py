"""SIGTERM to a real `akhbar fetch` / `akhbar run`: it exits within 10 seconds, nothing half-written."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler

import httpx
from tests.conftest import wait_for

from akhbar.models import SourceSpec
from akhbar.store import Store

FEED = (
    "<rss version='2.0'><channel><title>Lente</title>"
    + "".join(f"<item><guid>s{n}</guid><title>Article lent {n}</title></item>" for n in range(5))
    + "</channel></rss>"
)


def environment(settings) -> dict[str, str]:
    """Return the environment of an akhbar subprocess on the test's data directory."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AKHBAR_DATA_DIR": settings.data_dir,
        "AKHBAR_FETCH_ALLOW_PRIVATE": "1",
        "AKHBAR_LOAD_DEFAULT_SOURCES": "0",
        "AKHBAR_FETCH_RESPECT_ROBOTS": "0",
        "AKHBAR_EXTRACT_PROCESSES": "1",
        "AKHBAR_FETCH_ARTICLE_PAGES": "never",
        "AKHBAR_FETCH_RETRIES": "0",
        "AKHBAR_FETCH_PER_HOST": "16",
        "AKHBAR_SCHEDULE_TICK": "0.2",
    }


def slow_sources(settings, loopback, count: int = 6) -> None:
    """Register sources whose feeds answer only after 60 seconds, plus one quick one."""

    def slow(req: BaseHTTPRequestHandler) -> None:
        time.sleep(60)

    loopback.routes["/slow"] = slow
    loopback.reply("/quick", FEED)
    store = Store.open(settings.database_url_effective)
    try:
        for n in range(count):
            url = f"{loopback.url}/slow?{n}"
            store.add_source(SourceSpec(url=url, feed_url=url, name=f"slow {n}"))
        store.add_source(SourceSpec(url=f"{loopback.url}/quick", feed_url=f"{loopback.url}/quick", name="q"))
    finally:
        store.close()


def terminate(process: subprocess.Popen[str]) -> tuple[float, str]:
    """Send SIGTERM and return (seconds to exit, stderr)."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
    return time.monotonic() - started, stderr


def check_database(settings) -> int:
    """Return the article count after checking that the database is sound."""
    store = Store.open(settings.database_url_effective)
    try:
        assert store.integrity_check() == "ok"
        return store.count_articles()
    finally:
        store.close()


def test_sigterm_stops_fetch_cleanly(settings, loopback) -> None:
    slow_sources(settings, loopback)
    process = subprocess.Popen(
        [sys.executable, "-m", "akhbar", "fetch"],
        env=environment(settings), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert wait_for(lambda: sum(h.startswith("/slow") for h in loopback.hits) >= 6, 60)
        assert wait_for(lambda: check_database(settings) == 5, 30)  # the quick source is in
    finally:
        elapsed, stderr = terminate(process)
    assert elapsed < 10
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("akhbar: stopped by SIGTERM"), stderr
    assert "Traceback" not in stderr
    assert process.returncode == 1
    assert check_database(settings) == 5


def free_port() -> int:
    """Return a port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_sigterm_stops_run_cleanly(settings, loopback) -> None:
    slow_sources(settings, loopback)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "akhbar", "run", "--port", str(port)],
        env=environment(settings), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:

        def serving() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        assert wait_for(serving, 60)
        assert wait_for(lambda: sum(h.startswith("/slow") for h in loopback.hits) >= 6, 30)
        assert wait_for(lambda: check_database(settings) == 5, 30), loopback.hits
    finally:
        elapsed, stderr = terminate(process)
    assert elapsed < 10
    assert "Traceback" not in stderr, stderr
    assert process.returncode == 0, stderr
    assert check_database(settings) == 5
