"""Bad days for the operator: backup and restore, retention, and a full disk that pauses ingestion only."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from akhbar.fetch import Fetcher
from akhbar.models import Article, SourceSpec
from akhbar.ops import DiskGuard, OpsError, backup_database, is_disk_full, prune_bodies, restore_database
from akhbar.ops.backup import portal_lock, sqlite_path
from akhbar.ops.housekeeping import Housekeeper
from akhbar.pipeline import PipelineContext
from akhbar.runner.local import scheduler_loop
from akhbar.search import SearchQuery
from akhbar.store import Store, StoreError

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def article(source_id: int, n: int, age_days: int) -> Article:
    """Return an article published age_days ago with a body naming a word of its own."""
    return Article(
        source_id=source_id,
        guid=f"g{n}",
        url=f"https://news.example.org/{n}",
        canonical_url=f"https://news.example.org/{n}",
        title=f"Titre numero {n} sur la corniche",
        summary=f"Résumé {n}.",
        text=f"Corps complet {n} avec le mot zanzibar{n} dedans.",
        html=f"<p>Corps complet {n}</p>",
        published_at=NOW - timedelta(days=age_days),
        fetched_at=NOW,
        language="fr",
    )


def fill(store: Store, ages: list[int]) -> int:
    """Store one source with an article per age; return the source id."""
    source = store.add_source(SourceSpec(url="https://news.example.org/", name="Example"))
    store.save_refresh(source, [article(source.id, n, age) for n, age in enumerate(ages)])
    return source.id


def test_backup_is_consistent_and_restore_keeps_the_old_database(settings, store, tmp_path) -> None:
    url = settings.database_url_effective
    fill(store, [1, 2, 3])
    target = tmp_path / "backup.db"
    report = backup_database(url, target)  # the store stays open: the backup is online
    assert report.integrity == "ok"
    source = store.source_by_id(1)
    store.save_refresh(source, [article(1, 9, 0)])  # written after the backup
    assert store.count_articles() == 4
    restored = restore_database(url, target, now=NOW)
    assert restored.kept is not None and restored.kept.is_file()
    assert restored.integrity == "ok"
    reopened = Store.open(url)
    try:
        assert reopened.count_articles() == 3
    finally:
        reopened.close()
    kept = Store.open(f"sqlite:///{restored.kept}")
    try:
        assert kept.count_articles() == 4  # the replaced database is whole, WAL included
    finally:
        kept.close()


@pytest.mark.parametrize(
    ("content", "word"),
    [(b"not a database at all", "is not a SQLite database"), (None, "not an akhbar one")],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(settings, store, tmp_path, content, word) -> None:
    fill(store, [1])
    bad = tmp_path / "bad.db"
    if content is None:
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE other (x)")
    else:
        bad.write_bytes(content)
    with pytest.raises(OpsError) as caught:
        restore_database(settings.database_url_effective, bad)
    assert word in str(caught.value) and "\n" not in str(caught.value)
    assert store.count_articles() == 1


def test_restore_refuses_a_corrupt_backup(settings, store, tmp_path) -> None:
    fill(store, list(range(200)))
    target = tmp_path / "backup.db"
    backup_database(settings.database_url_effective, target)
    data = bytearray(target.read_bytes())
    for offset in range(4096 * 2, len(data), 4096):  # scribble over every page after the first two
        data[offset + 100 : offset + 300] = b"\xa5" * 200
    target.write_bytes(bytes(data))
    with pytest.raises(OpsError) as caught:
        restore_database(settings.database_url_effective, target)
    assert "refused" in str(caught.value) or "cannot read" in str(caught.value)
    assert store.count_articles() == 200


def test_restore_refuses_while_a_portal_runs(settings, store, tmp_path) -> None:
    fill(store, [1])
    target = tmp_path / "backup.db"
    backup_database(settings.database_url_effective, target)
    database = sqlite_path(settings.database_url_effective, target)
    with portal_lock(database, exclusive=False), pytest.raises(OpsError) as caught:
        restore_database(settings.database_url_effective, target)
    assert "a portal is running" in str(caught.value)


def test_postgresql_backup_gives_pg_dump_guidance(tmp_path) -> None:
    with pytest.raises(OpsError) as caught:
        backup_database("postgresql+psycopg://akhbar:secret@db.internal/akhbar", tmp_path / "x.dump")
    message = str(caught.value)
    assert "pg_dump --format=custom" in message and "secret" not in message


def test_retention_prunes_old_bodies_and_keeps_titles_and_links(store) -> None:
    fill(store, [400, 200, 10, 1])
    assert prune_bodies(store, 90, NOW, dry_run=True) == 2
    assert prune_bodies(store, 90, NOW) == 2
    assert prune_bodies(store, 90, NOW) == 0  # idempotent
    rows = {a.url: a for a in (store.article_by_id(i) for i in range(1, 5))}
    for n, pruned in ((0, True), (1, True), (2, False), (3, False)):
        kept = rows[f"https://news.example.org/{n}"]
        assert kept.title == f"Titre numero {n} sur la corniche"
        assert kept.canonical_url == f"https://news.example.org/{n}"
        assert (kept.text == "" and kept.html == "") is pruned
    if store.engine.dialect.name == "sqlite":  # the index follows: old bodies are no longer searched
        assert store.search(SearchQuery(text="zanzibar0")).total == 0
        assert store.search(SearchQuery(text="zanzibar3")).total == 1
        assert store.search(SearchQuery(text="corniche")).total == 4


def test_retention_off_prunes_nothing(store) -> None:
    fill(store, [4000])
    assert prune_bodies(store, 0, NOW) == 0


def test_disk_full_is_recognised() -> None:
    full = StoreError("store: cannot save refresh of source 3: database or disk is full")
    assert is_disk_full(full)
    assert is_disk_full(OSError(28, "No space left on device"))
    assert not is_disk_full(StoreError("store: cannot save refresh of source 3: database is locked"))


def test_guard_pauses_below_the_free_space_floor_and_resumes() -> None:
    free = {"bytes": 50_000_000}
    guard = DiskGuard(Path("/data"), 200_000_000, free=lambda _: free["bytes"])
    assert guard.pause_reason().startswith("ingestion paused: only 50 MB free on /data")
    free["bytes"] = 900_000_000
    assert guard.pause_reason() == ""


def test_guard_holds_ingestion_after_a_disk_full_write_then_tries_again() -> None:
    clock = {"now": 100.0}
    guard = DiskGuard(Path("/data"), 0, backoff=60, free=lambda _: 10**12, clock=lambda: clock["now"])
    assert not guard.note_failure("fetch: HTTP 500")
    assert guard.note_failure("store: cannot save refresh of source 1: database or disk is full")
    assert "the disk is full" in guard.pause_reason()
    clock["now"] += 61
    assert guard.pause_reason() == ""


class FullDiskStore:
    """A store whose writes fail as SQLite's do on a full disk, while its reads work."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.full = True
        self.writes = 0

    def save_refresh(self, *args: object) -> object:
        self.writes += 1
        if self.full:
            raise StoreError("store: cannot save refresh of source 1: database or disk is full")
        return self.inner.save_refresh(*args)  # type: ignore[arg-type]

    def save_states(self, sources: list) -> dict[int, StoreError]:
        # The states of sources that brought no article (a failure among them) are written apart.
        self.writes += 1
        if self.full:
            return {
                s.id: StoreError(f"store: cannot save refresh of source {s.id}: database or disk is full")
                for s in sources
            }
        return self.inner.save_states(sources)

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


async def test_scheduler_pauses_on_a_full_disk_and_resumes(settings, store, loopback, caplog) -> None:
    item = "<item><guid>1</guid><title>Le marché de Fès rouvre</title></item>"
    loopback.reply("/feed", f"<rss version='2.0'><channel>{item}</channel></rss>")
    store.add_source(SourceSpec(url=f"{loopback.url}/feed", feed_url=f"{loopback.url}/feed", name="S"))
    full = FullDiskStore(store)
    quick = settings.replace(schedule_tick=0.05, fetch_article_pages="never")
    clock = {"now": 0.0}
    keeper = Housekeeper(quick, full, DiskGuard(Path("/"), 0, backoff=5, clock=lambda: clock["now"]))
    stop = asyncio.Event()
    async with Fetcher(quick) as fetcher:
        ctx = PipelineContext(settings=quick, fetcher=fetcher, store=full)  # type: ignore[arg-type]
        loop_task = asyncio.create_task(scheduler_loop(ctx, stop, keeper))
        for _ in range(200):
            await asyncio.sleep(0.05)
            if keeper.paused:
                break
        writes_when_paused = full.writes
        await asyncio.sleep(0.5)  # ten ticks: paused, so no refresh tries to write
        assert "ingestion paused: the disk is full" in keeper.paused
        assert full.writes == writes_when_paused
        full.full = False  # space is back
        clock["now"] += 10
        for _ in range(200):
            await asyncio.sleep(0.05)
            if store.count_articles():
                break
        stop.set()
        await loop_task
    assert keeper.paused == ""
    assert store.count_articles() == 1
    assert any("ingestion paused" in r.message for r in caplog.records)


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """Mount a 3 MB tmpfs (root only); skip where mounting is not allowed."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_fails_writes_cleanly_while_reads_go_on(tiny_disk: Path) -> None:
    store = Store.open(f"sqlite:///{tiny_disk / 'akhbar.db'}")
    try:
        source_id = fill(store, [1])
        ballast = tiny_disk / "ballast"
        with ballast.open("wb") as handle:  # fill the disk to the last byte
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            except OSError:
                pass
        source = store.source_by_id(source_id)
        big = [article(source_id, n, 0) for n in range(100, 400)]
        with pytest.raises(StoreError) as caught:
            store.save_refresh(source, big)
        assert is_disk_full(caught.value) and "\n" not in str(caught.value)
        assert store.count_articles() == 1  # the failed transaction left nothing behind
        assert store.latest_headlines(10)[0].title == "Titre numero 0 sur la corniche"  # reads go on
        ballast.unlink()
        store.save_refresh(source, big)  # space is back: the same write now goes through
        assert store.count_articles() == 301
        assert store.integrity_check() == "ok"
    finally:
        store.close()


def test_cli_backup_and_restore(settings, store, tmp_path) -> None:
    fill(store, [1, 2])
    env = {"AKHBAR_DATA_DIR": settings.data_dir, "AKHBAR_LOAD_DEFAULT_SOURCES": "0", "PATH": "/usr/bin:/bin"}
    target = tmp_path / "copy.db"
    backup = subprocess.run(
        [sys.executable, "-m", "akhbar", "db", "backup", str(target)], env=env, capture_output=True, text=True
    )
    assert backup.returncode == 0, backup.stderr
    assert "integrity ok" in backup.stdout
    store.close()
    restore = subprocess.run(
        [sys.executable, "-m", "akhbar", "db", "restore", str(tmp_path / "nope.db")],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert restore.returncode == 1
    assert restore.stderr.strip() == f"akhbar: ops: no such backup file: {tmp_path / 'nope.db'}"
    command = [sys.executable, "-m", "akhbar", "db", "restore", str(target)]
    restore = subprocess.run(command, env=env, capture_output=True, text=True)
    assert restore.returncode == 0, restore.stderr
    assert "the previous database is kept at" in " ".join(restore.stdout.split())
