"""Adding and reading articles: round trips, idempotence, atomicity, ids and streaming."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from tests.store.builders import (
    NATO_CANONICAL,
    NATO_URL,
    dump_tables,
    nato_article,
    short_article,
)
from wirewatch.errors import StoreError, UsageError
from wirewatch.model import Article, Entity
from wirewatch.store import AddResult, Store, rows
from wirewatch.store import store as store_module


def test_an_article_comes_back_equal_with_its_annotations(store: Store) -> None:
    article = nato_article()
    assert store.add_article(article) is AddResult.ADDED

    stored = store.get_article(article.id)

    assert stored == article
    assert stored is not None
    stoltenberg = stored.entities[6]
    assert stored.text[stoltenberg.start : stoltenberg.end] == "Stoltenberg"
    assert stoltenberg.canonical == "Jens Stoltenberg"
    sentence = stored.sentences[stoltenberg.sentence]
    assert stored.text[sentence.start : sentence.end].startswith('"Russia has maintained')
    assert [d.reason for d in stored.dropped] == ["teaser", "related_links", "syndication_footer"]
    assert stored.metadata["note"] == "Київ"


def test_an_article_with_nothing_but_text_round_trips(store: Store) -> None:
    article = short_article("Ukraine's parliament voted to back NATO membership.")
    store.add_article(article)
    assert store.get_article(article.id) == article


def test_counts_report_what_was_stored(store: Store) -> None:
    store.add_article(nato_article())
    assert store.counts() == {
        "articles": 1,
        "sites": 1,
        "entities": 11,
        "dropped_lines": 3,
        "failures": 0,
    }


def test_adding_the_same_url_again_changes_nothing(store: Store, store_target: str) -> None:
    original = nato_article()
    store.add_article(original)
    before = dump_tables(store_target)

    updated = nato_article(
        text=original.text + "\nUpdated with comment from Moscow.", title="Updated title"
    )
    assert store.add_article(updated) is AddResult.DUPLICATE_URL
    assert store.add_article(original) is AddResult.DUPLICATE_URL

    assert dump_tables(store_target) == before
    assert store.get_article(original.id) == original
    assert store.get_article(updated.id) is None


def test_a_url_matching_a_stored_canonical_url_is_a_duplicate(store: Store) -> None:
    store.add_article(nato_article())
    mirror = short_article("The same story, fetched from its canonical address.", NATO_CANONICAL)
    assert store.add_article(mirror) is AddResult.DUPLICATE_URL


def test_a_canonical_url_matching_a_stored_url_is_a_duplicate(store: Store) -> None:
    store.add_article(short_article("The blog's copy of the story.", NATO_URL))
    copy = short_article(
        "The wire service's copy of the story.",
        "https://www.afp.com/en/news/nato-chief-ukraine?utm_source=feed",
        canonical_url=NATO_URL,
    )
    assert store.add_article(copy) is AddResult.DUPLICATE_URL
    assert store.counts()["articles"] == 1


def test_the_same_content_under_a_new_url_is_a_duplicate(store: Store, store_target: str) -> None:
    original = nato_article()
    store.add_article(original)
    before = dump_tables(store_target)

    # Case and spacing do not make new content: Article.id ignores them.
    syndicated = nato_article(
        text="  " + original.text.upper().replace(" ", "   "),
        url="https://www.ukrweekly.example/nato-chief",
        canonical_url=None,
        site="Ukrainian Weekly",
    )
    assert syndicated.id == original.id
    assert store.add_article(syndicated) is AddResult.DUPLICATE_CONTENT
    assert dump_tables(store_target) == before
    assert store.get_article(original.id) == original


def test_articles_without_urls_are_deduplicated_by_content_only(store: Store) -> None:
    first = short_article("Poroshenko told journalists Ukraine was determined to reform.")
    second = short_article("Peskov said NATO expansion would not bring stability.")
    assert store.add_article(first) is AddResult.ADDED
    assert store.add_article(second) is AddResult.ADDED
    assert store.add_article(replace(first, source="again.txt")) is AddResult.DUPLICATE_CONTENT
    assert store.counts()["articles"] == 2


def test_one_site_row_per_host_named_by_the_first_article_that_knows_it(
    store: Store, store_target: str
) -> None:
    store.add_article(short_article("Unnamed story.", "https://WWW.SpaceWar.com/a.html"))
    store.add_article(nato_article())  # same host, says the site is "Space War"
    store.add_article(short_article("Third.", "https://www.spacewar.com/c.html", site="SW"))
    assert dump_tables(store_target)["sites"] == [(1, "www.spacewar.com", "Space War")]
    # Each article keeps the site name it gave itself.
    assert [a.site for a in store.iter_articles()] == [None, "Space War", "SW"]


def test_a_batch_is_added_in_one_go_with_duplicates_inside_it_found(store: Store) -> None:
    first = nato_article()
    results = store.add_articles(
        [
            first,
            short_article("Different text, same page.", NATO_URL),
            replace(first, url="https://elsewhere.example/x", canonical_url=None),
            short_article("Tillerson urged Moscow to take the first step."),
        ]
    )
    assert results == [
        AddResult.ADDED,
        AddResult.DUPLICATE_URL,
        AddResult.DUPLICATE_CONTENT,
        AddResult.ADDED,
    ]
    assert store.counts()["articles"] == 2


def broken_entity(article: Article) -> Article:
    """The article with one entity that cannot be stored (no text), after the good ones."""
    bad = Entity(None, "PERSON", 0, 4, "NATO", 0)  # type: ignore[arg-type]
    return replace(article, entities=[*article.entities, bad])


def test_an_article_that_fails_mid_write_leaves_no_rows(store: Store, store_target: str) -> None:
    article = broken_entity(nato_article())
    before = dump_tables(store_target)

    with pytest.raises(StoreError) as caught:
        store.add_article(article)

    assert article.id in caught.value.message
    assert dump_tables(store_target) == before
    assert store.get_article(article.id) is None
    assert store.search("Stoltenberg") == []
    # The store is usable afterwards, and the article can be added once it is fixed.
    assert store.add_article(nato_article()) is AddResult.ADDED


def test_a_batch_with_one_bad_article_stores_none_of_the_batch(
    store: Store, store_target: str
) -> None:
    good = short_article("Tillerson urged Moscow to take the first step.", "https://a.example/1")
    before = dump_tables(store_target)
    with pytest.raises(StoreError):
        store.add_articles([good, broken_entity(nato_article())])
    assert dump_tables(store_target) == before
    assert store.get_article(good.id) is None


def test_an_error_outside_sqlite_mid_write_also_leaves_no_rows(
    store: Store, store_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(article_id: str, article: Article) -> list[rows.DroppedRow]:
        raise RuntimeError("disk controller on fire")

    monkeypatch.setattr(rows, "dropped_rows", fail)
    before = dump_tables(store_target)
    with pytest.raises(RuntimeError, match="on fire"):
        store.add_article(nato_article())
    assert dump_tables(store_target) == before


def test_metadata_that_is_not_json_is_refused_with_the_article_named(store: Store) -> None:
    article = nato_article(metadata={"fetched": object()})
    with pytest.raises(StoreError, match=f"cannot store article {article.id}"):
        store.add_article(article)
    assert store.counts()["articles"] == 0


def test_an_article_is_found_by_a_prefix_of_its_id(store: Store) -> None:
    article = nato_article()
    store.add_article(article)
    assert store.get_article(article.id[:6]) == article
    assert store.get_article(article.id[:10].upper()) == article
    assert store.get_article("ffffffffffffffff") is None
    assert store.get_article("not-an-id") is None


def test_a_too_short_id_prefix_is_a_usage_error(store: Store) -> None:
    with pytest.raises(UsageError, match="at least 6 characters"):
        store.get_article("3ed97")


def two_texts_sharing_an_id_prefix() -> tuple[str, str]:
    seen: dict[str, str] = {}
    for n in itertools.count():
        text = f"Wire story number {n}."
        prefix = short_article(text).id[:6]
        if prefix in seen:
            return seen[prefix], text
        seen[prefix] = text
    raise AssertionError("unreachable")


def test_an_ambiguous_id_prefix_is_refused(store: Store) -> None:
    first, second = (short_article(text) for text in two_texts_sharing_an_id_prefix())
    store.add_articles([first, second])  # built once: each build stamps fetched_at with now
    prefix = first.id[:6]
    with pytest.raises(StoreError, match="ambiguous") as caught:
        store.get_article(prefix)
    assert caught.value.code == "ambiguous_id"
    assert store.get_article(second.id) == second


def test_articles_stream_in_the_order_they_were_added(store: Store) -> None:
    texts = [f"Story {n} about the NATO summit." for n in range(450)]  # more than one page
    store.add_articles(short_article(text) for text in reversed(texts[:300]))
    store.add_articles(short_article(text) for text in reversed(texts[300:]))

    streamed = [article.text for article in store.iter_articles()]

    assert streamed == list(reversed(texts[:300])) + list(reversed(texts[300:]))


def test_writing_while_streaming_is_allowed(store: Store) -> None:
    store.add_articles(short_article(f"Story {n}.") for n in range(3))
    seen = []
    for article in store.iter_articles():
        seen.append(article.text)
        store.add_article(short_article(article.text + " Update."))
        if len(seen) == 5:
            break
    assert seen == ["Story 0.", "Story 1.", "Story 2.", "Story 0. Update.", "Story 1. Update."]


def test_since_keeps_only_articles_added_at_or_after_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "utc_now", lambda: "2024-05-01T10:00:00+00:00")
    store.add_article(short_article("Added on the first."))
    monkeypatch.setattr(store_module, "utc_now", lambda: "2024-05-02T08:00:00+00:00")
    store.add_article(short_article("Added on the second."))

    def since(moment: str) -> list[str]:
        return [article.text for article in store.iter_articles(since=moment)]

    assert since("2024-05-02") == ["Added on the second."]
    # 12:00 in Kyiv is 10:00 UTC: the first article was added exactly then.
    assert since("2024-05-01T13:00:00+03:00") == ["Added on the first.", "Added on the second."]
    assert since("2024-05-01T10:00:01Z") == ["Added on the second."]
    assert since("2024-05-03") == []
    with pytest.raises(UsageError, match="not an ISO 8601 date"):
        store.iter_articles(since="last tuesday")  # refused before any iteration
