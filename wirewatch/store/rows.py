"""Articles and failures as table rows, and back, for the SQLite store.

Only conversion lives here, no SQL: the store decides what to write and when. What goes in
comes back out equal: ``article_from_rows(*rows of article) == article``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Any, cast
from urllib.parse import urlsplit

from wirewatch.errors import StoreError
from wirewatch.model import (
    Article,
    DroppedLine,
    Entity,
    Failure,
    Sentence,
    Stage,
    normalise_for_hash,
)

SentenceRow = tuple[str, int, int, int]
EntityRow = tuple[str, int, str, str, int, int, str, int]
DroppedRow = tuple[str, int, int, str, str]


def site_host(article: Article) -> str | None:
    """The host that names the article's site: from its URL, else its canonical URL.

    The URL it was read from comes first because ``Article.site`` (the page's own site name)
    describes that page. Hosts are lower case; a URL without a host gives ``None``.
    """
    for url in (article.url, article.canonical_url):
        if url:
            try:
                host = urlsplit(url).hostname
            except ValueError:  # a malformed URL (bad IPv6 literal, ...) names no host
                host = None
            if host:
                return host
    return None


def content_hash(article: Article) -> str:
    """The full SHA-256 of the normalised text; ``Article.id`` is its first 16 hex digits."""
    return hashlib.sha256(normalise_for_hash(article.text).encode("utf-8")).hexdigest()


ARTICLE_COLUMNS = (
    "id",
    "url",
    "canonical_url",
    "site_id",
    "site",
    "title",
    "author",
    "published",
    "language",
    "fetched_at",
    "source",
    "input_id",
    "text",
    "word_count",
    "content_hash",
    "metadata",
    "ingested_at",
)


def article_values(
    article_id: str, article: Article, site_id: int | None, ingested_at: str
) -> dict[str, Any]:
    """Named values for an ``INSERT INTO articles``: one per ``ARTICLE_COLUMNS`` (not ``seq``).

    ``article_id`` is ``article.id``, computed once by the caller: it hashes the whole text.
    """
    return {
        "id": article_id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "site_id": site_id,
        "site": article.site,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "fetched_at": article.fetched_at,
        "source": article.source,
        "input_id": article.input_id,
        "text": article.text,
        "word_count": article.word_count,
        "content_hash": content_hash(article),
        "metadata": _metadata_json(article_id, article),
        "ingested_at": ingested_at,
    }


def _metadata_json(article_id: str, article: Article) -> str:
    try:
        return json.dumps(article.metadata, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"cannot store article {article_id} ({article.source}): metadata is not JSON: {exc}",
            code="bad_metadata",
        ) from exc


def sentence_rows(article_id: str, article: Article) -> list[SentenceRow]:
    return [(article_id, i, s.start, s.end) for i, s in enumerate(article.sentences)]


def entity_rows(article_id: str, article: Article) -> list[EntityRow]:
    return [
        (article_id, i, e.text, e.label, e.start, e.end, e.canonical, e.sentence)
        for i, e in enumerate(article.entities)
    ]


def dropped_rows(article_id: str, article: Article) -> list[DroppedRow]:
    return [(article_id, i, d.position, d.reason, d.text) for i, d in enumerate(article.dropped)]


def article_from_rows(
    row: sqlite3.Row,
    sentences: Iterable[sqlite3.Row],
    entities: Iterable[sqlite3.Row],
    dropped: Iterable[sqlite3.Row],
) -> Article:
    """The article an ``articles`` row and its child rows (each in ``idx`` order) hold."""
    return Article(
        text=row["text"],
        source=row["source"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        site=row["site"],
        title=row["title"],
        author=row["author"],
        published=row["published"],
        language=row["language"],
        fetched_at=row["fetched_at"],
        input_id=row["input_id"],
        dropped=[
            DroppedLine(text=d["text"], reason=d["reason"], position=d["position"]) for d in dropped
        ],
        sentences=[Sentence(start=s["start"], end=s["end"]) for s in sentences],
        entities=[
            Entity(
                text=e["text"],
                label=e["label"],
                start=e["start"],
                end=e["end"],
                canonical=e["canonical"],
                sentence=e["sentence"],
            )
            for e in entities
        ],
        metadata=json.loads(row["metadata"]),
    )


def failure_values(failure: Failure) -> dict[str, Any]:
    return {
        "source": failure.source,
        "input_id": failure.input_id,
        "stage": failure.stage,
        "code": failure.code,
        "message": failure.message,
        "time": failure.time,
    }


def failure_from_row(row: sqlite3.Row) -> Failure:
    return Failure(
        source=row["source"],
        # The stage column only ever receives a Failure's stage, so it is one of Stage's values.
        stage=cast(Stage, row["stage"]),
        code=row["code"],
        message=row["message"],
        time=row["time"],
        input_id=row["input_id"],
    )
