"""Opening, migrating and checking the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from akhbar.models import SourceSpec
from akhbar.store import SchemaBehindError, Store, StoreError
from akhbar.store.tables import metadata


def test_open_migrates_to_head_and_reopens(db_url: str) -> None:
    store = Store.open(db_url)
    assert store.current_revision() == store.head_revision() is not None
    store.add_source(SourceSpec(url="https://example.org/", name="Example"))
    store.close()
    reopened = Store.open(db_url, auto_migrate=False)
    assert reopened.count_sources() == 1
    reopened.close()


def test_open_creates_the_sqlite_parent_directory(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "akhbar.db"
    Store.open(f"sqlite:///{path}").close()
    assert path.is_file()


def test_empty_database_without_auto_migrate_is_refused(db_url: str) -> None:
    with pytest.raises(SchemaBehindError, match=r"revision none, code needs \d{4}.*akhbar db upgrade"):
        Store.open(db_url, auto_migrate=False)


def test_upgrade_is_idempotent(store: Store) -> None:
    store.upgrade()
    assert store.current_revision() == store.head_revision()


def test_database_newer_than_the_code_is_refused(db_url: str) -> None:
    store = Store.open(db_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(StoreError, match="newer than this code knows"):
        Store.open(db_url)


def _not_the_headline_index(obj: object, name: str | None, *_: object) -> bool:
    # Its NULLS LAST clause exists on PostgreSQL only, so the tables declare the portable form.
    # The SQLite full-text index (articles_fts and its shadow tables) is a virtual table that SQLAlchemy
    # cannot declare; so is PostgreSQL's article_search (tsvector columns, migration 0010, PostgreSQL only).
    # The search tests cover both.
    indexes = ("articles_fts", "article_search")
    return name != "ix_articles_published_at" and not (name or "").startswith(indexes)


def test_migrations_match_the_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _not_the_headline_index})
        diff = compare_metadata(context, metadata)
        indexes = {ix["name"] for ix in inspect(conn).get_indexes("articles")}
    assert diff == []
    assert {"ix_articles_published_at", "ix_articles_source_id_published_at"} <= indexes


def test_unreachable_database_is_one_line_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match=r"^store: cannot open database ") as info:
        Store.open(f"sqlite:///{blocker / 'x.db'}")
    assert "\n" not in str(info.value)


def test_sqlite_pragmas_are_on_for_every_connection(sqlite_url: str) -> None:
    store = Store.open(sqlite_url)
    for _ in range(2):
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    store.close()


def test_integrity_check_is_ok(store: Store) -> None:
    assert store.integrity_check() == "ok"
