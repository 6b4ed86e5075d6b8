"""The SQLite backend: one file, WAL mode, FTS5 search, ``BEGIN IMMEDIATE`` for writes.

Opening makes the folder, sets the pragmas and refuses a database that is not a wirewatch
store. Writers in several processes take the file's one write lock in turn (waiting up to the
busy timeout); readers are never blocked by a write.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from wirewatch.errors import StoreError
from wirewatch.store.backends import Backend, Connection, QueryInterrupted, TextSearch

_CHECK_EVERY = 1_000  # SQLite virtual-machine steps between deadline checks (~10 µs)


class SqliteConnection(sqlite3.Connection):
    """An SQLite connection that knows its backend, as every store connection does."""

    @property
    def backend(self) -> Backend:
        return SQLITE


def make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder for store {path}: {exc.strerror}") from exc


def connect(path: Path, busy_timeout: float) -> SqliteConnection:
    """An autocommit connection (we issue BEGIN ourselves) with the store's pragmas set."""
    try:
        conn = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, factory=SqliteConnection
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last commits,
        # which a rerun re-adds, since adding is idempotent.
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(open_error(path, exc)) from exc
    return conn


def open_error(path: Path, exc: sqlite3.DatabaseError) -> str:
    if "not a database" in str(exc):
        return f"cannot open store {path}: the file is not an SQLite database"
    return f"cannot open store {path}: {exc}"


# FTS5 tables kept in step with their content tables by triggers; the text is stored once.
_STATEMENTS = {
    "articles_search": (
        """CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text,
            content='articles', content_rowid='seq',
            tokenize='porter unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
        END""",
        """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
        END""",
        """CREATE TRIGGER articles_fts_update AFTER UPDATE OF seq, title, text ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
        END""",
    ),
    "quote_speakers_search": (
        """CREATE VIRTUAL TABLE quotes_speaker_fts USING fts5(
            speaker_name, speaker_text,
            content='quotes', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER quotes_speaker_fts_insert AFTER INSERT ON quotes BEGIN
            INSERT INTO quotes_speaker_fts (rowid, speaker_name, speaker_text)
            VALUES (new.id, new.speaker_name, new.speaker_text);
        END""",
        """CREATE TRIGGER quotes_speaker_fts_delete AFTER DELETE ON quotes BEGIN
            INSERT INTO quotes_speaker_fts (quotes_speaker_fts, rowid, speaker_name, speaker_text)
            VALUES ('delete', old.id, old.speaker_name, old.speaker_text);
        END""",
        """CREATE TRIGGER quotes_speaker_fts_update
        AFTER UPDATE OF id, speaker_name, speaker_text ON quotes BEGIN
            INSERT INTO quotes_speaker_fts (quotes_speaker_fts, rowid, speaker_name, speaker_text)
            VALUES ('delete', old.id, old.speaker_name, old.speaker_text);
            INSERT INTO quotes_speaker_fts (rowid, speaker_name, speaker_text)
            VALUES (new.id, new.speaker_name, new.speaker_text);
        END""",
    ),
    "event_actors_search": (
        """CREATE VIRTUAL TABLE event_actors_fts USING fts5(
            text, name,
            content='event_actors', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER event_actors_fts_insert AFTER INSERT ON event_actors BEGIN
            INSERT INTO event_actors_fts (rowid, text, name) VALUES (new.id, new.text, new.name);
        END""",
        """CREATE TRIGGER event_actors_fts_delete AFTER DELETE ON event_actors BEGIN
            INSERT INTO event_actors_fts (event_actors_fts, rowid, text, name)
            VALUES ('delete', old.id, old.text, old.name);
        END""",
        """CREATE TRIGGER event_actors_fts_update
        AFTER UPDATE OF id, text, name ON event_actors BEGIN
            INSERT INTO event_actors_fts (event_actors_fts, rowid, text, name)
            VALUES ('delete', old.id, old.text, old.name);
            INSERT INTO event_actors_fts (rowid, text, name) VALUES (new.id, new.text, new.name);
        END""",
    ),
}


class SqliteBackend(Backend):
    name = "sqlite"
    title = "SQLite"

    def begin(self, conn: Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def lock(self, conn: Connection, key: str) -> None:
        """Nothing to take: ``BEGIN IMMEDIATE`` already holds the file's one write lock."""

    def lock_all(self, conn: Connection, keys: list[str]) -> None:
        """Nothing to take (see ``lock``)."""

    @contextmanager
    def deadline(self, conn: Connection, seconds: float) -> Iterator[None]:
        assert isinstance(conn, sqlite3.Connection)
        ends = time.monotonic() + seconds
        conn.set_progress_handler(lambda: int(time.monotonic() > ends), _CHECK_EVERY)
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryInterrupted(str(exc)) from None
            raise
        finally:
            conn.set_progress_handler(None, 0)

    def tables(self, conn: Connection) -> set[str]:
        found = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return {row[0] for row in found}

    def statements(self, name: str) -> tuple[str, ...]:
        return _STATEMENTS.get(name, ())

    def next_article_seq(self) -> str:
        # One writer at a time holds the file, so the next number is simply the next one.
        return "(SELECT coalesce(max(seq), 0) + 1 FROM articles)"

    def text_search(self, snippet_open: str, snippet_close: str) -> TextSearch:
        return TextSearch(
            source="articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid",
            condition="articles_fts MATCH :match",
            snippet=f"snippet(articles_fts, 1, '{snippet_open}', '{snippet_close}', '…', 16)",
            score="bm25(articles_fts, 5.0, 1.0)",
        )

    def match_value(self, expression: str) -> str:
        return expression

    def query_syntax_error(self, exc: Exception) -> str | None:
        if isinstance(exc, sqlite3.OperationalError) and str(exc).startswith("fts5:"):
            return str(exc).removeprefix("fts5: ")
        return None

    def version(self, conn: Connection, target: str) -> tuple[Any, ...]:
        """The size and modification time of the file and its write-ahead log: any commit,
        by any process, changes the log. An in-memory store counts its own changes."""
        if target == ":memory:":
            assert isinstance(conn, sqlite3.Connection)
            return (conn.total_changes,)
        version: list[Any] = []
        for path in (Path(target), Path(f"{target}-wal")):
            try:
                found = os.stat(path)
            except OSError:
                version.append(None)
                continue
            version.append((found.st_size, found.st_mtime_ns, found.st_ino))
        return tuple(version)

    def columns(self, conn: Connection, table: str) -> list[str]:
        # table_xinfo's "hidden": 0 a plain column, 2 and 3 generated ones.
        found = conn.execute(f"SELECT name, hidden FROM pragma_table_xinfo('{table}')")
        return [row[0] for row in found if row[1] == 0]

    def optimize(self, conn: Connection) -> None:
        # SQLite's advice for long-lived connections: refresh planner statistics on close.
        # It is an optimisation only, so a busy or read-only file must not stop the close.
        with suppress(sqlite3.Error):
            conn.execute("PRAGMA optimize")


SQLITE = SqliteBackend()
