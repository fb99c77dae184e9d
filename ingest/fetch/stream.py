"""A large HTTP body as a readable file, streamed through the safe client.

Web archives (CC-NEWS files are about 1 GB) are read record by record by synchronous code
(warcio); this gives such code a file object whose bytes arrive from ``Fetcher.stream`` on
demand, so at no point is more than a few chunks of the body in memory or on disk.
"""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import aclosing, contextmanager

from .client import Fetcher, Response
from .options import FetchOptions
from .runner import iterate_in_background

logger = logging.getLogger(__name__)

_BUFFER_BYTES = 1 << 16


class _ChunkReader(io.RawIOBase):
    """Raw file over an iterator of byte chunks; errors of the iterator surface from ``read``."""

    def __init__(self, chunks: Iterator[Response | bytes]) -> None:
        self._chunks = chunks
        self._chunk = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._chunk:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            assert isinstance(chunk, bytes)  # only the first item is the head
            self._chunk = memoryview(chunk)
        size = min(len(buffer), len(self._chunk))
        buffer[:size] = self._chunk[:size]
        self._chunk = self._chunk[size:]
        return size


async def _items(url: str, options: FetchOptions, headers: Mapping[str, str] | None,
                 max_bytes: int | None) -> AsyncIterator[Response | bytes]:
    # aclosing: the response must be closed before its client, also when the reader stops early.
    async with Fetcher(options) as fetcher, aclosing(fetcher.stream(url, headers=headers, max_bytes=max_bytes)) as items:
        async for item in items:
            yield item


@contextmanager
def open_stream(url: str, options: FetchOptions, *, headers: Mapping[str, str] | None = None,
                max_bytes: int | None = None) -> Iterator[tuple[Response, io.BufferedReader]]:
    """Open ``url`` and give its response head and a buffered file over its body.

    The file is empty unless the status is 2xx. ``FetchError`` is raised here when no
    response could be had, and later from ``read`` when the connection breaks mid-body or
    the body passes ``max_bytes`` (None: no cap). The file supports ``peek`` (to sniff gzip)
    but not ``seek``. Leaving the block closes the connection and its event-loop thread.
    """
    items = iterate_in_background(_items(url, options, headers, max_bytes))
    try:
        head = next(items)
        assert isinstance(head, Response)
        logger.debug("streaming %s (status %d)", url, head.status)
        yield head, io.BufferedReader(_ChunkReader(items), _BUFFER_BYTES)
    finally:
        items.close()
