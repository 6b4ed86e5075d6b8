"""Opening stores: migrations, refusing what is not ours or too new, the connection's modes."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from wirewatch.errors import StoreError
from wirewatch.store import Store, schema
from wirewatch.store.schema import Migration, migrate


def recorded(path: Path) -> list[tuple[int, str, str]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        ).fetchall()


def test_open_creates_the_folder_and_records_every_migration(store_path: Path) -> None:
    assert not store_path.parent.exists()
    with Store.open(store_path):
        pass
    assert store_path.is_file()
    versions = [(version, name) for version, name, _ in recorded(store_path)]
    assert versions == [(m.version, m.name) for m in schema.MIGRATIONS]
    assert versions[0][0] == 1


def test_reopening_an_up_to_date_store_applies_nothing(store_path: Path) -> None:
    with Store.open(store_path):
        pass
    before = recorded(store_path)
    with Store.open(store_path) as store:
        assert migrate(store._conn) == []
    assert recorded(store_path) == before


def test_an_appended_migration_is_applied_once_on_the_next_open(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(store_path):
        pass

    def add_notes(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE notes (article_id TEXT REFERENCES articles(id), note TEXT)")

    next_version = len(schema.MIGRATIONS) + 1
    monkeypatch.setattr(
        schema, "MIGRATIONS", [*schema.MIGRATIONS, Migration(next_version, "notes", add_notes)]
    )
    with Store.open(store_path):
        pass
    with Store.open(store_path):  # a second open must not create the table again
        pass
    assert recorded(store_path)[-1][:2] == (next_version, "notes")
    assert len(recorded(store_path)) == next_version


def test_a_failing_migration_leaves_no_trace_and_is_not_recorded(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(store_path):
        pass

    def half_done(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE scratch_notes (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE scratch_notes (id INTEGER PRIMARY KEY)")  # fails: already exists

    next_version = len(schema.MIGRATIONS) + 1
    monkeypatch.setattr(
        schema,
        "MIGRATIONS",
        [*schema.MIGRATIONS, Migration(next_version, "scratch_notes", half_done)],
    )
    with pytest.raises(StoreError) as caught:
        Store.open(store_path)
    assert caught.value.code == "migration_failed"
    assert f"schema migration {next_version} (scratch_notes) failed and was undone" in str(
        caught.value
    )
    assert [row[0] for row in recorded(store_path)] == list(range(1, next_version))
    with closing(sqlite3.connect(store_path)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "scratch_notes" not in tables


def test_a_store_from_a_newer_wirewatch_is_refused_untouched(store_path: Path) -> None:
    with Store.open(store_path):
        pass
    future = schema.latest_version() + 1
    with closing(sqlite3.connect(store_path)) as conn, conn:
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, 'stories', '2030-01-01T00:00:00+00:00')",
            (future,),
        )
    before = recorded(store_path)
    with pytest.raises(StoreError) as caught:
        Store.open(store_path)
    assert caught.value.code == "store_too_new"
    assert f"schema version {future}" in caught.value.message
    assert "newer wirewatch" in caught.value.message
    assert recorded(store_path) == before


def test_a_file_that_is_not_a_database_is_refused_with_one_clear_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("NATO chief Jens Stoltenberg pledged support for Ukraine.\n" * 20)
    with pytest.raises(StoreError) as caught:
        Store.open(notes)
    assert caught.value.message == f"cannot open store {notes}: the file is not an SQLite database"
    assert notes.read_text().startswith("NATO chief")  # left as it was


def test_another_applications_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(StoreError, match="an SQLite database but not a wirewatch store"):
        Store.open(other)
    with closing(sqlite3.connect(other)) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master")]
    assert tables == ["contacts"]


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open store"):
        Store.open(tmp_path)


def test_store_uses_wal_foreign_keys_and_a_busy_timeout(store_path: Path) -> None:
    with Store.open(store_path, busy_timeout=3.5) as store:
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 3500
    # WAL is a property of the file: every later connection sees it too.
    with closing(sqlite3.connect(store_path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_closed_store_says_so(store_path: Path) -> None:
    store = Store.open(store_path)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="is closed"):
        store.counts()
