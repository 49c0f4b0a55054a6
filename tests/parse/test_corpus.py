"""Every file of feedparser's fixture corpus: no crash, no hang, >= 95% of the stored-field expectations."""

from __future__ import annotations

import importlib.util
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType, ModuleType

import pytest

from akhbar.parse import FeedError, parse_feed

REPO = Path(__file__).resolve().parents[2]
PER_FILE_LIMIT_S = 5  # the slowest file takes well under 0.1 s; this only catches a hang
NOW = datetime(2030, 1, 1, tzinfo=UTC)  # the corpus dates are all earlier: none is clamped as "future"


def _load_helper() -> ModuleType:
    """Import feedparser_corpus.py beside this file (tests/ is not a package)."""
    path = Path(__file__).with_name("feedparser_corpus.py")
    spec = importlib.util.spec_from_file_location("akhbar_feedparser_corpus", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fc = _load_helper()


class Hang(Exception):
    """A file took longer than PER_FILE_LIMIT_S."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise Hang in the main thread when the block runs longer than `seconds`."""

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_corpus_never_crashes_or_hangs_and_matches_expectations() -> None:
    root = fc.corpus_root(REPO)
    if not root.is_dir():
        pytest.skip("../shared/corpora/feedparser is absent")
    tally = fc.Tally()
    crashes: list[str] = []
    for case in fc.read_cases(root):
        parsed = None
        try:
            with time_limit(PER_FILE_LIMIT_S):
                parsed = parse_feed(case.data, case.url, now=NOW)
        except FeedError as exc:
            tally.refused[exc.kind] += 1
        except Exception as exc:  # noqa: BLE001 - anything but FeedError is the failure this test looks for
            crashes.append(f"{case.name}: {type(exc).__name__}: {exc}")
        fc.count(tally, case, parsed)
    print(fc.summary(tally))
    assert crashes == []
    assert tally.considered > 500
    assert tally.ratio >= 0.95, "\n".join(tally.failures[:40])
