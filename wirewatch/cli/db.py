"""``wirewatch db``: a store's schema (status, upgrade) and copying a store to another."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from wirewatch.cli.common import Context, handle_errors, store_missing
from wirewatch.errors import UsageError
from wirewatch.store import Store
from wirewatch.store.backends import redact
from wirewatch.store.copy import copy_store
from wirewatch.store.status import store_status, upgrade_store


@click.group("db")
def db() -> None:
    """The store itself: its schema version, upgrades, copies between SQLite and PostgreSQL."""


@db.command("status")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_obj
@handle_errors
def status(obj: Context, fmt: str) -> None:
    """The store's backend, schema version and the migrations it has and lacks."""
    if store_missing(obj.db):
        raise UsageError(f"no store at {obj.db}")
    found = store_status(obj.db)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "store": found.store,
                    "backend": found.backend,
                    "version": found.version,
                    "latest": found.latest,
                    "applied": [asdict(a) for a in found.applied],
                    "pending": [{"version": m.version, "name": m.name} for m in found.pending],
                },
                ensure_ascii=False,
            )
        )
        return
    click.echo(f"store    {found.store} ({found.backend})")
    click.echo(f"schema   version {found.version} of {found.latest}")
    for applied in found.applied:
        click.echo(f"  {applied.version:>3}  {applied.applied_at}  {applied.name}")
    for pending in found.pending:
        click.echo(f"  {pending.version:>3}  pending                    {pending.name}")
    if found.pending:
        click.echo("run `wirewatch db upgrade` to apply the pending migrations", err=True)


@db.command("upgrade")
@click.pass_obj
@handle_errors
def upgrade(obj: Context) -> None:
    """Apply the schema migrations the store lacks (any command does so when it opens it)."""
    applied = upgrade_store(obj.db)
    for migration in applied:
        click.echo(f"applied {migration.version:>3}  {migration.name}")
    if not applied:
        click.echo(f"{obj.shown} is up to date", err=True)


@db.command("copy")
@click.argument("source", metavar="SOURCE")
@click.argument("target", metavar="TARGET")
@click.pass_obj
@handle_errors
def copy(obj: Context, source: str, target: str) -> None:
    """Copy every row of the store SOURCE into TARGET (paths or postgresql:// URLs).

    TARGET is created and migrated when new. Run it again to resume a copy that stopped;
    rows already there are kept. The row counts of every table are checked at the end.
    """
    if store_missing(source):
        raise UsageError(f"no store at {source}")
    if source == target:
        raise UsageError("SOURCE and TARGET are the same store")

    on_terminal = sys.stderr.isatty()

    def report(table: str, rows: int) -> None:
        if not obj.quiet and on_terminal:
            click.echo(f"\r\033[K{table}: {rows} rows", err=True, nl=False)

    with Store.open(source) as src, Store.open(target) as dst:
        results = copy_store(src, dst, report)
    if not obj.quiet:
        if on_terminal:
            click.echo("\r\033[K", err=True, nl=False)
        for result in results:
            click.echo(
                f"{result.name}: {result.copied} copied, {result.target_rows} of "
                f"{result.source_rows} there",
                err=True,
            )
    total = sum(r.target_rows for r in results)
    copied = sum(r.copied for r in results)
    click.echo(
        f"copied {copied} rows from {redact(source)} to {redact(target)}; "
        f"{total} rows in {len(results)} tables, every count checked"
    )


@db.command("load")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path, file_okay=False))
@click.pass_obj
@handle_errors
def load(obj: Context, folder: Path) -> None:
    """Store the Parquet dataset DIR that `ingest --executor ray --output DIR` wrote.

    Blocks are stored in input order, as `ingest` would have stored the inputs: the same
    articles, copies and stories. Files already loaded are skipped: run it again to go on.
    """
    from wirewatch.run.load import load_dataset

    if not folder.is_dir():
        raise UsageError(f"no dataset at {folder}")
    with Store.open(obj.db) as store:
        run = load_dataset(folder, store, obj.settings)
    summary = run.summary
    for failure in summary.failures:
        click.echo(failure.line(), err=True)
    click.echo(
        f"loaded {run.files} file(s) of {folder} into {obj.shown} "
        f"({len(run.skipped)} already loaded, skipped): {summary.added} new article(s), "
        f"{summary.copies} copies, {summary.duplicates} duplicate(s), "
        f"{len(summary.failures)} failure(s)",
        err=True,
    )
