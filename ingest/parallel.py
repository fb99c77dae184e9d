"""Map a function over a batch, in worker processes when asked, in order.

Extraction and NLP are CPU-bound pure functions of one record, so spreading a batch over
all cores is the cheap way to use the machine; one process is kept for small inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class BatchMapper:
    """A process pool that is only started when more than one worker is wanted."""

    def __init__(self, workers: int = 1, chunksize: int = 8) -> None:
        self._pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
        self._chunksize = chunksize

    def map(self, fn: Callable[..., R], items: Sequence[T], **kwargs: Any) -> list[R]:
        """Apply ``fn(item, **kwargs)`` to every item and return the results in order."""
        call = partial(fn, **kwargs) if kwargs else fn
        if self._pool is None or len(items) < 2:
            return [call(item) for item in items]
        return list(self._pool.map(call, items, chunksize=self._chunksize))

    def __enter__(self) -> "BatchMapper":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
