"""An asyncio loopback HTTP server whose routes are coroutines, for fetch tests that need odd servers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class Request:
    """What the server saw of one request."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[[Request, asyncio.StreamWriter], Awaitable[None]]


def http_response(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    """Return a complete HTTP/1.1 response with Content-Length and Connection: close."""
    lines = [f"HTTP/1.1 {status} X"]
    merged = {"Content-Length": str(len(body)), "Connection": "close", **(headers or {})}
    lines += [f"{name}: {value}" for name, value in merged.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class AsyncServer:
    """An HTTP/1.1 server on 127.0.0.1 (one request per connection) that records what it sees."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Listen on an ephemeral port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)

    @property
    def port(self) -> int:
        """Return the port listened on."""
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        """Return the base URL, without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    def reply(
        self, path: str, body: bytes | str = b"", status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        """Serve a fixed response at path."""
        data = body.encode() if isinstance(body, str) else body

        async def route(request: Request, writer: asyncio.StreamWriter) -> None:
            writer.write(http_response(status, data, headers))

        self.routes[path] = route

    def hits(self, path: str) -> int:
        """Return how many requests asked for path."""
        return sum(1 for r in self.requests if r.path == path)

    async def close(self) -> None:
        """Stop listening and cancel handlers still running (endless or trickling bodies)."""
        for task in list(self._tasks):
            task.cancel()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            request = await self._read(reader)
            if request is None:
                return
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                route = self.routes.get(request.path.split("?")[0])
                if route is None:
                    writer.write(http_response(404, b"not here"))
                else:
                    await route(request, writer)
                await writer.drain()
            finally:
                self.in_flight -= 1
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    @staticmethod
    async def _read(reader: asyncio.StreamReader) -> Request | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        return Request(method, path, headers)
