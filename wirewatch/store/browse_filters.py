"""The filters of a listing (the web UI's pages, its JSON API, the CLI's ``search`` and
``stories``): the search filters plus what only browsing offers, parsed once for every caller
(``BrowseFilters.parse``), and the SQL conditions they give."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from wirewatch.errors import UsageError
from wirewatch.store.backends import Connection
from wirewatch.store.filters import SearchFilters
from wirewatch.store.story_once import EVENT_ONCE, QUOTE_ONCE

QUAD_CLASSES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


@dataclass(frozen=True, slots=True)
class BrowseFilters:
    """The search filters plus what only browsing offers: the site and the quad class."""

    search: SearchFilters = field(default_factory=SearchFilters)
    site: str | None = None
    quad_class: int | None = None
    per_mention: bool = False  # list every mention, not each story-level record once
    story: str | None = None  # a story id: its articles (members and near/truncated copies)

    @classmethod
    def parse(
        cls,
        *,
        site: str | None = None,
        quad_class: int | str | None = None,
        per_mention: bool = False,
        story: str | None = None,
        **search: str | None,
    ) -> BrowseFilters:
        """Check every value; ``UsageError`` names the first that cannot be used.

        The one parser of filters: the web's query parameters (``web/params.py``) and the
        CLI's options (``search``, ``stories``) all come through here, as the strings the
        user typed, so ``since=2026`` means the same everywhere.

        ``search`` takes the ``SearchFilters`` names (speaker, actor, cameo, plover, country,
        since, until, polarity); empty strings count as not given, as an HTML form sends them.
        ``quad_class`` is a number from 1 to 4, or its digit as typed. ``story`` is a story id
        (``s-`` and 16 hex digits) or a prefix of one (``s-`` optional, at least 6 digits),
        which ``with_story(conn)`` resolves against the store before the filters are used.
        """
        given = {name: (value.strip() or None) if value else None for name, value in search.items()}
        if isinstance(quad_class, str):
            typed = quad_class.strip()
            if typed and not typed.isdigit():
                raise UsageError(f"quad_class {quad_class!r} is not a number from 1 to 4")
            quad_class = int(typed) if typed else None
        if quad_class is not None and quad_class not in QUAD_CLASSES:
            raise UsageError(
                f"quad_class {quad_class} is not a quad class: give 1 (verbal cooperation), "
                "2 (material cooperation), 3 (verbal conflict) or 4 (material conflict)"
            )
        site = site.strip() if site else None
        story = _story_key(story)
        return cls(
            SearchFilters.parse(**given), site or None, quad_class, per_mention, story or None
        )

    @property
    def story_prefix(self) -> bool:
        """Whether ``story`` is a prefix still to resolve (``with_story``)."""
        return self.story is not None and len(self.story) < STORY_ID_LENGTH

    def with_story(self, conn: Connection) -> BrowseFilters:
        """These filters with a story id prefix replaced by the one id it starts (as the CLI's
        ``--story`` and ``show`` take it); ``UsageError`` when more than one id starts so. A
        prefix no story id starts is kept: it selects nothing, as an unknown id does."""
        if self.story is None or not self.story_prefix:
            return self
        found = conn.execute(
            "SELECT id FROM stories WHERE id >= :f_from AND id < :f_to ORDER BY id LIMIT 2",
            # Every character after a hex prefix sorts below "g": this range is the prefix.
            {"f_from": self.story, "f_to": self.story + "g"},
        ).fetchall()
        if len(found) > 1:
            raise UsageError(
                f"story id prefix {self.story!r} is ambiguous: more than one story id starts "
                "with it; give more characters"
            )
        return replace(self, story=str(found[0][0])) if found else self

    def charted(self) -> BrowseFilters:
        """These filters for a chart: asserted events only unless a polarity was chosen, since
        a denial or a demand drawn as what happened would misstate the record."""
        if self.search.polarity is not None:
            return self
        return replace(self, search=replace(self.search, polarity=("asserted",)))

    def record_condition(self, *, per_event: bool = False) -> tuple[str, dict[str, Any]]:
        """``event_condition``, counting each story-level event once unless ``per_mention``."""
        sql, params = self.event_condition(per_event=per_event)
        return (sql if self.per_mention else f"{sql} AND {EVENT_ONCE}"), params

    def quote_listing_condition(self) -> tuple[str, dict[str, Any]]:
        """SQL over ``q`` and its article ``a``: quotes of the speaker, site and publication
        days these filters name (event filters do not apply to quotes)."""
        sql, params = self.search.quote_condition()
        days, values = SearchFilters(
            since=self.search.since, until=self.search.until
        ).article_condition()
        where, scope = self._article_scope()
        return " AND ".join([sql, days, *where]), params | values | scope

    @property
    def on_quotes(self) -> bool:
        return self.search.on_quotes

    @property
    def any(self) -> bool:
        """Whether any filter is given (``per_mention`` is how to count, not a filter)."""
        given = (self.site, self.quad_class, self.story)
        return self.search.any or any(value is not None for value in given)

    def quote_condition(self) -> tuple[str, dict[str, Any]]:
        """``SearchFilters.quote_condition``: SQL over ``q`` that a matching quote satisfies."""
        return self.search.quote_condition()

    @property
    def quote_once(self) -> str:
        """SQL over ``q``: each story-level quote once unless ``per_mention``."""
        return "TRUE" if self.per_mention else QUOTE_ONCE

    @property
    def on_events(self) -> bool:
        return self.search.on_events or self.quad_class is not None

    def event_condition(self, *, per_event: bool = False) -> tuple[str, dict[str, Any]]:
        """SQL over ``e`` and its article ``a``: the events these filters select
        (``per_event``: see ``SearchFilters.event_condition``)."""
        sql, params = self.search.event_condition(per_event=per_event)
        parts = [sql]
        if self.quad_class is not None:
            parts.append("e.quad_class = :f_quad_class")
            params = params | {"f_quad_class": self.quad_class}
        where, scope = self._article_scope()
        return " AND ".join([*parts, *where]), params | scope

    def correlated_condition(self) -> tuple[str, dict[str, Any]]:
        """``article_condition`` tested article by article: a quote or an event of ``a``
        matches, looked up by the article's id rather than listed for the whole store."""
        parts: list[str] = []
        params: dict[str, Any] = {}
        if self.search.on_quotes:
            sql, values = self.search.quote_condition()
            parts.append(f"EXISTS (SELECT 1 FROM quotes AS q WHERE q.article_id = a.id AND {sql})")
            params |= values
        if self.on_events:
            sql, values = self.event_condition(per_event=True)
            parts.append(f"EXISTS (SELECT 1 FROM events AS e WHERE e.article_id = a.id AND {sql})")
            params |= values
        else:
            sql, values = BrowseFilters(
                SearchFilters(since=self.search.since, until=self.search.until),
                self.site,
                story=self.story,
            ).article_condition()
            parts.append(sql)
            params |= values
        return " AND ".join(parts), params

    def article_condition(self) -> tuple[str, dict[str, Any]]:
        """SQL over the article ``a``: the articles these filters select."""
        if self.quad_class is not None:
            # The quad class is an event filter: apply it with the others, to one event.
            sql, params = self.event_condition()
            parts = [
                "a.id IN (SELECT e.article_id FROM events AS e "
                f"JOIN articles AS a ON a.id = e.article_id WHERE {sql})"
            ]
            if self.search.on_quotes:
                quote_sql, quote_params = self.search.quote_condition()
                parts.append(f"a.id IN (SELECT q.article_id FROM quotes AS q WHERE {quote_sql})")
                params = params | quote_params
            return " AND ".join(parts), params
        sql, params = self.search.article_condition()
        where, scope = self._article_scope()
        return " AND ".join([sql, *where]), params | scope

    def _article_scope(self) -> tuple[list[str], dict[str, Any]]:
        """SQL over the article ``a`` for the site and story filters (for events, quotes and
        articles alike: they name where the article ran and which story it belongs to)."""
        parts: list[str] = []
        params: dict[str, Any] = {}
        if self.site is not None:
            parts.append(_SITE_CONDITION)
            params["f_site"] = self.site
        if self.story is not None:
            parts.append(_STORY_CONDITION)
            params["f_story"] = self.story
        return parts, params


STORY_ID_LENGTH = len("s-") + 16
MIN_STORY_DIGITS = 6
"""The fewest hex digits of a story id a filter takes as a prefix (as ``show`` does)."""
_STORY_DIGITS = re.compile(rf"[0-9a-f]{{{MIN_STORY_DIGITS},16}}")


def _story_key(story: str | None) -> str | None:
    """``s-`` and the hex digits of a story id or its prefix as typed (``s-`` optional)."""
    typed = story.strip().lower() if story else ""
    if not typed:
        return None
    digits = typed.removeprefix("s-")
    if not _STORY_DIGITS.fullmatch(digits):
        raise UsageError(
            f"story {story!r} is not a story id: s- and 16 hex digits, or the first "
            f"{MIN_STORY_DIGITS} or more of them"
        )
    return "s-" + digits


_STORY_CONDITION = (
    "a.id IN (SELECT sa.article_id FROM story_articles AS sa WHERE sa.story_id = :f_story)"
)
_SITE_CONDITION = (
    "(a.site = :f_site OR a.site_id IN "
    "(SELECT id FROM sites WHERE host = :f_site OR name = :f_site))"
)
