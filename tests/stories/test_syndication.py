"""End to end: the seed's story on five sites is one story with five copies and one set of
events; another account of the same event joins it as a member; other articles do not."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.stories.syndication import (
    SAME_EVENT,
    UNRELATED,
    WEEKS_LATER,
    copy_documents,
    document,
)
from wirewatch.model import Article, RawDocument
from wirewatch.run.ingest import IngestSummary, ingest_documents
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.stories import list_stories, story_id_of
from wirewatch.stories.keys import event_key, quote_key, same_sentence, sentence_words
from wirewatch.stories.view import StoryView, story_view


def inputs() -> list[RawDocument]:
    return [
        *copy_documents(),
        document(*SAME_EVENT),
        document(*UNRELATED),
        document(*WEEKS_LATER, published="2017-08-03"),
    ]


def story_ids(store: Store) -> dict[str, str | None]:
    urls = [doc.url for doc in inputs()]
    found = {}
    for url in urls:
        row = store.connection.execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchone()
        found[str(url)] = story_id_of(store, row[0])
    return found


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, IngestSummary]]:
    path = tmp_path_factory.mktemp("stories") / "news.db"
    with Store.open(path) as store:
        yield store, ingest_documents(inputs(), store, Settings())


@pytest.fixture(scope="module")
def seed_story(ingested: tuple[Store, IngestSummary]) -> StoryView:
    store, _ = ingested
    story = story_id_of(store, copy_documents()[0].content and _id_of(store, 0))
    assert story is not None
    view = story_view(store, story)
    assert view is not None
    return view


def _id_of(store: Store, index: int) -> str:
    url = copy_documents()[index].url
    return str(
        store.connection.execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchone()[0]
    )


def test_five_copies_and_a_second_account_are_one_story(
    ingested: tuple[Store, IngestSummary], seed_story: StoryView
) -> None:
    store, summary = ingested
    assert summary.added == 8 and not summary.failures
    ids = story_ids(store)
    copies = [doc.url for doc in copy_documents()]
    assert {ids[str(url)] for url in copies} == {seed_story.summary.id}
    assert seed_story.summary.id == "s-" + _id_of(store, 0)
    assert ids[SAME_EVENT[0]] == seed_story.summary.id
    assert ids[UNRELATED[0]] not in (seed_story.summary.id, None)
    assert ids[WEEKS_LATER[0]] not in (seed_story.summary.id, None)
    assert len(list_stories(store)) == 3

    assert seed_story.summary.copies == 6  # five copies of the wire text, one second account
    assert seed_story.summary.members == 2
    relations = sorted(copy.relation for copy in seed_story.copies)
    assert relations == ["near", "near", "near", "original", "original", "truncated"]
    by_url = {copy.url: copy for copy in seed_story.copies}
    truncated = by_url[copies[2]]
    assert truncated.relation == "truncated"
    assert truncated.containment == 1.0 and truncated.chars_delta is not None
    assert truncated.chars_delta < -1000
    assert all(by_url[url].headline_differs for url in copies[1:])
    member = next(m for m in seed_story.members if m.score is not None)
    assert member.copy_of is None and member.relation == "original"
    assert all(m.copy_of == _id_of(store, 0) for m in seed_story.members[1:] if m.score is None)


def test_the_seed_events_and_quotes_are_counted_once_with_every_copy_behind_them(
    ingested: tuple[Store, IngestSummary], seed_story: StoryView
) -> None:
    store, _ = ingested
    lead = store.get_article(_id_of(store, 0))
    assert lead is not None and lead.events
    keys = [event_key(event.record.event) for event in seed_story.events]
    assert len(keys) == len(set(keys))
    visit = next(
        e
        for e in seed_story.events
        if e.record.event.cameo == "042" and e.record.event.source[0].name == "Jens Stoltenberg"
    )
    # Stated in the lead sentence, which every copy has (the second account says "met").
    copy_ids = {_id_of(store, index) for index in range(5)}
    assert {p.article_id for p in visit.provenance} >= copy_ids
    assert visit.copies >= 5
    for evidence in visit.provenance:
        assert "Kiev" in evidence.sentence_text
    quotes = [
        q for q in seed_story.quotes if q.record.quote.text.startswith("Russia must withdraw")
    ]
    assert len(quotes) == 1
    assert quotes[0].copies == 5  # all five copies have it; the second account words it otherwise


def sentences_of(article: Article) -> list[tuple[str, ...]]:
    return [sentence_words(article.text[s.start : s.end]) for s in article.sentences]


def test_the_five_copies_give_exactly_the_leads_events_each_with_every_copy_that_has_it(
    ingested: tuple[Store, IngestSummary], seed_story: StoryView
) -> None:
    store, _ = ingested
    lead_id = _id_of(store, 0)
    lead = store.get_article(lead_id)
    assert lead is not None and lead.events
    copies = [store.get_article(_id_of(store, index)) for index in range(5)]
    copy_sentences = {a.id: sentences_of(a) for a in copies if a is not None}
    assert len(copy_sentences) == 5
    # Every story event the copies state: all but those only the second account states.
    from_copies = [
        event
        for event in seed_story.events
        if any(p.article_id in copy_sentences for p in event.provenance)
    ]
    assert len(from_copies) == len(lead.events)
    assert Counter(event_key(e.record.event) for e in from_copies) == Counter(
        event_key(e) for e in lead.events
    )
    lead_sentences = sentences_of(lead)
    for event in from_copies:
        assert event.record.article_id == lead_id  # the lead's coding stands
        sentence = lead_sentences[event.record.event.sentence]
        having = {
            key
            for key, found in copy_sentences.items()
            if any(same_sentence(sentence, other) for other in found)
        }
        stated = {p.article_id for p in event.provenance}
        assert stated & set(copy_sentences) == having, event.record.event
    # The truncated copy lacks the later sentences, so some events have four copies behind them.
    truncated = _id_of(store, 2)
    assert any(truncated not in {p.article_id for p in e.provenance} for e in from_copies)
    # Quotes likewise: one per quote of the lead, the lead's record, every copy that has it.
    quoted = [
        quote
        for quote in seed_story.quotes
        if any(p.article_id in copy_sentences for p in quote.provenance)
    ]
    assert Counter(quote_key(q.record.quote) for q in quoted) == Counter(
        quote_key(q) for q in lead.quotes
    )
    assert all(q.record.article_id == lead_id for q in quoted)


def test_reingesting_changes_nothing_and_a_fresh_store_gives_the_same_ids(
    ingested: tuple[Store, IngestSummary], tmp_path: Path
) -> None:
    store, _ = ingested
    before = story_ids(store)
    again = ingest_documents(inputs(), store, Settings(), stages="extract")
    assert (again.added, again.copies, again.duplicates) == (0, 0, 8)
    assert story_ids(store) == before
    with Store.open(tmp_path / "fresh.db") as fresh:
        ingest_documents(inputs(), fresh, Settings())
        assert story_ids(fresh) == before
