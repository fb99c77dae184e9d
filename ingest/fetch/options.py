"""Settings of the safe HTTP client, passed explicitly to every fetch and feed call."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FetchOptions:
    """Limits and politeness rules for one crawl.

    One object carries them all so a run's behaviour is visible in one place and a test can
    shrink timeouts and backoffs without patching module globals.
    """

    user_agent: str = "nkwatch/0.1 (+https://github.com/nkwatch/nkwatch; news research crawler)"
    connect_timeout: float = 10
    read_timeout: float = 20
    total_timeout: float = 60  # one HTTP exchange, connect to last body byte (queueing not counted)
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    max_concurrency: int = 16
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0  # minimum seconds between request starts on one host
    retries: int = 3  # extra attempts after the first
    backoff_base: float = 0.5
    backoff_max: float = 30  # also caps a server's Retry-After
    allow_private_addresses: bool = False
    respect_robots: bool = True
    html_types: tuple[str, ...] = ("text/html", "application/xhtml+xml")
