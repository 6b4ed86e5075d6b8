"""The ASGI application: routes, static files, security headers and error handlers.

>>> from wirewatch.settings import Settings
>>> app = create_app(":memory:", Settings())
>>> sorted(p for p in (getattr(r, "path", "") for r in app.routes) if p.startswith("/api/ingest"))
[]
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from wirewatch import __version__
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.web import api, listings, pages, problems
from wirewatch.web.admission import Admission
from wirewatch.web.answer_cache import AnswerCache
from wirewatch.web.guard import Guard
from wirewatch.web.readers import Readers
from wirewatch.web.render import Renderer


def create_app(db: str | Path, settings: Settings) -> FastAPI:
    """The web UI and API over the store at ``db``.

    The store is opened (and migrated) once here, so a path that is not a store fails at
    start-up with ``StoreError`` rather than on the first request. Write endpoints are added
    only when ``settings.web_api_token`` is set. Every request passes ``Guard`` first (token
    before body, body size limit, HEAD, redirects to ``web_base_url``), then ``Admission``
    (``web_max_active`` GET requests answered at once, the others in turn).
    """
    target = str(db)
    Store.open(target).close()
    app = FastAPI(
        title="wirewatch",
        version=__version__,
        description="Browse a wirewatch store: articles, quotes, actors and events.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: not under this CSP
        redoc_url=None,
    )
    renderer = Renderer()
    app.state.settings = settings
    app.state.readers = Readers(target, settings)
    app.state.renderer = renderer
    problems.install(app, renderer)

    # Pure ASGI middleware (no extra task per request). The guard is outermost: refusals
    # happen before anything reads the body, and it adds the security headers to every
    # answer, kept ones included; inside it, requests take turns (a few at once, in arrival
    # order), and inside that, answers kept until the store changes.
    app.add_middleware(
        AnswerCache,
        version=app.state.readers.version,
        max_bytes=settings.web_answer_cache_bytes,
        quick_version=app.state.readers.pool.quick_version,
    )
    app.add_middleware(Admission, active=settings.web_max_active, wait=settings.web_queue_timeout)
    app.add_middleware(Guard, settings=settings)
    static = resources.files("wirewatch.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router)
    app.include_router(listings.api)
    if settings.web_api_token:
        app.include_router(api.write_router)
    app.include_router(pages.router)
    app.include_router(listings.pages)
    return app
