"""Watching feeds and sitemaps: rounds of checks, then the new entries through the pipeline.

A round (``Watcher.run_round``):

1. Every due source is checked (conditional GET, see ``collect.polling``). Sources on
   different hosts are checked at once by a small thread pool (``watch_workers``), one task
   per host; the ``HostGate`` shared with the Fetcher keeps one request at a time per host,
   ``watch_host_delay`` apart, for feeds, robots.txt and entry pages alike. Only fetching runs
   in the pool: each check is written to the store by the main thread, the source's new state
   and its new entries (``pending``) in one transaction.
2. Every pending entry, this round's and any a killed watcher left, goes through the normal
   pipeline (``analyze_documents`` + ``Recorder``) on the main thread; extraction runs in the
   pool's worker processes (``run/pool.py``), so a page that hangs is stopped at
   ``extract_timeout`` whichever thread runs the round. Before a page is fetched, the store is
   asked whether an article at that URL is stored (by any feed, or before a crash): then the
   entry is marked stored without a request. One link in several entries or feeds is fetched
   once per round. Each fetched page (or the error that stopped its request) is saved in the store
   (``entry_pages``) in a transaction of its own before it goes on to extraction and NLP, and
   dropped when its entry is stored or failed; a watcher restarted after a kill (even
   SIGKILL) takes the pages of its pending entries from there, so no page is fetched twice.
   By default (``watch_page_workers`` = 1) pages are fetched one at a time, as the pipeline
   asks for them; with more page workers, pages on different hosts are fetched ahead in
   parallel, each saved by the worker that fetched it.

``stop`` (a ``threading.Event``, set by SIGINT/SIGTERM in the CLI) ends a round after the
entry in hand; what is left stays pending for the next run.
"""

from __future__ import annotations

import random
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from wirewatch.collect.http import Fetcher, Validators
from wirewatch.collect.politeness import HostGate
from wirewatch.collect.polling import Check, WatchedSource, check_source
from wirewatch.errors import CollectError
from wirewatch.model import Article, Failure, RawDocument
from wirewatch.run.feed_state import feed_update
from wirewatch.run.ingest import Recorder
from wirewatch.run.local import RunStats, StageChoice, analyze_documents
from wirewatch.settings import Settings
from wirewatch.store import AddResult, Store
from wirewatch.store.entry_pages import Fetched, PageWriter, load_page
from wirewatch.store.feeds import (
    EntryState,
    Feed,
    PendingEntry,
    due_feeds,
    finish_entry,
    next_due,
    pending_entries,
    record_check,
    stored_article_for,
)

Clock = Callable[[], datetime]


@dataclass(slots=True)
class FeedReport:
    """How one source's check went, for the round's summary."""

    url: str
    outcome: str
    new_entries: int
    detail: str | None = None  # the error, or why the feed was disabled


@dataclass(slots=True)
class RoundSummary:
    """What a round did: sources checked (by outcome) and entries done (by result)."""

    feeds: list[FeedReport] = field(default_factory=list)
    new_entries: int = 0
    stored: int = 0  # articles added by this round
    already_stored: int = 0  # entries whose article was in the store: no page fetched
    resumed: int = 0  # entries whose page a killed watcher had fetched: taken from the store
    failed: int = 0
    pending: int = 0  # entries left for the next round (stopped early)
    failures: list[Failure] = field(default_factory=list)

    def outcomes(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for report in self.feeds:
            counts[report.outcome] += 1
        return dict(counts)


def _complete_visit(feed: Feed) -> str | None:
    """When the source was last read whole (no error, no child failed, no cap hit), if known.

    A sitemap index skips children unchanged since then; after a partial visit it reads all.
    """
    if feed.consecutive_errors or feed.last_warning:
        return None
    return feed.last_checked_at


def utc_clock() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Watcher:
    """Checks the store's watched sources and ingests their new entries; see the module doc.

    ``fetcher`` defaults to one with a ``HostGate`` of ``watch_host_delay``; ``clock`` and
    ``rng`` make schedules testable.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        fetcher: Fetcher | None = None,
        stages: StageChoice = "all",
        clock: Clock = utc_clock,
        rng: random.Random | None = None,
        stop: threading.Event | None = None,
        on_result: Callable[[Article | Failure], None] | None = None,
        on_added: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.stages: StageChoice = stages
        self.clock = clock
        self.rng = rng or random.Random()
        self.stop = stop or threading.Event()
        self.stats = RunStats()
        self._on_result = on_result
        self._on_added = on_added
        self._own_fetcher = fetcher is None
        self.fetcher = fetcher or Fetcher(settings, gate=HostGate(settings.watch_host_delay))

    def close(self) -> None:
        if self._own_fetcher:
            self.fetcher.close()

    def run(
        self,
        on_round: Callable[[RoundSummary], None],
        *,
        force_first: bool = False,
        max_sleep: float = 60.0,
    ) -> None:
        """Rounds until ``stop`` is set, sleeping until the next source falls due.

        ``force_first`` checks every enabled source in the first round, due or not.
        """
        force = force_first
        while not self.stop.is_set():
            on_round(self.run_round(force=force))
            force = False
            due = next_due(self.store)
            wait = max_sleep
            if due is not None:
                seconds = (datetime.fromisoformat(due) - self.clock()).total_seconds()
                wait = min(max(seconds, 1.0), max_sleep)
            self.stop.wait(wait)

    def run_round(self, *, force: bool = False) -> RoundSummary:
        """Check every due source (every enabled one with ``force``), then ingest entries."""
        summary = RoundSummary()
        feeds = due_feeds(self.store, self.clock().isoformat(), force=force)
        for feed, check in self._checks(feeds):
            self._record(feed, check, summary)
        if not self.stop.is_set():
            self._ingest_pending(summary)
        summary.pending = len(pending_entries(self.store))
        return summary

    # Checking sources

    def _checks(self, feeds: list[Feed]) -> Iterator[tuple[Feed, Check]]:
        """Each feed with its check, hosts in parallel, each host's feeds one after another."""
        by_host: dict[str, list[Feed]] = defaultdict(list)
        for feed in feeds:
            by_host[urlsplit(feed.url).netloc.lower()].append(feed)
        if not by_host:
            return
        workers = min(self.settings.watch_workers, len(by_host))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="watch") as pool:
            futures = [pool.submit(self._check_host, group) for group in by_host.values()]
            for future in as_completed(futures):
                yield from future.result()

    def _check_host(self, feeds: list[Feed]) -> list[tuple[Feed, Check]]:
        checked = []
        for feed in feeds:
            if self.stop.is_set():
                break
            source = WatchedSource(
                feed.url,
                feed.kind,
                Validators(feed.etag, feed.last_modified),
                feed.identity,
                _complete_visit(feed),
            )
            try:
                check = check_source(self.fetcher, source, self.settings, self.clock())
            except Exception as exc:  # a bug or a library crash on one source must not stop others
                detail = " ".join(str(exc).split())[:300]
                error = CollectError(f"{type(exc).__name__}: {detail}", code="internal_error")
                check = Check("failed", feed.kind, identity=feed.identity, error=error)
            checked.append((feed, check))
        return checked

    def _record(self, feed: Feed, check: Check, summary: RoundSummary) -> None:
        now = self.clock()
        update = feed_update(feed, check, now, self.settings, self.rng)
        new = record_check(self.store, feed.id, update, check.entries, now=now.isoformat())
        summary.new_entries += new
        outcome = "disabled" if not update.enabled else check.outcome
        detail = update.disabled_reason or update.last_error
        summary.feeds.append(FeedReport(feed.url, outcome, new, detail))
        if check.error is not None:
            failure = Failure(feed.url, "collect", check.error.code, check.error.message)
            self.store.add_failure(failure)
            summary.failures.append(failure)

    # Ingesting entries

    def _ingest_pending(self, summary: RoundSummary) -> None:
        recorder = Recorder(
            self.store, settings=self.settings, on_result=self._on_result, on_added=self._on_added
        )
        in_flight: dict[str, PendingEntry] = {}
        followers: list[PendingEntry] = []

        def skip(article: Article) -> bool:
            if not recorder.known(article):
                return False
            entry = in_flight.pop(article.source, None)
            if entry is not None:
                self._finish(entry, "stored", "already stored (same text)")
                summary.already_stored += 1
            return True

        documents = self._documents(pending_entries(self.store), in_flight, followers, summary)
        # One entry at a time: pages are fetched as the pipeline asks (page workers fetch their
        # own few ahead), and a stop leaves every entry not yet taken pending.
        results = analyze_documents(
            documents, self.settings, stages=self.stages, skip=skip, stats=self.stats, read_ahead=1
        )
        for result in results:
            outcome = recorder.record(result)
            entry = in_flight.pop(result.source, None)
            if entry is None:
                continue
            if isinstance(result, Failure):
                self._finish(entry, "failed", f"[{result.code}] {result.message}")
                summary.failed += 1
                summary.failures.append(result)
            elif outcome is AddResult.ADDED:
                self._finish(entry, "stored", None, result.id)
                summary.stored += 1
            else:
                self._finish(entry, "stored", "already stored", result.id)
                summary.already_stored += 1
        recorder.finish()
        for entry in followers:
            self._settle_follower(entry, summary)

    def _documents(
        self,
        entries: list[PendingEntry],
        in_flight: dict[str, PendingEntry],
        followers: list[PendingEntry],
        summary: RoundSummary,
    ) -> Iterator[RawDocument | Failure]:
        """A document per entry not stored yet, in entry order.

        A page a killed watcher fetched comes from the store; any other is fetched and saved
        (``entry_pages``) before it is handed on. With ``watch_page_workers`` at 1, a page is
        fetched only when the pipeline asks for it; with more, that many are fetched ahead by
        a thread pool (hosts in parallel, each host still one request at a time), each saved
        by the thread that fetched it.
        """
        writer = PageWriter(self.store)
        workers = self.settings.watch_page_workers
        if workers <= 1:
            for entry, source in self._to_fetch(entries, in_flight, followers, summary):
                fetched = self._saved(entry, source, summary)
                if fetched is None:
                    fetched = self._fetch(entry, source, writer)
                yield self._document(entry, fetched)
            return
        window: deque[tuple[PendingEntry, Future[Fetched | None]]] = deque()
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="page") as pool:
            for entry, source in self._to_fetch(entries, in_flight, followers, summary):
                saved = self._saved(entry, source, summary)
                if saved is None:
                    future = pool.submit(self._fetch, entry, source, writer)
                else:
                    future = Future()
                    future.set_result(saved)
                window.append((entry, future))
                if len(window) >= workers:
                    entry, future = window.popleft()
                    yield self._document(entry, future.result())
            while window:  # fetched or being fetched: finish them, even when stopping
                entry, future = window.popleft()
                yield self._document(entry, future.result())

    def _to_fetch(
        self,
        entries: list[PendingEntry],
        in_flight: dict[str, PendingEntry],
        followers: list[PendingEntry],
        summary: RoundSummary,
    ) -> Iterator[tuple[PendingEntry, str]]:
        """Entries whose page is needed, with their source; the others are settled here."""
        links: set[str] = set()
        for entry in entries:
            if self.stop.is_set():
                return
            source = f"{entry.feed_url}#{entry.id}"
            if entry.url is not None:
                stored = stored_article_for(self.store, entry.url, source=source)
                if stored is not None:
                    self._finish(entry, "stored", "already stored", stored or None)
                    summary.already_stored += 1
                    continue
                if entry.url in links:  # the same page in another entry of this round
                    followers.append(entry)
                    continue
                links.add(entry.url)
            in_flight[source] = entry
            yield entry, source

    def _saved(self, entry: PendingEntry, source: str, summary: RoundSummary) -> Fetched | None:
        """The entry's page as a killed watcher fetched and saved it, or None."""
        saved = load_page(
            self.store, entry.id, source=source, max_bytes=self.settings.max_document_bytes
        )
        if saved is not None:
            summary.resumed += 1
        return saved

    def _fetch(self, entry: PendingEntry, source: str, writer: PageWriter) -> Fetched | None:
        """The entry's page (or why it could not be had), saved; None when not requested.

        Runs on a page worker too: it touches the store only through ``writer``.
        """
        if entry.url is None or not self.settings.feed_fetch_pages:
            return None
        fetched: Fetched
        try:
            fetched = self.fetcher.fetch(entry.url, source=source)
        except CollectError as exc:
            fetched = exc
        writer.save(entry.id, fetched, now=self.clock().isoformat())
        return fetched

    def _document(self, entry: PendingEntry, fetched: Fetched | None) -> RawDocument | Failure:
        """The entry's page, else its own content (``fallback``), else a Failure."""
        source = f"{entry.feed_url}#{entry.id}"
        if isinstance(fetched, RawDocument):
            return self._with_entry_facts(fetched, entry)
        if fetched is not None:
            reason = f"{fetched.code}: {fetched.message}"
        elif entry.url is None:
            reason = "entry has no link"
        else:
            reason = "page fetching disabled"
        if entry.content is None:
            if fetched is not None:
                return Failure(source, "collect", fetched.code, fetched.message)
            return Failure(source, "collect", "empty_entry", f"no page and no content ({reason})")
        document = RawDocument(
            source=source,
            content=entry.content.encode("utf-8"),
            url=entry.url,
            content_type=entry.content_type,
            encoding="utf-8",
            metadata={"fallback": "feed_entry", "fallback_reason": reason},
        )
        return self._with_entry_facts(document, entry)

    @staticmethod
    def _with_entry_facts(document: RawDocument, entry: PendingEntry) -> RawDocument:
        document.title = entry.title or document.title
        document.published = entry.published or document.published
        document.metadata.update(entry.metadata)
        document.metadata["feed"] = entry.feed_url
        return document

    def _settle_follower(self, entry: PendingEntry, summary: RoundSummary) -> None:
        """An entry whose link another entry of the round fetched: done as that one ended."""
        stored = stored_article_for(self.store, entry.url or "")
        if stored is not None:
            self._finish(entry, "stored", "already stored", stored or None)
            summary.already_stored += 1
        elif not self.stop.is_set():
            self._finish(entry, "failed", "[duplicate_link] its link failed in another entry")
            summary.failed += 1

    def _finish(
        self,
        entry: PendingEntry,
        state: EntryState,
        reason: str | None,
        article_id: str | None = None,
    ) -> None:
        finish_entry(
            self.store,
            entry.id,
            state,
            reason=reason,
            article_id=article_id,
            now=self.clock().isoformat(),
        )
