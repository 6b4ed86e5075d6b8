"""The run's Ray Data datasets: blocks extracted and signed by tasks, parsed by an actor pool.

- **Extraction**: ``ray.data.from_items`` over the blocks (one dataset block per block) and
  ``map`` (``extract_row``, half a CPU a task) reads, extracts and signs each block into its
  spill file (``work.extract_and_sign``); a row carries an ``ExtractedBlock`` (pickled:
  ``pack``): the spill file's name, counts and the block's signatures, no texts.
- **NLP**: ``map_batches`` with a callable class (``NlpBlocks``), a fixed pool of actors
  sized by ``sizing.py`` (``actors.pool_options``: CPUs, and GPUs where the cluster has
  them), each loading one spaCy model on its first block and keeping it. A batch is one
  block; each actor has one block in flight (``ActorPoolStrategy``), and Ray Data's
  streaming executor holds the rest back until the consumer takes what is done
  (back-pressure), so memory stays flat whatever the number of blocks.
- **Order**: ``preserve_order`` (``DataContext.execution_options``), so the driver, which
  stores with SQLite, receives blocks in input order.

A failure in a block is a value, not an exception: the block fails (``worker_failed``) and
the run goes on; a bad setting (a model not installed, a GPU required and missing) comes back
as ``usage`` and stops the run, as it does locally. Nothing else in the executor imports
``ray.data``; the stages it calls never import Ray.
"""

from __future__ import annotations

import logging
import pickle
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wirewatch.errors import UsageError
from wirewatch.model import Article, Failure
from wirewatch.run.cluster.actors import pool_options
from wirewatch.run.cluster.copies import Signed
from wirewatch.run.cluster.markers import Planned
from wirewatch.run.cluster.sizing import SHARE, ActorShare
from wirewatch.run.cluster.work import Device, Peak, Spilled, Stored, Understander, extract_and_sign
from wirewatch.run.local import StageChoice
from wirewatch.run.pool import describe
from wirewatch.settings import Settings

Result = Article | Failure
# Blocks handed to one NLP actor at once. Two let the first actor ready take both blocks of a
# two-block run while the other idles (measured: docs/cluster.md); with one, each block goes
# to an idle actor.
IN_FLIGHT_PER_ACTOR = 1


@dataclass(slots=True)
class ExtractedBlock:
    """One block after extraction: its spill file (None when extraction failed) and the
    signatures of its articles for the copy index."""

    number: int
    item: Planned
    spilled: Spilled | None = None
    signed: list[Signed] = field(default_factory=list)
    error: str | None = None  # why the block failed
    usage: str | None = None  # a bad setting: the run stops


@dataclass(slots=True)
class ParsedBlock:
    """One block after the NLP actors: its results parsed, in input order (SQLite: the
    driver stores them), or what the actor wrote (``--output``: ``stored``)."""

    block: ExtractedBlock
    results: list[Result] = field(default_factory=list)
    # Articles whose parse failed, as extracted (by place in the block): the driver checks
    # these, not the failure, against the texts it holds.
    originals: dict[int, Article] = field(default_factory=dict)
    stored: Stored | None = None
    seconds: float = 0.0
    peak: Peak | None = None
    device: Device | None = None
    error: str | None = None
    usage: str | None = None


def extract_row(row: dict[str, Any], settings: Settings, folder: str) -> dict[str, Any]:
    """``map``: one block read, extracted into its spill file and signed."""
    number, item = int(row["number"]), unpack(row["item"])
    found = ExtractedBlock(number, item)
    try:
        found.spilled, found.signed = extract_and_sign(
            item.block, settings, item.marker, number, folder, item.span
        )
    except UsageError as exc:
        found.usage = str(exc)
    except Exception as exc:  # the block fails, the run goes on
        found.error = describe(exc)
    return {"number": number, "block": pack(found)}


class NlpBlocks:
    """``map_batches``: one NLP actor, one spaCy model, blocks parsed one at a time.

    ``folder`` set: each block is written as the Parquet dataset's file of its number
    (``Understander.write``); else its parsed results go back to the driver. An actor asks
    Ray for the GPU share it was placed with, and asks spaCy for a GPU when it has one.
    """

    def __init__(self, settings: Settings, stages: StageChoice, folder: str | None = None) -> None:
        import ray  # in the actor, only to read the share it was placed with

        assigned = ray.get_runtime_context().get_assigned_resources()
        gpus = float(assigned.get("GPU", 0.0))
        required = settings.ray_gpu_required and gpus > 0
        self.nlp = Understander(settings, None, gpus, required)
        self.stages = stages
        self.folder = folder

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        done = [self._one(unpack(block)) for block in batch["block"]]
        return {
            "number": np.array([p.block.number for p in done], dtype=np.int64),
            "block": np.array([pack(p) for p in done], dtype=object),
        }

    def _one(self, block: ExtractedBlock) -> ParsedBlock:
        parsed = ParsedBlock(block, error=block.error, usage=block.usage)
        if block.spilled is None:
            return parsed
        try:
            if self.folder is not None:
                parsed.stored = self.nlp.write(
                    block.spilled, self.stages, self.folder, block.number
                )
            else:
                extracted = block.spilled.load()
                results, parsed.seconds, parsed.peak = self.nlp.parse(extracted.results)
                parsed.results = results
                parsed.originals = {
                    place: was
                    for place, (was, now) in enumerate(zip(extracted.results, results, strict=True))
                    if isinstance(was, Article) and not isinstance(now, Article)
                }
        except UsageError as exc:
            parsed.usage = str(exc)
        except Exception as exc:  # the block fails, the run goes on
            parsed.error = describe(exc)
        parsed.device = self.nlp.device()
        return parsed


def pack(value: Any) -> bytes:
    """A row's payload as bytes (an Arrow binary column): Ray Data moves it as is."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(payload: bytes) -> Any:
    """A payload ``pack`` made, in this run's own workers and driver."""
    return pickle.loads(payload)


@contextmanager
def data_context() -> Iterator[Any]:
    """``ray.data`` with blocks kept in input order and no progress bars or start-up lines
    on stderr (the run prints its own progress); the context is restored afterwards."""
    import ray.data

    context = ray.data.DataContext.get_current()
    saved = (
        context.execution_options.preserve_order,
        context.enable_progress_bars,
        context.print_on_execution_start,
    )
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    quiet = [  # Ray Data's console lines (execution started and finished, options)
        handler
        for handler in logging.getLogger("ray.data").handlers
        if isinstance(handler, logging.StreamHandler)
        and not isinstance(handler, logging.FileHandler)
    ]
    levels = [handler.level for handler in quiet]
    for handler in quiet:
        handler.setLevel(logging.ERROR)
    try:
        yield ray.data
    finally:
        (
            context.execution_options.preserve_order,
            context.enable_progress_bars,
            context.print_on_execution_start,
        ) = saved
        for handler, level in zip(quiet, levels, strict=True):
            handler.setLevel(level)


def extraction(data: Any, items: list[tuple[int, Planned]], settings: Settings, folder: str) -> Any:
    """The dataset of ``items`` (block number, block) extracted: rows of ``ExtractedBlock``."""
    rows = [{"number": number, "item": pack(item)} for number, item in items]
    dataset = data.from_items(rows, override_num_blocks=max(1, len(rows)))
    return dataset.map(
        extract_row, fn_kwargs={"settings": settings, "folder": folder}, num_cpus=SHARE
    )


def parsing(
    data: Any,
    extracted: Any,
    shares: list[ActorShare],
    settings: Settings,
    stages: StageChoice,
    folder: str | None = None,
) -> Any:
    """``extracted`` (a dataset of ``ExtractedBlock`` rows) through the NLP actor pool:
    rows of ``ParsedBlock`` (``unpack``), in input order."""
    size, options = pool_options(shares)
    strategy = data.ActorPoolStrategy(size=size, max_tasks_in_flight_per_actor=IN_FLIGHT_PER_ACTOR)
    with warnings.catch_warnings():
        # ray_remote_args_fn (a pool mixing GPU and CPU actors) is deprecated from Ray 2.64;
        # Ray is pinned at 2.60, where it is the only way to give actors different shares.
        warnings.simplefilter("ignore", DeprecationWarning)
        return extracted.map_batches(
            NlpBlocks,
            fn_constructor_args=(settings, stages, folder),
            batch_size=1,
            compute=strategy,
            **options,
        )


def blocks_of(data: Any, blocks: list[ExtractedBlock]) -> Any:
    """A dataset of blocks already extracted (one dataset block each)."""
    rows = [{"number": block.number, "block": pack(block)} for block in blocks]
    return data.from_items(rows, override_num_blocks=max(1, len(rows)))
