"""Worker processes for CPU-bound stages, and a mapper that spreads a batch over them, in order.

Extraction and NLP are CPU-bound pure functions of one record, so spreading a batch over
all cores is the cheap way to use the machine; one process is kept for small inputs.

Workers are forked from a small server process that has imported only the stage code, not
from the caller: a Dagster run's process holds Dagster, dbt and their imports (~400 MB), and a
worker forked from it copies those pages one by one as it touches them (reference counts), so
every worker would cost as much again. The server starts once per process and serves every pool;
``start_worker_server`` starts it early, so that its imports overlap the caller's own start-up.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# What workers load before they fork: the stages' heavy modules and tables.
_PRELOAD = ["ingest.worker_preload"]
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(_PRELOAD)


def start_worker_server() -> None:
    """Start the worker server now, without waiting for it to load the stage code.

    A caller about to spend seconds on its own imports (a pipeline run) calls this first: the
    server loads on another core meanwhile, and the first pool forks from a ready server.
    """
    multiprocessing.forkserver.ensure_running()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes forked from the stage-code server, not from this process."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_CONTEXT)


class BatchMapper:
    """A process pool, started only when more than one worker is wanted and a batch is worth it.

    Starting workers costs about a second; a batch smaller than one chunk per worker (a re-run's
    handful of new pages) is done in this process instead.
    """

    def __init__(self, workers: int = 1, chunksize: int = 8) -> None:
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._chunksize = chunksize

    def map_batches(self, fn: Callable[..., R], batches: Iterable[Sequence[T]],
                    **kwargs: Any) -> Iterator[tuple[Sequence[T], list[R]]]:
        """Yield each batch with ``fn(item, **kwargs)`` of its items, the next batch already mapping.

        A stage's process reads a batch, waits for the workers, then writes their results; with
        the next batch handed out first, the workers compute while it writes instead of idling.
        ``batches`` is drawn one ahead, so it must not depend on the current batch being written.
        """
        call = partial(fn, **kwargs) if kwargs else fn
        ahead: tuple[Sequence[T], Callable[[], list[R]]] | None = None
        for batch in batches:
            started = (batch, self._start(call, batch))
            if ahead is not None:
                yield ahead[0], ahead[1]()
            ahead = started
        if ahead is not None:
            yield ahead[0], ahead[1]()

    def _start(self, call: Callable[[T], R], items: Sequence[T]) -> Callable[[], list[R]]:
        """Hand the items to the workers (or map them here) and return how to collect the results."""
        if self._workers < 2 or len(items) < self._workers * self._chunksize:
            results = [call(item) for item in items]
            return lambda: results
        self._pool = self._pool or process_pool(self._workers)
        mapped = self._pool.map(call, items, chunksize=self._chunksize)  # submits every chunk now
        return lambda: list(mapped)

    def __enter__(self) -> "BatchMapper":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
