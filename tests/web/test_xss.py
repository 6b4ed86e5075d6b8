"""Untrusted text never becomes script: a page full of <script>, event handlers and
javascript: links is ingested through the API, then opened in a real browser, where nothing
it carries may run, and the markup it shows as text must read as text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.support.httpserver import LocalServer, html
from tests.web.conftest import LiveServer
from wirewatch.model import Actor, Article, Entity, Event, Quote, Sentence, Speaker
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.stories import CopyRow, write_copy
from wirewatch.stories.assign import StoryAssigner
from wirewatch.web import create_app

TOKEN = "xss-test-token"
RUN = "window.__pwned=1"
HOSTILE_PAGE = f"""<!doctype html>
<html><head><title>Tanker seized &lt;script&gt;{RUN}&lt;/script&gt;</title>
<script>{RUN}; alert(1)</script>
<meta http-equiv="refresh" content="0;url=javascript:{RUN}">
</head>
<body onload="{RUN}">
<article>
<h1>Coast guard seizes tanker &lt;img src=x onerror={RUN}&gt; off Port Sahel</h1>
<p>PORT SAHEL, May 2 - The coast guard seized a fuel tanker off Port Sahel on Monday, the
interior ministry said. <a href="javascript:{RUN}">Read more</a>
<img src="x" onerror="{RUN}"></p>
<p>The ship's log showed markup as words: &lt;script&gt;{RUN}&lt;/script&gt; and
&lt;a href="javascript:{RUN}"&gt;click&lt;/a&gt;, investigators said.</p>
<p onclick="{RUN}">"We will not allow smuggling &lt;b onmouseover={RUN}&gt;here&lt;/b&gt;,"
Interior Minister Awa Ndour-Kane said on Tuesday.</p>
<svg onload="{RUN}"><script>{RUN}</script></svg>
<iframe src="javascript:{RUN}"></iframe>
<form action="javascript:{RUN}"><button formaction="javascript:{RUN}">Go</button></form>
<p>Navy ships attacked smugglers near the port, the ministry said.</p>
</article>
<script src="http://evil.example/x.js"></script>
</body></html>"""

PROBE = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def hostile_article() -> Article:
    """Hostile values in every field a page shows: metadata, names, codes, quotes, events."""
    text = (
        f'<script>{RUN}</script> said "<img src=x onerror={RUN}>" on Monday.\n'
        f"<b onmouseover={RUN}>Rebels</b> attacked the town."
    )
    first = text.split("\n")[0]
    start2 = len(first) + 1
    speaker = Speaker(
        text="<script>", start=0, end=8, name=f"<img src=x onerror={RUN}>", organisation="<i>"
    )
    rebel = Actor(
        text="<b", start=start2, end=start2 + 2, code="<SCRIPT>", name=f"<svg onload={RUN}>"
    )
    return Article(
        text=text,
        source="hostile-test",
        url=f"javascript:{RUN}",
        site=f"<script>{RUN}</script>",
        title=f"<img src=x onerror={RUN}> title",
        author=f'"><script>{RUN}</script>',
        published="2024-05-02",
        sentences=[Sentence(0, len(first)), Sentence(start2, len(text))],
        entities=[
            Entity(f"<script>{RUN}</script>", "PERSON", 0, 28, f"<img src=x onerror={RUN}>", 0)
        ],
        quotes=[
            Quote(f"<img src=x onerror={RUN}>", 35, 35 + 29, "direct", "said", speaker, 0)
        ],
        events=[
            Event(
                cameo="190", cameo_name=f"<script>{RUN}</script>", plover="ASSAULT", quad_class=4,
                goldstein=-10.0, source=[rebel], target=[], polarity="asserted",
                trigger=f"<a href=javascript:{RUN}>attacked</a>", start=start2,
                end=len(text), sentence=1, date="2024-05-02",
            )
        ],
    )  # fmt: skip


@pytest.fixture(scope="module")
def hostile_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, str, str, LocalServer]]:
    db = tmp_path_factory.mktemp("xss") / "xss.db"
    crafted = hostile_article()
    with Store.open(db) as store:
        store.add_article(crafted)
        member = StoryAssigner(store, Settings()).assign(crafted)
        # A hostile copy of it: site, headline and URL are whatever the page said.
        write_copy(
            store,
            CopyRow(
                story_id=member.story_id,
                article_id=crafted.id,
                locator=f"javascript:{RUN}//x",
                url=f"javascript:{RUN}",
                canonical_url=None,
                site=f"<svg onload={RUN}>",
                title=f"<script>{RUN}</script> copy",
                published="2024-05-03",
                collected="2024-05-03T00:00:00+00:00",
                chars=100,
                words=20,
                relation="near",
                similarity=0.9,
                containment=0.95,
                headline_differs=True,
                chars_delta=-3,
                words_delta=-1,
            ),
        )
    settings = Settings.from_sources(
        {"web_api_token": TOKEN, "web_allow_private_urls": "true", "respect_robots": "false"},
        environ={},
    )
    app = create_app(db, settings)
    with LocalServer() as origin:
        origin.route("/tanker", html(HOSTILE_PAGE))
        response = TestClient(app).post(
            "/api/ingest",
            json={"url": origin.url("/tanker")},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 200, response.text
        (ingested,) = response.json()["added"]
        with LiveServer(app) as live:
            yield live, ingested, crafted.id, origin


def open_and_probe(page: Any, url: str) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(PROBE)
    page.goto(url)
    page.wait_for_load_state("load")
    # Hover and click everything a payload could hang on.
    targets = page.locator("section.text p a, section.text p span.sentence, .quote-link")
    for element in targets.filter(visible=True).all()[:40]:
        element.hover(timeout=5000)
    return dialogs


def assert_nothing_ran(page: Any, dialogs: list[str], origin: LocalServer) -> None:
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("window.__violations") == []  # not even an attempt CSP had to stop
    scripts = page.evaluate("[...document.scripts].map((s) => s.src)")
    assert scripts == [page.url.split("/", 3)[0] + "//" + page.url.split("/")[2] + "/static/app.js"]
    handlers = page.evaluate(
        "[...document.querySelectorAll('*')].flatMap((el) => [...el.attributes]"
        ".filter((a) => a.name.startsWith('on')).map((a) => el.tagName + ' ' + a.name))"
    )
    assert handlers == []
    hrefs = page.evaluate(
        "[...document.querySelectorAll('[href],[src],[action]')]"
        ".map((el) => el.getAttribute('href') || el.getAttribute('src')"
        " || el.getAttribute('action'))"
    )
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    assert origin.hits("/x.js") == 0


def test_an_ingested_hostile_page_runs_nothing(hostile_server: Any, page: Any) -> None:
    live, ingested, _, origin = hostile_server
    dialogs = open_and_probe(page, live.url(f"/articles/{ingested}"))
    assert_nothing_ran(page, dialogs, origin)
    shown = page.locator("section.text").inner_text()
    assert f"<script>{RUN}</script>" in shown  # the markup the page showed as words, as words
    assert "Coast guard seizes tanker" in page.locator("h1").inner_text()


def test_hostile_metadata_and_annotations_stay_text(hostile_server: Any, page: Any) -> None:
    live, _, crafted, origin = hostile_server
    dialogs = open_and_probe(page, live.url(f"/articles/{crafted}"))
    assert_nothing_ran(page, dialogs, origin)
    assert page.locator("h1").inner_text() == f"<img src=x onerror={RUN}> title"
    meta = page.locator("dl.article-meta").inner_text()
    assert f"javascript:{RUN}" in meta  # shown as text, not as a link
    assert page.locator("dl.article-meta a").count() == 0
    page.locator(".quote-link").first.click()
    assert page.evaluate("window.__pwned") is None


@pytest.mark.parametrize(
    "path", ["/", "/articles", "/events", "/speakers", "/search?q=script", "/map", "/timeline"]
)
def test_hostile_values_in_listings_stay_text(hostile_server: Any, page: Any, path: str) -> None:
    live, _, _, origin = hostile_server
    dialogs = open_and_probe(page, live.url(path))
    assert_nothing_ran(page, dialogs, origin)


def test_hostile_speaker_and_actor_pages(hostile_server: Any, page: Any) -> None:
    live, _, _, origin = hostile_server
    page.goto(live.url("/speakers"))
    page.locator("table.speakers a").first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == f"<img src=x onerror={RUN}>"
    assert page.evaluate("window.__pwned") is None
    dialogs = open_and_probe(page, live.url("/events"))
    page.locator("tr.event-row a", has_text="<SCRIPT>").first.click()
    page.wait_for_load_state("load")
    assert "<SCRIPT>" in page.locator("h1").inner_text()
    assert_nothing_ran(page, dialogs, origin)


def test_hostile_story_page_stays_text(hostile_server: Any, page: Any) -> None:
    """Story titles, copy headlines, site names and copy URLs are untrusted too."""
    live, _, crafted, origin = hostile_server
    listed = httpx.get(live.url("/api/stories?limit=100")).json()["items"]
    (story,) = [item["id"] for item in listed if item["lead_article_id"] == crafted]
    dialogs = open_and_probe(page, live.url(f"/stories/{story}"))
    assert_nothing_ran(page, dialogs, origin)
    assert page.locator("h1").inner_text().startswith(f"<img src=x onerror={RUN}>")
    copies = page.locator("#copies").inner_text()
    assert f"<svg onload={RUN}>" in copies and f"<script>{RUN}</script> copy" in copies
    assert f"javascript:{RUN}" in copies  # shown as text, not as a link
    dialogs = open_and_probe(page, live.url(f"/articles/{crafted}"))
    assert_nothing_ran(page, dialogs, origin)
    assert f"<svg onload={RUN}>" in page.locator("#story").inner_text()
