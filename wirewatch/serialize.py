"""Articles and failures as the JSON objects that ``docs/schema.md`` defines.

Field names are a contract: new fields may be added, none renamed or removed without a new
``schema_version``.
"""

from __future__ import annotations

from typing import Any

from wirewatch.model import (
    SCHEMA_VERSION,
    Article,
    DroppedLine,
    Entity,
    Failure,
    Sentence,
)


def article_to_dict(article: Article, *, with_annotations: bool = True) -> dict[str, Any]:
    """The article as a JSON-ready dict; ``with_annotations=False`` leaves out NLP fields."""
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": article.id,
        "input_id": article.input_id,
        "source": article.source,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "site": article.site,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "fetched_at": article.fetched_at,
        "word_count": article.word_count,
        "text": article.text,
        "dropped": [dropped_to_dict(d) for d in article.dropped],
        "metadata": dict(article.metadata),
    }
    if with_annotations:
        out["sentences"] = [sentence_to_dict(s) for s in article.sentences]
        out["entities"] = [entity_to_dict(e) for e in article.entities]
    return out


def dropped_to_dict(line: DroppedLine) -> dict[str, Any]:
    return {"text": line.text, "reason": line.reason, "position": line.position}


def sentence_to_dict(sentence: Sentence) -> dict[str, Any]:
    return {"start": sentence.start, "end": sentence.end}


def entity_to_dict(entity: Entity) -> dict[str, Any]:
    return {
        "text": entity.text,
        "label": entity.label,
        "start": entity.start,
        "end": entity.end,
        "canonical": entity.canonical,
        "sentence": entity.sentence,
    }


def failure_to_dict(failure: Failure) -> dict[str, Any]:
    return {
        "source": failure.source,
        "input_id": failure.input_id,
        "stage": failure.stage,
        "code": failure.code,
        "message": failure.message,
        "time": failure.time,
    }


def article_from_dict(data: dict[str, Any]) -> Article:
    """The inverse of ``article_to_dict``, for reading exports and the store back."""
    return Article(
        text=data["text"],
        source=data.get("source") or "",
        url=data.get("url"),
        canonical_url=data.get("canonical_url"),
        site=data.get("site"),
        title=data.get("title"),
        author=data.get("author"),
        published=data.get("published"),
        language=data.get("language"),
        fetched_at=data.get("fetched_at") or "",
        input_id=data.get("input_id"),
        dropped=[DroppedLine(**d) for d in data.get("dropped", [])],
        sentences=[Sentence(**s) for s in data.get("sentences", [])],
        entities=[Entity(**e) for e in data.get("entities", [])],
        metadata=dict(data.get("metadata") or {}),
    )
