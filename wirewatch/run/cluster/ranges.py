"""WARC files split into record ranges, so one large file is many blocks.

A ``.warc.gz`` written one gzip member per record (as crawlers and CC-NEWS write them) can be
cut wherever a member starts: each range is read from its first byte to its last by seeking
there, and its records are exactly the file's records in that stretch. ``record_ranges`` cuts a
file larger than ``ray_block_bytes`` into ranges of about that size, each starting at the
first member at or after its target offset that holds the start of a WARC record (its gzip
header, inflated, begins ``WARC/``). A file that is one gzip stream (no member starts there),
or not gzipped, stays whole: a plain WARC has no boundary that can be found without reading
it from the start.

Nothing here imports Ray.
"""

from __future__ import annotations

import itertools
import os
import zlib
from typing import BinaryIO

from wirewatch.run.archives import is_archive
from wirewatch.run.cluster.blocks import Block

Span = tuple[int, int]  # [start, end) in the file's bytes

_MEMBER = b"\x1f\x8b\x08"  # a gzip member's first bytes (deflate)
_SCAN = 1 << 20  # bytes read at a time while looking for a member
_PROBE = 1 << 16  # bytes inflated to see whether a member starts a WARC record


def block_spans(block: Block, block_bytes: int) -> list[Span | None]:
    """A block's ranges when it is a WARC file to split, else ``[None]`` (read it whole)."""
    name = block[0]
    if len(block) != 1 or block_bytes <= 0 or "://" in name or not is_archive(name):
        return [None]
    try:
        spans = record_ranges(name, block_bytes)
    except OSError:
        return [None]
    return list(spans) if len(spans) > 1 else [None]


def record_ranges(path: str, block_bytes: int) -> list[Span]:
    """The ranges of the file at ``path``: one (the whole file) unless it is a gzipped WARC
    larger than ``block_bytes`` (0: never split) with member boundaries to cut at."""
    size = os.path.getsize(path)
    if block_bytes <= 0 or size <= block_bytes:
        return [(0, size)]
    with open(path, "rb") as handle:
        if handle.read(3) != _MEMBER:
            return [(0, size)]
        cuts = [0]
        target = block_bytes
        while target < size:
            found = _record_member(handle, target, size)
            if found is None:
                break
            cuts.append(found)
            target = found + block_bytes
    cuts.append(size)
    return list(itertools.pairwise(cuts))


def _record_member(handle: BinaryIO, offset: int, size: int) -> int | None:
    """The first offset at or after ``offset`` where a gzip member holding the start of a WARC
    record begins; None when there is none before the end."""
    position = offset
    while position < size:
        handle.seek(position)
        chunk = handle.read(_SCAN + len(_MEMBER) - 1)
        at = chunk.find(_MEMBER)
        while at != -1:
            if _starts_record(handle, position + at):
                return position + at
            at = chunk.find(_MEMBER, at + 1)
        position += _SCAN
    return None


def _starts_record(handle: BinaryIO, offset: int) -> bool:
    handle.seek(offset)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        head = inflater.decompress(handle.read(_PROBE), 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")
