"""Running the web app under uvicorn so that slow, idle and excess connections cannot hold it.

uvicorn closes a kept-alive connection idle between requests, but not one that sends nothing
at all, sends its headers a byte at a time, stops halfway through its body, or never reads
its answer; each holds a file descriptor for good, and at the process's file limit real
clients are locked out. ``GuardedProtocol`` (uvicorn's httptools protocol, on uvloop) adds:

- ``web_header_timeout``: a request's headers must arrive within it of the connection being
  opened or done with its last answer;
- ``web_keepalive_timeout``: an idle kept-alive connection is closed after it (uvicorn's own);
- ``web_body_timeout``: a request's body must arrive within it of its headers;
- ``web_response_timeout``: an answer the client has stopped reading is dropped after it;
- ``web_max_connections``: past it, a new connection closes the longest-waiting connection
  that is not being answered (idle, or sending its headers or body); when every connection
  is being answered, the new one is refused with 503 and closed.

``serve(db, settings, ...)`` runs one process, or ``workers`` processes sharing the socket.
"""

from __future__ import annotations

import asyncio
import functools
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from uvicorn import Config, Server
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState
from uvicorn.supervisors import Multiprocess

from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.web.headers import SECURITY_HEADERS
from wirewatch.web.problems import error_body

TICK = 1.0
"""Seconds between two checks of a connection's timeouts (less when a timeout is shorter)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The connection limits of one server process, from the ``web_*`` settings."""

    header_timeout: float
    body_timeout: float
    response_timeout: float
    max_connections: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            header_timeout=settings.web_header_timeout,
            body_timeout=settings.web_body_timeout,
            response_timeout=settings.web_response_timeout,
            max_connections=settings.web_max_connections,
        )

    @property
    def tick(self) -> float:
        return min(TICK, self.header_timeout / 4, self.body_timeout / 4, self.response_timeout / 4)


class ServerConfig(Config):
    """uvicorn's ``Config`` carrying the connection ``limits`` to each protocol instance."""

    def __init__(self, app: Any, limits: Limits, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.limits = limits


def _busy_answer() -> bytes:
    body = json.dumps(
        error_body(503, "unavailable", "the server has too many connections open; try again")
    ).encode()
    head = [
        "HTTP/1.1 503 Service Unavailable",
        "content-type: application/json",
        f"content-length: {len(body)}",
        "connection: close",
        "retry-after: 1",
        *(f"{name}: {value}" for name, value in SECURITY_HEADERS.items()),
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


BUSY = _busy_answer()


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the timeouts and the connection cap above."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        limits = getattr(config, "limits", None)
        self.limits: Limits = limits if isinstance(limits, Limits) else Limits.of(Settings())
        self.waiting_since = 0.0
        """When the connection last started waiting for a request's headers."""
        self.request_since = 0.0
        """When the current request's headers arrived."""
        self.stalled_since: float | None = None
        """When writing last had to stop for a client that does not read."""
        self._watch: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.waiting_since = self.loop.time()
        if self._make_room():
            self._watch = self.loop.call_later(self.limits.tick, self._check)
        else:
            transport.write(BUSY)
            transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        super().connection_lost(exc)

    def on_headers_complete(self) -> None:
        self.request_since = self.loop.time()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        self.waiting_since = self.loop.time()
        super().on_response_complete()

    def pause_writing(self) -> None:
        self.stalled_since = self.loop.time()
        super().pause_writing()

    def resume_writing(self) -> None:
        self.stalled_since = None
        super().resume_writing()

    def answering(self) -> bool:
        """True while a request has all it needs and its answer is being made or sent."""
        cycle = self.cycle
        return cycle is not None and not cycle.response_complete and not cycle.more_body

    def _make_room(self) -> bool:
        """Close the longest-waiting connections over the cap; False when none can go."""
        # Closed ones stay in the set until the loop tells them the connection is lost.
        live = [other for other in self.connections if not _closing(other)]
        excess = len(live) - self.limits.max_connections
        if excess <= 0:
            return True
        waiting = sorted(
            (
                other
                for other in live
                if isinstance(other, GuardedProtocol)
                and other is not self
                and not other.answering()
            ),
            key=lambda other: other.waiting_since,
        )
        for other in waiting[:excess]:
            other.transport.close()
        return len(waiting) >= excess

    def _check(self) -> None:
        """Close the connection when what it is waiting for is late; else check again later."""
        self._watch = None
        if self.transport.is_closing():
            return
        now = self.loop.time()
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            late = now - self.waiting_since > self.limits.header_timeout
        elif cycle.more_body:
            late = now - self.request_since > self.limits.body_timeout
        else:
            late = False
        stalled = self.stalled_since
        if stalled is not None and now - stalled > self.limits.response_timeout:
            self.transport.abort()  # close() would wait to send what the client won't read
            return
        if late:
            self.transport.close()
            return
        self._watch = self.loop.call_later(self.limits.tick, self._check)


def _closing(protocol: Any) -> bool:
    transport = getattr(protocol, "transport", None)
    return transport is None or bool(transport.is_closing())


def served_app(db: str | Path, settings: Settings) -> FastAPI:
    """``create_app``, with the unfiltered timeline, map, events totals and articles totals
    computed in the background."""
    from wirewatch.web.app import create_app
    from wirewatch.web.results import warm_results
    from wirewatch.web.table import warm_tables

    app = create_app(db, settings)
    threading.Thread(target=app.state.readers.warm, name="wirewatch-warm", daemon=True).start()
    threading.Thread(
        target=warm_tables, args=(app.state.readers,), name="wirewatch-warm-tables", daemon=True
    ).start()
    threading.Thread(
        target=warm_results, args=(app.state.readers,), name="wirewatch-warm-results", daemon=True
    ).start()
    return app


def config(
    db: str | Path,
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    log_level: str = "info",
) -> ServerConfig:
    """The uvicorn configuration serving the store at ``db`` (``served_app`` in each worker)."""
    return ServerConfig(
        functools.partial(served_app, db, settings),
        Limits.of(settings),
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=GuardedProtocol,
        loop="uvloop",
        ws="none",
        lifespan="off",
        timeout_keep_alive=settings.web_keepalive_timeout,  # type: ignore[arg-type,unused-ignore]
        timeout_graceful_shutdown=5,
        timeout_worker_healthcheck=60,  # a worker imports the app first: slow on a busy machine
        log_level=log_level,
        server_header=False,
    )


def serve(
    db: str | Path,
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    log_level: str = "info",
) -> None:
    """Serve until interrupted: one process, or ``workers`` processes on one socket."""
    Store.open(db).close()  # migrate once, before any worker opens the store
    server_config = config(db, settings, host=host, port=port, workers=workers, log_level=log_level)
    if workers == 1:
        server_config.load()
        Server(server_config).run()
        return
    sock = server_config.bind_socket()
    Multiprocess(server_config, sockets=[sock]).run()
