"""One WARC record as read by FastWARC: the HTML page it holds, a Failure, or nothing.

A record is a page when it is a ``response`` with an HTTP status of 2xx and an HTML media type
(``text/html``, ``application/xhtml+xml``), or no Content-Type at all and bytes that look like
HTML. Requests, metadata, images, redirects and error pages hold no page: they give ``None``.
The payload is read in blocks and never past ``max_document_bytes`` (a longer page fails as
``too_large`` and the rest of its record is skipped unread); chunked transfer coding and
gzip/deflate content coding are undone here, within the same limits.

Every block byte is counted: ``RecordRead.complete`` says whether the record held all the bytes
its WARC header declared, which is how a cut archive is told apart from a whole one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wirewatch.collect._inflate import decoder_for
from wirewatch.collect.sniff import HTML_MEDIA_TYPES, charset_of, looks_like_html, media_type
from wirewatch.errors import CollectError
from wirewatch.model import Failure, RawDocument, utc_now
from wirewatch.settings import Settings

_BLOCK = 64 * 1024
_SNIFF = 2048


@dataclass(frozen=True, slots=True)
class RecordRead:
    """What one record gave, and whether all the bytes its header declared were there."""

    item: RawDocument | Failure | None
    complete: bool


def read_record(record: Any, source: str, settings: Settings) -> RecordRead:
    """Read ``record`` (a ``fastwarc.warc.WarcRecord``) to its end; see the module docstring.

    The record must come from an ``ArchiveIterator`` made with ``parse_http=False``, so that
    every byte of its block is read (and counted) here.
    """
    declared = record.headers.get("Content-Length")
    if declared is None or not declared.strip().isdigit():
        return RecordRead(None, False)  # a header cut short, or no length to check against
    length = int(declared)
    if str(record.record_type) != "response" or not record.is_http:
        return RecordRead(None, record.consume() == length)
    try:
        record.parse_http()
    except Exception as exc:  # FastWARC cannot read this HTTP header (too long, say)
        record.consume()
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        failure = Failure(source, "collect", "bad_http", f"unreadable HTTP header ({detail})")
        # Whether the record is whole is judged by what follows it (the next record's header,
        # or its gzip member's end), as the bytes its HTTP header took cannot be counted.
        return RecordRead(failure, True)
    # What the block declared less the HTTP header: a header cut short leaves more to read
    # than the archive holds, which the count below catches.
    remaining = record.content_length
    http = record.http_headers
    status = http.status_code or 0
    content_type = http.get("Content-Type")
    media = media_type(content_type)
    if not 200 <= status < 300 or (content_type is not None and media not in HTML_MEDIA_TYPES):
        return RecordRead(None, record.consume() == remaining)
    limit = settings.max_document_bytes
    if remaining > limit:
        return RecordRead(_too_large(source, limit), record.consume() == remaining)
    body = record.reader.read(remaining) if remaining else b""
    while len(body) < remaining and (piece := record.reader.read(remaining - len(body))):
        body += piece
    complete = len(body) == remaining and record.consume() == 0
    try:
        payload = _decoded(body, http, limit)
    except CollectError as exc:
        return RecordRead(Failure(source, "collect", exc.code, exc.message), complete)
    if content_type is None and not looks_like_html(payload[:_SNIFF]):
        return RecordRead(None, complete)
    warc_date = record.headers.get("WARC-Date")
    document = RawDocument(
        source=source,
        content=payload,
        url=record.headers.get("WARC-Target-URI"),
        content_type="html",
        encoding=charset_of(content_type),
        headers=_headers(http.to_tuples()),
        fetched_at=iso_utc(warc_date) if warc_date else utc_now(),
        metadata={"warc_record_id": record.record_id, "http_status": status},
    )
    return RecordRead(document, complete)


def _decoded(body: bytes, http: Any, limit: int) -> bytes:
    """The payload with chunked transfer coding and gzip/deflate content coding undone."""
    too_large = f"record larger than {limit} bytes"
    if "chunked" in (http.get("Transfer-Encoding") or "").lower():
        body = dechunk(body)
    decoder = decoder_for(http.get("Content-Encoding"), limit, too_large)
    return decoder.feed(body) + decoder.finish()


def dechunk(body: bytes) -> bytes:
    """``body`` without HTTP/1.1 chunked transfer coding; as it is if it is not chunked.

    Crawlers record what the server sent, and some record a body already dechunked under a
    ``Transfer-Encoding: chunked`` header: a body that does not parse as chunks is kept as is.

    >>> dechunk(b"4\\r\\nKyiv\\r\\n0\\r\\n\\r\\n"), dechunk(b"<p>Kyiv</p>")
    (b'Kyiv', b'<p>Kyiv</p>')
    """
    out = bytearray()
    at = 0
    while True:
        end = body.find(b"\r\n", at)
        size_field = body[at:end].split(b";", 1)[0].strip() if end >= 0 else b""
        try:
            size = int(size_field, 16)
        except ValueError:
            return body
        if size == 0:
            return bytes(out)
        start = end + 2
        if start + size > len(body):
            return body
        out += body[start : start + size]
        at = start + size + 2


def _too_large(source: str, limit: int) -> Failure:
    return Failure(source, "collect", "too_large", f"record larger than {limit} bytes")


def _headers(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """HTTP headers as a plain dict with lower-case keys; repeated headers joined by ", "."""
    headers: dict[str, str] = {}
    for key, value in pairs:
        key = key.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def iso_utc(warc_date: str) -> str:
    """WARC-Date (ISO 8601, UTC) in the form ``utc_now`` gives; kept as written if unreadable."""
    try:
        moment = datetime.fromisoformat(warc_date)
    except ValueError:
        return warc_date
    if moment.tzinfo is None:  # WARC dates are UTC by definition
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()
