"""Measure save_refresh throughput: `python -m akhbar.store.bench [sqlite-or-postgres-url]`."""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from akhbar.models import Article, Source, SourceSpec
from akhbar.store.store import Store

SOURCES = 20
BATCHES = 5
PER_BATCH = 100
TEXT = "Un paragraphe de dépêche assez long pour ressembler à un vrai article. " * 40


def _batch(source: Source, batch_no: int) -> list[Article]:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        Article(
            source_id=source.id,
            guid=f"{source.slug}-{batch_no}-{i}",
            url=f"{source.url}{batch_no}/{i}",
            canonical_url=f"{source.url}{batch_no}/{i}",
            title=f"Titre {batch_no}-{i}",
            summary="Résumé court.",
            text=TEXT,
            published_at=base + timedelta(minutes=batch_no * PER_BATCH + i),
        )
        for i in range(PER_BATCH)
    ]


def run(url: str) -> dict[str, float]:
    """Insert, then re-save unchanged, SOURCES x BATCHES x PER_BATCH articles; return articles per second."""
    store = Store.open(url)
    specs = [SourceSpec(url=f"https://s{n}.example/", name=f"S{n}") for n in range(SOURCES)]
    sources = [store.add_source(spec) for spec in specs]
    batches = [(source, _batch(source, b)) for source in sources for b in range(BATCHES)]
    result: dict[str, float] = {}
    for phase in ("insert", "unchanged"):
        start = time.perf_counter()
        for source, articles in batches:
            store.save_refresh(source, articles)
        result[phase] = SOURCES * BATCHES * PER_BATCH / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(100):
        store.latest_headlines(50)
    result["headlines_ms"] = (time.perf_counter() - start) * 1000 / 100
    store.close()
    return result


def main() -> None:
    """Run the benchmark on the URL given, or on a temporary SQLite file."""
    with tempfile.TemporaryDirectory() as tmp:
        url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tmp) / 'bench.db'}"
        figures = run(url)
    print(f"{SOURCES * BATCHES * PER_BATCH} articles in batches of {PER_BATCH}")
    print(f"insert: {figures['insert']:.0f} articles/s")
    print(f"unchanged re-save: {figures['unchanged']:.0f} articles/s")
    print(f"latest_headlines(50): {figures['headlines_ms']:.2f} ms")


if __name__ == "__main__":
    main()
