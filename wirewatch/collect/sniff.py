"""Telling what a document is from its media type or its first bytes.

Only cheap, conservative checks live here: a wrong "html" costs the extractor a parse, a wrong
"feed" would lose the document, so feeds need a real root element (see ``feeds``).
"""

from __future__ import annotations

import re
import zlib
from typing import Literal

HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_SNIFF_BYTES = 2048
_HTML_MARKERS = re.compile(rb"<!doctype\s+html|<(?:html|head|body|p)[\s>]", re.I)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^\s;"']+)""", re.I)


def media_type(header: str | None) -> str:
    """The lower-case media type of a Content-Type value, without parameters."""
    return (header or "").split(";", 1)[0].strip().lower()


def media_kind(header: str | None) -> Literal["html", "text"] | None:
    """``RawDocument.content_type`` for a Content-Type value: "html", "text" or None.

    >>> media_kind("text/html; charset=utf-8"), media_kind("text/plain"), media_kind("image/png")
    ('html', 'text', None)
    """
    media = media_type(header)
    if media in HTML_MEDIA_TYPES:
        return "html"
    if media == "text/plain":
        return "text"
    return None


def charset_of(header: str | None) -> str | None:
    """The charset parameter of a Content-Type value, in lower case, if any.

    >>> charset_of('text/html; charset="Windows-1251"')
    'windows-1251'
    """
    match = _CHARSET.search(header or "")
    return match.group(1).lower() if match else None


def looks_like_html(content: bytes) -> bool:
    """Whether an HTML tag (doctype, html, head, body or p) appears near the start.

    >>> looks_like_html(b"  <!DOCTYPE html><title>x</title>"), looks_like_html(b"Kyiv (AFP) -")
    (True, False)
    """
    return _HTML_MARKERS.search(content[:_SNIFF_BYTES]) is not None


def is_gzip(head: bytes) -> bool:
    return head.startswith(b"\x1f\x8b")


def gunzip_head(head: bytes, size: int = 64) -> bytes:
    """The first ``size`` bytes that a gzip stream starting with ``head`` expands to.

    For sniffing only: a corrupt or short stream gives whatever could be decoded.
    """
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, size)
    except zlib.error:
        return b""


def looks_like_warc(head: bytes) -> bool:
    """Whether (possibly gzipped) bytes start like a WARC record."""
    if is_gzip(head):
        head = gunzip_head(head)
    return head.startswith(b"WARC/1.")
