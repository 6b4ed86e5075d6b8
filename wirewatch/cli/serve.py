"""``wirewatch serve``: the web UI and JSON API over the store, with uvicorn."""

from __future__ import annotations

import click

from wirewatch.cli import main
from wirewatch.cli.common import Context, handle_errors, store_missing
from wirewatch.errors import UsageError


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP port."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the port (about one per CPU core; see docs/serving.md).",
)
@click.pass_obj
@handle_errors
def serve(obj: Context, host: str, port: int, workers: int) -> None:
    """Serve the web UI and JSON API (/api/) over the store (--db) until Ctrl-C.

    Read-only unless the web_api_token setting is given: then POST /api/ingest exists and
    requires it. Limits on connections, bodies and queries: docs/serving.md.
    """
    from wirewatch.web.server import serve as run_server

    if store_missing(obj.db):
        raise UsageError(
            f"no store at {obj.db}; run `wirewatch --db {obj.db} ingest INPUT...` first"
        )
    processes = f", {workers} processes" if workers > 1 else ""
    click.echo(
        f"wirewatch: serving {obj.shown} at http://{host}:{port}/{processes} (Ctrl-C stops)",
        err=True,
    )
    run_server(
        obj.db,
        obj.settings,
        host=host,
        port=port,
        workers=workers,
        log_level="warning" if obj.quiet else "info",
    )
