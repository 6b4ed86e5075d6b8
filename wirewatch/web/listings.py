"""The feeds, failures and quotes pages, each with its JSON twin under ``/api/``.

Kept in one module apart from ``pages.py``/``api.py``: each handler gathers with one store
query what both its page and its twin show. Pages read without JavaScript, as the others.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from wirewatch.serialize import failure_to_dict
from wirewatch.store.browse import BrowseFilters
from wirewatch.store.export_annotations import stored_quote_dict
from wirewatch.store.failure_listing import STAGES, FailureFilters, list_failures
from wirewatch.store.quote_listing import list_quotes
from wirewatch.web.feeds import feeds_status
from wirewatch.web.params import (
    Day,
    Paging,
    Site,
    Speaker,
    StoryId,
    flag,
    known_parameters,
    paging,
    with_story,
)
from wirewatch.web.payloads import page_dict
from wirewatch.web.readers import Readers

pages = APIRouter(
    default_response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(known_parameters)],
)
api = APIRouter(prefix="/api", dependencies=[Depends(known_parameters)])
Pages = Annotated[Paging, Depends(paging)]


async def failure_filters(
    stage: Annotated[str | None, Query(max_length=20, description=", ".join(STAGES))] = None,
    code: Annotated[str | None, Query(max_length=60, description="failure code")] = None,
    source: Annotated[
        str | None, Query(max_length=500, description="characters of the source")
    ] = None,
    since: Day = None,
    until: Day = None,
) -> FailureFilters:
    """The failure filters, checked by ``FailureFilters.parse`` (as ``wirewatch failures``)."""
    return FailureFilters.parse(stage=stage, code=code, source=source, since=since, until=until)


Failures = Annotated[FailureFilters, Depends(failure_filters)]


async def quote_filters(
    request: Request,
    speaker: Speaker = None,
    site: Site = None,
    since: Day = None,
    until: Day = None,
    per_mention: Annotated[
        str | None,
        Query(max_length=5, description="1: one row per mention, not each story-level quote once"),
    ] = None,
    story: StoryId = None,
) -> BrowseFilters:
    """The listing filters that apply to quotes, checked by ``BrowseFilters.parse``; the event
    filters are not taken (a 400), since no quote could be said to match them."""
    parsed = BrowseFilters.parse(
        speaker=speaker,
        site=site,
        since=since,
        until=until,
        per_mention=flag(per_mention, "per_mention"),
        story=story,
    )
    return await with_story(request, parsed)


QuoteFilters = Annotated[BrowseFilters, Depends(quote_filters)]


def _readers(request: Request) -> Readers:
    readers: Readers = request.app.state.readers
    return readers


def _render(request: Request, template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(request.app.state.renderer.page(request, template, context))


@pages.get("/feeds")
def feeds_page(request: Request) -> HTMLResponse:
    with _readers(request).store() as store:
        found = feeds_status(store)
    return _render(request, "feeds.html", feeds=found, api="/api/feeds")


@pages.get("/failures")
def failures_page(request: Request, filters: Failures, page: Pages) -> HTMLResponse:
    with _readers(request).store() as store:
        found = list_failures(store.connection, filters, page.limit, page.cursor)
    return _render(request, "failures.html", page=found, stages=STAGES, api="/api/failures")


@api.get("/failures", summary="Inputs that failed, newest first, with stage, code and source")
def failures(request: Request, filters: Failures, page: Pages) -> JSONResponse:
    with _readers(request).store() as store:
        found = list_failures(store.connection, filters, page.limit, page.cursor)
    return JSONResponse(page_dict(found, failure_to_dict))


@pages.get("/quotes")
def quotes_page(request: Request, filters: QuoteFilters, page: Pages) -> HTMLResponse:
    with _readers(request).store() as store:
        found = list_quotes(store.connection, filters, page.limit, page.cursor)
    sites = _readers(request).sites()
    return _render(request, "quotes.html", page=found, sites=sites, api="/api/quotes")


@api.get("/quotes", summary="Quotes with speakers, latest added articles first")
def quotes(request: Request, filters: QuoteFilters, page: Pages) -> JSONResponse:
    with _readers(request).store() as store:
        found = list_quotes(store.connection, filters, page.limit, page.cursor)
    return JSONResponse(page_dict(found, stored_quote_dict))
