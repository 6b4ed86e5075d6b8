"""Fetched entry pages kept until their entry is done (``entry_pages``).

The watcher saves the response to an entry's page request, in a transaction of its own,
before the page goes on to extraction and NLP: the final URL, content type and charset, the
headers that say something about the document, ``http_status`` and ``requested_url``, the
fetch time and the body, zlib-compressed (the Fetcher already capped it at
``max_document_bytes``). A request that failed keeps its error code and message instead, so
the fallback to the entry's own content needs no second request either. A watcher restarted
after a kill rebuilds the entry's document from the row (``load_page``) instead of fetching
the page again. The row is deleted with the entry's end (``feeds.finish_entry``), so the store
does not keep page bodies.

Pages fetched ahead by worker threads are saved from those threads (``PageWriter``), each
write through a short-lived connection of its own, since an SQLite connection belongs to the
thread that opened it. An in-memory store cannot be reached from another connection: there,
pages fetched on other threads are not saved, which costs nothing, because such a store does
not outlive the process.

>>> from wirewatch.store import Store
>>> with Store.open(":memory:") as store:
...     load_page(store, 1, source="feed#1", max_bytes=100) is None
True
"""

from __future__ import annotations

import json
import threading
import zlib
from typing import Any

from wirewatch.errors import CollectError, StoreError
from wirewatch.model import RawDocument
from wirewatch.store import Store
from wirewatch.store.backends import Connection, DatabaseError

# What a page is: the outcome of its request, a document or the error that stopped it.
Fetched = RawDocument | CollectError

# Response headers worth keeping with a saved page (the rest say nothing about the document).
KEPT_HEADERS = frozenset(
    {"content-type", "content-language", "content-location", "last-modified", "link"}
)
_METADATA_KEYS = ("http_status", "requested_url")
_INSERT = (
    "INSERT INTO entry_pages (entry_id, url, content_type, encoding, headers, "
    "metadata, body, error_code, error_message, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (entry_id) DO UPDATE SET url = excluded.url, "
    "content_type = excluded.content_type, encoding = excluded.encoding, "
    "headers = excluded.headers, metadata = excluded.metadata, body = excluded.body, "
    "error_code = excluded.error_code, error_message = excluded.error_message, "
    "fetched_at = excluded.fetched_at"
)


def save_page(conn: Connection, entry_id: int, fetched: Fetched, *, now: str) -> None:
    """Write the outcome of an entry's page request, inside the caller's transaction."""
    if isinstance(fetched, CollectError):
        values: tuple[Any, ...] = (None, None, None, "{}", "{}", None)
        error: tuple[str | None, str | None] = (fetched.code, fetched.message)
        fetched_at = now
    else:
        headers = {k.lower(): v for k, v in fetched.headers.items() if k.lower() in KEPT_HEADERS}
        metadata = {k: fetched.metadata[k] for k in _METADATA_KEYS if k in fetched.metadata}
        values = (
            fetched.url,
            fetched.content_type,
            fetched.encoding,
            json.dumps(headers, ensure_ascii=False),
            json.dumps(metadata, ensure_ascii=False),
            zlib.compress(fetched.content),
        )
        error = (None, None)
        fetched_at = fetched.fetched_at
    conn.execute(_INSERT, (entry_id, *values, *error, fetched_at))


def load_page(store: Store, entry_id: int, *, source: str, max_bytes: int) -> Fetched | None:
    """The saved outcome of the entry's page request as ``source``, or None.

    None too when the saved body cannot be read back whole within ``max_bytes`` (a damaged
    row): the page is then fetched again, and the new response replaces the row.
    """
    row = store.connection.execute(
        "SELECT url, content_type, encoding, headers, metadata, body, error_code, "
        "error_message, fetched_at FROM entry_pages WHERE entry_id = ?",
        (entry_id,),
    ).fetchone()
    if row is None:
        return None
    if row["error_code"] is not None:
        return CollectError(row["error_message"] or "", code=row["error_code"])
    content = _decompress(row["body"], max_bytes)
    if content is None:
        return None
    return RawDocument(
        source=source,
        content=content,
        url=row["url"],
        content_type=row["content_type"],
        encoding=row["encoding"],
        headers=json.loads(row["headers"]),
        fetched_at=row["fetched_at"],
        metadata=json.loads(row["metadata"]),
    )


def saved_page_count(store: Store) -> int:
    """How many fetched pages wait for their entry to be done."""
    return int(store.connection.execute("SELECT count(*) FROM entry_pages").fetchone()[0])


def _decompress(body: bytes | None, max_bytes: int) -> bytes | None:
    if body is None:
        return None
    inflater = zlib.decompressobj()
    try:
        content = inflater.decompress(body, max_bytes + 1)
    except zlib.error:
        return None
    if len(content) > max_bytes or not inflater.eof:
        return None
    return content


class PageWriter:
    """Saves pages from any thread: see the module doc.

    On the thread that opened ``store``, a write is one ``Store.transaction()``; on another,
    one transaction on a connection opened for it and closed after.
    """

    def __init__(self, store: Store, *, busy_timeout: float = 10.0) -> None:
        self.store = store
        self._owner = threading.get_ident()
        self._busy_timeout = busy_timeout
        self._shared = store.target != ":memory:"

    def save(self, entry_id: int, fetched: Fetched, *, now: str) -> bool:
        """Save the outcome of the entry's page request; False when it could not be saved."""
        if threading.get_ident() == self._owner:
            with self.store.transaction() as conn:
                save_page(conn, entry_id, fetched, now=now)
            return True
        if not self._shared:
            return False
        other = self.store.second_connection()
        if other is None:
            return False
        try:
            other.backend.begin(other)
            save_page(other, entry_id, fetched, now=now)
            other.execute("COMMIT")
        except DatabaseError as exc:
            raise StoreError(
                f"saving the page of entry {entry_id} to store {self.store.target} failed: {exc}"
            ) from exc
        finally:
            other.close()  # an open transaction is undone with the connection
        return True
