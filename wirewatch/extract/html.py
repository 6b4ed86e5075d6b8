"""HTML to main text and metadata, through trafilatura.

trafilatura finds the article body; we ask it to leave comments out and not to deduplicate
(its deduplication keeps a module-level cache, which would make one page's result depend on
the pages before it). It runs under a per-document deadline. Small fragments, such as a feed
entry's content, fall below trafilatura's minimum size; they are turned into text block by
block instead, and the cleaner does the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from trafilatura.settings import use_config

from wirewatch.deadline import DeadlineExceeded, deadline
from wirewatch.errors import ExtractError
from wirewatch.extract.cascade import HandedTree, readability_only_when_it_can_win
from wirewatch.extract.fragment import markup_text
from wirewatch.extract.page_metadata import page_metadata
from wirewatch.extract.parse import load_page

_CONFIG = use_config()
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # we cap time ourselves, per document

_BLOCK_TAGS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
    "section", "article", "pre", "dd", "dt", "figcaption", "header", "footer", "ul", "ol",
}  # fmt: skip
_FULL_PAGE = re.compile(r"<(?:html|body|head)[\s>]", re.IGNORECASE)
# trafilatura writes list items as "- item"; the dash is its formatting, not the article's.
# An AFP-style sub-heading "- Path to membership? -" ends with a dash and is left alone.
_LIST_BULLET = re.compile(r"^- (?=.*[^-\s]\s*$)", re.MULTILINE)
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "head", "form"}
# Compiled once: ``tree.xpath(text)`` compiles its expression on every call.
_HEADLINES = (
    (etree.XPath("//article//h1"), True),  # the first <h1> inside <article> will do
    (etree.XPath("//h1"), False),  # the page's one <h1>
)
_CONTENT_LANGUAGE = etree.XPath(
    "//meta[@http-equiv='content-language']/@content", smart_strings=False
)
_CANONICAL = (
    etree.XPath("//link[@rel='canonical']/@href", smart_strings=False),
    etree.XPath("//meta[@property='og:url']/@content", smart_strings=False),
)


@dataclass(slots=True)
class HtmlExtraction:
    """What the page says about itself; ``None`` where it says nothing."""

    text: str
    title: str | None
    author: str | None
    published: str | None
    site: str | None
    canonical_url: str | None
    declared_language: str | None
    method: str  # "trafilatura", "blocks", "fragment" (not a page) or "markup" (lxml failed)


def extract_html(page: str, url: str | None, *, timeout: float) -> HtmlExtraction:
    """Main text and metadata of an HTML page, or ``ExtractError`` (extract_timeout, no_text).

    >>> extract_html("<html><body><p>Hello, world.</p></body></html>", None, timeout=5).text
    'Hello, world.'
    """
    try:
        with deadline(timeout):
            return _extract(page, url)
    except DeadlineExceeded:
        raise ExtractError(
            f"HTML extraction took longer than {timeout:g} s", code="extract_timeout"
        ) from None
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(f"the HTML could not be parsed: {exc}", code="bad_html") from None


def _extract(page: str, url: str | None) -> HtmlExtraction:
    if not _FULL_PAGE.search(page[:20_000]):
        # A fragment (a feed entry's content, a JSONL field, plain text declared as HTML) is
        # all article: no page around it for trafilatura to find it in, and it would drop
        # sub-headings of short texts.
        text = markup_text(page)
        if not text:
            raise ExtractError("no article text found in the HTML", code="no_text")
        return HtmlExtraction(text, None, None, None, None, None, None, method="fragment")
    tree = load_page(page)
    if tree is None:
        return _markup_only(page)
    declared_language = _declared_language(tree)
    canonical = _canonical_url(tree, url)
    headline = _headline(tree)
    stated = page_metadata(tree, url, declared_language)
    # The tree is parsed once and everything the page states is read from it above: it is
    # then handed to trafilatura, which prunes it as it goes, uncopied (cascade.py). The
    # page's metadata is read by page_metadata, without what trafilatura's reader does that
    # we never use. Its readability comparison runs only where its result could be taken.
    with readability_only_when_it_can_win():
        document = trafilatura.bare_extraction(
            HandedTree(tree),
            url=url,
            include_comments=False,
            deduplicate=False,
            with_metadata=False,
            include_tables=True,
            config=_CONFIG,
        )
    meta: dict[str, Any] = {}
    if isinstance(document, dict):
        meta = document
    elif document is not None:
        meta = document.as_dict()
    text = _LIST_BULLET.sub("", (meta.get("text") or "").strip())
    method = "trafilatura"
    if not text:
        text = blocks_to_text(load_page(page))  # the page again: trafilatura pruned the tree
        method = "blocks"
    if not text:
        # lxml stops at 256 levels of nesting and drops what is below: read the markup itself.
        return _markup_only(page, declared_language, canonical)
    return HtmlExtraction(
        text=text,
        title=headline or _strip_site(_clean(stated.title), stated.sitename, url),
        author=_clean(stated.author),
        published=_clean(stated.date),
        site=_clean(stated.sitename),
        canonical_url=canonical,
        declared_language=declared_language,
        method=method,
    )


def _markup_only(
    page: str, declared_language: str | None = None, canonical: str | None = None
) -> HtmlExtraction:
    """The page's text read from its markup, when lxml could not give a usable tree."""
    text = markup_text(page)
    if not text:
        raise ExtractError("no article text found in the HTML", code="no_text")
    return HtmlExtraction(
        text, None, None, None, None, canonical, declared_language, method="markup"
    )


def blocks_to_text(tree: Any) -> str:
    """Visible text of an HTML tree, one line per block element; for small fragments."""
    if tree is None:
        return ""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP_TAGS:
            if node.tail:
                parts.append(node.tail)
            return
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(tree)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _headline(tree: Any) -> str | None:
    """The article's own headline: the one <h1>, or the first <h1> inside <article>.

    A page's <title> often carries the site's name and SEO words; its <h1> is what readers see.
    """
    for expression, first_will_do in _HEADLINES:
        texts = (_clean(" ".join(node.itertext())) for node in expression(tree))
        found = [text for text in texts if text]
        if len(found) == 1 or (found and first_will_do):
            words = len(found[0].split())
            if 2 <= words <= 40:
                return found[0]
    return None


_TITLE_SEPARATOR = re.compile(r"\s+[|–—·:•-]\s+")


def _strip_site(title: str | None, site: Any, url: str | None) -> str | None:
    """ "Headline | Site Name" -> "Headline", when the last part names the site."""
    if not title:
        return None
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    last = parts[-1].casefold()
    compact = re.sub(r"[^a-z0-9]", "", last)
    names = [str(site).casefold()] if isinstance(site, str) and site else []
    host = (urlsplit(url).hostname or "") if url else ""
    if (
        (names and (last in names[0] or names[0] in last))
        or (compact and compact in host.replace(".", ""))
        or ("." in last and last.replace("www.", "") in host)
    ):
        stripped = title[: title.rfind(parts[-1])].rstrip(" |–—·:•-")
        return stripped or title
    return title


def _declared_language(tree: Any) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        found = _CONTENT_LANGUAGE(tree)
        lang = found[0] if found else None
    if not lang:
        return None
    primary = lang.strip().split("-")[0].split("_")[0].lower()
    return primary if 2 <= len(primary) <= 3 and primary.isalpha() else None


def _canonical_url(tree: Any, url: str | None) -> str | None:
    for expression in _CANONICAL:
        found = [value.strip() for value in expression(tree) if value and value.strip()]
        if found:
            href = urljoin(url, found[0]) if url else found[0]
            if href.startswith(("http://", "https://")):
                return href
    return None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
