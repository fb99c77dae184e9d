"""The rule behind the landing-volume check: a sudden drop in pages or a jump in failures.

Each landing run's counts are compared with the median of the runs before it. Quiet starts
(little history, or a median too small to mean anything) pass, so a fresh warehouse or a
re-run that finds nothing new does not raise false alarms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

MIN_HISTORY = 3  # earlier runs needed before judging
MIN_TYPICAL_PAGES = 20  # below this median, a drop is noise
DROP_RATIO = 0.25  # fewer than a quarter of the usual pages is a drop
FAILURE_RATE_FLOOR = 0.5  # a failure rate above this ...
FAILURE_RATE_JUMP = 2.0  # ... and twice the usual is a jump


@dataclass(frozen=True)
class Landed:
    """One landing run's counts."""

    pages: int
    failures: int

    @property
    def failure_rate(self) -> float:
        attempts = self.pages + self.failures
        return self.failures / attempts if attempts else 0.0


def volume_problems(current: Landed, history: Sequence[Landed]) -> list[str]:
    """What is abnormal about ``current`` given earlier runs (most recent first); empty when fine."""
    if len(history) < MIN_HISTORY:
        return []
    problems = []
    typical_pages = median(run.pages for run in history)
    if typical_pages >= MIN_TYPICAL_PAGES and current.pages < DROP_RATIO * typical_pages:
        problems.append(f"pages dropped to {current.pages} (usually {typical_pages:g} per run)")
    typical_rate = median(run.failure_rate for run in history)
    if current.failure_rate > FAILURE_RATE_FLOOR and current.failure_rate > FAILURE_RATE_JUMP * typical_rate:
        problems.append(f"failure rate jumped to {current.failure_rate:.0%} (usually {typical_rate:.0%})")
    return problems
