"""The WARC inbox: files dropped in a folder are landed by the next sensor tick.

A file counts once it has not changed for a while (a copy in progress keeps changing), and
is known by its name, size and modification time, so a file replaced by a new one with the
same name is landed again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True)
class InboxFile:
    path: Path
    key: str  # name, size and mtime: what "already landed" remembers


def ready_warc_files(folder: Path, settle_seconds: float = 10.0, now: float | None = None) -> list[InboxFile]:
    """WARC files in ``folder`` (not hidden, not modified in the last ``settle_seconds``), by name."""
    if not folder.is_dir():
        return []
    now = time.time() if now is None else now
    ready = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.name.endswith(WARC_SUFFIXES) or not path.is_file():
            continue
        stat = path.stat()
        if now - stat.st_mtime >= settle_seconds:
            ready.append(InboxFile(path, f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}"))
    return ready
