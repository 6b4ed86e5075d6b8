"""``wirewatch stories`` (list stories) and ``wirewatch show s-...`` (one story): thin wrappers
over ``wirewatch.store.stories`` and ``wirewatch.stories.view``."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import TextIO

import click

from wirewatch.cli import _event_line, _one_line, _quote_line, main
from wirewatch.cli.common import Context, handle_errors, open_existing
from wirewatch.cli.filters import filter_options, given_filters, parse_filters
from wirewatch.errors import UsageError
from wirewatch.store.stories import CopyRow, StorySummary
from wirewatch.store.story_listing import latest_stories
from wirewatch.stories.backfill import assign_missing, refresh_missing
from wirewatch.stories.view import (
    StoryView,
    relation_label,
    story_dict,
    story_view,
    summary_dict,
)


@main.command("stories")
@filter_options
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--backfill",
    is_flag=True,
    help="First give a story to every stored article without one, and story-level "
    "event and quote records to older stories (older stores).",
)
@click.pass_obj
@handle_errors
def stories_command(
    obj: Context, limit: int, fmt: str, backfill: bool, **filters: str | None
) -> None:
    """List stories, latest first: id, first and last time, members, copies, sites, title.

    The filters are those of `search` and of the web's /api/stories, with the same meaning: a
    story is listed when one of its articles matches. DATE is a day, month, year or ISO week
    (2017-07-10, 2017-07, 2017, 2017-W28).
    """
    chosen = parse_filters(given_filters(filters))
    with open_existing(obj.db) as store:
        if backfill:
            assigned = assign_missing(store, obj.settings)
            refreshed = refresh_missing(store)
            if not obj.quiet:
                click.echo(f"gave a story to {assigned} stored article(s) without one", err=True)
                click.echo(
                    f"counted the events and quotes of {refreshed} older story(ies) once", err=True
                )
        chosen = chosen.with_story(store.connection)
        found = [
            listing.summary for listing in latest_stories(store.connection, chosen, limit).items
        ]
    if fmt == "json":
        for summary in found:
            click.echo(json.dumps(summary_dict(summary), ensure_ascii=False))
        return
    if not found:
        click.echo("no stories", err=True)
    for summary in found:
        click.echo(_summary_line(summary))


def _summary_line(summary: StorySummary) -> str:
    span = f"{_day(summary.first_at)}..{_day(summary.last_at)}"
    counts = f"{summary.members}m {summary.copies}c {summary.sites}s"
    return f"{summary.id}  {span:<22} {counts:<12} {_one_line(summary.title or '(no title)')}"


def _day(value: str | None) -> str:
    return value[:10] if value else "-"


def show_story(obj: Context, story_id: str, fmt: str) -> None:
    """``wirewatch show s-...``: one story, as text or JSON."""
    with open_existing(obj.db) as store:
        view = story_view(store, story_id)
    if view is None:
        raise UsageError(f"no story with id {story_id!r} in {obj.shown}")
    if fmt == "json":
        click.echo(json.dumps(story_dict(view), ensure_ascii=False, indent=2))
        return
    print_story(view, sys.stdout)


def print_story(view: StoryView, out: TextIO) -> None:
    summary = view.summary
    fields = [
        ("id", summary.id), ("title", summary.title), ("lead", summary.lead_article_id),
        ("first", summary.first_at), ("last", summary.last_at),
        ("members", summary.members), ("articles", summary.articles),
        ("copies", summary.copies), ("sites", summary.sites),
    ]  # fmt: skip
    for name, value in fields:
        out.write(f"{name:>10}: {value if value is not None else '-'}\n")
    out.write(f"\n-- copies ({len(view.copies)}) --\n")
    for copy in view.copies:
        out.write(_copy_line(copy, view.original) + "\n")
    titles = {copy.article_id: copy.title for copy in view.copies}
    sightings = Counter(copy.article_id for copy in view.copies)
    copies_of = Counter(m.copy_of for m in view.members if m.copy_of is not None)
    members = [member for member in view.members if member.copy_of is None]
    out.write(f"\n-- members ({len(members)}) --\n")
    for member in members:
        joined = "founded the story" if member.score is None else f"joined at {member.score:.2f}"
        copies = sightings[member.article_id] + sum(
            sightings[m.article_id] for m in view.members if m.copy_of == member.article_id
        )
        out.write(
            _one_line(
                f"{member.article_id}  {joined}; {copies} copies "
                f"({copies_of[member.article_id]} near/truncated); "
                f"{titles.get(member.article_id) or '(no title)'}"
            )
            + "\n"
        )
    out.write(f"\n-- related stories ({len(view.related)}) --\n")
    for related, score, title in view.related:
        out.write(_one_line(f"{related}  {score:.2f}  {title or '(no title)'}") + "\n")
    out.write(f"\n-- events ({len(view.events)}) --\n")
    for event in view.events:
        line = _event_line(event.record.event)
        out.write(f"{line}  [{event.copies} copies, {len(event.provenance)} articles]\n")
    out.write(f"\n-- quotes ({len(view.quotes)}) --\n")
    for quote in view.quotes:
        line = _quote_line(quote.record.quote)
        out.write(f"{line}  [{quote.copies} copies, {len(quote.provenance)} articles]\n")


def _copy_line(copy: CopyRow, original: str | None) -> str:
    """``[near sim 0.96] site date url "headline" (headline differs; +5 chars, +0 words)``."""
    how = relation_label(copy, original)
    if copy.relation in ("near", "truncated") and copy.similarity is not None:
        how += f" sim {copy.similarity:.2f}"
        if copy.containment is not None:
            how += f" cont {copy.containment:.2f}"
    differs: list[str] = []
    if copy.headline_differs:
        differs.append("headline differs")
    if copy.chars_delta:
        differs.append(f"{copy.chars_delta:+d} chars, {copy.words_delta or 0:+d} words")
    where = copy.url or copy.canonical_url or copy.locator
    line = (
        f"[{how}] {copy.site or '-'}  {copy.published or 'undated'}  {where}  "
        f'"{copy.title or "(no title)"}"'
    )
    if differs:
        line += f" ({'; '.join(differs)})"
    return _one_line(line)
