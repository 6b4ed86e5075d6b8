"""Every field of a collected record made safe at the boundary, before any stage sees it.

Data from outside may hold what no later stage expects: lone surrogates (``"\\udc80"`` from a
JSON escape or an XML character reference), which cannot be encoded as UTF-8 and so cannot be
stored; NUL characters, which end C strings; URLs that no URL parser accepts. ``safe_item``
is applied to everything a collector yields:

- a lone surrogate in any text field becomes U+FFFD (the replacement character), so the
  record is kept and the damage is visible where it was;
- NUL characters are removed from text fields (and NUL bytes from a document's content are
  left to the decoder, which drops them);
- a ``url`` that cannot be parsed (or holds control characters) fails the record as ``bad_url``
  (with the reason), instead of failing deeper in the pipeline as an internal error.

>>> clean_str("Kyiv\\udc80\\x00 (AFP)")
'Kyiv\\ufffd (AFP)'
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from wirewatch.errors import CollectError
from wirewatch.model import Failure, RawDocument

_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_URL_CHARS = 8192


def clean_str(value: str) -> str:
    """``value`` with lone surrogates replaced by U+FFFD and NUL characters removed."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    return _SURROGATE.sub("\ufffd", value)


def clean_optional(value: str | None) -> str | None:
    return None if value is None else clean_str(value)


def clean_value(value: Any, depth: int = 0) -> Any:
    """``clean_str`` applied to every string in a JSON-like value (keys included)."""
    if isinstance(value, str):
        return clean_str(value)
    if depth > 20:  # metadata is shallow; anything deeper is dropped, not walked
        return None
    if isinstance(value, dict):
        return {clean_value(k, depth + 1): clean_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(v, depth + 1) for v in value]
    return value


def checked_url(url: str | None) -> str | None:
    """``url`` cleaned, or ``CollectError`` (``bad_url``) when no URL parser could read it.

    A relative or non-http URL that parses is kept as it is (a feed file's relative link).

    >>> checked_url("https://example.org/a b")
    'https://example.org/a b'
    >>> checked_url("http://[::1")
    Traceback (most recent call last):
    ...
    wirewatch.errors.CollectError: malformed URL 'http://[::1': Invalid IPv6 URL
    """
    if url is None:
        return None
    url = clean_str(url).strip()
    if not url:
        return None
    if len(url) > _MAX_URL_CHARS:
        raise CollectError(f"URL longer than {_MAX_URL_CHARS} characters", code="bad_url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:
        raise CollectError(f"malformed URL {url[:200]!r}: {exc}", code="bad_url") from None
    if any(ord(ch) < 32 or ch == "\x7f" for ch in url):
        raise CollectError(f"URL holds control characters: {url[:200]!r}", code="bad_url")
    return url


def safe_item(item: RawDocument | Failure) -> RawDocument | Failure:
    """``item`` with every text field cleaned; a document with a bad URL becomes a Failure."""
    if isinstance(item, Failure):
        item.source = clean_str(item.source)
        item.message = clean_str(item.message)
        item.input_id = clean_optional(item.input_id)
        return item
    item.source = clean_str(item.source)
    item.input_id = clean_optional(item.input_id)
    item.title = clean_optional(item.title)
    item.published = clean_optional(item.published)
    item.encoding = clean_optional(item.encoding)
    item.headers = {clean_str(k): clean_str(v) for k, v in item.headers.items()}
    item.metadata = clean_value(item.metadata)
    try:
        item.url = checked_url(item.url)
    except CollectError as exc:
        return Failure(item.source, "collect", exc.code, exc.message, input_id=item.input_id)
    return item
