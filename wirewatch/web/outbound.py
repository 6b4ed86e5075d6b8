"""Which URLs the ingest and feed endpoints accept: never the server's own network by default.

A URL submitted through the API is fetched by the server, so without a check anyone with the
token could make it read loopback services, the cloud metadata address or the office LAN
(server-side request forgery). Such a URL is data, like a feed entry's link, and obeys the
one fetch policy (``wirewatch.collect.fetch_policy``): refused on loopback, private,
link-local, shared, multicast, reserved and unspecified addresses and IPv6 forms embedding
them, unless inside ``fetch_allow_networks``, or unless the operator sets
``web_allow_private_urls``.

``check_url`` answers early, before anything is fetched, so the client gets a 400. It is not
what keeps the server safe: the ingest endpoint's Fetcher trusts nothing
(``trust_named=False``), so its policy transport checks every connection after DNS, on the
address it connects to, on every redirect; a DNS answer that changes between this check and
the fetch (DNS rebinding) is refused there.
"""

from __future__ import annotations

import httpx

from wirewatch.collect.fetch_policy import FetchPolicy
from wirewatch.errors import CollectError, UsageError
from wirewatch.settings import Settings


def check_url(url: str, settings: Settings) -> httpx.URL:
    """``url`` parsed, when it is http(s) and may be fetched; ``UsageError`` otherwise.

    Raises ``UsageError`` with code ``bad_url`` for anything but an absolute http(s) URL, and
    code ``url_not_allowed`` for a host the fetch policy refuses (unless
    ``web_allow_private_urls``), ``connection_error`` for one that does not resolve.
    """
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise UsageError(f"not a URL: {url[:200]!r} ({exc})", code="bad_url") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise UsageError(
            f"only http and https URLs can be ingested, got {url[:200]!r}", code="bad_url"
        )
    if not settings.web_allow_private_urls:
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            FetchPolicy(settings, trust_named=False).check_host(
                parsed.raw_host.decode("ascii"), port
            )
        except CollectError as exc:
            raise UsageError(str(exc), code=exc.code) from None
    return parsed
