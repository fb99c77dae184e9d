"""A loopback HTTP server for tests: real sockets, no internet.

Routes map a path (with query, if any; a request whose query is not routed falls back to the
bare path's route) to what to answer:

* a ``Reply`` (or a ``(status, headers, body)`` tuple as shorthand);
* a list of replies, served in turn, the last one repeating (``500`` then ``200``);
* a callable taking the ``Seen`` request and returning a reply (conditional GET).

A reply's body is bytes, or a zero-argument callable returning an iterable of chunks, which is
streamed without a Content-Length (huge generated bodies). ``delay`` sleeps before the status
line (slow server). Unrouted paths answer 404, so an unrouted ``/robots.txt`` allows all.

    with FixtureServer({"/a": Reply(body=b"<html></html>")}) as server:
        httpx.get(server.url("/a"))
        server.seen("/a")  # requests received, with arrival times
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Union

HTML = {"Content-Type": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=lambda: dict(HTML))
    body: bytes | Callable[[], Iterable[bytes]] = b"<html><body>ok</body></html>"
    delay: float = 0.0


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    path: str
    headers: Mapping[str, str]
    at: float  # time.monotonic() on arrival


ReplyLike = Union[Reply, tuple[int, Mapping[str, str], bytes]]
Route = Union[ReplyLike, list[ReplyLike], Callable[[Seen], ReplyLike]]


def _as_reply(value: ReplyLike) -> Reply:
    return value if isinstance(value, Reply) else Reply(*value)


class _QuietServer(ThreadingHTTPServer):
    """Does not wait for slow handlers on close, nor print clients hanging up (size limit, timeout)."""

    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FixtureServer:
    """Serves ``routes`` on 127.0.0.1 from a background thread while the ``with`` block runs."""

    def __init__(self, routes: Mapping[str, Route]) -> None:
        self.routes = dict(routes)
        self.requests: list[Seen] = []
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fixture-http", daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def seen(self, path: str) -> list[Seen]:
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def __enter__(self) -> FixtureServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _reply_for(self, request: Seen) -> Reply:
        with self._lock:
            self.requests.append(request)
            key = request.path if request.path in self.routes else request.path.split("?", 1)[0]
            route = self.routes.get(key)
            count = self._served.get(key, 0)
            self._served[key] = count + 1
        if route is None:
            return Reply(404, HTML, b"<html>not found</html>")
        if isinstance(route, list):
            return _as_reply(route[min(count, len(route) - 1)])
        if callable(route):
            return _as_reply(route(request))
        return _as_reply(route)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                reply = server._reply_for(Seen(self.path, dict(self.headers), time.monotonic()))
                if reply.delay:
                    time.sleep(reply.delay)
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if isinstance(reply.body, bytes):
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                    return
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                for chunk in reply.body():
                    self.wfile.write(chunk)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler
