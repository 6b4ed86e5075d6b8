"""Entries of a watched source and the identity that says whether one is new.

An entry's ``key`` is, in order of preference, ``guid:<GUID>``, ``link:<URL>``, or
``hash:<sha256 of link, title and date>``. Feeds get GUIDs wrong in two ways, both detected
per feed: some repeat one GUID for different links (a template bug), some leave GUIDs out.
A feed seen repeating a GUID for different links is switched to link identity for good
(``identity = "link"``, kept in the store). Sitemap entries are keyed by their URL alone:
a changed ``lastmod`` is the same article updated, and the store keeps one copy per URL.

``published`` is the date the source gives, ISO 8601 in UTC, or None when it is missing or
unreadable; it is kept even when in the future (that is what the source says), but the
scheduler ignores future dates.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from wirewatch.collect.fields import clean_optional, clean_str

Identity = Literal["guid", "link"]
_MAX_CONTENT_CHARS = 200_000  # an entry's own text, kept as the fallback for its page


@dataclass(slots=True)
class SourceEntry:
    """One entry of a feed or one URL of a sitemap, as read from the source."""

    key: str
    url: str | None
    title: str | None = None
    published: str | None = None
    content: str | None = None  # the entry's own text, used when its page cannot be fetched
    content_type: Literal["html", "text"] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def identity_for(entries: Sequence[Any], current: Identity) -> Identity:
    """``"link"`` once a feed repeats a GUID for different links; ``current`` otherwise."""
    if current == "link":
        return "link"
    links_by_guid: dict[str, str | None] = {}
    for entry in entries:
        guid, link = entry.get("id") or None, entry.get("link") or None
        if guid is None:
            continue
        if guid in links_by_guid and links_by_guid[guid] != link:
            return "link"
        links_by_guid[guid] = link
    return "guid"


def feed_entries(entries: Sequence[Any], identity: Identity) -> list[SourceEntry]:
    """feedparser's entries as ``SourceEntry``s keyed under ``identity``, duplicates once."""
    found: dict[str, SourceEntry] = {}
    for entry in entries:
        # Feeds are data: a character reference can make a lone surrogate, which no store
        # can encode, so every field is cleaned here (``fields.clean_str``).
        link = clean_optional(entry.get("link") or None)
        guid = clean_optional(entry.get("id") or None)
        title = clean_optional(entry.get("title") or None)
        published = entry_date(entry)
        entry_key = _key(guid, link, title, published, identity)
        if entry_key in found:
            continue
        body = _entry_content(entry)
        metadata: dict[str, Any] = {}
        if guid:
            metadata["feed_entry_id"] = guid
        found[entry_key] = SourceEntry(
            key=entry_key,
            url=link,
            title=title,
            published=published,
            content=clean_str(body[0]) if body else None,
            content_type=body[1] if body else None,
            metadata=metadata,
        )
    return list(found.values())


def entry_date(entry: Any) -> str | None:
    """The entry's publication (else update) date, ISO 8601 in UTC; None if unreadable."""
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get: FeedParserDict.get maps updated_parsed to published_parsed, with a warning.
        parsed: time.struct_time | None = dict.get(entry, name)
        if parsed is None:
            continue
        try:
            return datetime(*parsed[:6], tzinfo=UTC).isoformat()
        except (TypeError, ValueError):
            return None
    return None


def _key(
    guid: str | None, link: str | None, title: str | None, published: str | None, mode: Identity
) -> str:
    if guid and mode == "guid":
        return f"guid:{guid}"
    if link:
        return f"link:{link}"
    digest = hashlib.sha256("\x1f".join((link or "", title or "", published or "")).encode())
    return f"hash:{digest.hexdigest()[:32]}"


def _entry_content(entry: Any) -> tuple[str, Literal["html", "text"]] | None:
    """The entry's full content (content:encoded, Atom content), else its summary."""
    for detail in [*entry.get("content", []), entry.get("summary_detail") or {}]:
        value = (detail.get("value") or "")[:_MAX_CONTENT_CHARS]
        if value.strip():
            return value, "text" if detail.get("type") == "text/plain" else "html"
    return None
