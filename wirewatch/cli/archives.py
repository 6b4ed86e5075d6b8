"""``wirewatch archives``: the WARC files ingested, their state, counts and position (or, for
a file a Ray run split into record ranges, its ranges done and in all).

Also the archive half of ``wirewatch ingest`` (``ingest_archive_inputs``): WARC files named on
the command line go through run/archives.py, resumable and ``--jobs`` at a time.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict

import click

from wirewatch.cli.common import Context, handle_errors, store_missing
from wirewatch.errors import UsageError
from wirewatch.model import Article, Failure
from wirewatch.run.archives import ingest_archives
from wirewatch.run.ingest import IngestSummary
from wirewatch.store import Store
from wirewatch.store.archives import ArchiveRow, list_archives
from wirewatch.store.split_archives import SplitArchiveRow, list_splits

EXIT_INTERRUPTED = 130


def ingest_archive_inputs(
    obj: Context,
    archives: list[str],
    store: Store,
    *,
    stages: str,
    jobs: int | None,
    again: bool,
    on_result: Callable[[Article | Failure], None],
    on_added: Callable[[str], None],
    on_progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """Ingest the WARC files ``archives``; Ctrl-C/SIGTERM end the command, positions saved."""
    try:
        run = ingest_archives(
            archives,
            store,
            obj.settings,
            stages=stages,  # type: ignore[arg-type]
            jobs=jobs or obj.settings.archive_jobs,
            again=again,
            on_result=on_result,
            on_added=on_added,
            on_progress=on_progress,
        )
    except KeyboardInterrupt:
        click.echo(
            "wirewatch: interrupted; every archive's position is saved: "
            "run the same command again to go on",
            err=True,
        )
        store.close()
        sys.exit(EXIT_INTERRUPTED)
    for line in run.skipped:
        click.echo(line, err=True)
    return run.summary


@click.command("archives")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
@click.pass_obj
@handle_errors
def archives(obj: Context, fmt: str) -> None:
    """List the WARC files ingested: state, records read, articles, failures, position; for a
    file split into record ranges (``--executor ray``), its ranges done and in all."""
    if store_missing(obj.db):
        raise UsageError(f"no store at {obj.db}; run `wirewatch --db {obj.db} ingest X.warc.gz`")
    with Store.open(obj.db) as store:
        rows: list[ArchiveRow | SplitArchiveRow] = [*list_archives(store), *list_splits(store)]
    rows.sort(key=lambda row: row.started, reverse=True)  # stable: each list's order kept
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(asdict(row), ensure_ascii=False))
        return
    if not rows:
        click.echo(f"no archives ingested into {obj.shown}", err=True)
    for row in rows:
        click.echo(_line(row))


def _line(row: ArchiveRow | SplitArchiveRow) -> str:
    if isinstance(row, SplitArchiveRow):
        ranges = f"{row.ranges_done}/{row.ranges}"
        return (
            f"{row.state:<7} {row.documents:>8} documents {row.articles:>7} articles "
            f"{row.copies + row.duplicates:>6} duplicates {row.failures:>6} failures  "
            f"ranges {ranges:<14} {row.path}"
        )
    position = "-" if row.position is None else str(row.position)
    return (
        f"{row.state:<7} {row.records:>8} records {row.articles:>7} articles "
        f"{row.duplicates:>6} duplicates {row.failures:>6} failures  "
        f"position {position:<12} {row.path}"
    )
