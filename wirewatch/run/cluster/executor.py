"""``ingest --executor ray``: the local chain (collect -> extract -> understand -> store) on Ray.

Inputs are split into blocks (``blocks``); each block is read and extracted by a Ray task;
articles are parsed by a pool of actors, one spaCy model each. At most ``2 x actors`` blocks
are in flight at once, so memory stays flat whatever the number of inputs.

Writes follow the store. With PostgreSQL the actors store their blocks themselves (many
writers: the store's advisory locks keep article keys and story assignment right). With SQLite
(one writer) results come back to the driver in input order, which stores them, skipping
texts it already holds before they are parsed, exactly as the local ``ingest`` does. Either
way the store assigns stories from its shared band table, so copies in different blocks, and
on different workers, are found.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from wirewatch.errors import UsageError
from wirewatch.model import Article, Failure
from wirewatch.run.cluster.blocks import FILES_PER_BLOCK, Block, split_inputs
from wirewatch.run.cluster.session import ray_module, ray_session
from wirewatch.run.cluster.work import Understander, extract_block
from wirewatch.run.ingest import IngestSummary, Recorder
from wirewatch.run.local import RunStats, StageChoice
from wirewatch.run.pool import describe
from wirewatch.settings import Settings
from wirewatch.store import Store

Result = Article | Failure
# Each actor and each extraction task asks for half a CPU: N actors leave room for N tasks,
# and the two alternate (a block is extracted, then parsed) rather than compete.
_SHARE = 0.5


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
    stats: RunStats | None = None,
    on_result: Callable[[Result], None] | None = None,
    on_added: Callable[[str], None] | None = None,
    on_progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """Run ``inputs`` into ``store`` on Ray; ``target`` is where ``store`` is (its URL, with
    any password, for the workers). ``address`` joins a cluster (``HOST:PORT`` or ``auto``);
    without it a local one is started with ``workers`` CPUs (all usable ones by default) and
    stopped at the end. ``workers`` is also the number of NLP actors (the cluster's CPUs by
    default).
    """
    stats = stats if stats is not None else RunStats()
    blocks = split_inputs(inputs, files_per_block=files_per_block)
    started = time.perf_counter()
    with ray_session(address, cpus=workers) as cpus:
        ray = ray_module()
        count = workers or cpus
        stats.extract_workers = count
        writers = store.backend_name == "postgresql"
        actor_class = ray.remote(num_cpus=_SHARE)(Understander)
        actors = [actor_class.remote(settings, target if writers else None) for _ in range(count)]
        extract = ray.remote(num_cpus=_SHARE)(extract_block)
        run = _Run(ray, extract, actors, settings, stages, stats, limit=2 * count)
        try:
            if writers:
                summary = run.workers_write(blocks, on_progress)
            else:
                recorder = Recorder(
                    store,
                    settings=settings,
                    on_result=on_result,
                    on_added=on_added,
                    on_progress=on_progress,
                )
                run.driver_writes(blocks, recorder)
                summary = recorder.summary
        finally:
            for actor in actors:
                ray.kill(actor)
    stats.seconds["ray"] += time.perf_counter() - started
    stats.articles = summary.added
    return summary


class _Run:
    """One run's Ray handles and its bounded queue of blocks in flight."""

    def __init__(
        self,
        ray: Any,
        extract: Any,
        actors: list[Any],
        settings: Settings,
        stages: StageChoice,
        stats: RunStats,
        *,
        limit: int,
    ) -> None:
        self.ray = ray
        self.extract = extract
        self.actors = itertools.cycle(actors)
        self.settings = settings
        self.stages = stages
        self.stats = stats
        self.limit = limit

    def workers_write(
        self, blocks: list[Block], on_progress: Callable[[IngestSummary], None] | None
    ) -> IngestSummary:
        """Each block extracted by a task and stored by an actor; their summaries summed."""
        total = IngestSummary()
        waiting = deque(blocks)
        running: deque[tuple[Block, Any]] = deque()
        while waiting or running:
            while waiting and len(running) < self.limit:
                block = waiting.popleft()
                extracted = self.extract.remote(block, self.settings)
                running.append((block, next(self.actors).ingest.remote(extracted, self.stages)))
            block, pending = running.popleft()
            try:
                done: IngestSummary = self.ray.get(pending)
            except Exception as exc:  # a worker died: the block fails, the run goes on
                _raise_usage_error(exc)
                done = IngestSummary(failures=[_block_failure(block, exc)])
            _add(total, done)
            if on_progress is not None:
                on_progress(total)
        return total

    def driver_writes(self, blocks: list[Block], recorder: Recorder) -> None:
        """Blocks extracted and parsed on the cluster, stored here in input order."""
        waiting = deque(blocks)
        extracting: deque[tuple[Block, Any]] = deque()
        parsing: deque[tuple[Block, Any]] = deque()
        while waiting or extracting or parsing:
            while waiting and len(extracting) + len(parsing) < self.limit:
                block = waiting.popleft()
                extracting.append((block, self.extract.remote(block, self.settings)))
            if extracting and (not parsing or self._ready(extracting[0][1])):
                block, ref = extracting.popleft()
                results = self._get(block, ref)
                self.stats.documents += len(results)
                fresh = [r for r in results if not (isinstance(r, Article) and recorder.known(r))]
                if self.stages == "all" and any(isinstance(r, Article) for r in fresh):
                    parsing.append((block, next(self.actors).parse.remote(fresh)))
                else:
                    parsing.append((block, fresh))
            else:
                block, pending = parsing.popleft()
                parsed = pending if isinstance(pending, list) else self._get(block, pending)
                for result in parsed:
                    recorder.record(result)
        recorder.finish()

    def _ready(self, ref: Any) -> bool:
        done, _ = self.ray.wait([ref], timeout=0)
        return bool(done)

    def _get(self, block: Block, ref: Any) -> list[Result]:
        try:
            results: list[Result] = self.ray.get(ref)
        except Exception as exc:  # a worker died: the block fails, the run goes on
            _raise_usage_error(exc)
            return [_block_failure(block, exc)]
        return results


def _raise_usage_error(exc: Exception) -> None:
    """A bad setting on a worker (a model not installed) stops the run, as it does locally."""
    cause = getattr(exc, "cause", None)  # a RayTaskError carries the worker's exception
    if isinstance(cause, UsageError):
        raise UsageError(str(cause)) from exc


def _block_failure(block: Block, exc: BaseException) -> Failure:
    where = block[0] if len(block) == 1 else f"{block[0]} (+{len(block) - 1} more)"
    return Failure(
        source=where,
        stage="extract",
        code="worker_failed",
        message=f"a Ray worker failed on this block: {describe(exc)}",
    )


def _add(total: IngestSummary, done: IngestSummary) -> None:
    total.added += done.added
    total.duplicates += done.duplicates
    total.copies += done.copies
    total.failures += done.failures
    total.article_ids += done.article_ids
