"""The events table on both backends: sorted from a whitelist, paged both ways by offset, its
totals and facet counts counted as the listing lists (each story-level event once), and its
JSON and CSV links giving exactly the rows shown; search results grouped by story."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

EVERY = {"limit": 200}


def keys(items: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(item["article_id"], item["event_index"]) for item in items]


def test_sorting_orders_every_row(client: TestClient) -> None:
    up = client.get("/api/events", params=EVERY | {"sort": "goldstein"}).json()["items"]
    down = client.get("/api/events", params=EVERY | {"sort": "-goldstein"}).json()["items"]
    every = client.get("/api/events", params=EVERY).json()["items"]
    assert sorted(keys(up)) == sorted(keys(every)) == sorted(keys(down))
    scores = [item["goldstein"] for item in up]
    assert scores == sorted(scores) and scores != scores[::-1]
    assert [item["goldstein"] for item in down] == sorted(scores, reverse=True)
    by_place = client.get("/api/events", params=EVERY | {"sort": "place"}).json()["items"]
    places = [item["location"]["name"] if item["location"] else None for item in by_place]
    named = [place for place in places if place is not None]
    assert named == sorted(named) and places[: len(named)] == named  # unknown places last


def test_offset_pages_go_both_ways_over_the_same_rows(client: TestClient) -> None:
    every = keys(client.get("/api/events", params=EVERY | {"sort": "date"}).json()["items"])
    pages = [
        keys(client.get("/api/events", params={"sort": "date", "limit": 7, "offset": at}).json()[
            "items"
        ])
        for at in range(0, len(every), 7)
    ]  # fmt: skip
    assert [key for page in pages for key in page] == every
    # The first page in the default order is the keyset listing's first page.
    first = client.get("/api/events", params={"limit": 7}).json()
    added = client.get("/api/events", params={"limit": 7, "offset": 0, "sort": "-added"})
    assert keys(first["items"]) == keys(added.json()["items"])
    assert first["next_cursor"] is not None


def test_bad_orders_and_mixed_paging_are_refused(client: TestClient) -> None:
    refused = client.get("/api/events", params={"sort": "e.goldstein"})
    assert refused.status_code == 400 and "not a column" in refused.json()["error"]["message"]
    cursor = client.get("/api/events", params={"limit": 2}).json()["next_cursor"]
    mixed = client.get("/api/events", params={"cursor": cursor, "sort": "goldstein"})
    assert mixed.status_code == 400
    assert client.get("/api/events", params={"offset": 10**6}).status_code == 400


def test_facet_counts_are_the_rows_a_click_lists(client: TestClient) -> None:
    every = client.get("/api/events", params=EVERY).json()["items"]
    page = client.get("/events").text
    total = int(re.search(r'<strong class="total">([\d,]+)</strong>', page)[1].replace(",", ""))
    assert total == len(every)  # each story-level event once, as the listing
    facets = re.findall(
        r'<a class="facet-value" href="([^"]+)">.*?</a> <span class="count">([\d,]+)</span>', page
    )
    assert len(facets) > 10
    for href, count in facets:
        url = unescape(href)
        assert url.startswith("/events?")
        listed = client.get("/api/events" + url.removeprefix("/events") + "&limit=200").json()
        assert len(listed["items"]) == int(count.replace(",", "")), url
    quads = re.findall(r'href="/events\?quad_class=(\d)">.*?<span class="count">(\d+)', page)
    assert sum(int(n) for _, n in quads) == total


def test_json_and_csv_links_give_exactly_the_rows_shown(client: TestClient) -> None:
    page = client.get("/events", params={"sort": "-goldstein", "limit": 5, "offset": 5}).text
    shown = re.findall(r'href="/articles/([0-9a-f]+)#s-(\d+)"', page)
    json_link = unescape(re.search(r'class="json-shown" href="([^"]+)"', page)[1])
    csv_link = unescape(re.search(r'class="csv-shown" href="([^"]+)"', page)[1])
    assert "sort=-goldstein" in json_link and "offset=5" in json_link and "limit=5" in json_link
    items = client.get(json_link).json()["items"]
    assert [(item["article_id"], str(item["sentence"])) for item in items] == shown
    rows = list(csv.DictReader(io.StringIO(client.get(csv_link).text)))
    assert len(rows) == len(items) == 5
    assert [float(row["goldstein"]) for row in rows] == [item["goldstein"] for item in items]
    assert 'rel="prev"' in page and 'rel="next"' in page


def test_sorting_headers_toggle_their_direction(client: TestClient) -> None:
    page = client.get("/events", params={"sort": "goldstein"}).text
    assert 'aria-sort="ascending"' in page
    assert 'href="/events?sort=-goldstein"' in page  # clicking again sorts descending
    assert "Goldstein ▲" in page


def test_search_results_are_grouped_by_story(client: TestClient) -> None:
    page = client.get("/search", params={"q": "Stoltenberg"}).text
    rows = page.split('<tr class="result-row">')[1:]
    assert rows
    linked = [re.search(r'href="/stories/(s-[0-9a-f]+)"', row) for row in rows]
    stories = [found[1] for found in linked if found]
    assert len(stories) == len(set(stories))  # each story once
    assert any(row.count('class="article-item"') > 1 for row in rows)  # copies together


def test_cursor_pages_link_back_to_the_first(client: TestClient) -> None:
    first = client.get("/articles", params={"limit": 3}).text
    assert 'rel="first"' not in first
    cursor = client.get("/api/articles", params={"limit": 3}).json()["next_cursor"]
    second = client.get("/articles", params={"limit": 3, "cursor": cursor}).text
    assert 'rel="first" href="/articles?limit=3"' in second and 'rel="next"' in second


def test_search_pages_go_both_ways(client: TestClient) -> None:
    first = client.get("/search", params={"since": "2017", "limit": 2}).text
    assert 'rel="prev"' not in first
    following = unescape(re.search(r'rel="next" href="([^"]+)"', first)[1])
    second = client.get(following).text
    back = unescape(re.search(r'rel="prev" href="([^"]+)"', second)[1])
    back_page = client.get(back).text  # the first page again
    assert 'rel="prev"' not in back_page
    rows = re.compile(
        r'<tr class="result-row">\s*<td[^>]*>(\d+)</td>\s*<td[^>]*><a[^>]*href="([^"]+)"'
    )
    assert rows.findall(back_page) == rows.findall(first) != rows.findall(second)
    assert [number for number, _ in rows.findall(second)] == ["3", "4"]


def test_totals_count_each_story_level_event_once(client: TestClient) -> None:
    """The seed's story states its events on four sites: counted once, every mention with
    per_mention=1, as the listings count them."""
    once = client.get("/events").text
    every = client.get("/events", params={"per_mention": "1"}).text
    pattern = r'<strong class="total">([\d,]+)</strong>'
    counted, mentions = (int(re.search(pattern, page)[1]) for page in (once, every))
    assert counted == len(client.get("/api/events", params=EVERY).json()["items"])
    assert mentions == len(
        client.get("/api/events", params=EVERY | {"per_mention": "1"}).json()["items"]
    )
    assert mentions > counted
    assert "each story-level event once" in once and "every mention" in every


def test_deep_default_pages_are_the_keyset_listings_rows(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the walked rows the default order is a slice of its kept keys: the same rows."""
    monkeypatch.setattr("wirewatch.web.table.WALKED_ROWS", 5)
    listed, cursor = [], None
    while True:
        params: dict[str, object] = {"limit": 4} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/events", params=params).json()
        listed += keys(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    paged = []
    for at in range(0, len(listed), 4):
        found = client.get("/events", params={"limit": 4, "offset": at}).text
        paged += [
            (a, int(s)) for a, s in re.findall(r'href="/articles/([0-9a-f]+)#s-(\d+)"', found)
        ]
    sentences = {
        (item["article_id"], item["event_index"]): item["sentence"]
        for item in client.get("/api/events", params=EVERY).json()["items"]
    }
    assert paged == [(article, sentences[(article, index)]) for article, index in listed]
