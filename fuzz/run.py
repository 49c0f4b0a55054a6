"""Run the fuzz targets for a while each: `python fuzz/run.py [SECONDS] [TARGET...]` (`make fuzz`).

Hypothesis drives the inputs (atheris is not installed here); every failing input is shrunk and printed,
and the exit status is 1 when any target failed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from targets import TARGETS  # noqa: E402  # the folder is not a package: fuzz/ sits beside src/

BATCH = 500  # examples per hypothesis run; runs repeat with fresh seeds until the time is up


def fuzz(check: Callable[[Any], None], strategy: st.SearchStrategy[Any], seconds: float) -> int:
    """Run check on generated inputs for about `seconds`; return how many examples ran."""
    deadline = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < deadline:

        @settings(
            max_examples=BATCH,
            deadline=None,
            database=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def one(value: Any) -> None:
            check(value)

        one()
        runs += BATCH
    return runs


def main(argv: list[str]) -> int:
    """Run the named targets (all by default) for the given seconds each."""
    seconds = float(argv[0]) if argv else 60.0
    names = argv[1:] or list(TARGETS)
    failed = 0
    for name in names:
        check, strategy = TARGETS[name]
        started = time.monotonic()
        try:
            runs = fuzz(check, strategy, seconds)
        except Exception as exc:  # noqa: BLE001  # hypothesis re-raises the shrunk failure: report it
            failed += 1
            print(f"fuzz {name}: FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        print(f"fuzz {name}: {runs} examples in {time.monotonic() - started:.0f} s, no failure")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
