"""The feed endpoints' work: add a feed (or sitemap) for ``wirewatch feeds watch`` to poll,
and the watched sources' status."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from wirewatch.cli.feeds import guess_kind
from wirewatch.collect.polling import SourceKind
from wirewatch.errors import UsageError
from wirewatch.run.watch import utc_clock
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.feeds import Feed, add_feed, entry_counts, list_feeds
from wirewatch.web.outbound import check_url

KINDS: tuple[str, ...] = ("auto", "feed", "sitemap")


def add_feed_url(
    db: str | Path, settings: Settings, url: str, kind: str = "auto", title: str | None = None
) -> dict[str, Any]:
    """Watch ``url``: ``UsageError`` for a URL that is not http(s) or, unless
    ``web_allow_private_urls`` is set, whose host the fetch policy refuses. Nothing is
    fetched here; the watcher checks the feed on its next round."""
    if kind not in KINDS:
        raise UsageError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    checked = str(check_url(url.strip(), settings))
    source_kind: SourceKind = guess_kind(checked) if kind == "auto" else kind  # type: ignore[assignment]
    with Store.open(db) as store:
        feed, added = add_feed(
            store, checked, source_kind, title=title or None, now=utc_clock().isoformat()
        )
    return {"added": added, "feed": feed_dict(feed, {})}


def feeds_status(store: Store) -> list[dict[str, Any]]:
    """Every watched source with its check state and its entries by state."""
    counts = entry_counts(store)
    return [feed_dict(feed, counts.get(feed.id, {})) for feed in list_feeds(store)]


def feed_dict(feed: Feed, entries: dict[str, int]) -> dict[str, Any]:
    values = asdict(feed)
    values.pop("identity", None)  # the check's validators; not status
    return {**values, "entries": entries}
