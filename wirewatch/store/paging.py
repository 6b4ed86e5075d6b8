"""Pages of a listing and their cursors: an opaque token holding the sort key of the last
row shown, so the next page starts after it and rows added meanwhile do not shift pages."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from wirewatch.errors import UsageError

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Page(Generic[_T]):
    """One page of a listing: its rows, and the cursor of the next page (None: no more)."""

    items: list[_T]
    next_cursor: str | None = None


def encode_cursor(key: Sequence[Any]) -> str:
    """An opaque cursor for the sort key ``key``."""
    raw = json.dumps(list(key), separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, types: Sequence[type]) -> list[Any]:
    """The sort key a cursor holds; ``UsageError`` (``bad_cursor``) unless it has ``types``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        key = None
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


def check_limit(limit: int) -> None:
    if limit < 1:
        raise UsageError(f"limit must be at least 1, got {limit}")
