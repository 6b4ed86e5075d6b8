"""The failures table as the CLI's ``failures``, the failures page and ``/api/failures`` list
it: newest first, filtered by stage, code, source and time, one page at a time.

``FailureFilters.parse`` is the one parser of these filters for the CLI and the web.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

from wirewatch.errors import UsageError
from wirewatch.model import Failure, Stage
from wirewatch.store.backends import Connection
from wirewatch.store.filters import SearchFilters
from wirewatch.store.paging import Page, check_limit, decode_cursor, encode_cursor
from wirewatch.store.rows import failure_from_row

STAGES: tuple[str, ...] = get_args(Stage)


@dataclass(frozen=True, slots=True)
class FailureFilters:
    """Checked failure filters: ``stage`` exactly, ``code`` exactly, ``source`` containing
    these characters (case ignored), ``since``/``until`` days (periods as for every listing:
    ``2026``, ``2026-03``, ``2026-W10``, ``2026-03-02``; both ends included)."""

    stage: str | None = None
    code: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None

    @classmethod
    def parse(
        cls,
        *,
        stage: str | None = None,
        code: str | None = None,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> FailureFilters:
        """Check each value (empty strings count as not given); ``UsageError`` names the first
        that cannot match."""
        stage = (stage or "").strip().lower() or None
        if stage is not None and stage not in STAGES:
            raise UsageError(f"stage {stage!r} is not a stage: choose one of {', '.join(STAGES)}")
        days = SearchFilters.parse(since=since or None, until=until or None)
        return cls(
            stage=stage,
            code=(code or "").strip().lower() or None,
            source=(source or "").strip() or None,
            since=days.since,
            until=days.until,
        )

    def condition(self) -> tuple[str, dict[str, Any]]:
        """SQL over ``failures AS f`` that a matching failure satisfies."""
        parts: list[str] = []
        params: dict[str, Any] = {}
        if self.stage is not None:
            parts.append("f.stage = :f_stage")
            params["f_stage"] = self.stage
        if self.code is not None:
            parts.append("f.code = :f_code")
            params["f_code"] = self.code
        if self.source is not None:
            parts.append("instr(lower(f.source), :f_source) > 0")
            params["f_source"] = self.source.lower()
        # Times are ISO UTC (``2026-03-02T10:00:00+00:00``): a day compares by its first ten.
        if self.since is not None:
            parts.append("substr(f.time, 1, 10) >= :f_since")
            params["f_since"] = self.since
        if self.until is not None:
            parts.append("substr(f.time, 1, 10) <= :f_until")
            params["f_until"] = self.until
        return " AND ".join(parts) or "TRUE", params


def list_failures(
    conn: Connection, filters: FailureFilters, limit: int = 50, cursor: str | None = None
) -> Page[Failure]:
    """Failures ``filters`` select, newest recorded first (keyset cursor on the row id)."""
    check_limit(limit)
    where, params = filters.condition()
    if cursor is not None:
        (before,) = decode_cursor(cursor, (int,))
        where += " AND f.id < :c_id"
        params["c_id"] = before
    rows = conn.execute(
        f"SELECT f.* FROM failures AS f WHERE {where} ORDER BY f.id DESC LIMIT :limit",
        params | {"limit": limit + 1},
    ).fetchall()
    following = encode_cursor((rows[limit - 1]["id"],)) if len(rows) > limit else None
    return Page([failure_from_row(row) for row in rows[:limit]], following)
