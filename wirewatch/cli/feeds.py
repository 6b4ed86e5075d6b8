"""``wirewatch feeds ...`` (the watched sources) and ``wirewatch watch`` (polling them).

Thin wrappers over ``wirewatch.store.feeds`` and ``wirewatch.run.watch.Watcher``.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

import click

from wirewatch.cli import _article_line, main
from wirewatch.cli.common import (
    EXIT_FAILURES,
    EXIT_OK,
    Context,
    handle_errors,
    open_existing,
    stages_option,
)
from wirewatch.collect.opml import read_opml
from wirewatch.collect.polling import SourceKind
from wirewatch.errors import InputError, UsageError
from wirewatch.model import Article, Failure
from wirewatch.run.watch import RoundSummary, Watcher, utc_clock
from wirewatch.store import Store
from wirewatch.store.feeds import (
    Feed,
    add_feed,
    enable_feed,
    entry_counts,
    find_feed,
    list_feeds,
    remove_feed,
)

_MAX_OPML_BYTES = 10_000_000

_ADD_FIRST = "add feeds first with `wirewatch feeds add URL`"


def guess_kind(url: str) -> SourceKind:
    """``sitemap`` when the URL says so (``sitemap`` in the path, ``.xml.gz``), else ``feed``.

    A wrong guess costs nothing: the first check reads the content and corrects the kind.
    """
    path = urlsplit(url).path.lower()
    return "sitemap" if "sitemap" in path or path.endswith(".xml.gz") else "feed"


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"not an http(s) URL: {url!r}")
    return url.strip()


@main.group()
def feeds() -> None:
    """Manage the watched feeds and sitemaps (see also `wirewatch watch`)."""


@feeds.command("add")
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option(
    "--kind",
    type=click.Choice(["auto", "feed", "sitemap"]),
    default="auto",
    show_default=True,
    help="auto: a sitemap when the URL says so, else a feed (corrected at the first check).",
)
@click.option("--title", help="A title to show until the feed gives its own.")
@click.pass_obj
@handle_errors
def add_command(obj: Context, urls: tuple[str, ...], kind: str, title: str | None) -> None:
    """Watch the feeds or sitemaps at URL...; each is checked at the next `watch` round."""
    checked = [_check_url(url) for url in urls]
    with Store.open(obj.db) as store:
        for url in checked:
            source_kind: SourceKind = guess_kind(url) if kind == "auto" else kind  # type: ignore[assignment]
            feed, added = add_feed(
                store, url, source_kind, title=title, now=utc_clock().isoformat()
            )
            state = "added" if added else "already watched"
            click.echo(f"{feed.id}\t{feed.kind}\t{state}\t{feed.url}")


@feeds.command("import")
@click.argument("opml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
@handle_errors
def import_command(obj: Context, opml: Path) -> None:
    """Watch every feed listed in the OPML file (outlines with xmlUrl, nested or not)."""
    if opml.stat().st_size > _MAX_OPML_BYTES:
        raise InputError(f"OPML file larger than {_MAX_OPML_BYTES} bytes", code="too_large")
    subscriptions = read_opml(opml.read_bytes())
    if not subscriptions:
        raise InputError(f"no feeds (outlines with xmlUrl) in {opml}", code="bad_opml")
    added = skipped = 0
    with Store.open(obj.db) as store:
        for subscription in subscriptions:
            try:
                url = _check_url(subscription.url)
            except UsageError as exc:
                click.echo(f"skipped: {exc}", err=True)
                skipped += 1
                continue
            _, new = add_feed(
                store, url, guess_kind(url), title=subscription.title, now=utc_clock().isoformat()
            )
            added += new
    if not obj.quiet:
        already = len(subscriptions) - added - skipped
        click.echo(
            f"imported {added} feed(s) from {opml}; {already} already watched, {skipped} skipped",
            err=True,
        )
    sys.exit(EXIT_FAILURES if skipped else EXIT_OK)


@feeds.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
@click.pass_obj
@handle_errors
def list_command(obj: Context, fmt: str) -> None:
    """List the watched sources: id, kind, state, URL, title."""
    with open_existing(obj.db, _ADD_FIRST) as store:
        found = list_feeds(store)
    for feed in found:
        if fmt == "jsonl":
            click.echo(json.dumps({k: getattr(feed, k) for k in ("id", "url", "kind", "title")}))
        else:
            state = "enabled" if feed.enabled else "disabled"
            click.echo(f"{feed.id}\t{feed.kind}\t{state}\t{feed.url}\t{feed.title or ''}".rstrip())


@feeds.command("status")
@click.argument("refs", nargs=-1, metavar="[ID|URL]...")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
@click.pass_obj
@handle_errors
def status_command(obj: Context, refs: tuple[str, ...], fmt: str) -> None:
    """Per source: state, last and next check, interval, errors, entries by state."""
    with open_existing(obj.db, _ADD_FIRST) as store:
        found = [_find(store, ref) for ref in refs] if refs else list_feeds(store)
        counts = entry_counts(store)
    for feed in found:
        entries = counts.get(feed.id, {"stored": 0, "pending": 0, "failed": 0})
        if fmt == "jsonl":
            click.echo(json.dumps({**asdict(feed), "entries": entries}, ensure_ascii=False))
            continue
        for line in _status_lines(feed, entries):
            click.echo(line)


def _status_lines(feed: Feed, entries: dict[str, int]) -> list[str]:
    state = "enabled" if feed.enabled else f"DISABLED: {feed.disabled_reason}"
    interval = f"{feed.interval_seconds:.0f} s" if feed.interval_seconds else "-"
    lines = [
        f"{feed.id}  {feed.url}  ({feed.kind}{', ' + feed.title if feed.title else ''})",
        f"    state: {state}",
        f"    last check: {feed.last_checked_at or 'never'}"
        f" (HTTP {feed.last_status or '-'}); next: "
        f"{feed.next_check_at if feed.enabled else '-'}; interval: {interval}",
        f"    checks: {feed.checks} ({feed.not_modified} not modified, {feed.errors} failed); "
        f"consecutive errors: {feed.consecutive_errors}",
        f"    entries: {entries['stored']} stored, {entries['pending']} pending, "
        f"{entries['failed']} failed; last entry: {feed.last_entry_at or '-'}",
    ]
    if feed.last_error:
        lines.append(f"    last error: {feed.last_error}")
    if feed.last_warning:
        lines.append(f"    warning: {feed.last_warning}")
    return lines


@feeds.command("remove")
@click.argument("refs", nargs=-1, required=True, metavar="ID|URL...")
@click.pass_obj
@handle_errors
def remove_command(obj: Context, refs: tuple[str, ...]) -> None:
    """Stop watching sources and forget their entries (stored articles stay)."""
    with open_existing(obj.db, _ADD_FIRST) as store:
        for feed in [_find(store, ref) for ref in refs]:
            remove_feed(store, feed.id)
            click.echo(f"removed {feed.id}\t{feed.url}")


@feeds.command("enable")
@click.argument("refs", nargs=-1, required=True, metavar="ID|URL...")
@click.pass_obj
@handle_errors
def enable_command(obj: Context, refs: tuple[str, ...]) -> None:
    """Watch disabled sources again, from the next round, with their errors forgotten."""
    with open_existing(obj.db, _ADD_FIRST) as store:
        for feed in [_find(store, ref) for ref in refs]:
            enable_feed(store, feed.id, now=utc_clock().isoformat())
            click.echo(f"enabled {feed.id}\t{feed.url}")


@main.command("watch")
@click.option("--once", is_flag=True, help="One round (every due source), then exit.")
@click.option("--all", "force", is_flag=True, help="Check every enabled source, due or not.")
@stages_option
@click.pass_obj
@handle_errors
def watch_command(obj: Context, once: bool, force: bool, stages: str) -> None:
    """Poll the watched sources until stopped, storing new entries' articles.

    SIGINT or SIGTERM ends the round after the entry in hand; pending entries are taken up
    by the next run. With --once, exits 1 when a source or an entry failed.
    """
    stop = threading.Event()
    failed = False
    with _stop_on_signals(stop), open_existing(obj.db, _ADD_FIRST) as store:

        def report(result: Article | Failure) -> None:
            if isinstance(result, Article) and result.id in added:
                click.echo(_article_line(result))

        def on_round(summary: RoundSummary) -> None:
            nonlocal failed
            failed = failed or bool(summary.failures)
            added.clear()
            _print_round(summary, obj.quiet)

        added: set[str] = set()
        watcher = Watcher(
            store,
            obj.settings,
            stages=stages,  # type: ignore[arg-type]
            stop=stop,
            on_result=report,
            on_added=added.add,
        )
        try:
            if once:
                on_round(watcher.run_round(force=force))
            else:
                watcher.run(on_round, force_first=force)
        finally:
            watcher.close()
    sys.exit(EXIT_FAILURES if once and failed else EXIT_OK)


def _print_round(summary: RoundSummary, quiet: bool) -> None:
    for report in summary.feeds:
        if report.outcome in ("failed", "gone", "disabled"):
            click.echo(f"{report.url}: {report.outcome}: {report.detail}", err=True)
    sources = {report.url for report in summary.feeds}
    for failure in summary.failures:
        if failure.source not in sources:  # entries; the sources' own failures are named above
            click.echo(failure.line(), err=True)
    if quiet:
        return
    outcomes = summary.outcomes()
    checked = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in outcomes.items())
    resumed = f"; {summary.resumed} page(s) taken from the store" if summary.resumed else ""
    click.echo(
        f"round: {len(summary.feeds)} source(s) checked ({checked or 'none due'}); "
        f"{summary.new_entries} new entries; {summary.stored} article(s) stored, "
        f"{summary.already_stored} already stored, {summary.failed} failed, "
        f"{summary.pending} pending{resumed}",
        err=True,
    )


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop``; a second signal acts as it would have without us."""
    signals = (signal.SIGINT, signal.SIGTERM)
    previous: dict[int, Any] = {sig: signal.getsignal(sig) for sig in signals}

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()
        signal.signal(signum, previous[signum])

    for sig in signals:
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig in signals:
            signal.signal(sig, previous[sig])


def _find(store: Store, ref: str) -> Feed:
    feed = find_feed(store, ref)
    if feed is None:
        raise UsageError(f"no watched feed with id or URL {ref!r}; see `wirewatch feeds list`")
    return feed
