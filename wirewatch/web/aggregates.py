"""Whole-store aggregates (the timeline, the map), computed once per change of the store.

A chart over every event reads every event: seconds on a large store, the same answer for
every client until something is written. So each server process keeps the latest answers
(``SIZE`` of them, by kind and filters) with the version of the store they were computed
from, and computes an answer again only once the store has changed since and the answer is
older than ``max_age`` seconds (``web_chart_max_age``), so that a store written to all the
time (a watcher running) costs one computation per chart per ``max_age``, not one per
client. The version is ``Store.version()``: for SQLite the size and modification time of the
file and its write-ahead log, for PostgreSQL the server's count of rows written. Clients
asking for the same chart while it is being computed wait for that one computation rather
than each starting their own.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
SIZE = 64
"""Answers kept per server process (each a few hundred rows at most)."""


class Aggregates:
    """The latest aggregate answers over a store; ``version()`` is the store's version
    (``Store.version``)."""

    def __init__(
        self, version: Callable[[], Hashable], size: int = SIZE, max_age: float = 0.0
    ) -> None:
        self.version = version
        self.size = size
        self.max_age = max_age
        self._lock = threading.Lock()
        self._answers: OrderedDict[Hashable, tuple[Hashable, float, Any]] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer for ``key``: kept if the store has not changed, else ``compute()``."""
        version = self.version()
        found = self._kept(key, version)
        if found is not None:
            return found[0]
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        try:
            with computing:
                found = self._kept(key, version)  # computed while this thread waited
                if found is not None:
                    return found[0]
                answer = compute()
                with self._lock:
                    self._answers[key] = (version, time.monotonic(), answer)
                    self._answers.move_to_end(key)
                    while len(self._answers) > self.size:
                        self._answers.popitem(last=False)
            return answer
        finally:
            # Keys are as many as the searches clients make up: a lock is kept only while its
            # answer is being computed (a thread still waiting on it finds the answer kept).
            with self._lock:
                if self._computing.get(key) is computing and not computing.locked():
                    del self._computing[key]

    def _kept(self, key: Hashable, version: Hashable) -> tuple[Any] | None:
        with self._lock:
            kept = self._answers.get(key)
            if kept is None:
                return None
            changed = kept[0] != version
            if changed and time.monotonic() - kept[1] >= self.max_age:
                return None
            self._answers.move_to_end(key)
            return (kept[2],)
