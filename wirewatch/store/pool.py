"""Stores for the many threads of a server: ``with pool.store() as store:`` in each request.

SQLite: each thread opens the store once and keeps it (an SQLite connection belongs to the
thread that opened it; opening checks the schema under the write lock, which a busy server
should not take per request). PostgreSQL: a psycopg connection pool of at most ``size``
connections per process, shared by every thread; a request waits up to ``wait`` seconds for
a free connection, then fails as ``store_busy``. Either way the schema is migrated once, when
the pool is made.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from wirewatch.errors import StoreError
from wirewatch.store.backends import redact, target_kind
from wirewatch.store.store import Store


class StorePool:
    """Stores on the store at ``target`` for any thread (see the module doc)."""

    def __init__(self, target: str, *, size: int = 8, wait: float = 10.0) -> None:
        self.target = target
        Store.open(target).close()  # migrated once, here, before any request
        self._local = threading.local()
        self._pool: Any = None
        if target_kind(target) == "postgresql":
            from wirewatch.store.backends import postgres

            self._pool = postgres.connection_pool(target, size=size, wait=wait)

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A store for this block: this thread's (SQLite) or one lent by the pool."""
        if self._pool is None:
            store: Store | None = getattr(self._local, "store", None)
            if store is None:
                store = Store.open(self.target)
                self._local.store = store
            yield store
            return
        from wirewatch.store.backends import postgres

        with postgres.lent_connection(self._pool) as conn:
            yield Store(conn, self.target)

    def quick_version(self) -> tuple[Any, ...] | None:
        """The store's ``version()`` when the files tell it without a connection (an SQLite
        file: two ``stat`` calls, fit to run on an event loop), else None (ask a store)."""
        if self._pool is not None or self.target == ":memory:":
            return None
        from wirewatch.store.backends.sqlite import file_version

        return file_version(self.target)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        store: Store | None = getattr(self._local, "store", None)
        if store is not None:
            store.close()

    def __repr__(self) -> str:
        return f"StorePool({redact(self.target)!r})"


__all__ = ["StoreError", "StorePool"]
