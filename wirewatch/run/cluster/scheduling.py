"""Block scheduling: one run's blocks through extraction, the copy shuffle, the NLP actors
and the writer.

Every block is extracted (to its spill file) and signed first, as a Ray Data dataset over the
block list (``pipeline.extraction``), each block's signatures handed to the copy shuffle as
the block comes, so the copy index is whole before the first article is given its story.
Then blocks are read back, parsed and stored:

- **SQLite** (``driver_writes``): the blocks go through the Ray Data NLP actor pool
  (``pipeline.parsing``) and come back to the driver in input order, which records the texts
  it already holds as duplicates or copies and stores the rest, block by block, each in one
  transaction with its marker. Ray Data's streaming executor bounds the blocks in flight
  (one per actor) and holds the actors back while the driver stores.
- **PostgreSQL** (``workers_store``): core Ray actors store the blocks themselves, at most
  ``limit`` (two per actor) in flight, a block only after the blocks it copies from (its
  call waits on their results). Ray Data has no such dependency between rows, hence core Ray.
- **Parquet** (``workers_write``): extraction and the NLP actor pool chained in one Ray Data
  dataset, each actor writing the dataset file of the block it parsed.

A block whose worker fails fails as ``worker_failed`` and is left unmarked; the run goes on.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from wirewatch.errors import UsageError
from wirewatch.model import Article, Failure
from wirewatch.run.cluster.blocks import Block
from wirewatch.run.cluster.copies import CopyPlan, RunCopies
from wirewatch.run.cluster.markers import Planned, mark_done
from wirewatch.run.cluster.pipeline import (
    ExtractedBlock,
    ParsedBlock,
    blocks_of,
    data_context,
    extraction,
    parsing,
    unpack,
)
from wirewatch.run.cluster.shuffle import CopyShuffle, ShuffleStats
from wirewatch.run.cluster.sizing import ActorShare
from wirewatch.run.cluster.spill import read_spill, remove_spill
from wirewatch.run.cluster.work import Device, Peak, Stored
from wirewatch.run.ingest import IngestSummary, Recorder
from wirewatch.run.local import RunStats, StageChoice
from wirewatch.run.pool import describe
from wirewatch.settings import Settings
from wirewatch.store.blocks import BlockCounts
from wirewatch.stories.assign import copy_rules

Result = Article | Failure


class BlockQueue:
    """One run's blocks, its copy shuffle, and what its workers reported."""

    def __init__(
        self,
        ray: Any,
        settings: Settings,
        stages: StageChoice,
        stats: RunStats,
        *,
        shares: list[ActorShare],
        folder: str,
    ) -> None:
        self.ray = ray
        self.folder = folder
        self.shares = shares
        self.settings = settings
        self.stages = stages
        self.stats = stats
        self.limit = 2 * len(shares)  # blocks in flight on core Ray actors
        self.shuffle = CopyShuffle(ray, copy_rules(settings), len(shares), folder)
        self.shuffle_stats = ShuffleStats()
        self.peaks: dict[tuple[str, int], Peak] = {}
        self.devices: dict[int, Device] = {}  # by actor pid, as the Ray Data actors report
        self.held = 0  # the most blocks the driver (or core Ray actors) held read back at once

    def extract(self, items: list[tuple[int, Planned]]) -> list[ExtractedBlock]:
        """Every block of ``items`` (number, block) extracted and signed, in input order,
        each one's signatures sent to the copy shuffle as it comes."""
        if not items:
            return []
        found: list[ExtractedBlock] = []
        with data_context() as data:
            for row in extraction(data, items, self.settings, self.folder).iter_rows():
                block: ExtractedBlock = unpack(row["block"])
                _stop_on_usage(block.usage)
                self._sign(block)
                found.append(block)
        return found

    def _sign(self, block: ExtractedBlock) -> None:
        if block.spilled is not None:  # a block that failed has no place in the index
            self.shuffle.add(block.number, self.ray.put(block.signed))

    def copy_plan(self) -> CopyPlan:
        """The copy index of every block signed (waits for the shuffle)."""
        found, self.shuffle_stats = self.shuffle.plan()
        self.shuffle.release()
        self.stats.seconds["copies"] += self.shuffle_stats.seconds
        return found

    def _peak(self, peak: Peak | None) -> None:
        if peak is not None:
            self.peaks[(peak.kind, peak.pid)] = peak

    def device_list(self) -> list[Device]:
        """Where each Ray Data NLP actor parsed, GPU actors first."""
        return sorted(self.devices.values(), key=lambda d: (-d.gpus, d.pid))

    def driver_writes(self, blocks: list[ExtractedBlock], recorder: Recorder) -> None:
        """Blocks already extracted, parsed by the actor pool (every stage) and stored here
        in input order, each in one transaction with its marker."""
        if self.stages == "all" and blocks:
            with data_context() as data:
                shares = self.shares[: len(blocks)]  # no actor that would get no block
                parsed = parsing(data, blocks_of(data, blocks), shares, self.settings, "all")
                for row in parsed.iter_rows():
                    self._store_parsed(unpack(row["block"]), recorder)
        else:
            for block in blocks:
                self._store_extracted(block, recorder)
        recorder.finish()

    def _store_parsed(self, parsed: ParsedBlock, recorder: Recorder) -> None:
        _stop_on_usage(parsed.usage)
        if parsed.device is not None:
            self.devices[parsed.device.pid] = parsed.device
        block = parsed.block
        if block.spilled is None or parsed.error is not None:
            recorder.record(_block_failure(block.item.block, parsed.error))
            return  # not marked: the next run reads the block again
        self.stats.seconds["understand"] += parsed.seconds
        self._peak(parsed.peak)
        # An article whose parse failed is checked as extracted against the texts held.
        originals = [parsed.originals.get(p, r) for p, r in enumerate(parsed.results)]
        self._sift_and_store(block, originals, parsed.results, recorder)

    def _store_extracted(self, block: ExtractedBlock, recorder: Recorder) -> None:
        if block.spilled is None:
            recorder.record(_block_failure(block.item.block, block.error))
            return
        try:
            results = list(read_spill(block.spilled.path))
        except OSError as exc:  # the work folder is gone or unreadable: the block fails
            recorder.record(_block_failure(block.item.block, describe(exc)))
            return
        self._sift_and_store(block, results, results, recorder)

    def _sift_and_store(
        self,
        block: ExtractedBlock,
        extracted: list[Result],
        results: list[Result],
        recorder: Recorder,
    ) -> None:
        """Record as duplicates or copies the texts the store already holds, store the
        rest (``results``, in place of ``extracted``) and the block's marker in one
        transaction; its spill file removed once it is stored."""
        spilled = block.spilled
        assert spilled is not None
        self.held = max(self.held, 1)
        self.stats.documents += len(extracted)
        self.stats.seconds["extract"] += spilled.seconds
        self._peak(spilled.peak)
        before = _tally(recorder.summary)
        fresh: list[Result] = []
        ids: list[str] = []
        for was, now in zip(extracted, results, strict=True):
            if isinstance(was, Article):
                if recorder.known(was):
                    continue
                ids.append(was.id)
            fresh.append(now)
        skipped = _since(before, recorder.summary, len(extracted))
        started = time.perf_counter()
        with recorder.store.transaction() as conn:
            before = _tally(recorder.summary)
            for result in fresh:
                recorder.record(result)
            recorder.settle(ids)
            counts = _plus(skipped, _since(before, recorder.summary, 0))
            mark_done(conn, block.item.marker, spilled.reach, counts)
        self.stats.seconds["store"] += time.perf_counter() - started
        remove_spill(spilled.path)

    def workers_store(
        self,
        blocks: list[ExtractedBlock],
        actors: list[Any],
        on_progress: Callable[[IngestSummary], None] | None,
        copies: RunCopies,
    ) -> IngestSummary:
        """Blocks already extracted, stored by core Ray actors with the run's copy plan; a
        block stored only after the blocks it copies from (Ray holds it until they are)."""
        planned = self.ray.put(copies)
        cycle = itertools.cycle(actors)
        stored_refs: dict[int, Any] = {}
        running: deque[tuple[ExtractedBlock, Any]] = deque()
        total = IngestSummary()
        waiting = deque(blocks)
        while waiting or running:
            while waiting and len(running) < self.limit:
                block = waiting.popleft()
                if block.spilled is None:
                    running.append((block, None))
                    continue
                after = [stored_refs[b] for b in sorted(copies.plan.after.get(block.number, ()))]
                stored = next(cycle).ingest.remote(
                    block.spilled, self.stages, block.item.marker, planned, *after
                )
                stored_refs[block.number] = stored
                running.append((block, stored))
            self.held = max(self.held, len(running))
            self._collect(running.popleft(), total, on_progress)
        return total

    def _collect(
        self,
        running: tuple[ExtractedBlock, Any],
        total: IngestSummary,
        on_progress: Callable[[IngestSummary], None] | None,
    ) -> None:
        block, pending = running
        if pending is None:
            done = Stored(IngestSummary(failures=[_block_failure(block.item.block, block.error)]))
        else:
            try:
                done = self.ray.get(pending)
            except Exception as exc:  # a worker died: the block fails, the run goes on
                _raise_usage_error(exc)
                done = Stored(
                    IngestSummary(failures=[_block_failure(block.item.block, describe(exc))])
                )
        self._add(done, total, on_progress)

    def _add(
        self,
        done: Stored,
        total: IngestSummary,
        on_progress: Callable[[IngestSummary], None] | None,
    ) -> None:
        self.stats.documents += done.documents
        for stage, seconds in done.seconds.items():
            self.stats.seconds[stage] += seconds
        for found in done.peaks:
            self._peak(found)
        _add(total, done.summary)
        if on_progress is not None:
            on_progress(total)

    def workers_write(
        self,
        todo: list[tuple[int, Planned]],
        folder: str,
        on_progress: Callable[[IngestSummary], None] | None,
    ) -> IngestSummary:
        """Blocks extracted and parsed in one streamed Ray Data dataset, each written by the
        actor that parsed it to ``folder`` as the dataset file of its number; each block's
        signatures sent to the copy shuffle as it comes; the summaries summed."""
        total = IngestSummary()
        if not todo:
            return total
        with data_context() as data:
            extracted = extraction(data, todo, self.settings, self.folder)
            shares = self.shares[: len(todo)]
            written = parsing(data, extracted, shares, self.settings, self.stages, folder)
            for row in written.iter_rows():
                parsed: ParsedBlock = unpack(row["block"])
                _stop_on_usage(parsed.usage)
                if parsed.device is not None:
                    self.devices[parsed.device.pid] = parsed.device
                self._sign(parsed.block)
                done = parsed.stored
                if done is None:
                    failure = _block_failure(parsed.block.item.block, parsed.error)
                    done = Stored(IngestSummary(failures=[failure]))
                self._add(done, total, on_progress)
        return total


def _stop_on_usage(usage: str | None) -> None:
    """A bad setting on a worker (a model not installed) stops the run, as it does locally."""
    if usage is not None:
        raise UsageError(usage)


def _tally(summary: IngestSummary) -> BlockCounts:
    return BlockCounts(0, summary.added, summary.copies, summary.duplicates, len(summary.failures))


def _since(before: BlockCounts, summary: IngestSummary, documents: int) -> BlockCounts:
    now = _tally(summary)
    return BlockCounts(
        documents,
        now.articles - before.articles,
        now.copies - before.copies,
        now.duplicates - before.duplicates,
        now.failures - before.failures,
    )


def _plus(a: BlockCounts, b: BlockCounts) -> BlockCounts:
    return BlockCounts(
        a.documents + b.documents,
        a.articles + b.articles,
        a.copies + b.copies,
        a.duplicates + b.duplicates,
        a.failures + b.failures,
    )


def _raise_usage_error(exc: Exception) -> None:
    """A bad setting on a core Ray actor stops the run, as it does locally."""
    cause = getattr(exc, "cause", None)  # a RayTaskError carries the worker's exception
    if isinstance(cause, UsageError):
        raise UsageError(str(cause)) from exc


def _block_failure(block: Block, reason: str | None) -> Failure:
    where = block[0] if len(block) == 1 else f"{block[0]} (+{len(block) - 1} more)"
    return Failure(
        source=where,
        stage="extract",
        code="worker_failed",
        message=f"a Ray worker failed on this block: {reason or 'no reason'}",
    )


def _add(total: IngestSummary, done: IngestSummary) -> None:
    total.added += done.added
    total.duplicates += done.duplicates
    total.copies += done.copies
    total.failures += done.failures
    total.article_ids += done.article_ids
