"""`akhbar db backup|restore|prune`: the operator's tools for bad days (registered on the CLI's db group)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from akhbar.cli import current_settings, db_app, err, fail, open_store, out
from akhbar.ops import OpsError, backup_database, prune_bodies, restore_database


@db_app.command("backup")
def db_backup(path: Annotated[Path, typer.Argument(help="File to write the copy to.")]) -> None:
    """Copy the live SQLite database to PATH (online: the portal keeps running); pg_dump for PostgreSQL."""
    settings = current_settings()
    try:
        report = backup_database(settings.database_url_effective, path)
    except OpsError as exc:
        fail(str(exc))
        return
    out.print(f"backup written to {report.path} ({report.size} bytes, integrity {report.integrity})")


@db_app.command("restore")
def db_restore(path: Annotated[Path, typer.Argument(help="A backup made by `akhbar db backup`.")]) -> None:
    """Replace the database with a checked backup; the old database is kept beside it."""
    settings = current_settings()
    try:
        report = restore_database(settings.database_url_effective, path)
    except OpsError as exc:
        fail(str(exc))
        return
    with open_store(settings):  # brings the restored schema up to this version's (or refuses it)
        pass
    kept = f"; the previous database is kept at {report.kept}" if report.kept else ""
    out.print(f"restored {report.path} from {path} (integrity {report.integrity}){kept}")


@db_app.command("prune")
def db_prune(
    days: Annotated[
        int | None, typer.Option(help="Prune bodies older than this (default: AKHBAR_RETENTION_DAYS).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be pruned.")] = False,
) -> None:
    """Empty the text and HTML of old articles; titles, links, summaries and stories stay."""
    settings = current_settings()
    keep = int(settings.retention_days) if days is None else days
    if keep <= 0:
        fail("db: retention is off (AKHBAR_RETENTION_DAYS=0); give --days N to prune once")
    with open_store(settings) as store:
        count = prune_bodies(store, keep, dry_run=dry_run)
    verb = "would prune" if dry_run else "pruned"
    out.print(f"{verb} the bodies of {count} articles published more than {keep} days ago")
    if count and not dry_run:
        err.print("titles, links and summaries stay; search still finds these articles by title")
