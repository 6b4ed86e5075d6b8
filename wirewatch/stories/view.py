"""One story as a reader sees it: its copies, members, related stories, and its events and
quotes counted once each, with every article, sentence and copy behind them as provenance.

Within a copy group (an article and its near or truncated copies, ``story_articles.copy_of``)
an event of a copy stated in the same sentence as one already placed from the group (the lead
first), with the same CAMEO code and polarity, is that event whatever the copy's actor coding;
a quote of a copy with the same sentence and quoted words is that quote whoever its speaker
was resolved to (``keys.same_sentence``). Otherwise events and quotes are grouped by
``keys.event_key`` and ``keys.quote_key`` across the story's articles. The first article (in
the order stored; a group's lead comes before its copies) that states one gives the record
shown, and every article that states it is listed with the event's or quote's index,
sentence, offsets and the URLs at which that article's text was seen (its copies).
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
from wirewatch.stories.keys import event_key, quote_key, same_sentence, sentence_words

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


@dataclass(slots=True)
class Placed:
    """An event or quote already counted in a copy group, for the group's copies to match."""

    article_id: str
    words: tuple[str, ...]  # its sentence, as keys.sentence_words
    what: Any  # (CAMEO, polarity) of an event, the quoted words of a quote
    key: Any
    trigger: str | None
    target: StoryEvent | StoryQuote


class CopyGroups:
    """Places each event (or quote) of a story: in its copy group by sentence, else by key."""

    def __init__(self, members: list[MemberRow]) -> None:
        self._lead = {m.article_id: m.copy_of or m.article_id for m in members}
        self._placed: dict[str, list[Placed]] = defaultdict(list)
        self._claimed: dict[str, set[int]] = defaultdict(set)

    def place(
        self, article_id: str, entry: Placed, by_key: dict[Any, Any], new: StoryEvent | StoryQuote
    ) -> StoryEvent | StoryQuote:
        """The story-level event (quote) ``entry`` is, ``new`` when it is none seen yet."""
        group = self._placed[self._lead.get(article_id, article_id)]
        claimed = self._claimed[article_id]
        same = [
            (number, placed)
            for number, placed in enumerate(group)
            if placed.article_id != article_id
            and number not in claimed
            and placed.what == entry.what
            and same_sentence(placed.words, entry.words)
        ]
        if same:
            # One to one: the same key first, then the same trigger, then the first stated.
            number, placed = min(
                same, key=lambda p: (p[1].key != entry.key, p[1].trigger != entry.trigger, p[0])
            )
            claimed.add(number)
            entry.target = placed.target
        else:
            entry.target = by_key.setdefault(entry.key, new)
        group.append(entry)
        return entry.target


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
    members = story_members(store, key)
    conn, params = store.connection, {"story": key}
    groups = CopyGroups(members)
    events: dict[Any, StoryEvent] = {}
    for stored in stored_events(conn, _IN_STORY.format(t="e"), params):
        event = stored.event
        new = StoryEvent(stored)
        entry = Placed(
            stored.article_id,
            sentence_words(stored.sentence_text),
            (event.cameo, event.polarity),
            event_key(event),
            event.trigger,
            new,
        )
        found = groups.place(stored.article_id, entry, events, new)
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
        quote = stored_quote.quote
        new_quote = StoryQuote(stored_quote)
        key_of_quote = quote_key(quote)
        entry = Placed(
            stored_quote.article_id,
            sentence_words(stored_quote.sentence_text),
            key_of_quote[0],
            key_of_quote,
            None,
            new_quote,
        )
        found_quote = groups.place(stored_quote.article_id, entry, quotes, new_quote)
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
        members=members,
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
