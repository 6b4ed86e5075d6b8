"""The JSON API over the demo store: fields, filters, cursor pages, one error shape, CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import SAMPLES, SEED_ID
from wirewatch.run.ingest import ingest
from wirewatch.settings import Settings
from wirewatch.store import Store, browse
from wirewatch.store.browse import BrowseFilters
from wirewatch.web import create_app


def test_articles_page_through_every_article_once_with_cursors(client: TestClient) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "4"} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/articles", params=params).json()
        assert len(body["items"]) <= 4
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    everything = client.get("/api/articles", params={"limit": "500"}).json()["items"]
    assert seen == [item["id"] for item in everything]
    # 15 samples plus the three syndicated copies of the seed (afp-nato-ukraine-copies.jsonl)
    assert len(set(seen)) == len(seen) == 18
    published = [item["published"][:10] for item in everything if item["published"]]
    assert published == sorted(published, reverse=True)  # latest first, undated last
    assert everything[-1]["published"] is None


def test_article_summary_fields(client: TestClient) -> None:
    items = client.get("/api/articles", params={"limit": "500"}).json()["items"]
    seed = next(item for item in items if item["id"] == SEED_ID)
    assert set(seed) == {
        "id", "title", "url", "site", "published", "word_count", "snippet", "quote_count",
        "event_count", "rank", "display_title", "story_id",
    }  # fmt: skip
    assert seed["title"] is None  # a plain-text blog repost: no headline, so none is made up
    assert seed["display_title"] == (
        "NATO chief Jens Stoltenberg pledged support for Ukraine during a visit to Kiev on Monday…"
    )
    assert seed["story_id"] == f"s-{SEED_ID}"
    assert seed["quote_count"] >= 5 and seed["event_count"] >= 5
    assert seed["snippet"].startswith("NATO chief Jens Stoltenberg pledged support")


def test_article_twin_is_the_schema_object(client: TestClient) -> None:
    body = client.get(f"/api/articles/{SEED_ID}").json()
    assert body["id"] == SEED_ID
    speakers = {q["speaker"]["name"] for q in body["quotes"] if q["speaker"]}
    assert "Jens Stoltenberg" in speakers
    assert body["events"] and body["dropped"]
    assert body["story_id"] == f"s-{SEED_ID}"


def test_search_snippets_mark_matches_and_filters_apply(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Stoltenberg"}).json()
    # The seed and its three syndicated copies in samples/ all name him.
    assert SEED_ID in [item["id"] for item in body["items"][:4]]
    assert "[Stoltenberg]" in body["items"][0]["snippet"]
    none = client.get("/api/search", params={"q": "Stoltenberg", "country": "BRA"}).json()
    assert none["items"] == []


def test_events_filter_by_country_plover_and_quad_class(client: TestClient) -> None:
    ukraine = client.get("/api/events", params={"country": "UKR", "limit": "500"}).json()
    assert ukraine["items"]
    for event in ukraine["items"]:
        countries = {a["country"] for a in event["source"] + event["target"]}
        located = (event["location"] or {}).get("country")
        assert "UKR" in countries | {located}
    conflict = client.get("/api/events", params={"quad_class": "4", "limit": "500"}).json()
    assert conflict["items"] and {e["quad_class"] for e in conflict["items"]} == {4}
    kinds = {e["plover"] for e in conflict["items"]}
    first = sorted(k for k in kinds if k)[0]
    typed = client.get("/api/events", params={"plover": first, "limit": "500"}).json()
    assert typed["items"] and {e["plover"] for e in typed["items"]} == {first}


def test_events_pages_do_not_repeat_or_skip(client: TestClient) -> None:
    everything = client.get("/api/events", params={"limit": "500"}).json()["items"]
    keys = []
    cursor = None
    while True:
        params = {"limit": "3"} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/events", params=params).json()
        keys += [(e["article_id"], e["event_index"]) for e in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert keys == [(e["article_id"], e["event_index"]) for e in everything]


def test_events_csv_has_the_export_columns_and_the_filtered_rows(client: TestClient) -> None:
    response = client.get("/api/events.csv", params={"country": "UKR"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    listed = client.get("/api/events", params={"country": "UKR", "limit": "500"}).json()
    assert [(r["article_id"], int(r["event_index"])) for r in rows] == [
        (e["article_id"], e["event_index"]) for e in listed["items"]
    ]


def test_speaker_actor_timeline_and_map_twins(client: TestClient) -> None:
    speaker = client.get("/api/speakers/Jens Stoltenberg").json()
    assert speaker["items"] and all(
        q["speaker"]["name"] == "Jens Stoltenberg" for q in speaker["items"]
    )
    assert all(q["sentence_text"] for q in speaker["items"])
    actor = client.get("/api/actors/IGOWSTNAT").json()
    assert any(name["name"] == "NATO" for name in actor["names"])
    assert actor["events"]["items"]
    assert any(q["speaker"]["name"] == "Jens Stoltenberg" for q in actor["quotes"]["items"])
    days = client.get("/api/timeline").json()["items"]
    assert days and {d["quad_class"] for d in days} <= {1, 2, 3, 4}
    assert [d["day"] for d in days] == sorted(d["day"] for d in days)
    places = client.get("/api/map").json()["items"]
    assert any(p["name"] == "Kyiv" and p["country"] == "UKR" for p in places)


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/articles/0000000000000000", 404, "not_found"),
        ("/api/articles/abc", 400, "bad_request"),
        ("/api/articles?cursor=not-a-cursor", 400, "bad_cursor"),
        ("/api/articles?limit=0", 400, "bad_request"),
        ("/api/articles?limit=100000", 400, "bad_request"),
        ("/api/events?cameo=99999", 400, "bad_request"),
        ("/api/events?quad_class=7", 400, "bad_request"),
        ("/api/events?since=yesterday", 400, "bad_request"),
        ("/api/search", 400, "bad_request"),
        ("/api/search?q=NATO%20AND", 400, "bad_request"),
        ("/api/speakers/Nobody%20Atall", 404, "not_found"),
        ("/api/actors/ZZZZZZ", 404, "not_found"),
        ("/api/nothing-here", 404, "not_found"),
        ("/api/ingest", 404, "not_found"),
    ],
)
def test_one_error_shape_everywhere(client: TestClient, path: str, status: int, code: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.json() == {
        "error": {"status": status, "code": code, "message": response.json()["error"]["message"]}
    }
    assert response.json()["error"]["message"]


def test_pages_answer_errors_as_pages(client: TestClient) -> None:
    response = client.get("/articles/0000000000000000")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no article with id" in response.text


def test_openapi_describes_the_api_and_no_cdn_docs(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert {"/api/articles", "/api/search", "/api/events", "/api/map"} <= set(spec["paths"])
    assert not any(path.startswith("/api/ingest") for path in spec["paths"])
    assert client.get("/docs").status_code == 404


def test_every_response_carries_the_strict_policy(client: TestClient) -> None:
    for path in ("/", f"/articles/{SEED_ID}", "/api/articles", "/map", "/nope"):
        policy = client.get(path).headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "http" not in policy


def test_pages_say_what_has_not_been_extracted(tmp_path: Path) -> None:
    db = tmp_path / "extract-only.db"
    with Store.open(db) as store:
        summary = ingest([str(SAMPLES / "crlf_story.txt")], store, Settings(), stages="extract")
    (article_id,) = summary.article_ids
    with TestClient(create_app(db, Settings())) as client:
        page = client.get(f"/articles/{article_id}").text
        assert "Quotes and events have not been extracted for this article" in page
        assert "No events have been extracted into this store yet" in client.get("/events").text
        assert "No dated events to chart" in client.get("/timeline").text
        assert "No events with a known place" in client.get("/map").text
        assert "No quotes with a named speaker" in client.get("/speakers").text


@pytest.mark.parametrize(
    "filters",
    [{}, {"country": "UKR"}, {"quad_class": 4}, {"plover": "ASSAULT"}, {"speaker": "Stoltenberg"},
     {"actor": "RUS", "since": "2014"}, {"site": "127.0.0.1"}],
)  # fmt: skip
def test_window_first_listings_equal_the_planners(
    demo_store: str, monkeypatch: pytest.MonkeyPatch, filters: dict[str, Any]
) -> None:
    """Looking through a window of the latest articles first never changes a page."""
    chosen = BrowseFilters.parse(**filters)

    def pages(window: int) -> tuple[list[Any], list[Any]]:
        monkeypatch.setattr(browse, "EVENT_WINDOW", window)
        with Store.open(demo_store) as store:
            return (
                walk(lambda c: browse.latest_articles(store.connection, chosen, 2, c)),
                walk(lambda c: browse.list_events(store.connection, chosen, 3, c)),
            )

    assert pages(1) == pages(4) == pages(100_000)


def walk(fetch: Any) -> list[Any]:
    seen, cursor = [], None
    while True:
        page = fetch(cursor)
        seen += [getattr(item, "id", None) or (item.article_id, item.index) for item in page.items]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


@pytest.mark.parametrize(
    "filters",
    [{"country": "UKR"}, {"plover": "ASSAULT"}, {"speaker": "Stoltenberg"}, {"since": "2024-04"},
     {"actor": "RUS"}, {"cameo": "19"}, {"plover": "ASSAULT", "since": "2024-04"}],
)  # fmt: skip
def test_search_filters_select_what_the_cli_search_selects(
    demo_store: str, filters: dict[str, str]
) -> None:
    with Store.open(demo_store) as store:
        cli = {hit.article_id for hit in store.search("the OR said", limit=1000, **filters)}
        chosen = BrowseFilters.parse(**filters)
        web = browse.search_articles(store.connection, "the OR said", chosen, limit=500)
    assert cli and {item.id for item in web.items} == cli
