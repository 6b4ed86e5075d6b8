"""Search ranking on PostgreSQL: FTS5's ``bm25`` computed the way SQLite computes it, so a
search lists its hits in the same order on both backends.

SQLite ranks a match with FTS5's ``bm25(articles_fts, 5.0, 1.0)``. For a query of phrases
*q1..qn* and an article *D*::

    score(D) = - sum over i of IDF(qi) * f(qi, D) * (k1 + 1)
                                / (f(qi, D) + k1 * (1 - b + b * |D| / avgdl))

    IDF(qi) = max(1e-6, ln((N - n(qi) + 0.5) / (n(qi) + 0.5)))      k1 = 1.2, b = 0.75

where ``f(qi, D)`` counts the phrase's occurrences in the article, each in the title counting
5 and in the body 1; ``|D|`` is the article's length in tokens (title and body); ``N`` the
number of articles, ``avgdl`` their mean length, and ``n(qi)`` the number of articles the
phrase occurs in. PostgreSQL's own ``ts_rank`` knows none of the last three, so it orders hits
differently. Here every term is computed as FTS5 does, in the same order of floating-point
operations, which gives the same scores to the last bit on the same words:

- ``|D|``: the generated column ``articles.search_tokens``, the runs of word characters in
  title and body, as FTS5's ``unicode61`` tokenizer cuts text into tokens (its word
  characters, taken from SQLite by ``scripts/make_fts5_token_chars.py``, are in
  ``fts5_tokens``); the ``tsvector`` is made from the same runs, so positions are FTS5's offsets;
- ``N`` and the sum of ``|D|``: the table ``search_totals``, which statement triggers on
  ``articles`` append a row of changes to (many writers never wait on one counter row) and
  which is folded into one row every 256 statements (rows another writer is folding are
  skipped, so folding never waits either);
- ``n(qi)``: counted with the GIN index when the search starts (``search_statistics``), as
  FTS5 counts it from its own index;
- ``f(qi, D)``: from the positions in the article's ``tsvector``: the phrase's lexemes only
  are kept (``setweight`` then ``ts_filter``), a phrase occurs where its lexemes stand at
  consecutive positions, and it is in the title when it starts at or before the title's last
  position (the generated column ``articles.search_title_positions``).

What still differs is the words themselves: the stemmer (Snowball's English against FTS5's
Porter, which part on a few words such as "news"), numbers with a decimal point (one token
here, two in FTS5) and what ``tsvector`` keeps of very long texts (positions stop at 16,383
and at 256 per word).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from wirewatch.store.backends import Connection
from wirewatch.store.backends.fts5_tokens import WORD_RANGES

TEXT_CONFIG = "wirewatch_text"


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# FTS5's word characters as a bracket expression both PostgreSQL and Python read the same way.
_WORD_CHARS = "".join(
    _escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in WORD_RANGES
)
_FOLD_EVERY = 256  # statements between two foldings of search_totals
_COUNT_TOTALS = (
    "INSERT INTO search_totals (articles, tokens) "
    "SELECT count(*), coalesce(sum(search_tokens), 0) FROM articles"
)

STATEMENTS = (
    # FTS5's own stemmer, the original Porter algorithm (Snowball's English parts from it on
    # a few words: "news", "generously").
    "ALTER TEXT SEARCH DICTIONARY wirewatch_stem (Language = porter)",
    # The text as FTS5's tokenizer cuts it: runs of letters and digits, one word each, so
    # "2025-09-04" is three words and positions count as FTS5's offsets do.
    f"""CREATE FUNCTION wirewatch_token_runs(body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT regexp_replace(body, '[^{_WORD_CHARS}]+', ' ', 'g') $$""",
    # The words of a text: one more than the spaces between its runs, when it has any.
    """CREATE FUNCTION wirewatch_token_count(body text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN runs = '' THEN 0
                      ELSE length(runs) - length(replace(runs, ' ', '')) + 1 END
          FROM (SELECT btrim(wirewatch_token_runs(body)) AS runs) AS t $$""",
    """CREATE FUNCTION wirewatch_last_position(doc tsvector) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(max(p), 0) FROM unnest(doc) AS u, unnest(u.positions) AS p $$""",
    "ALTER TABLE articles DROP COLUMN search",
    f"""ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{TEXT_CONFIG}', wirewatch_token_runs(coalesce(title, ''))), 'A')
        || setweight(to_tsvector('{TEXT_CONFIG}', wirewatch_token_runs(text)), 'D')
    ) STORED""",
    "CREATE INDEX articles_search ON articles USING gin (search)",
    """ALTER TABLE articles ADD COLUMN search_tokens INTEGER GENERATED ALWAYS AS (
        wirewatch_token_count(coalesce(title, '')) + wirewatch_token_count(text)
    ) STORED""",
    f"""ALTER TABLE articles ADD COLUMN search_title_positions INTEGER GENERATED ALWAYS AS (
        wirewatch_last_position(
            to_tsvector('{TEXT_CONFIG}', wirewatch_token_runs(coalesce(title, '')))
        )
    ) STORED""",
    """CREATE TABLE search_totals (
        id INTEGER PRIMARY KEY,
        articles INTEGER NOT NULL,
        tokens INTEGER NOT NULL
    )""",
    _COUNT_TOTALS,
    f"""CREATE FUNCTION wirewatch_count_articles() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        added_rows bigint := 0;
        added_tokens bigint := 0;
        removed_rows bigint := 0;
        removed_tokens bigint := 0;
        row_id bigint;
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            SELECT count(*), coalesce(sum(search_tokens), 0) INTO added_rows, added_tokens
            FROM added;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            SELECT count(*), coalesce(sum(search_tokens), 0) INTO removed_rows, removed_tokens
            FROM removed;
        END IF;
        IF added_rows = removed_rows AND added_tokens = removed_tokens THEN
            RETURN NULL;
        END IF;
        INSERT INTO search_totals (articles, tokens)
        VALUES (added_rows - removed_rows, added_tokens - removed_tokens)
        RETURNING id INTO row_id;
        IF row_id % {_FOLD_EVERY} = 0 THEN
            PERFORM wirewatch_fold_search_totals();
        END IF;
        RETURN NULL;
    END
    $$""",
    """CREATE FUNCTION wirewatch_fold_search_totals() RETURNS void
    LANGUAGE sql AS $$
    WITH folded AS (
        DELETE FROM search_totals
        WHERE id IN (SELECT id FROM search_totals FOR UPDATE SKIP LOCKED)
        RETURNING articles, tokens
    )
    INSERT INTO search_totals (articles, tokens)
    SELECT sum(articles), sum(tokens) FROM folded HAVING count(*) > 0
    $$""",
    "CREATE TRIGGER articles_count_insert AFTER INSERT ON articles "
    "REFERENCING NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION wirewatch_count_articles()",
    "CREATE TRIGGER articles_count_update AFTER UPDATE ON articles "
    "REFERENCING OLD TABLE AS removed NEW TABLE AS added "
    "FOR EACH STATEMENT EXECUTE FUNCTION wirewatch_count_articles()",
    "CREATE TRIGGER articles_count_delete AFTER DELETE ON articles "
    "REFERENCING OLD TABLE AS removed "
    "FOR EACH STATEMENT EXECUTE FUNCTION wirewatch_count_articles()",
)
"""Migration ``search_ranking``: the columns, table and triggers the score reads."""

RECOUNT = ("DELETE FROM search_totals", _COUNT_TOTALS)
"""Count ``search_totals`` afresh (after a copy, whose rows may have skipped the triggers)."""

# FTS5's bm25 for one article ``a``, from the statistics bound by ``search_statistics``:
# each phrase's words (one row per word: phrase, place in it, lexeme, prefix, phrase length),
# where each phrase starts (every word found at start + place - 1), and its weighted count.
SCORE = """(
    WITH hit AS (
        SELECT u.lexeme, p AS pos
        FROM unnest(CASE WHEN :rank_prefix = 1 THEN a.search
                         ELSE ts_filter(setweight(a.search, 'b', CAST(:rank_lexemes AS text[])),
                                        '{b}') END) AS u,
             unnest(u.positions) AS p
    ), word AS (
        SELECT * FROM unnest(CAST(:rank_phrase AS integer[]), CAST(:rank_place AS integer[]),
                             CAST(:rank_lexemes AS text[]), CAST(:rank_starts AS integer[]),
                             CAST(:rank_words AS integer[]))
                      AS w(phrase, place, lexeme, starts, words)
    ), opening AS (
        SELECT w.phrase, h.pos - w.place + 1 AS pos, max(w.words) AS words, count(*) AS found
        FROM word AS w
        JOIN hit AS h ON h.lexeme = w.lexeme OR (w.starts = 1 AND starts_with(h.lexeme, w.lexeme))
        GROUP BY w.phrase, h.pos - w.place + 1
    ), frequency AS (
        SELECT phrase,
               sum(CASE WHEN pos <= a.search_title_positions THEN CAST(5 AS float8)
                        ELSE CAST(1 AS float8) END) AS f
        FROM opening
        WHERE found = words
          AND (pos <= a.search_title_positions) = (pos + words - 1 <= a.search_title_positions)
        GROUP BY phrase
    )
    SELECT -coalesce(sum((CAST(:rank_idf AS float8[]))[phrase]
                         * ((f * CAST(2.2 AS float8))
                            / (f + CAST(1.2 AS float8) * (CAST(0.25 AS float8)
                                + CAST(0.75 AS float8) * CAST(a.search_tokens AS float8)
                                  / CAST(:rank_avgdl AS float8))))
                         ORDER BY phrase), 0)
    FROM frequency
)"""
"""The score (lower is better) of article ``a`` for the bound search."""

_PHRASES = re.compile(r'"((?:[^"]|"")*)"(\*?)')
_WORDS = re.compile(f"[{_WORD_CHARS}]+")


@dataclass(frozen=True, slots=True)
class Phrase:
    """One quoted phrase of an FTS5 expression, as FTS5's bm25 counts it."""

    text: str
    prefix: bool
    """Its last word is a prefix (``"Stolten"*``)."""

    def tsquery(self) -> str:
        """The phrase as ``to_tsquery`` text: its words one after the other; with a prefix,
        only the last word a prefix, as FTS5 reads ``"pro Russ"*``."""
        words = _WORDS.findall(self.text)
        if not words:
            return _quoted(self.text)  # no word in it: to_tsquery leaves it out, as FTS5 does
        if not self.prefix:
            return _quoted(" ".join(words))
        return " <-> ".join([_quoted(word) for word in words[:-1]] + [_quoted(words[-1]) + ":*"])


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def phrases(expression: str) -> list[Phrase]:
    """The quoted phrases of an FTS5 expression as ``search.fts_query`` writes it, in order.

    >>> [(p.text, p.prefix) for p in phrases('"NATO\\'s" OR "Stolten"* NOT "a ""b"" c"')]
    [("NATO's", False), ('Stolten', True), ('a "b" c', False)]
    """
    return [
        Phrase(text.replace('""', '"'), bool(star)) for text, star in _PHRASES.findall(expression)
    ]


# Per phrase: its lexemes in order and the number of articles it occurs in; with the totals.
_STATISTICS = f"""
    WITH phrase AS (
        SELECT n, to_tsquery('{TEXT_CONFIG}', q) AS query, body
        FROM unnest(CAST(:queries AS text[]), CAST(:bodies AS text[])) WITH ORDINALITY
             AS p(q, body, n)
    )
    SELECT n,
           (SELECT array_agg(u.lexeme ORDER BY pos)
            FROM unnest(to_tsvector('{TEXT_CONFIG}', wirewatch_token_runs(body))) AS u,
                 unnest(u.positions) AS pos)
             AS lexemes,
           (SELECT count(*) FROM articles WHERE search @@ phrase.query) AS hits,
           (SELECT coalesce(sum(articles), 0) FROM search_totals) AS articles,
           (SELECT coalesce(sum(tokens), 0) FROM search_totals) AS tokens
    FROM phrase
    ORDER BY n
"""


def search_statistics(conn: Connection, expression: str) -> dict[str, Any]:
    """The parameters ``SCORE`` reads, for an FTS5 expression: each phrase's words and
    inverse document frequency, the mean article length, and whether any word is a prefix."""
    found = phrases(expression)
    rows = conn.execute(
        _STATISTICS,
        {"queries": [p.tsquery() for p in found], "bodies": [p.text for p in found]},
    ).fetchall()
    params: dict[str, list[Any]] = {
        key: [] for key in ("rank_phrase", "rank_place", "rank_lexemes", "rank_starts")
    }
    lengths: list[int] = []
    idf: list[float] = []
    # The totals are the same on every row (one per phrase).
    articles, tokens = (int(rows[0]["articles"]), int(rows[0]["tokens"])) if rows else (0, 0)
    for phrase, row in zip(found, rows, strict=True):
        lexemes = row["lexemes"] or []
        idf.append(_idf(articles, int(row["hits"])))
        for place, lexeme in enumerate(lexemes, start=1):
            params["rank_phrase"].append(row["n"])
            params["rank_place"].append(place)
            params["rank_lexemes"].append(lexeme)
            params["rank_starts"].append(int(phrase.prefix and place == len(lexemes)))
            lengths.append(len(lexemes))
    return params | {
        "rank_words": lengths,
        "rank_idf": idf or [0.0],
        "rank_prefix": int(any(params["rank_starts"])),
        "rank_avgdl": tokens / articles if articles and tokens else 1.0,
    }


def _idf(articles: int, hits: int) -> float:
    """FTS5's inverse document frequency: never below a millionth, even for a word in more
    than half the articles."""
    return max(1e-6, math.log((articles - hits + 0.5) / (hits + 0.5)))
