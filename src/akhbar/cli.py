"""`akhbar ...` commands. Every failure is one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from typer.exceptions import TyperException

from akhbar.config import SETTINGS, ConfigError, Settings, load_settings
from akhbar.models import Source, SourceSpec
from akhbar.store import Store, StoreError

app = typer.Typer(
    help="akhbar: a self-hosted, multilingual news portal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
sources_app = typer.Typer(help="Manage the registry of news sources.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
app.add_typer(db_app, name="db")

# Piped output (scripts, logs) gets wide tables instead of rich's 80-column default.
out = Console() if sys.stdout.isatty() else Console(width=200)
err = Console(stderr=True) if sys.stderr.isatty() else Console(stderr=True, width=200)


class CommandError(Exception):
    """A command cannot do what was asked; the message is the one line shown to the operator."""


def fail(message: str) -> None:
    """Stop the command with a one-line message."""
    raise CommandError(message)


def current_settings() -> Settings:
    """Load the settings from the environment and .env."""
    return load_settings()


@contextmanager
def open_store(settings: Settings) -> Iterator[Store]:
    """Open the store for a command and close it afterwards."""
    store = Store.open(settings.database_url_effective, auto_migrate=settings.auto_migrate)
    try:
        yield store
    finally:
        store.close()


def find_source(store: Store, key: str) -> Source:
    """Return the source named by slug, id or URL, or stop with a clear message."""
    source = store.source_by_slug(key) or store.source_by_url(key)
    if source is None and key.isdigit():
        source = store.source_by_id(int(key))
    if source is None:
        fail(f"sources: no source {key!r} (see `akhbar sources list`)")
    assert source is not None
    return source


def _when(value: datetime | None) -> str:
    if value is None:
        return "—"
    delta = value - datetime.now(UTC)
    minutes = int(abs(delta.total_seconds()) // 60)
    text = f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
    return f"in {text}" if delta.total_seconds() > 0 else f"{text} ago"


@app.command("config")
def config_command() -> None:
    """Print the effective settings, where each comes from and what it does."""
    settings = current_settings()
    table = Table("setting", "value", "default", "help")
    for s in SETTINGS:
        value = settings.values[s.name]
        table.add_row(s.env_name, str(value), "" if value == s.default else str(s.default), s.help)
    out.print(table)


@sources_app.command("list")
def sources_list() -> None:
    """List the sources with their health."""
    with open_store(current_settings()) as store:
        sources = store.all_sources()
    table = Table("slug", "name", "lang", "status", "last success", "last error", "items/day", "next check")
    for s in sources:
        status = "ok" if not s.last_error else f"failing x{s.consecutive_failures}"
        status = status if s.enabled else "disabled"
        table.add_row(
            s.slug,
            s.name,
            s.language,
            status,
            _when(s.last_success_at),
            s.last_error[:80] or "—",
            f"{s.items_per_day:.1f}",
            _when(s.next_check_at) if s.enabled else "—",
        )
    out.print(table)
    out.print(f"{len(sources)} sources")


@sources_app.command("add")
def sources_add(
    url: str,
    name: Annotated[str, typer.Option(help="Display name (default: the feed's title).")] = "",
    language: Annotated[str, typer.Option(help="Declared language, ISO 639-1 (fr, ar, en, es...).")] = "",
    category: Annotated[str, typer.Option(help="Default category slug.")] = "",
    discover: Annotated[bool, typer.Option(help="Find the feed now from the site's page.")] = True,
) -> None:
    """Add a source from a site's home page or a feed URL (its feed is discovered)."""
    from akhbar.registry import discover_feed_url

    if not url.startswith(("http://", "https://")):
        fail(f"sources: {url!r} is not an http(s) URL")
    settings = current_settings()
    feed_url = asyncio.run(discover_feed_url(settings, url)) if discover else ""
    spec = SourceSpec(url=url, name=name, feed_url=feed_url, language=language, category=category)
    with open_store(settings) as store:
        source = store.add_source(spec)
    out.print(f"added {source.slug}: {source.url} (feed: {source.feed_url or 'to be discovered'})")


@sources_app.command("remove")
def sources_remove(key: Annotated[str, typer.Argument(help="Slug, id or URL of the source.")]) -> None:
    """Remove a source and its articles."""
    with open_store(current_settings()) as store:
        source = find_source(store, key)
        store.remove_source(source.id)
    out.print(f"removed {source.slug}")


@sources_app.command("enable")
def sources_enable(key: Annotated[str, typer.Argument(help="Slug, id or URL of the source.")]) -> None:
    """Re-enable a source (after it was disabled by repeated failures), to be checked now."""
    with open_store(current_settings()) as store:
        source = find_source(store, key)
        store.set_source_enabled(source.id, True, now=datetime.now(UTC))
    out.print(f"enabled {source.slug}")


@sources_app.command("disable")
def sources_disable(key: Annotated[str, typer.Argument(help="Slug, id or URL of the source.")]) -> None:
    """Stop checking a source (its articles stay)."""
    with open_store(current_settings()) as store:
        source = find_source(store, key)
        store.set_source_enabled(source.id, False, now=datetime.now(UTC))
    out.print(f"disabled {source.slug}")


@sources_app.command("import")
def sources_import(
    path: Annotated[Path, typer.Argument(help="An OPML 2.0 file or akhbar's sources.toml.")],
) -> None:
    """Import sources from an OPML or sources.toml file; sources already present are skipped."""
    from akhbar.registry import import_specs
    from akhbar.sources import read_sources_file

    if not path.is_file():
        fail(f"sources: no such file: {path}")
    specs = read_sources_file(path)
    with open_store(current_settings()) as store:
        added, skipped = import_specs(store, specs)
    out.print(f"imported {added} sources, {skipped} already present")


@sources_app.command("export")
def sources_export(
    format: Annotated[str, typer.Option("--format", help="opml or toml.")] = "opml",
    output: Annotated[
        Path | None, typer.Option(help="Write to this file instead of standard output.")
    ] = None,
) -> None:
    """Export the registry as OPML 2.0 or sources.toml."""
    from akhbar.registry import spec_of
    from akhbar.sources import export_opml, export_toml

    if format not in ("opml", "toml"):
        fail(f"sources: unknown export format {format!r} (use opml or toml)")
    with open_store(current_settings()) as store:
        specs = [spec_of(s) for s in store.all_sources()]
    text = export_opml(specs) if format == "opml" else export_toml(specs)
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {len(specs)} sources to {output}")
    else:
        sys.stdout.write(text)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations."""
    settings = current_settings()
    store = Store.open(settings.database_url_effective, auto_migrate=True)
    out.print(f"database at revision {store.current_revision()}")
    store.close()


@db_app.command("status")
def db_status() -> None:
    """Show the schema revision and counts."""
    with open_store(current_settings()) as store:
        out.print(
            f"revision {store.current_revision()} (code needs {store.head_revision()}); "
            f"{store.count_sources()} sources, {store.count_articles()} articles; "
            f"integrity: {store.integrity_check()}"
        )


def _register_commands() -> None:
    import akhbar.commands_admin  # noqa: F401  # akhbar admin ...
    import akhbar.commands_db  # noqa: F401  # db backup, restore, prune
    import akhbar.commands_scale  # noqa: F401  # worker, scheduler, web, db copy
    from akhbar import commands  # noqa: F401  # fetch, run, demo, extract live there to keep this module small


def say_error(message: str) -> None:
    """Print one line on standard error, never wrapped."""
    print(f"akhbar: {' '.join(message.split())}", file=sys.stderr)


def main() -> None:
    """Run the CLI, turning every known failure into one line on stderr."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _register_commands()
    try:
        app(standalone_mode=False)
    except (CommandError, ConfigError, StoreError) as exc:
        say_error(str(exc))
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        say_error("aborted")
        sys.exit(130)
    except TyperException as exc:  # a wrong argument: click's usage message, status 2
        show = getattr(exc, "show", None)
        if show is None:
            raise
        show()
        sys.exit(int(getattr(exc, "exit_code", 2)))
    except Exception as exc:  # noqa: BLE001  # the last guard: a one-line message, never a traceback
        from akhbar.pipeline import one_line_error

        say_error(one_line_error(exc))
        sys.exit(1)
