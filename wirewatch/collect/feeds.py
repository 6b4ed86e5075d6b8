"""RSS, Atom and RDF feeds: one document per entry, the linked page when it can be fetched.

A feed entry usually carries a teaser, so the page it links to is fetched; when that is off or
fails, the entry's own content stands in and the document says so in ``metadata``
(``fallback``, ``fallback_reason``). Codes: ``xml_bomb`` and ``bad_feed`` for the feed,
``empty_entry`` for an entry with neither a page nor content.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any, Literal

import feedparser

from wirewatch.collect.entries import entry_date
from wirewatch.collect.http import Fetcher
from wirewatch.errors import CollectError
from wirewatch.model import Failure, RawDocument
from wirewatch.settings import Settings

_SNIFF_BYTES = 16 * 1024
# What may come before the root element: whitespace, the XML declaration and other processing
# instructions (xml-stylesheet), comments, and a DOCTYPE (with an internal subset).
_PROLOG_ITEM = re.compile(
    r"""\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>"']|"[^"]*"|'[^']*')*(?:\[.*?\]\s*)?>""",
    re.S | re.I,
)
_FEED_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF)[\s/>]")
# Entities can only be declared inside a DOCTYPE, and "billion laughs" or external entities
# need one declared. Any "<!ENTITY" after a DOCTYPE is refused: parsing the DTD properly just
# to tell a safe declaration from a bomb is what we are avoiding.
_DOCTYPE = re.compile(r"<!DOCTYPE", re.I)
_ENTITY = re.compile(r"<!ENTITY", re.I)


def looks_like_feed(content: bytes) -> bool:
    """Whether the first few kB hold an XML prolog then an ``rss``, ``feed`` or ``rdf:RDF`` root.

    >>> looks_like_feed(b'<?xml version="1.0"?>\\n<!-- hi --><rss version="2.0">')
    True
    >>> looks_like_feed(b"<!doctype html><html><head>")
    False
    """
    head = _markup_text(content[:_SNIFF_BYTES])
    position = 0
    while match := _PROLOG_ITEM.match(head, position):
        position = match.end()
    return _FEED_ROOT.match(head, position) is not None


def _markup_text(data: bytes) -> str:
    """``data`` as text to find markup in: UTF-16 by BOM or NULs, else one char per byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").lstrip("\ufeff")
    if data.startswith(b"<\x00"):
        return data.decode("utf-16-le", errors="replace")
    if data.startswith(b"\x00<"):
        return data.decode("utf-16-be", errors="replace")
    # Latin-1 maps every byte to one character, so ASCII markup in UTF-8, windows-1251 and
    # other ASCII-compatible encodings reads as itself.
    return data.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def _declares_entities(content: bytes) -> bool:
    text = _markup_text(content)
    doctype = _DOCTYPE.search(text)
    return doctype is not None and _ENTITY.search(text, doctype.end()) is not None


def parse_feed(
    content: bytes, source: str, *, base_url: str | None = None
) -> feedparser.FeedParserDict:
    """``content`` parsed by feedparser; raises ``CollectError`` when it is not a safe feed.

    ``xml_bomb``: a DOCTYPE declares entities (refused before any XML parser sees it).
    ``bad_feed``: empty, not a feed (HTML, junk), or so broken nothing was recovered.
    Relative entry links are resolved against ``base_url`` (the feed's final URL), else
    against ``source`` when that is an http(s) URL.
    """
    if not content.strip():
        raise CollectError("not a feed: empty document", code="bad_feed")
    if _declares_entities(content):
        raise CollectError(
            "XML declares entities (possible entity-expansion bomb); refused", code="xml_bomb"
        )
    if not looks_like_feed(content):
        raise CollectError("not a feed: no RSS, Atom or RDF root element", code="bad_feed")
    headers = {"content-type": "application/xml"}  # let the XML declaration name the charset
    base = base_url or (source if source.startswith(("http://", "https://")) else None)
    if base:
        headers["content-location"] = base
    # A BytesIO, never bytes: feedparser would try bytes as a file name first.
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    if parsed.bozo and not parsed.entries and not parsed.feed.get("title"):
        reason = " ".join(str(parsed.get("bozo_exception", "")).split()) or "unreadable"
        raise CollectError(f"not a feed: {reason}", code="bad_feed")
    return parsed


def iter_feed(
    content: bytes,
    source: str,
    settings: Settings,
    fetcher: Fetcher | None,
    *,
    base_url: str | None = None,
) -> Iterator[RawDocument | Failure]:
    """One document per entry of the feed, in feed order, with source ``f"{source}#{i}"``.

    With a link, ``settings.feed_fetch_pages`` and a ``fetcher``, the linked page is fetched;
    otherwise, or when fetching fails, the entry's own content is used (``content_type``
    "html", ``metadata["fallback"] = "feed_entry"`` and ``metadata["fallback_reason"]``).
    Every document carries ``metadata["feed"] = source``, the entry's ``title`` and its date
    as ISO 8601 UTC in ``published`` (None when the feed's date cannot be read).
    A feed that cannot be parsed is one Failure (``xml_bomb`` or ``bad_feed``); one without
    entries is one Failure too (``empty_feed``), so ``ingest`` does not end silently.
    """
    try:
        parsed = parse_feed(content, source, base_url=base_url)
    except CollectError as exc:
        yield Failure(source, "collect", exc.code, exc.message)
        return
    use_pages = settings.feed_fetch_pages and fetcher is not None
    for index, entry in enumerate(parsed.entries, start=1):
        yield _entry_document(entry, f"{source}#{index}", source, fetcher if use_pages else None)
    if not parsed.entries:
        yield Failure(source, "collect", "empty_feed", "the feed has no entries")


def _entry_document(
    entry: Any, entry_source: str, feed_source: str, fetcher: Fetcher | None
) -> RawDocument | Failure:
    link = entry.get("link") or None
    if link is None:
        reason = "entry has no link"
    elif fetcher is None:
        reason = "page fetching disabled"
    else:
        try:
            page = fetcher.fetch(link, source=entry_source)
        except CollectError as exc:
            reason = f"{exc.code}: {exc.message}"
        else:
            return _with_entry_facts(page, entry, feed_source)
    body = _entry_content(entry)
    if body is None:
        return Failure(entry_source, "collect", "empty_entry", f"no page and no content ({reason})")
    text, kind = body
    document = RawDocument(
        source=entry_source,
        content=text.encode("utf-8"),
        url=link,
        content_type=kind,
        encoding="utf-8",
        metadata={"fallback": "feed_entry", "fallback_reason": reason},
    )
    return _with_entry_facts(document, entry, feed_source)


def _with_entry_facts(document: RawDocument, entry: Any, feed_source: str) -> RawDocument:
    """``document`` with what the feed says about it: title, date, feed, entry id."""
    document.title = entry.get("title") or document.title
    document.published = entry_date(entry)
    document.metadata["feed"] = feed_source
    if entry.get("id"):
        document.metadata["feed_entry_id"] = entry["id"]
    return document


def _entry_content(entry: Any) -> tuple[str, Literal["html", "text"]] | None:
    """The entry's full content (content:encoded, Atom content), else its summary."""
    details = [*entry.get("content", []), entry.get("summary_detail") or {}]
    for detail in details:
        value = detail.get("value") or ""
        if value.strip():
            return value, "text" if detail.get("type") == "text/plain" else "html"
    return None
