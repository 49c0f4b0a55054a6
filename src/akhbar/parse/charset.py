"""Repair an XML declaration whose charset contradicts the bytes, so a mislabelled feed still parses."""

from __future__ import annotations

import codecs
import re

_DECLARATION = re.compile(rb"^(\xef\xbb\xbf)?(\s*<\?xml[^>]*?encoding\s*=\s*[\"'])([A-Za-z0-9._:-]+)([\"'])")
# Single-byte charsets: text in them is almost never valid UTF-8 by chance, so valid UTF-8 bytes under such
# a label mean the label is wrong.
_SINGLE_BYTE = re.compile(r"^(iso[-_]?8859.*|latin.*|l[0-9]|(windows|cp)[-_]?125[0-9]|us-ascii|ascii|cp437)$")


_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii"}


def declared_charset(data: bytes) -> str:
    """Return the charset named by the XML declaration, lower case ("" when none)."""
    match = _DECLARATION.match(data[:512])
    return match.group(3).decode("ascii").lower() if match else ""


def _relabel(data: bytes, charset: str) -> bytes:
    def swap(m: re.Match[bytes]) -> bytes:
        return (m.group(1) or b"") + m.group(2) + charset.encode("ascii") + m.group(4)

    return _DECLARATION.sub(swap, data, count=1)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _known(charset: str) -> bool:
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True


def repair_charset(data: bytes) -> tuple[bytes, str]:
    """Return `data` with a truthful charset label, and a warning when it had to change one."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return data, ""  # UTF-16/32: the BOM or NUL pattern decides, not the label
    declared = declared_charset(data)
    if declared and not _known(declared):
        return _recode(data, "utf-8"), f"parse: unknown declared charset {declared!r}; read as UTF-8"
    if declared and _SINGLE_BYTE.match(declared) and not data.isascii() and _is_utf8(data):
        return _relabel(
            data, "utf-8"
        ), f"parse: declared charset {declared} but the bytes are UTF-8; read as UTF-8"
    if declared in _LATIN1_LABELS and re.search(rb"[\x80-\x9f]", data):
        # As browsers do (WHATWG Encoding Standard): bytes 0x80-0x9F under a Latin-1 label are windows-1252.
        return _relabel(data, "windows-1252"), f"parse: declared charset {declared} holds windows-1252 bytes"
    if declared in ("", "utf-8", "utf8") and not _is_utf8(data):
        fixed = _recode(data, "utf-8")
        return fixed, "parse: some bytes are not valid UTF-8 as declared; read them as windows-1252"
    return data, ""


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes that broke a decoder one by one as windows-1252 (as mislabelled feeds mean)."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bad.decode("windows-1252", errors="replace"), error.end


codecs.register_error("akhbar-cp1252", _cp1252_fallback)


def _recode(data: bytes, source: str) -> bytes:
    """Decode `data` from `source` (bad bytes as windows-1252) and return it as UTF-8 labelled as such."""
    text = data.decode(source, errors="akhbar-cp1252").encode("utf-8")
    if _DECLARATION.match(text[:512]):
        return _relabel(text, "utf-8")
    return text
