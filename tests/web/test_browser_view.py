"""The UI on any screen, in real headless Chromium: readable records, the events table's sort
and facets, the time-scaled timeline, the map's pan and zoom, no sideways scrolling at 400 px
on any page, the dark theme and the keyboard. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import ARTIFACTS, SEED_ID, LiveServer
from tests.web.test_browser import seed_story, watch_console


def every_page(demo_db: Path) -> list[str]:
    story = seed_story(demo_db)
    return [
        "/", "/articles", f"/articles/{SEED_ID}", f"/stories/{story}", "/search",
        "/search?q=Stoltenberg", "/events", "/events?sort=-goldstein&offset=10&limit=10",
        "/timeline", "/map", "/speakers", "/speakers/Jens%20Stoltenberg", "/actors/RUS",
    ]  # fmt: skip


@pytest.mark.parametrize("width", [400, 360])
def test_no_page_scrolls_sideways_on_a_phone(
    browser: Any, live_server: LiveServer, demo_db: Path, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        errors = watch_console(page)
        ARTIFACTS.mkdir(exist_ok=True)
        for path in every_page(demo_db):
            response = page.goto(live_server.url(path))
            assert response is not None and response.ok, path
            wide = page.evaluate("document.scrollingElement.scrollWidth")
            assert wide <= page.evaluate("innerWidth"), f"{path} is {wide} px wide at {width} px"
            # The navigation is all there, wrapped, not cut off.
            assert page.locator("header.top nav a").last.is_visible()
            name = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_") or "home"
            page.screenshot(path=str(ARTIFACTS / f"w{width}-{name[:60]}.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


def test_events_read_as_words_with_a_legend(
    live_server: LiveServer, page: Any, demo_db: Path
) -> None:
    page.goto(live_server.url(f"/stories/{seed_story(demo_db)}"))
    events = page.locator("#events .event-item")
    text = " ".join(events.all_inner_texts())
    assert "CAMEO " in text and "Goldstein " in text
    assert "Jens Stoltenberg (" in text or "NATO (" in text  # name (code), not a bare code
    assert "stated as fact" in text  # polarity in words
    assert any(kind in text for kind in ("Q1 verbal cooperation", "Q4 material conflict"))
    page.locator("#legend summary").click()
    legend = page.locator("#legend").inner_text()
    for words in ("Quad class", "Goldstein", "PLOVER", "use violence", "most conflictual"):
        assert words in legend


def test_the_article_text_has_a_highlight_legend(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url(f"/articles/{SEED_ID}"))
    legend = page.locator("#text-legend")
    assert legend.is_visible()
    assert legend.locator(".quote").count() == 1 and legend.locator(".event").count() == 1
    published = page.locator(".article-meta time.date")
    assert published.count() == 0 or published.first.get_attribute("datetime")


def test_sorting_and_facets_in_one_click(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url("/events"))
    total = int(page.locator(".totals .total").inner_text().replace(",", ""))
    page.locator("th a.sort", has_text="Goldstein").click()
    page.wait_for_url("**/events?sort=goldstein")
    scores = [
        float(text.replace("\u2212", "-"))
        for text in page.locator("tr.event-row .goldstein").all_inner_texts()
    ]
    assert scores == sorted(scores)
    facet = page.locator('.facet[data-facet="quad_class"] li').first
    count = int(facet.locator(".count").inner_text().replace(",", ""))
    facet.locator("a.facet-value").click()
    page.wait_for_url("**quad_class=*")
    assert "sort=goldstein" in page.url  # the order stays
    assert int(page.locator(".totals .total").inner_text().replace(",", "")) == count < total
    assert page.locator("tr.event-row").count() == min(count, 50)
    page.locator(".facet-clear").first.click()
    assert "quad_class" not in page.url


def test_pages_go_back_and_forth(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url("/events?sort=date&limit=10"))
    first = page.locator("tr.event-row").all_inner_texts()
    page.locator('a[rel="next"]').click()
    page.wait_for_url("**offset=10*")
    assert page.locator("tr.event-row").all_inner_texts() != first
    page.locator('a[rel="prev"]').click()
    page.wait_for_url("**/events?sort=date&limit=10")
    assert page.locator("tr.event-row").all_inner_texts() == first


def test_the_timeline_has_a_time_axis_and_zooms(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url("/timeline"))
    ticks = page.locator("svg.timeline-chart text.tick")
    assert ticks.count() >= 2
    xs = [float(tick.get_attribute("x") or 0) for tick in ticks.all()]
    assert xs == sorted(xs) and xs[-1] - xs[0] > 300  # spread along the axis
    bars = page.locator("svg.timeline-chart rect.bar")
    assert bars.count() >= 2
    page.locator("svg.timeline-chart a.tick-link").first.click()
    page.wait_for_url("**/timeline?since=*until=*")
    assert page.locator("input[name=since]").input_value() != ""
    zoomed = page.locator("svg.timeline-chart rect.bar")
    assert zoomed.count() >= 1
    page.locator("a.zoom-all").click()
    page.wait_for_url("**/timeline")
    assert page.locator("svg.timeline-chart rect.bar").count() == bars.count()


def test_the_map_pans_zooms_and_lists_its_places(live_server: LiveServer, page: Any) -> None:
    errors = watch_console(page)
    page.goto(live_server.url("/map"))
    rows = page.locator("table.places tr.place-row")
    assert rows.count() == page.locator("svg.world-map circle.place").count() >= 1
    assert "UKR" in rows.first.inner_text()
    svg = page.locator("svg.world-map")
    assert svg.get_attribute("viewBox") == "0 0 720 360"
    page.locator(".map-buttons button", has_text="+").click()
    zoomed = (svg.get_attribute("viewBox") or "").split()
    assert float(zoomed[2]) == pytest.approx(360)
    box = svg.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 80, box["y"] + box["height"] / 2 + 20, steps=5)
    page.mouse.up()
    panned = (svg.get_attribute("viewBox") or "").split()
    assert float(panned[0]) < float(zoomed[0])  # dragged right: the view moved left
    page.mouse.wheel(0, -200)
    assert float((svg.get_attribute("viewBox") or "").split()[2]) < float(panned[2])
    page.locator(".map-buttons button", has_text="reset").click()
    assert svg.get_attribute("viewBox") == "0 0 720 360"
    assert errors == []


def test_the_map_reads_without_javascript(live_server: LiveServer, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url("/map"))
        assert page.locator("table.places tr.place-row").count() >= 1
        assert page.locator(".map-buttons").count() == 0  # no buttons that would do nothing
    finally:
        context.close()


def test_the_dark_theme_follows_the_system(live_server: LiveServer, browser: Any) -> None:
    backgrounds = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(live_server.url(f"/articles/{SEED_ID}"))
            backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
            ink = page.evaluate("getComputedStyle(document.body).color")
            if scheme == "dark":
                assert _light(ink) > _light(backgrounds[scheme]) + 0.5  # light text on dark
                page.screenshot(path=str(ARTIFACTS / "dark-article.png"), full_page=True)
                page.goto(live_server.url("/map"))
                page.screenshot(path=str(ARTIFACTS / "dark-map.png"))
        finally:
            context.close()
    assert _light(backgrounds["light"]) > 0.9 and _light(backgrounds["dark"]) < 0.2


def _light(css: str) -> float:
    """The lightness (0..1) of ``rgb(r, g, b)``."""
    red, green, blue = (int(part) for part in css[css.index("(") + 1 : -1].split(",")[:3])
    return (max(red, green, blue) + min(red, green, blue)) / 510


def test_keyboard_shortcuts(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url("/events"))
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.type("k")  # typing in the box types, it does not move
    assert page.locator(".current-item").count() == 0
    page.keyboard.press("Escape")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("j")
    rows = page.locator("tr.event-row")
    assert "current-item" in (rows.nth(0).get_attribute("class") or "")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert "current-item" in (rows.nth(1).get_attribute("class") or "")
    assert page.locator(".current-item").count() == 1
    help_box = page.locator("#keys-help")
    assert not help_box.is_visible()
    page.keyboard.press("?")
    assert help_box.is_visible() and "next / previous" in help_box.inner_text()
    page.keyboard.press("Escape")
    assert not help_box.is_visible()
    # Enter opens the current item's first link.
    page.goto(live_server.url("/"))
    page.keyboard.press("j")
    href = page.locator(".story-item.current-item a").first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")


def test_the_timeline_reads_on_a_phone(live_server: LiveServer, narrow: Any) -> None:
    narrow.goto(live_server.url("/timeline"))
    heights = [
        (tick.bounding_box() or {"height": 0})["height"]
        for tick in narrow.locator("svg.timeline-chart text.tick").all()
    ]
    assert heights and min(heights) >= 9  # labels a person can read, not 4 px specks
    assert narrow.evaluate("document.scrollingElement.scrollWidth") <= 400
    narrow.screenshot(path=str(ARTIFACTS / "w400-timeline-readable.png"), full_page=True)


def test_events_are_cards_on_a_phone(live_server: LiveServer, narrow: Any) -> None:
    narrow.goto(live_server.url("/events"))
    row = narrow.locator("tr.event-row").first
    box = row.bounding_box()
    assert box is not None and box["width"] <= 400  # a card, not a row to scroll sideways
    evidence = row.locator('td[data-label="Evidence"]')
    assert evidence.is_visible()
    assert narrow.evaluate(
        "getComputedStyle(document.querySelector('td[data-label=Evidence]'), '::before').content"
    ).startswith('"Evidence')
    narrow.locator(".sort-links a", has_text="Goldstein").click()
    narrow.wait_for_url("**sort=goldstein")
    assert narrow.locator(".sort-links a[aria-current]").inner_text().startswith("Goldstein")
    narrow.screenshot(path=str(ARTIFACTS / "w400-events-cards.png"), full_page=True)


def test_a_listed_place_shows_on_the_map(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url("/map"))
    row = page.locator("tr.place-row").first
    x, y = float(row.get_attribute("data-x") or 0), float(row.get_attribute("data-y") or 0)
    row.locator("button.show-place").click()
    left, top, width, height = (
        float(part)
        for part in (page.locator("svg.world-map").get_attribute("viewBox") or "").split()
    )
    assert width == pytest.approx(90) and left <= x <= left + width and top <= y <= top + height
