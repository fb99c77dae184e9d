"""How long to wait before a retry: exponential backoff with jitter, or the server's Retry-After."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Delay before retry number ``attempt`` (0-based): "equal jitter" in [d/2, d], d = base * 2**attempt.

    Half fixed, half random: spreads retries of many workers while keeping a floor.
    """
    delay = min(cap, base * (2**attempt))
    return delay / 2 + random.uniform(0, delay / 2)


def parse_retry_after(value: str | None, cap: float) -> float | None:
    """Seconds from a Retry-After header (delta seconds or HTTP date), capped; None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    return min(cap, max(0.0, seconds))
