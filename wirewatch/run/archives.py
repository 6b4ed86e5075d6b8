"""The archive executor: WARC files into the store, resumable, several at once on local cores.

``archive_batches`` is the work on one archive, a plain function: read its records from where
the store says it stopped, extract (and parse, with ``stages="all"``) their pages, and hand out
batches of outcomes in record order. ``ingest_archives`` runs it, in this process or, with
``jobs`` > 1, in worker processes (each loading its own spaCy pipeline once) that send batches
back through a bounded queue; this process alone writes, through ``Recorder``, each batch and
the archive's new position in one transaction. Killed at any moment, a run leaves the store
holding whole batches and the position after the last of them, so running it again stores
exactly what an uninterrupted run would have: nothing twice, nothing missing.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any

from wirewatch.collect.files import file_error
from wirewatch.collect.sniff import looks_like_warc
from wirewatch.collect.warc import ArchiveRecord, ResumePoint, read_archive
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
from wirewatch.store.split_archives import split_done

_WARC_SUFFIXES = (".warc", ".warc.gz")
_RECORDS_PER_BATCH = 500  # records (pages or not) per batch at most: positions move often
_SKIPPED = "skipped"  # an article the store already holds: not parsed, counted as a duplicate


@dataclass(frozen=True, slots=True)
class ArchiveTask:
    """One archive to read: where, under which name, its row, and where to resume."""

    path: str
    source: str
    archive_id: int
    resume: ResumePoint | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one record (or of the archive's break, ``ends``)."""

    number: int
    offset: int
    record_id: str | None
    result: Article | Failure | str | None  # str: _SKIPPED
    ends: bool = False


@dataclass(slots=True)
class ArchiveRun:
    """What ``ingest_archives`` did: the summary, and archives skipped as already ingested."""

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
    pages_per_batch = max(settings.nlp_batch_size * 2, 1)
    pending: list[ArchiveRecord] = []
    pages = size = 0
    with ExtractPool(settings, workers) as pool:
        for record in read_archive(Path(task.path), settings, task.source, resume=task.resume):
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
    so meets its break again, recorded again as every attempt is). ``jobs`` > 1 reads that
    many archives at once in worker processes.
    Ctrl-C or SIGTERM stop the run with every stored batch's position saved
    (``KeyboardInterrupt`` is raised once the workers are stopped).
    """
    recorder = Recorder(
        store, settings=settings, on_result=on_result, on_added=on_added, on_progress=on_progress
    )
    run = ArchiveRun(recorder.summary)
    tasks = _plan(paths, store, recorder, run, again=again)
    writer = _Writer(store, recorder)
    with _sigterm_interrupts():
        if min(jobs, len(tasks)) <= 1:
            for task in tasks:
                for batch in archive_batches(
                    task, settings, stages=stages, known=recorder.known, stats=run.stats
                ):
                    writer.apply(task.archive_id, batch)
                writer.finish(task.archive_id)
        else:
            _run_workers(tasks, settings, stages, min(jobs, len(tasks)), writer)
    recorder.finish()
    return run


def _plan(
    paths: Iterable[str], store: Store, recorder: Recorder, run: ArchiveRun, *, again: bool
) -> list[ArchiveTask]:
    tasks: dict[int, ArchiveTask] = {}
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


class _Writer:
    """Stores batches through the Recorder, each with its archive's progress, atomically."""

    def __init__(self, store: Store, recorder: Recorder) -> None:
        self._store = store
        self._recorder = recorder
        self._broken: set[int] = set()

    def apply(self, archive_id: int, batch: Sequence[Outcome]) -> None:
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

    def finish(self, archive_id: int) -> None:
        """The archive was read to its end (or its break, already marked ``failed``)."""
        if archive_id in self._broken:
            return
        with self._store.transaction() as conn:
            finish_archive(conn, archive_id, "done")

    def crashed(self, archive_id: int, source: str, message: str) -> None:
        failure = Failure(source, "collect", "internal_error", message)
        with self._store.transaction() as conn:
            self._recorder.record(failure)
            add_counts(conn, archive_id, 0, 0, 1)
            finish_archive(conn, archive_id, "failed")


def _run_workers(
    tasks: list[ArchiveTask], settings: Settings, stages: StageChoice, jobs: int, writer: _Writer
) -> None:
    """Archives in ``jobs`` worker processes; their batches stored here as they come."""
    context = multiprocessing.get_context("spawn")
    todo: Any = context.Queue()
    done: Any = context.Queue(maxsize=jobs * 2)  # bounded: workers wait while we write
    for task in tasks:
        todo.put(task)
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
    sources = {task.archive_id: task.source for task in tasks}
    open_archives = set(sources)
    try:
        while open_archives:
            try:
                kind, archive_id, payload = done.get(timeout=1.0)
            except queue.Empty:
                if not any(worker.is_alive() for worker in workers):
                    for archive_id in sorted(open_archives):
                        writer.crashed(archive_id, sources[archive_id], "worker process died")
                    return
                continue
            if kind == "batch":
                writer.apply(archive_id, payload)
            elif kind == "end":
                writer.finish(archive_id)
                open_archives.discard(archive_id)
            else:
                writer.crashed(archive_id, sources[archive_id], payload)
                open_archives.discard(archive_id)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        for worker in workers:
            worker.join(timeout=5)


def _work(todo: Any, done: Any, settings: Settings, stages: StageChoice) -> None:
    """A worker process: archives from ``todo`` until None, batches and ends into ``done``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    while (task := todo.get()) is not None:
        try:
            # Archives already run ``jobs`` at once: one extraction worker each.
            for batch in archive_batches(task, settings, stages=stages, workers=1):
                done.put(("batch", task.archive_id, batch))
        except Exception as exc:  # one archive's bug must not take the others down
            detail = " ".join(str(exc).split()) or "no message"
            done.put(("crash", task.archive_id, f"{type(exc).__name__}: {detail[:300]}"))
        else:
            done.put(("end", task.archive_id, None))


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
