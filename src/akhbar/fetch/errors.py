"""The one exception type of the fetch stage."""

from __future__ import annotations

# Short machine codes a FetchError can carry; the scheduler and the UI switch on them.
KINDS = frozenset(
    {
        "dns",
        "connect",
        "timeout",
        "http",
        "too_large",
        "blocked_address",
        "redirects",
        "robots",
        "scheme",
        "url",
        "tls",
        "protocol",
    }
)


class FetchError(Exception):
    """A request failed; the message is one line that names the cause."""

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        url: str = "",
        status: int | None = None,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown fetch error kind {kind!r}")
        # Keep the message on one line whatever the underlying library said.
        message = " ".join(message.split())
        super().__init__(message if message.startswith("fetch:") else f"fetch: {message}")
        self.kind = kind
        self.url = url
        self.status = status
        self.retry_after = retry_after
        self.permanent = permanent

    def __repr__(self) -> str:
        return f"FetchError(kind={self.kind!r}, status={self.status!r}, message={str(self)!r})"
