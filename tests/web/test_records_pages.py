"""Story titles and times on the web, the bugs of issue 15 (highlight markers in titles, the
"Kiev" entity link, unencoded links) and the quotes, feeds and failures pages with their JSON
twins, on the demo store on both backends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from tests.run.watchkit import WATCH, FakeClock, feed_reply, item, rss, watch
from tests.support.httpserver import LocalServer
from tests.web.conftest import SEED_ID
from wirewatch.run.watch import Watcher
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.browse import SNIPPET_CLOSE, SNIPPET_OPEN
from wirewatch.web import create_app

SEED_STORY = f"s-{SEED_ID}"
AGENCY_HEADLINE = "Stoltenberg in Kiev: NATO stands by Ukraine against Russia"
HREF = re.compile(r'href="([^"]*)"')
# What a generated link may hold once encoded (RFC 3986 unreserved, reserved and "%").
ENCODED = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


def test_the_seed_story_is_named_by_the_agency_headline_and_dated_2017(client: TestClient) -> None:
    body = client.get(f"/api/stories/{SEED_STORY}").json()
    assert body["title"] == AGENCY_HEADLINE
    assert body["first_at"] == body["last_at"] == "2017-07-10T00:00:00+00:00"
    original = [copy for copy in body["copies"] if copy["original"]]
    assert [copy["site"] for copy in original] == ["wirenews.example"]
    listed = client.get("/api/stories", params={"limit": 500}).json()["items"]
    assert next(s for s in listed if s["id"] == SEED_STORY)["title"] == AGENCY_HEADLINE
    undated = [s for s in listed if s["last_at"] is None]
    assert undated and listed[-len(undated) :] == undated  # undated stories come last
    page = client.get(f"/stories/{SEED_STORY}").text
    assert f"<h1>{AGENCY_HEADLINE}</h1>" in page
    assert "<td>original; near</td>" in page and "<td>first stored</td>" in page
    assert "undated <span" in page


def test_one_fallback_title_on_every_page_and_in_the_api(client: TestClient) -> None:
    expected = (
        "NATO chief Jens Stoltenberg pledged support for Ukraine during a visit to Kiev on Monday…"
    )
    assert f"<h1>{expected}</h1>" in client.get(f"/articles/{SEED_ID}").text
    listing = client.get("/articles", params={"limit": 500}).text
    assert f'href="/articles/{SEED_ID}">{expected}</a>' in listing
    found = client.get("/search", params={"q": "Stoltenberg"}).text
    assert f'href="/articles/{SEED_ID}">{expected}</a>' in found
    items = client.get("/api/search", params={"q": "Stoltenberg"}).json()["items"]
    assert next(i for i in items if i["id"] == SEED_ID)["display_title"] == expected


def test_search_results_never_show_highlight_markers(client: TestClient) -> None:
    for query in ("Stoltenberg", "Kiev", "ceasefire", "NATO OR Russia"):
        page = client.get("/search", params={"q": query}).text
        assert SNIPPET_OPEN not in page and SNIPPET_CLOSE not in page, query
        assert "<mark>" in page, query
        api = client.get("/api/search", params={"q": query}).text
        assert SNIPPET_OPEN not in api and SNIPPET_CLOSE not in api


def test_an_entity_link_searches_what_the_entity_is_stored_as_and_its_aliases(
    client: TestClient,
) -> None:
    page = client.get(f"/articles/{SEED_ID}").text
    kiev = re.search(r'<a class="ent ent-gpe" href="([^"]*)" title="GPE: Kyiv">Kiev</a>', page)
    assert kiev is not None
    href = kiev.group(1).replace("&amp;", "&")
    assert unquote(href) == '/search?q="Kyiv" OR "Kiev"'
    found = client.get(href)
    assert found.status_code == 200 and f'href="/articles/{SEED_ID}"' in found.text
    assert "No articles match." not in found.text


@pytest.mark.parametrize(
    "path",
    ["/", "/articles", f"/articles/{SEED_ID}", f"/stories/{SEED_STORY}", "/speakers",
     "/speakers/Jens%20Stoltenberg", "/events", "/quotes", "/search?q=Stoltenberg&country=UKR",
     "/failures", "/feeds"],
)  # fmt: skip
def test_every_generated_link_is_url_encoded(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200, path
    for href in HREF.findall(page.text):
        href = href.replace("&amp;", "&")
        if href.startswith("http"):
            continue  # an article's own URL, as the site gave it
        assert ENCODED.fullmatch(href), (path, href)


def test_the_speaker_page_links_its_json_twin_encoded(client: TestClient) -> None:
    page = client.get("/speakers/Jens%20Stoltenberg").text
    assert 'class="json-twin" href="/api/speakers/Jens%20Stoltenberg"' in page
    assert client.get("/api/speakers/Jens%20Stoltenberg").json()["name"] == "Jens Stoltenberg"


def test_every_article_in_the_api_has_its_story(client: TestClient) -> None:
    items = client.get("/api/articles", params={"limit": 500}).json()["items"]
    assert items and all(item["story_id"] and item["story_id"].startswith("s-") for item in items)
    for listed in items[:5]:
        assert client.get(f"/api/articles/{listed['id']}").json()["story_id"] == listed["story_id"]


def test_search_with_filters_alone_lists_the_latest_published_matches(client: TestClient) -> None:
    api = client.get("/api/search", params={"speaker": "Peskov"})
    assert api.status_code == 200
    ids = [item["id"] for item in api.json()["items"]]
    assert SEED_ID in ids and all(item["rank"] is None for item in api.json()["items"])
    page = client.get("/search", params={"speaker": "Peskov"}).text
    assert f'href="/articles/{SEED_ID}"' in page
    assert 'name="speaker" value="Peskov"' in page
    assert client.get("/api/search").json()["error"]["code"] == "bad_request"
    assert "Type words to search" in client.get("/search").text


def test_the_quotes_page_and_its_twin(client: TestClient) -> None:
    body = client.get("/api/quotes", params={"speaker": "Stoltenberg", "limit": 500}).json()
    assert body["items"]
    for quote in body["items"]:
        assert "Stoltenberg" in quote["speaker"]["name"]
        assert quote["end"] > quote["start"] >= 0 and quote["sentence"] >= 0
    seed = [q for q in body["items"] if q["article_id"] == SEED_ID]
    assert len(seed) == len({(q["text"]) for q in seed})  # each story-level quote once
    page = client.get("/quotes", params={"speaker": "Stoltenberg"}).text
    first = body["items"][0]
    assert f'href="/articles/{first["article_id"]}#s-{first["sentence"]}"' in page
    assert f"sentence {first['sentence'] + 1}, characters {first['start']}–{first['end']}" in page
    assert client.get("/api/quotes", params={"cameo": "19"}).status_code == 400
    every = client.get("/api/quotes", params={"limit": 500}).json()["items"]
    mentions = client.get("/api/quotes", params={"limit": 500, "per_mention": 1}).json()["items"]
    assert len(mentions) > len(every)  # the seed's story on four sites states its quotes 4 times
    nav = client.get("/").text
    assert all(f'href="/{name}"' in nav for name in ("quotes", "feeds", "failures"))


@pytest.fixture(scope="module")
def watched_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store watching three local feeds after one round: one read, two answering 404."""
    db = tmp_path_factory.mktemp("feeds") / "news.db"
    with LocalServer() as server, Store.open(db) as store:
        body = "<p>Ceasefire talks resumed in Doha on Monday, mediators said.</p>"
        server.route(
            "/rss",
            feed_reply(rss([item("Doha talks resume", server.url("/gone-page"), body=body)])),
        )
        clock = FakeClock()
        watch(store, server.url("/rss"), clock)
        watch(store, server.url("/missing.xml"), clock)
        watch(store, server.url("/gone.xml"), clock)
        Watcher(store, WATCH, stages="extract", clock=clock).run_round()
    return db


def test_the_feeds_page_shows_status_last_check_and_errors(watched_store: Path) -> None:
    client = TestClient(create_app(watched_store, Settings()))
    feeds = client.get("/api/feeds").json()["items"]
    broken = next(feed for feed in feeds if feed["url"].endswith("/missing.xml"))
    read = next(feed for feed in feeds if feed["url"].endswith("/rss"))
    assert broken["last_status"] == 404 and broken["consecutive_errors"] == 1
    assert read["last_status"] == 200 and read["entries"].get("stored") == 1
    page = client.get("/feeds").text
    assert page.count('class="feed-row"') == 3
    assert "(HTTP 404)" in page and "(HTTP 200)" in page
    assert f"last error: {broken['last_error']}" in page
    assert f"{read['last_checked_at']} (HTTP 200)" in page


def test_the_failures_page_shows_stage_reason_source_and_time(watched_store: Path) -> None:
    client = TestClient(create_app(watched_store, Settings()))
    items = client.get("/api/failures").json()["items"]
    missing = next(item for item in items if item["source"].endswith("/missing.xml"))
    assert missing["stage"] == "collect" and missing["code"] == "http_status"
    page = client.get("/failures", params={"source": "missing.xml"}).text
    assert page.count('class="failure-row"') == 1
    assert f"<code>{missing['code']}</code>" in page and missing["time"] in page
    none = client.get("/failures", params={"stage": "understand"}).text
    assert "No failures match." in none
    first = client.get("/api/failures", params={"limit": 1}).json()
    assert first["next_cursor"] is not None
    second = client.get("/api/failures", params={"limit": 1, "cursor": first["next_cursor"]})
    assert [first["items"][0], *second.json()["items"]] == items[:2]
