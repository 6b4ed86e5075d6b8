"""Inputs named by URL that are files, not web pages: ``file://`` and fsspec URLs.

``file:///data/x.warc.gz`` (or ``file://localhost/...``) is the local path it names, split and
tracked like any path. Any other URL whose protocol fsspec (``fsspec==``, pinned) knows and
that is not ``http(s)://`` (``zip://page.warc.gz::file:///data/crawl.zip``, ``s3://...`` when an
implementation such as s3fs is installed on the workers) is one block: the worker that reads it
copies the file to a temporary file, reads that as it reads a local file (by its name, then
its first bytes), and names every document by the URL. Web pages stay with the HTTP fetcher.
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
