"""A writer killed with SIGKILL loses no committed article and leaves a sound database."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from akhbar.store import Store

BATCH = 50

# The child commits batch after batch and reports each one on stdout only after save_refresh returned.
CHILD = f"""
import sys
from datetime import UTC, datetime
from akhbar.models import Article, SourceSpec
from akhbar.store import Store

store = Store.open(sys.argv[1])
source = store.source_by_url("https://crash.example/") or store.add_source(
    SourceSpec(url="https://crash.example/", name="Crash"))
run = sys.argv[2]
batch_no = 0
while True:
    source.last_checked_at = datetime.now(UTC)
    source.etag = f"{{run}}-{{batch_no}}"
    articles = [
        Article(source.id, f"{{run}}-{{batch_no}}-{{i}}", f"https://crash.example/{{run}}/{{batch_no}}/{{i}}",
                f"https://crash.example/{{run}}/{{batch_no}}/{{i}}", f"Dépêche {{i}}", text="x" * 2000)
        for i in range({BATCH})
    ]
    counts = store.save_refresh(source, articles)
    print(run, batch_no, counts.new, flush=True)
    batch_no += 1
"""


def _run_and_kill(url: str, run: str, rng: random.Random) -> list[tuple[str, int]]:
    """Start a writer, let it commit a few batches, SIGKILL it, and return the batches it reported."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, run], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    reported: list[tuple[str, int]] = []
    try:
        assert child.stdout is not None
        for _ in range(rng.randint(2, 8)):
            line = child.stdout.readline()
            assert line, "the writer died before committing"
            tag, batch_no, new = line.split()
            assert int(new) == BATCH
            reported.append((tag, int(batch_no)))
        time.sleep(rng.uniform(0, 0.05))  # land the kill anywhere inside the next transaction
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    # Lines written before the kill but not yet read are committed batches too.
    assert child.stdout is not None
    reported += [
        (tag, int(n)) for tag, n, _ in (line.split() for line in child.stdout if line.count(" ") == 2)
    ]
    return reported


def test_sigkill_keeps_every_committed_batch(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    rng = random.Random()
    reported: list[tuple[str, int]] = []
    for run in ("r1", "r2", "r3"):
        reported += _run_and_kill(url, run, rng)
        store = Store.open(url)
        assert store.integrity_check() == "ok"
        source = store.source_by_url("https://crash.example/")
        assert source is not None
        guids = [f"{tag}-{n}-{i}" for tag, n in reported for i in range(BATCH)]
        assert store.known_guids(source.id, guids) == set(guids)
        # A batch is one transaction: the database holds whole batches only.
        assert store.count_articles() % BATCH == 0
        assert store.count_articles() >= len(guids)
        # The source state was written in the same transaction as the last stored batch.
        assert store.known_guids(source.id, [f"{source.etag}-0", f"{source.etag}-{BATCH - 1}"]) == {
            f"{source.etag}-0",
            f"{source.etag}-{BATCH - 1}",
        }
        store.close()
