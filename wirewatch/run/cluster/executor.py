"""``ingest --executor ray``: the local chain (collect -> extract -> understand -> store) on Ray.

Inputs are split into blocks (``blocks``); the blocks are a Ray Data dataset
(``pipeline``): each is read and extracted by a map task, and articles are parsed by a pool
of actors (``map_batches`` with a callable class), one spaCy model each, sized from the
cluster's CPUs and GPUs (``sizing``, ``actors``: an actor placed with a GPU share asks spaCy
for the GPU).

Memory stays flat whatever the archive size. An extraction task writes its block's results to
a spill file in the run's work folder as they come (``spill``: ``ray_spill_dir``, or a
temporary folder) and returns only the file's name and the block's signatures, no texts; what
the run holds for all its blocks is the copy index's (signatures, band keys, the plan). Blocks
are read back from their spill files to be parsed and stored, one block per actor in flight
(Ray Data's streaming executor holds the rest back), each file removed once its block
is stored, and the work folder at the end.

Writes follow the store. With SQLite (one writer) parsed blocks come back to the driver in
input order (Ray Data's ``preserve_order``), which records the texts it already holds as
duplicates or copies and stores the rest, as the local ``ingest`` does. With PostgreSQL core
Ray actors store their blocks themselves (many writers: the store's advisory locks keep
article keys and story assignment right), a block only after the blocks it copies from, which
Ray Data cannot express. With ``--output`` extraction and the actors that write Parquet files
are one streamed dataset. Either way copies are decided by the run's own copy index
(``shuffle``, ``copies``): every block is extracted (to its spill file) and signed first, band
keys are shuffled between tasks, candidate pairs verified (their texts read from the spill
files), and each writer's ``StoryAssigner`` picks an article's copy among the planned matches
and the store's texts from before the run, so copies and their leads are as the local
executor makes them.

Each block's results are stored in one transaction with its marker (``markers``): a WARC file's
row in ``archives``, other files' in ``blocks``. A run killed at any moment and started again
with the same inputs skips the blocks done and reads the others again.

This module drives a run; the pieces are ``pipeline`` (the Ray Data datasets), ``actors``
(the NLP actor pool's sizing and devices, and the core Ray actors that write to PostgreSQL),
``scheduling`` (blocks through extraction, the copy shuffle, the actors and the writer) and
``report`` (what the run did, for people).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from wirewatch.errors import UsageError
from wirewatch.model import Article, Failure
from wirewatch.run.cluster.actors import actor_devices, pool_shares, start_actors
from wirewatch.run.cluster.blocks import FILES_PER_BLOCK, split_inputs
from wirewatch.run.cluster.copies import RunCopies
from wirewatch.run.cluster.dataset import block_file, write_copies
from wirewatch.run.cluster.markers import Planned, plan
from wirewatch.run.cluster.ranges import block_spans
from wirewatch.run.cluster.report import RayRun
from wirewatch.run.cluster.scheduling import BlockQueue
from wirewatch.run.cluster.session import ray_module, ray_session
from wirewatch.run.cluster.spill import make_work_folder, remove_work_folder
from wirewatch.run.ingest import IngestSummary, Recorder
from wirewatch.run.local import RunStats, StageChoice
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.stories import last_signature

Result = Article | Failure
__all__ = ["RayRun", "ingest_on_ray", "write_on_ray"]


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
        shares = pool_shares(ray, cpus, workers, settings)
        stats.extract_workers = len(shares)
        folder = work_folder(ray, settings)
        run = BlockQueue(ray, settings, stages, stats, shares=shares, folder=folder)
        actors = start_actors(ray, shares, settings, target) if writers else []
        try:
            # Every block extracted and signed first (the extracted blocks wait in their
            # spill files), so the copy index is whole before the first article is given
            # its story.
            extracted = run.extract(list(enumerate(planned.blocks)))
            copy_plan = run.copy_plan()
            copies = RunCopies(copy_plan, upto)
            if writers:
                summary = run.workers_store(extracted, actors, on_progress, copies)
                devices = actor_devices(ray, actors)
            else:
                recorder = Recorder(
                    store,
                    settings=settings,
                    on_result=on_result,
                    on_added=on_added,
                    on_progress=on_progress,
                    planned=copies,
                )
                run.driver_writes(extracted, recorder)
                summary = recorder.summary
                devices = run.device_list()
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
        shares = pool_shares(ray, cpus, workers, settings)
        stats.extract_workers = len(shares)
        folder = work_folder(ray, settings)
        run = BlockQueue(ray, settings, stages, stats, shares=shares, folder=folder)
        try:
            summary = run.workers_write(todo, str(output), on_progress)
            copy_plan = run.copy_plan()
            if todo:
                write_copies(output, copy_plan)
            devices = run.device_list()
        finally:
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
