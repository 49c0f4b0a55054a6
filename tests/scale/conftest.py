"""Scale-out fixtures: throw-away PostgreSQL databases, a private redis-server, real akhbar processes."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def _unavailable(message: str) -> None:
    if os.environ.get("AKHBAR_REQUIRE_SERVICES", "") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def pg_url(postgresql_url: str) -> str:
    """Return the URL of a throw-away PostgreSQL database (see tests/conftest.py)."""
    return postgresql_url


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    """Return the URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'data' / 'akhbar.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def any_db(request: pytest.FixtureRequest) -> str:
    """Return the URL of a fresh database on each engine."""
    return str(request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_url"))


def free_port() -> int:
    """Return a TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, seconds: float = 20.0) -> None:
    """Wait until something listens on 127.0.0.1:port."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {seconds} s")


class RedisServer:
    """A private, non-persistent redis-server on its own port (the machine's shared one is never touched)."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return the broker URL."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server and wait until it listens."""
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.directory)]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        """Stop the server (its queued messages are lost: it keeps nothing on disk)."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """Start a private redis-server for one test."""
    if shutil.which("redis-server") is None:
        _unavailable("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class Processes:
    """akhbar commands started as real processes, each in its own session so a kill takes its children."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        """Start `akhbar <args>` under a name; its output goes to <logs>/<name>.log."""
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "akhbar", *args], env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running[name] = process
        return process

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send a signal to the whole process group of a started command and reap it."""
        process = self.running.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        """Kill every command still running (the test is over: a warm shutdown would only cost time)."""
        for name in list(self.running):
            self.kill(name)

    def log(self, name: str) -> str:
        """Return what a command wrote so far."""
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def akhbar_env(tmp_path: Path, database_url: str, broker_url: str = "", **extra: str) -> dict[str, str]:
    """Return an environment for akhbar processes of a test (loopback allowed, no default sources)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    env.update(
        AKHBAR_DATA_DIR=str(tmp_path / "data"),
        AKHBAR_DATABASE_URL=database_url,
        AKHBAR_BROKER_URL=broker_url,
        AKHBAR_FETCH_ALLOW_PRIVATE="1",
        AKHBAR_LOAD_DEFAULT_SOURCES="0",
        AKHBAR_FETCH_RESPECT_ROBOTS="0",
        AKHBAR_FETCH_RETRIES="1",
        AKHBAR_SECRET_KEY="test-secret-key-for-every-web-node",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    """Start akhbar commands as processes; stop whatever is left at the end."""
    logs = tmp_path / "logs"
    logs.mkdir()
    started = Processes({}, logs)
    yield started
    started.stop_all()


class Helpers:
    """Small helpers the scale tests share (test modules cannot import each other)."""

    free_port = staticmethod(free_port)
    wait_for_port = staticmethod(wait_for_port)

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def env(self, database_url: str, broker_url: str = "", **extra: str) -> dict[str, str]:
        """Return an environment for akhbar processes of this test."""
        return akhbar_env(self.tmp_path, database_url, broker_url, **extra)


@pytest.fixture
def helpers(tmp_path: Path) -> Helpers:
    """Return the shared helpers bound to this test's directory."""
    return Helpers(tmp_path)
