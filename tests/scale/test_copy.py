"""`akhbar db copy`: a SQLite install moved to PostgreSQL and checked; a second run changes nothing."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from akhbar.models import Article, SourceSpec
from akhbar.store import Store

NOW = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


def _fill(url: str) -> None:
    store = Store.open(url)
    for i in range(3):
        source = store.add_source(SourceSpec(url=f"https://o{i}.example/", name=f"Outlet {i}", language="fr"))
        store.save_refresh(
            source.__class__(**{**source.__dict__, "last_checked_at": NOW, "etag": f'"e{i}"'}),
            [_article(source.id, i, j) for j in range(4)],
        )
    store.create_account("ops", "hash", "admin", now=NOW)
    store.claim_due_sources("lease", now=NOW, seconds=60, limit=1)
    store.close()


def _article(source_id: int, i: int, j: int) -> Article:
    return Article(
        source_id=source_id, guid=f"g{i}-{j}", url=f"https://o{i}.example/{j}", canonical_url=f"https://o{i}.example/{j}",
        title=f"Élection numéro {j} à l'outlet {i}", summary="Résumé", text="Le texte de l'article. " * 20,
        html="<p>Le texte</p>", published_at=NOW - timedelta(hours=j), fetched_at=NOW, language="fr",
        category="politique", summary_only=j % 2 == 0,
    )


def _copy(env_url: str, target: str, tmp_path: object) -> subprocess.CompletedProcess[str]:
    env = {"AKHBAR_DATABASE_URL": env_url, "AKHBAR_LOAD_DEFAULT_SOURCES": "0", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "akhbar", "db", "copy", "--to", target],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def _snapshot(url: str) -> tuple[int, int, list[str]]:
    store = Store.open(url)
    try:
        titles = sorted(a.title for a in store.latest_headlines(100))
        return store.count_sources(), store.count_articles(), titles
    finally:
        store.close()


def test_copy_to_postgresql_matches_and_is_idempotent(sqlite_db: str, pg_url: str, tmp_path: object) -> None:
    _fill(sqlite_db)
    first = _copy(sqlite_db, pg_url, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "rows match" in first.stdout
    assert _snapshot(pg_url) == _snapshot(sqlite_db) == (3, 12, _snapshot(sqlite_db)[2])
    second = _copy(sqlite_db, pg_url, tmp_path)
    assert second.returncode == 0, second.stderr
    assert _snapshot(pg_url) == _snapshot(sqlite_db)
    target = Store.open(pg_url)  # the id sequences moved past the copied ids: new rows insert fine
    added = target.add_source(SourceSpec(url="https://new.example/", name="New"))
    assert added.id == 4
    target.close()


def test_copy_compares_every_table(sqlite_db: str, pg_url: str) -> None:
    _fill(sqlite_db)
    source, target = Store.open(sqlite_db), Store.open(pg_url)
    written, checks = source.copy_into(target)
    assert written >= 3 + 12 + 1 + 1
    assert checks and all(c.ok for c in checks)
    assert {"sources", "articles", "accounts", "source_leases"} <= {c.name for c in checks}
    _, again = source.copy_into(target)
    assert [c.target_sum for c in again] == [c.target_sum for c in checks]
    source.close()
    target.close()


def test_copy_refuses_a_database_onto_itself(sqlite_db: str) -> None:
    _fill(sqlite_db)
    result = _copy(sqlite_db, sqlite_db, None)
    assert result.returncode == 1
    assert result.stderr.strip() == "akhbar: store: cannot copy a database onto itself"
