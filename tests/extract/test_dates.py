"""Publication dates: the page's statement first, the extensive search bounded in languages."""

from __future__ import annotations

from typing import Any

import htmldate.core
import htmldate.extractors
import pytest
from lxml import html

from wirewatch.extract.dates import _dateparser_for, _languages, page_date


def _page(head: str, body: str, lang: str = "en") -> object:
    return html.fromstring(
        f"<html lang='{lang}'><head>{head}</head><body><article><h1>A headline here</h1>"
        f"{body}<p>The council voted the budget after a long debate.</p></article></body></html>"
    )


def test_stated_date_is_read_without_the_extensive_search() -> None:
    tree = _page("<meta property='article:published_time' content='2024-05-06T10:00:00Z'>", "")
    assert page_date(tree, None, "en") == "2024-05-06"


def test_date_in_the_url_and_in_words() -> None:
    assert page_date(_page("", ""), "https://example.com/2023/02/17/story", None) == "2023-02-17"
    tree = _page("", "<span>Published on Tuesday, 12 March 2021</span>")
    assert page_date(tree, None, "en") == "2021-03-12"


def test_no_date_stays_unknown() -> None:
    assert page_date(_page("", ""), None, "en") is None


def test_dateparser_is_asked_about_english_and_the_declared_language_only() -> None:
    assert _languages("fr") == ("en", "fr")
    assert _languages("en") == ("en",)
    assert _languages(None) == ("en",)
    assert _languages("xx") == ("en",)  # not a language dateparser knows
    original = htmldate.extractors.get_external_parser
    with _dateparser_for(("en", "fr")):
        assert htmldate.extractors.get_external_parser().languages == ["en", "fr"]
    assert htmldate.extractors.get_external_parser is original


def test_result_does_not_depend_on_pages_seen_before() -> None:
    tree = _page("", "<div class='date'>le 12 mars 2021</div>", lang="fr")
    first = page_date(tree, None, "fr")
    page_date(_page("", "<div class='date'>le 12 mars 2021</div>"), None, "en")
    assert page_date(tree, None, "fr") == first


def test_a_json_ld_date_skips_the_page_search_and_is_the_date_the_search_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = "<p class='meta'>Published 14 September 2022</p>"
    ld = (
        '<script type=\'application/ld+json\'>{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "datePublished": "2022-09-14T08:30:00Z"}</script>'
    )
    searched: list[str] = []
    for name in ("examine_elements", "search_page"):
        real = getattr(htmldate.core, name)

        def spy(*args: object, _real: Any = real, _name: str = name, **kwargs: object) -> Any:
            searched.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(htmldate.core, name, spy)
    assert page_date(_page(ld, body), None, "en") == "2022-09-14"
    assert searched == []  # read from the JSON-LD: the page was not searched
    assert page_date(_page("", body), None, "en") == "2022-09-14"
    assert searched  # without it, the same date comes from searching the page
