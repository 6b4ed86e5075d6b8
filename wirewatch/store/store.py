"""The SQLite store: one file holding articles, their annotations, failures and a search index.

One ``Store`` owns one connection, which is the only writer it uses: every write batch runs
inside ``BEGIN IMMEDIATE`` ... ``COMMIT``, so a batch takes the write lock up front (waiting up to
the busy timeout for another process to finish) instead of failing halfway through. The file
is in WAL mode, so readers in other processes are never blocked by a write.

>>> from wirewatch.model import Article
>>> with Store.open(":memory:") as store:
...     store.add_article(Article(text="NATO chief visits Kiev.", source="demo"))
...     store.get_article(Article(text="NATO chief visits Kiev.", source="demo").id).text
<AddResult.ADDED: 'added'>
'NATO chief visits Kiev.'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from wirewatch.errors import StoreError, UsageError
from wirewatch.model import Article, Failure, utc_now
from wirewatch.store import rows
from wirewatch.store.annotations import (
    load_annotations,
    stored_events,
    stored_quotes,
)
from wirewatch.store.backends import (
    Connection,
    DatabaseError,
    QueryInterrupted,
    connect,
    redact,
    target_kind,
)
from wirewatch.store.browse import BrowseFilters
from wirewatch.store.filters import SearchFilters
from wirewatch.store.hits import find_hits
from wirewatch.store.records import AddResult, SearchHit, StoredEvent, StoredQuote
from wirewatch.store.schema import check_is_store, migrate
from wirewatch.store.story_once import EVENT_ONCE, QUOTE_ONCE
from wirewatch.store.writes import duplicate_kind, insert_article

STORIES_LOCK = "wirewatch.stories"
"""The lock story assignment holds: one writer at a time decides which story a text joins."""
MIN_ID_PREFIX = 6
"""The fewest characters of an article id that ``get_article`` accepts as a prefix."""

_ID_LENGTH = 16
_HEX = re.compile(r"[0-9a-f]+")
_PAGE_SIZE = 200  # rows per query while streaming: bounded memory, few round trips
_IN_STORY = "{t}.article_id IN (SELECT article_id FROM story_articles WHERE story_id = :f_story)"
_COUNTED_TABLES = ("articles", "sites", "entities", "dropped_lines", "failures")
_Listed = TypeVar("_Listed", StoredQuote, StoredEvent)

_INSERT_FAILURE = (
    "INSERT INTO failures (source, input_id, stage, code, message, time) "
    "VALUES (:source, :input_id, :stage, :code, :message, :time)"
)


class Store:
    """Articles, failures and search in an SQLite file or a PostgreSQL database. Open with
    ``Store.open(path_or_url)``.

    Adding is idempotent: an article whose URL or content is already stored is not added again
    and changes nothing. A ``Store`` is used from one thread; other processes may open the same
    store, and their writes wait for each other where they touch the same rows.
    """

    def __init__(self, connection: Connection, url: str, *, busy_timeout: float = 10.0) -> None:
        """Wrap an open, migrated connection to the store at ``url``; use ``Store.open``
        rather than this."""
        self.target = redact(url)
        """Where the store is: a path, ``:memory:``, or a PostgreSQL URL (password hidden)."""
        self.path = Path(url) if target_kind(url) == "sqlite" else None
        """The SQLite file (``None`` for PostgreSQL)."""
        self._connection: Connection | None = connection
        self._busy_timeout = busy_timeout
        self._url = url

    @classmethod
    def open(cls, target: str | Path, *, busy_timeout: float = 10.0) -> Store:
        """Open the store at ``target``: an SQLite file (created with its folder if needed),
        ``":memory:"`` (a private in-memory SQLite store, for tests and one-off analyses), or
        a PostgreSQL URL (``postgresql://user@host:5432/db``; the database must exist).

        Applies any schema migrations the store lacks. ``busy_timeout`` is how many seconds a
        write waits for another process's write to finish before failing.

        Raises ``StoreError`` when the store cannot be opened or reached, is not a database,
        is another application's database, or was written by a newer wirewatch.
        """
        where = str(target)
        connection = connect(where, busy_timeout)
        try:
            check_is_store(connection, redact(where))
            migrate(connection)
        except DatabaseError as exc:
            connection.close()
            raise StoreError(f"cannot open store {redact(where)}: {exc}") from exc
        except BaseException:
            connection.close()
            raise
        return cls(connection, where, busy_timeout=busy_timeout)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.target!r})"

    def close(self) -> None:
        """Close the connection; closing twice is harmless, using a closed store is not."""
        if self._connection is None:
            return
        connection, self._connection = self._connection, None
        try:
            connection.backend.optimize(connection)
        finally:
            connection.close()

    # Writing

    def add_article(self, article: Article) -> AddResult:
        """Store ``article`` with its sentences, entities, dropped lines, quotes, actors, places
        and events, or none of them.

        Returns ``DUPLICATE_URL`` when its URL or canonical URL matches either URL of a stored
        article, ``DUPLICATE_CONTENT`` when an article with the same id (the same normalised
        text) is stored; either way nothing is written. An article without any URL is
        deduplicated by content only. Raises ``StoreError`` when the article cannot be written.
        """
        return self.add_articles([article])[0]

    def duplicate_of(self, article: Article) -> AddResult | None:
        """Why ``article`` would not be added (``DUPLICATE_URL``/``_CONTENT``), or None if new.

        Lets a caller skip costly work (parsing) for articles the store already holds.
        """
        return duplicate_kind(self._conn, article.id, article)

    def add_articles(self, articles: Iterable[Article]) -> list[AddResult]:
        """Add each article as ``add_article`` does, all in one transaction; results in order.

        If any article cannot be written, the whole batch is undone and ``StoreError`` raised:
        the store holds all of the batch or none of it. Duplicates within the batch are found
        like duplicates of stored articles: the first copy is added, the others are not.
        """
        # Take the articles before the write lock, so a lazy upstream stage (NLP, downloads)
        # never runs while other writers wait for this store.
        batch = list(articles)
        ingested_at = utc_now()
        keys = sorted(
            {f"article:{article.id}" for article in batch}
            | {f"url:{url}" for a in batch for url in (a.url, a.canonical_url) if url}
        )
        nested = self._conn.in_transaction
        with self._write() as conn:
            if nested:
                # A caller's transaction may also assign stories: take that lock first, as
                # story assignment does, so that two writers never wait for each other.
                conn.backend.lock(conn, STORIES_LOCK)
            # Writers storing the same text or URL at once take turns: the second then sees
            # the first's row and reports a duplicate, instead of failing on the unique key.
            conn.backend.lock_all(conn, keys)
            return [insert_article(conn, article, ingested_at) for article in batch]

    def add_failure(self, failure: Failure) -> None:
        """Record ``failure``; every call adds a row, so repeated attempts are all visible."""
        with self._write() as conn:
            conn.execute(_INSERT_FAILURE, rows.failure_values(failure))

    # Reading

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with this id, or with an id starting with this prefix.

        A prefix needs at least ``MIN_ID_PREFIX`` (6) characters, else ``UsageError``; a prefix
        that more than one article id starts with raises ``StoreError`` (code
        ``ambiguous_id``). Returns ``None`` when no article matches. The article comes back
        equal to the one added, with every annotation and dropped line.
        """
        row = self._find_article(article_id)
        return None if row is None else self._load(row)

    def iter_articles(self, since: str | None = None) -> Iterator[Article]:
        """Every stored article in the order it was added, read a page at a time.

        ``since`` is an ISO 8601 date or time (``2024-05-01``, ``2024-05-01T12:00:00+02:00``,
        UTC when no zone is given): only articles added at or after it are yielded. No read
        stays open between articles, so the caller may write to the store while iterating.
        Raises ``UsageError`` at once (not at the first article) when ``since`` is not a date.
        """
        floor = _since_floor(since) if since is not None else ""
        return self._stream(floor)

    def _stream(self, floor: str) -> Iterator[Article]:
        after = 0
        while True:
            page = self._conn.execute(
                "SELECT * FROM articles WHERE seq > ? AND ingested_at >= ? ORDER BY seq LIMIT ?",
                (after, floor, _PAGE_SIZE),
            ).fetchall()
            if not page:
                return
            for row in page:
                yield self._load(row)
            after = page[-1]["seq"]

    def search(
        self,
        query: str | None = None,
        limit: int = 20,
        *,
        speaker: str | None = None,
        actor: str | None = None,
        cameo: str | None = None,
        plover: str | None = None,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        polarity: str | None = None,
        site: str | None = None,
        quad_class: int | str | None = None,
        story: str | None = None,
    ) -> list[SearchHit]:
        """Articles matching ``query`` and every filter given, at most ``limit``.

        ``query``: plain words just work: ``Jens Stoltenberg`` finds articles with both words,
        ``pro-Russian`` and ``NATO's`` find those words. ``"quoted phrases"``, ``AND``, ``OR``,
        ``NOT``, parentheses and ``prefix*`` keep their FTS5 meaning. With a query the most
        relevant come first (bm25); without one, the latest published.

        Filters (all optional, combined with AND):

        - ``speaker``: a quote whose speaker's name, or the words naming the speaker in the
          text, contain these words (``Peskov``, ``Dmitry Peskov``, ``Kremlin``).
        - ``actor``: an event with a source or target whose code starts with this (``RUS``
          matches ``RUS``, ``RUSGOV``, ``RUSMIL``) or whose text or name contains these words.
        - ``cameo``: an event whose CAMEO code starts with this code (``19``: 190, 193, ...).
        - ``plover``: an event of this PLOVER type (``ASSAULT``).
        - ``country``: an event located in this country (ISO alpha-3) or with a source or
          target of it.
        - ``polarity``: an event of one of these polarities (``asserted,denied``).
        - ``quad_class``: an event of this quad class (1 to 4).
        - ``site``: an article of this site (its name or host).
        - ``story``: an article of this story (its id, or a prefix only one story id starts).
        - ``since``/``until``: a date (``2017-07-10``) or period (``2017-07``, ``2017``,
          ``2017-W27``), both ends included. With an event filter, they compare each matching
          event's date (an event dated "2014-06" matches when any of its days is in range), or
          its article's publication day when the event's date is unknown; otherwise the
          article's publication day. An article whose publication date is not ISO is left out.

        The event filters apply together to one event. Each hit lists the quotes and events
        that matched. Raises ``UsageError`` for a query that is not valid (``NATO AND``), a
        filter value that cannot match (not a date, not a CAMEO code...), no query and no
        filter, or a ``limit`` below 1.

        >>> with Store.open(":memory:") as store:
        ...     store.search(cameo="19", since="2014-06")
        []
        """
        if limit < 1:
            raise UsageError(f"search limit must be at least 1, got {limit}")
        filters = BrowseFilters.parse(
            site=site,
            quad_class=quad_class,
            speaker=speaker,
            actor=actor,
            cameo=cameo,
            plover=plover,
            country=country,
            since=since,
            until=until,
            polarity=polarity,
            story=story,
        ).with_story(self._conn)
        if query is None or (filters.any and not query.strip()):
            if not filters.any:
                raise UsageError("give words to search for, a filter, or both")
            return find_hits(self._conn, None, filters, limit)
        return find_hits(self._conn, query, filters, limit)

    def iter_quotes(
        self,
        *,
        per_mention: bool = False,
        filters: BrowseFilters | None = None,
        story: str | None = None,
    ) -> Iterator[StoredQuote]:
        """Every stored quote with its article, in the order articles were added: each
        story-level quote once (its first mention) unless ``per_mention``.

        ``filters`` keeps the quotes matching its speaker, site and publication days;
        ``story`` those of one story (its full id). Read a page at a time; no read stays open
        between pages.
        """
        where, params = (filters or BrowseFilters()).quote_listing_condition()
        if story is not None:
            where += f" AND {_IN_STORY.format(t='q')}"
            params = params | {"f_story": story}
        if not per_mention:
            where += f" AND {QUOTE_ONCE}"
        return self._pages(stored_quotes, "q", where, params)

    def iter_events(
        self,
        *,
        asserted_only: bool = False,
        per_mention: bool = False,
        polarity: str | None = None,
        filters: BrowseFilters | None = None,
        story: str | None = None,
    ) -> Iterator[StoredEvent]:
        """Every stored event with its article, in the order articles were added: each
        story-level event once (its first mention, with the record's counts) unless
        ``per_mention``.

        ``asserted_only`` keeps only events stated as fact (polarity ``asserted``), leaving
        out denied, negated, demanded, intended and reported ones; ``polarity`` keeps those of
        the polarities named (``asserted,denied``). ``UsageError`` for an unknown polarity.
        ``filters`` keeps the events matching it (as the events listing does); ``story`` those
        of one story (its full id).
        """
        where, params = SearchFilters.parse(polarity=polarity).event_condition()
        if filters is not None:
            more, values = filters.event_condition()
            where, params = f"{where} AND {more}", params | values
        if story is not None:
            where += f" AND {_IN_STORY.format(t='e')}"
            params = params | {"f_story": story}
        if asserted_only:
            where += " AND e.polarity = 'asserted'"
        if not per_mention:
            where += f" AND {EVENT_ONCE}"
        return self._pages(stored_events, "e", where, params)

    def _pages(
        self,
        fetch: Callable[[Connection, str, dict[str, Any], int], list[_Listed]],
        alias: str,
        where: str,
        params: dict[str, Any],
    ) -> Iterator[_Listed]:
        """Everything ``fetch`` lists, a page at a time, resuming after the last one seen."""
        after = {"f_seq": 0, "f_idx": -1}
        keyset = (
            f"(a.seq > :f_seq OR (a.seq = :f_seq AND {alias}.idx > :f_idx)) AND a.seq >= :f_seq"
        )
        while True:
            page = fetch(self._conn, f"{keyset} AND {where}", params | after, _PAGE_SIZE)
            if not page:
                return
            yield from page
            last = page[-1]
            seq = self._conn.execute(
                "SELECT seq FROM articles WHERE id = ?", (last.article_id,)
            ).fetchone()[0]
            after = {"f_seq": seq, "f_idx": last.index}

    def counts(self) -> dict[str, int]:
        """Rows per kind: ``articles``, ``sites``, ``entities``, ``dropped_lines``, ``failures``."""
        return {
            table: int(self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in _COUNTED_TABLES
        }

    def failures(self, limit: int = 100) -> list[Failure]:
        """The ``limit`` most recently recorded failures, newest first."""
        if limit < 1:
            raise UsageError(f"failure limit must be at least 1, got {limit}")
        found = self._conn.execute(
            "SELECT * FROM failures ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [rows.failure_from_row(row) for row in found]

    @property
    def connection(self) -> Connection:
        """The open connection, for the ``wirewatch.store`` modules that keep their own tables
        (feeds, stories, ...): read with it directly; write only inside ``transaction()``.
        Code outside ``wirewatch.store`` passes it on to those modules and never runs SQL."""
        return self._conn

    @property
    def backend_name(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._conn.backend.name

    def lock(self, key: str) -> None:
        """Hold ``key`` until the current ``transaction()`` ends: another process asking for
        the same key waits (PostgreSQL; SQLite's one writer already holds the whole file)."""
        conn = self._conn
        if not conn.in_transaction:
            raise StoreError(
                "Store.lock is for use inside transaction()", code="store_no_transaction"
            )
        conn.backend.lock(conn, key)

    def second_connection(self) -> Connection | None:
        """A new connection to this store, for a thread of its own; ``None`` for an in-memory
        store, which no other connection can reach. The caller closes it."""
        if self.target == ":memory:":
            return None
        return connect(self._url, self._busy_timeout)

    def version(self) -> tuple[Any, ...]:
        """A value that changes whenever any process commits a write to this store: what
        answers computed from the whole store (charts) are kept against."""
        return self._conn.backend.version(self._conn, self._url)

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[Store]:
        """Queries run inside the block stop after ``seconds`` with ``StoreError``
        ``query_timeout``; any other failure to read is a ``StoreError`` too."""
        conn = self._conn
        try:
            with conn.backend.deadline(conn, seconds):
                yield self
        except QueryInterrupted:
            raise StoreError(
                f"the query took longer than {seconds:g} s; narrow it with filters",
                code="query_timeout",
            ) from None
        except DatabaseError as exc:
            raise StoreError(f"reading the store failed: {exc}") from exc

    def transaction(self) -> AbstractContextManager[Connection]:
        """One write transaction: committed when the block ends, undone when it raises.

        Writes made inside the block (``add_article``, ``add_failure``, another
        ``transaction()``) become part of it, so a result and a record of progress are stored
        together or not at all.
        """
        return self._write()

    # Internals

    @property
    def _conn(self) -> Connection:
        if self._connection is None:
            raise StoreError(f"store {self.target} is closed", code="store_closed")
        return self._connection

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, undone when it raises."""
        conn = self._conn
        if conn.in_transaction:  # inside a caller's transaction() block: one of its steps
            with _savepoint(conn):
                yield conn
            return
        try:
            conn.backend.begin(conn)
        except DatabaseError as exc:
            raise StoreError(
                f"cannot write to store {self.target}: {exc}", code="store_busy"
            ) from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except DatabaseError as exc:
            _rollback(conn)
            raise StoreError(
                f"writing to store {self.target} failed and was undone: {exc}"
            ) from exc
        except BaseException:
            _rollback(conn)
            raise

    def _find_article(self, article_id: str) -> Any:
        key = article_id.strip().lower()
        if len(key) < MIN_ID_PREFIX:
            raise UsageError(
                f"article id {article_id!r} is too short: give at least {MIN_ID_PREFIX} characters"
            )
        if len(key) > _ID_LENGTH or not _HEX.fullmatch(key):
            return None  # article ids are 16 hex digits: nothing else can name one
        # Every character after a hex prefix sorts below "g", so this range is the prefix.
        found = self._conn.execute(
            "SELECT * FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
            (key, key + "g"),
        ).fetchall()
        if len(found) > 1:
            raise StoreError(
                f"article id prefix {article_id!r} is ambiguous: more than one article id "
                "starts with it; give more characters",
                code="ambiguous_id",
            )
        return found[0] if found else None

    def _load(self, row: Any) -> Article:
        # No read transaction is needed around these reads: an article and its child rows are
        # committed together and never changed afterwards.
        conn, article_id = self._conn, (row["id"],)
        annotations = load_annotations(conn, row["id"])
        return rows.article_from_rows(
            row,
            sentences=conn.execute(
                "SELECT start, end FROM sentences WHERE article_id = ? ORDER BY idx", article_id
            ),
            entities=conn.execute(
                "SELECT * FROM entities WHERE article_id = ? ORDER BY idx", article_id
            ),
            dropped=conn.execute(
                "SELECT * FROM dropped_lines WHERE article_id = ? ORDER BY idx", article_id
            ),
            quotes=annotations.quotes,
            actors=annotations.actors,
            places=annotations.places,
            events=annotations.events,
        )


@contextmanager
def _savepoint(conn: Connection) -> Iterator[None]:
    """A nested write: undone alone when it raises, kept or undone with the outer transaction."""
    conn.execute("SAVEPOINT nested_write")
    try:
        yield
    except DatabaseError as exc:
        conn.execute("ROLLBACK TO nested_write")
        conn.execute("RELEASE nested_write")
        raise StoreError(f"writing to store failed and was undone: {exc}") from exc
    except BaseException:
        conn.execute("ROLLBACK TO nested_write")
        conn.execute("RELEASE nested_write")
        raise
    conn.execute("RELEASE nested_write")


def _rollback(conn: Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _since_floor(since: str) -> str:
    """``since`` as a UTC timestamp in the form ``ingested_at`` is stored in, for comparing."""
    try:
        moment = datetime.fromisoformat(since.strip())
    except ValueError:
        raise UsageError(
            f"since {since!r} is not an ISO 8601 date or time, "
            "such as 2024-05-01 or 2024-05-01T12:00:00+02:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()
