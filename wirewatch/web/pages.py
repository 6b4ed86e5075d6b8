"""The HTML pages: server-rendered, readable without JavaScript, each with a JSON twin.

Each handler gathers what its page shows with the same store queries as its API twin and
renders one template. Parts the store does not hold yet (no quotes or events extracted) are
shown as such, not hidden.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from wirewatch.errors import UsageError
from wirewatch.store.browse import (
    BrowseFilters,
    has_events,
    latest_articles,
    list_events,
    speaker_quotes,
    top_speakers,
)
from wirewatch.store.search_table import Search
from wirewatch.store.stories import story_copies, story_id_of, story_summary
from wirewatch.store.story_listing import latest_stories, story_count
from wirewatch.web.api import gather_actor, load_article
from wirewatch.web.highlight import paragraphs
from wirewatch.web.params import (
    Paging,
    browse_filters,
    known_parameters,
    paging,
    per_mention_flag,
)
from wirewatch.web.problems import NotFound
from wirewatch.web.readers import Readers
from wirewatch.web.results import (
    FACET_PARAMETERS,
    FACET_TITLES,
    ResultsView,
    no_cursor_in_table,
    results_view,
    search_of,
    shown,
)
from wirewatch.web.results import totals as results_totals
from wirewatch.web.stories import load_story
from wirewatch.web.table import (
    TableView,
    no_cursor_with,
    pages,
    table_page,
    table_view,
    totals,
)
from wirewatch.web.timeline import timeline
from wirewatch.web.worldmap import (
    GOLDSTEIN_TONES,
    HEIGHT,
    PLACES_LISTED,
    WIDTH,
    countries,
    dots,
)

router = APIRouter(
    default_response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(known_parameters)],
)
Filters = Annotated[BrowseFilters, Depends(browse_filters)]
PerMention = Annotated[bool, Depends(per_mention_flag)]
Pages = Annotated[Paging, Depends(paging)]
Table = Annotated[TableView, Depends(table_view)]
Results = Annotated[ResultsView, Depends(results_view)]


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(request.app.state.renderer.page(request, template, context))


def readers(request: Request) -> Readers:
    readers: Readers = request.app.state.readers
    return readers


@router.get("/")
def home(request: Request, filters: Filters, page: Pages) -> HTMLResponse:
    with readers(request).store() as store:
        found = latest_stories(store.connection, filters, page.limit, page.cursor)
        total = story_count(store.connection)
    sites = readers(request).sites()
    return render(request, "home.html", page=found, sites=sites, total=total, api="/api/stories")


@router.get("/articles")
def articles(request: Request, filters: Filters, page: Pages, view: Results) -> HTMLResponse:
    """The latest articles (keyset pages both ways), or sorted (``sort``: pages by
    ``offset``), with the totals and facets of every article the filters select."""
    no_cursor_in_table(view, page.cursor)
    listing = Search(None, filters, grouped=False)
    found = None
    if view.table:
        found = shown(readers(request), listing, view, page.limit)
    else:
        with readers(request).store() as store:
            latest = latest_articles(store.connection, filters, page.limit, page.cursor)
    return render(
        request,
        "articles.html",
        page=latest if found is None else None,
        found=found,
        totals=found.totals if found else results_totals(readers(request), listing),
        order=found.order if found else listing.order(None),
        sorts=listing.sorts,
        facet_titles=FACET_TITLES,
        facet_parameters=FACET_PARAMETERS,
        sites=readers(request).sites(),
        api="/api/articles",
    )


@router.get("/stories/{story_id}")
def story(request: Request, story_id: str) -> HTMLResponse:
    found = load_story(request, story_id)
    titles: dict[str, str] = {}
    for copy in found.copies:
        if copy.title:
            titles.setdefault(copy.article_id, copy.title)
    return render(
        request, "story.html", story=found, titles=titles, api=f"/api/stories/{found.summary.id}"
    )


@router.get("/articles/{article_id}")
def article(request: Request, article_id: str) -> HTMLResponse:
    found = load_article(request, article_id)
    with readers(request).store() as store:
        story_id = story_id_of(store, found.id)
        story = None if story_id is None else story_summary(store, story_id)
        copies = [] if story_id is None else story_copies(store, story_id)
    return render(
        request,
        "article.html",
        article=found,
        story=story,
        copies=copies,
        paragraphs=paragraphs(found),
        places=Counter(
            (place.name, place.country, place.metonymic) for place in found.places
        ).most_common(),
        annotated=bool(found.sentences),
        api=f"/api/articles/{found.id}",
    )


@router.get("/search")
def search(
    request: Request,
    filters: Filters,
    page: Pages,
    view: Results,
    q: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    if page.cursor is not None:  # the page is a table: it pages by offset
        raise UsageError("the search page pages with offset, not cursor")
    asked = search_of(request, q, filters)
    found = None if asked is None else shown(readers(request), asked, view, page.limit)
    return render(
        request,
        "search.html",
        q=q,
        found=found,
        facet_titles=FACET_TITLES,
        facet_parameters=FACET_PARAMETERS,
        sorts=() if asked is None else asked.sorts,
        api="/api/search",
    )


@router.get("/events")
def events(request: Request, filters: Filters, page: Pages, view: Table) -> HTMLResponse:
    no_cursor_with(view, page.cursor)
    if page.cursor is not None:
        with readers(request).store() as store:
            found = list_events(store.connection, filters, page.limit, page.cursor)
    else:
        found = table_page(readers(request), filters, view, page.limit)
    with readers(request).store() as store:
        any_events = has_events(store.connection)
    counted = totals(readers(request), filters)
    return render(
        request,
        "events.html",
        page=found,
        any_events=any_events,
        sorting=view,
        limit=page.limit,
        totals=counted,
        pages=pages(view.offset, page.limit, len(found.items), counted.total),
        api="/api/events",
    )


@router.get("/speakers")
def speakers(request: Request, per_mention: PerMention) -> HTMLResponse:
    with readers(request).store() as store:
        found = top_speakers(store.connection, 200, per_mention=per_mention)
    return render(request, "speakers.html", speakers=found, api="/api/speakers")


@router.get("/speakers/{name}")
def speaker(request: Request, name: str, page: Pages, per_mention: PerMention) -> HTMLResponse:
    with readers(request).store() as store:
        found = speaker_quotes(
            store.connection, name, page.limit, page.cursor, per_mention=per_mention
        )
    if not found.items and page.cursor is None:
        raise NotFound(f"no quotes from a speaker named {name!r} (yet)")
    return render(
        request, "speaker.html", name=name, page=found, api=f"/api/speakers/{quote(name, safe='')}"
    )


@router.get("/actors/{code}")
def actor(request: Request, code: str, page: Pages, per_mention: PerMention) -> HTMLResponse:
    view = gather_actor(request, code, page, per_mention=per_mention)
    return render(
        request,
        "actor.html",
        view=view,
        chart=timeline(view.days),
        api=f"/api/actors/{quote(view.code, safe='')}",
    )


@router.get("/timeline")
def timeline_page(request: Request, filters: Filters) -> HTMLResponse:
    chart = timeline(readers(request).days(filters))
    return render(
        request, "timeline.html", chart=chart, counted=_counted(filters), api="/api/timeline"
    )


def _counted(filters: BrowseFilters) -> str:
    """What a chart counts, for its legend: the polarities, once or per mention."""
    polarity = " or ".join(filters.charted().search.polarity or ())
    how = "every mention" if filters.per_mention else "each story-level event once"
    return f"{polarity} events, {how}"


@router.get("/map")
def map_page(request: Request, filters: Filters) -> HTMLResponse:
    points = readers(request).places(filters)
    return render(
        request,
        "map.html",
        counted=_counted(filters),
        countries=countries(),
        dots=dots(points),
        places=points[:PLACES_LISTED],
        tones=GOLDSTEIN_TONES,
        width=WIDTH,
        height=HEIGHT,
        api="/api/map",
    )
