"""The story endpoints (/api/stories, /api/stories/{id}, /stories/{id}) over the demo store,
and the feed endpoints (GET /api/feeds, token-guarded POST /api/feeds)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import SEED_ID
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.feeds import find_feed
from wirewatch.store.stories import list_stories, story_id_of
from wirewatch.web import create_app

TOKEN = "feed-token"


def seed_story(demo_store: str) -> str:
    with Store.open(demo_store) as store:
        found = story_id_of(store, SEED_ID)
    assert found is not None
    return found


def test_story_list_fields_and_order(client: TestClient, demo_store: str) -> None:
    body = client.get("/api/stories", params={"limit": 200}).json()
    with Store.open(demo_store) as store:
        expected = list_stories(store, limit=200)
    assert [item["id"] for item in body["items"]] == [s.id for s in expected]
    first = body["items"][0]
    for name in ("title", "lead_article_id", "first_at", "last_at", "lead", "site"):
        assert name in first
    for name in ("member_count", "article_count", "copy_count", "site_count"):
        assert isinstance(first[name], int) and first[name] >= 1
    assert body["next_cursor"] is None


def test_story_list_pages_with_a_cursor(client: TestClient) -> None:
    every = [item["id"] for item in client.get("/api/stories?limit=200").json()["items"]]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/stories", params=params).json()
        assert len(body["items"]) <= 3
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == every and len(every) > 3
    bad = client.get("/api/stories", params={"cursor": "nonsense"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_cursor"


def test_story_list_filters_by_an_article_filter(client: TestClient, demo_store: str) -> None:
    story = seed_story(demo_store)
    found = client.get("/api/stories", params={"actor": "Stoltenberg"}).json()["items"]
    assert story in [item["id"] for item in found]
    none = client.get("/api/stories", params={"site": "no-such-site.example"}).json()
    assert none["items"] == []


def test_the_seed_story(client: TestClient, demo_store: str) -> None:
    story = seed_story(demo_store)
    body = client.get(f"/api/stories/{story}").json()
    assert body["id"] == story and body["lead_article_id"]
    assert SEED_ID in [member["article_id"] for member in body["articles"]]
    copy = body["copies"][0]
    for name in ("site", "url", "title", "relation", "similarity", "containment", "chars_delta"):
        assert name in copy
    speakers = {quote["speaker"]["name"] for quote in body["quotes"] if quote["speaker"]}
    assert {"Jens Stoltenberg", "Dmitry Peskov"} <= speakers
    assert len(body["events"]) >= 5
    for item in body["events"] + body["quotes"]:
        assert item["copies"] >= 1
        assert item["provenance"] and item["provenance"][0]["sentence_text"]
    # A unique prefix finds the story too.
    assert client.get(f"/api/stories/{story[:10]}").json()["id"] == story


def test_story_not_found_and_bad_ids(client: TestClient) -> None:
    missing = client.get("/api/stories/s-0000000000000000")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert client.get("/stories/s-0000000000000000").status_code == 404
    bad = client.get("/api/stories/x-123")
    assert bad.status_code == 400 and "story id" in bad.json()["error"]["message"]


def test_story_and_article_pages(client: TestClient, demo_store: str) -> None:
    story = seed_story(demo_store)
    page = client.get(f"/stories/{story}").text
    assert "Jens Stoltenberg" in page and f'href="/articles/{SEED_ID}#s-' in page
    article = client.get(f"/articles/{SEED_ID}").text
    assert f'href="/stories/{story}"' in article and "The copies of the story" in article
    home = client.get("/").text
    assert f'href="/stories/{story}"' in home and 'href="/articles"' in home


def make_client(tmp_path: Path, **values: str) -> TestClient:
    db = tmp_path / "feeds.db"
    settings = Settings.from_sources({"web_api_token": TOKEN, **values}, environ={})
    return TestClient(create_app(db, settings), raise_server_exceptions=False)


def test_adding_a_feed_needs_the_token(tmp_path: Path) -> None:
    client = make_client(tmp_path)
    answer = client.post("/api/feeds", json={"url": "https://news.example/feed.xml"})
    assert answer.status_code == 401
    wrong = client.post(
        "/api/feeds",
        json={"url": "https://news.example/feed.xml"},
        headers={"Authorization": "Bearer nope"},
    )
    assert wrong.status_code == 401
    with Store.open(tmp_path / "feeds.db") as store:
        assert find_feed(store, "https://news.example/feed.xml") is None


def test_no_token_no_write_endpoint(demo_store: str) -> None:
    client = TestClient(create_app(demo_store, Settings()))
    answer = client.post("/api/feeds", json={"url": "https://news.example/feed.xml"})
    assert answer.status_code in (404, 405)


def test_a_private_feed_url_is_refused(tmp_path: Path) -> None:
    client = make_client(tmp_path)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    for url in ("http://127.0.0.1:8080/feed", "http://10.0.0.7/rss", "http://169.254.169.254/"):
        answer = client.post("/api/feeds", json={"url": url}, headers=headers)
        assert answer.status_code == 400, url
        assert answer.json()["error"]["code"] == "url_not_allowed"
    bad = client.post("/api/feeds", json={"url": "file:///etc/passwd"}, headers=headers)
    assert bad.json()["error"]["code"] == "bad_url"
    kind = client.post(
        "/api/feeds", json={"url": "http://127.0.0.1/x", "kind": "podcast"}, headers=headers
    )
    assert kind.status_code == 400
    with Store.open(tmp_path / "feeds.db") as store:
        assert find_feed(store, "http://127.0.0.1:8080/feed") is None


def test_an_added_feed_is_stored_and_listed(tmp_path: Path) -> None:
    client = make_client(tmp_path, web_allow_private_urls="true")
    headers = {"Authorization": f"Bearer {TOKEN}"}
    url = "http://127.0.0.1:9/sitemap.xml"
    answer = client.post("/api/feeds", json={"url": url, "title": "Local"}, headers=headers)
    assert answer.status_code == 201, answer.text
    assert answer.json()["added"] is True and answer.json()["feed"]["kind"] == "sitemap"
    again = client.post("/api/feeds", json={"url": url}, headers=headers)
    assert again.status_code == 200 and again.json()["added"] is False
    with Store.open(tmp_path / "feeds.db") as store:
        stored = find_feed(store, url)
    assert stored is not None and stored.title == "Local" and stored.enabled
    listed = client.get("/api/feeds").json()["items"]
    assert [(feed["url"], feed["title"], feed["entries"]) for feed in listed] == [
        (url, "Local", {})
    ]


def test_the_demo_shows_the_seed_story_with_its_syndicated_copies(
    client: TestClient, demo_store: str
) -> None:
    """samples/ holds three copies of the seed's story (other sites, headlines, datelines, one
    cut short): one story, four copies, and each event once with the copies behind it."""
    body = client.get(f"/api/stories/{seed_story(demo_store)}").json()
    assert body["copy_count"] == 4 and body["site_count"] == 4 and body["member_count"] == 1
    relations = sorted(copy["relation"] for copy in body["copies"])
    assert relations == ["near", "near", "original", "truncated"]
    assert len({copy["title"] for copy in body["copies"]}) == 4
    codes = [(event["cameo"], event["trigger"], event["sentence"]) for event in body["events"]]
    assert len(codes) == len(set(codes))  # each event once, not once per copy
    assert max(event["copies"] for event in body["events"]) == 4
    assert min(event["copies"] for event in body["events"]) >= 3  # the cut copy lacks the end


def test_story_pages_reach_undated_stories_once(tmp_path: Path) -> None:
    """Stories without a time come last, and the cursor pages through them too."""
    from wirewatch.model import Article
    from wirewatch.store.browse import BrowseFilters
    from wirewatch.store.story_listing import latest_stories

    with Store.open(tmp_path / "s.db") as store:
        articles = [Article(text=f"Story number {n} happened.", source=f"t{n}") for n in range(7)]
        store.add_articles(articles)
        ids = [article.id for article in articles]
        with store.transaction() as tx:
            tx.executemany(
                "INSERT INTO stories (id, lead_article_id, title, first_at, last_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, '2024-01-01')",
                [
                    (f"s-{i}", i, f"t{n}", None, None if n % 2 else f"2024-01-0{n + 1}")
                    for n, i in enumerate(ids)
                ],
            )
        every = BrowseFilters.parse()
        seen: list[str] = []
        cursor = None
        while True:
            page = latest_stories(store.connection, every, 2, cursor)
            seen += [item.summary.id for item in page.items]
            if (cursor := page.next_cursor) is None:
                break
        expected = [s.id for s in list_stories(store, limit=50)]
    assert seen == expected and len(seen) == 7
    assert [s[2:] for s in seen[:4]] == [ids[6], ids[4], ids[2], ids[0]]
