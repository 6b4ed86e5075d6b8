"""What every request passes before the application sees it (an ASGI middleware).

- **The token before the body.** With ``web_api_token`` set, a request that may write (any
  method but GET, HEAD and OPTIONS) without ``Authorization: Bearer <token>`` is answered 401
  at once: not one byte of its body is read. Only the ``Bearer`` scheme is accepted.
- **A body size limit, enforced while reading.** A ``Content-Length`` over
  ``web_max_body_bytes`` is answered 413 before the body is read; a body sent without one
  (chunked) is counted as it arrives and refused 413 as soon as it passes the limit. A
  response sent before its request's body was read closes the connection, so the rest of the
  body is never read either.
- **HEAD** is answered as the GET it mirrors, without the body.
- **Security headers** (``headers.py``) on every answer that does not set its own.
- **Redirects** (``/api/articles/`` to ``/api/articles``) point to ``web_base_url`` when it is
  set, else are relative: never to whatever ``Host`` header the request carried.

>>> bearer_token("Bearer s3cret"), bearer_token("s3cret"), bearer_token("Basic czM=")
('s3cret', None, None)
"""

from __future__ import annotations

import hmac
import json
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wirewatch.settings import Settings
from wirewatch.web.headers import SECURITY_HEADERS
from wirewatch.web.problems import error_body

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_CLOSE = (b"connection", b"close")
_SECURITY = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None for any other form."""
    scheme, _, credentials = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def token_matches(authorization: str | None, token: str) -> bool:
    """True when the header carries ``token`` as a Bearer token (compared in constant time)."""
    given = bearer_token(authorization)
    return bool(token) and given is not None and hmac.compare_digest(given.encode(), token.encode())


class Guard:
    """The checks above, around the application ``app``."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.token = settings.web_api_token
        self.max_body = settings.web_max_body_bytes
        self.base_url = settings.web_base_url.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        method = scope["method"]
        declared = headers.get("content-length")
        has_body = bool(declared and declared != "0") or "transfer-encoding" in headers
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _refuse(send, 413, "too_large", self.too_large())
            return
        may_write = method not in SAFE_METHODS and bool(self.token)
        if may_write and not token_matches(headers.get("authorization"), self.token):
            await _refuse(
                send,
                401,
                "unauthorized",
                "this endpoint needs the API token: Authorization: Bearer TOKEN",
                [(b"www-authenticate", b"Bearer")],
            )
            return
        if method == "HEAD":
            scope = dict(scope, method="GET")
        exchange = _Exchange(self, receive, send, head=method == "HEAD", done=not has_body)
        await self.app(scope, exchange.receive, exchange.send)

    def too_large(self) -> str:
        return f"the request body is larger than {self.max_body} bytes (web_max_body_bytes)"

    def relocated(self, name: bytes, value: bytes) -> tuple[bytes, bytes]:
        """A ``Location`` with the request's own host replaced by the configured base URL."""
        if name.lower() != b"location":
            return name, value
        parts = urlsplit(value.decode("latin-1"))
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        return name, (self.base_url + target).encode("latin-1")


class _Exchange:
    """One request's ``receive`` and ``send`` as the application sees them.

    ``receive`` counts the body's bytes: once they pass the limit, the guard answers 413
    itself and tells the application the client is gone, and ``send`` drops whatever the
    application answers after that.
    """

    def __init__(
        self, guard: Guard, receive: Receive, send: Send, *, head: bool, done: bool
    ) -> None:
        self._guard = guard
        self._receive = receive
        self._send = send
        self._head = head
        self._read = 0
        self._refused = False
        self.done = done
        """True once the whole body was read (or there is none)."""

    async def receive(self) -> Message:
        if self._refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self._read += len(message.get("body", b""))
            if self._read > self._guard.max_body:
                self._refused = True
                await _refuse(self._send, 413, "too_large", self._guard.too_large())
                return {"type": "http.disconnect"}
            if not message.get("more_body", False):
                self.done = True
        return message

    async def send(self, message: Message) -> None:
        if self._refused:
            return
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            if 300 <= message["status"] < 400:
                headers = [self._guard.relocated(name, value) for name, value in headers]
            if not self.done and _CLOSE not in headers:
                headers.append(_CLOSE)  # the unread rest of the body is never read
            present = {name.lower() for name, _ in headers}
            headers += [pair for pair in _SECURITY if pair[0] not in present]
            message = dict(message, headers=headers)
        elif message["type"] == "http.response.body" and self._head:
            message = dict(message, body=b"")
        await self._send(message)


async def _refuse(
    send: Send,
    status: int,
    code: str,
    message: str,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """Answer in the API's error shape and close the connection, its body unread."""
    body = json.dumps(error_body(status, code, message)).encode()
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        _CLOSE,
        *_SECURITY,
        *(extra or []),
    ]
    start: dict[str, Any] = {"type": "http.response.start", "status": status, "headers": headers}
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})
