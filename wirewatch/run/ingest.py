"""Ingest: the pipeline into the store, idempotently.

Articles the store already holds (same URL or canonical URL, or the same normalised text) are
recognised right after extraction and not parsed again; failures are stored as rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from wirewatch.collect.http import Fetcher
from wirewatch.model import Article, Failure
from wirewatch.run.local import RunStats, StageChoice, analyze_inputs
from wirewatch.settings import Settings
from wirewatch.store import AddResult, Store


@dataclass(slots=True)
class IngestSummary:
    """What one ingest run changed: new articles, duplicates skipped, failures (also stored)."""

    added: int = 0
    duplicates: int = 0
    failures: list[Failure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)


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
    summary = IngestSummary()
    seen_in_run: set[str] = set()

    def known(article: Article) -> bool:
        # Duplicates within this run are caught by the store when the first copy is written;
        # checking ids here too saves parsing a second copy of the same text.
        if article.id in seen_in_run or store.duplicate_of(article) is not None:
            summary.duplicates += 1
            return True
        seen_in_run.add(article.id)
        return False

    results = analyze_inputs(
        inputs, settings, stages=stages, fetcher=fetcher, stdin=stdin, skip=known, stats=stats
    )
    for result in results:
        if isinstance(result, Failure):
            store.add_failure(result)
            summary.failures.append(result)
        elif store.add_article(result) is AddResult.ADDED:
            summary.added += 1
            summary.article_ids.append(result.id)
            if on_added is not None:
                on_added(result.id)
        else:
            summary.duplicates += 1
        if on_result is not None:
            on_result(result)
    return summary
