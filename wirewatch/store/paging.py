"""Pages of a listing and their cursors: an opaque token holding the sort key of the last
row shown, so the next page starts after it and rows added meanwhile do not shift pages.

Keyset listings page both ways: a page's ``previous_cursor`` holds the key of its first row
marked "before" (``encode_cursor(key, before=True)``), and the listing then reads the rows
before that key in the reverse order (``Keyset.backward``), which an index walks backwards as
cheaply as forwards on both backends. When fewer than a page's rows lie before, the page
before is the first page, and the listing gives that (``Keyset.from_start``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from wirewatch.errors import UsageError

_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class Page(Generic[_T]):
    """One page of a listing: its rows, and the cursor of the next page (None: no more)."""

    items: list[_T]
    next_cursor: str | None = None
    previous_cursor: str | None = None  # None: this is the first page


_BEFORE = "<"
"""The first element of a cursor that pages backwards: the rows before its key."""


def encode_cursor(key: Sequence[Any], *, before: bool = False) -> str:
    """An opaque cursor for the sort key ``key`` (``before``: of the rows before it)."""
    values = [_BEFORE, *key] if before else list(key)
    raw = json.dumps(values, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, types: Sequence[type]) -> list[Any]:
    """The sort key a cursor holds; ``UsageError`` (``bad_cursor``) unless it has ``types``."""
    key = _decoded(cursor)
    if (
        not isinstance(key, list)
        or len(key) != len(types)
        or not all(type(value) is kind for value, kind in zip(key, types, strict=True))
    ):
        raise UsageError(
            f"cursor {cursor[:40]!r} is not one this server gave: pass next_cursor unchanged",
            code="bad_cursor",
        )
    return key


def _decoded(cursor: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


@dataclass(frozen=True, slots=True)
class Keyset:
    """Where a keyset page starts: after ``key`` (forwards), before it (``backward``), or at
    the start of the listing (``key`` None)."""

    key: list[Any] | None = None
    backward: bool = False

    @classmethod
    def parse(cls, cursor: str | None, types: Sequence[type]) -> Keyset:
        """The keyset a cursor holds (``next_cursor`` or ``previous_cursor`` of a page)."""
        if cursor is None:
            return cls()
        key = _decoded(cursor)
        if isinstance(key, list) and key[:1] == [_BEFORE]:
            return cls(decode_cursor(encode_cursor(key[1:]), types), backward=True)
        return cls(decode_cursor(cursor, types))

    def page(
        self, rows: Sequence[_R], limit: int, key_of: Callable[[_R], Sequence[Any]]
    ) -> Page[_R] | None:
        """The page of ``rows`` (read ``limit + 1`` in this keyset's order), with its cursors;
        None when a backward read found fewer than a page: read the first page instead."""
        if self.backward:
            if len(rows) <= limit:
                return None
            shown = list(reversed(rows[:limit]))
            return Page(
                shown,
                encode_cursor(key_of(shown[-1])),
                encode_cursor(key_of(shown[0]), before=True),
            )
        shown = list(rows[:limit])
        following = encode_cursor(key_of(shown[-1])) if len(rows) > limit else None
        previous = None
        if self.key is not None and shown:
            previous = encode_cursor(key_of(shown[0]), before=True)
        return Page(shown, following, previous)


def check_limit(limit: int) -> None:
    if limit < 1:
        raise UsageError(f"limit must be at least 1, got {limit}")
