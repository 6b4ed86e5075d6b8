"""What a Ray worker runs: decode and extract one block; parse (and store) extracted results.

Nothing here imports Ray: ``executor`` wraps ``extract_and_sign`` as a task and
``Understander`` as an actor; extracted blocks pass between them as spill files
(``spill.py``). An actor loads its spaCy model once, on its first batch, and keeps it (the
model cache is per process), so a pool of actors parses with one model each.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from wirewatch.collect import iter_documents
from wirewatch.collect.warc import read_archive, read_archive_range
from wirewatch.model import Article, Failure, RawDocument
from wirewatch.run.cluster.blocks import Block
from wirewatch.run.cluster.copies import BlockSigner, RunCopies, Signed
from wirewatch.run.cluster.dataset import write_block
from wirewatch.run.cluster.markers import Marker, Reach, mark_done
from wirewatch.run.cluster.ranges import Span
from wirewatch.run.cluster.remote import is_remote_file, read_remote
from wirewatch.run.cluster.spill import SpillWriter, read_spill, remove_spill
from wirewatch.run.ingest import IngestSummary, Recorder
from wirewatch.run.local import RunStats, StageChoice, understand_stage
from wirewatch.run.pool import ExtractPool
from wirewatch.run.threads import single_threaded_numerics
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.blocks import BlockCounts
from wirewatch.stories.assign import copy_rules
from wirewatch.understand.nlp import use_gpu

Result = Article | Failure


@dataclass(slots=True)
class Extracted:
    """One block's results in input order, how far a WARC block was read, seconds spent."""

    results: list[Result]
    reach: Reach | None = None
    seconds: float = 0.0
    peak: Peak | None = None


@dataclass(frozen=True, slots=True)
class Peak:
    """A worker process's peak resident memory so far (bytes), and its extraction
    processes' (the largest that has ended; 0 when none has)."""

    kind: str  # "extract" (a task's worker) or "nlp" (an actor)
    pid: int
    rss: int
    children: int = 0


def peak(kind: str) -> Peak:
    """This process's peak (``getrusage``: Linux counts kilobytes)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Peak(kind, os.getpid(), own * 1024, children * 1024)


@dataclass(slots=True)
class Stored:
    """What a worker that writes did with one block: its summary and seconds by stage."""

    summary: IngestSummary
    documents: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    peaks: tuple[Peak, ...] = ()  # the extraction task's worker and the actor's


@dataclass(frozen=True, slots=True)
class Spilled:
    """What an extraction task returns for its block instead of the results: the spill file
    holding them (``spill.py``), how many, how far a WARC block was read, seconds, peak."""

    path: str
    documents: int
    reach: Reach | None = None
    seconds: float = 0.0
    peak: Peak | None = None

    def load(self) -> Extracted:
        """The block's results, read back from its spill file."""
        return Extracted(list(read_spill(self.path)), self.reach, self.seconds, self.peak)


def extract_and_sign(
    block: Block,
    settings: Settings,
    marker: Marker | None,
    number: int,
    folder: str,
    span: Span | None = None,
) -> tuple[Spilled, list[Signed]]:
    """Every document of ``block`` read and extracted, in input order, each result written
    to the block's spill file in ``folder`` and each article signed for the run's copy index
    as block ``number`` (``copies.BlockSigner``) as it comes: two results, the spill file's
    name and the signatures (no texts), so neither the task nor the object store holds the
    block's texts, whatever its size.

    Extraction runs in one process of the local executor's pool (``run/pool.py``), started
    by this task: a document still extracting ``extract_timeout`` seconds after it began has
    that process stopped and fails as ``extract_timeout``, and the rest of the block goes on.
    A WARC block tracked in ``archives`` (``marker.archive_id``) is read after its resume
    point, and ``reach`` says where it ended, as the local archive runner records it. With
    ``span``, the block is that record range of a WARC file (``ranges.py``).
    """
    single_threaded_numerics()
    started = time.perf_counter()
    reading = _Reading()
    signer = BlockSigner(number, copy_rules(settings))
    with ExtractPool(settings, workers=1) as pool, SpillWriter(folder, number) as spill:
        documents = _documents(block, settings, marker, reading, span)
        for position, result in enumerate(pool.imap(documents)):
            spill.add(result)
            signer.add(position, result)
    reach = reading.reach if marker is not None and marker.archive_id is not None else None
    seconds = time.perf_counter() - started
    return Spilled(spill.path, spill.count, reach, seconds, peak("extract")), signer.signed


@dataclass(slots=True)
class _Reading:
    """How far a WARC block's reading has got (``_documents`` moves it on)."""

    reach: Reach = field(default_factory=Reach)


def _documents(
    block: Block, settings: Settings, marker: Marker | None, reading: _Reading, span: Span | None
) -> Iterator[RawDocument | Failure]:
    if span is not None:
        for record in read_archive_range(Path(block[0]), settings, None, *span):
            if record.item is not None:
                yield record.item
    elif marker is not None and marker.archive_id is not None:
        yield from _read_archive(block[0], settings, marker, reading)
    elif len(block) == 1 and is_remote_file(block[0]):
        yield from read_remote(block[0], settings)
    else:
        yield from iter_documents(block, settings)


def _read_archive(
    path: str, settings: Settings, marker: Marker, reading: _Reading
) -> Iterator[RawDocument | Failure]:
    source = marker.source or path
    for record in read_archive(Path(path), settings, source, resume=marker.resume):
        if record.ends:
            reading.reach = replace(reading.reach, broken=True)
        else:
            reading.reach = Reach(record.number, record.offset, record.record_id)
        if record.item is not None:
            yield record.item


@dataclass(frozen=True, slots=True)
class Device:
    """Where an NLP actor parses: the GPU share it was given (0: none), the devices Ray made
    visible to it (``CUDA_VISIBLE_DEVICES``, None when unset) and whether spaCy runs its
    pipeline on a GPU (None: it has parsed nothing, so no model was loaded)."""

    pid: int
    gpus: float
    visible: str | None
    on_gpu: bool | None


class Understander:
    """One NLP worker: parses batches of results, and with a store target stores them too.

    ``target`` is a PostgreSQL URL when workers write (many writers), else ``None``: the
    driver then stores what ``parse`` returns. ``gpus``: the GPU share Ray placed it with
    (``sizing.py``); such an actor asks spaCy for the GPU (``spacy.prefer_gpu``, or
    ``require_gpu`` with ``require_gpu``) before it loads its model, and parses on the CPU
    when spaCy finds no usable GPU.
    """

    def __init__(
        self,
        settings: Settings,
        target: str | None = None,
        gpus: float = 0.0,
        require_gpu: bool = False,
    ) -> None:
        # One spaCy process per actor: the cluster's parallelism is the number of actors.
        self.settings = replace(settings, nlp_processes=1)
        self.target = target
        self.gpus = gpus
        self.require_gpu = require_gpu
        self.on_gpu: bool | None = None
        self._store: Store | None = None

    def device(self) -> Device:
        """Where this actor parses (``Device``)."""
        visible = os.environ.get("CUDA_VISIBLE_DEVICES")
        return Device(os.getpid(), self.gpus, visible, self.on_gpu)

    def parse(self, results: list[Result]) -> tuple[list[Result], float, Peak]:
        """``results`` with every article annotated (or failed in ``understand``), in order;
        the seconds it took and this actor's peak memory."""
        if self.on_gpu is None:  # before the first model is loaded
            self.on_gpu = use_gpu(require=self.require_gpu) if self.gpus > 0 else False
        started = time.perf_counter()
        parsed = list(understand_stage(results, self.settings, RunStats()))
        return parsed, time.perf_counter() - started, peak("nlp")

    def ingest(
        self,
        spilled: Spilled,
        stages: StageChoice,
        marker: Marker | None = None,
        planned: RunCopies | None = None,
        *after: Stored,
    ) -> Stored:
        """Store a block as the local ``ingest`` does: texts the store holds are recorded
        as duplicates or copies without parsing, the others parsed, stored and given stories
        (copies as ``planned``, the run's copy index, says); the block's results and its
        marker in one transaction. ``after``: the blocks it copies from, stored first (Ray
        runs this when they are done). The block's spill file is removed once it is stored.
        """
        if self.target is None:
            raise ValueError("this worker has no store to write to")
        if self._store is None:
            self._store = Store.open(self.target)
        extracted = spilled.load()
        recorder = Recorder(self._store, settings=self.settings, planned=planned)
        results = extracted.results
        fresh = [r for r in results if not (isinstance(r, Article) and recorder.known(r))]
        seconds = {"extract": extracted.seconds, "understand": 0.0}
        if stages == "all":
            fresh, seconds["understand"], _ = self.parse(fresh)
        started = time.perf_counter()
        with self._store.transaction() as conn:
            for result in fresh:
                recorder.record(result)
            recorder.finish()
            mark_done(conn, marker, extracted.reach, block_counts(len(results), recorder.summary))
        seconds["store"] = time.perf_counter() - started
        remove_spill(spilled.path)
        return Stored(recorder.summary, len(results), seconds, _peaks(extracted))

    def write(self, spilled: Spilled, stages: StageChoice, folder: str, number: int) -> Stored:
        """Parse a block and write its results as the dataset's file ``number`` (its spill
        file stays: the run's copy index reads it when every block is written)."""
        extracted = spilled.load()
        results = extracted.results
        seconds = {"extract": extracted.seconds, "understand": 0.0}
        if stages == "all":
            results, seconds["understand"], _ = self.parse(results)
        started = time.perf_counter()
        write_block(Path(folder), number, results, self.settings)
        seconds["store"] = time.perf_counter() - started
        summary = IngestSummary(
            added=sum(isinstance(r, Article) for r in results),
            failures=[r for r in results if isinstance(r, Failure)],
            article_ids=[r.id for r in results if isinstance(r, Article)],
        )
        return Stored(summary, len(extracted.results), seconds, _peaks(extracted))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _peaks(extracted: Extracted) -> tuple[Peak, ...]:
    own = peak("nlp")
    return (own,) if extracted.peak is None else (extracted.peak, own)


def block_counts(documents: int, summary: IngestSummary) -> BlockCounts:
    return BlockCounts(
        documents, summary.added, summary.copies, summary.duplicates, len(summary.failures)
    )
