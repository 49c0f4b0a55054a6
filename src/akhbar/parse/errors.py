"""Errors of the parse stage: one typed exception with a one-line message and a machine-readable kind."""

from __future__ import annotations

KINDS = frozenset({"empty", "not_xml", "html_page", "unsupported", "hostile"})


class FeedError(Exception):
    """A document that cannot be read as a feed; `kind` says why in one word."""

    def __init__(self, message: str, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown FeedError kind {kind!r}")
        # Keep the message on one line whatever the parser reported.
        super().__init__(" ".join(message.split()))
        self.kind = kind


class NotAFeedError(FeedError):
    """An HTML page was given where a feed was expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "html_page")
