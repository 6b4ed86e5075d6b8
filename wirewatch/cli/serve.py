"""``wirewatch serve``: the web UI and JSON API over the store, with uvicorn."""

from __future__ import annotations

import click

from wirewatch.cli import main
from wirewatch.cli.common import Context, handle_errors
from wirewatch.errors import UsageError


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP port."
)
@click.pass_obj
@handle_errors
def serve(obj: Context, host: str, port: int) -> None:
    """Serve the web UI and JSON API (/api/) over the store (--db) until Ctrl-C.

    Read-only unless the web_api_token setting is given: then POST /api/ingest exists and
    requires it.
    """
    import uvicorn

    from wirewatch.web import create_app

    if not obj.db.exists():
        raise UsageError(
            f"no store at {obj.db}; run `wirewatch --db {obj.db} ingest INPUT...` first"
        )
    app = create_app(obj.db, obj.settings)
    click.echo(f"wirewatch: serving {obj.db} at http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning" if obj.quiet else "info")
