"""One error shape for the whole API, and the same errors as pages for the HTML UI.

Every API error is ``{"error": {"status": 404, "code": "not_found", "message": "..."}}`` with
that HTTP status: ``code`` is stable (``docs/api.md`` lists them), ``message`` is for people.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from wirewatch.errors import StoreError, UsageError, WirewatchError
from wirewatch.web.headers import SECURITY_HEADERS
from wirewatch.web.render import Renderer

log = logging.getLogger("wirewatch.web")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    500: "internal_error",
    503: "unavailable",
}


class NotFound(WirewatchError):
    """Nothing at this address: no such article, speaker or actor."""

    code = "not_found"


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


def install(app: FastAPI, renderer: Renderer) -> None:
    """Register handlers that turn every failure into the error shape (or an error page)."""

    def answer(request: Request, status: int, code: str, message: str) -> Response:
        # Set here too: a crash is answered outside the middleware that adds them.
        headers = dict(SECURITY_HEADERS)
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if status == 503:
            headers["Retry-After"] = "1"  # timeouts and busy slots clear within seconds
        if request.url.path.startswith("/api/"):
            return JSONResponse(error_body(status, code, message), status, headers=headers)
        page = renderer.page(
            request, "error.html", {"status": status, "code": code, "message": message}
        )
        return HTMLResponse(page, status, headers=headers)

    @app.exception_handler(UsageError)
    async def usage(request: Request, exc: UsageError) -> Response:
        return answer(request, 400, exc.code if exc.code != "usage" else "bad_request", str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return answer(request, 404, "not_found", str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        log.warning("store error on %s: %s", request.url.path, exc)
        return answer(request, 503, exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return answer(request, 400, "bad_request", _describe(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        return answer(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return answer(request, 500, "internal_error", "the server failed to answer; see its log")


def _describe(exc: RequestValidationError) -> str:
    """The first problem FastAPI found, as one line: ``query limit: Input should be ...``."""
    problems = exc.errors()
    if not problems:
        return "the request is not valid"
    first = problems[0]
    where = " ".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg', 'not valid')}"
