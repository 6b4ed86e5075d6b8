"""Keyset listings page both ways: ``previous_cursor`` leads back through the same pages
``next_cursor`` led through, on both backends (the stories, articles, filter-only search and
speaker listings, and their pages)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient


def walk(client: TestClient, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of a listing, following ``next_cursor`` from the first."""
    pages = [client.get(path, params=params).json()]
    while pages[-1]["next_cursor"]:
        found = client.get(path, params={**params, "cursor": pages[-1]["next_cursor"]})
        assert found.status_code == 200, found.text
        pages.append(found.json())
    return pages


def ids(page: dict[str, Any]) -> list[Any]:
    return [item.get("id") or (item["article_id"], item["quote_index"]) for item in page["items"]]


def listings(client: TestClient) -> list[tuple[str, dict[str, Any]]]:
    speaker = client.get("/api/speakers").json()["items"][0]["name"]
    return [
        ("/api/stories", {"limit": 2}),
        ("/api/stories", {"limit": 2, "quad_class": "4"}),
        ("/api/articles", {"limit": 2}),
        ("/api/articles", {"limit": 2, "country": "UKR"}),
        ("/api/search", {"limit": 2, "since": "2017"}),
        ("/api/search", {"limit": 1, "speaker": "Peskov"}),
        (f"/api/speakers/{speaker}", {"limit": 1, "per_mention": "1"}),
    ]


def test_previous_cursors_lead_back_through_the_same_pages(client: TestClient) -> None:
    for path, params in listings(client):
        forward = walk(client, path, params)
        assert len(forward) >= 2, (path, params)  # the listing has pages to go back through
        assert forward[0]["previous_cursor"] is None
        everything = client.get(path, params={**params, "limit": 500}).json()
        assert [key for page in forward for key in ids(page)] == ids(everything)
        page = forward[-1]
        for expected in reversed(forward[:-1]):
            back = client.get(path, params={**params, "cursor": page["previous_cursor"]})
            assert back.status_code == 200, back.text
            page = back.json()
            assert ids(page) == ids(expected), (path, params)
        assert page["previous_cursor"] is None  # back at the first page


def test_a_page_before_that_is_not_full_is_the_first_page(client: TestClient) -> None:
    first = client.get("/api/articles", params={"limit": 3}).json()
    second = client.get("/api/articles", params={"limit": 3, "cursor": first["next_cursor"]})
    # One row further on: the page before that has only two rows before it, so it is the first.
    shifted = client.get(
        "/api/articles", params={"limit": 2, "cursor": second.json()["previous_cursor"]}
    ).json()
    back = client.get("/api/articles", params={"limit": 3, "cursor": shifted["previous_cursor"]})
    assert ids(back.json()) == ids(first) and back.json()["previous_cursor"] is None


@pytest.mark.parametrize(
    "url", ["/?limit=2", "/articles?limit=2", "/search?since=2017&limit=2", "speaker"]
)
def test_pages_link_to_the_page_before(client: TestClient, url: str) -> None:
    if url == "speaker":
        speaker = client.get("/api/speakers").json()["items"][0]["name"]
        url = f"/speakers/{speaker}?limit=1&per_mention=1"
    first = client.get(url).text
    assert 'rel="prev"' not in first
    following = unescape(re.search(r'rel="next" href="([^"]+)"', first)[1])
    second = client.get(following).text
    back = unescape(re.search(r'rel="prev" href="([^"]+)"', second)[1])
    shown = re.compile(r'href="/(?:articles|stories)/([\w-]+(?:#s-\d+)?)"')
    assert shown.findall(second) != shown.findall(first)
    assert shown.findall(client.get(back).text) == shown.findall(first)


def test_a_backward_cursor_is_checked_as_any_cursor(client: TestClient) -> None:
    answer = client.get("/api/articles", params={"cursor": "WyI8IiwxXQ"})  # ["<",1]
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_cursor"
