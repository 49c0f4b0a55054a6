"""The list of outlets shipped with akhbar (default_sources.toml beside this module)."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from akhbar.models import SourceSpec
from akhbar.sources.toml_file import parse_sources_toml

DEFAULT_SOURCES_FILE = "default_sources.toml"


@lru_cache(maxsize=1)
def _default_text() -> str:
    """Read the shipped default_sources.toml once."""
    return files("akhbar.sources").joinpath(DEFAULT_SOURCES_FILE).read_text(encoding="utf-8")


def default_sources() -> list[SourceSpec]:
    """Return the shipped outlets (fresh objects on each call, so callers may change them)."""
    return parse_sources_toml(_default_text())
