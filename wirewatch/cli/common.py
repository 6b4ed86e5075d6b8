"""What every command shares: the context object, error handling, common options."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from wirewatch.errors import UsageError, WirewatchError
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.backends import redact, target_kind

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """What every command shares: the store (a path or a PostgreSQL URL) and the settings."""

    def __init__(self, db: str, settings: Settings, quiet: bool) -> None:
        self.db = db
        self.shown = redact(db)
        """The store as messages name it (a URL's password hidden)."""
        self.settings = settings
        self.quiet = quiet


def store_missing(db: str) -> bool:
    """True when ``db`` names an SQLite file that does not exist (a PostgreSQL database is
    there or not; opening it says which)."""
    return target_kind(db) == "sqlite" and db != ":memory:" and not Path(db).exists()


@contextmanager
def open_existing(
    db: str, first: str = "run `wirewatch --db {db} ingest INPUT...` first"
) -> Iterator[Store]:
    """The store at ``db``; a usage error naming what to do ``first`` when it does not exist."""
    if store_missing(db):
        raise UsageError(f"no store at {db}; " + first.format(db=db))
    with Store.open(db) as store:
        yield store


def parse_overrides(values: tuple[str, ...]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for value in values:
        name, sep, raw = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="--set")
        overrides[name.strip()] = raw
    return overrides


def handle_errors(func: F) -> F:
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
