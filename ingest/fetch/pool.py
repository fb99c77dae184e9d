"""httpcore's connection pool with its per-request bookkeeping made cheap.

httpcore 1.0.9 (pinned in uv.lock) rescans its pool at every request start and end: an idle
count that is quadratic in the number of connections, a readability poll per connection that
goes through anyio's attribute lookup (a dict of lambdas built per call), and, without sniffio
installed, a failed ``import sniffio`` (a search of sys.path) for every lock and event it
creates; and it hands a connection assigned to a request that has not started yet to the next
request too, which then fails and rescans. At 50 connections this cost about 7 ms of CPU per
page, where the whole fetch now costs about 1 ms (``bench/fetch_throughput.py`` measures it).
The pool's rules are httpcore's, minus that double booking.
"""

from __future__ import annotations

import sys

import httpcore
from httpcore._async.interfaces import AsyncConnectionInterface
from httpcore._utils import is_socket_readable

try:  # httpcore imports sniffio, if it exists, every time it makes a lock: remember the miss once
    import sniffio  # noqa: F401
except ImportError:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]


class SocketCachingStream(httpcore.AsyncNetworkStream):
    """A network stream that looks its socket up once, for the pool's "closed by the server?" polls."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, ssl_context: object, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        tls = await self._inner.start_tls(ssl_context, server_hostname, timeout)  # type: ignore[arg-type]
        return SocketCachingStream(tls)

    def get_extra_info(self, info: str) -> object:
        if info == "is_readable":
            return is_socket_readable(self._socket)
        return self._inner.get_extra_info(info)


class LinearPool(httpcore.AsyncConnectionPool):
    """``AsyncConnectionPool`` whose request assignment is linear in the connections.

    Over HTTP/1.1 it also never hands a connection already assigned to a request (one that has
    not started yet, so still "idle") to a second request, nor closes it as idle: httpcore does,
    and the loser retries the whole assignment (about ten scans per request at 50 connections).
    """

    def _assign_requests_to_connections(self) -> list[AsyncConnectionInterface]:
        """httpcore's rules, in order: drop closed, expired and surplus idle connections, then give
        each queued request an available connection, a new one, or a new one in place of an idle one."""
        closing: list[AsyncConnectionInterface] = []
        for connection in list(self._connections):
            if connection.is_closed():
                self._connections.remove(connection)
            elif connection.has_expired() or (connection.is_idle()
                                              and len(self._connections) > self._max_keepalive_connections):
                self._connections.remove(connection)
                closing.append(connection)
        shared = self._http2  # an HTTP/2 connection carries many requests at once
        taken = set() if shared else {id(r.connection) for r in self._requests if r.connection is not None}
        for pool_request in self._requests:
            if not pool_request.is_queued():
                continue
            origin = pool_request.request.url.origin
            connection = next((c for c in self._connections if id(c) not in taken
                               and c.can_handle_request(origin) and c.is_available()), None)
            if connection is None:
                if len(self._connections) >= self._max_connections:
                    idle = next((c for c in self._connections if id(c) not in taken and c.is_idle()), None)
                    if idle is None:
                        continue  # stays queued until a connection frees up
                    self._connections.remove(idle)
                    closing.append(idle)
                connection = self.create_connection(origin)
                self._connections.append(connection)
            pool_request.assign_to_connection(connection)
            if not shared:
                taken.add(id(connection))
        return closing
