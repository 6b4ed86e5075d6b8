"""Web archives (WARC, plain or gzipped per record): the HTML pages they captured.

Records are streamed with FastWARC, one at a time, so memory stays flat whatever the archive's
size; ``read_record`` (warc_record.py) decides what each holds. ``read_archive`` gives every
record with its offset, number and WARC-Record-ID, so a caller can record how far it got and
later resume there (``ResumePoint``); ``iter_warc`` gives only the pages and failures.

A record counts only when all of it is there: every byte its header declares, and in a
``.warc.gz`` its gzip member whole (trailer included) and holding no other record's bytes.
Failures: ``too_large`` for one oversized page (reading goes on), ``bad_warc`` for an archive
that is not one or that breaks (truncated, corrupt), after every complete record before it,
naming the offset of the break; ``too_large`` also ends a ``.warc.gz`` that inflates past
``max_warc_expansion`` times the compressed bytes read (warc_inflation.py), after every whole
record before the gzip member where it did. ARC files (the format before WARC) are not read.

An archive gzipped as a whole (one gzip member) is read too; its records all start in the
member at offset 0, so they are told apart by number, and resuming one skips by count.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from fastwarc.stream_io import GzipReader
from fastwarc.warc import ArchiveIterator

from wirewatch.collect.files import file_error
from wirewatch.collect.warc_inflation import Inflation, InflationCapped
from wirewatch.collect.warc_record import RecordRead, read_record
from wirewatch.model import Failure, RawDocument
from wirewatch.settings import Settings

_BLOCK = 64 * 1024
_GZIP = b"\x1f\x8b"
_CUT = "archive ends in the middle of a record"


@dataclass(frozen=True, slots=True)
class ResumePoint:
    """Where a reader stopped: the last record whose result was kept, and how many came before.

    ``offset`` is where that record starts (its gzip member in a ``.warc.gz``), ``records`` how
    many records were read up to and including it, ``record_id`` its WARC-Record-ID.
    """

    offset: int
    records: int
    record_id: str | None


@dataclass(frozen=True, slots=True)
class ArchiveRecord:
    """One record of an archive, or (``ends``) the break that ends it.

    ``number`` counts records from 1 in archive order (a break carries the number of the last
    record before it); ``item`` is the page, a Failure, or None for a record holding no page.
    """

    offset: int
    number: int
    record_id: str | None
    item: RawDocument | Failure | None
    ends: bool = False


def iter_warc(
    path: Path, settings: Settings, source: str | None = None
) -> Iterator[RawDocument | Failure]:
    """The HTML pages archived in ``path``, in archive order, each sourced ``name@offset``.

    ``name`` is ``source`` or the path; ``offset`` is the record's byte offset in the file
    (the compressed offset of its gzip member for a ``.warc.gz``, as CDX indexes give it).
    Each document has the WARC-Target-URI as ``url``, the HTTP payload (chunking and gzip
    undone) as ``content``, the HTTP charset as ``encoding``, WARC-Date as ``fetched_at`` and
    ``metadata["warc_record_id"]``. An archive with no such page at all (only images,
    redirects, request records) ends with one ``no_pages`` Failure.
    """
    records = 0
    items = 0
    for record in read_archive(path, settings, source):
        records += 1
        if record.item is not None:
            items += 1
            yield record.item
    if items == 0:
        yield _no_pages(source or str(path), records)


def iter_warc_stream(
    stream: BinaryIO, name: str, settings: Settings
) -> Iterator[RawDocument | Failure]:
    """``iter_warc`` over an open binary stream that cannot seek (standard input)."""
    counted = _Counted(stream)
    head = counted.peek()
    reader = _Records(counted, name, settings, gzipped=head.startswith(_GZIP), size=None)
    records = 0
    items = 0
    for record in reader.records(first=0):
        records += 1
        if record.item is not None:
            items += 1
            yield record.item
    if items == 0:
        yield _no_pages(name, records)


def _no_pages(name: str, records: int) -> Failure:
    """An archive that gave nothing at all says so, rather than ending silently."""
    return Failure(
        name,
        "collect",
        "no_pages",
        f"the archive's {records} record(s) hold no HTML page with a 2xx status",
    )


def read_archive(
    path: Path, settings: Settings, source: str | None = None, *, resume: ResumePoint | None = None
) -> Iterator[ArchiveRecord]:
    """Every record of the archive at ``path`` in order, then its break if it has one.

    With ``resume``, reading starts after the record it names: by seeking to its offset when
    the record found there is that record (per-record gzip, or a plain WARC), else by reading
    from the start and skipping ``resume.records`` records.
    """
    name = source or str(path)
    handle = yield from _open(path, name)
    if handle is None:
        return
    with handle:
        size = os.fstat(handle.fileno()).st_size
        head = handle.read(16)
        if head.startswith(b"filedesc://"):
            message = "an ARC file (the format before WARC) is not read; convert it to WARC"
            yield ArchiveRecord(0, 0, None, Failure(name, "collect", "bad_warc", message), True)
            return
        gzipped = head.startswith(_GZIP)
        if resume is not None and resume.records > 0:
            yield from _resumed(handle, name, settings, gzipped, size, resume)
            return
        handle.seek(0)
        yield from _Records(handle, name, settings, gzipped=gzipped, size=size).records(first=0)


def read_archive_range(
    path: Path, settings: Settings, source: str | None, start: int, end: int
) -> Iterator[ArchiveRecord]:
    """The records of a per-record gzipped archive that start in bytes ``[start, end)``,
    ``start`` and ``end`` being gzip member boundaries (``run/cluster/ranges.py`` finds them):
    read as ``read_archive`` reads the file, as if the file ended at ``end``. Records are
    numbered from 1 within the range; pages are sourced ``name@offset`` as the whole file's.
    """
    name = source or str(path)
    handle = yield from _open(path, name)
    if handle is None:
        return
    with handle:
        window = _Window(handle, end)
        window.seek(start)
        yield from _Records(window, name, settings, gzipped=True, size=end).records(first=0)


def _open(path: Path, name: str) -> Generator[ArchiveRecord, None, BinaryIO | None]:
    """The archive at ``path`` opened for reading, or ``None`` after yielding its failure."""
    try:
        return path.open("rb")
    except OSError as exc:
        error = file_error(exc, path)
        yield ArchiveRecord(0, 0, None, Failure(name, "collect", error.code, error.message), True)
        return None


class _Window:
    """A file read as if it ended at ``end`` (seeks and tells are the file's own)."""

    def __init__(self, handle: BinaryIO, end: int) -> None:
        self._handle = handle
        self._end = end

    def read(self, size: int = -1) -> bytes:
        left = max(0, self._end - self._handle.tell())
        return self._handle.read(left if size < 0 else min(size, left))

    def tell(self) -> int:
        return self._handle.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._handle.seek(offset, whence)

    def close(self) -> None:
        """The file belongs to ``read_archive_range``, which closes it."""


def _resumed(
    handle: BinaryIO, name: str, settings: Settings, gzipped: bool, size: int, at: ResumePoint
) -> Iterator[ArchiveRecord]:
    """The records after ``at``: seek to it when the record there is the one named, else skip."""
    handle.seek(at.offset)
    reader = _Records(handle, name, settings, gzipped=gzipped, size=size)
    records = reader.records(first=at.records - 1)
    first = next(records, None)
    if first is not None and not first.ends and at.record_id and first.record_id == at.record_id:
        yield from records
        return
    records.close()
    handle.seek(0)
    reader = _Records(handle, name, settings, gzipped=gzipped, size=size)
    for record in reader.records(first=0):
        if record.number > at.records or record.ends:
            yield record


class _Records:
    """FastWARC's records with the checks that tell a whole record from a cut one."""

    def __init__(
        self, handle: Any, name: str, settings: Settings, *, gzipped: bool, size: int | None
    ) -> None:
        self._handle = handle
        self._name = name
        self._settings = settings
        self._gzipped = gzipped
        self._size = size
        if gzipped:
            slack = settings.max_document_bytes + (1 << 20)
            self._reader = GzipReader(Inflation(handle, settings.max_warc_expansion, slack))
        else:
            self._reader = handle
        # A record's end in the file: its gzip member's end, or where its block ends.
        self._end = handle.tell()

    def records(self, first: int) -> Generator[ArchiveRecord, None, None]:
        """Records numbered from ``first + 1``; a record is given once the next one is read.

        Holding each record back until the next is read (or the end is checked) keeps a record
        whose gzip member turns out cut short from being given at all.
        """
        archive = ArchiveIterator(self._reader, parse_http=False, stream_detect=False)
        start = self._end
        number = first
        pending: ArchiveRecord | None = None
        while True:
            try:
                record = next(archive, None)
            except InflationCapped as exc:
                if pending is not None:
                    yield pending
                failure = Failure(f"{self._name}@{exc.offset}", "collect", "too_large", str(exc))
                yield ArchiveRecord(exc.offset, number, None, failure, True)
                return
            except Exception as exc:  # FastWARC raises OSError (and kin) on what is no record
                yield from self._broken_after(pending, number - first, exc)
                return
            if record is None:
                break
            offset = self._offset(record)
            number += 1
            detail: str | None = None
            try:
                read = read_record(record, f"{self._name}@{offset}", self._settings)
            except Exception as exc:  # the record broke while its block was read
                read, detail = RecordRead(None, False), _detail(exc)
            if not read.complete or not self._within_member(offset):
                if pending is not None:
                    yield pending
                why = f"broken record ({detail})" if detail else _CUT
                yield _broken(self._name, offset, number - 1, why)
                return
            if pending is not None:
                yield pending
            pending = ArchiveRecord(offset, number, record.record_id, read.item)
            self._end = self._record_end(offset)
        yield from self._at_end(pending, start, number - first)

    def _at_end(
        self, pending: ArchiveRecord | None, start: int, read: int
    ) -> Iterator[ArchiveRecord]:
        """The last record if the archive really ends after it, then the break if it does not."""
        if pending is None and read == 0 and start == 0:
            failure = Failure(self._name, "collect", "bad_warc", "not a WARC file: no records")
            yield ArchiveRecord(0, 0, None, failure, True)
            return
        if pending is not None and not self._last_whole(pending.offset):
            yield _broken(self._name, pending.offset, pending.number - 1, _CUT)
            return
        if pending is not None:
            yield pending
        number = pending.number if pending is not None else 0
        if self._gzipped and self._size is not None and self._end < self._size:
            yield _broken(self._name, self._end, number, _CUT)

    def _last_whole(self, offset: int) -> bool:
        """Whether the archive's last record is all there: its gzip member whole, or (plain)
        every byte its Content-Length declares before the end of the file."""
        if self._gzipped:
            return self._member_whole(offset)
        if self._size is None:
            return True  # standard input: what FastWARC read is all there is to go by
        end, _ = _plain_end(self._handle, offset)
        return end <= self._size

    def _offset(self, record: Any) -> int:
        if self._gzipped:
            start = self._reader.frame_start_position()
            return int(start if start is not None else record.stream_pos)
        return int(record.stream_pos)

    def _within_member(self, offset: int) -> bool:
        """In a .warc.gz, whether the record ended inside the gzip member it started in."""
        if not self._gzipped:
            return True
        return bool(self._reader.frame_start_position() == offset)

    def _record_end(self, offset: int) -> int:
        if self._gzipped:
            return int(self._reader.inner_tell())
        return offset  # a plain record's end is found only when needed (_plain_end)

    def _broken_after(
        self, pending: ArchiveRecord | None, read: int, exc: Exception
    ) -> Iterator[ArchiveRecord]:
        """The last record read, if it is whole, then the break FastWARC hit after it."""
        detail = _detail(exc)
        if pending is None and read == 0 and self._end == 0:
            failure = Failure(self._name, "collect", "bad_warc", f"not a WARC file: {detail}")
            yield ArchiveRecord(0, 0, None, failure, True)
            return
        end = self._end
        if pending is not None and not self._gzipped:
            end, whole = _plain_end(self._handle, pending.offset)
            if not whole:  # what follows its block is no blank line: its length is wrong
                why = "broken record (its Content-Length does not match the archive)"
                yield _broken(self._name, pending.offset, pending.number - 1, why)
                return
        if pending is not None:
            yield pending
        number = pending.number if pending is not None else read
        yield _broken(self._name, end, number, f"broken record ({detail})")

    def _member_whole(self, offset: int) -> bool:
        """Whether the gzip member at ``offset`` ends properly, trailer and checksum included."""
        try:
            position = self._handle.tell()
            self._handle.seek(offset)
        except (OSError, AttributeError, ValueError):
            return True  # a stream that cannot seek: FastWARC's reading is all there is
        try:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            while not inflater.eof and (piece := self._handle.read(_BLOCK)):
                inflater.decompress(piece, _BLOCK)
                while inflater.unconsumed_tail and not inflater.eof:
                    inflater.decompress(inflater.unconsumed_tail, _BLOCK)
            return bool(inflater.eof)
        except zlib.error:
            return False
        finally:
            self._handle.seek(position)


def _plain_end(handle: Any, start: int) -> tuple[int, bool]:
    """Where the plain WARC record at ``start`` ends, and whether blank lines follow its block.

    Used only after a break, to name where it is; ``(start, True)`` when it cannot be told.
    """
    try:
        position = handle.tell()
        handle.seek(start)
        head = handle.read(_BLOCK)
    except (OSError, AttributeError, ValueError):
        return start, True
    try:
        split = head.find(b"\r\n\r\n")
        if split < 0:
            return start, True
        length = 0
        for line in head[:split].split(b"\r\n"):
            key, _, value = line.partition(b":")
            if key.strip().lower() == b"content-length" and value.strip().isdigit():
                length = int(value.strip())
        end = start + split + 4 + length
        handle.seek(end)
        trailer = handle.read(4)
        return end + len(trailer), b"\r\n\r\n".startswith(trailer)
    finally:
        handle.seek(position)


class _Counted:
    """A stream that cannot seek, with the position FastWARC asks for and a first peek."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._head = b""
        self._position = 0

    def peek(self) -> bytes:
        if not self._head:
            self._head = self._stream.read(16)
        return self._head

    def read(self, size: int = -1) -> bytes:
        if self._head:
            data, self._head = self._head, b""
            if size < 0 or size > len(data):
                data += self._stream.read(-1 if size < 0 else size - len(data))
        else:
            data = self._stream.read(size)
        self._position += len(data)
        return data

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        raise OSError("standard input cannot seek")

    def close(self) -> None:
        pass


def _broken(name: str, offset: int, number: int, why: str) -> ArchiveRecord:
    failure = Failure(f"{name}@{offset}", "collect", "bad_warc", f"{why} at offset {offset}")
    return ArchiveRecord(offset, number, None, failure, True)


def _detail(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
