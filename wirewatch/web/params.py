"""Query parameters every listing takes: the filters, the page size and the cursor.

Values arrive as strings, from HTML forms too (which send empty fields), and are checked by
``BrowseFilters.parse`` so the UI and the API refuse the same values with the same message.

The dependencies here are ``async`` though they never wait: FastAPI runs a plain ``def``
dependency in its thread pool, one hop there and back per dependency per request, which under
200 concurrent clients cost more than the checks themselves. They only look at strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query, Request
from starlette.concurrency import run_in_threadpool

from wirewatch.errors import UsageError
from wirewatch.settings import Settings
from wirewatch.store.browse import BrowseFilters
from wirewatch.store.filters import POLARITIES
from wirewatch.store.search import QueryCost

Text = Annotated[str | None, Query(max_length=200)]
# Query parameters more than one set of filters takes, described once.
Day = Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD, YYYY-MM, YYYY")]
Site = Annotated[str | None, Query(max_length=200, description="site name or host")]
Speaker = Annotated[str | None, Query(max_length=200, description="words of a speaker's name")]
StoryId = Annotated[
    str | None,
    Query(max_length=40, description="a story id (s- and 16 hex digits) or a unique prefix"),
]


async def per_mention_flag(
    per_mention: Annotated[
        str | None,
        Query(max_length=5, description="1: one row per mention, not each story-level record once"),
    ] = None,
) -> bool:
    """``per_mention=1``: list every mention rather than each story-level record once."""
    return flag(per_mention, "per_mention")


async def browse_filters(
    request: Request,
    since: Day = None,
    until: Day = None,
    site: Site = None,
    country: Annotated[str | None, Query(max_length=3, description="ISO 3166 alpha-3")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="actor code or name")] = None,
    cameo: Annotated[str | None, Query(max_length=4, description="CAMEO code prefix")] = None,
    plover: Annotated[str | None, Query(max_length=20, description="PLOVER event type")] = None,
    quad_class: Annotated[str | None, Query(max_length=1, description="1 to 4")] = None,
    speaker: Speaker = None,
    polarity: Annotated[
        str | None,
        Query(
            max_length=100, description=f"one or more of {', '.join(POLARITIES)}, comma-separated"
        ),
    ] = None,
    per_mention: Annotated[
        str | None,
        Query(max_length=5, description="1: one row per mention, not each story-level record once"),
    ] = None,
    story: StoryId = None,
) -> BrowseFilters:
    """The filters of a listing, checked; ``UsageError`` (400) names a value that cannot match
    or a story id prefix more than one story starts."""
    parsed = BrowseFilters.parse(
        site=site,
        quad_class=quad_class,
        since=since,
        until=until,
        country=country,
        actor=actor,
        cameo=cameo,
        plover=plover,
        speaker=speaker,
        polarity=polarity,
        per_mention=flag(per_mention, "per_mention"),
        story=story,
    )
    return await with_story(request, parsed)


async def with_story(request: Request, filters: BrowseFilters) -> BrowseFilters:
    """``filters`` with a story id prefix resolved against the store (``BrowseFilters.with_story``,
    as the CLI resolves it); a lookup only when a prefix is given, in the thread pool."""
    if not filters.story_prefix:
        return filters

    def resolve() -> BrowseFilters:
        with request.app.state.readers.store() as store:
            resolved: BrowseFilters = filters.with_story(store.connection)
            return resolved

    return await run_in_threadpool(resolve)


def flag(value: str | None, name: str) -> bool:
    """A yes/no query parameter: ``1``/``true``/``yes`` or ``0``/``false``/``no`` (or empty)."""
    given = (value or "").strip().lower()
    if given in ("", "0", "false", "no", "off"):
        return False
    if given in ("1", "true", "yes", "on"):
        return True
    raise UsageError(f"{name} {value!r} is not a yes/no value: give 1 or 0")


async def known_parameters(request: Request) -> None:
    """Refuse a query parameter the endpoint does not take (a typo would silently match all)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _query_names(dependant)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "no query parameters"
        raise UsageError(f"unknown query parameter {unknown[0]!r}: this endpoint takes {takes}")


@dataclass(frozen=True, slots=True)
class Paging:
    """How many rows a page holds and where it starts."""

    limit: int
    cursor: str | None


async def paging(
    request: Request,
    limit: Annotated[int | None, Query(ge=1, description="rows per page")] = None,
    cursor: Annotated[
        str | None, Query(max_length=200, description="next_cursor of a page")
    ] = None,
) -> Paging:
    """The page size (the ``web_page_size`` setting by default, at most ``web_max_page_size``)."""
    settings: Settings = request.app.state.settings
    size = settings.web_page_size if limit is None else limit
    if size > settings.web_max_page_size:
        raise UsageError(
            f"limit {size} is above the most a page holds, {settings.web_max_page_size}"
        )
    return Paging(size, cursor or None)


def _query_names(dependant: Any) -> set[str]:
    """The query parameters an endpoint and every dependency it declares take."""
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def search_cost(settings: Settings) -> QueryCost:
    """The most one web search may ask of the full-text index (``search_max_*`` settings)."""
    return QueryCost(
        max_prefixes=settings.search_max_prefixes,
        min_prefix_chars=settings.search_min_prefix_chars,
        max_or_terms=settings.search_max_or_terms,
    )
