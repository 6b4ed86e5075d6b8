"""Read access to the store for request handlers: one ``Store`` per worker thread.

SQLite connections are not shared across threads, and opening a ``Store`` checks its schema
under a write lock, which a busy server should not take per request. So each thread that
serves requests opens the store once and keeps it. Every read runs under a deadline: a query
that takes longer than ``READ_SECONDS`` is interrupted and answered as ``query_timeout``.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wirewatch.errors import StoreError
from wirewatch.store import Store

READ_SECONDS = 10.0
_CHECK_EVERY = 20_000  # SQLite virtual machine steps between deadline checks


class Readers:
    """Per-thread stores on one file; ``with readers.store() as store:`` in a handler."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self._local = threading.local()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """This thread's store, with a deadline on every query run inside the block."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store.open(self.db)
            self._local.store = store
        deadline = time.monotonic() + READ_SECONDS
        conn = store.connection
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), _CHECK_EVERY)
        try:
            yield store
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise StoreError(
                    f"the query took longer than {READ_SECONDS:g} s; narrow it with filters",
                    code="query_timeout",
                ) from None
            raise StoreError(f"reading the store failed: {exc}") from exc
        finally:
            conn.set_progress_handler(None, 0)
