"""Answers kept until the store changes: a second reader asking for the same page gets the
answer the first was given, without the page being made again (an ASGI middleware).

A page or API answer depends on its URL and on what the store holds, nothing else: no cookie,
no session, no ``Accept`` negotiation. So an anonymous ``GET`` answered ``200`` is kept, keyed
by its path and query string, together with the store's version when it was asked for; it is
given again while the store's version is the same. The version is read for every request
(a file's size and time for SQLite, the server's row counters for PostgreSQL): a fraction of
a millisecond against the several a page takes to make. So on SQLite an answer is never given
once the store has changed; on PostgreSQL the counters reach other sessions within about a
second of a write (the search and chart caches read the same version).

Not kept: requests carrying ``Authorization`` (they may see what others do not), other methods,
static files (their own server caches them), answers other than 200, answers over
``MAX_ANSWER_BYTES`` (a large CSV streams through untouched), and anything once the answers kept
pass ``web_answer_cache_bytes`` in all (the least recently given go first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_ANSWER_BYTES = 1 << 20
"""The largest answer kept."""


@dataclass(frozen=True, slots=True)
class Answer:
    version: tuple[Any, ...]
    start: Message
    body: bytes


class AnswerCache:
    """Keeps and gives again the answers described above, around the application ``app``;
    ``version()`` reads the store's version (blocking: it runs in a worker thread)."""

    def __init__(
        self,
        app: ASGIApp,
        version: Callable[[], tuple[Any, ...]],
        max_bytes: int,
        quick_version: Callable[[], tuple[Any, ...] | None] | None = None,
    ) -> None:
        self.app = app
        self._read_version = version
        self._quick_version = quick_version
        self._max_bytes = max_bytes
        self._answers: OrderedDict[tuple[str, bytes], Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._keeps(scope):
            await self.app(scope, receive, send)
            return
        # The version of an SQLite file is two stat calls, read here; a hop to a worker
        # thread for them cost more than the rest of giving a kept answer.
        quick = self._quick_version() if self._quick_version is not None else None
        version = quick if quick is not None else await run_in_threadpool(self._read_version)
        key = (scope["path"], scope.get("query_string", b""))
        with self._lock:
            kept = self._answers.get(key)
            if kept is not None and kept.version != version:
                kept = None
            if kept is not None:
                self._answers.move_to_end(key)
        if kept is not None:
            await send(kept.start)
            await send({"type": "http.response.body", "body": kept.body})
            return
        await self.app(scope, receive, self._recording(key, version, send))

    def _keeps(self, scope: Scope) -> bool:
        if self._max_bytes <= 0 or scope["type"] != "http" or scope["method"] != "GET":
            return False
        if scope["path"].startswith("/static/"):
            return False
        return "authorization" not in Headers(scope=scope)

    def _recording(self, key: tuple[str, bytes], version: tuple[Any, ...], send: Send) -> Send:
        start: Message | None = None
        parts: list[bytes] = []
        size = 0

        async def record(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                # A copy: the middleware outside may add headers to the message it is sent.
                ok = message["status"] == 200
                start = dict(message, headers=list(message.get("headers", []))) if ok else None
            elif message["type"] == "http.response.body" and start is not None:
                body = message.get("body", b"")
                size += len(body)
                if size > MAX_ANSWER_BYTES:
                    start = None
                    parts.clear()
                else:
                    parts.append(body)
                    if not message.get("more_body", False):
                        self._keep(key, Answer(version, start, b"".join(parts)))
            await send(message)

        return record

    def _keep(self, key: tuple[str, bytes], answer: Answer) -> None:
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._answers[key] = answer
            self._bytes += len(answer.body)
            while self._bytes > self._max_bytes and self._answers:
                _, gone = self._answers.popitem(last=False)
                self._bytes -= len(gone.body)
