"""extract: ``RawDocument -> Article``, or ``ExtractError`` with a reason.

Bytes are decoded (``text.py``), HTML goes through trafilatura (``html.py``), plain text is
taken as it is, and both then pass the residual cleaner (``clean.py``). Metadata the page does
not give stays ``None`` (``metadata.py``).
"""

from __future__ import annotations

import re

from wirewatch.errors import ExtractError
from wirewatch.extract.cascade import prepare_justext
from wirewatch.extract.clean import CleanedText, clean_text
from wirewatch.extract.dates import prepare_dates
from wirewatch.extract.html import extract_html
from wirewatch.extract.metadata import detect_language, site_of
from wirewatch.extract.text import decode, normalise_text
from wirewatch.model import Article, RawDocument
from wirewatch.settings import Settings

__all__ = ["extract", "looks_like_html", "prepare"]

_CLEANING_SLACK = 4  # text over this many times max_text_chars is refused before cleaning

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|span|a|h[1-6]|br|table)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)


_XML_DECLARATION = re.compile(r"\s*<\?xml[\s?]")
_ELEMENT = re.compile(r"<([A-Za-z_][\w.:-]*)")


def looks_like_xml_not_html(text: str) -> bool:
    """True when ``text`` is an XML document (a declaration first) whose root is not ``html``.

    >>> looks_like_xml_not_html('<?xml version="1.0"?><lolz>&lol9;</lolz>')
    True
    >>> looks_like_xml_not_html('<?xml version="1.0"?><html><body>Hi</body></html>')
    False
    """
    head = text[:65_536]
    if not _XML_DECLARATION.match(head):
        return False
    position = 0
    while (match := _ELEMENT.search(head, position)) is not None:
        comment = head.rfind("<!--", position, match.start())
        if comment != -1 and head.find("-->", comment) > match.start():
            position = head.find("-->", comment) + 3  # the element is inside a comment
            continue
        return match.group(1).rsplit(":", 1)[-1].lower() != "html"
    return False


def looks_like_html(text: str) -> bool:
    """True when the text starts like an HTML document or fragment."""
    return bool(_HTML_START.match(text[:4096]))


def prepare() -> None:
    """Load now the data extraction otherwise loads on first need, once per process.

    Some pages need jusText's stop words of every language, dateparser's English patterns or
    the month names of every dateparser language; each takes a few tenths of a second to load
    the first time. Called in the extraction pool's fork server (``run/pool_preload.py``), so
    workers forked from it share what it loaded instead of each loading it on its own.
    """
    prepare_justext()
    prepare_dates()


def extract(raw: RawDocument, settings: Settings) -> Article:
    """Recover the article in a raw document.

    Raises ``ExtractError`` with code ``too_large``, ``empty_input``, ``binary_content``,
    ``decode_error``, ``not_html``, ``bad_html``, ``extract_timeout``, ``no_text`` or
    ``text_too_long``. An XML document that is not XHTML (an XML error page, an entity bomb
    served over HTTP) fails as ``not_html`` rather than becoming an article of markup.
    """
    if len(raw.content) > settings.max_document_bytes:
        raise ExtractError(
            f"document of {len(raw.content)} bytes is larger than the cap of "
            f"{settings.max_document_bytes} bytes",
            code="too_large",
        )
    decoded = normalise_text(decode(raw.content, raw.encoding, source=raw.source))
    if raw.content_type != "text" and looks_like_xml_not_html(decoded):
        raise ExtractError(
            "the document is XML, not an HTML page or text (no <html> root)", code="not_html"
        )
    is_html = raw.content_type == "html" or (raw.content_type is None and looks_like_html(decoded))
    article = Article(
        text="",
        source=raw.source,
        url=raw.url,
        fetched_at=raw.fetched_at,
        input_id=raw.input_id,
        published=raw.published,
        title=raw.title,
        metadata=dict(raw.metadata),
    )
    declared_language = None
    if is_html:
        page = extract_html(decoded, raw.url, timeout=settings.extract_timeout)
        body = normalise_text(page.text)
        article.title = page.title or article.title
        article.author = page.author
        article.published = article.published or page.published
        article.site = page.site
        article.canonical_url = page.canonical_url
        declared_language = page.declared_language
        article.metadata["extraction"] = page.method
    else:
        body = decoded
        article.metadata["extraction"] = "plain_text"
    if len(body) > settings.max_text_chars * _CLEANING_SLACK:
        # Cleaning drops junk lines, never most of a text: one this long ends too long anyway,
        # and the cleaner's per-line work on megabytes of text costs hundreds of megabytes.
        raise ExtractError(
            f"text of {len(body)} characters before cleaning is far over the cap of "
            f"{settings.max_text_chars}",
            code="text_too_long",
        )
    cleaned = clean_text(body, title=article.title)
    _apply_cleaning(article, cleaned, settings)
    article.language = detect_language(article.text) or declared_language
    article.site = article.site or site_of(article.canonical_url or article.url)
    return article


def _apply_cleaning(article: Article, cleaned: CleanedText, settings: Settings) -> None:
    text = cleaned.text
    if len(text.strip()) < settings.min_article_chars:
        if cleaned.dropped:
            reasons = sorted({d.reason for d in cleaned.dropped})
            message = f"no article text left after cleaning (all lines were {', '.join(reasons)})"
        else:
            message = "no article text found"
        raise ExtractError(message, code="no_text")
    if len(text) > settings.max_text_chars:
        raise ExtractError(
            f"article text of {len(text)} characters is longer than the cap of "
            f"{settings.max_text_chars}",
            code="text_too_long",
        )
    article.text = text
    article.dropped = cleaned.dropped
    if cleaned.headline and article.title is None:
        article.title = cleaned.headline
        article.metadata["title_from"] = "first_line"
