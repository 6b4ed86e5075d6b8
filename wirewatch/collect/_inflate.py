"""Bounded decompression of gzip and deflate streams.

``zlib.decompress`` without ``max_length`` turns a 10 kB gzip bomb into 10 MB in one call. Here
every call asks zlib for at most what the limit still allows, so memory stays bounded by the
limit whatever the compression ratio, and the stream fails as ``too_large`` the moment its
decompressed size passes the limit.

>>> import gzip
>>> gunzip(gzip.compress(b"news"), limit=100, too_large="too big")
b'news'
"""

from __future__ import annotations

import zlib
from typing import Protocol

from wirewatch.errors import CollectError

_GZIP_WBITS = 16 + zlib.MAX_WBITS  # gzip header and trailer required
_ZLIB_WBITS = zlib.MAX_WBITS  # RFC 1950 zlib wrapper, what HTTP "deflate" should be
_RAW_WBITS = -zlib.MAX_WBITS  # bare deflate, what some servers send as "deflate" instead


class StreamDecoder(Protocol):
    """Decodes a body piece by piece; raises ``CollectError`` once it passes its limit."""

    def feed(self, data: bytes) -> bytes: ...

    def finish(self) -> bytes: ...


class Passthrough:
    """The identity decoder: counts bytes against the limit and changes nothing."""

    def __init__(self, limit: int, too_large: str) -> None:
        self._limit = limit
        self._too_large = too_large
        self.total = 0

    def feed(self, data: bytes) -> bytes:
        self.total += len(data)
        if self.total > self._limit:
            raise CollectError(self._too_large, code="too_large")
        return data

    def finish(self) -> bytes:
        return b""


class Inflater:
    """A gzip (possibly multi-member) or deflate stream, decompressed up to ``limit`` bytes.

    ``feed`` returns the bytes decoded so far; ``finish`` checks that the stream ended properly.
    Errors: ``too_large`` (message ``too_large``), ``bad_gzip`` (corrupt or truncated stream).
    """

    def __init__(self, kind: str, limit: int, too_large: str) -> None:
        if kind not in ("gzip", "deflate"):
            raise ValueError(f"unknown compression {kind!r}")
        self._kind = kind
        self._limit = limit
        self._too_large = too_large
        self._obj = zlib.decompressobj(_GZIP_WBITS if kind == "gzip" else _ZLIB_WBITS)
        self._fed = False
        self._raw_deflate = False
        self.total = 0

    def feed(self, data: bytes) -> bytes:
        out = bytearray()
        pending = data
        self._fed = self._fed or bool(data)
        while pending:
            if self._obj.eof:
                pending = self._next_member(pending)
                if not pending:
                    break
            piece = self._decompress(pending)
            out += piece
            self.total += len(piece)
            if self.total > self._limit:
                raise CollectError(self._too_large, code="too_large")
            pending = self._obj.unused_data if self._obj.eof else self._obj.unconsumed_tail
        return bytes(out)

    def finish(self) -> bytes:
        # An empty body with a Content-Encoding header (a 204, say) is not a broken stream.
        if self._fed and not self._obj.eof:
            raise CollectError(f"truncated {self._kind} stream", code="bad_gzip")
        return b""

    def _decompress(self, data: bytes) -> bytes:
        # Asking for one byte more than the limit allows is enough to know it was passed.
        room = self._limit - self.total + 1
        try:
            return self._obj.decompress(data, room)
        except zlib.error as exc:
            if self._kind == "deflate" and self.total == 0 and not self._raw_deflate:
                self._raw_deflate = True
                self._obj = zlib.decompressobj(_RAW_WBITS)
                return self._decompress(data)
            raise CollectError(f"corrupt {self._kind} stream ({exc})", code="bad_gzip") from None

    def _next_member(self, pending: bytes) -> bytes:
        """After one gzip member ends: start the next one, or drop trailing padding."""
        # gzip files may be concatenations of members (``cat a.gz b.gz``); writers also pad
        # with NUL bytes, which the gzip tool ignores and so do we. Deflate has one stream.
        if self._kind == "deflate" or not pending.strip(b"\0"):
            return b""
        self._obj = zlib.decompressobj(_GZIP_WBITS)
        return pending


def decoder_for(content_encoding: str | None, limit: int, too_large: str) -> StreamDecoder:
    """The decoder for an HTTP ``Content-Encoding`` value; ``unsupported_encoding`` otherwise.

    We only ever ask for ``gzip, deflate``; anything else a server sends anyway is refused
    rather than handed on as if it were the document.
    """
    names = [part.strip().lower() for part in (content_encoding or "").split(",") if part.strip()]
    names = [name for name in names if name != "identity"]
    if not names:
        return Passthrough(limit, too_large)
    if len(names) == 1 and names[0] in ("gzip", "x-gzip", "deflate"):
        return Inflater("deflate" if names[0] == "deflate" else "gzip", limit, too_large)
    raise CollectError(
        f"unsupported Content-Encoding {content_encoding!r}", code="unsupported_encoding"
    )


def gunzip(data: bytes, *, limit: int, too_large: str) -> bytes:
    """``data`` gunzipped, failing ``too_large`` past ``limit`` bytes or ``bad_gzip``."""
    if not data.startswith(b"\x1f\x8b"):
        raise CollectError("not a gzip stream (no gzip header)", code="bad_gzip")
    inflater = Inflater("gzip", limit, too_large)
    body = inflater.feed(data)
    inflater.finish()
    return body
