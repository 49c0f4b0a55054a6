"""Read a sources file whatever its format: OPML 2.0 or akhbar's sources.toml, told apart by content."""

from __future__ import annotations

import codecs
from pathlib import Path

from akhbar.models import SourceSpec
from akhbar.sources.errors import SourceFileError, one_line
from akhbar.sources.opml import parse_opml
from akhbar.sources.toml_file import parse_sources_toml


def _xml_bytes(data: bytes) -> bytes | None:
    """Return data for the XML parser if it starts like XML (after a BOM and blanks), else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
        return data if text.lstrip("\ufeff").startswith("<") else None  # the parser reads UTF-16 itself
    # An XML declaration must come first: blanks before it would make the document invalid.
    data = data.removeprefix(codecs.BOM_UTF8).lstrip()
    return data if data.startswith(b"<") else None


def read_sources_file(path: Path) -> list[SourceSpec]:
    """Return the sources of an OPML or sources.toml file, or raise SourceFileError naming the cause."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SourceFileError(f"sources: cannot read {path}: {one_line(exc.strerror or exc)}") from None
    xml = _xml_bytes(data)
    if xml is not None:
        return parse_opml(xml)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFileError(
            f"sources: {path} is neither OPML nor a UTF-8 sources.toml (undecodable byte at {exc.start})"
        ) from None
    return parse_sources_toml(text)
