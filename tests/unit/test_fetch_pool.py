"""The fetcher's connection pool (ingest.fetch.pool) against real loopback servers: keep-alive reuse,
the connection cap, server-closed idle connections replaced, and a bounded number of pool scans."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime, timezone

import pytest

from ingest.fetch import FetchOptions, Fetcher, fetch_many
from ingest.fetch.pool import LinearPool
from ingest.records import Candidate, FetchedPage
from tests.support.http_server import FixtureServer, Reply

OPTIONS = FetchOptions(allow_private_addresses=True, connect_timeout=2, read_timeout=2, total_timeout=5,
                       per_host_delay=0, retries=0, respect_robots=False)
NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)


def _pool(fetcher: Fetcher) -> LinearPool:
    pool = fetcher._client._transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool, LinearPool)
    return pool


def test_sequential_requests_reuse_one_connection() -> None:
    async def run(url: str) -> tuple[list[int], int]:
        async with Fetcher(OPTIONS) as fetcher:
            statuses = [(await fetcher.get(f"{url}?n={i}")).status for i in range(10)]
            return statuses, len(_pool(fetcher).connections)

    with FixtureServer({"/a": Reply(body=b"<html>a</html>")}) as server:
        statuses, connections = asyncio.run(run(server.url("/a")))
    assert statuses == [200] * 10
    assert connections == 1


def test_concurrent_requests_stay_within_the_cap_and_scan_the_pool_twice_each(monkeypatch: pytest.MonkeyPatch) -> None:
    scans = 0
    assign = LinearPool._assign_requests_to_connections

    def counting(self: LinearPool) -> list:  # type: ignore[type-arg]
        nonlocal scans
        scans += 1
        assert len(self._connections) <= self._max_connections
        return assign(self)

    monkeypatch.setattr(LinearPool, "_assign_requests_to_connections", counting)
    options = FetchOptions(**{**OPTIONS.__dict__, "max_concurrency": 5, "per_host_concurrency": 5})
    with FixtureServer({"/p": Reply(body=b"<html>p</html>", delay=0.05)}) as server:
        candidates = [Candidate(source_name="t", url=server.url(f"/p?i={i}"), discovered_at=NOW) for i in range(40)]
        results = list(fetch_many(candidates, options))
    assert sum(isinstance(r, FetchedPage) for r in results) == 40
    assert scans <= 2 * 40 + 5  # one when a request starts, one when its response closes


def test_idle_connection_closed_by_the_server_is_replaced() -> None:
    """A server that hangs up after each answer (without saying so): the next request must not fail."""
    connections = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        body = b"<html>ok</html>"
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()

    async def run() -> list[int]:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server, Fetcher(OPTIONS) as fetcher:
            statuses = []
            for i in range(3):
                statuses.append((await fetcher.get(f"http://127.0.0.1:{port}/x?{i}")).status)
                await asyncio.sleep(0.05)  # let the hang-up arrive while the connection idles in the pool
            return statuses

    assert asyncio.run(run()) == [200, 200, 200]
    assert connections == 3


def test_a_missing_sniffio_is_looked_up_once() -> None:
    if sys.modules.get("sniffio") is not None:
        pytest.skip("sniffio is installed")
    with pytest.raises(ImportError):
        import sniffio  # noqa: F401
