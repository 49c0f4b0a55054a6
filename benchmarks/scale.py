"""Scale-out benchmark: articles per second on a loopback wire, embedded vs 1 and 2 Celery worker processes.

One command: `.venv/bin/python benchmarks/scale.py [--sources 60] [--items 10]`.
In one run, on the same generated wire, side by side:
  1. embedded: `akhbar fetch` (a real subprocess, SQLite, extract_processes=2) from an empty database;
  2. distributed, 1 worker process: `akhbar scheduler` + one `akhbar worker --concurrency 1` on PostgreSQL
     and a private redis-server;
  3. distributed, 2 worker processes: the same with two workers.
Each run starts from an empty database; the workers are started and warmed before the scheduler, and the
clock runs from the scheduler's start to the last article stored. Results: benchmarks/results/scale.json.
PostgreSQL search p95 at 1,000,000 articles is NOT measured here yet (see benchmarks/results/scale.md).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from akhbar.demo import DemoWire
from akhbar.demo.synthetic import synthetic_outlets
from akhbar.models import SourceSpec
from akhbar.store import Store

RESULTS = Path(__file__).resolve().parent / "results"
PG = os.environ.get("AKHBAR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def register(url: str, wire: DemoWire) -> int:
    """Add every outlet of the wire with its feed URL; return the number of articles it serves."""
    store = Store.open(url)
    for spec, outlet in zip(wire.source_specs(), wire.outlets, strict=True):
        store.add_source(SourceSpec(url=spec.url, name=spec.name, language=spec.language,
                                    feed_url=wire.feed_url(outlet.slug)))
    store.close()
    return sum(len(o.articles) for o in wire.outlets)


def env_for(data: Path, database_url: str, broker_url: str = "") -> dict[str, str]:
    """Return the environment of the akhbar processes of one run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    env.update(AKHBAR_DATA_DIR=str(data), AKHBAR_DATABASE_URL=database_url, AKHBAR_BROKER_URL=broker_url,
               AKHBAR_FETCH_ALLOW_PRIVATE="1", AKHBAR_LOAD_DEFAULT_SOURCES="0",
               AKHBAR_FETCH_RESPECT_ROBOTS="0", AKHBAR_EXTRACT_PROCESSES="2", AKHBAR_SCHEDULE_TICK="0.5")
    return env


def count(url: str) -> int:
    """Return the number of stored articles."""
    engine = create_engine(url)
    with engine.connect() as conn:
        value = int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
    engine.dispose()
    return value


def embedded(wire: DemoWire, work: Path) -> dict[str, float]:
    """Time `akhbar fetch` on SQLite from an empty database."""
    url = f"sqlite:///{work / 'embedded.db'}"
    expected = register(url, wire)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "akhbar", "fetch"], env=env_for(work, url), check=True,
                   capture_output=True)
    seconds = time.perf_counter() - started
    return {"articles": count(url), "expected": expected, "seconds": round(seconds, 1),
            "articles_per_s": round(count(url) / seconds, 1)}


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "akhbar", *args], env=env, stdout=log.open("ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def distributed(wire: DemoWire, work: Path, workers: int, broker: str) -> dict[str, float]:
    """Time a scheduler and `workers` worker processes (concurrency 1 each) on a fresh PostgreSQL database."""
    name = f"akhbar_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG).set(database=name).render_as_string(hide_password=False)
    running: list[subprocess.Popen[bytes]] = []
    try:
        expected = register(url, wire)
        env = env_for(work, url, broker)
        running += [_spawn(["worker", "--concurrency", "1"], env, work / f"w{i}.log") for i in range(workers)]
        time.sleep(8)  # the workers import everything and connect before the clock starts
        started = time.perf_counter()
        running.append(_spawn(["scheduler", "--loglevel", "WARNING"], env, work / "s.log"))
        while count(url) < expected and time.perf_counter() - started < 900:
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        stored = count(url)
    finally:
        for process in running:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return {"workers": workers, "articles": stored, "expected": expected, "seconds": round(seconds, 1),
            "articles_per_s": round(stored / seconds, 1)}


def main() -> None:
    """Run the three measurements side by side and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=60)
    parser.add_argument("--items", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, DemoWire(synthetic_outlets(args.sources, args.items),
                                                         single_port=True) as wire:
        work = Path(tmp)
        port = free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--dir", tmp], stdout=subprocess.DEVNULL)
        try:
            broker = f"redis://127.0.0.1:{port}/0"
            results = {"sources": args.sources, "items_per_source": args.items, "cpus": os.cpu_count(),
                       "embedded": embedded(wire, work),
                       "one_worker": distributed(wire, work, 1, broker),
                       "two_workers": distributed(wire, work, 2, broker)}
        finally:
            redis.terminate()
            redis.wait()
    one, two = results["one_worker"], results["two_workers"]
    results["ratio_two_to_one_worker"] = round(two["articles_per_s"] / one["articles_per_s"], 2)
    results["ratio_one_worker_to_embedded"] = round(
        one["articles_per_s"] / results["embedded"]["articles_per_s"], 2
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
