"""``ingest --executor ray``: the local chain (collect -> extract -> understand -> store) on Ray.

Inputs are split into blocks (``blocks``); each block is read and extracted by a Ray task;
articles are parsed by a pool of actors, one spaCy model each, sized from the cluster's CPUs
and GPUs (``sizing``: an actor placed with a GPU share asks spaCy for the GPU).

Memory stays flat whatever the archive size. An extraction task writes its block's results to
a spill file in the run's work folder as they come (``spill``: ``ray_spill_dir``, or a
temporary folder) and returns only the file's name and the block's signatures, no texts; what
the run holds for all its blocks is the copy index's (signatures, band keys, the plan). Blocks
are read back from their spill files to be parsed and stored with at most ``2 x actors`` in
flight, each file removed once its block is stored, and the work folder at the end.

Writes follow the store. With PostgreSQL the actors store their blocks themselves (many
writers: the store's advisory locks keep article keys and story assignment right). With SQLite
(one writer) results come back to the driver in input order, which stores them, skipping
texts it already holds before they are parsed, exactly as the local ``ingest`` does. Either
way copies are decided by the run's own copy index (``shuffle``, ``copies``): every block is
extracted (to its spill file) and signed first, band keys are shuffled between tasks,
candidate pairs verified (their texts read from the spill files),
and each writer's ``StoryAssigner`` picks an article's copy among the planned matches and the
store's texts from before the run. A block that copies from earlier blocks is stored by the
workers only after them, so copies and their leads are as the local executor makes them.

Each block's results are stored in one transaction with its marker (``markers``): a WARC file's
row in ``archives``, other files' in ``blocks``. A run killed at any moment and started again
with the same inputs skips the blocks done and reads the others again.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirewatch.errors import UsageError
from wirewatch.model import Article, Failure
from wirewatch.run.cluster.blocks import FILES_PER_BLOCK, Block, split_inputs
from wirewatch.run.cluster.copies import CopyPlan, RunCopies
from wirewatch.run.cluster.dataset import block_file, write_copies
from wirewatch.run.cluster.markers import Planned, mark_done, plan
from wirewatch.run.cluster.ranges import block_spans
from wirewatch.run.cluster.session import cluster_gpus, ray_module, ray_session
from wirewatch.run.cluster.shuffle import CopyShuffle, ShuffleStats
from wirewatch.run.cluster.sizing import SHARE, actor_pool
from wirewatch.run.cluster.spill import make_work_folder, remove_spill, remove_work_folder
from wirewatch.run.cluster.work import (
    Device,
    Extracted,
    Peak,
    Spilled,
    Stored,
    Understander,
    extract_and_sign,
)
from wirewatch.run.ingest import IngestSummary, Recorder
from wirewatch.run.local import RunStats, StageChoice
from wirewatch.run.pool import describe
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.blocks import BlockCounts
from wirewatch.store.stories import last_signature
from wirewatch.stories.assign import copy_rules

Result = Article | Failure
STAGES = ("extract", "understand", "store")


@dataclass(slots=True)
class RayRun:
    """What ``ingest_on_ray`` did: the summary, blocks read and skipped, stage times."""

    summary: IngestSummary
    stats: RunStats
    blocks: int = 0
    skipped_blocks: int = 0
    skipped: list[str] = field(default_factory=list)  # WARC files already done, for people
    seconds: float = 0.0
    copies: ShuffleStats = field(default_factory=ShuffleStats)
    plan: CopyPlan = field(default_factory=CopyPlan)
    peaks: dict[tuple[str, int], Peak] = field(default_factory=dict)  # (kind, pid) -> peak
    held: int = 0  # the most blocks read back from their spill files at once
    devices: list[Device] = field(default_factory=list)  # each NLP actor's, in pool order

    def report(self) -> str:
        """Three lines: documents, articles, copies, failures, blocks, seconds per stage; the
        copy index; peak memory per worker. A fourth when actors were given GPUs: where
        spaCy ran in them."""
        summary, stats = self.summary, self.stats
        stages = ", ".join(f"{stage} {stats.seconds[stage]:.1f}" for stage in STAGES)
        return (
            f"ray: {stats.documents} document(s) in {self.blocks} block(s) "
            f"({self.skipped_blocks} already done, skipped); {summary.added} article(s), "
            f"{summary.copies} copies, {summary.duplicates} duplicate(s), "
            f"{len(summary.failures)} failure(s); seconds by stage (summed over workers): "
            f"{stages}, copies {self.copies.seconds:.1f}; {self.seconds:.1f} s in all\n"
            f"ray: {self.copies.report()}\n"
            f"ray: {self.memory()}"
        ) + (f"\nray: {self.gpus()}" if any(d.gpus > 0 for d in self.devices) else "")

    def gpus(self) -> str:
        """The NLP actors given GPUs, and where spaCy parsed in them: on a GPU only when
        ``spacy.prefer_gpu`` (or ``require_gpu``) said it would."""
        given = [d for d in self.devices if d.gpus > 0]
        shares = sorted({d.gpus for d in given})
        each = " or ".join(f"{share:g}" for share in shares)
        visible = sorted({d.visible for d in given if d.visible})
        on_gpu = sum(d.on_gpu is True for d in given)
        on_cpu = sum(d.on_gpu is False for d in given)
        idle = sum(d.on_gpu is None for d in given)
        line = (
            f"GPUs: {len(given)} of {len(self.devices)} NLP actor(s) placed with {each} GPU "
            f"each (CUDA_VISIBLE_DEVICES {', '.join(visible) or 'unset'}); spaCy parsed on a "
            f"GPU in {on_gpu}, on the CPU in {on_cpu}"
        )
        if on_cpu:
            line += " (spacy.prefer_gpu found no usable GPU there: no cupy or no device)"
        if idle:
            line += f"; {idle} parsed nothing"
        return line

    def memory(self) -> str:
        """Peak resident memory per worker process, by kind, in MB."""
        parts = []
        for kind, what in (("extract", "extraction task workers"), ("nlp", "NLP actors")):
            found = sorted((p for p in self.peaks.values() if p.kind == kind), key=lambda p: p.pid)
            if found:
                each = ", ".join(f"{p.rss / 1e6:.0f}" for p in found)
                parts.append(f"{what} {each}")
        children = max((p.children for p in self.peaks.values()), default=0)
        if children:
            parts.append(f"largest extraction process {children / 1e6:.0f}")
        return "peak memory per worker (MB): " + ("; ".join(parts) or "none measured")


def ingest_on_ray(
    inputs: Iterable[str],
    store: Store,
    target: str,
    settings: Settings,
    *,
    stages: StageChoice = "all",
    address: str | None = None,
    workers: int | None = None,
    files_per_block: int = FILES_PER_BLOCK,
    again: bool = False,
    stats: RunStats | None = None,
    on_result: Callable[[Result], None] | None = None,
    on_added: Callable[[str], None] | None = None,
    on_progress: Callable[[IngestSummary], None] | None = None,
) -> RayRun:
    """Run ``inputs`` into ``store`` on Ray; ``target`` is where ``store`` is (its URL, with
    any password, for the workers). ``address`` joins a cluster (``HOST:PORT`` or ``auto``);
    without it a local one is started with ``workers`` CPUs (all usable ones by default) and
    stopped at the end. ``workers`` is also the number of NLP actors (by default the cluster's
    CPUs, or its GPU actors when they are more: ``sizing.py``). Blocks already done (their
    markers in the store) are skipped unless ``again``. Extracted blocks wait in spill files
    under ``settings.ray_spill_dir`` (``spill``).
    """
    stats = stats if stats is not None else RunStats()
    started = time.perf_counter()
    blocks = split_inputs(inputs, files_per_block=files_per_block)
    planned = plan(blocks, store, again=again, block_bytes=settings.ray_block_bytes)
    upto = last_signature(store)  # the store's texts from before the run
    with ray_session(address, cpus=workers) as cpus:
        ray = ray_module()
        writers = store.backend_name == "postgresql"
        folder = work_folder(ray, settings)
        actors = start_actors(ray, cpus, workers, settings, target if writers else None)
        count = len(actors)
        stats.extract_workers = count
        run = _Run(ray, actors, settings, stages, stats, limit=2 * count, folder=folder)
        try:
            # Every block extracted and signed first (the extracted blocks wait in their
            # spill files), so the copy index is whole before the first article is given
            # its story.
            launched = run.launch(planned.blocks)
            copy_plan = run.copy_plan()
            copies = RunCopies(copy_plan, upto)
            if writers:
                summary = run.workers_store(launched, on_progress, copies)
            else:
                recorder = Recorder(
                    store,
                    settings=settings,
                    on_result=on_result,
                    on_added=on_added,
                    on_progress=on_progress,
                    planned=copies,
                )
                run.driver_writes(launched, recorder)
                summary = recorder.summary
            devices = actor_devices(ray, actors)
        finally:
            for actor in actors:
                ray.kill(actor)
            remove_work_folder(folder)
    seconds = time.perf_counter() - started
    stats.seconds["ray"] += seconds
    stats.articles = summary.added
    for failure in summary.failures:
        stats.count_failure(failure)
    return RayRun(
        summary,
        stats,
        blocks=len(planned.blocks),
        skipped_blocks=planned.skipped_blocks,
        skipped=planned.skipped,
        seconds=seconds,
        copies=run.shuffle_stats,
        plan=copy_plan,
        peaks=run.peaks,
        held=run.held,
        devices=devices,
    )


def write_on_ray(
    inputs: Iterable[str],
    output: Path,
    settings: Settings,
    *,
    stages: StageChoice = "all",
    address: str | None = None,
    workers: int | None = None,
    files_per_block: int = FILES_PER_BLOCK,
    again: bool = False,
    on_progress: Callable[[IngestSummary], None] | None = None,
) -> RayRun:
    """Run ``inputs`` on Ray into a Parquet dataset at ``output`` (``run/cluster/dataset.py``),
    each block's file written by the actor that parsed it; ``wirewatch db load`` stores it.
    The run's copy index is written as ``copies.parquet`` (``dataset.write_copies``).

    No store is read: every article is parsed. Blocks whose file exists are skipped (a run
    started again goes on), unless ``again``; the copy index covers the blocks this run read.
    The blocks' spill files stay until the copy index is made, at the end (it reads them).
    """
    stats = RunStats()
    started = time.perf_counter()
    blocks = [
        Planned(block, None, span)
        for block in split_inputs(inputs, files_per_block=files_per_block)
        for span in block_spans(block, settings.ray_block_bytes)
    ]
    todo = [
        (number, block)
        for number, block in enumerate(blocks)
        if again or not block_file(output, number).exists()
    ]
    output.mkdir(parents=True, exist_ok=True)
    with ray_session(address, cpus=workers) as cpus:
        ray = ray_module()
        folder = work_folder(ray, settings)
        actors = start_actors(ray, cpus, workers, settings, None)
        count = len(actors)
        stats.extract_workers = count
        run = _Run(ray, actors, settings, stages, stats, limit=2 * count, folder=folder)
        try:
            summary = run.workers_write(todo, str(output), on_progress)
            copy_plan = run.copy_plan()
            if todo:
                write_copies(output, copy_plan)
            devices = actor_devices(ray, actors)
        finally:
            for actor in actors:
                ray.kill(actor)
            remove_work_folder(folder)
    seconds = time.perf_counter() - started
    for failure in summary.failures:
        stats.count_failure(failure)
    stats.articles = summary.added
    return RayRun(
        summary,
        stats,
        blocks=len(todo),
        skipped_blocks=len(blocks) - len(todo),
        seconds=seconds,
        copies=run.shuffle_stats,
        plan=copy_plan,
        peaks=run.peaks,
        held=run.held,
        devices=devices,
    )


def start_actors(
    ray: Any, cpus: int, workers: int | None, settings: Settings, target: str | None
) -> list[Any]:
    """The run's NLP actors, sized from the cluster's CPUs and GPUs (``sizing.actor_pool``),
    each placed with its share: an actor given a GPU share asks spaCy for the GPU."""
    gpus = cluster_gpus(ray)
    if settings.ray_gpu_required and gpus <= 0:
        raise UsageError("ray_gpu_required is set but the Ray cluster reports no GPU")
    shares = actor_pool(cpus, gpus, workers, settings.ray_gpus_per_actor)
    actor_class = ray.remote(Understander)
    actors = [
        actor_class.options(num_cpus=share.cpus, num_gpus=share.gpus).remote(
            settings, target, share.gpus, settings.ray_gpu_required and share.gpus > 0
        )
        for share in shares
    ]
    return actors


def actor_devices(ray: Any, actors: list[Any]) -> list[Device]:
    """Where each NLP actor parsed, as it reports it; an actor that died reports nothing."""
    asked = [actor.device.remote() for actor in actors]
    devices = []
    for pending in asked:
        try:
            devices.append(ray.get(pending))
        except Exception:  # a dead actor: nothing to report
            continue
    return devices


def work_folder(ray: Any, settings: Settings) -> str:
    """The run's work folder for spill files (``spill.make_work_folder``). A temporary
    folder is on this machine: a cluster of several nodes needs ``ray_spill_dir``."""
    nodes = sum(1 for node in ray.nodes() if node.get("Alive"))
    if nodes > 1 and not settings.ray_spill_dir:
        raise UsageError(
            f"the Ray cluster has {nodes} nodes: set ray_spill_dir to a folder every node "
            "mounts at the same path (or an fsspec URL), where extracted blocks wait to be "
            "stored (docs/cluster.md)"
        )
    return make_work_folder(settings.ray_spill_dir)


class _Run:
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
