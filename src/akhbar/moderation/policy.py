"""When reports block an image: the thresholds, reporters' weights and the rate limit, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from akhbar.config import Settings

# Each rejected report halves what a reporter's next reports weigh (1.0 -> 0.5 -> 0.25 ...): a reader who
# was wrong once still counts, one who reports in bad faith soon stops mattering.
REJECTION_FACTOR = 0.5
RATE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Policy:
    """The settings that decide automatic blocking and rate limits."""

    min_reporters: float = 3.0
    min_networks: int = 2
    rate_limit: int = 20
    protection: timedelta = timedelta(days=7)
    window: timedelta = RATE_WINDOW

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """Return the policy the settings describe."""
        return cls(
            min_reporters=float(settings.report_min_reporters),
            min_networks=int(settings.report_min_networks),
            rate_limit=int(settings.report_rate_limit),
            protection=timedelta(seconds=int(settings.report_restore_protection)),
        )


@dataclass(frozen=True)
class Tally:
    """What the open reports of one image add up to."""

    reporters: int = 0  # distinct reporters
    networks: int = 0  # distinct networks
    weight: float = 0.0  # the reporters' weights summed


def weight(rejections: int) -> float:
    """Return what a reporter's report weighs after this many rejected reports."""
    return float(REJECTION_FACTOR ** max(rejections, 0))


def crosses(tally: Tally, policy: Policy) -> bool:
    """Return True when the open reports are enough to block the image automatically."""
    # A small epsilon keeps 0.5 + 0.25 + ... sums from missing a threshold by a rounding error.
    return tally.weight + 1e-9 >= policy.min_reporters and tally.networks >= policy.min_networks
