"""Bounded decompression of gzip, deflate and brotli bodies, so a compression bomb cannot balloon memory."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import brotli

# Target size of a piece produced in one step (brotli may overshoot by one buffer growth step);
# the caller counts pieces and stops at its cap.
PIECE = 64 * 1024
ACCEPT_ENCODING = "gzip, deflate, br"


class InflateError(ValueError):
    """A body could not be decoded with its Content-Encoding."""


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def finish(self) -> Iterator[bytes]:
        yield from ()


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._obj = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            yield from self._steps(data)
        except zlib.error as exc:
            raise InflateError(f"bad {'gzip' if self._wbits > 15 else 'deflate'} data ({exc})") from None

    def _steps(self, data: bytes) -> Iterator[bytes]:
        if not self._started and data and self._wbits == zlib.MAX_WBITS:
            # "deflate" is sent both zlib-wrapped (as specified) and raw (as some servers do).
            self._started = True
            try:
                first = self._obj.decompress(data, PIECE)
            except zlib.error:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                first = self._obj.decompress(data, PIECE)
            yield first
            data = b""
        self._started = True
        if data:
            yield self._obj.decompress(data, PIECE)
        while self._obj.unconsumed_tail:
            yield self._obj.decompress(self._obj.unconsumed_tail, PIECE)

    def finish(self) -> Iterator[bytes]:
        # Only the few bytes still held by zlib remain here: all input was consumed by feed().
        yield self._obj.flush()


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            piece = self._obj.process(data, output_buffer_limit=PIECE)
            # Output held back by the limit comes out on calls with empty input, until one yields nothing.
            while piece:
                yield piece
                piece = self._obj.process(b"", output_buffer_limit=PIECE)
        except brotli.error as exc:
            raise InflateError(f"bad brotli data ({exc})") from None

    def finish(self) -> Iterator[bytes]:
        yield from ()


Decoder = _Identity | _Zlib | _Brotli


def decoder_for(content_encoding: str) -> Decoder:
    """Return a bounded decoder for a Content-Encoding header value."""
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _Identity()
    if len(codings) > 1:
        raise InflateError(f"stacked content encodings are not supported ({content_encoding})")
    coding = codings[0]
    if coding in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 16)
    if coding == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if coding == "br":
        return _Brotli()
    raise InflateError(f"unsupported content encoding {coding!r}")
