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
_server_started = False  # by this process: forking a worker from it then costs milliseconds


def start_worker_server() -> None:
    """Start the worker server now, without waiting for it to load the stage code.

    A caller about to spend seconds on its own imports (a pipeline run) calls this first: the
    server loads on another core meanwhile, and the first pool forks from a ready server.
    """
    global _server_started
    multiprocessing.forkserver.ensure_running()
    _server_started = True


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes forked from the stage-code server, not from this process."""
    global _server_started
    _server_started = True  # the pool starts it with its first worker
    return ProcessPoolExecutor(max_workers=workers, mp_context=_CONTEXT)


class BatchMapper:
    """A process pool, started only when more than one worker is wanted and a batch is worth it.

    Starting the worker server costs one to two seconds (its imports, the language model): until
    this process has started it, a batch smaller than one chunk per worker (a re-run's handful of
    new pages) is done here instead. Once it runs (a pipeline run starts it first thing), workers
    fork from it in milliseconds and have the model loaded, so any batch with an item per worker
    goes to them, in chunks small enough to share it out.
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
        worth_a_pool = self._workers if _server_started else self._workers * self._chunksize
        if self._workers < 2 or len(items) < worth_a_pool:
            results = [call(item) for item in items]
            return lambda: results
        self._pool = self._pool or process_pool(self._workers)
        chunksize = max(1, min(self._chunksize, len(items) // (2 * self._workers)))
        mapped = self._pool.map(call, items, chunksize=chunksize)  # submits every chunk now
        return lambda: list(mapped)

    def __enter__(self) -> "BatchMapper":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
