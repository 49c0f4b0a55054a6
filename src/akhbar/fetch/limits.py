"""Politeness limits: a cap on requests in flight per host and in all."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class Limiter:
    """Hand out request slots: at most per_host to one host:port and at most total overall."""

    def __init__(self, per_host: int, total: int) -> None:
        if per_host < 1 or total < 1:
            raise ValueError("fetch limits must be at least 1")
        self._per_host = per_host
        self._total = asyncio.Semaphore(total)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._users: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def slot(self, host_key: str) -> AsyncIterator[None]:
        """Hold one slot for host_key (and one global slot) for the duration of the block."""
        semaphore = self._hosts.setdefault(host_key, asyncio.Semaphore(self._per_host))
        self._users[host_key] = self._users.get(host_key, 0) + 1
        try:
            # Take the host slot first so that waiters on one busy host do not hold global slots.
            async with semaphore, self._total:
                yield
        finally:
            self._users[host_key] -= 1
            if self._users[host_key] == 0:
                # Forget idle hosts so that the table does not grow with every host ever fetched.
                del self._users[host_key]
                del self._hosts[host_key]

    def hosts_tracked(self) -> int:
        """Return how many hosts currently have requests running or waiting."""
        return len(self._hosts)
