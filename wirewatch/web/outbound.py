"""Which URLs the ingest endpoint may fetch: never the server's own network by default.

A URL submitted through the API is fetched by the server, so without a check anyone with the
token could make it read loopback services, the cloud metadata address or the office LAN
(server-side request forgery). A host is refused when any address it resolves to is
one the fetch policy refuses (``wirewatch.collect.fetch_policy.refusal``: loopback, private,
link-local, shared, multicast, reserved, unspecified, and IPv6 forms embedding them), unless
the operator sets ``web_allow_private_urls``. The check runs again on every request the
fetcher sends, so a redirect to such an address is refused too.

A DNS answer that changes between the check and the connection is not caught here;
operators who need that should fetch through an egress proxy.
"""

from __future__ import annotations

import ipaddress
import socket

import httpx

from wirewatch.collect.fetch_policy import refusal
from wirewatch.errors import CollectError, UsageError


def check_url(url: str, *, allow_private: bool) -> httpx.URL:
    """``url`` parsed, when it is http(s) and may be fetched; ``UsageError`` otherwise.

    Raises ``UsageError`` with code ``bad_url`` for anything but an absolute http(s) URL, and
    code ``url_not_allowed`` for a host on a refused network.
    """
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise UsageError(f"not a URL: {url[:200]!r} ({exc})", code="bad_url") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise UsageError(
            f"only http and https URLs can be ingested, got {url[:200]!r}", code="bad_url"
        )
    if not allow_private:
        try:
            refuse_private_host(parsed.host, parsed.port)
        except CollectError as exc:
            raise UsageError(str(exc), code=exc.code) from None
    return parsed


def refuse_private_host(host: str, port: int | None) -> None:
    """Raise ``CollectError`` (``url_not_allowed``) when ``host`` resolves to a private
    address, or (``connection_error``) when it does not resolve at all."""
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise CollectError(
            f"cannot resolve host {host!r}: {exc}", code="connection_error"
        ) from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        why = refusal(address)
        if why is not None:
            raise CollectError(
                f"host {host!r} resolves to {address} ({why}), not a public address; "
                "set web_allow_private_urls to allow it",
                code="url_not_allowed",
            )


class PublicOnlyTransport(httpx.HTTPTransport):
    """An httpx transport that refuses to send a request to a refused address."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        refuse_private_host(request.url.host, request.url.port)
        return super().handle_request(request)
