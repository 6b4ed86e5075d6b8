"""Per-host politeness: one request at a time per host, and a pause between two requests.

A ``HostGate`` is shared by every thread that fetches (feed checks run in a small pool, one
task per host); the ``Fetcher`` takes a turn for each request, robots.txt included, so the
rule holds whatever is being fetched. The pause counts from the end of one request to the
start of the next on the same host.

>>> gate = HostGate(min_delay=0.0)
>>> with gate.turn("example.org:443"):
...     pass
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class HostGate:
    """Turns per host: ``with gate.turn(host):`` waits for the host to be free and rested.

    ``clock`` and ``sleep`` are injectable so tests need not wait; by default they are
    ``time.monotonic`` and ``time.sleep``.
    """

    def __init__(
        self,
        min_delay: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_delay = min_delay
        self._clock = clock
        self._sleep = sleep
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._last_end: dict[str, float] = {}

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        """Hold ``host`` for one request: no other request to it starts until this ends."""
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            last = self._last_end.get(host)
            if last is not None:
                wait = last + self.min_delay - self._clock()
                if wait > 0:
                    self._sleep(wait)
            try:
                yield
            finally:
                self._last_end[host] = self._clock()
