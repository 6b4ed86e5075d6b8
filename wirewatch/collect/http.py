"""Fetching one URL over HTTP(S), with every limit a crawler of untrusted sites needs.

``Fetcher.fetch(url)`` returns a ``RawDocument`` or raises ``CollectError`` with one of these
codes (the message is one line naming the cause):

=====================  ==============================================================
``bad_url``            not an http(s) URL, or malformed (also for a redirect target)
``http_status``        a non-2xx final status: ``HTTP 404 Not Found``
``timeout``            no connection / no response in time, or the whole download
                       (redirects included) took longer than ``http_total_timeout``
``too_many_redirects`` more than ``http_max_redirects`` redirects, or a redirect loop
``robots_disallowed``  robots.txt forbids the URL for our user agent (RFC 9309)
``too_large``          the body, after decompression, is over ``max_document_bytes``
``bad_gzip``           a gzip/deflate body that is corrupt or cut short
``unsupported_encoding`` a Content-Encoding we did not ask for (br, zstd, ...)
``connection_error``   refused, reset, DNS failure, broken HTTP
``url_not_allowed``    the host is on a network the fetch policy refuses (loopback,
                       private, link-local, ...; see ``fetch_policy``)
``redirect_not_allowed`` a redirect points at such a host
=====================  ==============================================================

Every connection goes through ``fetch_policy``: a URL that came from data (a feed's entry, a
sitemap's URL, a redirect, a feed the watcher polls) may only reach public addresses or the
networks of ``fetch_allow_networks``. ``trust(url)`` marks the origin of a URL the user typed
as allowed; ``fetch(url, trusted=True)`` does that and fetches it. A Fetcher made with
``trust_named=False`` (the web ingest endpoint's: its URL comes from a request) trusts nothing.

Redirects are followed here rather than by httpx so that every hop is checked against
robots.txt and counts against the same deadline, and so a loop is reported as a loop.

``Fetcher.fetch_conditional(url, validators)`` is the watcher's variant: it sends
``If-None-Match``/``If-Modified-Since``, answers a 304 as a ``Conditional`` without a document,
and says where an unbroken run of permanent redirects (301, 308) from ``url`` ended. A non-2xx
status raises ``HTTPStatusError`` carrying the response headers (``Retry-After`` on 429/503).
A ``gate`` (see ``politeness.HostGate``) gives every request, robots.txt included, its turn
on its host.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from types import TracebackType
from typing import Protocol
from urllib.robotparser import RobotFileParser

import httpx

from wirewatch.collect._inflate import decoder_for
from wirewatch.collect.fetch_policy import FetchPolicy, PolicyTransport
from wirewatch.collect.sniff import charset_of, media_kind
from wirewatch.errors import CollectError
from wirewatch.model import RawDocument
from wirewatch.settings import Settings

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
# We decode bodies ourselves (bounded, see _inflate), so we only ask for what we can decode.
_ACCEPT_ENCODING = "gzip, deflate"
_DEFAULT_PORTS = {"http": 80, "https": 443}


class HTTPStatusError(CollectError):
    """A non-2xx final response; ``status`` lets robots.txt handling tell 4xx from 5xx."""

    def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(
            f"HTTP {status} {httpx.codes.get_reason_phrase(status)}".rstrip(), code="http_status"
        )
        self.status = status
        self.headers = headers or {}  # lower-case names: Retry-After on a 429 or 503


class HostTurns(Protocol):
    """Who may send the next request to a host: ``turn(host)`` holds it for one request."""

    def turn(self, host: str) -> AbstractContextManager[None]: ...


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said about a version it sent: its ETag and Last-Modified headers."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class Conditional:
    """The answer to a conditional GET: ``document`` is None when the server said 304.

    ``permanent_url`` is where an unbroken run of 301/308 redirects from the requested URL
    ended (None without one): the URL to ask next time. ``headers`` are the final response's,
    with lower-case names.
    """

    status: int
    document: RawDocument | None
    headers: dict[str, str] = field(default_factory=dict)
    permanent_url: str | None = None


@dataclass(frozen=True, slots=True)
class _Robots:
    """What one origin's robots.txt allows: its rules, or one answer for every path.

    Without rules, ``refusal`` is the error every URL of the origin fails with (None: all
    allowed).
    """

    robots_url: str
    rules: RobotFileParser | None
    refusal: CollectError | None = None


class Fetcher:
    """One HTTP client with wirewatch's limits; use as a context manager or call ``close()``.

    ``transport`` replaces the network (``httpx.MockTransport`` in tests; the fetch policy
    then only checks literal addresses). robots.txt is fetched once per origin and cached on
    this instance, so two Fetchers never share state.

    >>> with Fetcher(Settings()) as fetcher:  # doctest: +SKIP
    ...     page = fetcher.fetch("https://example.org/news/1")
    >>> page.content_type, page.metadata["http_status"]  # doctest: +SKIP
    ('html', 200)
    """

    def __init__(
        self,
        settings: Settings,
        transport: httpx.BaseTransport | None = None,
        *,
        gate: HostTurns | None = None,
        trust_named: bool = True,
    ) -> None:
        self._settings = settings
        self._gate = gate
        self._robots: dict[str, _Robots] = {}
        self.policy = FetchPolicy(settings, trust_named=trust_named)
        self._client = httpx.Client(
            transport=transport if transport is not None else PolicyTransport(self.policy),
            timeout=_timeouts(settings, settings.http_total_timeout),
            headers={"User-Agent": settings.http_user_agent, "Accept-Encoding": _ACCEPT_ENCODING},
            follow_redirects=False,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections; the Fetcher cannot be used afterwards."""
        self._client.close()

    def trust(self, url: str) -> None:
        """Let ``url``'s origin be fetched whatever its address: the user named it."""
        self.policy.trust(_parse_url(url))

    def fetch(self, url: str, *, source: str | None = None, trusted: bool = False) -> RawDocument:
        """The document at ``url`` after redirects; raises ``CollectError`` (codes above).

        ``source`` defaults to ``url``. The document's ``url`` is the final URL;
        ``metadata`` holds ``http_status`` and, after redirects, ``requested_url``.
        ``trusted``: the user typed ``url``, so its origin is trusted (``trust``).
        """
        start = _parse_url(url)
        if trusted:
            self.policy.trust(start)
        deadline = time.monotonic() + self._settings.http_total_timeout
        download = self._download(start, deadline, obey_robots=self._settings.respect_robots)
        return _document(url, start, download.response, download.body, source)

    def fetch_conditional(
        self, url: str, validators: Validators | None = None, *, source: str | None = None
    ) -> Conditional:
        """``fetch`` with validators sent along; a 304 comes back without a document.

        Raises ``CollectError`` as ``fetch`` does; ``HTTPStatusError.headers`` keeps the
        response headers, so a caller can read ``Retry-After``.
        """
        start = _parse_url(url)
        deadline = time.monotonic() + self._settings.http_total_timeout
        headers: dict[str, str] = {}
        if validators is not None and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators is not None and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        download = self._download(
            start,
            deadline,
            obey_robots=self._settings.respect_robots,
            headers=headers,
            not_modified_ok=True,
        )
        response = download.response
        permanent = str(download.permanent) if download.permanent != start else None
        document = None
        if response.status_code != 304:
            document = _document(url, start, response, download.body, source)
        return Conditional(
            status=response.status_code,
            document=document,
            headers={name.lower(): value for name, value in response.headers.items()},
            permanent_url=permanent,
        )

    def _download(
        self,
        url: httpx.URL,
        deadline: float,
        *,
        obey_robots: bool,
        headers: dict[str, str] | None = None,
        not_modified_ok: bool = False,
    ) -> _Download:
        """Follow redirects from ``url``; the final 2xx (or 304) response (closed), its body."""
        chain = [url]
        permanent = url  # where the unbroken run of permanent redirects from ``url`` ends
        while True:
            try:
                self.policy.check_url(chain[-1])
                if obey_robots:
                    self._check_robots(chain[-1])
                with self._turn(chain[-1]), self._send(chain[-1], deadline, headers) as response:
                    status = response.status_code
                    if status in _REDIRECTS and "location" in response.headers:
                        chain.append(_redirect_target(response, chain, self._settings))
                        if status in _PERMANENT and permanent == chain[-2]:
                            permanent = chain[-1]
                        continue
                    if status == 304 and not_modified_ok:
                        return _Download(response, b"", permanent)
                    if not response.is_success:
                        raise HTTPStatusError(
                            status, {k.lower(): v for k, v in response.headers.items()}
                        )
                    return _Download(response, self._read_body(response, deadline), permanent)
            except CollectError as exc:
                if exc.code == "url_not_allowed" and len(chain) > 1:
                    raise CollectError(
                        f"redirect from {chain[0]} refused: {exc.message}",
                        code="redirect_not_allowed",
                    ) from None
                raise

    def _turn(self, url: httpx.URL) -> AbstractContextManager[None]:
        """This request's turn on its host (nothing to wait for without a gate)."""
        if self._gate is None:
            return nullcontext()
        # One server is one host and port: local test servers share 127.0.0.1.
        return self._gate.turn(f"{url.host}:{url.port or _DEFAULT_PORTS[url.scheme]}")

    @contextmanager
    def _send(
        self, url: httpx.URL, deadline: float, headers: dict[str, str] | None = None
    ) -> Iterator[httpx.Response]:
        """A streamed response to ``GET url``, closed on exit; httpx errors become ours."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._deadline_error()
        request = self._client.build_request(
            "GET", url, headers=headers, timeout=_timeouts(self._settings, remaining)
        )
        try:
            response = self._client.send(request, stream=True)
            try:
                yield response
            finally:
                response.close()
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, deadline) from None

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        limit = self._settings.max_document_bytes
        too_large = f"response larger than {limit} bytes"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise CollectError(f"{too_large} (Content-Length: {declared})", code="too_large")
        if response.is_stream_consumed:
            # Transports such as httpx.MockTransport hand over a body httpx already decoded.
            return _capped(response.content, limit, too_large)
        decoder = decoder_for(response.headers.get("content-encoding"), limit, too_large)
        body = bytearray()
        for raw in response.iter_raw():
            body += decoder.feed(raw)
            # Read timeouts only bound the gap between packets; a server trickling one byte
            # at a time is stopped by this overall deadline.
            if time.monotonic() > deadline:
                raise self._deadline_error(received=len(body))
        body += decoder.finish()
        return bytes(body)

    def _check_robots(self, url: httpx.URL) -> None:
        robots = self._robots_for(url)
        if robots.refusal is not None:  # a fresh error each time: a raise adds a traceback
            raise CollectError(robots.refusal.message, code=robots.refusal.code)
        if robots.rules is not None and not robots.rules.can_fetch(
            self._settings.http_user_agent, str(url)
        ):
            raise CollectError(
                f"robots.txt at {robots.robots_url} disallows {url.raw_path.decode('ascii')}",
                code="robots_disallowed",
            )

    def _robots_for(self, url: httpx.URL) -> _Robots:
        origin = f"{url.scheme}://{url.host}:{url.port or _DEFAULT_PORTS[url.scheme]}"
        if origin not in self._robots:
            robots_url = url.copy_with(raw_path=b"/robots.txt", fragment=None)
            self._robots[origin] = self._load_robots(robots_url)
        return self._robots[origin]

    def _load_robots(self, robots_url: httpx.URL) -> _Robots:
        """The rules at ``robots_url``, or RFC 9309's answer when there are none.

        4xx: no rules, crawl freely (RFC 9309 2.3.1.3). Too many redirects, or a redirect to
        an address the fetch policy refuses: may be treated the same (2.3.1.2). 5xx or
        anything else: everything disallowed (2.3.1.4); when the server cannot be reached at
        all, or not at all under the fetch policy, the error keeps its own code
        (connection_error, timeout, url_not_allowed), since that, not robots.txt, is what
        keeps us from the page.
        """
        where = str(robots_url)
        deadline = time.monotonic() + self._settings.http_total_timeout
        try:
            body = self._download(robots_url, deadline, obey_robots=False).body
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500:
                return _Robots(where, None)
            why = f"robots.txt at {where} unavailable ({exc.message}); site counts as disallowed"
            return _Robots(where, None, CollectError(why, code="robots_disallowed"))
        except CollectError as exc:
            if exc.code in ("too_many_redirects", "redirect_not_allowed"):
                return _Robots(where, None)  # no robots.txt we may read: no rules
            # Whatever keeps us from the site, not robots.txt, keeps us from the page.
            kept = ("connection_error", "timeout", "url_not_allowed")
            code = exc.code if exc.code in kept else "robots_disallowed"
            why = f"{exc.message} (fetching {where}; site counts as disallowed)"
            return _Robots(where, None, CollectError(why, code=code))
        rules = RobotFileParser(where)
        rules.parse(body.decode("utf-8", errors="replace").splitlines())
        return _Robots(where, rules)

    def _deadline_error(self, received: int | None = None) -> CollectError:
        detail = "" if received is None else f" ({received} bytes received)"
        return CollectError(
            f"download did not finish within {self._settings.http_total_timeout} s{detail}",
            code="timeout",
        )

    def _transport_error(self, exc: httpx.HTTPError, deadline: float) -> CollectError:
        """``exc`` as a one-line ``CollectError``; timeouts name the limit that was hit."""
        detail = " ".join(str(exc).split()) or type(exc).__name__
        settings = self._settings
        if isinstance(exc, httpx.TimeoutException):
            # Per-request timeouts are clipped to the time left, so hitting one near the
            # deadline means the overall limit was what ran out.
            if time.monotonic() >= deadline - 0.05:
                return self._deadline_error()
            if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
                return CollectError(
                    f"no connection within {settings.http_connect_timeout} s", code="timeout"
                )
            return CollectError(f"no response within {settings.http_read_timeout} s", "timeout")
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
            return CollectError(f"bad URL: {detail}", code="bad_url")
        if isinstance(exc, httpx.ConnectError):
            return CollectError(f"cannot connect: {detail}", code="connection_error")
        if isinstance(exc, httpx.RemoteProtocolError):
            # httpx checks a redirect's Location even when it does not follow redirects.
            if detail.startswith("Invalid URL in location header"):
                return CollectError(f"redirect to a bad URL: {detail}", code="bad_url")
            return CollectError(f"broken HTTP response: {detail}", code="connection_error")
        return CollectError(f"connection failed: {detail}", code="connection_error")


@dataclass(frozen=True, slots=True)
class _Download:
    """A finished download: the final response (closed), its body, the permanent URL."""

    response: httpx.Response
    body: bytes
    permanent: httpx.URL


def _document(
    url: str, start: httpx.URL, response: httpx.Response, body: bytes, source: str | None
) -> RawDocument:
    metadata: dict[str, object] = {"http_status": response.status_code}
    if str(response.url) != str(start):
        metadata["requested_url"] = url
    return RawDocument(
        source=source or url,
        content=body,
        url=str(response.url),
        content_type=media_kind(response.headers.get("content-type")),
        encoding=charset_of(response.headers.get("content-type")),
        headers=dict(response.headers.items()),
        metadata=metadata,
    )


def _timeouts(settings: Settings, remaining: float) -> httpx.Timeout:
    """Per-request timeouts, none longer than the time left before the overall deadline."""
    connect = min(settings.http_connect_timeout, remaining)
    read = min(settings.http_read_timeout, remaining)
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)


def _capped(body: bytes, limit: int, too_large: str) -> bytes:
    if len(body) > limit:
        raise CollectError(too_large, code="too_large")
    return body


def _parse_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise CollectError(f"malformed URL {url!r}: {exc}", code="bad_url") from None
    if parsed.scheme not in _DEFAULT_PORTS:
        raise CollectError(f"not an http(s) URL: {url!r}", code="bad_url")
    if not parsed.host:
        raise CollectError(f"URL has no host: {url!r}", code="bad_url")
    return parsed


def _redirect_target(
    response: httpx.Response, chain: list[httpx.URL], settings: Settings
) -> httpx.URL:
    """Where ``response`` redirects to, unless that makes a loop or one hop too many."""
    try:
        target = _parse_url(str(response.url.join(response.headers["location"])))
    except CollectError as exc:
        raise CollectError(f"redirect to a bad URL: {exc.message}", code="bad_url") from None
    # Coming back to a URL is a loop, unless the server just set a cookie: some sites
    # redirect to the same page once to check that cookies work.
    if target in chain and "set-cookie" not in response.headers:
        loop = [*chain[chain.index(target) :], target]
        raise CollectError(f"redirect loop: {_describe(loop)}", code="too_many_redirects")
    followed = len(chain) - 1
    if followed >= settings.http_max_redirects:
        raise CollectError(
            f"gave up after {followed} redirects ({_describe([*chain, target])})",
            code="too_many_redirects",
        )
    return target


def _describe(urls: list[httpx.URL]) -> str:
    """A redirect chain on one line: paths when it stays on one origin, shortened if long."""
    same_origin = len({(u.scheme, u.host, u.port) for u in urls}) == 1
    names = [u.raw_path.decode("ascii") if same_origin else str(u) for u in urls]
    if len(names) > 6:
        names = [*names[:2], "...", *names[-2:]]
    return " -> ".join(names)
