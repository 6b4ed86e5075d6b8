"""The PostgreSQL backend: a server many processes write at once, through psycopg 3.

A store is the tables in one schema of one database: the URL's database, in the schema its
``options=-csearch_path=...`` names (else ``public``). Connections are in autocommit mode, as
SQLite's are, and the store issues ``BEGIN``/``COMMIT`` itself. Parameters are bound on the
client (psycopg's ``ClientCursor``), so values compare as SQLite compares them. Rows read back
index by position and by name, numbers come back as ``int`` or ``float`` (never
``Decimal``), and booleans are written as 0/1, as the schema's flag columns hold them.

Full-text search uses a generated ``tsvector`` column per index with a GIN index, in a text
search configuration that reads words as FTS5's ``unicode61`` tokenizer does: lower case,
accents removed (the ``unaccent`` extension), hyphenated words split into their parts, and for
articles cut where FTS5 cuts them and stemmed with Porter's algorithm, as FTS5 stems them; hits
are ranked by FTS5's bm25, computed as SQLite computes it (``pg_rank``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import psycopg
from psycopg import adapt, errors
from psycopg.pq import TransactionStatus

from wirewatch.errors import StoreError
from wirewatch.store.backends import (
    Backend,
    Connection,
    QueryInterrupted,
    SearchSyntaxError,
    TextSearch,
    pg_rank,
    redact,
)
from wirewatch.store.backends.pg_sql import to_postgres

TEXT_CONFIG = pg_rank.TEXT_CONFIG
WORDS_CONFIG = "wirewatch_words"
_WORD_TOKENS = "asciiword, word, numword, hword_asciipart, hword_part, hword_numpart"
_JOINED_TOKENS = "asciihword, hword, numhword"


class Row(tuple):
    """A row that indexes by position and by column name, as ``sqlite3.Row`` does."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}
    _names: ClassVar[tuple[str, ...]] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key])
            except KeyError:
                raise IndexError(f"no column named {key!r}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


_ROW_CLASSES: dict[tuple[str, ...], type[Row]] = {}


def _row_class(names: tuple[str, ...]) -> type[Row]:
    found = _ROW_CLASSES.get(names)
    if found is None:
        index: dict[str, int] = {}
        for position, name in enumerate(names):
            index.setdefault(name, position)
        found = type("Row", (Row,), {"__slots__": (), "_index": index, "_names": names})
        if len(_ROW_CLASSES) < 4096:
            _ROW_CLASSES[names] = found
    return found


def _rows(cursor: Any) -> Any:
    description = cursor.description
    if description is None:
        return tuple
    return _row_class(tuple(column.name for column in description))


class _NumberLoader(adapt.Loader):
    """``numeric`` (what ``sum`` of integers gives) as ``int`` when whole, else ``float``."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return float(text) if any(c in text for c in ".eEaN") else int(text)


class _FlagDumper(adapt.Dumper):
    """Python booleans as 0/1: the schema's flag columns are integers, as in SQLite."""

    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class PostgresConnection:
    """A psycopg connection speaking the store's SQL (see ``pg_sql``)."""

    def __init__(self, raw: psycopg.Connection[Any], label: str) -> None:
        self.raw = raw
        self.label = label

    @property
    def backend(self) -> Backend:
        return POSTGRES

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        bound = bool(parameters)
        return self.raw.execute(to_postgres(sql, bound), parameters if bound else None)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        cursor = self.raw.cursor()
        cursor.executemany(to_postgres(sql, True), list(parameters))
        return cursor

    def close(self) -> None:
        self.raw.close()


def _options(busy_timeout: float) -> dict[str, Any]:
    return {
        "autocommit": True,
        "cursor_factory": psycopg.ClientCursor,
        "row_factory": _rows,
        "connect_timeout": max(1, int(busy_timeout)),
        "application_name": "wirewatch",
    }


def _configure(raw: psycopg.Connection[Any], busy_timeout: float) -> None:
    raw.adapters.register_loader("numeric", _NumberLoader)
    raw.adapters.register_dumper(bool, _FlagDumper)
    # A write waits this long for a row another writer holds, then fails (as SQLite's busy
    # timeout); the server's clock, not ours, so a stalled client cannot hold it forever.
    raw.execute(f"SET lock_timeout = {int(busy_timeout * 1000)}")
    raw.execute("SET client_min_messages = warning")


def connect(url: str, busy_timeout: float) -> PostgresConnection:
    """A connection to the store at ``url`` (``postgresql://user@host:port/db``)."""
    try:
        raw = psycopg.connect(url, **_options(busy_timeout))
    except psycopg.Error as exc:
        raise StoreError(f"cannot open store {redact(url)}: {_first_line(exc)}") from exc
    _configure(raw, busy_timeout)
    return PostgresConnection(raw, redact(url))


def connection_pool(url: str, *, size: int, wait: float, busy_timeout: float = 10.0) -> Any:
    """A psycopg pool of 1 to ``size`` connections to ``url``, configured as ``connect``'s."""
    from psycopg_pool import ConnectionPool

    pool = ConnectionPool(
        url,
        min_size=1,
        max_size=max(1, size),
        kwargs=_options(busy_timeout),
        configure=lambda raw: _configure(raw, busy_timeout),
        timeout=wait,
        name="wirewatch",
        open=False,
    )
    try:
        pool.open(wait=True, timeout=max(wait, busy_timeout))
    except Exception as exc:
        pool.close()
        raise StoreError(f"cannot open store {redact(url)}: {_first_line(exc)}") from exc
    return pool


@contextmanager
def lent_connection(pool: Any) -> Iterator[PostgresConnection]:
    """A connection from ``pool`` for the block, given back after (rolled back if a
    transaction was left open)."""
    from psycopg_pool import PoolTimeout

    try:
        with pool.connection() as raw:
            yield PostgresConnection(raw, pool.name)
    except PoolTimeout:
        raise StoreError(
            "every store connection is busy; try again in a moment", code="store_busy"
        ) from None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


_SEARCH_SETUP = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # Snowball's English stemmer without a stop-word list: every word stays searchable.
    "CREATE TEXT SEARCH DICTIONARY wirewatch_stem (TEMPLATE = snowball, Language = english)",
    f"CREATE TEXT SEARCH CONFIGURATION {TEXT_CONFIG} (COPY = pg_catalog.simple)",
    f"ALTER TEXT SEARCH CONFIGURATION {TEXT_CONFIG} ALTER MAPPING FOR {_WORD_TOKENS} "
    "WITH unaccent, wirewatch_stem",
    f"ALTER TEXT SEARCH CONFIGURATION {TEXT_CONFIG} DROP MAPPING FOR {_JOINED_TOKENS}",
    f"CREATE TEXT SEARCH CONFIGURATION {WORDS_CONFIG} (COPY = pg_catalog.simple)",
    f"ALTER TEXT SEARCH CONFIGURATION {WORDS_CONFIG} ALTER MAPPING FOR {_WORD_TOKENS} "
    "WITH unaccent, simple",
    f"ALTER TEXT SEARCH CONFIGURATION {WORDS_CONFIG} DROP MAPPING FOR {_JOINED_TOKENS}",
)
_FUNCTIONS = (
    # Offsets and lengths are BIGINT here (INTEGER in SQLite is 64-bit); substr takes int.
    """CREATE FUNCTION substr(body text, first bigint, n bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT pg_catalog.substr(body, first::integer, n::integer) $$""",
    """CREATE FUNCTION substr(body text, first bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT pg_catalog.substr(body, first::integer) $$""",
)
# A snippet as FTS5's snippet() gives one: about 16 words around the matches, marked; a match
# spelled with a hyphen or an apostrophe marked as one ("[pro-Russian]"); "…" where cut.
_SNIPPET = f"""CREATE FUNCTION wirewatch_snippet(
        body text, query tsquery, mark_open text, mark_close text
    ) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH marked AS (
        SELECT ts_headline('{TEXT_CONFIG}', body, query,
                           'StartSel=' || chr(2) || ', StopSel=' || chr(3)
                           || ', MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1') AS fragment
    ), plain AS (
        SELECT fragment, replace(replace(fragment, chr(2), ''), chr(3), '') AS words
        FROM marked
    )
    SELECT CASE WHEN strpos(body, words) > 1 THEN '…' ELSE '' END
        || replace(replace(regexp_replace(fragment, chr(3) || '([-''’])' || chr(2), '\\1', 'g'),
                           chr(2), mark_open), chr(3), mark_close)
        || CASE WHEN strpos(body, words) + length(words) <= length(body) THEN '…' ELSE '' END
    FROM plain
    $$"""
_STATEMENTS: dict[str, tuple[str, ...]] = {
    "functions": _FUNCTIONS,
    # Article seq numbers from a sequence: many writers at once never draw the same one.
    "articles_seq": ("CREATE SEQUENCE articles_seq_numbers OWNED BY articles.seq",),
    "articles_search": (
        *_SEARCH_SETUP,
        f"""ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{TEXT_CONFIG}', coalesce(title, '')), 'A')
            || setweight(to_tsvector('{TEXT_CONFIG}', text), 'D')
        ) STORED""",
        "CREATE INDEX articles_search ON articles USING gin (search)",
        _SNIPPET,
    ),
    "quote_speakers_search": (
        f"""ALTER TABLE quotes ADD COLUMN speaker_search tsvector GENERATED ALWAYS AS (
            to_tsvector('{WORDS_CONFIG}',
                        coalesce(speaker_name, '') || ' ' || coalesce(speaker_text, ''))
        ) STORED""",
        "CREATE INDEX quotes_speaker_search ON quotes USING gin (speaker_search)",
    ),
    "event_actors_search": (
        f"""ALTER TABLE event_actors ADD COLUMN search tsvector GENERATED ALWAYS AS (
            to_tsvector('{WORDS_CONFIG}', text || ' ' || coalesce(name, ''))
        ) STORED""",
        "CREATE INDEX event_actors_search ON event_actors USING gin (search)",
    ),
    "search_ranking": pg_rank.STATEMENTS,
}


class PostgresBackend(Backend):
    name = "postgresql"
    title = "PostgreSQL"

    def begin(self, conn: Connection) -> None:
        conn.execute("BEGIN")

    def lock(self, conn: Connection, key: str) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (key,))

    def lock_all(self, conn: Connection, keys: list[str]) -> None:
        if keys:
            # One statement; in hash order, the order every writer takes its keys in.
            conn.execute(
                "SELECT count(pg_advisory_xact_lock(h)) FROM "
                "(SELECT hashtextextended(k, 0) AS h FROM unnest(?::text[]) AS k ORDER BY h) AS o",
                (sorted(keys),),
            )

    @contextmanager
    def deadline(self, conn: Connection, seconds: float) -> Iterator[None]:
        conn.execute(f"SET statement_timeout = {max(1, int(seconds * 1000))}")
        try:
            yield
        except errors.QueryCanceled as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise QueryInterrupted(_first_line(exc)) from None
        finally:
            if not conn.in_transaction:
                conn.execute("SET statement_timeout = 0")

    def tables(self, conn: Connection) -> set[str]:
        found = conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        return {row[0] for row in found}

    def version(self, conn: Connection, target: str) -> tuple[Any, ...]:
        """Rows inserted, updated and deleted in the store's tables, as the server counts
        them (its statistics reach other sessions within about a second of a commit)."""
        row = conn.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_user_tables WHERE schemaname = current_schema()"
        ).fetchone()
        return (int(row[0]),)

    def columns(self, conn: Connection, table: str) -> list[str]:
        found = conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            (table,),
        )
        return [row[0] for row in found]

    def after_copy(self, conn: Connection) -> None:
        """Move every identity column's sequence, and the article numbers', past the rows
        copied in with their own numbers, so the next row added gets a new one."""
        identities = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND is_identity = 'YES'"
        ).fetchall()
        for table, column in identities:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
            )
        conn.execute(
            "SELECT setval('articles_seq_numbers', "
            "coalesce((SELECT max(seq) FROM articles), 0) + 1, false)"
        )
        for statement in pg_rank.RECOUNT:
            conn.execute(statement)

    def statements(self, name: str) -> tuple[str, ...]:
        return _STATEMENTS.get(name, ())

    def next_article_seq(self) -> str:
        return "nextval('articles_seq_numbers')"

    def text_search(self, snippet_open: str, snippet_close: str) -> TextSearch:
        query = f"to_tsquery('{TEXT_CONFIG}', :match)"
        return TextSearch(
            source="articles AS a",
            condition=f"a.search @@ {query}",
            snippet=f"wirewatch_snippet(a.text, {query}, '{snippet_open}', '{snippet_close}')",
            score=pg_rank.SCORE,
        )

    def search_params(self, conn: Connection, expression: str) -> dict[str, Any]:
        """The ``tsquery`` to match and FTS5's ``bm25`` statistics for it (``pg_rank``)."""
        return {"match": tsquery(expression)} | pg_rank.search_statistics(conn, expression)

    def query_syntax_error(self, exc: Exception) -> str | None:
        if isinstance(exc, SearchSyntaxError):
            return str(exc)
        if isinstance(exc, errors.SyntaxError) and "tsquery" in str(exc):
            return _first_line(exc)
        return None


_FTS_PIECES = re.compile(r'"((?:[^"]|"")*)"(\*?)|(AND|OR|NOT)\b|([()])|(\S)')


def tsquery(expression: str) -> str:
    """An FTS5 expression (``search.fts_query``'s) as ``to_tsquery`` text.

    >>> tsquery('"NATO\\'s" "Stolten"* OR ("Kiev" NOT "Moscow")')
    "'NATO''s' & 'Stolten':* | ( 'Kiev' & ! 'Moscow' )"
    """
    out: list[str] = []
    expect_term = True  # at the start, after an operator or "(": a term or "(" must follow
    depth = 0
    for match in _FTS_PIECES.finditer(expression):
        phrase, star, operator, paren, other = match.groups()
        if phrase is not None:
            if not expect_term:
                out.append("&")  # side-by-side terms: FTS5 reads them as AND
            out.append(pg_rank.Phrase(phrase.replace('""', '"'), bool(star)).tsquery())
            expect_term = False
        elif operator is not None:
            if expect_term:
                raise SearchSyntaxError(f"syntax error near {operator!r}")
            out.append({"AND": "&", "OR": "|", "NOT": "& !"}[operator])
            expect_term = True
        elif paren == "(":
            if not expect_term:
                out.append("&")
            out.append("(")
            depth += 1
            expect_term = True
        elif paren == ")":
            if expect_term or depth == 0:
                raise SearchSyntaxError("syntax error near ')'")
            out.append(")")
            depth -= 1
        elif other is not None:
            raise SearchSyntaxError(f"syntax error near {other!r}")
    if expect_term or depth:
        raise SearchSyntaxError('syntax error near ""')
    return " ".join(out)


POSTGRES = PostgresBackend()
