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


def _external_content_index(
    index: str, table: str, key: str, columns: tuple[str, ...], tokenize: str
) -> tuple[str, ...]:
    """An FTS5 table over ``columns`` of ``table`` (rowid ``key``), kept in step with it by
    triggers: the text is stored once, in ``table``, and read from there for snippets."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    add = f"INSERT INTO {index} (rowid, {names}) VALUES (new.{key}, {new});"
    remove = f"INSERT INTO {index} ({index}, rowid, {names}) VALUES ('delete', old.{key}, {old});"
    return (
        f"""CREATE VIRTUAL TABLE {index} USING fts5(
            {names},
            content='{table}', content_rowid='{key}',
            tokenize='{tokenize}'
        )""",
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF {key}, {names} ON {table} "
        f"BEGIN {remove} {add} END",
    )


_STATEMENTS = {
    "articles_search": _external_content_index(
        "articles_fts", "articles", "seq", ("title", "text"),
        "porter unicode61 remove_diacritics 2",
    ),
    "quote_speakers_search": _external_content_index(
        "quotes_speaker_fts", "quotes", "id", ("speaker_name", "speaker_text"),
        "unicode61 remove_diacritics 2",
    ),
    "event_actors_search": _external_content_index(
        "event_actors_fts", "event_actors", "id", ("text", "name"),
        "unicode61 remove_diacritics 2",
    ),
}  # fmt: skip


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

    def search_params(self, conn: Connection, expression: str) -> dict[str, Any]:
        return {"match": expression}

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
        return file_version(target)

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


def file_version(target: str) -> tuple[Any, ...]:
    """``SQLiteBackend.version`` of the store file at ``target``, read from the files alone
    (two ``stat`` calls, no connection), so that a server can ask it for every request."""
    version: list[Any] = []
    for path in (Path(target), Path(f"{target}-wal")):
        try:
            found = os.stat(path)
        except OSError:
            version.append(None)
            continue
        version.append((found.st_size, found.st_mtime_ns, found.st_ino))
    return tuple(version)
