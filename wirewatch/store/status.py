"""A store's schema without changing it (``wirewatch db status``), and bringing it up to date
on request (``wirewatch db upgrade``)."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass

from wirewatch.store.backends import connect, redact
from wirewatch.store.schema import MIGRATIONS, Migration, check_is_store, latest_version, migrate


@dataclass(frozen=True, slots=True)
class Applied:
    version: int
    name: str
    applied_at: str


@dataclass(frozen=True, slots=True)
class StoreStatus:
    """Where a store is, its backend, the migrations it has and those it lacks."""

    store: str
    backend: str
    version: int
    latest: int
    applied: tuple[Applied, ...]
    pending: tuple[Migration, ...]


def store_status(target: str, busy_timeout: float = 10.0) -> StoreStatus:
    """The schema of the store at ``target``, read without writing anything (an SQLite file
    that does not exist yet is created empty by SQLite, as for any open)."""
    with closing(connect(target, busy_timeout)) as conn:
        check_is_store(conn, redact(target))
        applied: tuple[Applied, ...] = ()
        if "schema_migrations" in conn.backend.tables(conn):
            applied = tuple(
                Applied(int(row[0]), str(row[1]), str(row[2]))
                for row in conn.execute(
                    "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
                )
            )
        version = max((a.version for a in applied), default=0)
        return StoreStatus(
            store=redact(target),
            backend=conn.backend.name,
            version=version,
            latest=latest_version(),
            applied=applied,
            pending=tuple(m for m in MIGRATIONS if m.version > version),
        )


def upgrade_store(target: str, busy_timeout: float = 10.0) -> list[Migration]:
    """Apply the migrations the store at ``target`` lacks; the ones applied, in order."""
    with closing(connect(target, busy_timeout)) as conn:
        check_is_store(conn, redact(target))
        return migrate(conn)
