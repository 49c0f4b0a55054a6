"""Tests for the extraction pool: niced workers, started lazily."""

from __future__ import annotations

import os
from pathlib import Path

from akhbar.runner.pool import ExtractPool

PAGE = b"<html><head><title>Budget</title></head><body><article><p>" + b"Le conseil vote. " * 40 + b"</p>"


def _workers() -> dict[int, int]:
    """Return {pid: niceness} of this process's spawned workers."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and b"spawn_main" in cmdline and b"resource_tracker" not in cmdline:
            found[int(entry)] = int(stat[16])
    return found


async def test_workers_start_with_the_first_page_and_run_niced() -> None:
    pool = ExtractPool(1, nice=7, lazy=True)
    try:
        assert _workers() == {}  # a pass where every feed answers 304 never starts them
        extracted = await pool.extract(PAGE, "http://example.test/a.html")
        assert extracted is not None and "conseil" in extracted.text
        base = os.nice(0)
        workers = _workers()
        assert set(workers.values()) == {min(base + 7, 19)}  # niceness stops at 19 (a niced test run)
        # trafilatura's unused language filter (py3langid, numpy) stays out of the worker's memory
        [maps] = [Path(f"/proc/{pid}/maps").read_text() for pid in workers]
        assert "numpy" not in maps
    finally:
        pool.shutdown()
