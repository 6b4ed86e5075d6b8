"""One story as a reader sees it: its copies, members, related stories, and its events and
quotes counted once each, with every article, sentence and copy behind them as provenance
(grouped as ``stories.records`` says).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wirewatch.errors import UsageError
from wirewatch.headlines import dated_at
from wirewatch.serialize import event_to_dict, quote_to_dict
from wirewatch.store import Store
from wirewatch.store.stories import (
    STORY_PREFIX,
    CopyRow,
    MemberRow,
    StorySummary,
    find_story_id,
    related_stories,
    story_summary,
)
from wirewatch.stories.records import Evidence, StoryEvent, StoryQuote, group_story


@dataclass(frozen=True, slots=True)
class StoryView:
    """Everything ``wirewatch show s-...`` prints."""

    summary: StorySummary
    members: list[MemberRow]
    copies: list[CopyRow]
    related: list[tuple[str, float, str | None]]
    events: list[StoryEvent]
    quotes: list[StoryQuote]

    @property
    def original(self) -> str | None:
        """The locator of the story's original: see ``original_locator``."""
        return original_locator(self.copies)


def original_locator(copies: list[CopyRow]) -> str | None:
    """The locator of the earliest dated copy (the first seen among equally early ones), or
    of the first copy seen when none is dated: the story's original, whichever text was
    stored first (an undated blog repost ingested before the agency's copies is not it)."""
    dated = [
        (moment, index, copy.locator)
        for index, copy in enumerate(copies)
        if (moment := dated_at(copy.published)) is not None
    ]
    if dated:
        return min(dated)[2]
    return copies[0].locator if copies else None


def relation_label(copy: CopyRow, original: str | None) -> str:
    """How a copy is shown: ``original`` for the story's original, the stored relation to its
    copy group's lead otherwise (``first stored`` for the lead's own sighting)."""
    relation = "first stored" if copy.relation == "original" else copy.relation
    if copy.locator != original:
        return relation
    return "original" if relation == "first stored" else f"original; {relation}"


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
    grouped = group_story(store, key)
    return StoryView(
        summary=summary,
        members=grouped.members,
        copies=grouped.copies,
        related=related_stories(store, key),
        events=grouped.events,
        quotes=grouped.quotes,
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
        "copies": [
            {**_copy_dict(copy), "original": copy.locator == view.original} for copy in view.copies
        ],
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
