"""One story as a reader sees it: its copies, members, related stories, and its events and
quotes counted once each, with every article, sentence and copy behind them as provenance.

Events and quotes are grouped by ``keys.event_key`` and ``keys.quote_key`` over all the
story's articles; the first article (in the order stored) that states one gives the record
shown, and every article that states it is listed with the event's or quote's index, sentence,
offsets and the URLs at which that article's text was seen (its copies).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from wirewatch.errors import UsageError
from wirewatch.serialize import event_to_dict, quote_to_dict
from wirewatch.store import Store, StoredEvent, StoredQuote
from wirewatch.store.annotations import stored_events, stored_quotes
from wirewatch.store.stories import (
    STORY_PREFIX,
    CopyRow,
    MemberRow,
    StorySummary,
    find_story_id,
    related_stories,
    story_copies,
    story_members,
    story_summary,
)
from wirewatch.stories.keys import event_key, quote_key

_IN_STORY = "{t}.article_id IN (SELECT article_id FROM story_articles WHERE story_id = :story)"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where one article states a story-level event or quote, and where that text was seen."""

    article_id: str
    index: int  # the event's (or quote's) index in the article
    sentence: int
    start: int
    end: int
    sentence_text: str
    copies: tuple[str, ...]  # URLs (or sources) of every sighting of this article's text


@dataclass(slots=True)
class StoryEvent:
    """An event counted once per story, with every article and copy that states it."""

    record: StoredEvent
    provenance: list[Evidence] = field(default_factory=list)

    @property
    def copies(self) -> int:
        return sum(len(evidence.copies) for evidence in self.provenance)


@dataclass(slots=True)
class StoryQuote:
    """A quote counted once per story, with every article and copy that reports it."""

    record: StoredQuote
    provenance: list[Evidence] = field(default_factory=list)

    @property
    def copies(self) -> int:
        return sum(len(evidence.copies) for evidence in self.provenance)


@dataclass(frozen=True, slots=True)
class StoryView:
    """Everything ``wirewatch show s-...`` prints."""

    summary: StorySummary
    members: list[MemberRow]
    copies: list[CopyRow]
    related: list[tuple[str, float, str | None]]
    events: list[StoryEvent]
    quotes: list[StoryQuote]


def is_story_id(value: str) -> bool:
    return value.strip().lower().startswith(STORY_PREFIX)


def story_view(store: Store, story_id: str) -> StoryView | None:
    """The story with this id (``s-`` + 16 hex digits, or a unique prefix of at least 6 of
    them), or None when there is none."""
    if not is_story_id(story_id):
        raise UsageError(f"{story_id!r} is not a story id (story ids start with {STORY_PREFIX})")
    key = find_story_id(store, story_id)
    summary = None if key is None else story_summary(store, key)
    if key is None or summary is None:
        return None
    copies = story_copies(store, key)
    seen_at: dict[str, list[str]] = defaultdict(list)
    for copy in copies:
        seen_at[copy.article_id].append(copy.url or copy.canonical_url or copy.locator)
    conn, params = store.connection, {"story": key}
    events: dict[Any, StoryEvent] = {}
    for stored in stored_events(conn, _IN_STORY.format(t="e"), params):
        found = events.setdefault(event_key(stored.event), StoryEvent(stored))
        event = stored.event
        found.provenance.append(
            Evidence(
                stored.article_id,
                stored.index,
                event.sentence,
                event.start,
                event.end,
                stored.sentence_text,
                tuple(seen_at.get(stored.article_id, ())),
            )
        )
    quotes: dict[Any, StoryQuote] = {}
    for stored_quote in stored_quotes(conn, _IN_STORY.format(t="q"), params):
        found_quote = quotes.setdefault(quote_key(stored_quote.quote), StoryQuote(stored_quote))
        quote = stored_quote.quote
        found_quote.provenance.append(
            Evidence(
                stored_quote.article_id,
                stored_quote.index,
                quote.sentence,
                quote.start,
                quote.end,
                stored_quote.sentence_text,
                tuple(seen_at.get(stored_quote.article_id, ())),
            )
        )
    return StoryView(
        summary=summary,
        members=story_members(store, key),
        copies=copies,
        related=related_stories(store, key),
        events=list(events.values()),
        quotes=list(quotes.values()),
    )


def summary_dict(summary: StorySummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "title": summary.title,
        "lead_article_id": summary.lead_article_id,
        "first_at": summary.first_at,
        "last_at": summary.last_at,
        "member_count": summary.members,
        "article_count": summary.articles,
        "copy_count": summary.copies,
        "site_count": summary.sites,
    }


def story_dict(view: StoryView) -> dict[str, Any]:
    """The story as the JSON object ``docs/schema.md`` describes."""
    return {
        **summary_dict(view.summary),
        "articles": [_member_dict(member) for member in view.members],
        "copies": [_copy_dict(copy) for copy in view.copies],
        "related": [
            {"id": related, "score": score, "title": title}
            for related, score, title in view.related
        ],
        "events": [
            {
                **event_to_dict(event.record.event),
                "copies": event.copies,
                "provenance": [_evidence_dict(e) for e in event.provenance],
            }
            for event in view.events
        ],
        "quotes": [
            {
                **quote_to_dict(quote.record.quote),
                "copies": quote.copies,
                "provenance": [_evidence_dict(e) for e in quote.provenance],
            }
            for quote in view.quotes
        ],
    }


def _member_dict(member: MemberRow) -> dict[str, Any]:
    return {
        "article_id": member.article_id,
        "copy_of": member.copy_of,
        "relation": member.relation,
        "similarity": member.similarity,
        "containment": member.containment,
        "headline_differs": member.headline_differs,
        "chars_delta": member.chars_delta,
        "words_delta": member.words_delta,
        "score": member.score,
        "at": member.at,
    }


def _copy_dict(copy: CopyRow) -> dict[str, Any]:
    return {
        "article_id": copy.article_id,
        "url": copy.url,
        "canonical_url": copy.canonical_url,
        "locator": copy.locator,
        "site": copy.site,
        "title": copy.title,
        "published": copy.published,
        "collected": copy.collected,
        "chars": copy.chars,
        "words": copy.words,
        "relation": copy.relation,
        "similarity": copy.similarity,
        "containment": copy.containment,
        "headline_differs": copy.headline_differs,
        "chars_delta": copy.chars_delta,
        "words_delta": copy.words_delta,
    }


def _evidence_dict(evidence: Evidence) -> dict[str, Any]:
    return {
        "article_id": evidence.article_id,
        "index": evidence.index,
        "sentence": evidence.sentence,
        "start": evidence.start,
        "end": evidence.end,
        "sentence_text": evidence.sentence_text,
        "copies": list(evidence.copies),
    }
