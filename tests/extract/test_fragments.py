"""Fragments and odd pages extract: plain text, one block, nesting past lxml's limit."""

from __future__ import annotations

from wirewatch.collect.feeds import iter_feed
from wirewatch.extract import extract
from wirewatch.model import Article, RawDocument
from wirewatch.run.local import analyze_documents
from wirewatch.settings import Settings

TEXT = "Officials in Kyiv confirmed the talks on Monday, the ministry said."


def test_plain_text_declared_as_html_is_an_article() -> None:
    article = extract(RawDocument("e", TEXT.encode(), content_type="html"), Settings())
    assert article.text == TEXT


def test_a_single_paragraph_is_an_article() -> None:
    raw = RawDocument("d.jsonl:1", f"<p>{TEXT} &amp; more.</p>".encode(), content_type="html")
    assert extract(raw, Settings()).text == f"{TEXT} & more."


def test_plain_text_rss_descriptions_give_articles() -> None:
    items = "".join(
        f"<item><title>T{n}</title><description>{TEXT} Number {n}.</description></item>"
        for n in range(50)
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}</channel></rss>'
    )
    documents = list(iter_feed(feed.encode(), "feed.rss", Settings(), None))
    results = list(analyze_documents(documents, Settings(), stages="extract"))
    assert len(results) == 50 and all(isinstance(r, Article) for r in results), results[:2]


def test_text_nested_deeper_than_lxml_goes_is_kept() -> None:
    page = (
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * 400
        + f"<p>{TEXT}</p>"
        + "</div>" * 400
        + "</body></html>"
    )
    article = extract(RawDocument("deep.html", page.encode(), content_type="html"), Settings())
    assert TEXT in article.text
