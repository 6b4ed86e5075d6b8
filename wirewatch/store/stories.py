"""The story tables: reading and writing stories, their articles, copies, links, signatures and
clustering features. SQL only; deciding what belongs to which story is ``wirewatch.stories``.

Reads use ``Store.connection``; every write is one ``Store.transaction()``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime

from wirewatch.errors import UsageError
from wirewatch.model import utc_now
from wirewatch.store.backends import Connection
from wirewatch.store.store import Store
from wirewatch.store.story_names import rename_story

STORY_PREFIX = "s-"


@dataclass(frozen=True, slots=True)
class MemberRow:
    """An article's place in its story (a row of ``story_articles``)."""

    article_id: str
    story_id: str
    copy_of: str | None
    relation: str  # original | near | truncated
    similarity: float | None
    containment: float | None
    headline_differs: bool | None
    chars_delta: int | None
    words_delta: int | None
    score: float | None
    at: str | None


@dataclass(frozen=True, slots=True)
class CopyRow:
    """One sighting of a text at a URL (or source path): a row of ``story_copies``."""

    story_id: str
    article_id: str
    locator: str
    url: str | None
    canonical_url: str | None
    site: str | None
    title: str | None
    published: str | None
    collected: str
    chars: int
    words: int
    relation: str  # original | exact | near | truncated
    similarity: float | None
    containment: float | None
    headline_differs: bool | None
    chars_delta: int | None
    words_delta: int | None
    at: str | None = None  # not a column: widens the story's span (publication time or None)


@dataclass(frozen=True, slots=True)
class ArticleWrite:
    """Everything written when an article gets its story, in one transaction."""

    member: MemberRow
    sighting: CopyRow
    new_story_title: str | None  # set when the article founds its story
    founds_story: bool
    signature: bytes | None
    shingles: int
    bands: Sequence[int]  # LSH band keys of the signature (none for a text too short)
    band_window: int  # band rows are kept for this many most recent signatures
    features: Sequence[str]
    at: float
    links: Sequence[tuple[str, float]]  # related story ids with their scores


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story as listed: its lead title, time span and how many members, copies and sites."""

    id: str
    title: str | None
    lead_article_id: str
    first_at: str | None
    last_at: str | None
    members: int
    articles: int
    copies: int
    sites: int


_COPY_COLUMNS = tuple(f.name for f in fields(CopyRow) if f.name != "at")
_MEMBER_COLUMNS = tuple(f.name for f in fields(MemberRow))
_INSERT_COPY = (
    f"INSERT INTO story_copies ({', '.join(_COPY_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _COPY_COLUMNS)}) ON CONFLICT (locator) DO NOTHING"
)
_INSERT_MEMBER = (
    f"INSERT INTO story_articles ({', '.join(_MEMBER_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _MEMBER_COLUMNS)}) ON CONFLICT (article_id) DO NOTHING"
)
_WIDEN_STORY = """
    UPDATE stories SET
        first_at = CASE WHEN first_at IS NULL OR :at < first_at THEN :at ELSE first_at END,
        last_at = CASE WHEN last_at IS NULL OR :at > last_at THEN :at ELSE last_at END
    WHERE id = :story AND :at IS NOT NULL
"""
_LINK = (
    "INSERT INTO story_links (story_id, related_id, score) VALUES (?, ?, ?) "
    "ON CONFLICT (story_id, related_id) "
    "DO UPDATE SET score = max(story_links.score, excluded.score)"
)
SUMMARY_COLUMNS = """
    s.id, s.title, s.lead_article_id, s.first_at, s.last_at,
        (SELECT count(*) FROM story_articles m
         WHERE m.story_id = s.id AND m.copy_of IS NULL) AS members,
        (SELECT count(*) FROM story_articles m WHERE m.story_id = s.id) AS articles,
        (SELECT count(*) FROM story_copies c WHERE c.story_id = s.id) AS copies,
        (SELECT count(DISTINCT coalesce(c.site, c.url, c.locator)) FROM story_copies c
         WHERE c.story_id = s.id) AS sites"""
"""The columns of a ``StorySummary``, in its field order, over ``stories AS s``."""
_SUMMARY = f"SELECT {SUMMARY_COLUMNS} FROM stories s"


def iso_time(at: float) -> str:
    """Epoch seconds as the ISO UTC time stored in ``first_at``/``last_at``."""
    return datetime.fromtimestamp(at, UTC).replace(microsecond=0).isoformat()


# Writing


def write_article(store: Store, write: ArticleWrite) -> None:
    """Store an article's story membership, first sighting, signature, features and links."""
    member = write.member
    with store.transaction() as conn:
        if write.founds_story:
            conn.execute(
                "INSERT INTO stories (id, lead_article_id, title, first_at, last_at, created_at) "
                "VALUES (?, ?, ?, NULL, NULL, ?) ON CONFLICT (id) DO NOTHING",
                (member.story_id, member.article_id, write.new_story_title, utc_now()),
            )
        conn.execute(_INSERT_MEMBER, astuple(member))
        _insert_copy(conn, write.sighting)
        if write.signature is not None:
            insert_signature(
                conn,
                member.article_id,
                write.shingles,
                write.signature,
                write.bands,
                write.band_window,
            )
        conn.executemany(
            "INSERT INTO story_features (article_id, story_id, feature, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [(member.article_id, member.story_id, value, write.at) for value in write.features],
        )
        for related, score in write.links:
            conn.execute(_LINK, (member.story_id, related, score))
            conn.execute(_LINK, (related, member.story_id, score))


def write_copy(store: Store, sighting: CopyRow) -> bool:
    """Record an exact copy's sighting; False when its locator was already recorded."""
    with store.transaction() as conn:
        return _insert_copy(conn, sighting)


def insert_signature(
    conn: Connection,
    article_id: str,
    shingles: int,
    signature: bytes,
    keys: Sequence[int],
    window: int,
) -> None:
    """Store an article's signature and its band rows (inside the caller's transaction).

    Every ``window // 10``-th signature (counted by seq, so across processes) also deletes the
    band rows of signatures that fell out of the window of the ``window`` most recent.
    """
    inserted = conn.execute(
        "INSERT INTO story_signatures (article_id, shingles, minhash) VALUES (?, ?, ?) "
        "ON CONFLICT (article_id) DO NOTHING RETURNING seq",
        (article_id, shingles, signature),
    ).fetchone()
    if inserted is None:
        return
    seq = int(inserted[0])
    conn.executemany(
        "INSERT INTO story_bands (key, signature_seq) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(key, seq) for key in keys],
    )
    if seq % max(1, window // 10) == 0:
        conn.execute("DELETE FROM story_bands WHERE signature_seq <= ?", (seq - window,))


def add_bands(store: Store, rows: Sequence[tuple[int, Sequence[int]]]) -> None:
    """Band rows for stored signatures that lack them: (signature seq, keys) each."""
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO story_bands (key, signature_seq) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(key, seq) for seq, keys in rows for key in keys],
        )


def _insert_copy(conn: Connection, sighting: CopyRow) -> bool:
    values = astuple(sighting)[: len(_COPY_COLUMNS)]
    added = conn.execute(_INSERT_COPY, values).rowcount > 0
    if added:
        conn.execute(_WIDEN_STORY, {"at": sighting.at, "story": sighting.story_id})
        if sighting.title or sighting.at:  # a headline or a date: the best headline may change
            rename_story(conn, sighting.story_id)
    return added


# Reading what assignment needs


def sighted(store: Store, locators: Iterable[str]) -> bool:
    """Whether any of these URLs or source paths was recorded as a sighting."""
    wanted = [value for value in locators if value]
    if not wanted:
        return False
    marks = ", ".join("?" for _ in wanted)
    found = store.connection.execute(
        f"SELECT 1 FROM story_copies WHERE locator IN ({marks}) OR url IN ({marks}) "
        f"OR canonical_url IN ({marks}) LIMIT 1",
        wanted * 3,
    ).fetchone()
    return found is not None


def membership(store: Store, article_id: str) -> MemberRow | None:
    """The article's row in ``story_articles``, or None when it has no story yet."""
    row = store.connection.execute(
        f"SELECT {', '.join(_MEMBER_COLUMNS)} FROM story_articles WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    values = dict(row)
    if values["headline_differs"] is not None:
        values["headline_differs"] = bool(values["headline_differs"])
    return MemberRow(**values)


def article_facts(store: Store, article_id: str) -> tuple[str | None, int, int] | None:
    """A stored article's title, length in characters and in words."""
    row = store.connection.execute(
        "SELECT title, length(text) AS chars, word_count FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    return None if row is None else (row["title"], int(row["chars"]), int(row["word_count"]))


def article_text(store: Store, article_id: str) -> str | None:
    row = store.connection.execute(
        "SELECT text FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def window_signatures(
    store: Store, window: int, min_shingles: int
) -> list[tuple[int, str, int, bytes]]:
    """Signatures among the ``window`` most recent with at least ``min_shingles`` shingles,
    oldest first: (seq, article, shingles, blob)."""
    found = store.connection.execute(
        "SELECT seq, article_id, shingles, minhash FROM story_signatures "
        "WHERE seq > (SELECT coalesce(max(seq), 0) FROM story_signatures) - ? "
        "AND shingles >= ? ORDER BY seq",
        (window, min_shingles),
    ).fetchall()
    return [(int(row[0]), row[1], int(row[2]), bytes(row[3])) for row in found]


def newest_signature(store: Store, min_shingles: int) -> tuple[int, bytes] | None:
    """The most recent signature with at least ``min_shingles`` shingles: (seq, blob)."""
    row = store.connection.execute(
        "SELECT seq, minhash FROM story_signatures WHERE shingles >= ? ORDER BY seq DESC LIMIT 1",
        (min_shingles,),
    ).fetchone()
    return None if row is None else (int(row[0]), bytes(row[1]))


def last_signature(store: Store) -> int:
    """The newest signature's number (0 for none): what a band lookup ``upto`` it sees."""
    row = store.connection.execute("SELECT coalesce(max(seq), 0) FROM story_signatures").fetchone()
    return int(row[0])


def has_band(store: Store, key: int, seq: int) -> bool:
    row = store.connection.execute(
        "SELECT 1 FROM story_bands WHERE key = ? AND signature_seq = ?", (key, seq)
    ).fetchone()
    return row is not None


def band_holders(
    store: Store, keys: Sequence[int], window: int, upto: int | None = None
) -> list[tuple[str, int, bytes]]:
    """Signatures in the window having any of the band ``keys``, by article id:
    (article, shingles, blob); only those up to signature ``upto`` when it is given."""
    marks = ", ".join("?" for _ in keys)
    bound = "" if upto is None else "AND b.signature_seq <= ? "
    found = store.connection.execute(
        "SELECT DISTINCT s.article_id, s.shingles, s.minhash FROM story_bands b "
        "JOIN story_signatures s ON s.seq = b.signature_seq "
        f"WHERE b.key IN ({marks}) "
        "AND b.signature_seq > (SELECT coalesce(max(seq), 0) FROM story_signatures) - ? "
        f"{bound}ORDER BY s.article_id",
        (*keys, window) if upto is None else (*keys, window, upto),
    ).fetchall()
    return [(row[0], int(row[1]), bytes(row[2])) for row in found]


def stored_signature(store: Store, article_id: str) -> tuple[int, bytes] | None:
    """An article's shingle count and signature blob."""
    row = store.connection.execute(
        "SELECT shingles, minhash FROM story_signatures WHERE article_id = ?", (article_id,)
    ).fetchone()
    return None if row is None else (int(row[0]), bytes(row[1]))


def feature_candidates(
    store: Store, values: Sequence[str], low: float, high: float, limit: int
) -> list[str]:
    """Member articles in ``[low, high]`` sharing features with ``values``, most shared first."""
    if not values:
        return []
    found = store.connection.execute(
        "SELECT article_id, count(*) AS shared FROM story_features "
        "WHERE feature IN (SELECT value FROM json_each(?)) AND at BETWEEN ? AND ? "
        "GROUP BY article_id ORDER BY shared DESC, article_id LIMIT ?",
        (_json_list(values), low, high, limit),
    ).fetchall()
    return [str(row[0]) for row in found]


def member_features(
    store: Store, article_ids: Sequence[str]
) -> dict[str, tuple[str, float, list[str]]]:
    """Story id, time and feature values of each of these member articles."""
    found: dict[str, tuple[str, float, list[str]]] = {}
    if not article_ids:
        return found
    rows = store.connection.execute(
        "SELECT article_id, story_id, at, feature FROM story_features "
        "WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, feature",
        (_json_list(article_ids),),
    )
    for row in rows:
        entry = found.setdefault(row[0], (row[1], float(row[2]), []))
        entry[2].append(row[3])
    return found


def _json_list(values: Sequence[str]) -> str:
    return json.dumps(list(values))


# Reading stories


def list_stories(store: Store, *, limit: int = 50) -> list[StorySummary]:
    """Stories, latest first (by the last publication time of their dated copies; undated
    ones last). Filtered listings: ``story_listing.latest_stories``."""
    if limit < 1:
        raise UsageError(f"story limit must be at least 1, got {limit}")
    found = store.connection.execute(
        f"{_SUMMARY} ORDER BY s.last_at IS NULL, s.last_at DESC, s.id LIMIT ?", (limit,)
    ).fetchall()
    return [StorySummary(**dict(row)) for row in found]


def story_summary(store: Store, story_id: str) -> StorySummary | None:
    row = store.connection.execute(f"{_SUMMARY} WHERE s.id = ?", (story_id,)).fetchone()
    return None if row is None else StorySummary(**dict(row))


def find_story_id(store: Store, story_id: str) -> str | None:
    """The story id that is ``story_id`` or starts with it (``s-`` and at least 6 hex digits).

    Raises ``UsageError`` for a shorter prefix or one that more than one story id starts with.
    """
    key = story_id.strip().lower()
    digits = key.removeprefix(STORY_PREFIX)
    if len(digits) < 6 or not re.fullmatch(r"[0-9a-f]+", digits):
        raise UsageError(
            f"story id {story_id!r} is not {STORY_PREFIX} and at least 6 hex digits of one"
        )
    found = store.connection.execute(
        "SELECT id FROM stories WHERE id >= ? AND id < ? ORDER BY id LIMIT 2", (key, key + "g")
    ).fetchall()
    if len(found) > 1:
        raise UsageError(f"story id prefix {story_id!r} is ambiguous; give more characters")
    return str(found[0][0]) if found else None


def story_members(store: Store, story_id: str) -> list[MemberRow]:
    """The story's articles, founder first, then in the order they joined."""
    rows = store.connection.execute(
        f"SELECT {', '.join('m.' + c for c in _MEMBER_COLUMNS)} FROM story_articles m "
        "JOIN articles a ON a.id = m.article_id WHERE m.story_id = ? ORDER BY a.seq",
        (story_id,),
    ).fetchall()
    members = []
    for row in rows:
        values = dict(row)
        if values["headline_differs"] is not None:
            values["headline_differs"] = bool(values["headline_differs"])
        members.append(MemberRow(**values))
    return members


def story_copies(store: Store, story_id: str) -> list[CopyRow]:
    """Every sighting of the story's texts, in the order they were recorded."""
    rows = store.connection.execute(
        f"SELECT {', '.join(_COPY_COLUMNS)} FROM story_copies WHERE story_id = ? ORDER BY id",
        (story_id,),
    ).fetchall()
    copies = []
    for row in rows:
        values = dict(row)
        if values["headline_differs"] is not None:
            values["headline_differs"] = bool(values["headline_differs"])
        copies.append(CopyRow(**values))
    return copies


def related_stories(store: Store, story_id: str) -> list[tuple[str, float, str | None]]:
    """Related story ids, their scores and titles, best first."""
    rows = store.connection.execute(
        "SELECT l.related_id, l.score, s.title FROM story_links l "
        "JOIN stories s ON s.id = l.related_id WHERE l.story_id = ? "
        "ORDER BY l.score DESC, l.related_id",
        (story_id,),
    ).fetchall()
    return [(str(row[0]), float(row[1]), row[2]) for row in rows]


def article_sightings(store: Store, article_id: str) -> list[tuple[str | None, str | None, str]]:
    """Each sighting of the article's text (its own URL and each exact copy): URL (else the
    source path), site and when it was collected, first seen first."""
    return [
        (row[0], row[1], row[2])
        for row in store.connection.execute(
            "SELECT coalesce(url, canonical_url, locator), site, collected FROM story_copies "
            "WHERE article_id = ? ORDER BY id",
            (article_id,),
        )
    ]


def story_id_of(store: Store, article_id: str) -> str | None:
    row = store.connection.execute(
        "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def articles_without_story(store: Store, after_seq: int, limit: int) -> list[tuple[int, str]]:
    """``(seq, id)`` of stored articles that have no story yet, in ingestion order after
    ``after_seq``: articles stored before stories existed."""
    rows = store.connection.execute(
        "SELECT a.seq, a.id FROM articles AS a"
        " WHERE a.seq > ? AND NOT EXISTS"
        " (SELECT 1 FROM story_articles AS m WHERE m.article_id = a.id)"
        " ORDER BY a.seq LIMIT ?",
        (after_seq, limit),
    ).fetchall()
    return [(int(row[0]), str(row[1])) for row in rows]
