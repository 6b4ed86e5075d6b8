"""Web archives (WARC, gzipped per record or not, and ARC): the HTML pages they captured.

Records are read one at a time with warcio, so memory stays flat whatever the archive's size.
Only ``response`` records with a 2xx status and an HTML media type become documents; requests,
metadata, images and error pages are skipped without a word, since they are not documents.
Failures: ``too_large`` for one oversized page (reading goes on), ``bad_warc`` for an archive
that is not one or that breaks (truncated, corrupt), after every complete record before it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataException
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.statusandheaders import StatusAndHeadersParserException

from wirewatch.collect.files import file_error
from wirewatch.collect.sniff import HTML_MEDIA_TYPES, charset_of, media_type
from wirewatch.model import Failure, RawDocument, utc_now
from wirewatch.settings import Settings

_BLOCK = 64 * 1024
# What warcio raises on archives that are not WARC or break part-way.
_ARCHIVE_ERRORS = (
    ArchiveLoadFailed,
    ChunkedDataException,
    StatusAndHeadersParserException,
    ValueError,
    EOFError,
    OSError,
)


def iter_warc(
    path: Path, settings: Settings, source: str | None = None
) -> Iterator[RawDocument | Failure]:
    """The HTML pages archived in ``path``, in archive order, each sourced ``name@offset``.

    ``name`` is ``source`` or the path; ``offset`` is the record's byte offset in the file
    (the compressed offset for a ``.warc.gz``, as CDX indexes give it). Each document has the
    WARC-Target-URI as ``url``, the decoded HTTP payload (chunking and gzip undone) as
    ``content``, the HTTP charset as ``encoding``, WARC-Date as ``fetched_at`` and
    ``metadata["warc_record_id"]``.
    """
    name = source or str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        error = file_error(exc, path)
        yield Failure(name, "collect", error.code, error.message)
        return
    with handle:
        yield from iter_warc_stream(handle, name, settings, size=os.fstat(handle.fileno()).st_size)


def iter_warc_stream(
    stream: BinaryIO, name: str, settings: Settings, *, size: int | None = None
) -> Iterator[RawDocument | Failure]:
    """``iter_warc`` over an open binary stream (stdin, say); ``size`` enables the end check.

    Knowing the size lets an archive cut off inside a record header be told apart from one
    that simply ended: warcio reads both as "no more records".
    """
    archive = ArchiveIterator(stream, arc2warc=True)
    records = 0
    try:
        while (record := _next_record(archive)) is not None:
            # Until the record is read to its end, ``offset`` is where it starts.
            offset = archive.offset
            records += 1
            item = _record_item(record, f"{name}@{offset}", settings)
            if not _drained(record) or not _member_complete(archive):
                yield _broken(name, offset, "archive ends in the middle of a record")
                return
            if item is not None:
                yield item
    except _ARCHIVE_ERRORS as exc:
        yield _load_failure(name, archive.offset, records, exc)
        return
    if records == 0:
        yield Failure(name, "collect", "bad_warc", "not a WARC file: no records")
    elif size is not None and archive.offset < size:
        yield _broken(name, archive.offset, "archive ends in the middle of a record")


def _next_record(archive: ArchiveIterator) -> Any:
    """The next record, or None at the end; warcio's stumbles on broken headers as ours."""
    try:
        return next(archive)
    except StopIteration:
        return None
    except (AttributeError, TypeError, IndexError, KeyError) as exc:
        # warcio assumes well-formed headers (a WARC-Target-URI, say) when it parses them.
        raise ValueError(f"unreadable record header ({type(exc).__name__}: {exc})") from exc


def _record_item(record: Any, source: str, settings: Settings) -> RawDocument | Failure | None:
    """The document in one record, a Failure if it is too large, None if it is no page."""
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        return None
    status = _status(http.get_statuscode())
    content_type = http.get_header("Content-Type")
    if not 200 <= status < 300 or media_type(content_type) not in HTML_MEDIA_TYPES:
        return None
    limit = settings.max_document_bytes
    too_large = Failure(source, "collect", "too_large", f"record larger than {limit} bytes")
    if record.length is not None and record.length > limit:
        return too_large
    body = _read_capped(record.content_stream(), limit)
    if body is None:
        return too_large
    warc_date = record.rec_headers.get_header("WARC-Date")
    return RawDocument(
        source=source,
        content=body,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        content_type="html",
        encoding=charset_of(content_type),
        headers=_headers(http.headers),
        fetched_at=_iso_utc(warc_date) if warc_date else utc_now(),
        metadata={
            "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
            "http_status": status,
        },
    )


def _read_capped(stream: Any, limit: int) -> bytes | None:
    """All of ``stream``, or None as soon as it passes ``limit`` bytes."""
    body = bytearray()
    while piece := stream.read(_BLOCK):
        body += piece
        if len(body) > limit:
            return None
    return bytes(body)


def _drained(record: Any) -> bool:
    """Read what is left of the record; whether it held all the bytes its header declared.

    A record is complete when its Content-Length is a number and that many bytes follow its
    header; the blank lines (or gzip trailer) after them carry nothing and are not checked.
    """
    raw = record.raw_stream
    while raw.read(_BLOCK):
        pass
    # warcio reads a missing Content-Length as "to the end of the file" and an unreadable
    # one (a header cut off after "Content-Length:") as 0: neither is a whole record.
    declared = record.rec_headers.get_header("Content-Length") or ""
    return declared.strip().isdigit() and isinstance(raw, LimitReader) and raw.limit == 0


def _member_complete(archive: ArchiveIterator) -> bool:
    """In a .warc.gz, whether the record's gzip member ended properly (trailer included)."""
    archive.read_to_end()  # the blank lines after the record, to the end of its member
    # warcio 1.8 keeps its zlib decompressor as ``reader.decompressor`` (None when plain).
    decompressor = archive.reader.decompressor if archive.reader else None
    return decompressor is None or bool(decompressor.eof)


def _status(statuscode: str | None) -> int:
    try:
        return int(statuscode or "")
    except ValueError:
        return 0


def _headers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """HTTP headers as a plain dict with lower-case keys; repeated headers joined by ", "."""
    headers: dict[str, str] = {}
    for key, value in pairs:
        key = key.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _iso_utc(warc_date: str) -> str:
    """WARC-Date (ISO 8601, UTC) in the form ``utc_now`` gives; kept as written if unreadable."""
    try:
        moment = datetime.fromisoformat(warc_date)
    except ValueError:
        return warc_date
    if moment.tzinfo is None:  # WARC dates are UTC by definition
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _broken(name: str, offset: int, why: str) -> Failure:
    return Failure(f"{name}@{offset}", "collect", "bad_warc", f"{why} at offset {offset}")


def _load_failure(name: str, offset: int, records: int, exc: Exception) -> Failure:
    """One line for whatever warcio raised; the first record failing means it is no WARC."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if "non-chunked gzip" in detail:  # warcio's several-paragraph advice, in one line
        detail = "gzip member holds several records (recompress with 'warcio recompress')"
    if records == 0 and offset == 0:
        return Failure(name, "collect", "bad_warc", f"not a WARC file: {detail[:200]}")
    return _broken(name, offset, f"broken record ({detail[:200]})")
