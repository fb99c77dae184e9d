"""A cross-process lock on the warehouse file, so overlapping runs wait instead of failing.

DuckDB lets one process write a file, and a reader cannot open it while a writer has it.
Dagster's pool serializes steps of queued runs, but not everything that opens the file (the
CLI's summary, checks, publishing, a second `nkwatch run`), so every connection also takes
this lock (readers too: their opens are short). It is an ``flock`` on a side file
(``<warehouse>.lock``): the kernel drops it when the holder dies, even by ``kill -9``.
Within one process the lock is re-entrant (a step holding it may open short connections).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOCK_TIMEOUT_ENV = "NKWATCH_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 6 * 3600.0  # a daily build may wait for a long backfill
_POLL = 0.05


class LockTimeout(TimeoutError):
    """The warehouse stayed locked by another process for longer than the timeout."""


@dataclass
class _Held:
    fd: int
    depth: int


_held: dict[Path, _Held] = {}
_guard = threading.RLock()


def lock_path(warehouse: str | Path) -> Path:
    """The side file that is locked for ``warehouse``."""
    warehouse = Path(warehouse).resolve()
    return warehouse.with_name(warehouse.name + ".lock")


def _timeout(timeout: float | None) -> float:
    return timeout if timeout is not None else float(os.environ.get(LOCK_TIMEOUT_ENV) or DEFAULT_TIMEOUT)


def _acquire(fd: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    delay = _POLL
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(f"warehouse still locked after {timeout:.0f} s (another run is writing)") from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


@contextmanager
def warehouse_lock(warehouse: str | Path, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the warehouse lock for the block; wait (with backoff) up to ``timeout`` seconds."""
    path = lock_path(warehouse)
    with _guard:
        held = _held.get(path)
        if held is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                _acquire(fd, _timeout(timeout))
            except BaseException:
                os.close(fd)
                raise
            held = _held[path] = _Held(fd, 0)
        held.depth += 1
    try:
        yield
    finally:
        with _guard:
            held.depth -= 1
            if held.depth == 0:
                del _held[path]
                os.close(held.fd)  # closing the only descriptor releases the flock
