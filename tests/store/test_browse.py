"""Listings for the web UI (store/browse.py): filters, order, keyset pages, aggregates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.store.builders import nato_article
from tests.store.test_events_store import shelling_article
from wirewatch.errors import UsageError
from wirewatch.model import Article
from wirewatch.store import Store, browse, charts
from wirewatch.store.browse import (
    BrowseFilters,
    actor_names,
    latest_articles,
    list_events,
    search_articles,
)
from wirewatch.store.charts import event_places, events_per_day


def plain(n: int, published: str | None, site: str = "Daily Fjord") -> Article:
    return Article(
        text=f"Ferry number {n} sailed from Bergen on time.",
        source=f"t{n}",
        url=f"https://fjord.example/{n}",
        site=site,
        published=published,
    )


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_articles(
        [
            plain(1, "2024-05-01"),
            plain(2, None),
            plain(3, "2024-05-03T08:00:00+02:00", site="Other Post"),
            plain(4, "2024-05-02"),
            plain(5, "May 2024"),  # not ISO: sorts with the undated
        ]
    )
    return store


def test_latest_articles_come_latest_published_first_undated_last(filled: Store) -> None:
    page = latest_articles(filled.connection, BrowseFilters.parse(), limit=10)
    assert [item.published for item in page.items] == [
        "2024-05-03T08:00:00+02:00", "2024-05-02", "2024-05-01", "May 2024", None,
    ]  # fmt: skip
    assert page.next_cursor is None


def test_keyset_pages_cover_the_listing_once(filled: Store) -> None:
    every = latest_articles(filled.connection, BrowseFilters.parse(), limit=10).items
    seen, cursor = [], None
    while True:
        page = latest_articles(filled.connection, BrowseFilters.parse(), limit=2, cursor=cursor)
        seen += page.items
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == every
    # A newer article added meanwhile does not shift the pages after the first.
    first = latest_articles(filled.connection, BrowseFilters.parse(), limit=2)
    filled.add_article(plain(9, "2024-06-30"))
    second = latest_articles(filled.connection, BrowseFilters.parse(), 2, first.next_cursor)
    assert second.items == every[2:4]


def test_site_and_date_filters(filled: Store) -> None:
    by_site = latest_articles(filled.connection, BrowseFilters.parse(site="Other Post"))
    assert [item.site for item in by_site.items] == ["Other Post"]
    by_host = latest_articles(filled.connection, BrowseFilters.parse(site="fjord.example"))
    assert len(by_host.items) == 5
    may = latest_articles(filled.connection, BrowseFilters.parse(since="2024-05-02"))
    assert [item.published[:10] for item in may.items if item.published] == [
        "2024-05-03", "2024-05-02",
    ]  # fmt: skip


def test_event_filters_select_articles_and_events(store: Store) -> None:
    nato, shelling = nato_article(), shelling_article()
    store.add_articles([nato, replace(shelling, published="2014-06-05")])
    conn = store.connection
    assaults = latest_articles(conn, BrowseFilters.parse(plover="ASSAULT"))
    assert [item.id for item in assaults.items] == [shelling.id]
    quad = list_events(conn, BrowseFilters.parse(quad_class=4), limit=50)
    assert quad.items and {e.event.quad_class for e in quad.items} == {4}
    with pytest.raises(UsageError):
        BrowseFilters.parse(quad_class=5)
    days = events_per_day(conn, BrowseFilters.parse())
    assert all(day.quad_class in (1, 2, 3, 4) for day in days)
    assert sum(day.events for day in days) <= len(nato.events) + len(shelling.events)
    assert actor_names(conn, "RUS") or actor_names(conn, "RUSMIL") or actor_names(conn, "RUSGOV")
    places = event_places(conn, BrowseFilters.parse())
    assert all(p.lat is not None and p.lon is not None for p in places)


def test_events_page_latest_added_first_and_cursor_continues(store: Store) -> None:
    nato, shelling = nato_article(), shelling_article()
    store.add_articles([nato, shelling])
    conn = store.connection
    every = list_events(conn, BrowseFilters.parse(), limit=100).items
    assert every[0].article_id == shelling.id  # added last, listed first
    assert [e.index for e in every if e.article_id == shelling.id] == sorted(
        e.index for e in every if e.article_id == shelling.id
    )
    first = list_events(conn, BrowseFilters.parse(), limit=2)
    rest = list_events(conn, BrowseFilters.parse(), limit=100, cursor=first.next_cursor)
    assert first.items + rest.items == every


def test_search_pages_by_position(filled: Store) -> None:
    first = search_articles(filled.connection, "ferry", BrowseFilters.parse(), limit=3)
    assert len(first.items) == 3 and first.next_cursor is not None
    rest = search_articles(filled.connection, "ferry", BrowseFilters.parse(), 3, first.next_cursor)
    ids = [item.id for item in first.items + rest.items]
    assert len(ids) == len(set(ids)) == 5
    assert "\ue000Ferry\ue001" in first.items[0].snippet
    with pytest.raises(UsageError):
        search_articles(filled.connection, "ferry AND", BrowseFilters.parse())


def _search_pages(store: Store, words: str, filters: BrowseFilters) -> list[str]:
    seen, cursor = [], None
    while True:
        page = search_articles(store.connection, words, filters, 1, cursor)
        seen += [item.id for item in page.items]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_a_filtered_search_finds_matches_ranked_below_the_first_ones_it_tests(
    filled: Store, monkeypatch: pytest.MonkeyPatch, depth: int
) -> None:
    # A filtered search tests the SEARCH_DEPTH best matches first: the pages must be the
    # same however deep the filter's matches rank.
    other = BrowseFilters.parse(site="Other Post")
    fjord = BrowseFilters.parse(since="2024-05-02")
    every = [_search_pages(filled, "ferry", filters) for filters in (other, fjord)]
    assert [len(ids) for ids in every] == [1, 2]
    monkeypatch.setattr(browse, "SEARCH_DEPTH", depth)
    assert [_search_pages(filled, "ferry", filters) for filters in (other, fjord)] == every


def test_a_timeline_of_more_days_than_it_draws_is_counted_by_month(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    nato, shelling = nato_article(), shelling_article()
    store.add_articles([nato, replace(shelling, published="2014-06-05")])
    conn = store.connection
    by_day = events_per_day(conn, BrowseFilters.parse())
    assert len({row.day for row in by_day}) >= 2 and {row.unit for row in by_day} == {"day"}
    monkeypatch.setattr(charts, "MAX_TIMELINE_DAYS", 1)

    by_month = events_per_day(conn, BrowseFilters.parse())

    assert {row.unit for row in by_month} == {"month"}
    assert all(row.day.endswith("-01") for row in by_month)
    months = {row.day[:7] for row in by_day}
    assert {row.day[:7] for row in by_month} == months
    for month in months:  # nothing lost: each month holds its days' events, per quad class
        for quad in (1, 2, 3, 4):
            days = [row for row in by_day if row.day[:7] == month and row.quad_class == quad]
            folded = [r for r in by_month if r.day[:7] == month and r.quad_class == quad]
            assert sum(row.events for row in days) == sum(row.events for row in folded)
