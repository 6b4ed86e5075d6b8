"""A per-document time cap for third-party code that has no timeout of its own.

trafilatura and lxml cannot be told to stop; a pathological page must cost one counted timeout,
never a hung run. On POSIX, in the main thread, ``deadline`` arms ``ITIMER_REAL`` and turns the
alarm into ``DeadlineExceeded``. Elsewhere (worker threads, Windows) the block runs uncapped and
the executor's own limits apply; ``deadline`` says which through ``enforced``.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class DeadlineExceeded(Exception):
    """The block did not finish within its time cap."""


def can_enforce() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float) -> Iterator[bool]:
    """Run the block with a time cap; yields whether the cap is enforced.

    >>> with deadline(1.0) as enforced:
    ...     pass
    """
    if seconds <= 0 or not can_enforce():
        yield False
        return

    def _expire(signum: int, frame: FrameType | None) -> None:
        raise DeadlineExceeded(f"did not finish within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expire)
    outer_left, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            # Someone else's alarm (a test runner's timeout, say) was pending: re-arm it with
            # what is left, or fire it almost at once if it fell due while we held the timer.
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
