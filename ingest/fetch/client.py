"""The safe HTTP client: redirects, retries, timeouts, size and type limits, robots and pacing.

``Fetcher`` is the one place that talks HTTP, so page fetches, feed fetches and robots.txt
requests obey the same rules. Its methods raise ``FetchError``; ``fetch_page`` turns every
outcome into a ``FetchedPage`` or ``FetchFailure`` record.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from ingest.records import Candidate, FetchedPage, FetchFailure

from .backoff import backoff_delay, parse_retry_after
from .errors import FetchError
from .mime import parse_content_type
from .options import FetchOptions
from .pacing import Pacer
from .robots import RobotsCache
from .safety import GuardedTransport, check_url

logger = logging.getLogger(__name__)

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def _is_retryable_status(status: int) -> bool:
    return status == 429 or 500 <= status < 600


@dataclass(frozen=True, slots=True)
class Response:
    """The final answer to one GET; ``body`` is empty unless the status was 2xx."""

    url: str
    final_url: str
    status: int
    headers: httpx.Headers
    body: bytes
    fetched_at: datetime


def _response(url: str, final_url: str, reply: httpx.Response, body: bytes) -> Response:
    return Response(url=url, final_url=final_url, status=reply.status_code, headers=reply.headers, body=body,
                    fetched_at=datetime.now(timezone.utc))


def _root_cause(exc: BaseException) -> BaseException:
    """The innermost exception of a chain (anyio hides ECONNREFUSED behind a generic OSError)."""
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return exc


def _as_fetch_error(exc: httpx.HTTPError) -> FetchError:
    """Map an httpx exception to a reason code; connect errors and timeouts are retryable."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        phase = {httpx.ConnectTimeout: "connect", httpx.ReadTimeout: "read", httpx.WriteTimeout: "write",
                 httpx.PoolTimeout: "pool"}.get(type(exc), "other")
        return FetchError(f"timeout: {phase}", retryable=True)
    if isinstance(exc, httpx.ConnectError):
        cause = _root_cause(exc)
        reason = "refused" if isinstance(cause, ConnectionRefusedError) else f"connect: {str(cause) or detail}"
        return FetchError(reason, retryable=True)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchError(f"invalid_url: {detail}")
    if isinstance(exc, httpx.DecodingError):
        return FetchError(f"decoding: {detail}")
    if isinstance(exc, httpx.ProtocolError):
        return FetchError(f"protocol: {detail}")
    return FetchError(f"network: {detail}")


class Fetcher:
    """An async context manager owning one ``httpx.AsyncClient``, its pacing and robots cache."""

    def __init__(self, options: FetchOptions) -> None:
        self.options = options
        self._pacer = Pacer(options.max_concurrency, options.per_host_concurrency, options.per_host_delay)
        self._robots = RobotsCache(self._get_robots, options.user_agent)
        self._client = httpx.AsyncClient(
            transport=GuardedTransport(options.allow_private_addresses, options.max_concurrency),
            timeout=httpx.Timeout(connect=options.connect_timeout, read=options.read_timeout,
                                  write=options.read_timeout, pool=None),
            headers={"User-Agent": options.user_agent},
            follow_redirects=False,
            trust_env=False,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self._robots.close()
        await self._client.aclose()

    async def get(self, url: str, *, headers: Mapping[str, str] | None = None,
                  accept_types: Collection[str] | None = None, check_robots: bool = True) -> Response:
        """GET ``url`` with redirects and retries; a non-2xx final status is returned, not raised.

        ``accept_types`` limits the media types of a 2xx body (None accepts any). robots.txt
        is consulted when ``check_robots`` and ``options.respect_robots`` are both true.
        """
        async def attempt(stack: AsyncExitStack) -> Response:
            reply, final_url = await self._open(url, headers or {}, check_robots, self.options.total_timeout, stack)
            body = b""
            if 200 <= reply.status_code < 300:
                self._check_type(reply, accept_types)
                body = await self._read_body(reply)
            return _response(url, final_url, reply, body)

        async with AsyncExitStack() as stack:
            return await self._retrying(url, attempt, stack)

    async def stream(self, url: str, *, headers: Mapping[str, str] | None = None,
                     max_bytes: int | None = None) -> AsyncIterator[Response | bytes]:
        """GET a large body (a WARC, a sitemap) piece by piece: first the head, then the body's chunks.

        The head is a ``Response`` with an empty body; chunks follow only for a 2xx status.
        Redirects, address checks, robots and retries apply as for ``get`` until the head has
        arrived; after that a network error ends the stream with a ``FetchError``. There is no
        whole-request timeout (the read timeout still applies to every chunk) and ``max_bytes``
        replaces ``options.max_body_bytes`` (None: no cap), since archives are large by nature.
        """
        replies: list[httpx.Response] = []

        async def attempt(stack: AsyncExitStack) -> Response:
            reply, final_url = await self._open(url, headers or {}, True, None, stack)
            replies.append(reply)
            return _response(url, final_url, reply, b"")

        async with AsyncExitStack() as stack:
            head = await self._retrying(url, attempt, stack)
            yield head
            if 200 <= head.status < 300:
                async for chunk in self._iter_body(replies[-1], max_bytes):
                    yield chunk

    async def _retrying(self, url: str, attempt: Callable[[AsyncExitStack], Awaitable[Response]],
                        stack: AsyncExitStack) -> Response:
        """Run ``attempt`` until it succeeds, fails for good or the retries are spent.

        Each try gets its own exit stack; the final try's (its open reply) moves into ``stack``.
        """
        tries = 0
        while True:
            async with AsyncExitStack() as try_stack:
                try:
                    response = await attempt(try_stack)
                except FetchError as exc:
                    if not exc.retryable or tries >= self.options.retries:
                        raise
                    delay = None
                    cause = exc.reason
                else:
                    if not _is_retryable_status(response.status) or tries >= self.options.retries:
                        stack.push_async_exit(try_stack.pop_all())
                        return response
                    delay = parse_retry_after(response.headers.get("retry-after"), self.options.backoff_max)
                    cause = f"http_status: {response.status}"
            if delay is None:
                delay = backoff_delay(tries, self.options.backoff_base, self.options.backoff_max)
            tries += 1
            logger.info("retry %d/%d of %s in %.2fs after %s", tries, self.options.retries, url, delay, cause)
            await asyncio.sleep(delay)

    async def fetch_page(self, candidate: Candidate) -> FetchedPage | FetchFailure:
        """Fetch one candidate's HTML page; never raises for a per-URL problem."""
        try:
            response = await self.get(candidate.url, accept_types=self.options.html_types)
        except FetchError as exc:
            return self._failure(candidate, exc.reason, exc.http_status)
        if not 200 <= response.status < 300:
            return self._failure(candidate, f"http_status: {response.status}", response.status)
        media_type, charset = parse_content_type(response.headers.get("content-type"))
        return FetchedPage(source_name=candidate.source_name, url=candidate.url, final_url=response.final_url,
                           fetched_at=response.fetched_at, http_status=response.status, content_type=media_type,
                           body=response.body, charset=charset)

    @staticmethod
    def _failure(candidate: Candidate, reason: str, http_status: int | None) -> FetchFailure:
        logger.debug("fetch of %s failed: %s", candidate.url, reason)
        return FetchFailure(source_name=candidate.source_name, url=candidate.url, stage="fetch", reason=reason,
                            attempted_at=datetime.now(timezone.utc), http_status=http_status)

    async def _get_robots(self, url: str) -> tuple[int, bytes]:
        response = await self.get(url, check_robots=False)
        return response.status, response.body

    async def _open(self, url: str, headers: Mapping[str, str], check_robots: bool, timeout: float | None,
                    stack: AsyncExitStack) -> tuple[httpx.Response, str]:
        """Follow redirects by hand so each hop's scheme, robots rules and address are checked.

        Returns the final reply, left open in ``stack`` for its body to be read, and its URL.
        """
        current = url
        for hop in range(self.options.max_redirects + 1):
            check_url(current)
            if check_robots and self.options.respect_robots:
                await self._robots.check(current)
            async with AsyncExitStack() as hop_stack:
                reply = await hop_stack.enter_async_context(self._request(current, headers, timeout))
                location = reply.headers.get("location")
                if reply.status_code not in _REDIRECT_STATUSES or not location:
                    stack.push_async_exit(hop_stack.pop_all())
                    return reply, current
            current = str(httpx.URL(current).join(location))  # httpx has already validated the header
            logger.debug("hop %d: %s redirects to %s", hop + 1, url, current)
        raise FetchError("too_many_redirects", http_status=reply.status_code)

    @asynccontextmanager
    async def _request(self, url: str, headers: Mapping[str, str],
                       timeout: float | None) -> AsyncIterator[httpx.Response]:
        """One request inside a pacing slot, its reply open while the caller reads it.

        ``timeout`` bounds the exchange from connect to the last body byte read (queueing not
        counted); httpx errors and that timeout surface as ``FetchError``.
        """
        async with self._pacer.slot(urlsplit(url).hostname or ""):
            try:
                async with asyncio.timeout(timeout):
                    async with self._client.stream("GET", url, headers=headers) as reply:
                        yield reply
            except httpx.HTTPError as exc:
                raise _as_fetch_error(exc) from exc
            except TimeoutError as exc:
                raise FetchError("timeout: total", retryable=True) from exc

    @staticmethod
    def _check_type(reply: httpx.Response, accept_types: Collection[str] | None) -> None:
        if accept_types is None:
            return
        media_type, _ = parse_content_type(reply.headers.get("content-type"))
        if media_type not in accept_types:
            raise FetchError(f"wrong_type: {media_type or 'missing'}", http_status=reply.status_code)

    async def _read_body(self, reply: httpx.Response) -> bytes:
        """Read the decoded body, aborting as soon as it passes ``max_body_bytes``."""
        body = bytearray()
        async for chunk in self._iter_body(reply, self.options.max_body_bytes):
            body += chunk
        return bytes(body)

    @staticmethod
    async def _iter_body(reply: httpx.Response, limit: int | None) -> AsyncIterator[bytes]:
        """The decoded body in chunks; ``FetchError(too_large)`` once it passes ``limit`` (None: no cap)."""
        too_large = FetchError(f"too_large: > {limit} bytes", http_status=reply.status_code)
        declared = reply.headers.get("content-length", "")
        if limit is not None and declared.isdigit() and int(declared) > limit:
            raise too_large
        size = 0
        async for chunk in reply.aiter_bytes():
            size += len(chunk)
            if limit is not None and size > limit:
                raise too_large
            yield chunk
