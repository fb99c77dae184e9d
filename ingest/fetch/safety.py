"""Network safety: only http(s), and no connections to internal addresses.

The address check runs inside the connection layer (a custom httpcore network backend), on
the very addresses the socket connects to, so every hop of a redirect chain, every retry and
every robots.txt request is checked and a DNS answer cannot change between check and connect.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

from .errors import FetchError
from .pool import LinearPool, SocketCachingStream

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = frozenset({"http", "https"})
_METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched (``bad_scheme: ftp``, ``invalid_url: no host``), or None."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a non-numeric or out-of-range port
    except ValueError as exc:
        return f"invalid_url: {exc}"
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return f"bad_scheme: {parts.scheme or '(none)'}"
    if not parts.hostname:
        return "invalid_url: no host"
    if any(ch.isspace() for ch in url):
        return "invalid_url: whitespace"
    return None


def check_url(url: str) -> None:
    """Raise ``FetchError`` for a URL the client must not request."""
    problem = url_problem(url)
    if problem:
        raise FetchError(problem)


def is_blocked_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for loopback, private, link-local, multicast, reserved, unspecified and metadata IPs."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address in _METADATA_ADDRESSES
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global  # the rest, e.g. carrier-grade NAT 100.64.0.0/10
    )


async def resolve(host: str, port: int) -> list[str]:
    """All addresses of ``host`` (IPv4 and IPv6) in resolver order; ``dns:`` error if none."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"dns: {exc.strerror or exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FetchError(f"dns: no address for {host}")
    return addresses


def check_addresses(addresses: Iterable[str]) -> None:
    """Refuse the whole host when any of its addresses is internal (a split answer is a red flag)."""
    for text in addresses:
        if is_blocked_address(ipaddress.ip_address(text.split("%", 1)[0])):
            raise FetchError(f"blocked_address: {text}")


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks and connects to the checked address itself."""

    def __init__(self, allow_private_addresses: bool) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private_addresses

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve(host, port)
        if not self._allow_private:
            check_addresses(addresses)
        last_error: Exception | None = None
        for address in addresses:
            try:
                stream = await self._inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                       socket_options=socket_options)
                return SocketCachingStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                logger.debug("connect to %s (%s) port %s failed: %s", host, address, port, exc)
                last_error = exc
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise FetchError("bad_scheme: unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """An httpx transport whose connections go through ``GuardedBackend`` and ignore env proxies."""

    def __init__(self, allow_private_addresses: bool, max_connections: int) -> None:
        super().__init__(trust_env=False)
        # httpx 0.28 takes no network backend argument, so replace the pool it built with one
        # that connects through the guard and keeps its bookkeeping cheap (httpx is pinned in uv.lock).
        self._pool = LinearPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            network_backend=GuardedBackend(allow_private_addresses),
        )
