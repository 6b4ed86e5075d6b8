"""End-to-end extraction over the hand-written samples in ``tests/fixtures/samples``.

Each sample is run through collect + extract + clean (``stages="extract"``) and the article
text is compared, line by line, with the text a careful human would keep. See the samples'
README for the conventions of ``*.expected.txt`` and ``*.junk.txt``.

The runner is imported inside ``results``, not at module level, so that while it is missing or
broken these tests fail one by one instead of aborting collection of the whole suite.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from wirewatch.model import Article, Failure
from wirewatch.settings import Settings

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"

WARC_SITE = "http://www.northgate-courier.example"
FEED_ENTRIES = {
    "1": (
        "http://127.0.0.1:9/2024/04/09/floods-southern-brazil-river-towns/",
        "Floods force 12,000 from their homes in southern Brazil river towns",
        "2024-04-09",
    ),
    "2": (
        "http://127.0.0.1:9/2024/04/09/castavia-central-bank-holds-rates/",
        "Castavia's central bank holds rates steady, hints at cut by summer",
        "2024-04-09",
    ),
    "3": (
        "http://127.0.0.1:9/2024/04/08/verkhan-valley-shelling-truce/",
        "Shelling reported in Verkhan valley despite two-day-old truce",
        "2024-04-08",
    ),
}
WARC_URLS = {
    "varna-coalition-talks-collapse": f"{WARC_SITE}/politics/varna-coalition-talks-collapse",
    "alpine-rail-freight-tariffs": f"{WARC_SITE}/economy/alpine-rail-freight-tariffs",
}
RECORD_IDS = ["ledger-0412", "wire-7731", "wire-7732", "4021"]
RECORD_PUBLISHED = {
    "ledger-0412": "2024-04-12",
    "wire-7731": "2024-04-15",
    "wire-7732": "2024-04-16",
    "4021": "2024-11-03",
}

SINGLE_DOCUMENT = [
    "html_sidebar.html",
    "crlf_story.txt",
    "cp1252_page.html",
    "shiftjis_page.html",
    "utf16_note.txt",
    "blog_repost.txt",
    "seed_like_syndication.txt",
]
MULTI_DOCUMENT = {
    "feed.rss": list(FEED_ENTRIES),
    "news.warc.gz": list(WARC_URLS),
    "records.jsonl": RECORD_IDS,
}
ALL_INPUTS = SINGLE_DOCUMENT + list(MULTI_DOCUMENT)

# Plain-text inputs: the line cleaner sees every line, so every junk line must be kept on
# ``Article.dropped`` (or be the title), never silently lost.
PLAIN_TEXT = {
    "crlf_story.txt": "utf-8",
    "utf16_note.txt": "utf-16",
    "blog_repost.txt": "utf-8",
    "seed_like_syndication.txt": "utf-8",
}

# Titles stated by the input itself (og:title, feed item title, a headline first line).
TITLES: dict[tuple[str, str | None], str] = {
    ("blog_repost.txt", None): (
        "Refinery blaze near Port Sahel shuts coastal highway for second day"
    ),
    ("cp1252_page.html", None): (
        "Late frost wipes out a third of Burgundy\u2019s early buds, growers say"
    ),
    ("shiftjis_page.html", None): "静岡で記録的大雨\u3000３０００人に避難指示",
    ("news.warc.gz", "varna-coalition-talks-collapse"): (
        "Coalition talks in Lower Varna collapse over hospital budget"
    ),
    ("news.warc.gz", "alpine-rail-freight-tariffs"): (
        "Alpine rail freight tariffs to rise 6% from July, operator says"
    ),
    ("records.jsonl", "ledger-0412"): "Ferry passengers rescued after engine-room fire off Bergen",
    **{("feed.rss", key): title for key, (_, title, _) in FEED_ENTRIES.items()},
}
# Plain text whose first line is article text: there is no title to find.
NO_TITLE: list[tuple[str, str | None]] = [
    ("crlf_story.txt", None),
    ("utf16_note.txt", None),
    ("seed_like_syndication.txt", None),
    ("records.jsonl", "wire-7731"),
    ("records.jsonl", "wire-7732"),
    ("records.jsonl", "4021"),
]


@dataclass(frozen=True)
class Case:
    """One expected article: an input file and, for containers, the document's key."""

    input: str
    key: str | None

    @property
    def id(self) -> str:
        return self.input if self.key is None else f"{self.input}#{self.key}"

    @property
    def stem(self) -> str:
        return self.input.split(".", 1)[0]

    @property
    def expected_path(self) -> Path:
        middle = "" if self.key is None else f".{self.key}"
        return SAMPLES / f"{self.stem}{middle}.expected.txt"


CASES = [Case(name, None) for name in SINGLE_DOCUMENT] + [
    Case(name, key) for name, keys in MULTI_DOCUMENT.items() for key in keys
]


def text_lines(text: str) -> list[str]:
    """The lines of an article text, each stripped, empty ones ignored."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def expected_lines(case: Case) -> list[str]:
    return text_lines(case.expected_path.read_text(encoding="utf-8"))


def junk_snippets(input_name: str) -> list[str]:
    stem = input_name.split(".", 1)[0]
    raw = (SAMPLES / f"{stem}.junk.txt").read_text(encoding="utf-8")
    return [line for line in raw.split("\n") if line.strip()]


@cache
def results(input_name: str) -> tuple[Any, ...]:
    """Everything ``analyze_inputs`` yields for one sample, computed once per session."""
    from wirewatch.run.local import analyze_inputs

    path = SAMPLES / input_name
    return tuple(analyze_inputs([str(path)], Settings(feed_fetch_pages=True), stages="extract"))


def articles(input_name: str) -> list[Article]:
    return [r for r in results(input_name) if isinstance(r, Article)]


def failures(input_name: str) -> list[Failure]:
    return [r for r in results(input_name) if isinstance(r, Failure)]


def article_for(case: Case) -> Article:
    """The one article an expected file describes."""
    found = articles(case.input)
    if case.key is None:
        assert len(found) == 1, f"{case.input}: expected 1 article, got {len(found)}"
        return found[0]
    if case.input == "feed.rss":
        url = FEED_ENTRIES[case.key][0]
        matches = [a for a in found if a.url == url]
    elif case.input == "news.warc.gz":
        matches = [a for a in found if a.url == WARC_URLS[case.key]]
    else:
        matches = [a for a in found if a.input_id == case.key]
    assert len(matches) == 1, (
        f"{case.id}: expected 1 article, found {len(matches)} among "
        f"{[(a.url, a.input_id) for a in found]}"
    )
    return matches[0]


# --- the samples themselves ------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_fixture_junk_never_in_expected_text(case: Case) -> None:
    expected = case.expected_path.read_text(encoding="utf-8")
    assert expected.endswith("\n") and "\r" not in expected
    assert not [s for s in junk_snippets(case.input) if s in expected]


# --- article text ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_article_text_is_the_expected_lines(case: Case) -> None:
    article = article_for(case)
    assert text_lines(article.text) == expected_lines(case)
    assert "\r" not in article.text


@pytest.mark.parametrize("input_name", ALL_INPUTS)
def test_no_junk_in_any_article(input_name: str) -> None:
    found = articles(input_name)
    assert found, f"{input_name}: no article"
    leaked = {
        (article.url or article.input_id or article.source, snippet)
        for article in found
        for snippet in junk_snippets(input_name)
        if snippet in article.text
    }
    assert not leaked


@pytest.mark.parametrize("input_name", ALL_INPUTS)
def test_every_dropped_line_has_a_reason(input_name: str) -> None:
    found = articles(input_name)
    assert found, f"{input_name}: no article"
    unexplained = [
        line.text
        for article in found
        for line in article.dropped
        if not isinstance(line.reason, str) or not line.reason.strip()
    ]
    assert not unexplained


@pytest.mark.parametrize("input_name", list(PLAIN_TEXT))
def test_plain_text_junk_is_kept_as_dropped(input_name: str) -> None:
    """Nothing is lost: junk cut from a text file is on ``Article.dropped`` (or is the title)."""
    article = article_for(Case(input_name, None))
    source = (SAMPLES / input_name).read_bytes().decode(PLAIN_TEXT[input_name])
    kept_aside = [line.text for line in article.dropped] + [article.title or ""]
    lost = [
        snippet
        for snippet in junk_snippets(input_name)
        if snippet in source and not any(snippet in text for text in kept_aside)
    ]
    assert not lost


@pytest.mark.parametrize("input_name", [*SINGLE_DOCUMENT, "records.jsonl"])
def test_valid_inputs_do_not_fail(input_name: str) -> None:
    assert [failure.line() for failure in failures(input_name)] == []


# --- metadata --------------------------------------------------------------------------------


def test_html_sidebar_metadata() -> None:
    meta = json.loads((SAMPLES / "html_sidebar.meta.json").read_text(encoding="utf-8"))
    article = article_for(Case("html_sidebar.html", None))
    assert article.title == meta["title"]
    assert article.author == meta["author"]
    assert article.published is not None
    assert article.published[:10] == meta["published"]
    assert article.site == meta["site"]
    assert article.language == meta["language"]
    assert article.canonical_url == meta["canonical_url"]


@pytest.mark.parametrize(
    ("input_name", "key"), list(TITLES), ids=lambda v: str(v) if v is not None else ""
)
def test_title_is_metadata(input_name: str, key: str | None) -> None:
    """The title is metadata; the kind of space inside it (U+3000 in Japanese) does not count."""
    title = article_for(Case(input_name, key)).title
    assert title is not None
    assert " ".join(title.split()) == " ".join(TITLES[(input_name, key)].split())


@pytest.mark.parametrize(
    ("input_name", "key"), NO_TITLE, ids=lambda v: str(v) if v is not None else ""
)
def test_no_title_is_invented(input_name: str, key: str | None) -> None:
    assert article_for(Case(input_name, key)).title is None


# --- encodings -------------------------------------------------------------------------------


def test_cp1252_page_without_declaration_decodes() -> None:
    text = article_for(Case("cp1252_page.html", None)).text
    # charset-normalizer's best guess for these bytes is cp1250, which decodes them without
    # error but turns è into č ("Hélčne"): only the right codec passes this.
    for char in ["\u201c", "\u201d", "\u2019", "\u2014", "é", "è", "ü", "ö", "â", "€"]:
        assert char in text, char
    for phrase in [
        "Hélène Marchetti",
        "around €4,800",
        "Lukas Brünner",
        "Weinbörse",
        "the Mâconnais",
        "cuvées",
        "\u201cYou can\u2019t heat the whole sky.\u201d",
    ]:
        assert phrase in text, phrase
    assert "\ufffd" not in text
    assert "â€" not in text and "Ã" not in text  # UTF-8 / cp1252 mojibake


def test_shiftjis_page_decodes() -> None:
    text = article_for(Case("shiftjis_page.html", None)).text
    for phrase in ["静岡県の山間部", "避難指示", "森下和也課長", "石井芳江さん（７２）"]:
        assert phrase in text, phrase
    assert "\ufffd" not in text


def test_utf16_text_decodes() -> None:
    article = article_for(Case("utf16_note.txt", None))
    assert article.text.startswith("HARWICK, Oct 8 - Election officials in the town of Harwick")
    assert "\x00" not in article.text
    assert "\ufeff" not in article.text
    assert "\ufffd" not in article.text


def test_crlf_story_has_no_carriage_returns() -> None:
    article = article_for(Case("crlf_story.txt", None))
    assert "\r" not in article.text
    assert all(not line.text.endswith("\r") for line in article.dropped)


# --- containers ------------------------------------------------------------------------------


def test_warc_yields_exactly_the_two_html_articles() -> None:
    found = articles("news.warc.gz")
    assert sorted(a.url or "" for a in found) == sorted(WARC_URLS.values())


def test_warc_honours_the_http_charset() -> None:
    article = article_for(Case("news.warc.gz", "alpine-rail-freight-tariffs"))
    assert "ZÜRICH, May 2" in article.text
    assert "Béatrice Furrer-Nägeli" in article.text


def test_jsonl_echoes_record_ids_in_order() -> None:
    assert [a.input_id for a in articles("records.jsonl")] == RECORD_IDS


@pytest.mark.parametrize("record_id", RECORD_IDS)
def test_jsonl_published_dates(record_id: str) -> None:
    article = article_for(Case("records.jsonl", record_id))
    assert article.published is not None
    assert article.published[:10] == RECORD_PUBLISHED[record_id]


def test_feed_entries_fall_back_to_entry_content() -> None:
    found = articles("feed.rss")
    assert [a.url for a in found] == [url for url, _, _ in FEED_ENTRIES.values()]
    assert [a.metadata.get("fallback") for a in found] == ["feed_entry"] * 3


@pytest.mark.parametrize("key", list(FEED_ENTRIES))
def test_feed_entry_published_dates(key: str) -> None:
    article = article_for(Case("feed.rss", key))
    assert article.published is not None
    assert article.published[:10] == FEED_ENTRIES[key][2]
