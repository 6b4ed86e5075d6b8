"""One check of a watched source: a conditional GET, then its entries, or why there are none.

``check_source`` never raises for the source's own faults: every outcome is a ``Check``
(``fetched``, ``not_modified``, ``failed`` or ``gone``) with what the scheduler needs (the
server's minimum interval, ``Retry-After``, a permanent redirect, new validators). The kind
of source is decided by its content: a ``urlset``/``sitemapindex`` root is a sitemap, an
RSS/Atom/RDF root a feed, so a source added with the wrong kind still works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from wirewatch.collect.entries import Identity, SourceEntry, feed_entries, identity_for
from wirewatch.collect.feeds import parse_feed
from wirewatch.collect.http import Fetcher, HTTPStatusError, Validators
from wirewatch.collect.schedule import cache_max_age, feed_min_interval, parse_retry_after
from wirewatch.collect.sitemaps import looks_like_sitemap, read_sitemap
from wirewatch.errors import CollectError
from wirewatch.settings import Settings

SourceKind = Literal["feed", "sitemap"]
Outcome = Literal["fetched", "not_modified", "failed", "gone"]
_RETRY_AFTER_STATUSES = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class WatchedSource:
    """What a check needs to know about a source: where, what, and what it last said."""

    url: str
    kind: SourceKind
    validators: Validators = field(default_factory=Validators)
    identity: Identity = "guid"
    last_checked_at: str | None = None  # a sitemap index skips children unchanged since then


@dataclass(slots=True)
class Check:
    """The outcome of one check; ``error`` is set for ``failed`` and ``gone``."""

    outcome: Outcome
    kind: SourceKind
    http_status: int | None = None
    entries: list[SourceEntry] = field(default_factory=list)
    title: str | None = None
    validators: Validators | None = None  # None: keep the ones stored
    moved_to: str | None = None
    identity: Identity = "guid"
    server_minimum: float | None = None
    retry_after: float | None = None
    error: CollectError | None = None
    warnings: list[str] = field(default_factory=list)


def check_source(
    fetcher: Fetcher, source: WatchedSource, settings: Settings, now: datetime
) -> Check:
    """Fetch ``source`` conditionally and read its entries; every fault becomes a ``Check``."""
    try:
        answer = fetcher.fetch_conditional(source.url, source.validators, source=source.url)
    except HTTPStatusError as exc:
        retry = None
        error: CollectError = exc
        if exc.status in _RETRY_AFTER_STATUSES:
            retry = parse_retry_after(exc.headers.get("retry-after"), now)
            if retry is not None:
                error = CollectError(f"{exc.message} (Retry-After: {retry:.0f} s)", exc.code)
        outcome: Outcome = "gone" if exc.status == 410 else "failed"
        return Check(
            outcome,
            source.kind,
            exc.status,
            identity=source.identity,
            retry_after=retry,
            error=error,
        )
    except CollectError as exc:
        return Check("failed", source.kind, identity=source.identity, error=exc)
    status, moved, max_age = answer.status, answer.permanent_url, cache_max_age(answer.headers)
    if answer.document is None:
        return Check(
            "not_modified",
            source.kind,
            status,
            moved_to=moved,
            identity=source.identity,
            server_minimum=max_age,
        )
    validators = Validators(answer.headers.get("etag"), answer.headers.get("last-modified"))
    document = answer.document
    try:
        if looks_like_sitemap(document.content):
            visit = read_sitemap(document, fetcher, settings, since=source.last_checked_at)
            warnings = list(visit.problems)
            if visit.truncated:
                warnings.append(f"stopped at a cap after {visit.files_read} file(s)")
            return Check(
                "fetched",
                "sitemap",
                status,
                entries=visit.entries,
                validators=validators,
                moved_to=moved,
                server_minimum=max_age,
                warnings=warnings,
            )
        parsed = parse_feed(document.content, source.url, base_url=document.url)
    except CollectError as exc:
        return Check(
            "failed", source.kind, status, moved_to=moved, identity=source.identity, error=exc
        )
    identity = identity_for(parsed.entries, source.identity)
    minimum = [m for m in (max_age, feed_min_interval(parsed.feed)) if m]
    warnings = []
    if parsed.bozo:
        problem = " ".join(str(parsed.get("bozo_exception", "")).split())[:200]
        warnings.append(f"malformed feed, {len(parsed.entries)} entries recovered: {problem}")
    if identity != source.identity:
        warnings.append("feed repeats GUIDs for different links; entries now known by link")
    return Check(
        "fetched",
        "feed",
        status,
        entries=feed_entries(parsed.entries, identity),
        title=parsed.feed.get("title") or None,
        validators=validators,
        moved_to=moved,
        identity=identity,
        server_minimum=max(minimum) if minimum else None,
        warnings=warnings,
    )
