"""Discovery from a hand-kept list: a text file with one URL per line."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from ingest.fetch.safety import url_problem
from ingest.records import Candidate, FetchFailure

logger = logging.getLogger(__name__)


def discover_urls_file(path: Path, source_name: str) -> Iterator[Candidate | FetchFailure]:
    """Yield a ``Candidate`` per URL line, read lazily so a large list is never loaded whole.

    Blank lines and lines starting with ``#`` are skipped. A line that is not a fetchable
    http(s) URL becomes a ``FetchFailure(stage="discover")`` so the run records the typo
    instead of silently dropping it.
    """
    discovered_at = datetime.now(timezone.utc)
    with path.open(encoding="utf-8-sig", errors="replace") as lines:
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            problem = url_problem(line)
            if problem is None:
                yield Candidate(source_name=source_name, url=line, discovered_at=discovered_at)
                continue
            logger.warning("%s line %d: %s", path, number, problem)
            yield FetchFailure(source_name=source_name, url=line, stage="discover",
                               reason=f"invalid_url: line {number}: {problem}", attempted_at=discovered_at)
