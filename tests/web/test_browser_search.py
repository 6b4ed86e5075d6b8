"""The search results table and the articles table in real headless Chromium: at 400 px no
page scrolls sideways (each result a card, its facets under it), a facet clicked filters the
table and "×" removes it, a column header sorts it, and the pages go both ways. Screenshots
go to test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import ARTIFACTS, LiveServer
from tests.web.test_browser import watch_console


def no_sideways_scroll(page: Any) -> None:
    wide = page.evaluate("document.scrollingElement.scrollWidth")
    assert wide <= page.evaluate("innerWidth"), f"{page.url} is {wide} px wide"


def total(page: Any) -> int:
    return int(page.locator("p.totals strong.total").inner_text().replace(",", ""))


@pytest.mark.parametrize(
    "path", ["/search?q=the", "/search?q=the&sort=-date&limit=3&offset=3", "/articles?sort=title"]
)
def test_the_tables_do_not_scroll_sideways_at_400_px(
    narrow: Any, live_server: LiveServer, path: str
) -> None:
    errors = watch_console(narrow)
    response = narrow.goto(live_server.url(path))
    assert response is not None and response.ok
    no_sideways_scroll(narrow)
    assert narrow.locator("p.sort-links").is_visible()  # the headers' sorting, as links
    if path.startswith("/search"):
        first = narrow.locator("tr.result-row").first
        box = first.bounding_box()
        assert box is not None and box["width"] <= 400  # a card, not a row to scroll
        assert narrow.locator("table.results-table thead").bounding_box()["height"] <= 1
    facets = narrow.locator("aside.facets").bounding_box()
    table = narrow.locator("div.table-main").bounding_box()
    assert facets["y"] > table["y"]  # the facets move under the table
    ARTIFACTS.mkdir(exist_ok=True)
    name = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_")
    narrow.screenshot(path=str(ARTIFACTS / f"w400-table-{name[:50]}.png"), full_page=True)
    assert errors == []


def test_facets_filter_and_headers_sort_the_search_table(
    live_server: LiveServer, page: Any
) -> None:
    errors = watch_console(page)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(live_server.url("/search?q=the"))
    before = total(page)
    site = page.locator('section.facet[data-facet="site"] a.facet-value').first
    count = int(site.locator("xpath=following-sibling::span").inner_text().replace(",", ""))
    site.click()
    page.wait_for_url("**/search?*site=*")
    assert total(page) == count == page.locator("tr.result-row").count()
    page.locator('section.facet[data-facet="site"] a.facet-clear').click()
    page.wait_for_url(lambda url: "site=" not in url)
    assert total(page) == before
    page.locator("table.results-table th a.sort", has_text="Date").click()
    page.wait_for_url("**/search?*sort=date*")
    assert page.locator("th[aria-sort]").inner_text().startswith("Date")
    page.locator("table.results-table th a.sort", has_text="Date").click()
    page.wait_for_url("**/search?*sort=-date*")
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-table.png"), full_page=True)
    assert errors == []


def test_search_pages_go_forwards_and_back(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url("/search?q=the&limit=2"))
    first = page.locator("tr.result-row a.story-link, tr.result-row > td > a").all_inner_texts()
    page.locator('a[rel="next"]').click()
    page.wait_for_url("**offset=2*")
    assert page.locator("tr.result-row td.num").first.inner_text() == "3"
    page.locator('a[rel="prev"]').click()
    page.wait_for_url(lambda url: "offset=" not in url)
    again = page.locator("tr.result-row a.story-link, tr.result-row > td > a").all_inner_texts()
    assert again == first
