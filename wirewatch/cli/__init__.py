"""The ``wirewatch`` command: one verb per command, each a thin wrapper over a plain function.

Data goes to stdout, progress and errors to stderr. Exit codes: 0 all good, 1 some inputs
failed (each named on stderr and, for ``ingest``, stored), 2 usage error.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, cast

import click

from wirewatch.cli.common import (
    EXIT_FAILURES,
    EXIT_OK,
    Context,
    handle_errors,
    inputs_argument,
    open_existing,
    parse_overrides,
    stages_option,
)
from wirewatch.cli.filters import filter_options, given_filters
from wirewatch.errors import StoreError, UsageError
from wirewatch.model import Article, Event, Failure, Place, Quote
from wirewatch.run.ingest import IngestSummary, ingest
from wirewatch.run.local import RunStats, analyze_inputs
from wirewatch.run.progress import Progress, count_documents
from wirewatch.serialize import article_to_dict, failure_to_dict
from wirewatch.settings import Settings
from wirewatch.store import SearchHit, Store
from wirewatch.store.browse import BrowseFilters
from wirewatch.store.export import ExportWhat, check_export, export_records
from wirewatch.store.export_annotations import actor_label, stored_event_dict, stored_quote_dict
from wirewatch.store.failure_listing import FailureFilters, list_failures
from wirewatch.store.filters import SearchFilters
from wirewatch.store.parquet import write_parquet


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wirewatch")
@click.option(
    "--db",
    metavar="PATH|URL",
    default=None,
    help="The store: an SQLite file or a postgresql:// URL "
    "[default: the db setting, WIREWATCH_DB, else wirewatch.db].",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a setting (see docs/settings.md).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary on stderr.")
@click.pass_context
def main(ctx: click.Context, db: str | None, overrides: tuple[str, ...], quiet: bool) -> None:
    """wirewatch: turn news into a verifiable record of events."""
    try:
        settings = Settings.from_sources(parse_overrides(overrides))
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    ctx.obj = Context(db if db is not None else settings.db, settings, quiet)


@main.command()
@inputs_argument
@click.option(
    "--format", "fmt", type=click.Choice(["json", "jsonl"]), default="jsonl", show_default=True
)
@stages_option
@click.pass_obj
@handle_errors
def analyze(obj: Context, inputs: tuple[str, ...], fmt: str, stages: str) -> None:
    """Print one JSON object per document in INPUT... (files, dirs, URLs, feeds, - for stdin).

    Nothing is stored. Failures are named on stderr and make the exit code 1.
    """
    failed = 0
    with_annotations = stages == "all"
    for result in analyze_inputs(inputs, obj.settings, stages=stages, stdin=sys.stdin.buffer):  # type: ignore[arg-type]
        if isinstance(result, Failure):
            failed += 1
            click.echo(result.line(), err=True)
            continue
        data = article_to_dict(result, with_annotations=with_annotations)
        indent = 2 if fmt == "json" else None
        click.echo(json.dumps(data, ensure_ascii=False, indent=indent))
    sys.exit(EXIT_FAILURES if failed else EXIT_OK)


@main.command("ingest")
@inputs_argument
@stages_option
@click.option(
    "--jobs",
    type=click.IntRange(1, 256),
    default=None,
    help="WARC files read at once, each in a worker process (default: setting archive_jobs).",
)
@click.option(
    "--again", "--force", "again", is_flag=True, help="Read WARC files already done again."
)
@click.option(
    "--executor",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where the pipeline runs: this process and its workers, or a Ray cluster "
    "(docs/cluster.md).",
)
@click.option(
    "--ray-address",
    metavar="HOST:PORT|auto",
    default=None,
    help="With --executor ray: join this cluster [default: start a local one on 127.0.0.1].",
)
@click.option(
    "--output",
    metavar="DIR",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="With --executor ray: write a Parquet dataset to DIR instead of the store "
    "(`wirewatch db load DIR` stores it).",
)
@click.pass_obj
@handle_errors
def ingest_command(
    obj: Context,
    inputs: tuple[str, ...],
    stages: str,
    jobs: int | None,
    again: bool,
    executor: str,
    ray_address: str | None,
    output: Path | None,
) -> None:
    """Run the pipeline over INPUT... into the store (--db); nothing is ever stored twice.

    WARC files are tracked (`wirewatch archives`): an interrupted one goes on where it stopped,
    a finished one is skipped unless --again. With --executor ray, --jobs is the number of NLP
    workers (default: the cluster's CPUs); WARC files and blocks of files are tracked, so a
    stopped run goes on with the blocks not done.
    """
    from wirewatch.cli.archives import ingest_archive_inputs
    from wirewatch.run.archives import is_archive

    if ray_address is not None and executor != "ray":
        raise UsageError("--ray-address needs --executor ray")
    if output is not None and executor != "ray":
        raise UsageError("--output needs --executor ray")
    if executor == "ray":
        from wirewatch.cli.cluster import ingest_on_cluster

        ingest_on_cluster(obj, inputs, stages, jobs, ray_address, again=again, output=output)
        return
    stats = RunStats()
    started = time.perf_counter()
    archives = [name for name in inputs if is_archive(name)]
    others = [name for name in inputs if name not in archives]
    total = count_documents(others) if not obj.quiet and not archives else None
    with Store.open(obj.db) as store, Progress(total, quiet=obj.quiet) as progress:
        summary_ids: set[str] = set()
        summary = IngestSummary()
        earlier = IngestSummary()  # what the inputs before the archives did

        def report(result: Article | Failure) -> None:
            if isinstance(result, Article) and result.id in summary_ids:
                progress.write(_article_line(result))

        def tick(now: IngestSummary) -> None:
            progress.tick(
                articles=earlier.added + now.added,
                copies=earlier.copies + now.copies,
                failures=len(earlier.failures) + len(now.failures),
            )

        if others:
            summary = ingest(
                others,
                store,
                obj.settings,
                stages=stages,  # type: ignore[arg-type]
                stdin=sys.stdin.buffer,
                stats=stats,
                on_result=report,
                on_added=summary_ids.add,
                on_progress=tick,
            )
            earlier = summary
        if archives:
            done = ingest_archive_inputs(
                obj, archives, store, stages=stages, jobs=jobs, again=again,
                on_result=report, on_added=summary_ids.add, on_progress=tick,
            )  # fmt: skip
            summary.added += done.added
            summary.copies += done.copies
            summary.duplicates += done.duplicates
            summary.failures += done.failures
            summary.article_ids += done.article_ids
    for failure in summary.failures:
        click.echo(failure.line(), err=True)
    if not obj.quiet:
        click.echo(_summary_line(summary, obj.shown, time.perf_counter() - started), err=True)
    sys.exit(EXIT_FAILURES if summary.failures else EXIT_OK)


def _article_line(article: Article) -> str:
    """One line per stored article: id, site, words, title, people named."""
    people = ", ".join(_names(article, "PERSON")[:3])
    title = article.title or article.text[:60].replace("\n", " ") + "…"
    line = f"{article.id}  {article.site or '-':<22.22} {article.word_count:>5}w  {title}"
    return f"{line}  [{people}]" if people else line


def _summary_line(summary: IngestSummary, db: str, seconds: float) -> str:
    return (
        f"ingested {summary.added} new article(s) into {db} in {seconds:.1f} s; "
        f"{summary.copies} cop{'y' if summary.copies == 1 else 'ies'} of stored texts recorded, "
        f"{summary.duplicates} duplicate(s) skipped, {len(summary.failures)} failure(s)"
    )


@main.command()
@click.argument("query", required=False)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@filter_options
@click.pass_obj
@handle_errors
def search(obj: Context, query: str | None, limit: int, fmt: str, **filters: str | None) -> None:
    """Search titles and texts (QUERY), quotes and events (filters), with snippets.

    With QUERY the best matches come first; with filters alone, the latest published. Each hit
    lists the quotes and events that matched a filter.
    """
    given = given_filters(filters)
    if query is None and not given:
        raise UsageError("give a QUERY, a filter (--speaker, --actor, --cameo, ...), or both")
    with open_existing(obj.db) as store:
        hits = store.search(query, limit=limit, **given)
    if fmt == "json":
        for hit in hits:
            click.echo(json.dumps(_hit_dict(hit, given), ensure_ascii=False))
        return
    if not hits:
        click.echo(f"no articles match {_asked(query, given)}", err=True)
    for hit in hits:
        click.echo(f"{hit.article_id}  {hit.display_title or '(no title)'}")
        click.echo(f"    {hit.site or '-'}  {hit.published or '-'}  {hit.url or ''}".rstrip())
        click.echo(f"    {' '.join(hit.snippet.split())}")
        for quote in hit.quotes:
            click.echo(f"    quote {quote.index}: {_quote_line(quote.quote)}")
        for event in hit.events:
            click.echo(f"    event {event.index}: {_event_line(event.event)}")


def _asked(query: str | None, filters: dict[str, str]) -> str:
    """What the user searched for, as they typed it: ``'NATO' --cameo 19``."""
    parts = [repr(query)] if query is not None else []
    parts += [f"--{name.replace('_', '-')} {value}" for name, value in filters.items()]
    return " ".join(parts)


def _hit_dict(hit: SearchHit, filters: dict[str, str]) -> dict[str, Any]:
    """The hit as JSON; ``quotes`` and ``events`` only when a filter on them was given."""
    found: dict[str, Any] = {
        "id": hit.article_id,
        "title": hit.title,
        "display_title": hit.display_title,
        "url": hit.url,
        "site": hit.site,
        "published": hit.published,
        "snippet": hit.snippet,
        "rank": hit.rank,
    }
    if "speaker" in filters:
        found["quotes"] = [stored_quote_dict(quote) for quote in hit.quotes]
    if {"actor", "cameo", "plover", "country", "polarity"} & set(filters):
        found["events"] = [stored_event_dict(event) for event in hit.events]
    return found


@main.command()
@click.argument("article_id", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_obj
@handle_errors
def show(obj: Context, article_id: str, fmt: str) -> None:
    """Show one stored article (ID or a unique prefix of at least 6 characters), or one story
    (its id, s-...): its copies, members, related stories, events and quotes."""
    from wirewatch.cli.stories import show_story  # registered after this module is loaded
    from wirewatch.store.stories import story_id_of
    from wirewatch.stories.view import is_story_id

    if is_story_id(article_id):
        show_story(obj, article_id, fmt)
        return
    with open_existing(obj.db) as store:
        try:
            article = store.get_article(article_id)
        except StoreError as exc:
            if exc.code != "ambiguous_id":
                raise
            raise UsageError(str(exc)) from None
        story = story_id_of(store, article.id) if article is not None else None
    if article is None:
        raise UsageError(f"no article with id {article_id!r} in {obj.shown}")
    if fmt == "json":
        data = article_to_dict(article)
        data["story_id"] = story
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_article(article, sys.stdout, story)


def _print_article(article: Article, out: TextIO, story: str | None = None) -> None:
    fields = [
        ("id", article.id), ("story", story), ("title", article.title), ("url", article.url),
        ("site", article.site), ("author", article.author), ("published", article.published),
        ("language", article.language), ("source", article.source),
    ]  # fmt: skip
    for name, value in fields:
        out.write(f"{name:>10}: {value if value is not None else '-'}\n")
    people = _names(article, "PERSON")
    places = _names(article, "GPE", "LOC")
    orgs = _names(article, "ORG")
    out.write(f"{'people':>10}: {', '.join(people) or '-'}\n")
    out.write(f"{'orgs':>10}: {', '.join(orgs) or '-'}\n")
    out.write(f"{'places':>10}: {', '.join(places) or '-'}\n")
    # Annotations stay in the "name: value" head, one line each, so that everything after the
    # first blank line is exactly the article's text, then its dropped lines.
    for index, place in enumerate(article.places):
        out.write(f"{f'place {index}':>10}: {_place_line(place)}\n")
    out.write(f"{'quotes':>10}: {len(article.quotes)}\n")
    for index, quote in enumerate(article.quotes):
        out.write(f"{f'quote {index}':>10}: {_quote_line(quote)}\n")
    out.write(f"{'events':>10}: {len(article.events)}\n")
    for index, event in enumerate(article.events):
        out.write(f"{f'event {index}':>10}: {_event_line(event)}\n")
    out.write("\n" + article.text + "\n")
    if article.dropped:
        out.write(f"\n-- dropped {len(article.dropped)} line(s) --\n")
        for line in article.dropped:
            text = line.text if len(line.text) <= 100 else line.text[:99] + "…"
            out.write(f"[{line.reason}] {text}\n")


def _quote_line(quote: Quote) -> str:
    """``Jens Stoltenberg: "We are also here..." (direct, said)``, on one line."""
    speaker = quote.speaker
    who = (speaker.name or speaker.text) if speaker else "(speaker unknown)"
    how = ", ".join(part for part in (quote.kind, quote.cue) if part)
    return _one_line(f'{who}: "{quote.text}" ({how})')


def _event_line(event: Event) -> str:
    """CAMEO code and name, PLOVER type, source -> target, polarity, date and location."""
    sources = ", ".join(map(actor_label, event.source)) or "-"
    targets = ", ".join(map(actor_label, event.target)) or "-"
    polarity: str = event.polarity
    if event.claimant is not None:
        polarity += f" (by {actor_label(event.claimant)})"
    date = event.date or "date unknown"
    if event.date and event.date_text:
        date += f' ("{event.date_text}")'
    where = "place unknown"
    if event.location is not None:
        where = f"in {event.location.name}"
        if event.location.country:
            where += f", {event.location.country}"
    return _one_line(
        f"{event.cameo} {event.cameo_name} [{event.plover or '-'}]: {sources} -> {targets}; "
        f"{polarity}; {date}; {where}"
    )


def _place_line(place: Place) -> str:
    """``Kyiv (capital, UKR; 50.45466, 30.5238; GeoNames 703448) as "Kiev"``."""
    facts = [place.feature, place.country]
    if place.lat is not None and place.lon is not None:
        facts.append(f"{place.lat}, {place.lon}")
    if place.geonameid is not None:
        facts.append(f"GeoNames {place.geonameid}")
    line = f"{place.name} ({'; '.join(fact for fact in facts if fact)})"
    if place.text != place.name:
        line += f' as "{place.text}"'
    if place.metonymic:
        line += ", standing for its government"
    return _one_line(line)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _names(article: Article, *labels: str) -> list[str]:
    seen: dict[str, None] = {}
    for entity in article.entities:
        if entity.label in labels:
            seen.setdefault(entity.canonical)
    return list(seen)


@main.command()
@click.option(
    "--what",
    type=click.Choice(["articles", "quotes", "events", "mentions", "stories"]),
    default="articles",
    show_default=True,
    help="One record per article, quote, event, event mention (gdelt, parquet) or story (parquet).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "gdelt", "plover", "parquet"]),
    default="jsonl",
    show_default=True,
    help="gdelt: events (GDELT 2.0 event table) and mentions; plover: events only; parquet: "
    "any, to --output FILE (or an existing directory, partitioned by day).",
)
@click.option(
    "--asserted-only",
    is_flag=True,
    help="Events: only those stated as fact (no denials, demands, claims...).",
)
@click.option(
    "--polarity",
    metavar="P[,P...]",
    help="Events: only these polarities (asserted, negated, denied, demanded, intended, "
    "reported_claim, conditional).",
)
@click.option(
    "--per-mention",
    is_flag=True,
    help="Quotes and events: one row per article stating it, not each story-level record once.",
)
@click.option("--header", is_flag=True, help="gdelt: column names first (GDELT's files have none).")
@click.option("--speaker", metavar="NAME", help="Quotes by this speaker (words of the name).")
@click.option("--actor", metavar="CODE_OR_NAME", help="Events with this source or target.")
@click.option("--cameo", metavar="CODE", help="Events with a CAMEO code starting so (19).")
@click.option("--plover", metavar="TYPE", help="Events of this PLOVER type (ASSAULT).")
@click.option("--country", metavar="ISO3", help="Events in this country or with an actor of it.")
@click.option("--since", metavar="DATE", help="On or after DATE (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--until", metavar="DATE", help="On or before DATE (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--site", metavar="SITE", help="From this site (name or host).")
@click.option("--story", metavar="STORY_ID", help="Of this story (s-..., or a unique prefix).")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Write here instead of stdout (parquet: a file, or an existing directory).",
)
@click.pass_obj
@handle_errors
def export(
    obj: Context,
    what: str,
    fmt: str,
    asserted_only: bool,
    polarity: str | None,
    per_mention: bool,
    header: bool,
    output: Path | None,
    story: str | None,
    site: str | None,
    **chosen: str | None,
) -> None:
    """Export every stored article, quote or event (--what) as JSONL, CSV, GDELT or PLOVER.

    Quotes and events are counted once per story: each distinct one is a record with its
    mentions counted (NumMentions, NumSources, NumArticles), unless --per-mention.
    """
    check_export(what, fmt, asserted_only=asserted_only)  # before an output file is created
    SearchFilters.parse(polarity=polarity)  # likewise: refuse an unknown polarity first
    given = any(value is not None for value in chosen.values())
    filters = None
    if given or site:
        filters = BrowseFilters.parse(
            site=site,
            speaker=chosen["speaker"],
            actor=chosen["actor"],
            cameo=chosen["cameo"],
            plover=chosen["plover"],
            country=chosen["country"],
            since=chosen["since"],
            until=chosen["until"],
        )
    if (filters is not None or story is not None) and what in ("articles", "stories"):
        raise UsageError("the filters select quotes and events: use them with --what quotes, "
                         "events or mentions")  # fmt: skip
    records = cast(ExportWhat, what)  # click.Choice has checked it
    if fmt == "parquet":
        if output is None:
            raise UsageError("--format parquet needs --output FILE or an existing DIRECTORY")
        with open_existing(obj.db) as store:
            count = write_parquet(
                store,
                what,
                output,
                per_mention=per_mention,
                asserted_only=asserted_only,
                polarity=polarity,
                filters=filters,
                story=_story_key(store, story),
            )
        if not obj.quiet:
            click.echo(f"exported {count} {what} row(s) to {output}", err=True)
        return
    with open_existing(obj.db) as store, _output(output) as out:
        count = export_records(
            store,
            records,
            fmt,
            out,
            asserted_only=asserted_only,
            per_mention=per_mention,
            polarity=polarity,
            header=header,
            filters=filters,
            story=_story_key(store, story),
        )
    if not obj.quiet:
        noun = {"articles": "article", "quotes": "quote", "events": "event"}.get(what, "mention")
        click.echo(f"exported {count} {noun}(s)", err=True)


@main.command()
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
@click.option("--stage", metavar="STAGE", help="Failed at this stage (collect, extract, ...).")
@click.option("--code", metavar="CODE", help="With this failure code (http_error, ...).")
@click.option("--source", metavar="TEXT", help="Whose source (path or URL) contains TEXT.")
@click.option("--since", metavar="DATE", help="Recorded on or after DATE.")
@click.option("--until", metavar="DATE", help="Recorded on or before DATE.")
@click.pass_obj
@handle_errors
def failures(obj: Context, limit: int, fmt: str, **filters: str | None) -> None:
    """List the inputs that failed, newest first, with stage, code and message; the filters
    are those of the web's /failures, with the same meaning."""
    chosen = FailureFilters.parse(**filters)
    with open_existing(obj.db) as store:
        rows = list_failures(store.connection, chosen, limit).items
    for failure in rows:
        if fmt == "jsonl":
            click.echo(json.dumps(failure_to_dict(failure), ensure_ascii=False))
        else:
            click.echo(f"{failure.time}  {failure.line()}")


def _story_key(store: Store, story: str | None) -> str | None:
    """The full id of the story ``story`` names (a unique prefix will do), checked."""
    if story is None:
        return None
    from wirewatch.store.stories import find_story_id

    found = find_story_id(store, story)
    if found is None:
        raise UsageError(f"no story {story!r} in this store")
    return found


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8", newline="") as out:
        yield out


if __name__ == "__main__":  # pragma: no cover
    main()


# Command groups kept in their own modules register here, one line each.
from wirewatch.cli import archives as _archives  # noqa: E402
from wirewatch.cli import db as _db  # noqa: E402
from wirewatch.cli import feeds as _feeds  # noqa: E402, F401  (registers feeds and watch)
from wirewatch.cli import serve as _serve  # noqa: E402, F401  (the web UI)
from wirewatch.cli import stories as _stories  # noqa: E402, F401

main.add_command(_archives.archives)
main.add_command(_db.db)
