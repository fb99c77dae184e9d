"""robots.txt rules per origin, fetched once per run with the crawler's own client.

Conventions follow RFC 9309 (and Google's crawler): a 4xx robots.txt means "no rules", so
everything is allowed; a 5xx or an unreachable server means "assume everything is disallowed"
for this run, since the site may be down or shedding load. A failure to reach the host at all
(DNS, blocked address, connect) is reported as that failure for every URL of the origin.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from .errors import FetchError

logger = logging.getLogger(__name__)

# Fetches a URL, following redirects and retrying; returns (status, body) or raises FetchError.
RobotsGetter = Callable[[str], Awaitable[tuple[int, bytes]]]


class RobotsCache:
    """Answers "may we fetch this URL?"; concurrent first requests for one origin share one fetch."""

    def __init__(self, get: RobotsGetter, user_agent: str) -> None:
        self._get = get
        self._user_agent = user_agent
        self._loads: dict[str, asyncio.Task[RobotFileParser | FetchError]] = {}

    async def check(self, url: str) -> None:
        """Raise ``FetchError("robots: ...")`` unless the rules allow ``url``."""
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        load = self._loads.get(origin)
        if load is None:
            load = self._loads[origin] = asyncio.create_task(self._load(origin))
        rules = await asyncio.shield(load)
        if isinstance(rules, FetchError):
            raise FetchError(rules.reason)
        if not rules.can_fetch(self._user_agent, url):
            raise FetchError("robots: disallowed")

    async def _load(self, origin: str) -> RobotFileParser | FetchError:
        robots_url = f"{origin}/robots.txt"
        rules = RobotFileParser(robots_url)
        try:
            status, body = await self._get(robots_url)
        except FetchError as exc:
            logger.info("robots.txt %s unreachable: %s", robots_url, exc.reason)
            return FetchError(exc.reason if exc.http_status is None else f"robots: unreachable: {exc.reason}")
        if 200 <= status < 300:
            rules.parse(body.decode("utf-8", errors="replace").splitlines())
        elif 400 <= status < 500:
            rules.allow_all = True
        else:
            logger.info("robots.txt %s answered %s: treating the origin as disallowed", robots_url, status)
            return FetchError(f"robots: unreachable: http_status: {status}")
        return rules

    async def close(self) -> None:
        """Cancel robots.txt loads still running when the client shuts down."""
        pending = [task for task in self._loads.values() if not task.done()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
