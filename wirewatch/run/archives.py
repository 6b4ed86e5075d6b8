"""The archive executor: WARC files into the store, resumable, several at once on local cores.

``archive_batches`` is the work on one archive, a plain function: read its records from where
the store says it stopped, extract (and parse, with ``stages="all"``) their pages, and hand out
batches of outcomes in record order. ``ingest_archives`` runs it, in this process or, with
``jobs`` > 1, in worker processes (each loading its own spaCy pipeline once) that send batches
back through a bounded queue; this process alone writes, through ``Recorder``, each batch and
the archive's new position in one transaction. Killed at any moment, a run leaves the store
holding whole batches and the position after the last of them, so running it again stores
exactly what an uninterrupted run would have: nothing twice, nothing missing.

A WARC file that ``ingest --executor ray`` cut into record ranges and did not finish (it is in
``split_archives``, not ``archives``: ``run/cluster/markers.py``) goes on with the ranges not
done: each is read alone (``read_archive_range``) and stored in one transaction with its
``blocks`` row marked done, as a Ray run stores a range, so the file ends as a finished run
leaves it and the texts of the ranges done are not read again.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any

from wirewatch.collect.files import file_error
from wirewatch.collect.sniff import looks_like_warc
from wirewatch.collect.warc import ArchiveRecord, ResumePoint, read_archive, read_archive_range
from wirewatch.model import Article, Failure, RawDocument
from wirewatch.run.ingest import IngestSummary, Recorder
from wirewatch.run.local import Result, RunStats, StageChoice, extract_with, understand_stage
from wirewatch.run.pool import ExtractPool
from wirewatch.settings import Settings
from wirewatch.store import AddResult, Store
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
from wirewatch.store.blocks import BlockCounts, finish_block
from wirewatch.store.split_archives import SplitArchiveRow, find_split, split_blocks, split_done

_WARC_SUFFIXES = (".warc", ".warc.gz")
_RECORDS_PER_BATCH = 500  # records (pages or not) per batch at most: positions move often
_SKIPPED = "skipped"  # an article the store already holds: not parsed, counted as a duplicate


@dataclass(frozen=True, slots=True)
class RecordRange:
    """A record range of a split WARC file still to read: its ``blocks`` key, its bytes."""

    key: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ArchiveTask:
    """One archive to read: where, under which name, its row, and where to resume; or, for a
    file a Ray run split (no ``archives`` row), the record ranges not done."""

    path: str
    source: str
    archive_id: int | None
    resume: ResumePoint | None = None
    ranges: tuple[RecordRange, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one record (or of the archive's break, ``ends``). In a split file's
    range, ``range_key`` names the range; a last batch of one outcome past its records
    ``closes`` it (the range was read to its end)."""

    number: int
    offset: int
    record_id: str | None
    result: Article | Failure | str | None  # str: _SKIPPED
    ends: bool = False
    range_key: str | None = None
    closes: bool = False


@dataclass(slots=True)
class ArchiveRun:
    """What ``ingest_archives`` did: the summary, and lines for people: archives skipped as
    already ingested, split files whose ranges done are skipped."""

    summary: IngestSummary
    skipped: list[str] = field(default_factory=list)
    stats: RunStats = field(default_factory=RunStats)


def is_archive(name: str) -> bool:
    """Whether ``name`` is a WARC file (by its name, else by its first bytes)."""
    path = Path(name)
    if not path.is_file():
        return False
    if name.lower().endswith(_WARC_SUFFIXES):
        return True
    try:
        with path.open("rb") as handle:
            return looks_like_warc(handle.read(4096))
    except OSError:
        return False


def archive_batches(
    task: ArchiveTask,
    settings: Settings,
    *,
    stages: StageChoice = "all",
    known: Callable[[Article], bool] | None = None,
    stats: RunStats | None = None,
    workers: int | None = None,
) -> Iterator[list[Outcome]]:
    """The outcomes of every record of ``task``'s archive after its resume point, in batches.

    A batch closes after ``nlp_batch_size * 2`` pages, ``_RECORDS_PER_BATCH`` records or
    ``extract_queue_bytes`` of pages. Pages are extracted by one pool of ``workers`` processes
    (default: ``extract_workers``) kept for the whole archive.
    ``known`` is asked about each extracted article before it is parsed, as in ``ingest``.
    """
    stats = stats if stats is not None else RunStats()
    with ExtractPool(settings, workers) as pool:
        if not task.ranges:
            records = read_archive(Path(task.path), settings, task.source, resume=task.resume)
            yield from _batches(records, settings, stages, known, stats, pool)
            return
        for part in task.ranges:
            # A range's batches, then one that closes it.
            records = read_archive_range(
                Path(task.path), settings, task.source, part.start, part.end
            )
            for batch in _batches(records, settings, stages, known, stats, pool):
                yield [replace(outcome, range_key=part.key) for outcome in batch]
            yield [Outcome(0, part.end, None, None, range_key=part.key, closes=True)]


def _batches(
    records: Iterable[ArchiveRecord],
    settings: Settings,
    stages: StageChoice,
    known: Callable[[Article], bool] | None,
    stats: RunStats,
    pool: ExtractPool,
) -> Iterator[list[Outcome]]:
    pages_per_batch = max(settings.nlp_batch_size * 2, 1)
    pending: list[ArchiveRecord] = []
    pages = size = 0
    for record in records:
        pending.append(record)
        if isinstance(record.item, RawDocument):
            pages += 1
            size += len(record.item.content)
        if (
            pages >= pages_per_batch
            or len(pending) >= _RECORDS_PER_BATCH
            or size >= settings.extract_queue_bytes
        ):
            yield _analyzed(pending, settings, stages, known, stats, pool)
            pending, pages, size = [], 0, 0
    if pending:
        yield _analyzed(pending, settings, stages, known, stats, pool)


def _analyzed(
    records: Sequence[ArchiveRecord],
    settings: Settings,
    stages: StageChoice,
    known: Callable[[Article], bool] | None,
    stats: RunStats,
    pool: ExtractPool,
) -> list[Outcome]:
    """The batch through extraction (and NLP), each result back beside its record."""
    documents = [r.item for r in records if isinstance(r.item, RawDocument)]
    extracted: list[Result | str] = list(extract_with(pool, documents, stats))
    if known is not None:
        extracted = [_SKIPPED if isinstance(r, Article) and known(r) else r for r in extracted]
    if stages == "all":
        articles = [r for r in extracted if isinstance(r, Article)]
        parsed = iter(list(understand_stage(articles, settings, stats)))
        extracted = [next(parsed) if isinstance(r, Article) else r for r in extracted]
    results = iter(extracted)
    outcomes = []
    for record in records:
        item = record.item
        result = next(results) if isinstance(item, RawDocument) else item
        outcomes.append(
            Outcome(record.number, record.offset, record.record_id, result, record.ends)
        )
    return outcomes


def ingest_archives(
    paths: Iterable[str],
    store: Store,
    settings: Settings,
    *,
    stages: StageChoice = "all",
    jobs: int = 1,
    again: bool = False,
    on_result: Callable[[Article | Failure], None] | None = None,
    on_added: Callable[[str], None] | None = None,
    on_progress: Callable[[IngestSummary], None] | None = None,
) -> ArchiveRun:
    """Ingest the WARC files at ``paths``, each from where the store says it stopped.

    An archive already ``done`` is skipped and named in ``ArchiveRun.skipped`` unless ``again``;
    one ``running`` (stopped) or ``failed`` goes on after its last stored record (a failed one
    so meets its break again, recorded again as every attempt is); one a Ray run split into
    record ranges and did not finish goes on with its ranges not done, each stored whole.
    ``jobs`` > 1 reads that many archives at once in worker processes.
    Ctrl-C or SIGTERM stop the run with every stored batch's position saved (a range being
    read is undone, to be read again; ``KeyboardInterrupt`` is raised once the workers are
    stopped).
    """
    recorder = Recorder(
        store, settings=settings, on_result=on_result, on_added=on_added, on_progress=on_progress
    )
    run = ArchiveRun(recorder.summary)
    tasks = _plan(paths, store, recorder, run, again=again)
    writer = _Writer(store, recorder)
    with _sigterm_interrupts(), writer:
        if min(jobs, len(tasks)) <= 1:
            for task in tasks:
                for batch in archive_batches(
                    task, settings, stages=stages, known=recorder.known, stats=run.stats
                ):
                    writer.apply(task, batch)
                writer.finish(task)
        else:
            _run_workers(tasks, settings, stages, min(jobs, len(tasks)), writer)
    recorder.finish()
    return run


def _plan(
    paths: Iterable[str], store: Store, recorder: Recorder, run: ArchiveRun, *, again: bool
) -> list[ArchiveTask]:
    tasks: dict[int, ArchiveTask] = {}  # by archive row; splits by negative numbers
    splits: set[str] = set()
    for name in paths:
        path = Path(name)
        try:
            identity = identify(path)
        except OSError as exc:
            error = file_error(exc, path)
            recorder.record(Failure(name, "collect", error.code, error.message))
            continue
        row = find_archive(store, identity)
        if row is not None and row.id in tasks:
            continue  # named twice in one run
        if row is not None and row.state == "done" and not again:
            run.skipped.append(
                f"{name}: already ingested ({row.state}: {row.records} records, "
                f"{row.articles} articles, {row.failures} failures); skipped, --again to redo"
            )
            continue
        if row is None and not again and (done := split_done(store, identity, name)):
            run.skipped.append(done)  # every record range stored by a Ray run
            continue
        if row is None and not again and (split := find_split(store, identity)) is not None:
            ranges = _ranges_left(store, split)
            if ranges is not None:  # a Ray run's split: on with the ranges not done
                if split.key not in splits:
                    splits.add(split.key)
                    tasks[-len(splits)] = ArchiveTask(name, split.source, None, ranges=ranges)
                    run.skipped.append(
                        f"{name}: {split.ranges - len(ranges)} of {split.ranges} record ranges "
                        f"already stored by a Ray run, skipped; reading the other {len(ranges)}"
                    )
                continue
        if row is not None and not again:  # running (stopped) or failed: on from its position
            resume_archive(store, row.id, identity.path)
            point = None
            if row.position is not None:
                point = ResumePoint(row.position, row.records, row.last_record_id)
            tasks[row.id] = ArchiveTask(name, row.source, row.id, point)
            continue
        row = start_archive(store, identity, name)
        tasks[row.id] = ArchiveTask(name, name, row.id)
    return list(tasks.values())


def _ranges_left(store: Store, split: SplitArchiveRow) -> tuple[RecordRange, ...] | None:
    """The record ranges of ``split`` not done, in file order, their bytes from their
    ``blocks`` rows (each range starts where its row's ``name@offset`` says, and ends where the
    next starts); None when the rows do not make up the file's ranges (read it whole)."""
    rows = split_blocks(store, split.key)
    starts: list[tuple[int, str, bool]] = []
    for row in rows:
        offset = row.first_input.rpartition("@")[2]
        if not offset.isdigit():
            return None
        starts.append((int(offset), row.key, row.state == "done"))
    starts.sort()
    offsets = [start for start, _, _ in starts]
    if len(starts) != split.ranges or not offsets or offsets[0] != 0:
        return None
    if len(set(offsets)) != len(offsets) or offsets[-1] >= split.size:
        return None
    ends = [*offsets[1:], split.size]
    return tuple(
        RecordRange(key, start, end)
        for (start, key, done), end in zip(starts, ends, strict=True)
        if not done
    )


class _Writer:
    """Stores batches through the Recorder, each with its archive's progress, atomically.

    A split file's range is stored in one transaction with its ``blocks`` row marked done:
    the transaction opens with the range's first batch and commits after its last, holding
    whatever else is stored meanwhile (other archives' batches, with their positions), so a
    stop undoes them together and every archive's position stays true. Used as a ``with``
    block: leaving it on an error undoes a range still open.
    """

    def __init__(self, store: Store, recorder: Recorder) -> None:
        self._store = store
        self._recorder = recorder
        self._broken: set[int] = set()
        self._open: ExitStack | None = None  # the transaction of the ranges being stored
        self._conn: Connection | None = None
        self._ranges: dict[str, list[int]] = {}  # range key -> its counts so far

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        self._ranges.clear()
        self._close(kind, error, trace)

    def _close(self, kind: Any = None, error: Any = None, trace: Any = None) -> None:
        """End the ranges' transaction: commit it, or undo it on an error."""
        if self._open is not None:
            opened, self._open, self._conn = self._open, None, None
            opened.__exit__(kind, error, trace)

    def apply(self, task: ArchiveTask, batch: Sequence[Outcome]) -> None:
        if task.archive_id is None:
            self._apply_ranges(batch)
            return
        archive_id = task.archive_id
        articles = duplicates = failures = 0
        last: Outcome | None = None
        with self._store.transaction() as conn:
            for outcome in batch:
                result = outcome.result
                if result == _SKIPPED:
                    duplicates += 1
                elif isinstance(result, Failure):
                    self._recorder.record(result)
                    failures += 1
                elif isinstance(result, Article):
                    added = self._recorder.record(result) is AddResult.ADDED
                    articles += added
                    duplicates += not added
                if outcome.ends:
                    self._broken.add(archive_id)
                    finish_archive(conn, archive_id, "failed")
                else:
                    last = outcome
            if last is not None:
                progress = Progress(
                    last.number, last.offset, last.record_id, articles, duplicates, failures
                )
                save_progress(conn, archive_id, progress)
            elif articles or duplicates or failures:  # only the break: the position stays
                add_counts(conn, archive_id, articles, duplicates, failures)

    def _apply_ranges(self, batch: Sequence[Outcome]) -> None:
        """A batch of a split file's range (``closes``: its end, marked done)."""
        summary = self._recorder.summary
        for outcome in batch:
            key = outcome.range_key
            if key is None:
                continue
            if self._open is None:
                self._open = ExitStack()
                self._conn = self._open.enter_context(self._store.transaction())
            counts = self._ranges.setdefault(key, [0, 0, 0, 0, 0])
            if outcome.closes:
                del self._ranges[key]
                assert self._conn is not None
                finish_block(self._conn, key, BlockCounts(*counts))
                if not self._ranges:  # no range left open: commit
                    self._close()
                continue
            result = outcome.result
            if result is None:
                continue
            counts[0] += 1
            if result == _SKIPPED:
                counts[3] += 1
                continue
            before = (summary.added, summary.copies, summary.duplicates, len(summary.failures))
            if isinstance(result, Article | Failure):
                self._recorder.record(result)
            counts[1] += summary.added - before[0]
            counts[2] += summary.copies - before[1]
            counts[3] += summary.duplicates - before[2]
            counts[4] += len(summary.failures) - before[3]

    def finish(self, task: ArchiveTask) -> None:
        """The archive was read to its end (or its break, already marked ``failed``); a split
        file's ranges were each marked done by their last batch."""
        archive_id = task.archive_id
        if archive_id is None or archive_id in self._broken:
            return
        with self._store.transaction() as conn:
            finish_archive(conn, archive_id, "done")

    def crashed(self, task: ArchiveTask, message: str) -> None:
        """The task's worker failed: recorded; a split file's open range stays not done
        (what it stored is kept, the next run reads the range again)."""
        failure = Failure(task.source, "collect", "internal_error", message)
        with self._store.transaction() as conn:
            self._recorder.record(failure)
            if task.archive_id is not None:
                add_counts(conn, task.archive_id, 0, 0, 1)
                finish_archive(conn, task.archive_id, "failed")
        for part in task.ranges:
            self._ranges.pop(part.key, None)
        if not self._ranges:
            self._close()


def _run_workers(
    tasks: list[ArchiveTask], settings: Settings, stages: StageChoice, jobs: int, writer: _Writer
) -> None:
    """Archives in ``jobs`` worker processes; their batches stored here as they come."""
    context = multiprocessing.get_context("spawn")
    todo: Any = context.Queue()
    done: Any = context.Queue(maxsize=jobs * 2)  # bounded: workers wait while we write
    for number, task in enumerate(tasks):
        todo.put((number, task))
    for _ in range(jobs):
        todo.put(None)
    # Archives are already read ``jobs`` at once: each worker parses in one process and
    # extracts through one pool process (its own child: so workers are not daemons).
    settings = replace(settings, nlp_processes=1)
    workers = [
        context.Process(target=_work, args=(todo, done, settings, stages), daemon=False)
        for _ in range(jobs)
    ]
    for worker in workers:
        worker.start()
    open_tasks = set(range(len(tasks)))
    try:
        while open_tasks:
            try:
                kind, number, payload = done.get(timeout=1.0)
            except queue.Empty:
                if not any(worker.is_alive() for worker in workers):
                    for number in sorted(open_tasks):
                        writer.crashed(tasks[number], "worker process died")
                    return
                continue
            if kind == "batch":
                writer.apply(tasks[number], payload)
            elif kind == "end":
                writer.finish(tasks[number])
                open_tasks.discard(number)
            else:
                writer.crashed(tasks[number], payload)
                open_tasks.discard(number)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        for worker in workers:
            worker.join(timeout=5)


def _work(todo: Any, done: Any, settings: Settings, stages: StageChoice) -> None:
    """A worker process: archives from ``todo`` until None, batches and ends into ``done``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    while (item := todo.get()) is not None:
        number, task = item
        try:
            # Archives already run ``jobs`` at once: one extraction worker each.
            for batch in archive_batches(task, settings, stages=stages, workers=1):
                done.put(("batch", number, batch))
        except Exception as exc:  # one archive's bug must not take the others down
            detail = " ".join(str(exc).split()) or "no message"
            done.put(("crash", number, f"{type(exc).__name__}: {detail[:300]}"))
        else:
            done.put(("end", number, None))


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops the run as Ctrl-C does: ``KeyboardInterrupt``, positions saved."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
