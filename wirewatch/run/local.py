"""The in-process executor: collect -> extract -> understand, streaming, in input order.

Stages never know which executor runs them: each is a plain function over records. Failures
are records too (``Failure``), so one bad document never stops the others; ``RunStats``
counts what every stage did and how long it took.

>>> from wirewatch.settings import Settings
>>> results = list(analyze_inputs(["tests/fixtures/seed_000_3ed97192f3d4092b.txt"],
...                               Settings(), stages="extract"))  # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

from wirewatch.collect import iter_documents
from wirewatch.collect.http import Fetcher
from wirewatch.cores import nlp_processes
from wirewatch.errors import UsageError
from wirewatch.model import Article, Failure, RawDocument
from wirewatch.run.pool import ExtractPool, describe
from wirewatch.run.threads import single_threaded_numerics
from wirewatch.settings import Settings
from wirewatch.understand import annotate

StageChoice = Literal["extract", "all"]
Result = Article | Failure
# Article text parsed in one chunk at most: a chunk of long articles is closed early.
_CHUNK_CHARS = 4_000_000
_FIRST_CHUNK = 4  # articles; each chunk after it twice the one before, up to the full size


@dataclass(slots=True)
class RunStats:
    """What a run did: documents seen, articles out, failures by stage and code, seconds."""

    documents: int = 0
    articles: int = 0
    skipped: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    extract_workers: int = 0
    worker_peak_rss: int = 0  # bytes, the largest extraction worker

    def count_failure(self, failure: Failure) -> None:
        self.failures[f"{failure.stage}:{failure.code}"] += 1


def analyze_inputs(
    inputs: Iterable[str],
    settings: Settings | None = None,
    *,
    stages: StageChoice = "all",
    fetcher: Fetcher | None = None,
    stdin: BinaryIO | None = None,
    skip: Callable[[Article], bool] | None = None,
    stats: RunStats | None = None,
) -> Iterator[Result]:
    """Every document in ``inputs`` as an ``Article`` or a ``Failure``, in input order.

    ``stages="extract"`` stops after extraction and cleaning (no NLP). ``skip`` is asked about
    each extracted article before it is parsed; skipped articles are counted, not yielded.
    """
    settings = settings or Settings()
    stats = stats if stats is not None else RunStats()
    documents = iter_documents(inputs, settings, fetcher=fetcher, stdin=stdin)
    return analyze_documents(documents, settings, stages=stages, skip=skip, stats=stats)


def analyze_documents(
    documents: Iterable[RawDocument | Failure],
    settings: Settings | None = None,
    *,
    stages: StageChoice = "all",
    skip: Callable[[Article], bool] | None = None,
    stats: RunStats | None = None,
    read_ahead: int | None = None,
) -> Iterator[Result]:
    """``analyze_inputs`` for documents a collector already made (feeds, archives, tests).

    The time spent producing ``documents`` is counted as the ``collect`` stage.
    ``read_ahead`` caps the documents taken from ``documents`` before their results are out
    (the watcher fetches entry pages only as they are needed).
    """
    settings = settings or Settings()
    stats = stats if stats is not None else RunStats()
    results = extract_stage(
        _timed(documents, stats, "collect"), settings, stats, read_ahead=read_ahead
    )
    if skip is not None:
        results = _skip_known(results, skip, stats)
    if stages == "all":
        results = understand_stage(results, settings, stats)
    for result in results:
        if isinstance(result, Failure):
            stats.count_failure(result)
        else:
            stats.articles += 1
        yield result


def extract_stage(
    documents: Iterable[RawDocument | Failure],
    settings: Settings,
    stats: RunStats,
    *,
    workers: int | None = None,
    read_ahead: int | None = None,
) -> Iterator[Result]:
    """``RawDocument -> Article``; an unusable document becomes a ``Failure`` with its reason.

    Extraction runs in ``extract_workers`` processes (``run/pool.py``), killed at the cap;
    results come out in input order whatever the number of workers.
    """
    single_threaded_numerics()
    pool = ExtractPool(settings, workers)
    try:
        yield from extract_with(pool, documents, stats, read_ahead=read_ahead)
    finally:
        pool.close()


def extract_with(
    pool: ExtractPool,
    documents: Iterable[RawDocument | Failure],
    stats: RunStats,
    *,
    read_ahead: int | None = None,
) -> Iterator[Result]:
    """``extract_stage`` through a pool the caller keeps (one per archive, say)."""

    def counted(document: RawDocument) -> None:
        stats.documents += 1

    seconds = pool.stats.seconds
    try:
        yield from pool.imap(documents, on_document=counted, read_ahead=read_ahead)
    finally:
        stats.seconds["extract"] += pool.stats.seconds - seconds
        stats.extract_workers = max(stats.extract_workers, pool.workers)
        stats.worker_peak_rss = max(stats.worker_peak_rss, pool.stats.worker_peak_rss)


def understand_stage(
    results: Iterable[Result], settings: Settings, stats: RunStats
) -> Iterator[Result]:
    """Parse articles in batches through one spaCy pipeline, keeping input order.

    A chunk closes at ``nlp_batch_size * processes * 2`` articles (the first ones at fewer,
    doubling) or ``_CHUNK_CHARS`` of text, whichever comes first, so memory stays flat however
    long the articles are. If the stage
    before fails, the articles already in hand are parsed and handed on before the error.
    """
    single_threaded_numerics()
    chunk = max(settings.nlp_batch_size * nlp_processes(settings) * 2, 1)
    # The first chunks are small, so the first results (and progress) come within seconds.
    size = min(_FIRST_CHUNK, chunk)
    pending: list[Result] = []
    articles = chars = 0
    upstream = iter(results)
    while True:
        try:
            result = next(upstream)
        except StopIteration:
            break
        except Exception:  # the stage before failed: what it already gave is not lost
            yield from _annotate_pending(pending, settings, stats)
            raise
        pending.append(result)
        if isinstance(result, Article):
            articles += 1
            chars += len(result.text)
        if articles >= size or chars >= _CHUNK_CHARS:
            yield from _annotate_pending(pending, settings, stats)
            pending, articles, chars = [], 0, 0
            size = min(size * 2, chunk)
    yield from _annotate_pending(pending, settings, stats)


def _annotate_pending(
    pending: list[Result], settings: Settings, stats: RunStats
) -> Iterator[Result]:
    articles = [r for r in pending if isinstance(r, Article)]
    started = time.perf_counter()
    try:
        annotate(articles, settings)
        failed: dict[int, Failure] = {}
    except UsageError:  # a bad setting (model, dictionaries) stops the run, not one article
        raise
    except Exception:  # find the article that breaks the batch; annotate the others
        failed = _annotate_one_by_one(articles, settings)
    stats.seconds["understand"] += time.perf_counter() - started
    for result in pending:
        yield failed.get(id(result), result)


def _annotate_one_by_one(articles: Sequence[Article], settings: Settings) -> dict[int, Failure]:
    failed: dict[int, Failure] = {}
    for article in articles:
        try:
            annotate([article], settings)
        except UsageError:
            raise
        except Exception as exc:
            failed[id(article)] = Failure(
                source=article.source,
                stage="understand",
                code="internal_error",
                message=describe(exc),
                input_id=article.input_id,
            )
    return failed


def _skip_known(
    results: Iterable[Result], skip: Callable[[Article], bool], stats: RunStats
) -> Iterator[Result]:
    for result in results:
        if isinstance(result, Article) and skip(result):
            stats.skipped += 1
            continue
        yield result


def _timed(
    items: Iterable[RawDocument | Failure], stats: RunStats, stage: str
) -> Iterator[RawDocument | Failure]:
    iterator = iter(items)
    while True:
        started = time.perf_counter()
        try:
            item = next(iterator)
        except StopIteration:
            stats.seconds[stage] += time.perf_counter() - started
            return
        stats.seconds[stage] += time.perf_counter() - started
        yield item
