"""Copying a whole store to another, SQLite to PostgreSQL or back: ``wirewatch db copy``.

Both stores are opened (the target is created and migrated if new) and must have the same
schema version. Tables are copied parents first, a page of rows per transaction, each row
inserted unless the target already has it (``ON CONFLICT DO NOTHING``), so a copy that was
stopped is resumed by running it again: a table whose rows are all there is skipped, and the
large tables numbered by an integer (articles by ``seq``, ...) start after the last row the
target holds. Generated columns (the publication day, PostgreSQL's search vectors) are
recomputed by the target, and so is SQLite's full-text index. At the end every table's rows
are counted on both sides; a difference is a ``StoreError``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wirewatch.errors import StoreError
from wirewatch.store.schema import applied_version
from wirewatch.store.store import Store

_PAGE = 2_000


@dataclass(frozen=True, slots=True)
class Table:
    """A table to copy: its name, the columns that order it, and the integer column (if
    any) a resumed copy may start after."""

    name: str
    order: str
    resume_after: str | None = None


# Parents before children, so that every foreign key finds its row.
TABLES = (
    Table("sites", "id", "id"),
    Table("articles", "seq", "seq"),
    Table("sentences", "article_id, idx"),
    Table("entities", "article_id, idx"),
    Table("dropped_lines", "article_id, idx"),
    Table("failures", "id", "id"),
    Table("quotes", "id", "id"),
    Table("actors", "article_id, idx"),
    Table("places", "article_id, idx"),
    Table("events", "article_id, idx"),
    Table("event_actors", "id", "id"),
    Table("feeds", "id", "id"),
    Table("feed_entries", "id", "id"),
    Table("entry_pages", "entry_id", "entry_id"),
    Table("stories", "id"),
    Table("story_articles", "article_id"),
    Table("story_copies", "id", "id"),
    Table("story_links", "story_id, related_id"),
    Table("story_signatures", "seq", "seq"),
    Table("story_features", "article_id, feature"),
    Table("story_bands", "key, signature_seq"),
    Table("archives", "id", "id"),
    Table("story_events", "id", "id"),
    Table("story_event_mentions", "article_id, idx"),
    Table("story_quotes", "id", "id"),
    Table("story_quote_mentions", "article_id, idx"),
    Table("blocks", "key", "key"),
    Table("split_archives", "key", "key"),
)


@dataclass(frozen=True, slots=True)
class TableCopy:
    """One table's outcome: rows in the source, rows copied now, rows in the target."""

    name: str
    source_rows: int
    copied: int
    target_rows: int


def copy_store(
    source: Store, target: Store, progress: Callable[[str, int], None] | None = None
) -> list[TableCopy]:
    """Copy every row of ``source`` into ``target``; see the module doc.

    ``progress(table, rows)`` is called after each page. Raises ``StoreError`` when the
    schema versions differ, a table is missing, or the counts disagree at the end.
    """
    src, dst = source.connection, target.connection
    versions = applied_version(src), applied_version(dst)
    if versions[0] != versions[1]:
        raise StoreError(
            f"cannot copy: the source has schema version {versions[0]} and the target "
            f"{versions[1]}; open both with this wirewatch first (wirewatch db upgrade)",
            code="store_schema_mismatch",
        )
    known = src.backend.tables(src)
    missing = [table.name for table in TABLES if table.name not in known]
    if missing:
        raise StoreError(f"cannot copy: the source has no table {', '.join(missing)}")
    results = [_copy_table(source, target, table, progress) for table in TABLES]
    with target.transaction() as conn:
        conn.backend.after_copy(conn)
    wrong = [r for r in results if r.source_rows != r.target_rows]
    if wrong:
        detail = "; ".join(f"{r.name}: {r.source_rows} -> {r.target_rows}" for r in wrong)
        raise StoreError(f"the copy is incomplete (rows in source -> target): {detail}")
    return results


def _copy_table(
    source: Store,
    target: Store,
    table: Table,
    progress: Callable[[str, int], None] | None,
) -> TableCopy:
    src, dst = source.connection, target.connection
    total = _count(src, table.name)
    if _count(dst, table.name) == total:
        return TableCopy(table.name, total, 0, total)
    columns = _copied_columns(source, target, table.name)
    names = ", ".join(columns)
    insert = (
        f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' for _ in columns)}) "
        "ON CONFLICT DO NOTHING"
    )
    start, start_params = "TRUE", ()  # type: tuple[str, tuple[Any, ...]]
    if table.resume_after is not None:
        last = dst.execute(f"SELECT max({table.resume_after}) FROM {table.name}").fetchone()[0]
        if last is not None:
            start, start_params = f"{table.resume_after} > ?", (last,)
    order = [column.strip() for column in table.order.split(",")]
    keys = [columns.index(column) for column in order]
    after, after_params = "TRUE", ()  # type: tuple[str, tuple[Any, ...]]
    copied = 0
    while True:
        # Pages by the order key, compared within the source (one database, one sort order).
        page = src.execute(
            f"SELECT {names} FROM {table.name} WHERE {start} AND {after} "
            f"ORDER BY {table.order} LIMIT {_PAGE}",
            start_params + after_params,
        ).fetchall()
        if not page:
            break
        with target.transaction() as conn:
            conn.executemany(insert, [tuple(row) for row in page])
        copied += len(page)
        after = f"({table.order}) > ({', '.join('?' for _ in keys)})"
        after_params = tuple(page[-1][i] for i in keys)
        if progress is not None:
            progress(table.name, copied)
    return TableCopy(table.name, total, copied, _count(dst, table.name))


def _copied_columns(source: Store, target: Store, name: str) -> list[str]:
    """The columns both stores have and neither computes itself."""
    src, dst = source.connection, target.connection
    theirs = src.backend.columns(src, name)
    ours = dst.backend.columns(dst, name)
    return [column for column in theirs if column in ours]


def _count(conn: Any, name: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0])
