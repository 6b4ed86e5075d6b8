"""Ingest: the pipeline into the store, idempotently.

Articles the store already holds (same URL or canonical URL, or the same normalised text) are
recognised right after extraction and not parsed again; failures are stored as rows. The same
text at a new URL is recorded as a copy of the stored article (``wirewatch.stories``), and every
newly stored article gets its story right after it is stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from wirewatch.collect.http import Fetcher
from wirewatch.model import Article, Failure, RawDocument
from wirewatch.run.local import RunStats, StageChoice, analyze_documents, analyze_inputs
from wirewatch.settings import Settings
from wirewatch.store import AddResult, Store
from wirewatch.store.stories import sighted
from wirewatch.stories.assign import PlannedCopies, StoryAssigner, sighting_locator


@dataclass(slots=True)
class IngestSummary:
    """What one ingest run changed: new articles, copies of stored texts recorded (the same
    text at another URL), duplicates skipped, failures (also stored)."""

    added: int = 0
    duplicates: int = 0
    copies: int = 0
    failures: list[Failure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)


class Recorder:
    """Writes a run's results into the store and keeps its ``IngestSummary``.

    Every executor that stores results (``ingest``, the feed watcher, the archive runner) goes
    through one ``Recorder``, so what "added", "copy" and "duplicate" mean, and what else
    happens when an article is stored (its story is assigned), is decided in one place. Call
    ``finish()`` after the last result. ``planned``: copies a Ray run's copy index found
    (``StoryAssigner``).
    """

    def __init__(
        self,
        store: Store,
        *,
        settings: Settings | None = None,
        on_result: Callable[[Article | Failure], None] | None = None,
        on_added: Callable[[str], None] | None = None,
        on_progress: Callable[[IngestSummary], None] | None = None,
        planned: PlannedCopies | None = None,
    ) -> None:
        self.store = store
        self.summary = IngestSummary()
        self.stories = StoryAssigner(store, settings or Settings(), planned)
        self._on_result = on_result
        self._on_added = on_added
        self._on_progress = on_progress
        self._seen_in_run: set[str] = set()
        self._locators_in_run: set[str] = set()
        # Copies of a text seen earlier in this run that is still being parsed: recorded once
        # that text is stored.
        self._pending_copies: dict[str, list[Article]] = defaultdict(list)

    def known(self, article: Article) -> bool:
        """Whether ``article`` need not be parsed: its URL is stored (a duplicate: nothing
        changes), or its text is (a copy: the sighting is recorded against the stored article).
        """
        found = self._known(article)
        if found and self._on_progress is not None:
            self._on_progress(self.summary)
        return found

    def _known(self, article: Article) -> bool:
        urls = [url for url in (article.url, article.canonical_url) if url]
        duplicate = self.store.duplicate_of(article)
        if duplicate is AddResult.DUPLICATE_URL or (urls and sighted(self.store, urls)):
            self.summary.duplicates += 1
            return True
        if duplicate is AddResult.DUPLICATE_CONTENT:
            self._record_copy(article)
            return True
        locator = sighting_locator(article)
        if locator in self._locators_in_run:
            self.summary.duplicates += 1
            return True
        self._locators_in_run.add(locator)
        if article.id in self._seen_in_run:
            self._pending_copies[article.id].append(article)
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
            try:
                outcome = self.store.add_article(result)
            except (UnicodeError, ValueError, OverflowError) as exc:
                # Data the store cannot hold costs this record, not the run (fields are made
                # safe when collected; this catches what a later stage may have added).
                return self.record(_unstorable(result, exc))
            if outcome is AddResult.ADDED:
                self.summary.added += 1
                self.summary.article_ids.append(result.id)
                self._assign_story(result)
                if self._on_added is not None:
                    self._on_added(result.id)
            elif outcome is AddResult.DUPLICATE_CONTENT:
                self._record_copy(result)
            else:
                self.summary.duplicates += 1
        if self._on_result is not None:
            self._on_result(result)
        if self._on_progress is not None:
            self._on_progress(self.summary)
        return outcome

    def finish(self) -> None:
        """Settle copies whose text was never stored (it failed): each fails as it did."""
        self.settle(list(self._pending_copies))

    def settle(self, article_ids: Iterable[str]) -> None:
        """``finish`` for the copies of ``article_ids`` only: texts whose own results are
        recorded (an executor that stores a run block by block settles each block's)."""
        for article_id in sorted(set(article_ids)):
            for copy in self._pending_copies.pop(article_id, []):
                failure = Failure(
                    source=copy.source,
                    stage="store",
                    code="copy_of_failed",
                    message=f"same text ({article_id}) as an input that failed in this run",
                    input_id=copy.input_id,
                )
                self.store.add_failure(failure)
                self.summary.failures.append(failure)

    def _assign_story(self, article: Article) -> None:
        try:
            self.stories.assign(article)
        except Exception as exc:  # the article is stored; a story bug must not stop the run
            self._story_failed(article, f"article {article.id} stored, but no story", exc)
        for copy in self._pending_copies.pop(article.id, []):
            self._record_copy(copy)

    def _record_copy(self, article: Article) -> None:
        try:
            added = self.stories.add_exact_copy(article)
        except Exception as exc:  # one copy's sighting must not stop the run
            self._story_failed(article, f"copy of stored article {article.id} not recorded", exc)
            return
        if added:
            self.summary.copies += 1
        else:
            self.summary.duplicates += 1

    def _story_failed(self, article: Article, what: str, exc: Exception) -> None:
        failure = Failure(
            source=article.source,
            stage="store",
            code="story_failed",
            message=f"{what}: {_describe(exc)}",
            input_id=article.input_id,
        )
        self.store.add_failure(failure)
        self.summary.failures.append(failure)


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
    on_progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """Run ``inputs`` through the pipeline into ``store``; returns what changed.

    ``on_added`` hears the id of each newly stored article, then ``on_result`` every result;
    ``on_progress`` hears the summary so far after each input is done (stored, failed, or
    skipped as already stored).
    """
    recorder = Recorder(
        store, settings=settings, on_result=on_result, on_added=on_added, on_progress=on_progress
    )
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
    recorder.finish()
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
    recorder = Recorder(store, settings=settings, on_result=on_result, on_added=on_added)
    results = analyze_documents(
        documents, settings, stages=stages, skip=recorder.known, stats=stats
    )
    for result in results:
        recorder.record(result)
    recorder.finish()
    return recorder.summary


def _unstorable(article: Article, exc: Exception) -> Failure:
    return Failure(
        source=article.source,
        stage="store",
        code="unstorable",
        message=f"the article could not be stored: {_describe(exc)}",
        input_id=article.input_id,
    )


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "no message"
    return f"{type(exc).__name__}: {text[:300]}"
