"""Graceful shutdown of the one-shot commands: SIGTERM abandons the refreshes in flight, cleanly.

Every refresh writes in one transaction, so a refresh cancelled before its write leaves nothing behind,
and one cancelled after has written all of it. Cancelling lets the `finally` blocks run: the extraction
pool is shut down and the connections closed, and the command exits with one line instead of being killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterator


class Terminated(Exception):
    """The command was stopped by SIGTERM; the message is the one line shown to the operator."""


@contextlib.contextmanager
def terminate_on_sigterm() -> Iterator[asyncio.Event]:
    """Cancel the current task on SIGTERM; raise Terminated instead of the cancellation when it fired.

    Yields an Event set when the signal arrived. Outside the main thread, or where the loop cannot take
    signal handlers, it does nothing.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    fired = asyncio.Event()

    def on_signal() -> None:
        fired.set()
        if task is not None:
            task.cancel("SIGTERM")

    try:
        loop.add_signal_handler(signal.SIGTERM, on_signal)
    except (NotImplementedError, RuntimeError, ValueError):
        yield fired
        return
    try:
        yield fired
    except asyncio.CancelledError:
        if not fired.is_set():
            raise
        if task is not None:
            task.uncancel()
        raise Terminated(
            "stopped by SIGTERM: refreshes in flight were abandoned (each writes in one transaction, "
            "so nothing is half-written); the next run takes them up"
        ) from None
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
