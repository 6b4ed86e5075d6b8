"""Inputs named by URL that are files, not web pages: ``file://`` and fsspec URLs.

``file:///data/x.warc.gz`` (or ``file://localhost/...``) is the local path it names, split and
tracked like any path. Any other URL whose protocol fsspec (``fsspec==``, pinned) knows and
that is not ``http(s)://`` (``zip://page.warc.gz::file:///data/crawl.zip``, ``s3://...`` when an
implementation such as s3fs is installed on the workers) is one block: the worker that reads it
copies the file to a temporary file, reads that as it reads a local file (by its name, then
its first bytes), and names every document by the URL. Web pages stay with the HTTP fetcher.

Such a URL may name a directory (``s3://bucket/crawl/2024/03/``) or a pattern
(``s3://bucket/crawl/2024/03/*.warc.gz``): ``remote_files`` lists the files it holds, as the
local executor lists a directory (recursively, hidden entries skipped, in sorted order), each
one a block of its own named by its own URL, so a run stopped midway skips the files done.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from wirewatch.collect import iter_documents
from wirewatch.errors import UsageError
from wirewatch.model import Failure, RawDocument
from wirewatch.settings import Settings

_WEB = ("http", "https")


def local_path(name: str) -> str | None:
    """The path a ``file://`` URL names; None for anything else."""
    if not name.lower().startswith("file://") or "::" in name:
        return None
    parts = urlsplit(name)
    if parts.netloc not in ("", "localhost"):
        raise UsageError(f"{name}: a file:// URL names a file on this machine (file:///path)")
    return unquote(parts.path)


def is_remote_file(name: str) -> bool:
    """Whether ``name`` is a URL fsspec reads (not a web page, not a plain ``file://``)."""
    if "://" not in name or local_path(name) is not None:
        return False
    protocol = name.split("://", 1)[0].split("::")[-1].lower()
    if protocol in _WEB and "::" not in name:
        return False
    from fsspec.registry import known_implementations, registry

    return protocol in known_implementations or protocol in registry


def remote_files(url: str) -> list[str] | None:
    """The files an fsspec URL names when it is a directory or a pattern (``*``, ``?``,
    ``[``), as URLs of the same form in sorted order, hidden entries skipped; None when it
    names one file (or nothing fsspec can list: reading it then says why).

    A chained URL keeps its chain (``zip://inner/*.warc.gz::file:///data/crawl.zip`` gives
    ``zip://inner/a.warc.gz::file:///data/crawl.zip``); a chain that opens with a wrapper and
    no ``://`` (``simplecache::s3://...``) is read as one file.
    """
    from fsspec.core import url_to_fs

    head, chained, rest = url.partition("::")
    if chained and "://" not in head:
        return None
    try:
        fs, path = url_to_fs(url)
        if any(mark in path for mark in _PATTERN):
            listed = fs.glob(path, detail=True)
            root = path[: min(path.find(m) for m in _PATTERN if m in path)].rpartition("/")[0]
            files = [name for name, info in listed.items() if info.get("type") == "file"]
        elif fs.isdir(path):
            root = path.rstrip("/")
            files = list(fs.find(path, detail=False))
        else:
            return None
    except (OSError, ValueError, ImportError):
        return None  # read as one file: the read reports what is wrong
    found = sorted(
        (name for name in files if not _hidden(name, root)),
        key=lambda name: _relative(name, root).split("/"),
    )
    if chained:
        protocol = head.split("://", 1)[0]
        return [f"{protocol}://{name}::{rest}" for name in found]
    return [fs.unstrip_protocol(name) for name in found]


_PATTERN = ("*", "?", "[")


def _relative(name: str, root: str) -> str:
    return name[len(root) :].lstrip("/") if root and name.startswith(root) else name


def _hidden(name: str, root: str) -> bool:
    return any(part.startswith(".") for part in _relative(name, root).split("/"))


def read_remote(url: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """The documents of the file at ``url`` (an fsspec URL), each named by the URL."""
    import fsspec

    suffix = "".join(PurePosixPath(url.split("::")[0].split("://", 1)[-1]).suffixes[-2:])
    folder = tempfile.mkdtemp(prefix="wirewatch-remote-")
    copy = os.path.join(folder, "input" + suffix)
    try:
        try:
            with fsspec.open(url, "rb") as source, open(copy, "wb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
        except (OSError, ValueError, ImportError) as exc:
            code = "not_found" if isinstance(exc, FileNotFoundError) else "unreadable"
            yield Failure(url, "collect", code, f"cannot read {url}: {exc}")
            return
        for item in iter_documents([copy], settings):
            yield _renamed(item, copy, url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _renamed(item: RawDocument | Failure, copy: str, url: str) -> RawDocument | Failure:
    """``item`` named after ``url`` instead of the temporary copy it was read from."""
    if isinstance(item, Failure):
        message = item.message.replace(copy, url)
        return replace(item, source=item.source.replace(copy, url), message=message)
    return replace(item, source=item.source.replace(copy, url))
