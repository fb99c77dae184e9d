"""Fetching many candidates: a bounded window of tasks, results streamed as they finish."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from ingest.records import Candidate, FetchedPage, FetchFailure

from .client import Fetcher, Response
from .options import FetchOptions

logger = logging.getLogger(__name__)

T = TypeVar("T")

_WINDOW_PER_SLOT = 4  # tasks in flight per global slot: enough to keep slots busy across many hosts


async def fetch_all(candidates: Iterable[Candidate | FetchFailure],
                    options: FetchOptions) -> AsyncIterator[FetchedPage | FetchFailure]:
    """Fetch candidates concurrently, yielding results in completion order.

    At most ``max_concurrency * 4`` candidates are taken from the iterable at a time, so a
    huge or endless discovery stream is never held in memory. Candidates that carry an
    ``archived`` page (WARC) are passed through without touching the network, and discovery
    failures mixed into the stream are passed through unchanged. The iterable is advanced in
    a worker thread, so it may block (read files, fetch feeds) without stalling the fetches.
    """
    source = iter(candidates)
    window = options.max_concurrency * _WINDOW_PER_SLOT
    pending: set[asyncio.Task[FetchedPage | FetchFailure]] = set()
    exhausted = False
    async with Fetcher(options) as fetcher:
        try:
            while True:
                if not exhausted and len(pending) < window:
                    wanted = window - len(pending)
                    batch = await asyncio.to_thread(lambda: list(islice(source, wanted)))
                    exhausted = len(batch) < wanted
                    for item in batch:
                        if isinstance(item, FetchFailure):
                            yield item
                        elif item.archived is not None:
                            yield item.archived
                        else:
                            pending.add(asyncio.create_task(fetcher.fetch_page(item)))
                if not pending:
                    if exhausted:
                        return
                    continue
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    yield task.result()
        finally:
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)


def fetch_many(candidates: Iterable[Candidate | FetchFailure],
               options: FetchOptions) -> Iterator[FetchedPage | FetchFailure]:
    """Synchronous ``fetch_all`` for Dagster ops and scripts: results stream one by one."""
    return iterate_in_background(fetch_all(candidates, options))


def get_once(url: str, options: FetchOptions, *, headers: dict[str, str] | None = None) -> Response:
    """One GET (any media type) with a client of its own, from synchronous code; raises ``FetchError``.

    For single small documents (a feed, a CC-NEWS paths file): it runs its own short event loop.
    """
    async def get() -> Response:
        async with Fetcher(options) as fetcher:
            return await fetcher.get(url, headers=headers)

    return asyncio.run(get())


def iterate_in_background(stream: AsyncGenerator[T, None]) -> Iterator[T]:
    """Drive an async iterator on an event loop in a daemon thread and yield its items here.

    Items are pulled one at a time, so nothing piles up beyond what the async side buffers;
    the loop keeps running between pulls, so requests in flight progress while the caller
    works. Closing the returned generator closes the async iterator and stops the thread.
    """
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="nkwatch-fetch-loop", daemon=True)
    thread.start()

    async def pull() -> T:
        return await anext(stream)

    async def close() -> None:
        await stream.aclose()
        await loop.shutdown_asyncgens()
        await loop.shutdown_default_executor()  # the threads that advanced the candidate iterable

    try:
        while True:
            try:
                item = asyncio.run_coroutine_threadsafe(pull(), loop).result()
            except StopAsyncIteration:
                return
            yield item
    finally:
        try:
            asyncio.run_coroutine_threadsafe(close(), loop).result()
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()
