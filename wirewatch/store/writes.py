"""Writing one article with all its rows, after checking it is not stored already."""

from __future__ import annotations

from wirewatch.errors import StoreError
from wirewatch.model import Article
from wirewatch.store import rows
from wirewatch.store.annotations import insert_annotations
from wirewatch.store.backends import Connection, DatabaseError
from wirewatch.store.records import AddResult

_INSERT_ARTICLE = (
    f"INSERT INTO articles (seq, {', '.join(rows.ARTICLE_COLUMNS)}) "
    "VALUES ({seq}, "
    f"{', '.join(':' + column for column in rows.ARTICLE_COLUMNS)})"
)
_INSERT_SITE = (
    "INSERT INTO sites (host, name) VALUES (?, ?) "
    "ON CONFLICT (host) DO UPDATE SET name = coalesce(sites.name, excluded.name) "
    "RETURNING id"
)
_INSERT_SENTENCE = "INSERT INTO sentences (article_id, idx, start, end) VALUES (?, ?, ?, ?)"
_INSERT_ENTITY = (
    "INSERT INTO entities (article_id, idx, text, label, start, end, canonical, sentence) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_DROPPED = (
    "INSERT INTO dropped_lines (article_id, idx, position, reason, text) VALUES (?, ?, ?, ?, ?)"
)


def insert_article(conn: Connection, article: Article, ingested_at: str) -> AddResult:
    article_id = article.id  # hashes the whole text: compute it once, not once per row
    duplicate = duplicate_kind(conn, article_id, article)
    if duplicate is not None:
        return duplicate
    try:
        site_id = _site_id(conn, article)
        conn.execute(
            _INSERT_ARTICLE.format(seq=conn.backend.next_article_seq()),
            rows.article_values(article_id, article, site_id, ingested_at),
        )
        conn.executemany(_INSERT_SENTENCE, rows.sentence_rows(article_id, article))
        conn.executemany(_INSERT_ENTITY, rows.entity_rows(article_id, article))
        conn.executemany(_INSERT_DROPPED, rows.dropped_rows(article_id, article))
        insert_annotations(conn, article_id, article)
    except DatabaseError as exc:
        raise StoreError(f"cannot store article {article_id} ({article.source}): {exc}") from exc
    return AddResult.ADDED


def duplicate_kind(conn: Connection, article_id: str, article: Article) -> AddResult | None:
    """Why ``article`` is already stored, or ``None`` when it is new."""
    urls = [url for url in (article.url, article.canonical_url) if url is not None]
    if urls:
        marks = ", ".join("?" for _ in urls)
        found = conn.execute(
            f"SELECT 1 FROM articles WHERE url IN ({marks}) OR canonical_url IN ({marks})",
            urls + urls,
        ).fetchone()
        if found is not None:
            return AddResult.DUPLICATE_URL
    found = conn.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
    if found is None:
        return None
    if found[0] != rows.content_hash(article):  # pragma: no cover - a 64-bit hash collision
        raise StoreError(
            f"article {article_id} ({article.source}) has the id of a different stored article",
            code="id_collision",
        )
    return AddResult.DUPLICATE_CONTENT


def _site_id(conn: Connection, article: Article) -> int | None:
    host = rows.site_host(article)
    if host is None:
        return None
    return int(conn.execute(_INSERT_SITE, (host, article.site)).fetchone()[0])
