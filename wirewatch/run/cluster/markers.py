"""Block markers: which blocks of a Ray run are done, so a run started again reads only the rest.

A WARC file is tracked in the ``archives`` table, as the local executor tracks it (so
``wirewatch archives`` lists it, and either executor goes on from where the other stopped);
any other block of files in the ``blocks`` table, under a key made of its files' names, sizes
and modification times. A WARC file split into record ranges (``ranges.py``) has a ``blocks``
row per range, keyed by the file's name, size and modification time and the range's bytes, so
a run stopped midway goes on with the ranges not done; such a file is not in ``archives`` but
in ``split_archives``, its ranges' rows linked to it (``wirewatch archives`` lists it with its
ranges done and in all, and a run, local or on Ray, skips it once every range is done).
URLs and unlistable directories are not tracked: they are read again by every run, as the
local executor reads them (nothing is stored twice either way).

``plan`` runs on the driver before a block is sent out; ``mark_done`` runs wherever the
block's results are stored, inside the transaction that stores them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from wirewatch.collect.warc import ResumePoint
from wirewatch.run.archives import is_archive
from wirewatch.run.cluster.blocks import Block
from wirewatch.run.cluster.ranges import Span, block_spans
from wirewatch.store import Store
from wirewatch.store.archives import (
    Progress,
    add_counts,
    find_archive,
    finish_archive,
    identify,
    resume_archive,
    save_progress,
    start_archive,
)
from wirewatch.store.backends import Connection
from wirewatch.store.blocks import BlockCounts, find_block, finish_block, start_block
from wirewatch.store.split_archives import split_done, start_split

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True, slots=True)
class Marker:
    """Where a block's state is kept: an archive row (a WARC file) or a blocks row (``key``)."""

    archive_id: int | None = None
    source: str | None = None  # the archive's name, as its first run gave it
    resume: ResumePoint | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Reach:
    """How far a WARC block was read: its last record (``None``: none), and whether it broke."""

    records: int = 0
    position: int | None = None
    last_record_id: str | None = None
    broken: bool = False


@dataclass(frozen=True, slots=True)
class Planned:
    block: Block
    marker: Marker | None
    span: Span | None = None  # a WARC file's record range: its bytes [start, end)


@dataclass(slots=True)
class Plan:
    """The blocks to read, and what was skipped as already done (lines for people)."""

    blocks: list[Planned]
    skipped: list[str]
    skipped_blocks: int = 0


def plan(blocks: list[Block], store: Store, *, again: bool = False, block_bytes: int = 0) -> Plan:
    """Each block with its marker (started or resumed); blocks already done left out. A WARC
    file larger than ``block_bytes`` (0: none) that no run has left to go on with is split
    into record ranges, each a block with its own marker."""
    found = Plan([], [])
    archives: set[int] = set()
    ranges: set[str] = set()
    for block in blocks:
        if len(block) == 1 and not _URL.match(block[0]) and is_archive(block[0]):
            spans = _split(block[0], store, block_bytes, again=again)
            if spans is not None:
                _plan_split(block, spans, store, found, ranges, again=again)
                continue
            marker = _archive_marker(block[0], store, found, again=again)
            if isinstance(marker, Marker) and marker.archive_id is not None:
                if marker.archive_id in archives:
                    continue  # the same archive named twice
                archives.add(marker.archive_id)
        else:
            marker = _block_marker(block, store, found, again=again)
        if marker is not False:
            found.blocks.append(Planned(block, marker if isinstance(marker, Marker) else None))
    return found


def _archive_marker(name: str, store: Store, found: Plan, *, again: bool) -> Marker | bool:
    """The archive's marker; False when it is done; True (no marker) when it is unreadable."""
    try:
        identity = identify(Path(name))
    except OSError:
        return True  # not tracked: reading it reports why it cannot be read
    row = find_archive(store, identity)
    if row is not None and row.state == "done" and not again:
        found.skipped.append(
            f"{name}: already ingested ({row.state}: {row.records} records, "
            f"{row.articles} articles, {row.failures} failures); skipped, --again to redo"
        )
        found.skipped_blocks += 1
        return False
    if row is None and not again and (done := split_done(store, identity, name)):
        found.skipped.append(done)  # split into ranges by an earlier run, every one done
        found.skipped_blocks += 1
        return False
    if row is not None and not again:  # running (stopped) or failed: on from its position
        resume_archive(store, row.id, identity.path)
        point = None
        if row.position is not None:
            point = ResumePoint(row.position, row.records, row.last_record_id)
        return Marker(archive_id=row.id, source=row.source, resume=point)
    row = start_archive(store, identity, name)
    return Marker(archive_id=row.id, source=name)


def _split(name: str, store: Store, block_bytes: int, *, again: bool) -> list[Span] | None:
    """The record ranges of a WARC file to read as several blocks; None to read it whole (not
    larger than ``block_bytes``, not cut at members, unreadable, or in ``archives`` from an
    earlier run, which goes on as it was tracked there)."""
    try:
        if block_bytes <= 0 or os.path.getsize(name) <= block_bytes:
            return None
        if not again and find_archive(store, identify(Path(name))) is not None:
            return None
    except OSError:
        return None  # reading it reports why it cannot be read
    spans = block_spans((name,), block_bytes)
    return [span for span in spans if span is not None] or None


def _plan_split(
    block: Block, spans: list[Span], store: Store, found: Plan, ranges: set[str], *, again: bool
) -> None:
    """A split WARC file's ranges planned, each with its marker (a ``blocks`` row linked to
    the file's ``split_archives`` row); none when every range is done (a line says so)."""
    name = block[0]
    status = os.stat(name)
    file = [name, status.st_size, status.st_mtime_ns]
    keys = [_digest([file, list(span)]) for span in spans]
    if keys[0] in ranges:
        return  # the same file named twice
    ranges.update(keys)
    split = _digest([file, [list(span) for span in spans]])
    identity = identify(Path(name))
    start_split(store, split, identity, name, keys)
    planned = len(found.blocks)
    for key, span in zip(keys, spans, strict=True):
        row = find_block(store, key)
        if row is not None and row.state == "done" and not again:
            found.skipped_blocks += 1
            continue
        start_block(store, key, f"{name}@{span[0]}", 1, split=split)
        found.blocks.append(Planned(block, Marker(key=key), span))
    if len(found.blocks) == planned and (done := split_done(store, identity, name)):
        found.skipped.append(done)


def _digest(parts: list[object]) -> str:
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _block_marker(block: Block, store: Store, found: Plan, *, again: bool) -> Marker | bool:
    """The block's marker; False when it is done; True (no marker) when it is not tracked."""
    key = block_key(block)
    if key is None:
        return True
    row = find_block(store, key)
    if row is not None and row.state == "done" and not again:
        found.skipped_blocks += 1
        return False
    start_block(store, key, block[0], len(block))
    return Marker(key=key)


def block_key(block: Block) -> str | None:
    """The key of a block of files: its names, sizes and modification times; None when a name
    is not a plain file (a URL, a directory) or cannot be read."""
    parts: list[list[object]] = []
    for name in block:
        if _URL.match(name):
            return None
        try:
            status = os.stat(name)
        except OSError:
            return None
        if not Path(name).is_file():
            return None
        parts.append([name, status.st_size, status.st_mtime_ns])
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def mark_done(
    conn: Connection, marker: Marker | None, reach: Reach | None, counts: BlockCounts
) -> None:
    """Record the block as done (an archive: done or failed, with its position and counts)."""
    if marker is None:
        return
    if marker.key is not None:
        finish_block(conn, marker.key, counts)
    if marker.archive_id is None:
        return
    reach = reach or Reach()
    duplicates = counts.copies + counts.duplicates
    if reach.position is not None:
        progress = Progress(
            reach.records,
            reach.position,
            reach.last_record_id,
            counts.articles,
            duplicates,
            counts.failures,
        )
        save_progress(conn, marker.archive_id, progress)
    else:  # nothing read past its resume point (or only its break): the position stays
        add_counts(conn, marker.archive_id, counts.articles, duplicates, counts.failures)
    finish_archive(conn, marker.archive_id, "failed" if reach.broken else "done")
