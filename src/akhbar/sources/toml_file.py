"""akhbar's own sources.toml format: a list of [[source]] tables."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from typing import Any

import tomli_w

from akhbar.models import SourceSpec
from akhbar.sources.errors import SourceFileError, check_spec, one_line

FIELDS = ("url", "name", "feed_url", "language", "category", "fetch_article_pages")


def _field(table: dict[str, Any], key: str, where: str) -> str:
    """Return one field of a [[source]] table as a string (booleans accepted for fetch_article_pages)."""
    value = table.get(key, "")
    if key == "fetch_article_pages" and isinstance(value, bool):
        return "always" if value else "never"
    if not isinstance(value, str):
        raise SourceFileError(f"sources: {where}: {key} must be a string, got {type(value).__name__}")
    return value


def _spec_of(table: object, index: int) -> SourceSpec:
    """Return the source one [[source]] table describes, checked."""
    where = f"[[source]] number {index}"
    if not isinstance(table, dict):
        raise SourceFileError(f"sources: {where} is not a table")
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        names, known = one_line(", ".join(unknown), 80), ", ".join(FIELDS)
        raise SourceFileError(f"sources: {where}: unknown key(s) {names}; known: {known}")
    if "url" not in table:
        raise SourceFileError(f"sources: {where}: the url key is missing")
    spec = SourceSpec(**{key: _field(table, key, where) for key in FIELDS})
    return check_spec(spec, f"{where} ({one_line(spec.name or spec.url, 60)})")


def parse_sources_toml(text: str) -> list[SourceSpec]:
    """Return the sources of a sources.toml document, in file order."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourceFileError(f"sources: not a sources.toml file: {one_line(exc)}") from None
    extra = sorted(set(document) - {"source"})
    if extra:
        names = ", ".join(one_line(key, 40) for key in extra)
        raise SourceFileError(f"sources: unknown top-level key(s) {names}; expected [[source]] tables")
    tables = document.get("source", [])
    if not isinstance(tables, list):
        raise SourceFileError("sources: 'source' must be an array of tables, written [[source]]")
    return [_spec_of(table, index) for index, table in enumerate(tables, start=1)]


def export_toml(specs: Iterable[SourceSpec]) -> str:
    """Return a sources.toml document of the sources, leaving out empty fields."""
    tables = []
    for spec in specs:
        table = {key: getattr(spec, key) for key in FIELDS}
        tables.append({key: value for key, value in table.items() if value or key == "url"})
    header = "# akhbar sources: one [[source]] table per outlet (see docs/sources.md)\n\n"
    return header + tomli_w.dumps({"source": tables})
