"""Requests answered in turn: a few at a time, the others waiting in the order they came (an
ASGI middleware).

A server process has one event loop and, for the pages made afresh, a pool of threads that
share one interpreter lock. Left alone, every request that arrives starts at once: with 200
clients, a hundred pages are made side by side, each taking a hundred times longer, while an
answer already kept is given at once. A crowd that asks for both then sees its kept answers
come back in a fraction of a millisecond and its new pages queue for seconds behind each
other: for a fixed amount of work per second, the fast lane makes the slow one slower.

So at most ``web_max_active`` GET and HEAD requests are being answered at once in a process,
kept answers included; the others wait for a turn in arrival order, and a request that has
waited ``web_queue_timeout`` seconds is answered 503 (``busy``, with ``Retry-After``) rather
than later. A turn ends when the answer starts, so a large download streams outside it and a
slow reader never holds one. Every request then waits about as long as any other, the time
the ones before it take: at 200 clients the slowest answers come in a second, not in several
(``docs/serving.md``, Load). Requests that may write (POST, PUT, DELETE ...) do not take a
turn: they are few, token-holders' own, and wait for the store's write lock anyway.
"""

from __future__ import annotations

import asyncio
import html
import json
from collections import deque

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wirewatch.web.problems import error_body

TURN_METHODS = frozenset({"GET", "HEAD"})
RETRY_AFTER = b"1"


class Admission:
    """Turns for the requests of ``app``: ``active`` at once (0: no limit), each waiting at
    most ``wait`` seconds for its turn."""

    def __init__(self, app: ASGIApp, active: int, wait: float) -> None:
        self.app = app
        self.active = active
        self.wait = wait
        self._free = active
        self._waiting: deque[asyncio.Future[None]] = deque()

    @property
    def queued(self) -> int:
        """Requests waiting for a turn now."""
        return sum(not waiter.done() for waiter in self._waiting)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.active <= 0 or scope["type"] != "http" or scope["method"] not in TURN_METHODS:
            await self.app(scope, receive, send)
            return
        if not await self._take_turn():
            await _busy(send, self.wait, scope["path"].startswith("/api/"))
            return
        done = False

        def end_turn() -> None:
            nonlocal done
            if not done:
                done = True
                self._give_turn()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                end_turn()  # the answer is made: its body, however long, goes out of turn
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            end_turn()

    async def _take_turn(self) -> bool:
        """Wait for a turn in arrival order; False when ``wait`` seconds passed without one."""
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return True
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            async with asyncio.timeout(self.wait):
                await waiter
        except TimeoutError:
            # Handed a turn just as the time ran out: take it. Else the waiter was cancelled
            # with the wait; it stays queued and is skipped when a turn is handed on.
            return waiter.done() and not waiter.cancelled()
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._give_turn()  # a turn handed to a request gone: pass it on
            else:
                waiter.cancel()
            raise
        return True

    def _give_turn(self) -> None:
        """The turn ending goes to the first request still waiting, else back to the pool."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1


async def _busy(send: Send, wait: float, api: bool) -> None:
    """503 ``busy``: in the API's error shape, or a short page for a browser."""
    message = f"the server is busy: no turn came within {wait:g} s; try again in a moment"
    if api:
        body, kind = json.dumps(error_body(503, "busy", message)).encode(), b"application/json"
    else:
        body = f"<!doctype html><title>Busy</title><p>{html.escape(message)}</p>".encode()
        kind = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", RETRY_AFTER),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
