"""The search results table, like the events table: a row per story, sortable columns from a
whitelist, totals and facet counts counted once per story as the rows are listed, pages both
ways by offset, and JSON and CSV of exactly the rows shown; on both backends."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

SEARCHES: list[dict[str, str]] = [
    {"q": "NATO"},
    {"q": "Kiev OR Kyiv"},
    {"q": "the"},
    {"since": "2017"},
    {"country": "UKR"},
    {"q": "said", "since": "2024"},
    {"q": "the", "quad_class": "4", "since": "2014"},  # dates compare the events' dates
    {"cameo": "04", "until": "2024-04"},
    {"speaker": "Peskov"},
]
ROW = re.compile(r'<tr class="result-row">\s*<td[^>]*>(\d+)</td>\s*<td[^>]*><a[^>]*href="([^"]+)"')
FACET = re.compile(r'<a class="facet-value" href="([^"]+)">[^<]*</a> <span class="count">([\d,]+)<')
TOTAL = re.compile(r'<strong class="total">([\d,]+)</strong> stor')


def table(client: TestClient, params: dict[str, Any]) -> dict[str, Any]:
    answer = client.get("/api/search", params={"offset": 0, "limit": 500, **params})
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


@pytest.mark.parametrize("params", SEARCHES, ids=lambda p: "&".join(map("=".join, p.items())))
def test_each_story_is_one_row_and_the_totals_count_the_rows(
    client: TestClient, params: dict[str, str]
) -> None:
    found = table(client, params)
    rows = found["rows"]
    assert found["total"]["stories"] == len(rows) > 0
    stories = [row["story_id"] for row in rows]
    assert len(stories) == len(set(stories))  # counted once per story
    assert found["total"]["articles"] == sum(row["article_count"] for row in rows)
    for row in rows:
        listed = [item for item in found["items"] if item["id"] in row["article_ids"]]
        assert {item["story_id"] for item in listed} == {row["story_id"]}
    articles = client.get("/api/search", params={**params, "limit": 500}).json()["items"]
    assert {item["id"] for item in found["items"]} == {item["id"] for item in articles}


@pytest.mark.parametrize("params", SEARCHES, ids=lambda p: "&".join(map("=".join, p.items())))
def test_every_facet_count_is_the_rows_clicking_it_lists(
    client: TestClient, params: dict[str, str]
) -> None:
    page = client.get("/search", params={**params, "limit": 500}).text
    facets = FACET.findall(page)
    assert facets
    for href, count in facets:
        clicked = client.get(unescape(href))
        assert clicked.status_code == 200, (href, clicked.text[:300])
        total = int(TOTAL.search(clicked.text)[1].replace(",", ""))
        assert total == int(count.replace(",", "")) == len(ROW.findall(clicked.text)), href
        assert 'class="facet-clear"' in clicked.text  # "×" removes it again
        cleared = unescape(re.search(r'class="facet-clear" href="([^"]+)"', clicked.text)[1])
        if not set(params) & {"since", "until", "site", "country"}:  # a facet may set it
            assert TOTAL.search(client.get(cleared).text)[1] == TOTAL.search(page)[1]


def _sorted(values: list[Any], descending: bool) -> bool:
    known = [value for value in values if value is not None]
    unknown_last = values == known + [None] * (len(values) - len(known))
    return unknown_last and known == sorted(known, reverse=descending)


@pytest.mark.parametrize("sort", ["date", "site", "title", "articles"])
def test_every_column_sorts_both_ways_with_unknown_values_last(
    client: TestClient, sort: str
) -> None:
    field = {"articles": "article_count"}.get(sort, sort)
    for params in ({"since": "2017"}, {"q": "the"}):
        for descending in (False, True):
            found = table(client, {**params, "sort": ("-" if descending else "") + sort})
            values = [row[field] for row in found["rows"]]
            if sort in ("site", "title"):
                values = [value.casefold() if value else None for value in values]
            assert _sorted(values, descending), (params, sort, descending, values)
            assert found["sort"] == ("-" if descending else "") + sort


def test_relevance_is_the_default_with_words_and_latest_first_without(
    client: TestClient,
) -> None:
    assert table(client, {"q": "NATO"})["sort"] == "relevance"
    assert table(client, {"since": "2017"})["sort"] == "-date"
    ranked = table(client, {"q": "the"})["items"]
    firsts = [item for item in ranked if item["rank"] is not None]
    assert firsts  # each row's best match ranks at or above the next row's
    refused = client.get("/api/search", params={"since": "2017", "sort": "relevance"})
    assert refused.status_code == 400  # no words, nothing to rank by
    for bad in ("goldstein", "-", "title; DROP TABLE articles"):
        answer = client.get("/search", params={"q": "NATO", "sort": bad})
        assert answer.status_code == 400 and "not a column to sort on" in answer.text


def test_pages_go_both_ways_and_json_and_csv_give_the_rows_shown(client: TestClient) -> None:
    params = {"q": "the", "sort": "title", "limit": 2, "offset": 2}
    page = client.get("/search", params=params).text
    shown = ROW.findall(page)
    assert [number for number, _ in shown] == ["3", "4"]
    json_link = unescape(re.search(r'class="json-shown" href="([^"]+)"', page)[1])
    csv_link = unescape(re.search(r'class="csv-shown" href="([^"]+)"', page)[1])
    rows = client.get(json_link).json()["rows"]
    links = [f"/stories/{row['story_id']}" if row["story_id"] else None for row in rows]
    assert links == [href for _, href in shown]
    lines = list(csv.DictReader(io.StringIO(client.get(csv_link).text)))
    assert [line["row"] for line in lines] == [
        str(number) for number, row in zip((3, 4), rows, strict=True) for _ in row["article_ids"]
    ]
    assert [line["article_id"] for line in lines] == [
        key for row in rows for key in row["article_ids"]
    ]
    back = unescape(re.search(r'rel="prev" href="([^"]+)"', page)[1])
    assert [number for number, _ in ROW.findall(client.get(back).text)] == ["1", "2"]
    following = unescape(re.search(r'rel="next" href="([^"]+)"', page)[1])
    assert [number for number, _ in ROW.findall(client.get(following).text)][:1] == ["5"]


def test_the_search_page_pages_by_offset_not_cursor(client: TestClient) -> None:
    cursor = client.get("/api/search", params={"q": "the", "limit": 1}).json()["next_cursor"]
    assert client.get("/search", params={"q": "the", "cursor": cursor}).status_code == 400
    both = client.get("/api/search", params={"q": "the", "cursor": cursor, "offset": 0})
    assert both.status_code == 400


ARTICLE = re.compile(r'<li class="article-item">\s*<a class="article-link" href="/articles/(\w+)"')
ARTICLES_TOTAL = re.compile(r'<strong class="total">([\d,]+)</strong> article')


def test_the_articles_page_counts_and_facets_what_it_lists(client: TestClient) -> None:
    page = client.get("/articles", params={"limit": 500}).text
    listed = ARTICLE.findall(page)
    assert int(ARTICLES_TOTAL.search(page)[1].replace(",", "")) == len(listed) > 0
    facets = FACET.findall(page)
    assert {"site", "year", "month", "country"} <= set(re.findall(r'data-facet="(\w+)"', page))
    for href, count in facets:
        clicked = client.get(unescape(href) + "&limit=500").text
        total = int(ARTICLES_TOTAL.search(clicked)[1].replace(",", ""))
        assert total == int(count.replace(",", "")) == len(ARTICLE.findall(clicked)), href


@pytest.mark.parametrize("sort", ["date", "-date", "site", "-site", "title", "-title"])
def test_the_articles_page_sorts_with_unknown_values_last(client: TestClient, sort: str) -> None:
    found = client.get("/api/articles", params={"sort": sort, "limit": 500}).json()
    field = sort.lstrip("-")
    values = [row[field] for row in found["rows"]]
    if field != "date":
        values = [value.casefold() if value else None for value in values]
    assert _sorted(values, sort.startswith("-"))
    assert found["total"]["stories"] == len(found["rows"])  # one row per article
    page = client.get("/articles", params={"sort": sort, "limit": 500}).text
    assert ARTICLE.findall(page) == [item["id"] for item in found["items"]]
    assert client.get("/articles", params={"sort": "articles"}).status_code == 400


def test_a_mistake_in_the_search_words_is_a_400_in_the_table_too(client: TestClient) -> None:
    for path in ("/api/search?q=NATO+AND", "/api/search?q=NATO+AND&sort=-date"):
        answer = client.get(path)
        assert answer.status_code == 400, path
        assert "need a search term on each side" in answer.text, path
