"""A small threaded HTTP server on 127.0.0.1 for tests, with scripted misbehaviour.

Tests never touch the network: they start this server on a random port, give each path a
``Reply`` (or a function of the request returning one), and point the code under test at
``server.url(path)``. Unknown paths answer 404. Replies can hang (``delay``), trickle
(``byte_delay``), stream chunked bodies (``chunks``) or lie about their length, which is what
timeouts and size caps need to be tested against.

    with LocalServer() as server:
        server.route("/page", Reply(body=b"<p>Kyiv</p>", headers={"Content-Type": "text/html"}))
        fetch(server.url("/page"))
        assert server.hits("/page") == 1

Sleeps wait on an event that ``stop()`` sets, so stopping never waits for a hanging reply.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass
class Reply:
    """What the server answers: status, headers, body, and how to misbehave while sending it.

    ``delay``: seconds to wait before answering. ``byte_delay``: seconds between body bytes.
    ``chunks``: send these with ``Transfer-Encoding: chunked`` instead of ``body``.
    ``content_length``: False leaves the header out (the body then ends when the connection
    closes); an int sends that value whatever the body's real length.
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    byte_delay: float = 0.0
    chunks: list[bytes] | None = None
    content_length: bool | int = True


@dataclass(frozen=True)
class SeenRequest:
    """A request the server received: its path (with query), headers (lower-case keys), and
    when it arrived (``time.monotonic()``)."""

    path: str
    headers: dict[str, str]
    at: float = 0.0


Route = Reply | Callable[[SeenRequest], Reply]


def html(body: str | bytes, status: int = 200, charset: str | None = "utf-8") -> Reply:
    """An HTML reply; ``charset`` goes into the Content-Type header when given."""
    content = body.encode("utf-8") if isinstance(body, str) else body
    media = f"text/html; charset={charset}" if charset else "text/html"
    return Reply(status=status, body=content, headers={"Content-Type": media})


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, headers={"Location": location})


class LocalServer:
    """The server; use as a context manager or call ``start()`` and ``stop()``."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self.requests: list[SeenRequest] = []
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        # A short poll interval: shutdown() waits up to one interval, in every test.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, reply: Route) -> None:
        """Answer requests for ``path`` (including any query string) with ``reply``."""
        with self._lock:
            self._routes[path] = reply

    def hits(self, path: str) -> int:
        """How many requests asked for ``path``."""
        with self._lock:
            return sum(1 for seen in self.requests if seen.path == path)

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _answer(self, seen: SeenRequest) -> Reply:
        with self._lock:
            self.requests.append(seen)
            route = self._routes.get(seen.path)
        if route is None:
            return Reply(status=404, body=b"not found", headers={"Content-Type": "text/plain"})
        return route(seen) if callable(route) else route


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a hanging reply's thread must not delay stop()
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that give up (timeouts, size caps) close the connection mid-reply; that is
        # what the tests provoke, not an error worth printing.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        headers = {k.lower(): v for k, v in self.headers.items()}
        seen = SeenRequest(self.path, headers, time.monotonic())
        reply = owner._answer(seen)
        if reply.delay and owner.stopping.wait(reply.delay):
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.chunks is not None:
            self.send_header("Transfer-Encoding", "chunked")
        elif reply.content_length is True:
            self.send_header("Content-Length", str(len(reply.body)))
        elif reply.content_length is not False:
            self.send_header("Content-Length", str(reply.content_length))
        if reply.chunks is None and reply.content_length is False:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self._send_body(reply, owner.stopping)

    def _send_body(self, reply: Reply, stopping: threading.Event) -> None:
        if reply.chunks is not None:
            for chunk in reply.chunks:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif reply.byte_delay:
            for byte in _bytes_of(reply.body):
                self.wfile.write(byte)
                self.wfile.flush()
                if stopping.wait(reply.byte_delay):
                    return
        else:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


def _bytes_of(body: bytes) -> Iterator[bytes]:
    for index in range(len(body)):
        yield body[index : index + 1]
