"""``wirewatch ingest --executor ray``: the command's side of a run on Ray (run/cluster/)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from wirewatch.cli.common import EXIT_FAILURES, EXIT_OK, Context
from wirewatch.model import Article, Failure
from wirewatch.run.cluster.executor import ingest_on_ray, write_on_ray
from wirewatch.run.ingest import IngestSummary
from wirewatch.run.progress import Progress
from wirewatch.store import Store


def ingest_on_cluster(
    obj: Context,
    inputs: tuple[str, ...],
    stages: str,
    jobs: int | None,
    address: str | None,
    *,
    again: bool,
    output: Path | None = None,
) -> None:
    """``ingest --executor ray``: the run, its article lines and progress, its summary."""
    from wirewatch.cli import _article_line, _summary_line  # the lines plain ingest prints

    if output is not None:
        _write_dataset(obj, inputs, stages, jobs, address, again=again, output=output)
        return
    started = time.perf_counter()
    with Store.open(obj.db) as store, Progress(None, quiet=obj.quiet) as progress:
        added: set[str] = set()

        def report(result: Article | Failure) -> None:  # SQLite: the driver stores
            if isinstance(result, Article) and result.id in added:
                progress.write(_article_line(result))

        def tick(now: IngestSummary) -> None:
            progress.tick(articles=now.added, copies=now.copies, failures=len(now.failures))

        run = ingest_on_ray(
            inputs, store, obj.db, obj.settings,
            stages=stages,  # type: ignore[arg-type]
            address=address, workers=jobs, again=again,
            on_result=report, on_added=added.add, on_progress=tick,
        )  # fmt: skip
    summary = run.summary
    for line in run.skipped:
        click.echo(line, err=True)
    for failure in summary.failures:
        click.echo(failure.line(), err=True)
    if not obj.quiet:
        click.echo(run.report(), err=True)
        click.echo(_summary_line(summary, obj.shown, time.perf_counter() - started), err=True)
    sys.exit(EXIT_FAILURES if summary.failures else EXIT_OK)


def _write_dataset(
    obj: Context,
    inputs: tuple[str, ...],
    stages: str,
    jobs: int | None,
    address: str | None,
    *,
    again: bool,
    output: Path,
) -> None:
    """``--output DIR``: the results as a Parquet dataset; the store is not opened."""
    with Progress(None, quiet=obj.quiet) as progress:

        def tick(now: IngestSummary) -> None:
            progress.tick(articles=now.added, copies=now.copies, failures=len(now.failures))

        run = write_on_ray(
            inputs, output, obj.settings,
            stages=stages,  # type: ignore[arg-type]
            address=address, workers=jobs, again=again, on_progress=tick,
        )  # fmt: skip
    for failure in run.summary.failures:
        click.echo(failure.line(), err=True)
    if not obj.quiet:
        click.echo(run.report(), err=True)
    click.echo(
        f"wrote {run.blocks} block file(s) to {output}; load them with "
        f"`wirewatch --db {obj.shown} db load {output}`",
        err=True,
    )
    sys.exit(EXIT_FAILURES if run.summary.failures else EXIT_OK)
