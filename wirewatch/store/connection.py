"""Opening a store's SQLite file: the folder, the connection and its pragmas, and refusing a
database that is not a wirewatch store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from wirewatch.errors import StoreError


def make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder for store {path}: {exc.strerror}") from exc


def connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """An autocommit connection (we issue BEGIN ourselves) with the store's pragmas set."""
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
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


def check_is_store(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse another application's database rather than add our tables to it."""
    names = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    if names and "schema_migrations" not in names:
        raise StoreError(
            f"cannot open store {path}: it is an SQLite database but not a wirewatch store",
            code="not_a_store",
        )
