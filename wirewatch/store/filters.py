"""Search filters on quotes and events: checked once, then turned into SQL conditions.

A filter on quotes (``speaker``) selects quotes; filters on events (``actor``, ``cameo``,
``plover``, ``country``, ``polarity``) select events, all of them applying to the same event.
An article matches when it has a matching quote (if a quote filter is given) and a matching
event (if an event filter is given). ``since``/``until`` compare each matching event's date
when an event filter is given, and the article's publication day otherwise (see
``SearchFilters``).

The SQL fragments use the aliases ``q`` (quotes), ``e`` (events) and ``a`` (the article of the
event) and named parameters prefixed ``f_``, so they combine with the store's own queries.

>>> filters = SearchFilters.parse(cameo="19", until="2014")
>>> filters.until, filters.event_condition()[1]
('2014-12-31', {'f_cameo_low': '19', 'f_cameo_high': '1:', 'f_until': '2014-12-31'})
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, get_args

from wirewatch.errors import UsageError
from wirewatch.model import Polarity
from wirewatch.store.periods import period

POLARITIES: tuple[str, ...] = get_args(Polarity)
"""What a text commits to about an event: ``asserted`` (stated as fact), ``negated``,
``denied``, ``demanded``, ``intended``, ``reported_claim``, ``conditional``."""

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
"""The PLOVER event types that CAMEO codes convert to (``wirewatch/data/cameo2plover.txt``)."""

_CAMEO = re.compile(r"\d{2,4}")
_COUNTRY = re.compile(r"[A-Za-z]{3}")
_CODE_LIKE = re.compile(r"[A-Za-z]{3,}")  # a value that may be (the start of) an actor code
_WORD = re.compile(r"\w")


@lru_cache(maxsize=1)
def cameo_codes() -> frozenset[str]:
    """Every code of the packaged CAMEO table (``wirewatch/data/cameo.tsv``)."""
    table = resources.files("wirewatch.data").joinpath("cameo.tsv").read_text("utf-8")
    return frozenset(line.split("\t", 1)[0] for line in table.splitlines()[1:] if line.strip())


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Checked, normalised filter values; build with ``SearchFilters.parse``.

    ``since`` and ``until`` are days (``YYYY-MM-DD``): the first day of what the user gave for
    ``since`` and the last for ``until``, so ``until="2014"`` includes 31 December 2014.
    """

    speaker: str | None = None
    actor: str | None = None
    cameo: str | None = None
    plover: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    polarity: tuple[str, ...] | None = None

    @classmethod
    def parse(
        cls,
        *,
        speaker: str | None = None,
        actor: str | None = None,
        cameo: str | None = None,
        plover: str | None = None,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        polarity: str | None = None,
    ) -> SearchFilters:
        """Check each value; raise ``UsageError`` naming the first one that cannot be used.

        ``polarity`` is one polarity or several separated by commas (``asserted,denied``).
        """
        filters = cls(
            speaker=_name(speaker, "speaker"),
            actor=_name(actor, "actor"),
            cameo=_cameo(cameo),
            plover=_plover(plover),
            country=_country(country),
            since=_day(since, "since", first=True),
            until=_day(until, "until", first=False),
            polarity=_polarity(polarity),
        )
        if filters.since and filters.until and filters.since > filters.until:
            raise UsageError(f"since {since!r} is after until {until!r}: nothing can match")
        return filters

    @property
    def on_quotes(self) -> bool:
        return self.speaker is not None

    @property
    def on_events(self) -> bool:
        given = (self.actor, self.cameo, self.plover, self.country, self.polarity)
        return any(value is not None for value in given)

    @property
    def any(self) -> bool:
        return self.on_quotes or self.on_events or self.since is not None or self.until is not None

    def quote_condition(self) -> tuple[str, dict[str, Any]]:
        """SQL over ``q`` that a matching quote satisfies; ``1`` without a quote filter."""
        if self.speaker is None:
            return "TRUE", {}
        return (
            "q.id IN (SELECT rowid FROM quotes_speaker_fts WHERE quotes_speaker_fts MATCH "
            ":f_speaker)",
            {"f_speaker": _phrase(self.speaker)},
        )

    def event_condition(self, *, per_event: bool = False) -> tuple[str, dict[str, Any]]:
        """SQL over ``e`` and its article ``a`` that a matching event satisfies.

        ``per_event``: for a query that tests events one at a time as it walks them (latest
        articles first, a story's members): the actors' countries are then looked up by the
        event's key instead of listed once for the whole store, which costs tens of
        milliseconds for a common country before the first row. A query that starts from
        the filter's own indexes (a rare country) wants the list (the default).
        """
        parts: list[str] = []
        params: dict[str, Any] = {}
        if self.cameo is not None:
            parts.append("e.cameo >= :f_cameo_low AND e.cameo < :f_cameo_high")
            params |= {"f_cameo_low": self.cameo, "f_cameo_high": _prefix_end(self.cameo)}
        if self.plover is not None:
            parts.append("e.plover = :f_plover")
            params["f_plover"] = self.plover
        if self.actor is not None:
            sql, values = _actor_condition(self.actor)
            parts.append(sql)
            params |= values
        if self.country is not None:
            parts.append(_COUNTRY_PER_EVENT if per_event else _COUNTRY_LISTED)
            params["f_country"] = self.country
        if self.polarity is not None:
            names = [f"f_polarity_{n}" for n in range(len(self.polarity))]
            parts.append(f"e.polarity IN ({', '.join(':' + name for name in names)})")
            params |= dict(zip(names, self.polarity, strict=True))
        # An event's own date when it has one; the day its article was published otherwise. An
        # event of a coarse date ("2014-06") matches when any day it covers is in the range.
        if self.since is not None:
            parts.append("coalesce(e.date_last, a.published_day) >= :f_since")
            params["f_since"] = self.since
        if self.until is not None:
            parts.append("coalesce(e.date_first, a.published_day) <= :f_until")
            params["f_until"] = self.until
        return " AND ".join(parts) or "TRUE", params

    def article_condition(self) -> tuple[str, dict[str, Any]]:
        """SQL over the article ``a`` that every matching article satisfies."""
        parts: list[str] = []
        params: dict[str, Any] = {}
        if self.on_quotes:
            sql, values = self.quote_condition()
            parts.append(f"a.id IN (SELECT q.article_id FROM quotes AS q WHERE {sql})")
            params |= values
        if self.on_events:
            sql, values = self.event_condition()
            # The subquery's own "a" (the event's article) hides the outer one inside it.
            parts.append(
                "a.id IN (SELECT e.article_id FROM events AS e "
                f"JOIN articles AS a ON a.id = e.article_id WHERE {sql})"
            )
            params |= values
        else:
            if self.since is not None:
                parts.append("a.published_day >= :f_since")
                params["f_since"] = self.since
            if self.until is not None:
                parts.append("a.published_day <= :f_until")
                params["f_until"] = self.until
        return " AND ".join(parts) or "TRUE", params


_COUNTRY_LISTED = (
    "(e.location_country = :f_country OR (e.article_id, e.idx) IN "
    "(SELECT article_id, event_idx FROM event_actors WHERE country = :f_country))"
)
_COUNTRY_PER_EVENT = (
    "(e.location_country = :f_country OR EXISTS (SELECT 1 FROM event_actors AS ea_country "
    "WHERE ea_country.article_id = e.article_id AND ea_country.event_idx = e.idx "
    "AND ea_country.country = :f_country))"
)


def _actor_condition(actor: str) -> tuple[str, dict[str, Any]]:
    """Events with a source or target whose code starts with ``actor`` or whose text or name
    contains it as words."""
    params: dict[str, Any] = {"f_actor_name": _phrase(actor)}
    matches = (
        "id IN (SELECT rowid FROM event_actors_fts WHERE event_actors_fts MATCH :f_actor_name)"
    )
    if _CODE_LIKE.fullmatch(actor):
        code = actor.upper()
        matches = f"(code >= :f_actor_low AND code < :f_actor_high) OR {matches}"
        params |= {"f_actor_low": code, "f_actor_high": _prefix_end(code)}
    sql = (
        f"(e.article_id, e.idx) IN (SELECT article_id, event_idx FROM event_actors WHERE {matches})"
    )
    return sql, params


def _prefix_end(prefix: str) -> str:
    """The least string above every string that starts with ``prefix``, for a range scan."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _phrase(name: str) -> str:
    """An FTS5 phrase: the words of ``name``, next to each other and in order."""
    return '"' + name.replace('"', " ") + '"'


def _name(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    name = " ".join(value.replace('"', " ").split())
    if not _WORD.search(name):
        raise UsageError(f"{option} {value!r} has no letters or digits to search for")
    return name


def _cameo(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip()
    if not _CAMEO.fullmatch(code):
        raise UsageError(
            f"cameo {value!r} is not a CAMEO code: give 2 to 4 digits, such as 19 (all of "
            "19x: fight) or 193"
        )
    if code not in cameo_codes():
        raise UsageError(f"cameo {value!r} is not a code of the CAMEO table")
    return code


def _plover(value: str | None) -> str | None:
    if value is None:
        return None
    kind = value.strip().upper()
    if kind not in PLOVER_TYPES:
        raise UsageError(
            f"plover {value!r} is not a PLOVER event type: choose one of {', '.join(PLOVER_TYPES)}"
        )
    return kind


def _polarity(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    given = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in given if part not in POLARITIES]
    if unknown or not given:
        raise UsageError(
            f"polarity {value!r} is not a polarity: choose one or more of "
            f"{', '.join(POLARITIES)}, separated by commas"
        )
    return tuple(dict.fromkeys(given))


def _country(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip()
    if not _COUNTRY.fullmatch(code):
        raise UsageError(f"country {value!r} is not an ISO 3166 alpha-3 code, such as UKR or RUS")
    return code.upper()


def _day(value: str | None, option: str, *, first: bool) -> str | None:
    if value is None:
        return None
    found = period(value)
    if found is None:
        raise UsageError(
            f"{option} {value!r} is not a date: give YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Www, "
            "such as 2017-07-10"
        )
    return found[0] if first else found[1]
