"""Killing a running `akhbar fetch` with SIGKILL loses no committed article and leaves a sound database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from akhbar.models import SourceSpec
from akhbar.store import Store


def feed(n: int) -> str:
    now = datetime.now(UTC)
    items = "".join(
        f"<item><guid>s{n}-{i}</guid><title>Dépêche {i} de la source {n}</title>"
        f"<link>http://127.0.0.1:9/{n}/{i}</link><description>Texte court {i}.</description>"
        f"<pubDate>{format_datetime(now - timedelta(minutes=i))}</pubDate></item>"
        for i in range(200)
    )
    return f"<rss version='2.0'><channel><title>S{n}</title>{items}</channel></rss>"


def test_sigkill_during_fetch_keeps_committed_articles(settings, loopback, tmp_path):
    url = settings.database_url_effective
    store = Store.open(url)
    for n in range(60):
        loopback.reply(f"/feed{n}", feed(n))
        store.add_source(
            SourceSpec(url=f"{loopback.url}/feed{n}", feed_url=f"{loopback.url}/feed{n}", name=f"S{n}")
        )
    env = {
        **os.environ,
        "AKHBAR_DATA_DIR": settings.data_dir,
        "AKHBAR_FETCH_ALLOW_PRIVATE": "1",
        "AKHBAR_FETCH_ARTICLE_PAGES": "never",
        "AKHBAR_FETCH_RESPECT_ROBOTS": "0",
        "AKHBAR_FETCH_CONCURRENCY": "2",
        "AKHBAR_LOAD_DEFAULT_SOURCES": "0",
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "akhbar", "fetch"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        committed = 0
        deadline = time.monotonic() + 60
        while committed == 0 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
            committed = store.count_articles()
        assert committed > 0, "the fetch committed nothing before the deadline"
        committed = store.count_articles()
        assert child.poll() is None, "the fetch finished before it could be killed: make the wire bigger"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(10)
    store.close()
    reopened = Store.open(url)
    assert reopened.integrity_check() == "ok"
    assert reopened.count_articles() >= committed
    assert reopened.count_articles() % 200 == 0  # every source's refresh is one transaction: all or nothing
    reopened.close()


def extraction_workers_of(pid: int) -> list[int]:
    """Return the pids of processes whose command line says they are multiprocessing workers of pid."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if int(stat[1]) == pid and b"spawn_main" in cmdline:
                found.append(int(entry))
    return found


def test_extraction_workers_exit_when_their_parent_is_killed(tmp_path):
    script = (
        "import time\n"
        "from akhbar.runner.pool import ExtractPool\n"
        "if __name__ == '__main__':\n"
        "    pool = ExtractPool(2)\n"
        "    print('ready', flush=True)\n"
        "    time.sleep(60)\n"
    )
    (tmp_path / "pool_child.py").write_text(script)
    child = subprocess.Popen(
        [sys.executable, str(tmp_path / "pool_child.py")], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 30
    while len(workers := extraction_workers_of(child.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers) == 2
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    deadline = time.monotonic() + 15
    while any(os.path.exists(f"/proc/{w}") for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = [
        w
        for w in workers
        if os.path.exists(f"/proc/{w}") and "Z" not in Path(f"/proc/{w}/stat").read_text().split()[2]
    ]
    assert not alive, "extraction workers outlived their killed parent"
