"""From what a user names (paths, URLs, ``-``) to documents, one input after another.

Each input is told apart by its form (``-``, ``scheme://``, a directory, a file), then by its
name, then by sniffing its first bytes. Whatever goes wrong with one input becomes a Failure
and the next input is read: one broken file never costs a run its other documents.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal

from wirewatch.collect.feeds import iter_feed, looks_like_feed
from wirewatch.collect.fields import safe_item
from wirewatch.collect.files import iter_jsonl_file, iter_jsonl_stream, read_bytes, read_stream
from wirewatch.collect.http import Fetcher
from wirewatch.collect.sitemaps import iter_sitemap, looks_like_sitemap
from wirewatch.collect.sniff import gunzip_head, is_gzip, looks_like_html, looks_like_warc
from wirewatch.collect.warc import iter_warc, iter_warc_stream
from wirewatch.errors import CollectError
from wirewatch.model import Failure, RawDocument
from wirewatch.settings import Settings

Item = RawDocument | Failure

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_FEED_SUFFIXES = (".rss", ".atom", ".rdf", ".xml")
_STDIN = "-"
_HEAD_BYTES = 64 * 1024  # read from stdin to decide what it holds


def iter_documents(
    inputs: Iterable[str],
    settings: Settings,
    fetcher: Fetcher | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[RawDocument | Failure]:
    """Every document in ``inputs``, in input order, or a Failure for what could not be read.

    An input is ``-`` (standard input, or ``stdin``), an ``http(s)://`` URL (a page, or a
    feed whose entries are then collected), a directory (its files, recursively, in sorted
    order, hidden ones skipped) or a file: a WARC/ARC, a JSONL dump, a feed, an HTML or text
    document. A Fetcher is created when first needed if none is given, and closed at the end.
    A URL in ``inputs`` is the user's choice and is fetched wherever it points; URLs found in
    what it holds (entries, sitemap URLs, redirects to other hosts) obey the fetch policy
    (``fetch_policy``). Every field of every item is made safe (``fields.safe_item``).

    >>> for item in iter_documents(["news/", "https://example.org/feed"], Settings()):
    ...     print(item.source)  # doctest: +SKIP
    news/2024/kyiv.html
    https://example.org/feed#1
    """
    fetchers = _Fetchers(settings, fetcher)
    try:
        for name in inputs:
            for item in _guarded(name, _iter_input(name, settings, fetchers, stdin)):
                yield safe_item(item)
    finally:
        fetchers.close()


class _Fetchers:
    """The Fetcher given by the caller, or one made on first use and closed by ``close``."""

    def __init__(self, settings: Settings, given: Fetcher | None) -> None:
        self._settings = settings
        self._given = given
        self._own: Fetcher | None = None

    def get(self) -> Fetcher:
        if self._given is not None:
            return self._given
        if self._own is None:
            self._own = Fetcher(self._settings)
        return self._own

    def for_feeds(self) -> Fetcher | None:
        """The Fetcher for feed entries' pages; None when page fetching is off."""
        return self.get() if self._settings.feed_fetch_pages else None

    def close(self) -> None:
        if self._own is not None:
            self._own.close()


def _guarded(source: str, items: Iterator[Item]) -> Iterator[Item]:
    """``items``, ending with a Failure instead of an exception if reading them fails."""
    try:
        yield from items
    except CollectError as exc:
        yield Failure(source, "collect", exc.code, exc.message)
    except Exception as exc:  # one input's bug or oddity must not end the whole run
        detail = " ".join(str(exc).split())
        message = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        yield Failure(source, "collect", "internal_error", message)


def _iter_input(
    name: str, settings: Settings, fetchers: _Fetchers, stdin: BinaryIO | None
) -> Iterator[Item]:
    if name == _STDIN:
        yield from _iter_stdin(sys.stdin.buffer if stdin is None else stdin, settings, fetchers)
    elif _URL.match(name):
        yield from _iter_url(name, settings, fetchers)
    elif Path(name).is_dir():
        yield from _iter_directory(Path(name), name, settings, fetchers)
    else:
        yield from _iter_file(Path(name), name, settings, fetchers)


def _iter_url(url: str, settings: Settings, fetchers: _Fetchers) -> Iterator[Item]:
    fetcher = fetchers.get()
    page = fetcher.fetch(url, trusted=True)  # typed by the user; what it links to is checked
    if looks_like_feed(page.content):
        yield from iter_feed(page.content, url, settings, fetchers.for_feeds(), base_url=page.url)
    elif looks_like_sitemap(page.content):
        yield from iter_sitemap(page, fetcher, settings)
    else:
        yield page


def _iter_directory(
    root: Path, name: str, settings: Settings, fetchers: _Fetchers
) -> Iterator[Item]:
    problems: list[OSError] = []
    found: list[str] = []
    for folder, subfolders, files in os.walk(root, onerror=problems.append):
        # Hidden entries are version-control and desktop litter (.git, .DS_Store), not news.
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        found += [os.path.join(folder, f) for f in files if not f.startswith(".")]
    for problem in problems:
        where = problem.filename or name
        yield Failure(
            str(where), "collect", "unreadable", f"cannot list {where}: {problem.strerror}"
        )
    for path in sorted(found, key=lambda p: Path(p).relative_to(root).parts):
        source = os.path.join(name, os.path.relpath(path, root))
        yield from _guarded(source, _iter_file(Path(path), source, settings, fetchers))


def _iter_file(path: Path, source: str, settings: Settings, fetchers: _Fetchers) -> Iterator[Item]:
    lower = path.name.lower()
    if lower.endswith(_WARC_SUFFIXES) or _starts_like_warc(path):
        yield from iter_warc(path, settings, source)
    elif lower.endswith(_JSONL_SUFFIXES):
        yield from iter_jsonl_file(path, settings, source)
    else:
        yield from _from_bytes(read_bytes(path, settings), source, lower, settings, fetchers)


def _starts_like_warc(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return looks_like_warc(handle.read(4096))  # enough for gzip to yield a few bytes
    except OSError:
        return False  # read_bytes will report what is wrong with the file


def _from_bytes(
    data: bytes, source: str, name: str, settings: Settings, fetchers: _Fetchers
) -> Iterator[Item]:
    """One read document: a sitemap's pages, a feed's entries, or the document itself.

    A name that says "feed" (.rss, .atom, .rdf, .xml) is read as one, so a feed URL or file
    that holds an error page or prose fails as ``bad_feed`` instead of becoming an article.
    """
    if looks_like_sitemap(data):
        yield from iter_sitemap(RawDocument(source=source, content=data), fetchers.get(), settings)
    elif looks_like_feed(data) or name.removesuffix(".gz").lower().endswith(_FEED_SUFFIXES):
        yield from iter_feed(data, source, settings, fetchers.for_feeds())
    else:
        yield RawDocument(source=source, content=data, content_type=_kind(name, data))


def _kind(name: str, data: bytes) -> Literal["html", "text"] | None:
    """HTML or text by extension first (the user named it), then by sniffing; else unknown."""
    name = name.removesuffix(".gz")
    if name.endswith(_HTML_SUFFIXES):
        return "html"
    if name.endswith(".txt"):
        return "text"
    return "html" if looks_like_html(data) else None


def _iter_stdin(stream: BinaryIO, settings: Settings, fetchers: _Fetchers) -> Iterator[Item]:
    """Standard input: a WARC or JSONL stream is read as it comes, anything else is capped."""
    head = stream.read(_HEAD_BYTES)
    gzipped = is_gzip(head)
    plain = gunzip_head(head, 1024) if gzipped else head
    rejoined = io.BufferedReader(_Rejoined(head, stream))
    if looks_like_warc(plain):
        yield from iter_warc_stream(rejoined, _STDIN, settings)
    elif plain.lstrip()[:1] == b"{":
        yield from iter_jsonl_stream(rejoined, _STDIN, settings, gzipped=gzipped)
    else:
        data = read_stream(rejoined, settings, gzipped=gzipped, what="standard input")
        yield from _from_bytes(data, _STDIN, "", settings, fetchers)


class _Rejoined(io.RawIOBase):
    """A stream whose first bytes were already read to sniff it: those bytes, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            data, self._head = self._head[: len(view)], self._head[len(view) :]
        else:
            data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)
