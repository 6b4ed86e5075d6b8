"""The split_archives table: each WARC file a Ray run cut into record ranges.

A split file is read as several blocks, one per record range (``run/cluster/ranges.py``), each
a ``blocks`` row whose ``split`` column names the file's row here. The row keeps the file's
identity (size and head hash, as ``archives`` keeps it), where it was seen and how many ranges
it was cut into; how many are done and what they stored are summed from ``blocks``, which each
range's storing transaction updates, so the listing is never behind the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from wirewatch.model import utc_now
from wirewatch.store.archives import ArchiveIdentity
from wirewatch.store.blocks import BlockRow, block_row
from wirewatch.store.store import Store

SplitState = Literal["running", "done"]

_SELECT = (
    "SELECT s.key, s.path, s.source, s.size, s.head_sha256, s.ranges, "
    "coalesce(sum(CASE WHEN b.state = 'done' THEN 1 ELSE 0 END), 0), "
    "coalesce(sum(b.documents), 0), coalesce(sum(b.articles), 0), "
    "coalesce(sum(b.copies), 0), coalesce(sum(b.duplicates), 0), "
    "coalesce(sum(b.failures), 0), s.started, max(b.finished) "
    "FROM split_archives s LEFT JOIN blocks b ON b.split = s.key "
)
_GROUP = "GROUP BY s.key, s.path, s.source, s.size, s.head_sha256, s.ranges, s.started "


@dataclass(frozen=True, slots=True)
class SplitArchiveRow:
    """A split WARC file and its ranges' progress: ``done`` once every range is."""

    key: str
    path: str
    source: str
    size: int
    head_sha256: str
    state: SplitState
    ranges: int  # how many record ranges it was cut into
    ranges_done: int
    documents: int
    articles: int
    copies: int
    duplicates: int
    failures: int
    started: str
    finished: str | None  # when its last range was stored, once every range is


def start_split(
    store: Store,
    key: str,
    identity: ArchiveIdentity,
    source: str,
    range_keys: Sequence[str],
) -> None:
    """The split's row (kept with its first start when it is there), and the ``blocks`` rows of
    its ranges already there linked to it (ranges not there yet get the link when
    ``start_block`` makes their rows)."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO split_archives (key, path, source, size, head_sha256, ranges, started) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET path = excluded.path",
            (
                key,
                identity.path,
                source,
                identity.size,
                identity.head_sha256,
                len(range_keys),
                utc_now(),
            ),
        )
        for range_key in range_keys:
            conn.execute("UPDATE blocks SET split = ? WHERE key = ?", (key, range_key))


def get_split(store: Store, key: str) -> SplitArchiveRow | None:
    row = store.connection.execute(_SELECT + "WHERE s.key = ? " + _GROUP, (key,)).fetchone()
    return _row(row) if row is not None else None


def find_split(store: Store, identity: ArchiveIdentity) -> SplitArchiveRow | None:
    """The most recently started split of the file with ``identity``, if any."""
    row = store.connection.execute(
        _SELECT + "WHERE s.size = ? AND s.head_sha256 = ? " + _GROUP + "ORDER BY s.started DESC, "
        "s.key LIMIT 1",
        (identity.size, identity.head_sha256),
    ).fetchone()
    return _row(row) if row is not None else None


def list_splits(store: Store) -> list[SplitArchiveRow]:
    """Every split WARC file, most recently started first."""
    found = store.connection.execute(_SELECT + _GROUP + "ORDER BY s.started DESC, s.key")
    return [_row(row) for row in found]


def _row(found: Any) -> SplitArchiveRow:
    row = tuple(found)
    key, path, source, size, head, ranges, done, documents, articles, copies, duplicates = row[:11]
    failures, started, finished = row[11:]
    state: SplitState = "done" if int(done) >= ranges else "running"
    return SplitArchiveRow(
        key=key,
        path=path,
        source=source,
        size=size,
        head_sha256=head,
        state=state,
        ranges=ranges,
        ranges_done=int(done),
        documents=int(documents),
        articles=int(articles),
        copies=int(copies),
        duplicates=int(duplicates),
        failures=int(failures),
        started=started,
        finished=finished if state == "done" else None,
    )


def split_blocks(store: Store, key: str) -> list[BlockRow]:
    """The ``blocks`` rows of the split file ``key``'s record ranges (each range's
    ``first_input`` is ``name@offset``, its first byte), in no particular order."""
    found = store.connection.execute("SELECT * FROM blocks WHERE split = ?", (key,))
    return [block_row(row) for row in found]


def split_done(store: Store, identity: ArchiveIdentity, name: str) -> str | None:
    """A line for people when the file with ``identity`` was split and every range of its
    latest split is done (it is skipped); None when it is to be read."""
    row = find_split(store, identity)
    if row is None or row.state != "done":
        return None
    return (
        f"{name}: already ingested (done: {row.ranges} record ranges, {row.articles} articles, "
        f"{row.failures} failures); skipped, --again to redo"
    )
