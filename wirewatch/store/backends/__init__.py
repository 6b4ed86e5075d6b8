"""The seam between the store and the database under it: what a connection offers, and the two
backends that differ behind it, SQLite (a file, the default) and PostgreSQL (a server).

The store's SQL is written once, in the dialect both databases share (``ON CONFLICT``,
``RETURNING``, CTEs, window functions), with SQLite's placeholders (``?`` and ``:name``).
What differs lives in one module per backend: opening and checking a database, how a write
transaction takes its lock, full-text search (FTS5 against ``tsvector``), a deadline on a
query, and for PostgreSQL the few spellings it reads differently (placeholders, ``instr``,
``GLOB``, ``json_each``, column types in DDL), translated once per statement text.

>>> target_kind("postgresql://wirewatch@127.0.0.1/news"), target_kind("news.db")
('postgresql', 'sqlite')
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import psycopg

POSTGRES_SCHEMES = ("postgresql://", "postgres://")

DatabaseError: tuple[type[Exception], ...] = (sqlite3.Error, psycopg.Error)
"""Any error a database reports, from either backend."""


class SearchSyntaxError(ValueError):
    """A search expression whose operators lack a term on one side."""


SearchError: tuple[type[Exception], ...] = (sqlite3.Error, psycopg.Error, SearchSyntaxError)
"""What running a full-text search may raise: the query's fault or the database's."""
IntegrityError: tuple[type[Exception], ...] = (sqlite3.IntegrityError, psycopg.IntegrityError)
"""A constraint the write broke (a duplicate key, a missing parent row), from either backend."""


class Cursor(Protocol):
    """The part of a DB-API cursor the store uses."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """The part of a DB-API connection the store uses, with the backend it belongs to.

    Rows read through it are indexable by position and by column name, as ``sqlite3.Row``.
    """

    @property
    def backend(self) -> Backend: ...

    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Any = (), /) -> Any: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any: ...

    def close(self) -> None: ...


class Backend(ABC):
    """What differs between the databases a store can live in."""

    name: str
    """``sqlite`` or ``postgresql``."""
    title: str
    """``SQLite`` or ``PostgreSQL``, for messages."""

    @abstractmethod
    def begin(self, conn: Connection) -> None:
        """Start a write transaction, waiting for the write lock up front where there is one."""

    @abstractmethod
    def lock(self, conn: Connection, key: str) -> None:
        """Hold ``key`` until the current transaction ends, so that two writers deciding the
        same thing (which story a text starts) decide one after the other."""

    def lock_all(self, conn: Connection, keys: list[str]) -> None:
        """``lock`` each of ``keys``, in one order every writer follows."""
        for key in sorted(keys):
            self.lock(conn, key)

    @abstractmethod
    def deadline(self, conn: Connection, seconds: float) -> AbstractContextManager[None]:
        """Queries run inside the block stop after ``seconds`` with ``QueryInterrupted``."""

    @abstractmethod
    def tables(self, conn: Connection) -> set[str]:
        """The names of the tables in the database (in its schema, for PostgreSQL)."""

    @abstractmethod
    def statements(self, name: str) -> tuple[str, ...]:
        """This backend's own statements for a migration's step ``name``: the full-text
        indexes (``articles_search``, ``quote_speakers_search``, ``event_actors_search``) and
        how article numbers are drawn (``articles_seq``); empty when it needs none."""

    @abstractmethod
    def next_article_seq(self) -> str:
        """An SQL expression giving the next article's ``seq``, its ingestion number."""

    @abstractmethod
    def text_search(self, snippet_open: str, snippet_close: str) -> TextSearch:
        """How to find the articles matching ``:match``, with a snippet of the body between
        these markers and a score (lower is better, FTS5's ``bm25`` on both backends), each
        reading the parameters ``search_params`` gives."""

    @abstractmethod
    def search_params(self, conn: Connection, expression: str) -> dict[str, Any]:
        """The parameters to bind for a search (``match`` and what the score reads), from an
        FTS5 expression as ``search.fts_query`` writes it (``"NATO" AND "Stolten"*``)."""

    @abstractmethod
    def query_syntax_error(self, exc: Exception) -> str | None:
        """What is wrong with the user's search query, when ``exc`` says it cannot be parsed."""

    @abstractmethod
    def version(self, conn: Connection, target: str) -> tuple[Any, ...]:
        """A value that changes whenever any process commits a write to the store."""

    @abstractmethod
    def columns(self, conn: Connection, table: str) -> list[str]:
        """The columns of ``table`` a row is written with: all but the generated ones."""

    def after_copy(self, conn: Connection) -> None:  # noqa: B027 - most backends need nothing
        """Bring counters in step after rows were copied in with their own numbers."""

    def optimize(self, conn: Connection) -> None:  # noqa: B027 - most backends need nothing
        """Housekeeping before a long-lived connection closes."""


@dataclass(frozen=True, slots=True)
class TextSearch:
    """The pieces of a full-text article search, to place in a SELECT."""

    source: str
    """FROM items: the articles as ``a`` and whatever the match needs."""
    condition: str
    """True for the articles matching ``:match``."""
    snippet: str
    """A few words of the body around the matches."""
    score: str
    """How well the article matches: lower is better."""


class QueryInterrupted(Exception):
    """A query stopped at its deadline."""


def target_kind(target: str) -> str:
    """``postgresql`` for a PostgreSQL URL, else ``sqlite`` (a path or ``:memory:``)."""
    return "postgresql" if target.startswith(POSTGRES_SCHEMES) else "sqlite"


def connect(target: str, busy_timeout: float) -> Connection:
    """A connection to the store at ``target`` (a path, ``:memory:`` or a PostgreSQL URL)."""
    if target_kind(target) == "postgresql":
        from wirewatch.store.backends import postgres

        return postgres.connect(target, busy_timeout)
    from wirewatch.store.backends import sqlite

    path = Path(target)
    if target != ":memory:":
        sqlite.make_parent(path)
    return sqlite.connect(path, busy_timeout)


def redact(target: str) -> str:
    """``target`` without a password, for messages and logs.

    >>> redact("postgresql://ann:secret@db.example/news")
    'postgresql://ann:***@db.example/news'
    """
    if target_kind(target) != "postgresql":
        return target
    scheme, _, rest = target.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return target
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
