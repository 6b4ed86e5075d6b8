"""Which addresses wirewatch may connect to: one policy for every URL that comes from data.

A URL found in data (a feed entry's link, a sitemap's ``<loc>``, a redirect's ``Location``,
a feed added through the web API and polled by the watcher) is chosen by whoever wrote the
data, so fetching it blindly lets a stranger make wirewatch read the services of the network
it runs in (server-side request forgery): ``http://169.254.169.254/`` (cloud metadata),
``http://127.0.0.1:6379/``, the office LAN. What was fetched would then be stored and served.

``FetchPolicy`` refuses, for such URLs, every address that is not on the public internet:
loopback, private (RFC 1918, fc00::/7), link-local, shared (100.64.0.0/10), reserved,
unspecified, multicast, documentation and benchmarking ranges, and IPv6 forms that carry one
of those inside them (IPv4-mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``, NAT64
``64:ff9b::/96``, Teredo ``2001::/32``). The check is made on the address a connection is
actually opened to, after DNS, on every connection (``PolicyBackend``): a redirect, a second
DNS answer or a robots.txt request cannot get round it. An address inside one of the
networks of ``fetch_allow_networks`` (CIDRs, comma-separated) is allowed, for intranet
deployments.

A URL typed by the user (``wirewatch ingest http://intranet/feed``) is the user's choice, not
data: its origin (scheme, host, port) is trusted for the rest of the run (``trust``), so the
feed's entries and robots.txt on that same server can be fetched too. Links from it to other
hosts are still checked. A URL that reaches wirewatch through a request (the web ingest
endpoint) is data, not the user's choice: such a Fetcher's policy is made with
``trust_named=False`` and trusts nothing. Refusals raise ``CollectError`` with code
``url_not_allowed``; the Fetcher reports a refused redirect target as
``redirect_not_allowed``.
"""

from __future__ import annotations

import ipaddress
import socket
import typing

import httpcore
import httpx
from httpcore._backends.sync import SyncBackend

from wirewatch.errors import CollectError
from wirewatch.settings import Settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Ranges Python does not count as private or reserved but that are not for the public
# internet either, or that can hide an IPv4 address we must look at.
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
_TEREDO = ipaddress.IPv6Network("2001::/32")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: local use only


def parse_networks(text: str) -> tuple[Network, ...]:
    """``"10.0.0.0/8, fd00::/8"`` as networks; ``ValueError`` naming a bad entry.

    >>> parse_networks("10.1.0.0/16, 127.0.0.1")
    (IPv4Network('10.1.0.0/16'), IPv4Network('127.0.0.1/32'))
    """
    networks: list[Network] = []
    for part in text.replace(";", ",").split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError as exc:
                raise ValueError(f"not a network: {part.strip()!r} ({exc})") from None
    return tuple(networks)


def refusal(address: Address) -> str | None:
    """Why ``address`` is not on the public internet, or None when it is.

    >>> refusal(ipaddress.ip_address("2002:a00:1::1"))
    '6to4 address embedding 10.0.0.1: private'
    >>> refusal(ipaddress.ip_address("93.184.215.14")) is None
    True
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            kind, inner = embedded
            why = refusal(inner)
            return f"{kind} address embedding {inner}: {why}" if why else None
        if address in _NAT64_LOCAL:
            return "local-use NAT64"
    return _own_refusal(address)


def _own_refusal(address: Address) -> str | None:
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED:
        return "shared (carrier-grade NAT)"
    if address.is_private:
        return "private"
    if address.is_reserved:
        return "reserved"
    if not address.is_global:
        return "not globally routable"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    if address.ipv4_mapped is not None:
        return "IPv4-mapped", address.ipv4_mapped
    if address.sixtofour is not None:
        return "6to4", address.sixtofour
    if address in _NAT64:
        return "NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _TEREDO and address.teredo is not None:
        server, client = address.teredo
        return "Teredo", client if refusal(client) else server
    return None


class FetchPolicy:
    """The addresses a Fetcher may connect to; shared by its transport and its redirects.

    >>> policy = FetchPolicy(Settings(fetch_allow_networks="10.0.0.0/8"))
    >>> policy.check_address("10.1.2.3", "intranet")
    >>> policy.check_address("192.168.1.1", "router")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    wirewatch.errors.CollectError: host 'router' is at 192.168.1.1 (private), not a public ...
    """

    def __init__(self, settings: Settings, *, trust_named: bool = True) -> None:
        self.allowed = parse_networks(settings.fetch_allow_networks)
        self.trust_named = trust_named
        self._trusted: set[tuple[str, int]] = set()

    def trust(self, url: httpx.URL) -> None:
        """Trust ``url``'s host and port for this run: the user named it.

        Ignored when the policy was made with ``trust_named=False``.
        """
        if not self.trust_named:
            return
        # raw_host is the ASCII (IDNA) form, which is what the network layer is given.
        host = url.raw_host.decode("ascii")
        self._trusted.add((_host_key(host), url.port or _DEFAULT_PORTS.get(url.scheme, 0)))

    def trusted(self, host: str, port: int) -> bool:
        return (_host_key(host), port) in self._trusted

    def check_url(self, url: httpx.URL) -> None:
        """Refuse ``url`` now when its host is a literal address that is refused.

        Host names are checked when the connection is opened (``PolicyBackend``), on the
        addresses DNS gives; this early check only saves a request for literal addresses.
        """
        port = url.port or _DEFAULT_PORTS.get(url.scheme, 0)
        if self.trusted(url.raw_host.decode("ascii"), port):
            return
        try:
            address = ipaddress.ip_address(url.host.strip("[]").split("%", 1)[0])
        except ValueError:
            return
        self.check_address(str(address), url.host)

    def check_host(self, host: str, port: int) -> list[str]:
        """The addresses ``host`` resolves to, each checked; ``CollectError`` otherwise.

        Codes: ``url_not_allowed`` when any address is refused, ``connection_error`` when the
        host does not resolve. A check made ahead of a fetch only gives an early answer: the
        fetch checks again on the address it connects to (``PolicyBackend``).
        """
        try:
            addresses = _resolve(host, port)
        except httpcore.ConnectError as exc:
            raise CollectError(str(exc), code="connection_error") from None
        for address in addresses:
            self.check_address(address, host)
        return addresses

    def check_address(self, address: str, host: str) -> None:
        """Raise ``CollectError`` (``url_not_allowed``) unless ``address`` may be reached."""
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
        if any(parsed in network for network in self.allowed if network.version == parsed.version):
            return
        why = refusal(parsed)
        if why is not None:
            raise CollectError(
                f"host {host!r} is at {parsed} ({why}), not a public address; "
                "set fetch_allow_networks to allow it",
                code="url_not_allowed",
            )


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_key(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


class PolicyBackend(httpcore.NetworkBackend):
    """httpcore's network layer with the policy applied to every TCP connection it opens.

    The host is resolved here, every address it resolves to is checked (one refused address
    refuses the host: a name that points at both a public and a private address is not used),
    and the connection is opened to a checked address, so the answer DNS gives a second time
    cannot differ from the one checked.
    """

    def __init__(self, policy: FetchPolicy) -> None:
        self._policy = policy
        self._inner = SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        if self._policy.trusted(host, port):
            return self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        addresses = _resolve(host, port)
        for address in addresses:  # after DNS, on the very addresses connected to below
            self._policy.check_address(address, host)
        last: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:  # try the host's next address
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host!r}")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:  # pragma: no cover - wirewatch never asks for one
        raise CollectError("unix sockets are never fetched", code="url_not_allowed")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _resolve(host: str, port: int) -> list[str]:
    """The distinct addresses ``host`` resolves to, in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise httpcore.ConnectError(f"cannot resolve host {host!r}: {exc}") from None
    found: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in found:
            found.append(address)
    if not found:
        raise httpcore.ConnectError(f"no address for {host!r}")
    return found


class PolicyTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` whose connections all go through ``PolicyBackend``."""

    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__()
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=5.0,  # httpx's defaults, as the transport it replaces had
            network_backend=PolicyBackend(policy),
        )
