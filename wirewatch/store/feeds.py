"""The watched sources (``feeds``) and the entries seen in them (``feed_entries``).

Reads use ``Store.connection``; every write is one ``Store.transaction()``. Recording a check
(``record_check``) writes the source's new state and its new entries, as ``pending``, in one
transaction, so a watcher killed at any point either saw the entries or will see them again.
An entry ends ``stored`` (its article is in the store, whoever stored it) or ``failed`` (with
the failure's code and message in ``reason``). A pending entry whose page was fetched has it
saved in ``entry_pages`` (see ``store.entry_pages``) until then.

>>> from wirewatch.store import Store
>>> with Store.open(":memory:") as store:
...     feed, added = add_feed(store, "https://example.org/rss", "feed", now="2024-01-01")
...     (feed.url, feed.enabled, added)
('https://example.org/rss', True, True)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from wirewatch.collect.entries import Identity, SourceEntry
from wirewatch.collect.polling import SourceKind
from wirewatch.errors import StoreError
from wirewatch.store import Store

EntryState = Literal["pending", "stored", "failed"]


@dataclass(slots=True)
class Feed:
    """A watched feed or sitemap and what the watcher knows about it (times in ISO UTC)."""

    id: int
    url: str
    kind: SourceKind
    title: str | None
    added_at: str
    enabled: bool
    disabled_reason: str | None
    identity: Identity
    etag: str | None
    last_modified: str | None
    last_checked_at: str | None
    next_check_at: str | None
    interval_seconds: float | None
    consecutive_errors: int
    last_status: int | None
    last_error: str | None
    last_warning: str | None
    last_entry_at: str | None
    checks: int
    not_modified: int
    errors: int
    entries_found: int


@dataclass(slots=True)
class FeedUpdate:
    """A feed's state after one check; ``outcome`` drives the counters."""

    outcome: str
    url: str
    kind: SourceKind
    title: str | None
    identity: Identity
    etag: str | None
    last_modified: str | None
    last_checked_at: str
    next_check_at: str
    interval_seconds: float
    consecutive_errors: int
    last_status: int | None
    last_error: str | None
    last_warning: str | None
    last_entry_at: str | None
    enabled: bool
    disabled_reason: str | None


@dataclass(slots=True)
class PendingEntry:
    """An entry whose article is not stored yet, with what is needed to fetch and label it."""

    id: int
    feed_id: int
    feed_url: str
    key: str
    url: str | None
    title: str | None
    published: str | None
    content: str | None
    content_type: Literal["html", "text"] | None
    metadata: dict[str, Any] = field(default_factory=dict)


_FEED_COLUMNS = ", ".join(Feed.__dataclass_fields__)
_INSERT_ENTRY = (
    "INSERT INTO feed_entries (feed_id, key, url, title, published, content, content_type, "
    "metadata, first_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (feed_id, key) DO NOTHING"
)


def add_feed(
    store: Store, url: str, kind: SourceKind, *, title: str | None = None, now: str
) -> tuple[Feed, bool]:
    """Watch ``url``; returns the feed and whether it was new (an existing one is unchanged)."""
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO feeds (url, kind, title, added_at, next_check_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (url) DO NOTHING",
            (url, kind, title, now, now),
        )
        added = cursor.rowcount == 1
    feed = find_feed(store, url)
    if feed is None:  # pragma: no cover - just inserted or already there
        raise StoreError(f"feed {url} vanished while being added")
    return feed, added


def find_feed(store: Store, ref: str) -> Feed | None:
    """The feed with this id (digits) or URL, or None."""
    column = "id" if ref.isdigit() else "url"
    row = store.connection.execute(
        f"SELECT {_FEED_COLUMNS} FROM feeds WHERE {column} = ?", (ref,)
    ).fetchone()
    return _feed(row) if row is not None else None


def list_feeds(store: Store) -> list[Feed]:
    """Every watched source, in the order they were added."""
    rows = store.connection.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id").fetchall()
    return [_feed(row) for row in rows]


def due_feeds(store: Store, now: str, *, force: bool = False) -> list[Feed]:
    """Enabled feeds whose next check is due at ``now`` (every enabled feed with ``force``)."""
    query = f"SELECT {_FEED_COLUMNS} FROM feeds WHERE enabled = 1"
    params: tuple[str, ...] = ()
    if not force:
        query += " AND (next_check_at IS NULL OR next_check_at <= ?)"
        params = (now,)
    rows = store.connection.execute(query + " ORDER BY next_check_at, id", params).fetchall()
    return [_feed(row) for row in rows]


def next_due(store: Store) -> str | None:
    """When the next enabled feed falls due, or None without enabled feeds."""
    row = store.connection.execute(
        "SELECT min(next_check_at) FROM feeds WHERE enabled = 1"
    ).fetchone()
    return row[0] if row else None


def remove_feed(store: Store, feed_id: int) -> None:
    """Stop watching a feed and forget its entries (stored articles stay)."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))


def enable_feed(store: Store, feed_id: int, *, now: str) -> None:
    """Watch a disabled feed again: errors forgotten, checked at the next round."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE feeds SET enabled = 1, disabled_reason = NULL, consecutive_errors = 0, "
            "next_check_at = ? WHERE id = ?",
            (now, feed_id),
        )


def record_check(
    store: Store, feed_id: int, update: FeedUpdate, entries: list[SourceEntry], *, now: str
) -> int:
    """Write the feed's new state and its entries not seen before (``pending``), atomically.

    Returns how many entries were new. A moved feed whose new URL another watched feed
    already has keeps its URL (the warning says so).
    """
    values = asdict(update)
    outcome = values.pop("outcome")
    with store.transaction() as conn:
        taken = conn.execute(
            "SELECT 1 FROM feeds WHERE url = ? AND id != ?", (update.url, feed_id)
        ).fetchone()
        if taken is not None:
            values.pop("url")
            values["last_warning"] = f"moved to {update.url}, which is watched already"
        new = 0
        for entry in entries:
            cursor = conn.execute(
                _INSERT_ENTRY,
                (
                    feed_id,
                    entry.key,
                    entry.url,
                    entry.title,
                    entry.published,
                    entry.content,
                    entry.content_type,
                    json.dumps(entry.metadata, ensure_ascii=False),
                    now,
                ),
            )
            new += cursor.rowcount == 1
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        counters = (
            "checks = checks + 1, "
            f"not_modified = not_modified + {int(outcome == 'not_modified')}, "
            f"errors = errors + {int(outcome in ('failed', 'gone'))}, "
            "entries_found = entries_found + :new"
        )
        conn.execute(
            f"UPDATE feeds SET {assignments}, {counters} WHERE id = :id",
            {**values, "new": new, "id": feed_id},
        )
    return new


def pending_entries(store: Store) -> list[PendingEntry]:
    """Entries whose article is not stored yet, oldest first (of enabled and disabled feeds)."""
    rows = store.connection.execute(
        "SELECT e.id, e.feed_id, f.url AS feed_url, e.key, e.url, e.title, e.published, "
        "e.content, e.content_type, e.metadata FROM feed_entries AS e "
        "JOIN feeds AS f ON f.id = e.feed_id WHERE e.state = 'pending' ORDER BY e.id"
    ).fetchall()
    return [
        PendingEntry(
            id=row["id"],
            feed_id=row["feed_id"],
            feed_url=row["feed_url"],
            key=row["key"],
            url=row["url"],
            title=row["title"],
            published=row["published"],
            content=row["content"],
            content_type=row["content_type"],
            metadata=json.loads(row["metadata"]),
        )
        for row in rows
    ]


def stored_article_for(store: Store, url: str, *, source: str | None = None) -> str | None:
    """The id of a stored article at ``url`` (its URL, canonical URL, or an entry's link that
    was stored) or made from ``source``, or None; ``""`` for a stored entry without an id.

    ``source`` finds the article of an entry stored by a watcher killed before it could mark
    the entry done, even when its page was redirected to another URL.
    """
    conn = store.connection
    row = conn.execute(
        "SELECT id FROM articles WHERE url = ? OR canonical_url = ? OR source = ? LIMIT 1",
        (url, url, source),
    ).fetchone()
    if row is not None:
        return str(row[0])
    row = conn.execute(
        "SELECT coalesce(article_id, '') FROM feed_entries WHERE url = ? AND state = 'stored' "
        "LIMIT 1",
        (url,),
    ).fetchone()
    return str(row[0]) if row is not None else None


def finish_entry(
    store: Store,
    entry_id: int,
    state: EntryState,
    *,
    reason: str | None,
    article_id: str | None = None,
    now: str,
) -> None:
    """Mark an entry done; its fallback content and its saved page are dropped."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE feed_entries SET state = ?, reason = ?, article_id = ?, done_at = ?, "
            "content = NULL WHERE id = ?",
            (state, reason, article_id, now, entry_id),
        )
        conn.execute("DELETE FROM entry_pages WHERE entry_id = ?", (entry_id,))


def entry_counts(store: Store) -> dict[int, dict[str, int]]:
    """Per feed id, how many entries are ``stored``, ``pending`` and ``failed``."""
    counts: dict[int, dict[str, int]] = {}
    for feed_id, state, count in store.connection.execute(
        "SELECT feed_id, state, count(*) FROM feed_entries GROUP BY feed_id, state"
    ):
        counts.setdefault(feed_id, {"stored": 0, "pending": 0, "failed": 0})[state] = count
    return counts


def _feed(row: Any) -> Feed:
    values = dict(row)
    values["enabled"] = bool(values["enabled"])
    return Feed(**values)
