"""Politeness: a global cap on requests in flight and, per host, a cap plus a minimum spacing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class _HostGate:
    """Per-host semaphore and the earliest time the next request to the host may start."""

    def __init__(self, concurrency: int) -> None:
        self.semaphore = asyncio.Semaphore(concurrency)
        self.lock = asyncio.Lock()
        self.next_start = 0.0


class Pacer:
    """Hands out request slots; hold one around each HTTP exchange (hop, retry, robots.txt).

    Order matters: the host semaphore first (so tasks queued on a busy host hold no global slot),
    then the global one, then the host spacing (so the spacing is measured at the real start).
    """

    def __init__(self, max_concurrency: int, per_host_concurrency: int, per_host_delay: float) -> None:
        self._global = asyncio.Semaphore(max_concurrency)
        self._per_host_concurrency = per_host_concurrency
        self._delay = per_host_delay
        self._hosts: dict[str, _HostGate] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        gate = self._hosts.get(host)
        if gate is None:
            gate = self._hosts[host] = _HostGate(self._per_host_concurrency)
        async with gate.semaphore, self._global:
            async with gate.lock:
                loop = asyncio.get_running_loop()
                wait = gate.next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                gate.next_start = loop.time() + self._delay
            yield
