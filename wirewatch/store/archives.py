"""The archives table: each WARC file ingested, its state, counts and position to resume from.

An archive is identified by ``ArchiveIdentity``: its size and the SHA-256 of its first 64 KiB
(with its resolved path, kept for people). A renamed file is the same archive; a file replaced
under the same name is a new one. Reads use ``Store.connection``; writes take the connection
of an open ``Store.transaction()`` so progress is stored with the results it counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from wirewatch.model import utc_now
from wirewatch.store.backends import Connection
from wirewatch.store.store import Store

ArchiveState = Literal["running", "done", "failed"]
HEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class ArchiveIdentity:
    """What recognises an archive: size and a hash of its head; the path it was found at."""

    path: str
    size: int
    head_sha256: str


@dataclass(frozen=True, slots=True)
class ArchiveRow:
    """One row of the archives table (``position`` None: no record stored yet)."""

    id: int
    path: str
    source: str
    size: int
    head_sha256: str
    state: ArchiveState
    records: int
    position: int | None
    last_record_id: str | None
    articles: int
    duplicates: int
    failures: int
    started: str
    finished: str | None


@dataclass(frozen=True, slots=True)
class Progress:
    """What a batch of results moved an archive on by: to ``records``/``position``, plus counts."""

    records: int
    position: int
    last_record_id: str | None
    articles: int = 0
    duplicates: int = 0
    failures: int = 0


def identify(path: Path) -> ArchiveIdentity:
    """The identity of the file at ``path``; raises ``OSError`` if it cannot be read."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
        size = path.stat().st_size
    return ArchiveIdentity(str(path.resolve()), size, hashlib.sha256(head).hexdigest())


def find_archive(store: Store, identity: ArchiveIdentity) -> ArchiveRow | None:
    row = store.connection.execute(
        "SELECT * FROM archives WHERE size = ? AND head_sha256 = ?",
        (identity.size, identity.head_sha256),
    ).fetchone()
    return _row(row) if row is not None else None


def start_archive(store: Store, identity: ArchiveIdentity, source: str) -> ArchiveRow:
    """A fresh ``running`` row for the archive (an old row for it is reset: ``--again``)."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO archives (path, source, size, head_sha256, state, started) "
            "VALUES (?, ?, ?, ?, 'running', ?) "
            "ON CONFLICT (size, head_sha256) DO UPDATE SET path = excluded.path, "
            "source = excluded.source, state = 'running', records = 0, position = NULL, "
            "last_record_id = NULL, articles = 0, duplicates = 0, failures = 0, "
            "started = excluded.started, finished = NULL",
            (identity.path, source, identity.size, identity.head_sha256, utc_now()),
        )
    found = find_archive(store, identity)
    assert found is not None  # just written
    return found


def resume_archive(store: Store, archive_id: int, path: str) -> None:
    """Mark an archive ``running`` again (found where ``path`` says) to go on from its position."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE archives SET state = 'running', path = ?, finished = NULL WHERE id = ?",
            (path, archive_id),
        )


def save_progress(conn: Connection, archive_id: int, progress: Progress) -> None:
    """Move the archive on; call inside the transaction that stored the results counted."""
    conn.execute(
        "UPDATE archives SET records = ?, position = ?, last_record_id = ?, "
        "articles = articles + ?, duplicates = duplicates + ?, failures = failures + ? "
        "WHERE id = ?",
        (
            progress.records,
            progress.position,
            progress.last_record_id,
            progress.articles,
            progress.duplicates,
            progress.failures,
            archive_id,
        ),
    )


def add_counts(
    conn: Connection, archive_id: int, articles: int, duplicates: int, failures: int
) -> None:
    """Count results that moved no position (an archive's break, a worker's crash)."""
    conn.execute(
        "UPDATE archives SET articles = articles + ?, duplicates = duplicates + ?, "
        "failures = failures + ? WHERE id = ?",
        (articles, duplicates, failures, archive_id),
    )


def finish_archive(conn: Connection, archive_id: int, state: ArchiveState) -> None:
    conn.execute(
        "UPDATE archives SET state = ?, finished = ? WHERE id = ?", (state, utc_now(), archive_id)
    )


def list_archives(store: Store) -> list[ArchiveRow]:
    """Every archive, most recently started first."""
    found = store.connection.execute("SELECT * FROM archives ORDER BY started DESC, id DESC")
    return [_row(row) for row in found]


def _row(row: Any) -> ArchiveRow:
    return ArchiveRow(*tuple(row))  # the columns in the order of the fields
