"""Block scheduling on Ray: one run's extraction tasks, its copy shuffle, and its bounded
queue of blocks in flight between extraction, the NLP actors and the writer.

Every block is extracted (to its spill file) and signed first, so the copy index is whole
before the first article is given its story; then blocks are read back, parsed and stored
with at most ``limit`` in flight (``2 x actors``). With SQLite the driver stores them in input
order (``driver_writes``); with PostgreSQL the actors do (``workers_store``), a block only
after the blocks it copies from; with ``--output`` the actors write Parquet files
(``workers_write``). A block whose worker dies fails as ``worker_failed`` and is left
unmarked, and the run goes on.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wirewatch.errors import UsageError
from wirewatch.model import Article, Failure
from wirewatch.run.cluster.blocks import Block
from wirewatch.run.cluster.copies import CopyPlan, RunCopies
from wirewatch.run.cluster.markers import Planned, mark_done
from wirewatch.run.cluster.shuffle import CopyShuffle, ShuffleStats
from wirewatch.run.cluster.sizing import SHARE
from wirewatch.run.cluster.spill import remove_spill
from wirewatch.run.cluster.work import Extracted, Peak, Spilled, Stored, extract_and_sign
from wirewatch.run.ingest import IngestSummary, Recorder
from wirewatch.run.local import RunStats, StageChoice
from wirewatch.run.pool import describe
from wirewatch.settings import Settings
from wirewatch.store.blocks import BlockCounts
from wirewatch.stories.assign import copy_rules

Result = Article | Failure


class BlockQueue:
    """One run's Ray handles and its bounded queue of blocks in flight."""

    def __init__(
        self,
        ray: Any,
        actors: list[Any],
        settings: Settings,
        stages: StageChoice,
        stats: RunStats,
        *,
        limit: int,
        folder: str,
    ) -> None:
        self.ray = ray
        self.folder = folder
        self.extract = ray.remote(num_cpus=SHARE, num_returns=2)(extract_and_sign)
        self.actors = itertools.cycle(actors)
        self.settings = settings
        self.stages = stages
        self.stats = stats
        self.limit = limit
        self.shuffle = CopyShuffle(ray, copy_rules(settings), len(actors), folder)
        self.shuffle_stats = ShuffleStats()
        self.peaks: dict[tuple[str, int], Peak] = {}
        self.held = 0  # the most blocks read back from their spill files at once
        self._blocks = 0

    def launch(self, blocks: list[Planned]) -> list[tuple[Planned, Any]]:
        """Start extracting ``blocks``, numbered in order, each one's signatures sent to
        the copy index's shuffle; returns each block with its extraction's reference."""
        launched = []
        for item in blocks:
            extracted, signed = self.extract.remote(
                item.block, self.settings, item.marker, self._blocks, self.folder, item.span
            )
            self.shuffle.add(self._blocks, signed)
            self._blocks += 1
            launched.append((item, extracted))
        return launched

    def copy_plan(self) -> CopyPlan:
        """The copy index of every block launched (waits for their extraction)."""
        try:
            found, self.shuffle_stats = self.shuffle.plan()
        except Exception as exc:  # a worker died: its block fails where it is stored
            _raise_usage_error(exc)
            found, self.shuffle_stats = self._plan_without_failed()
        self.shuffle.release()
        self.stats.seconds["copies"] += self.shuffle_stats.seconds
        return found

    def _plan_without_failed(self) -> tuple[CopyPlan, ShuffleStats]:
        """The plan when a block's extraction failed: every other block's."""
        kept = CopyShuffle(
            self.ray, copy_rules(self.settings), self.shuffle.partitions, self.folder
        )
        for number, signed in self.shuffle.signed.items():
            try:
                self.ray.get(self.shuffle.mapped[number])  # small: its band rows
            except Exception:  # this block fails where it is stored, and is read again
                continue
            kept.add(number, signed)
        return kept.plan()

    def _peak(self, peak: Peak | None) -> None:
        if peak is not None:
            self.peaks[(peak.kind, peak.pid)] = peak

    def workers_write(
        self,
        todo: list[tuple[int, Planned]],
        folder: str,
        on_progress: Callable[[IngestSummary], None] | None,
    ) -> IngestSummary:
        """Blocks launched here (streamed: at most ``limit`` in flight), each parsed and
        written by an actor to ``folder`` as the dataset file of its number; the summaries
        summed."""
        waiting = deque(todo)
        running: deque[tuple[Planned, Any]] = deque()
        total = IngestSummary()
        while waiting or running:
            while waiting and len(running) < self.limit:
                number, item = waiting.popleft()
                ((_, extracted),) = self.launch([item])
                stored = next(self.actors).write.remote(extracted, self.stages, folder, number)
                running.append((item, stored))
            self.held = max(self.held, len(running))
            self._collect(running.popleft(), total, on_progress)
        return total

    def workers_store(
        self,
        launched: list[tuple[Planned, Any]],
        on_progress: Callable[[IngestSummary], None] | None,
        copies: RunCopies,
    ) -> IngestSummary:
        """Blocks already extracted, stored by the actors with the run's copy plan; a block
        stored only after the blocks it copies from (Ray holds it until they are done)."""
        planned = self.ray.put(copies)
        stored_refs: list[Any] = []
        running: deque[tuple[Planned, Any]] = deque()
        total = IngestSummary()
        waiting = deque(launched)
        while waiting or running:
            while waiting and len(running) < self.limit:
                item, extracted = waiting.popleft()
                number = len(stored_refs)
                after = [stored_refs[b] for b in sorted(copies.plan.after.get(number, ()))]
                actor = next(self.actors)
                stored = actor.ingest.remote(extracted, self.stages, item.marker, planned, *after)
                stored_refs.append(stored)
                running.append((item, stored))
            self.held = max(self.held, len(running))
            self._collect(running.popleft(), total, on_progress)
        return total

    def _collect(
        self,
        running: tuple[Planned, Any],
        total: IngestSummary,
        on_progress: Callable[[IngestSummary], None] | None,
    ) -> None:
        item, pending = running
        try:
            done: Stored = self.ray.get(pending)
        except Exception as exc:  # a worker died: the block fails, the run goes on
            _raise_usage_error(exc)
            done = Stored(IngestSummary(failures=[_block_failure(item.block, exc)]))
        self.stats.documents += done.documents
        for stage, seconds in done.seconds.items():
            self.stats.seconds[stage] += seconds
        for found in done.peaks:
            self._peak(found)
        _add(total, done.summary)
        if on_progress is not None:
            on_progress(total)

    def driver_writes(self, launched: list[tuple[Planned, Any]], recorder: Recorder) -> None:
        """Blocks already extracted, parsed on the cluster and stored here in input order,
        each in one transaction with its marker."""
        waiting = deque(launched)
        extracting: deque[tuple[Planned, Any]] = deque()
        parsing: deque[_Parsing] = deque()
        while waiting or extracting or parsing:
            while waiting and len(extracting) + len(parsing) < self.limit:
                extracting.append(waiting.popleft())
            if extracting and (not parsing or self._ready(extracting[0][1])):
                item, ref = extracting.popleft()
                parsing.append(self._sift(item, self._extracted(ref), recorder))
                self.held = max(self.held, len(parsing))
            else:
                self._store(parsing.popleft(), recorder)
        recorder.finish()

    def _sift(self, item: Planned, spilled: Spilled | Exception, recorder: Recorder) -> _Parsing:
        """A block read back from its spill file; its texts the store already holds recorded
        here, the rest sent to parse."""
        if isinstance(spilled, Exception):
            return _Parsing(item, None, [], None, BlockCounts(), error=spilled)
        try:
            extracted = spilled.load()
        except OSError as exc:  # the work folder is gone or unreadable: the block fails
            return _Parsing(item, None, [], None, BlockCounts(), error=exc)
        self.stats.documents += len(extracted.results)
        self.stats.seconds["extract"] += extracted.seconds
        self._peak(extracted.peak)
        before = _tally(recorder.summary)
        fresh = [r for r in extracted.results if not (isinstance(r, Article) and recorder.known(r))]
        skipped = _since(before, recorder.summary, len(extracted.results))
        ids = [r.id for r in fresh if isinstance(r, Article)]
        pending: Any = fresh
        if self.stages == "all" and ids:
            pending = next(self.actors).parse.remote(fresh)
        return _Parsing(item, extracted, ids, pending, skipped, path=spilled.path)

    def _store(self, parsing: _Parsing, recorder: Recorder) -> None:
        item, extracted = parsing.item, parsing.extracted
        if extracted is None:
            recorder.record(_block_failure(item.block, parsing.error))
            return  # not marked: the next run reads the block again
        pending = parsing.pending
        if isinstance(pending, list):
            parsed: list[Result] = pending
        else:
            try:
                parsed, seconds, peak = self.ray.get(pending)
            except Exception as exc:  # a worker died: the block fails, the run goes on
                _raise_usage_error(exc)
                recorder.record(_block_failure(item.block, exc))
                return
            self.stats.seconds["understand"] += seconds
            self._peak(peak)
        started = time.perf_counter()
        with recorder.store.transaction() as conn:
            before = _tally(recorder.summary)
            for result in parsed:
                recorder.record(result)
            recorder.settle(parsing.ids)
            counts = _plus(parsing.skipped, _since(before, recorder.summary, 0))
            mark_done(conn, item.marker, extracted.reach, counts)
        self.stats.seconds["store"] += time.perf_counter() - started
        if parsing.path is not None:
            remove_spill(parsing.path)

    def _extracted(self, ref: Any) -> Spilled | Exception:
        try:
            spilled: Spilled = self.ray.get(ref)
        except Exception as exc:  # a worker died: the block fails, the run goes on
            _raise_usage_error(exc)
            return exc
        return spilled

    def _ready(self, ref: Any) -> bool:
        done, _ = self.ray.wait([ref], timeout=0)
        return bool(done)


@dataclass(slots=True)
class _Parsing:
    """A block between extraction and storing: its results (or the parse in flight)."""

    item: Planned
    extracted: Extracted | None
    ids: list[str]  # the articles sent to be parsed
    pending: Any  # list[Result], or a Ray reference to (list[Result], seconds)
    skipped: BlockCounts  # what recording the texts already stored counted
    error: Exception | None = None  # the worker's, when extraction failed
    path: str | None = None  # its spill file, removed once the block is stored


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
    """A bad setting on a worker (a model not installed) stops the run, as it does locally."""
    cause = getattr(exc, "cause", None)  # a RayTaskError carries the worker's exception
    if isinstance(cause, UsageError):
        raise UsageError(str(cause)) from exc


def _block_failure(block: Block, exc: BaseException | None) -> Failure:
    where = block[0] if len(block) == 1 else f"{block[0]} (+{len(block) - 1} more)"
    return Failure(
        source=where,
        stage="extract",
        code="worker_failed",
        message=f"a Ray worker failed on this block: {describe(exc) if exc else 'no reason'}",
    )


def _add(total: IngestSummary, done: IngestSummary) -> None:
    total.added += done.added
    total.duplicates += done.duplicates
    total.copies += done.copies
    total.failures += done.failures
    total.article_ids += done.article_ids
