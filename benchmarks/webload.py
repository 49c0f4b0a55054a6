"""Load-test plumbing for benchmarks/web.py: the portal behind a bare route, servers, wrk and its script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

HERE = Path(__file__).resolve().parent
# httptools and uvloop are not pinned dependencies yet: `pip install --target` puts them here for the run.
PYDEPS = HERE / ".cache" / "pydeps"
VENV_BIN = Path(sys.executable).parent
BARE = "/__bare__/"


class BareCeiling:
    """Answer /__bare__/<n> with n bytes straight from ASGI (the server's ceiling); pass the rest on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.bodies: dict[int, bytes] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(BARE):
            await self.app(scope, receive, send)
            return
        size = min(int(path[len(BARE) :] or 0), 1 << 20)
        body = self.bodies.get(size) or self.bodies.setdefault(size, b"x" * size)
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(size).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def bench_app() -> ASGIApp:
    """Return the portal over the benchmark database (AKHBAR_BENCH_DB), behind the bare ceiling route."""
    from akhbar.config import load_settings
    from akhbar.store import Store
    from akhbar.web.app import create_app

    environ = {"AKHBAR_DATA_DIR": os.environ["AKHBAR_BENCH_DATA"], "AKHBAR_LOG_LEVEL": "WARNING"}
    settings = load_settings(environ=environ, env_file=None)
    store = Store.open(f"sqlite:///{os.environ['AKHBAR_BENCH_DB']}")
    return BareCeiling(create_app(settings, store))


def server_commands(port: int) -> dict[str, list[str]]:
    """Return the command of each server variant: one worker, no access log, the same app."""
    common = ["--host", "127.0.0.1", "--port", str(port)]
    uvicorn = [
        str(VENV_BIN / "python"),
        "-m",
        "uvicorn",
        "--factory",
        "webload:bench_app",
        "--app-dir",
        str(HERE),
    ]
    uvicorn += [*common, "--no-access-log", "--log-level", "warning"]
    granian = [str(VENV_BIN / "granian"), "--interface", "asgi", "--factory", "--working-dir", str(HERE)]
    granian += [*common, "--workers", "1", "--no-access-log", "--log-level", "warning", "webload:bench_app"]
    return {
        "uvicorn": [*uvicorn, "--loop", "asyncio", "--http", "h11"],
        "uvicorn+httptools+uvloop": [*uvicorn, "--loop", "uvloop", "--http", "httptools"],
        "granian": [*granian, "--loop", "asyncio"],
        "granian+uvloop": [*granian, "--loop", "uvloop"],
    }


def _pin(cpu: int) -> list[str]:
    """Return a taskset prefix pinning to one CPU, when there are two or more and taskset exists."""
    if (os.cpu_count() or 1) < 2 or shutil.which("taskset") is None:
        return []
    return ["taskset", "-c", str(cpu)]


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, error.read(), {k.lower(): v for k, v in error.headers.items()}


@contextmanager
def running_server(argv: list[str], env: dict[str, str], base: str) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server, wait until it answers, stop it afterwards."""
    process = subprocess.Popen([*_pin((os.cpu_count() or 1) - 1), *argv], env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if get(base + BARE + "1")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"web benchmark: the server did not start: {' '.join(argv)}")
            time.sleep(0.3)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


LUA = """
local paths = {%(paths)s}
local unique = %(unique)s
local i = 0
%(headers)s
request = function()
  i = i + 1
  local path = paths[(i %% #paths) + 1]
  if unique then path = path .. i end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "bytes": %%d, "errors": %%d, "non_2xx_3xx": %%d, ' ..
    '"p50": %%d, "p90": %%d, "p95": %%d, "p99": %%d, "max": %%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""


def lua_script(paths: list[str], unique: bool = False, headers: dict[str, str] | None = None) -> str:
    """Return a wrk script that cycles over paths (a counter appended when unique) and prints JSON."""
    quoted = ", ".join(json.dumps(p, ensure_ascii=True) for p in paths)
    header_lines = "\n".join(
        f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items()
    )
    return LUA % {"paths": quoted, "unique": "true" if unique else "false", "headers": header_lines}


def run_wrk(base: str, script: str, connections: int, duration: float) -> dict[str, Any]:
    """Run wrk once (one thread, pinned to the first CPU) and return its figures, latencies in ms."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        argv = [
            *_pin(0),
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "10s",
            "-s",
        ]
        out = subprocess.run([*argv, handle.name, base], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(handle.name)
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    raw = json.loads(line[len("RESULT ") :])
    figures = {key: round(raw[key] / 1000, 2) for key in ("p50", "p90", "p95", "p99", "max")}
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": round(raw["requests"] / seconds, 1),
        "requests": raw["requests"],
        "kb_per_response": round(raw["bytes"] / max(raw["requests"], 1) / 1024, 1),
        "errors": raw["errors"],
        "non_2xx_3xx": raw["non_2xx_3xx"],
        **figures,
    }


def server_env(db: Path, data: Path) -> dict[str, str]:
    """Return the servers' environment: the database, a scratch data dir, the extra C extensions."""
    env = {**os.environ, "AKHBAR_BENCH_DB": str(db), "AKHBAR_BENCH_DATA": str(data)}
    if PYDEPS.is_dir():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PYDEPS), env.get("PYTHONPATH", "")]))
    return env


def usable(name: str) -> bool:
    """Tell whether a variant's event loop and HTTP parser can be imported by the servers."""
    needs = [m for m in ("uvloop", "httptools") if m in name]
    if not needs:
        return True
    return all((PYDEPS / m).is_dir() or _importable(m) for m in needs)


def _importable(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True
