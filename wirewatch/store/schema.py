"""The store's schema as a list of migrations, applied in order and recorded in the store.

A migration is a function that takes the connection and changes the schema; it is registered
with ``@migration(version, name)`` and versions count up from 1 without gaps. ``migrate`` applies
every registered migration the store has not recorded, each in its own transaction together with
its row in ``schema_migrations``, so a migration is either wholly applied and recorded or not at
all. To change the schema, add a new module to ``wirewatch.store.migrations``; never edit one that
has been released, because stores in the field have already recorded it.

A migration must not commit or open transactions itself, and must not use
``executescript`` (which commits first): run one statement per ``execute`` call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wirewatch.errors import StoreError
from wirewatch.model import utc_now
from wirewatch.store.backends import Connection, DatabaseError

MigrationFunction = Callable[[Connection], None]


@dataclass(frozen=True, slots=True)
class Migration:
    """One registered schema change: ``apply`` runs inside a transaction ``migrate`` opens."""

    version: int
    name: str
    apply: MigrationFunction


MIGRATIONS: list[Migration] = []


def migration(version: int, name: str) -> Callable[[MigrationFunction], MigrationFunction]:
    """Register the decorated function as schema migration ``version``.

    Versions must be registered in order, 1, 2, 3, ...; a gap or a repeat is a programming
    error and fails at import, before any store is touched.
    """

    def register(apply: MigrationFunction) -> MigrationFunction:
        expected = len(MIGRATIONS) + 1
        if version != expected:  # pragma: no cover - a programming error caught at import
            raise RuntimeError(f"migration {name!r} has version {version}, expected {expected}")
        MIGRATIONS.append(Migration(version, name, apply))
        return apply

    return register


def latest_version(migrations: Sequence[Migration] | None = None) -> int:
    """The schema version a store has once every registered migration is applied."""
    registered = MIGRATIONS if migrations is None else migrations
    return max((m.version for m in registered), default=0)


def check_is_store(conn: Connection, where: str) -> None:
    """Refuse another application's database rather than add our tables to it."""
    names = conn.backend.tables(conn)
    if names and "schema_migrations" not in names:
        title = conn.backend.title
        article = "an" if title == "SQLite" else "a"
        raise StoreError(
            f"cannot open store {where}: it is {article} {title} database but not a "
            "wirewatch store",
            code="not_a_store",
        )


def applied_version(conn: Connection) -> int:
    """The highest migration version recorded in the store (0 for a new store)."""
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0])


def migrate(conn: Connection, migrations: Sequence[Migration] | None = None) -> list[Migration]:
    """Bring the store's schema up to date; return the migrations applied (often none).

    ``conn`` must be in autocommit mode (``isolation_level=None``). Raises ``StoreError`` when
    the store records a version newer than any registered here: it was written by a newer
    wirewatch, and changing it would corrupt it for that version.
    """
    registered = MIGRATIONS if migrations is None else migrations
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    latest = latest_version(registered)
    _refuse_newer(conn, latest)
    if applied_version(conn) == latest:
        # Up to date, as nearly every open finds it: no write lock is taken, so opening a
        # store to read (a server's thread) never waits on, nor blocks, a writer.
        return []
    applied: list[Migration] = []
    for step in sorted(registered, key=lambda m: m.version):
        if _apply_one(conn, step):
            applied.append(step)
    return applied


def _refuse_newer(conn: Connection, known: int) -> None:
    found = applied_version(conn)
    if found > known:
        raise StoreError(
            f"this store has schema version {found}, but this wirewatch knows versions up to "
            f"{known}; it was written by a newer wirewatch: upgrade wirewatch to open it",
            code="store_too_new",
        )


def _apply_one(conn: Connection, step: Migration) -> bool:
    """Apply ``step`` unless the store has it; True when it was applied."""
    # The version is checked again under the write lock: another process opening the same new
    # store at the same moment may have applied this migration while we waited for the lock.
    conn.backend.begin(conn)
    # Two processes opening one new PostgreSQL store take turns here (SQLite's BEGIN IMMEDIATE
    # already made them), so the second sees the first's migration and skips it.
    conn.backend.lock(conn, "wirewatch.schema_migrations")
    try:
        if applied_version(conn) >= step.version:
            conn.execute("ROLLBACK")
            return False
        step.apply(conn)
        conn.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            (step.version, step.name, utc_now()),
        )
        conn.execute("COMMIT")
    except DatabaseError as exc:
        _rollback(conn)
        raise StoreError(
            f"schema migration {step.version} ({step.name}) failed and was undone: {exc}",
            code="migration_failed",
        ) from exc
    except BaseException:
        _rollback(conn)
        raise
    return True


def _rollback(conn: Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def run_statements(conn: Connection, statements: Sequence[str]) -> None:
    """Run a migration's statements one by one (never ``executescript``, which commits)."""
    for statement in statements:
        conn.execute(statement)


def run_backend_statements(conn: Connection, name: str) -> None:
    """Run the statements the store's backend has for step ``name`` (full-text indexes...)."""
    run_statements(conn, conn.backend.statements(name))


# The registered migrations, one module each, in order (importing them registers them).
from wirewatch.store import migrations as _migrations  # noqa: E402, F401
