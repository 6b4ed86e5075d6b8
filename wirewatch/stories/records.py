"""A story's events and quotes counted once: which mentions are one record, and keeping the
story-level record tables (``store.story_records``) up to date as a story grows.

Within a copy group (an article and its near or truncated copies, ``story_articles.copy_of``)
an event of a copy stated in the same sentence as one already placed from the group (the lead
first), with the same CAMEO code and polarity, is that event whatever the copy's actor coding;
a quote of a copy with the same sentence and quoted words is that quote whoever its speaker
was resolved to (``keys.same_sentence``). Otherwise events and quotes are grouped by
``keys.event_key`` and ``keys.quote_key`` across the story's articles. The first article (in
the order stored; a group's lead comes before its copies) that states one gives the record,
and every article that states it is listed with the event's or quote's index, sentence,
offsets and the URLs at which that article's text was seen (its copies).

Counts follow GDELT 2.0: each sighting of a text (the article's own URL and each exact copy) is
a document; ``num_mentions`` counts mentions over documents, ``num_articles`` the documents with
a mention, ``num_sources`` their distinct sites (a sighting without a site counts as its host,
else as its own source).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from wirewatch.store import Store, StoredEvent, StoredQuote
from wirewatch.store.annotations import stored_events, stored_quotes
from wirewatch.store.stories import CopyRow, MemberRow, story_copies, story_members
from wirewatch.store.story_records import RecordRow, write_story_records
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
class StoryRecords:
    """A story's events and quotes, each once with its provenance, and where its texts were
    seen (article id -> its sightings)."""

    events: list[StoryEvent]
    quotes: list[StoryQuote]
    members: list[MemberRow]
    copies: list[CopyRow]


def group_story(store: Store, story_id: str) -> StoryRecords:
    """The story's events and quotes grouped into records (no write)."""
    copies = story_copies(store, story_id)
    seen_at: dict[str, list[str]] = defaultdict(list)
    for copy in copies:
        seen_at[copy.article_id].append(copy.url or copy.canonical_url or copy.locator)
    members = story_members(store, story_id)
    conn, params = store.connection, {"story": story_id}
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
    return StoryRecords(list(events.values()), list(quotes.values()), members, copies)


def refresh_story_records(store: Store, story_id: str) -> StoryRecords:
    """Group the story's events and quotes again and store them as its records."""
    grouped = group_story(store, story_id)
    sources = _sources_by_article(grouped.copies)
    write_story_records(
        store,
        story_id,
        [_record_row(record, sources) for record in grouped.events],
        [_record_row(record, sources, "quote") for record in grouped.quotes],
    )
    return grouped


def _record_row(
    record: StoryEvent | StoryQuote, sources: dict[str, list[str]], kind: str = "event"
) -> RecordRow:
    first = record.record
    sightings = {
        e.article_id: sources.get(e.article_id) or [e.article_id] for e in record.provenance
    }
    return RecordRow(
        article_id=first.article_id,
        index=first.index,
        mentions=[(e.article_id, e.index) for e in record.provenance],
        num_mentions=sum(len(sightings[e.article_id]) for e in record.provenance),
        num_articles=sum(len(seen) for seen in sightings.values()),
        num_sources=len({source for seen in sightings.values() for source in seen}),
        kind=kind,
    )


def _sources_by_article(copies: list[CopyRow]) -> dict[str, list[str]]:
    """Each article's sightings as the source (site) each came from, one entry per sighting."""
    found: dict[str, list[str]] = defaultdict(list)
    for copy in copies:
        host = urlsplit(copy.url).hostname if copy.url else None
        found[copy.article_id].append((copy.site or host or copy.locator).lower())
    return found
