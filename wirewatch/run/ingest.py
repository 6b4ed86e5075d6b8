"""Ingest: the pipeline into the store, idempotently.

Articles the store already holds (same URL or canonical URL, or the same normalised text) are
recognised right after extraction and not parsed again; failures are stored as rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from wirewatch.collect.http import Fetcher
from wirewatch.model import Article, Failure, RawDocument
from wirewatch.run.local import RunStats, StageChoice, analyze_documents, analyze_inputs
from wirewatch.settings import Settings
from wirewatch.store import AddResult, Store


@dataclass(slots=True)
class IngestSummary:
    """What one ingest run changed: new articles, duplicates skipped, failures (also stored)."""

    added: int = 0
    duplicates: int = 0
    failures: list[Failure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)


class Recorder:
    """Writes a run's results into the store and keeps its ``IngestSummary``.

    Every executor that stores results (``ingest``, the feed watcher, the archive runner) goes
    through one ``Recorder``, so what "added" and "duplicate" mean, and what else happens when
    an article is stored, is decided in one place.
    """

    def __init__(
        self,
        store: Store,
        *,
        on_result: Callable[[Article | Failure], None] | None = None,
        on_added: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.summary = IngestSummary()
        self._on_result = on_result
        self._on_added = on_added
        self._seen_in_run: set[str] = set()

    def known(self, article: Article) -> bool:
        """Whether ``article`` is already stored (or seen in this run): then it is not parsed.

        Duplicates within this run are caught by the store when the first copy is written;
        checking ids here too saves parsing a second copy of the same text.
        """
        if article.id in self._seen_in_run or self.store.duplicate_of(article) is not None:
            self.summary.duplicates += 1
            return True
        self._seen_in_run.add(article.id)
        return False

    def record(self, result: Article | Failure) -> AddResult | None:
        """Store one result; returns how an article was stored (``None`` for a failure)."""
        outcome: AddResult | None = None
        if isinstance(result, Failure):
            self.store.add_failure(result)
            self.summary.failures.append(result)
        else:
            outcome = self.store.add_article(result)
            if outcome is AddResult.ADDED:
                self.summary.added += 1
                self.summary.article_ids.append(result.id)
                if self._on_added is not None:
                    self._on_added(result.id)
            else:
                self.summary.duplicates += 1
        if self._on_result is not None:
            self._on_result(result)
        return outcome


def ingest(
    inputs: Iterable[str],
    store: Store,
    settings: Settings,
    *,
    stages: StageChoice = "all",
    fetcher: Fetcher | None = None,
    stdin: BinaryIO | None = None,
    stats: RunStats | None = None,
    on_result: Callable[[Article | Failure], None] | None = None,
    on_added: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Run ``inputs`` through the pipeline into ``store``; returns what changed.

    ``on_added`` hears the id of each newly stored article, then ``on_result`` every result.
    """
    recorder = Recorder(store, on_result=on_result, on_added=on_added)
    results = analyze_inputs(
        inputs,
        settings,
        stages=stages,
        fetcher=fetcher,
        stdin=stdin,
        skip=recorder.known,
        stats=stats,
    )
    for result in results:
        recorder.record(result)
    return recorder.summary


def ingest_documents(
    documents: Iterable[RawDocument | Failure],
    store: Store,
    settings: Settings,
    *,
    stages: StageChoice = "all",
    stats: RunStats | None = None,
    on_result: Callable[[Article | Failure], None] | None = None,
    on_added: Callable[[str], None] | None = None,
) -> IngestSummary:
    """``ingest`` for documents a collector already made (feed entries, archive records)."""
    recorder = Recorder(store, on_result=on_result, on_added=on_added)
    results = analyze_documents(
        documents, settings, stages=stages, skip=recorder.known, stats=stats
    )
    for result in results:
        recorder.record(result)
    return recorder.summary
