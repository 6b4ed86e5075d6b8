"""The JSON API under ``/api/``: every page's twin, and the write endpoints when a token is set.

Listings answer ``{"items": [...], "next_cursor": ...}``; pass ``next_cursor`` back as
``cursor`` for the next page. Errors have one shape (``problems.py``). Fields: docs/api.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from wirewatch.errors import UsageError
from wirewatch.serialize import article_to_dict
from wirewatch.store.browse import (
    ACTOR_EVENTS,
    ArticleSummary,
    BrowseFilters,
    actor_names,
    actor_quotes,
    latest_articles,
    list_events,
    speaker_quotes,
    top_speakers,
)
from wirewatch.store.charts import DayCount, events_per_day
from wirewatch.store.event_table import event_table
from wirewatch.store.export_annotations import (
    EVENT_CSV_COLUMNS,
    event_csv_row,
    stored_event_dict,
    stored_quote_dict,
)
from wirewatch.store.paging import Page
from wirewatch.store.records import StoredEvent, StoredQuote
from wirewatch.store.search_table import Search
from wirewatch.store.stories import story_id_of
from wirewatch.store.story_listing import latest_stories
from wirewatch.stories.view import story_dict
from wirewatch.web.feeds import add_feed_url, feeds_status
from wirewatch.web.guard import token_matches
from wirewatch.web.ingest import ingest_url
from wirewatch.web.params import (
    Paging,
    browse_filters,
    known_parameters,
    paging,
    per_mention_flag,
    search_cost,
)
from wirewatch.web.payloads import day_dict, page_dict, point_dict, speaker_dict, summary_dict
from wirewatch.web.problems import NotFound
from wirewatch.web.readers import Readers
from wirewatch.web.results import (
    ResultsView,
    no_cursor_in_table,
    results_view,
    search_of,
    shown,
)
from wirewatch.web.results_out import table_csv, table_dict
from wirewatch.web.stories import listing_dict, load_story
from wirewatch.web.table import TableView, no_cursor_with, table_page, table_view

router = APIRouter(prefix="/api", dependencies=[Depends(known_parameters)])
Filters = Annotated[BrowseFilters, Depends(browse_filters)]
PerMention = Annotated[bool, Depends(per_mention_flag)]
Pages = Annotated[Paging, Depends(paging)]
Table = Annotated[TableView, Depends(table_view)]
Results = Annotated[ResultsView, Depends(results_view)]
CSV_ROWS_MAX = 100_000
"""Most events one CSV download holds; narrow the filters for more."""


def readers(request: Request) -> Readers:
    readers: Readers = request.app.state.readers
    return readers


@router.get("/articles", summary="Latest articles, with filters (the home page)")
def articles(request: Request, filters: Filters, page: Pages, view: Results) -> JSONResponse:
    no_cursor_in_table(view, page.cursor)
    if view.table:  # the articles page sorted: its rows by offset, with totals and facets
        listing = Search(None, filters, grouped=False)
        return JSONResponse(table_dict(shown(readers(request), listing, view, page.limit)))
    with readers(request).store() as store:
        found = latest_articles(store.connection, filters, page.limit, page.cursor)
    return JSONResponse(page_dict(found, summary_dict))


@router.get("/articles/{article_id}", summary="One article with every annotation")
def article(request: Request, article_id: str) -> JSONResponse:
    found = load_article(request, article_id)
    with readers(request).store() as store:
        story = story_id_of(store, found.id)
    return JSONResponse({**article_to_dict(found), "story_id": story})


def load_article(request: Request, article_id: str) -> Any:
    with readers(request).store() as store:
        found = store.get_article(article_id)
    if found is None:
        raise NotFound(f"no article with id {article_id!r}")
    return found


@router.get("/stories", summary="Latest stories, with filters on their articles")
def stories(request: Request, filters: Filters, page: Pages) -> JSONResponse:
    with readers(request).store() as store:
        found = latest_stories(store.connection, filters, page.limit, page.cursor)
    return JSONResponse(page_dict(found, listing_dict))


@router.get("/stories/{story_id}", summary="One story: copies, members, events and quotes")
def story(request: Request, story_id: str) -> JSONResponse:
    return JSONResponse(story_dict(load_story(request, story_id)))


@router.get("/feeds", summary="The watched feeds and sitemaps with their check status")
def feeds(request: Request) -> JSONResponse:
    with readers(request).store() as store:
        found = feeds_status(store)
    return JSONResponse({"items": found, "next_cursor": None})


@router.get("/search", summary="Full-text search with snippets and the same filters")
def search(
    request: Request,
    filters: Filters,
    page: Pages,
    view: Results,
    q: Annotated[str, Query(max_length=500, description="search words (or filters alone)")] = "",
) -> JSONResponse:
    no_cursor_in_table(view, page.cursor)
    if view.table:  # the search page's table: rows (stories) in an order, by offset
        asked = search_of(request, q, filters)
        if asked is None:
            raise UsageError("give words to search for (q), a filter, or both")
        return JSONResponse(table_dict(shown(readers(request), asked, view, page.limit)))
    found = find_articles(request, q, filters, page)
    if found is None:
        raise UsageError("give words to search for (q), a filter, or both")
    return JSONResponse(page_dict(found, summary_dict))


@router.get("/search.csv", summary="The search table's rows shown as CSV, an article a line")
def search_csv(
    request: Request,
    filters: Filters,
    page: Pages,
    view: Results,
    q: Annotated[str, Query(max_length=500, description="search words (or filters alone)")] = "",
) -> StreamingResponse:
    no_cursor_in_table(view, page.cursor)
    asked = search_of(request, q, filters)
    if asked is None:
        raise UsageError("give words to search for (q), a filter, or both")
    text = table_csv(shown(readers(request), asked, view, page.limit))
    headers = {"Content-Disposition": 'attachment; filename="search.csv"'}
    return StreamingResponse(iter([text]), media_type="text/csv; charset=utf-8", headers=headers)


def find_articles(
    request: Request, q: str, filters: BrowseFilters, page: Paging
) -> Page[ArticleSummary] | None:
    """A search as ``wirewatch search`` makes it: the words ``q`` and the filters, most
    relevant first; filters alone, the latest published first; None when neither is given."""
    if q.strip():
        cost = search_cost(request.app.state.settings)
        return readers(request).search(q, filters, page.limit, page.cursor, cost)
    if not filters.any:
        return None
    with readers(request).store() as store:
        return latest_articles(store.connection, filters, page.limit, page.cursor)


@router.get("/events", summary="Events, filtered, latest added articles first")
def events(request: Request, filters: Filters, page: Pages, view: Table) -> JSONResponse:
    no_cursor_with(view, page.cursor)
    if view.default:
        with readers(request).store() as store:
            found = list_events(store.connection, filters, page.limit, page.cursor)
    else:
        found = table_page(readers(request), filters, view, page.limit)
    return JSONResponse(page_dict(found, stored_event_dict))


@router.get("/events.csv", summary="The filtered events as CSV (the columns of export)")
def events_csv(
    request: Request,
    filters: Filters,
    view: Table,
    limit: Annotated[int | None, Query(ge=1, le=CSV_ROWS_MAX, description="rows (a page)")] = None,
) -> StreamingResponse:
    def page() -> Iterator[str]:
        # One page of the table, as the events page shows it with the same parameters.
        if limit is None:
            with readers(request).store() as store:
                found = event_table(
                    store.connection, filters, view.order, CSV_ROWS_MAX, view.offset
                )
        else:
            found = table_page(readers(request), filters, view, limit)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EVENT_CSV_COLUMNS)
        for event in found.items:
            writer.writerow(event_csv_row(event))
        yield buffer.getvalue()

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EVENT_CSV_COLUMNS)
        cursor: str | None = None
        sent = 0
        while sent < CSV_ROWS_MAX:
            with readers(request).store() as store:
                found = list_events(store.connection, filters, 500, cursor)
            for event in found.items:
                writer.writerow(event_csv_row(event))
            sent += len(found.items)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if found.next_cursor is None:
                return
            cursor = found.next_cursor

    headers = {"Content-Disposition": 'attachment; filename="events.csv"'}
    chosen = page() if limit is not None or not view.default else rows()
    return StreamingResponse(chosen, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/speakers", summary="The speakers quoted most often")
def speakers(request: Request, page: Pages, per_mention: PerMention) -> JSONResponse:
    with readers(request).store() as store:
        found = top_speakers(store.connection, page.limit, per_mention=per_mention)
    return JSONResponse({"items": [speaker_dict(s) for s in found], "next_cursor": None})


@router.get("/speakers/{name}", summary="Everything a person said")
def speaker(request: Request, name: str, page: Pages, per_mention: PerMention) -> JSONResponse:
    with readers(request).store() as store:
        found = speaker_quotes(
            store.connection, name, page.limit, page.cursor, per_mention=per_mention
        )
    if not found.items and page.cursor is None:
        raise NotFound(f"no quotes from a speaker named {name!r}")
    return JSONResponse({"name": name, **page_dict(found, stored_quote_dict)})


@router.get("/actors/{code}", summary="An actor's events (as source or target) and quotes")
def actor(request: Request, code: str, page: Pages, per_mention: PerMention) -> JSONResponse:
    return JSONResponse(actor_data(request, code, page, per_mention=per_mention))


@dataclass(frozen=True, slots=True)
class ActorView:
    """What the actor page shows: its names, events, quotes and events per day."""

    code: str
    names: list[tuple[str, int]]
    events: Page[StoredEvent]
    quotes: Page[StoredQuote]
    days: list[DayCount]


def gather_actor(
    request: Request, code: str, page: Paging, *, per_mention: bool = False
) -> ActorView:
    """The actor's names, events and quotes, each story-level record once unless
    ``per_mention``; its timeline counts asserted events."""
    code = code.strip().upper()
    every = BrowseFilters.parse(per_mention=per_mention)
    extra = (ACTOR_EVENTS, {"code": code})
    with readers(request).store() as store:
        conn = store.connection
        names = actor_names(conn, code, per_mention=per_mention)
        if not names:
            raise NotFound(f"no event has an actor coded {code!r}")
        found = list_events(conn, every, page.limit, page.cursor, extra=extra)
        quotes = actor_quotes(conn, code, page.limit, per_mention=per_mention)
        days = events_per_day(conn, every.charted(), extra=extra)
    return ActorView(code, names, found, quotes, days)


def actor_data(
    request: Request, code: str, page: Paging, *, per_mention: bool = False
) -> dict[str, Any]:
    view = gather_actor(request, code, page, per_mention=per_mention)
    return {
        "code": view.code,
        "names": [{"name": name, "count": count} for name, count in view.names],
        "events": page_dict(view.events, stored_event_dict),
        "quotes": page_dict(view.quotes, stored_quote_dict),
        "timeline": [day_dict(day) for day in view.days],
    }


@router.get("/timeline", summary="Events per day by quad class, with average Goldstein")
def timeline(request: Request, filters: Filters) -> JSONResponse:
    days = readers(request).days(filters)
    return JSONResponse({"items": [day_dict(day) for day in days], "next_cursor": None})


@router.get("/map", summary="Places of events with their number and average Goldstein")
def event_map(request: Request, filters: Filters) -> JSONResponse:
    points = readers(request).places(filters)
    return JSONResponse({"items": [point_dict(point) for point in points], "next_cursor": None})


class IngestRequest(BaseModel):
    url: str = Field(max_length=2000, description="an http(s) URL of a page or a feed")


def require_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """The write endpoints' guard: ``Authorization: Bearer <web_api_token>``."""
    token: str = request.app.state.settings.web_api_token
    if not token_matches(authorization, token):  # Guard refused it already; checked again here
        raise HTTPException(401, "this endpoint needs the API token: Authorization: Bearer TOKEN")


write_router = APIRouter(prefix="/api", dependencies=[Depends(require_token)])


@write_router.post("/ingest", summary="Fetch a URL (page or feed) and store what it holds")
def ingest(request: Request, body: IngestRequest) -> JSONResponse:
    state = request.app.state
    if not body.url.strip():
        raise UsageError("give the url to ingest")
    return JSONResponse(ingest_url(state.readers.db, state.settings, body.url))


class FeedRequest(BaseModel):
    url: str = Field(max_length=2000, description="an http(s) URL of a feed or a sitemap")
    kind: str = Field(default="auto", max_length=10, description="auto, feed or sitemap")
    title: str | None = Field(default=None, max_length=500, description="a name for it")


@write_router.post("/feeds", summary="Watch a feed or sitemap (wirewatch feeds watch polls it)")
def add_feed(request: Request, body: FeedRequest) -> JSONResponse:
    state = request.app.state
    if not body.url.strip():
        raise UsageError("give the url of the feed to watch")
    found = add_feed_url(state.readers.db, state.settings, body.url, body.kind, body.title)
    return JSONResponse(found, status_code=201 if found["added"] else 200)
