"""The ``wirewatch`` command: one verb per command, each a thin wrapper over a plain function.

Data goes to stdout, progress and errors to stderr. Exit codes: 0 all good, 1 some inputs
failed (each named on stderr and, for ``ingest``, stored), 2 usage error.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from wirewatch.errors import StoreError, UsageError, WirewatchError
from wirewatch.model import Article, Failure
from wirewatch.run.ingest import IngestSummary, ingest
from wirewatch.run.local import RunStats, analyze_inputs
from wirewatch.serialize import article_to_dict, failure_to_dict
from wirewatch.settings import Settings
from wirewatch.store import Store, export_articles

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """What every command shares: the store path and the resolved settings."""

    def __init__(self, db: Path, settings: Settings, quiet: bool) -> None:
        self.db = db
        self.settings = settings
        self.quiet = quiet


def _parse_overrides(values: tuple[str, ...]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for value in values:
        name, sep, raw = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="--set")
        overrides[name.strip()] = raw
    return overrides


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wirewatch")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("wirewatch.db"),
    show_default=True,
    help="SQLite store to read and write.",
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
def main(ctx: click.Context, db: Path, overrides: tuple[str, ...], quiet: bool) -> None:
    """wirewatch: turn news into a verifiable record of events."""
    try:
        settings = Settings.from_sources(_parse_overrides(overrides))
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    ctx.obj = Context(db, settings, quiet)


def _handle_errors(func: F) -> F:
    """Library errors become one clear line on stderr and a meaningful exit code."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from None
        except WirewatchError as exc:
            click.echo(f"wirewatch: error [{exc.code}]: {exc}", err=True)
            sys.exit(EXIT_FAILURES)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


inputs_argument = click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
stages_option = click.option(
    "--stages",
    type=click.Choice(["extract", "all"]),
    default="all",
    show_default=True,
    help="extract: collect, extract and clean only; all: also entities.",
)


@main.command()
@inputs_argument
@click.option(
    "--format", "fmt", type=click.Choice(["json", "jsonl"]), default="jsonl", show_default=True
)
@stages_option
@click.pass_obj
@_handle_errors
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
@click.pass_obj
@_handle_errors
def ingest_command(obj: Context, inputs: tuple[str, ...], stages: str) -> None:
    """Run the pipeline over INPUT... into the store (--db); nothing is ever stored twice."""
    stats = RunStats()
    started = time.perf_counter()
    with Store.open(obj.db) as store, _progress(obj.quiet) as tick:

        def report(result: Article | Failure) -> None:
            tick(result)
            if isinstance(result, Article) and result.id in summary_ids:
                click.echo(_article_line(result))

        summary_ids: set[str] = set()
        summary = ingest(
            inputs,
            store,
            obj.settings,
            stages=stages,  # type: ignore[arg-type]
            stdin=sys.stdin.buffer,
            stats=stats,
            on_result=report,
            on_added=summary_ids.add,
        )
    for failure in summary.failures:
        click.echo(failure.line(), err=True)
    if not obj.quiet:
        click.echo(_summary_line(summary, obj.db, time.perf_counter() - started), err=True)
    sys.exit(EXIT_FAILURES if summary.failures else EXIT_OK)


def _article_line(article: Article) -> str:
    """One line per stored article: id, site, words, title, people named."""
    people = ", ".join(_names(article, "PERSON")[:3])
    title = article.title or article.text[:60].replace("\n", " ") + "…"
    line = f"{article.id}  {article.site or '-':<22.22} {article.word_count:>5}w  {title}"
    return f"{line}  [{people}]" if people else line


def _summary_line(summary: IngestSummary, db: Path, seconds: float) -> str:
    return (
        f"ingested {summary.added} new article(s) into {db} in {seconds:.1f} s; "
        f"{summary.duplicates} duplicate(s) skipped, {len(summary.failures)} failure(s)"
    )


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[Article | Failure], None]]:
    """A progress bar on stderr when it is a terminal; a no-op otherwise."""
    if quiet or not sys.stderr.isatty():
        yield lambda result: None
        return
    from tqdm import tqdm

    with tqdm(unit="doc", file=sys.stderr, leave=False, desc="ingest") as bar:
        yield lambda result: bar.update(1)


@main.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_obj
@_handle_errors
def search(obj: Context, query: str, limit: int, fmt: str) -> None:
    """Full-text search over titles and texts, best matches first, with snippets."""
    with _open_existing(obj.db) as store:
        hits = store.search(query, limit=limit)
    if fmt == "json":
        for hit in hits:
            click.echo(json.dumps(_hit_dict(hit), ensure_ascii=False))
        return
    if not hits:
        click.echo(f"no articles match {query!r}", err=True)
    for hit in hits:
        click.echo(f"{hit.article_id}  {hit.title or '(no title)'}")
        click.echo(f"    {hit.site or '-'}  {hit.published or '-'}  {hit.url or ''}".rstrip())
        click.echo(f"    {' '.join(hit.snippet.split())}")


def _hit_dict(hit: Any) -> dict[str, Any]:
    return {
        "id": hit.article_id,
        "title": hit.title,
        "url": hit.url,
        "site": hit.site,
        "published": hit.published,
        "snippet": hit.snippet,
        "rank": hit.rank,
    }


@main.command()
@click.argument("article_id", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_obj
@_handle_errors
def show(obj: Context, article_id: str, fmt: str) -> None:
    """Show one stored article (ID or a unique prefix of at least 6 characters)."""
    with _open_existing(obj.db) as store:
        try:
            article = store.get_article(article_id)
        except StoreError as exc:
            if exc.code != "ambiguous_id":
                raise
            raise UsageError(str(exc)) from None
    if article is None:
        raise UsageError(f"no article with id {article_id!r} in {obj.db}")
    if fmt == "json":
        click.echo(json.dumps(article_to_dict(article), ensure_ascii=False, indent=2))
        return
    _print_article(article, sys.stdout)


def _print_article(article: Article, out: TextIO) -> None:
    fields = [
        ("id", article.id), ("title", article.title), ("url", article.url),
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
    out.write(f"{'places':>10}: {', '.join(places) or '-'}\n\n")
    out.write(article.text + "\n")
    if article.dropped:
        out.write(f"\n-- dropped {len(article.dropped)} line(s) --\n")
        for line in article.dropped:
            text = line.text if len(line.text) <= 100 else line.text[:99] + "…"
            out.write(f"[{line.reason}] {text}\n")


def _names(article: Article, *labels: str) -> list[str]:
    seen: dict[str, None] = {}
    for entity in article.entities:
        if entity.label in labels:
            seen.setdefault(entity.canonical)
    return list(seen)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), required=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of stdout.",
)
@click.pass_obj
@_handle_errors
def export(obj: Context, fmt: str, output: Path | None) -> None:
    """Export every stored article as JSON lines or CSV."""
    with _open_existing(obj.db) as store:
        if output is None:
            count = export_articles(store, fmt, sys.stdout)  # type: ignore[arg-type]
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                count = export_articles(store, fmt, out)  # type: ignore[arg-type]
    if not obj.quiet:
        click.echo(f"exported {count} article(s)", err=True)


@main.command()
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
@click.pass_obj
@_handle_errors
def failures(obj: Context, limit: int, fmt: str) -> None:
    """List the inputs that failed, newest first, with stage, code and message."""
    with _open_existing(obj.db) as store:
        rows = store.failures(limit=limit)
    for failure in rows:
        if fmt == "jsonl":
            click.echo(json.dumps(failure_to_dict(failure), ensure_ascii=False))
        else:
            click.echo(f"{failure.time}  {failure.line()}")


@contextmanager
def _open_existing(db: Path) -> Iterator[Store]:
    if not db.exists():
        raise UsageError(f"no store at {db}; run `wirewatch --db {db} ingest INPUT...` first")
    with Store.open(db) as store:
        yield store


if __name__ == "__main__":  # pragma: no cover
    main()
