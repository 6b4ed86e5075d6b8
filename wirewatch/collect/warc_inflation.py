"""A cap on how far a gzipped WARC inflates, counted below FastWARC's own decompressor.

FastWARC inflates a ``.warc.gz`` in C and scans what comes out for records; a gzip member of
blank lines (a bomb: 1 MB inflating to 1 GB) keeps it scanning for about 45 CPU seconds per
inflated GB without ever handing a record back, so no check between records can stop it.
``Inflation`` is the raw stream FastWARC reads the compressed bytes from: it inflates them
once more, only to count the bytes they give (zlib alone inflates such a member some 17 times
faster than FastWARC scans it). Once the archive has given more than ``ratio`` times the
compressed bytes read, plus ``slack``, FastWARC is handed the bytes up to that point only, and
its next read raises ``InflationCapped`` (FastWARC lets it through unchanged): the records it
already holds are still given, so the archive ends at the bomb with every whole record before
it kept, and FastWARC scans at most about ``slack`` plus a megabyte of the bomb.

A wrapper above the decompressor could not do this: FastWARC reads ahead through it, and the
record offsets it reports (the compressed offsets of gzip members, which resuming seeks to)
would be lost. Reading the compressed bytes leaves them as they are.
"""

from __future__ import annotations

import zlib
from typing import Any

_PIECE = 1 << 20  # inflate at most this much at a time, so counting never holds a bomb whole


class InflationCapped(Exception):
    """The archive inflated past its cap; ``offset`` is the gzip member being inflated."""

    def __init__(self, offset: int, inflated: int, compressed: int, ratio: int) -> None:
        super().__init__(
            f"gzip data inflates to {inflated} bytes from {compressed} compressed bytes, past "
            f"max_warc_expansion ({ratio} times) plus one largest document (possible "
            "decompression bomb); the rest of the archive is not read"
        )
        self.offset = offset


class Inflation:
    """The compressed stream under FastWARC's ``GzipReader``, counting what it inflates to.

    Reads, seeks and tells go to ``stream`` unchanged. Counting starts at the stream's position
    when made (a member's start); a seek starts a fresh member there. Bytes that are no gzip
    are not counted: FastWARC reports those itself.
    """

    def __init__(self, stream: Any, ratio: int, slack: int) -> None:
        self._stream = stream
        self._ratio = ratio
        self._slack = slack
        self._compressed = 0
        self._inflated = 0
        self._position = _tell(stream)
        self._member = self._position
        self._inflater: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._counting = True
        self._capped: InflationCapped | None = None

    def read(self, size: int = -1) -> bytes:
        if self._capped is not None:
            raise self._capped
        data: bytes = self._stream.read(size)
        if data and self._counting:
            data = self._count(data)
        self._position += len(data)
        return data

    def tell(self) -> int:
        return int(self._stream.tell())

    def seek(self, offset: int, whence: int = 0) -> int:
        position = int(self._stream.seek(offset, whence))
        self._position = self._member = position
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._counting = True
        return position

    def close(self) -> None:
        """The stream belongs to the caller, who closes it."""

    def _count(self, data: bytes) -> bytes:
        """``data``, or its part up to where the cap was crossed (the next read raises)."""
        start = self._position
        pending = data
        try:
            while pending:
                out = self._inflater.decompress(pending, _PIECE)
                self._inflated += len(out)
                if self._inflater.eof:  # a member ends: the next one starts in what is left
                    pending = self._inflater.unused_data
                    self._member = start + len(data) - len(pending)
                    self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                else:
                    pending = self._inflater.unconsumed_tail
                compressed = self._compressed + len(data) - len(pending)
                if self._inflated > self._slack + self._ratio * compressed:
                    self._capped = InflationCapped(
                        self._member, self._inflated, compressed, self._ratio
                    )
                    data = data[: len(data) - len(pending)]
                    if not data:
                        raise self._capped
                    break
        except zlib.error:
            self._counting = False  # not gzip (or broken): FastWARC says so in its own terms
        self._compressed += len(data)
        return data


def _tell(stream: Any) -> int:
    try:
        return int(stream.tell())
    except (OSError, AttributeError, ValueError):
        return 0
