"""XML sitemaps: ``urlset`` and ``sitemapindex`` files, gzipped or not, Google News extensions.

``read_sitemap(document, fetcher, settings)`` turns a fetched sitemap into ``SourceEntry``s
(one per page URL, keyed ``link:<URL>``), following a sitemap index breadth-first, at most
``sitemap_max_depth`` levels deep and ``sitemap_max_files`` files per visit, keeping at most
``sitemap_max_urls`` URLs. A gzipped body (``.xml.gz`` served without Content-Encoding) is
inflated here, capped at ``max_decompressed_bytes``; Content-Encoding is the Fetcher's job.

Per URL, ``lastmod`` goes into ``metadata["lastmod"]``; Google News' ``news:title`` becomes the
title, ``news:publication_date`` the publication date, ``news:language`` and the publication's
``news:name`` go into ``metadata``. A URL is the entry's identity: a changed ``lastmod`` is
the same article updated, and is not fetched again.

Codes: ``xml_bomb`` (a DOCTYPE declaring entities, refused before parsing, as for feeds),
``bad_sitemap`` (not XML, or neither ``urlset`` nor ``sitemapindex``), ``bad_gzip`` and
``too_large`` from decompression. A child sitemap that fails is recorded in
``SitemapVisit.problems`` and the others are still read.

>>> visit = read_sitemap_bytes(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
...     b'<url><loc>https://example.org/a</loc></url></urlset>', "https://example.org/s.xml")
>>> [entry.url for entry in visit.entries]
['https://example.org/a']
"""

from __future__ import annotations

import re
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from wirewatch.collect._inflate import gunzip
from wirewatch.collect.entries import SourceEntry
from wirewatch.collect.feeds import _declares_entities, _markup_text
from wirewatch.collect.http import Fetcher
from wirewatch.errors import CollectError
from wirewatch.model import Failure, RawDocument
from wirewatch.settings import Settings

_GZIP_MAGIC = b"\x1f\x8b"
_SNIFF_BYTES = 16 * 1024
_PROLOG = re.compile(r"""(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*""", re.S | re.I)
_SITEMAP_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:urlset|sitemapindex)[\s/>]")


@dataclass(slots=True)
class SitemapVisit:
    """What one visit of a sitemap found: page entries, files read, problems with children."""

    entries: list[SourceEntry] = field(default_factory=list)
    files_read: int = 0
    problems: list[str] = field(default_factory=list)
    truncated: bool = False  # a cap (files, URLs, depth) stopped the visit early
    unchanged: int = 0  # child sitemaps not fetched: their lastmod is before the last visit


def looks_like_sitemap(content: bytes) -> bool:
    """Whether ``content`` (gzipped or not) starts with a ``urlset`` or ``sitemapindex`` root."""
    head = content[:_SNIFF_BYTES]
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, _SNIFF_BYTES)
        except zlib.error:
            return False
    text = _markup_text(head)
    prolog = _PROLOG.match(text)
    return _SITEMAP_ROOT.match(text, prolog.end() if prolog else 0) is not None


def read_sitemap(
    document: RawDocument,
    fetcher: Fetcher | None,
    settings: Settings,
    *,
    since: str | None = None,
) -> SitemapVisit:
    """Every page URL in the sitemap ``document``, following index files through ``fetcher``.

    With ``since`` (ISO 8601 UTC, the last visit), a child sitemap whose ``lastmod`` in the
    index is older is not fetched: nothing in it changed. Raises ``CollectError`` when
    ``document`` itself is not a usable sitemap.
    """
    visit = SitemapVisit()
    root_url = document.url or document.source
    queue: deque[tuple[str, int, bytes | None]] = deque([(root_url, 0, document.content)])
    seen_files = {root_url}
    while queue:
        url, depth, content = queue.popleft()
        if visit.files_read >= settings.sitemap_max_files:
            visit.truncated = True
            break
        try:
            if content is None:
                if fetcher is None:
                    break
                content = fetcher.fetch(url).content
            children = _read_one(content, url, settings, visit, since)
        except CollectError as exc:
            if depth == 0:
                raise
            visit.problems.append(f"{url}: [{exc.code}] {exc.message}")
            continue
        visit.files_read += 1
        for child in children:
            if depth + 1 > settings.sitemap_max_depth:
                visit.truncated = True
                break
            if child not in seen_files:
                seen_files.add(child)
                queue.append((child, depth + 1, None))
    return visit


def iter_sitemap(
    document: RawDocument, fetcher: Fetcher, settings: Settings
) -> Iterator[RawDocument | Failure]:
    """For ``wirewatch ingest``: one fetched page per URL of the sitemap, in sitemap order.

    Each document's source is ``f"{sitemap}#{n}"``; the sitemap's title, date and metadata
    come with it. A page that cannot be fetched is a Failure; so is a child sitemap that
    cannot be read (code ``bad_sitemap``), after the pages that could be. A sitemap that
    lists no page at all is one Failure (``empty_sitemap``), so the run does not end silently.
    """
    visit = read_sitemap(document, fetcher, settings)
    for number, entry in enumerate(visit.entries, start=1):
        source = f"{document.source}#{number}"
        try:
            page = fetcher.fetch(entry.url or "", source=source)
        except CollectError as exc:
            yield Failure(source, "collect", exc.code, exc.message)
            continue
        page.title = entry.title or page.title
        page.published = entry.published
        page.metadata.update(entry.metadata, sitemap=document.source)
        yield page
    for problem in visit.problems:
        yield Failure(document.source, "collect", "bad_sitemap", problem)
    if not visit.entries and not visit.problems:
        yield Failure(
            document.source,
            "collect",
            "empty_sitemap",
            f"the sitemap lists no page URLs ({visit.files_read} file(s) read)",
        )


def read_sitemap_bytes(
    content: bytes, source: str, settings: Settings | None = None
) -> SitemapVisit:
    """``read_sitemap`` for one file already read (no index is followed)."""
    document = RawDocument(source=source, content=content, url=source)
    return read_sitemap(document, None, settings or Settings())


def _read_one(
    content: bytes, url: str, settings: Settings, visit: SitemapVisit, since: str | None
) -> list[str]:
    """Add the file's page URLs to ``visit``; return the child sitemaps an index lists that
    may have changed ``since`` (all of them without it, or without their ``lastmod``)."""
    root = parse_sitemap(content, settings)
    kind = _local(root.tag)
    children: list[str] = []
    for item in root:
        if kind == "sitemapindex" and _local(item.tag) == "sitemap":
            loc = _text(item, "loc")
            changed = w3c_date(_text(item, "lastmod"))
            if loc and (since is None or changed is None or changed >= since):
                children.append(loc)
            elif loc:
                visit.unchanged += 1
        elif kind == "urlset" and _local(item.tag) == "url":
            if len(visit.entries) >= settings.sitemap_max_urls:
                visit.truncated = True
                break
            entry = _url_entry(item)
            if entry is not None:
                visit.entries.append(entry)
    return children


def parse_sitemap(content: bytes, settings: Settings) -> Element:
    """The root element of a sitemap file; raises ``CollectError`` (codes above)."""
    if content.startswith(_GZIP_MAGIC):
        limit = settings.max_decompressed_bytes
        content = gunzip(content, limit=limit, too_large=f"sitemap larger than {limit} bytes")
    if not content.strip():
        raise CollectError("not a sitemap: empty document", code="bad_sitemap")
    if _declares_entities(content):
        raise CollectError(
            "XML declares entities (possible entity-expansion bomb); refused", code="xml_bomb"
        )
    try:
        root = safe_xml.fromstring(content, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as exc:
        raise CollectError(f"unsafe XML refused: {exc}", code="xml_bomb") from None
    except ParseError as exc:
        raise CollectError(f"not a sitemap: broken XML ({exc})", code="bad_sitemap") from None
    if _local(root.tag) not in ("urlset", "sitemapindex"):
        raise CollectError(
            f"not a sitemap: root element is <{_local(root.tag)}>", code="bad_sitemap"
        )
    return root


def _url_entry(item: Element) -> SourceEntry | None:
    loc = _text(item, "loc")
    if not loc or not loc.startswith(("http://", "https://")):
        return None
    metadata: dict[str, Any] = {}
    lastmod = _text(item, "lastmod")
    if lastmod:
        metadata["lastmod"] = w3c_date(lastmod) or lastmod
    news = _child(item, "news")
    title = published = None
    if news is not None:
        title = _text(news, "title")
        published = w3c_date(_text(news, "publication_date"))
        publication = _child(news, "publication")
        if publication is not None:
            for name, key in (("language", "language"), ("name", "publication")):
                value = _text(publication, name)
                if value:
                    metadata[key] = value
        metadata["google_news"] = True
    return SourceEntry(
        key=f"link:{loc}", url=loc, title=title, published=published, metadata=metadata
    )


def w3c_date(value: str | None) -> str | None:
    """A W3C datetime (``2024-05-01``, ``2024-05-01T10:00:00+02:00``, ``...Z``) as ISO UTC.

    >>> w3c_date("2024-05-01T10:00:00+02:00")
    '2024-05-01T08:00:00+00:00'
    >>> w3c_date("last tuesday") is None
    True
    """
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element: Element, name: str) -> str | None:
    child = _child(element, name)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None
