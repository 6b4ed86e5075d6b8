"""Local files: whole documents read under a size cap, and JSONL dumps read line by line.

``read_bytes`` raises ``CollectError`` with ``not_found``, ``unreadable``, ``too_large``,
``bad_gzip`` or ``empty_input``. ``iter_jsonl`` never raises for a bad record: it yields a
``Failure`` (``bad_jsonl``) naming the line, and goes on with the next one.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal

from wirewatch.collect._inflate import gunzip
from wirewatch.collect.fields import clean_str
from wirewatch.errors import CollectError
from wirewatch.model import Failure, RawDocument
from wirewatch.settings import Settings

_MAX_ID_CHARS = 1000


def read_bytes(path: Path, settings: Settings) -> bytes:
    """The bytes of ``path``, gunzipped when its name ends in ``.gz``.

    The file may hold at most ``max_document_bytes`` (checked before reading) and a ``.gz``
    may expand to at most ``max_decompressed_bytes``. A file that is empty or only
    whitespace fails as ``empty_input``, so nothing downstream sees a blank document.
    """
    limit = settings.max_document_bytes
    size = _size(path)
    if size > limit:
        raise CollectError(f"file larger than {limit} bytes ({size} bytes)", code="too_large")
    gzipped = path.name.lower().endswith(".gz")
    try:
        with path.open("rb") as handle:
            return read_stream(handle, settings, gzipped=gzipped, what="file")
    except OSError as exc:
        raise file_error(exc, path) from None


def read_stream(stream: BinaryIO, settings: Settings, *, gzipped: bool, what: str) -> bytes:
    """``read_bytes`` for an open stream (standard input, say); ``what`` names it in messages.

    >>> read_stream(io.BytesIO(b"Kyiv (AFP)"), Settings(), gzipped=False, what="input")
    b'Kyiv (AFP)'
    """
    limit = settings.max_document_bytes
    data = stream.read(limit + 1)  # one byte over the limit is enough to know (files grow)
    if len(data) > limit:
        raise CollectError(f"{what} larger than {limit} bytes", code="too_large")
    if gzipped and data:
        cap = settings.max_decompressed_bytes
        data = gunzip(data, limit=cap, too_large=f"{what} expands to more than {cap} bytes")
    if not data.strip():
        raise CollectError(
            f"{what} is {'empty' if not data else 'only whitespace'}", code="empty_input"
        )
    return data


def iter_jsonl_file(
    path: Path, settings: Settings, source: str | None = None
) -> Iterator[RawDocument | Failure]:
    """``iter_jsonl`` over the file at ``path`` (gunzipped as it is read if it ends in ``.gz``).

    A dump is streamed, so neither ``max_document_bytes`` nor ``max_decompressed_bytes``
    limits its total size; each line is limited to ``max_document_bytes``, and a ``.gz``
    may inflate to at most ``max_jsonl_expansion`` times the compressed bytes read so far
    (plus 1 MB), so a small file of compressed newlines cannot cost hours; past that it ends
    with a ``too_large`` Failure after the records read.
    """
    name = source or str(path)
    try:
        handle: BinaryIO = path.open("rb")
    except OSError as exc:
        error = file_error(exc, path)
        yield Failure(name, "collect", error.code, error.message)
        return
    with handle:
        yield from iter_jsonl_stream(
            handle, name, settings, gzipped=path.name.lower().endswith(".gz")
        )


def iter_jsonl_stream(
    stream: BinaryIO, source: str, settings: Settings, *, gzipped: bool
) -> Iterator[RawDocument | Failure]:
    """``iter_jsonl`` over an open stream (a file, standard input), gunzipped as it is read
    when ``gzipped``: then it may inflate to at most ``max_jsonl_expansion`` times the
    compressed bytes read so far, plus 1 MB, and ends with a ``too_large`` Failure past that
    (the records before it are kept).

    >>> import gzip
    >>> dump = gzip.compress(b'{"text": "Kyiv."}' + b" " * 10_000_000)
    >>> [item.code for item in iter_jsonl_stream(io.BytesIO(dump), "-", Settings(),
    ...  gzipped=True)]
    ['too_large']
    """
    if not gzipped:
        yield from iter_jsonl(stream, source, settings)
        return
    counted = _Counted(stream)
    with gzip.GzipFile(fileobj=counted, mode="rb") as inflated:
        lines = _Capped(inflated, counted, settings.max_jsonl_expansion)
        yield from iter_jsonl(io.BufferedReader(lines), source, settings)


class _Counted(io.RawIOBase):
    """A stream that counts the bytes read from it (standard input cannot ``tell``)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._stream.read(-1 if size is None else size)
        self.count += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(memoryview(buffer)))
        memoryview(buffer).cast("B")[: len(data)] = data
        return len(data)


class _Capped(io.RawIOBase):
    """The inflated stream of a gzip, failing once it outgrows ``ratio`` times its input."""

    _SLACK = 1 << 20

    def __init__(self, inflated: gzip.GzipFile, compressed: _Counted, ratio: int) -> None:
        self._inflated = inflated
        self._compressed = compressed
        self._ratio = ratio
        self._out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._inflated.read(len(view))
        self._out += len(data)
        read_in = max(self._compressed.count, 1)
        if self._out > self._ratio * read_in + self._SLACK:
            raise CollectError(
                f"gzip stream expands to more than {self._ratio} times its size "
                f"({self._out} bytes from {read_in}); see max_jsonl_expansion",
                code="too_large",
            )
        view[: len(data)] = data
        return len(data)


def _size(path: Path) -> int:
    try:
        stat = path.stat()
    except OSError as exc:
        raise file_error(exc, path) from None
    if not path.is_file():
        raise CollectError(f"not a regular file: {path}", code="unreadable")
    return stat.st_size


def file_error(exc: OSError, path: Path) -> CollectError:
    """An OSError from opening or reading ``path`` as ``not_found`` or ``unreadable``."""
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return CollectError(f"no such file: {path}", code="not_found")
    return CollectError(f"cannot read {path}: {exc.strerror or exc}", code="unreadable")


def iter_jsonl(
    data: Iterable[bytes] | BinaryIO, source: str, settings: Settings
) -> Iterator[RawDocument | Failure]:
    """One ``RawDocument`` per JSON line ``{"id"?, "url"?, "html"? | "text"?, ...}``.

    ``data`` is a binary file or any iterable of lines. Lines are numbered from 1 and the
    number goes into ``source`` (``dump.jsonl:12``). Blank lines are skipped. A line that is
    not a JSON object, has neither ``html`` nor ``text``, has a field of the wrong type, or
    is longer than ``max_document_bytes`` becomes a ``bad_jsonl`` Failure; reading goes on.
    A file that cannot be read further (a truncated ``.gz``) ends with one Failure, and one
    with no record at all is an ``empty_input`` Failure.

    >>> docs = list(iter_jsonl([b'{"id": 7, "text": "Kyiv, Monday."}'], "d.jsonl", Settings()))
    >>> docs[0].input_id, docs[0].content_type, docs[0].source
    ('7', 'text', 'd.jsonl:1')
    """
    limit = settings.max_document_bytes
    number = 0
    records = 0
    try:
        for number, line in _lines(data, limit):
            if line is None:
                yield _bad_line(source, number, f"line longer than {limit} bytes")
            elif line.strip():
                yield _record(line, source, number)
            else:
                continue  # blank lines are no records
            records += 1
    except CollectError as exc:
        yield Failure(f"{source}:{number + 1}", "collect", exc.code, exc.message)
        return
    if records == 0:
        yield Failure(source, "collect", "empty_input", "no JSON lines")


def _lines(data: Iterable[bytes] | BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Each line of ``data`` with its number from 1, ``None`` for a line over ``limit`` bytes
    (never held whole). Runs of blank lines in a file are skipped in bulk."""
    try:
        if isinstance(data, io.IOBase):
            yield from _file_lines(data, limit)
        else:
            for number, line in enumerate(data, start=1):
                yield number, None if len(line) > limit else line
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        message = "truncated gzip stream" if isinstance(exc, EOFError) else f"corrupt gzip ({exc})"
        raise CollectError(message, code="bad_gzip") from None
    except OSError as exc:
        raise CollectError(f"read failed: {exc.strerror or exc}", code="unreadable") from None


def _file_lines(handle: io.IOBase, limit: int) -> Iterator[tuple[int, bytes | None]]:
    number = 0
    peek = getattr(handle, "peek", None)
    while line := handle.readline(limit + 1):
        number += 1
        if len(line) <= limit:
            yield number, line
            if peek is not None and not line.strip():
                number += _skip_blank(handle, peek)
            continue
        # Skip the rest of an oversized line in bounded pieces rather than reading it whole.
        while not line.endswith(b"\n") and (line := handle.readline(limit + 1)):
            pass
        yield number, None


def _skip_blank(handle: io.IOBase, peek: Any) -> int:
    """Read past whole blank lines ahead of ``handle``'s position; how many there were."""
    skipped = 0
    while True:
        ahead = peek(1 << 16)
        blank = len(ahead) - len(ahead.lstrip(b" \t\r\n"))
        cut = ahead.rfind(b"\n", 0, blank) + 1  # keep a partial blank line for readline
        if cut <= 0:
            return skipped
        skipped += ahead.count(b"\n", 0, cut)
        handle.read(cut)


def _bad_line(source: str, number: int, message: str, input_id: str | None = None) -> Failure:
    return Failure(f"{source}:{number}", "collect", "bad_jsonl", message, input_id=input_id)


def _record(line: bytes, source: str, number: int) -> RawDocument | Failure:
    try:
        record = json.loads(line)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        return _bad_line(source, number, f"not JSON: {exc}")
    except RecursionError:
        return _bad_line(source, number, "not JSON we read: nested too deeply")
    if not isinstance(record, dict):
        return _bad_line(source, number, f"not a JSON object (a {type(record).__name__})")
    try:
        return _document(record, f"{source}:{number}")
    except CollectError as exc:
        return _bad_line(source, number, exc.message, _echoable_id(record))
    except Exception as exc:  # one odd record costs one record, never the file
        detail = clean_str(" ".join(str(exc).split()))[:200]
        return _bad_line(source, number, f"unusable record ({type(exc).__name__}: {detail})")


def _document(record: dict[str, Any], source: str) -> RawDocument:
    html, text = _string_field(record, "html"), _string_field(record, "text")
    kind: Literal["html", "text"] = "html" if html is not None else "text"
    body = html if html is not None else text
    if body is None:
        raise CollectError('record has neither "html" nor "text"', code="bad_jsonl")
    return RawDocument(
        source=source,
        content=clean_str(body).encode("utf-8"),
        url=_string_field(record, "url"),
        content_type=kind,
        encoding="utf-8",
        input_id=_input_id(record.get("id")),
        published=_string_field(record, "published"),
        title=_string_field(record, "title"),
    )


def _string_field(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value
    raise CollectError(f'"{name}" must be a string, not {type(value).__name__}', code="bad_jsonl")


def _input_id(value: Any) -> str | None:
    # Numbers and strings are both common as ids; a list or an object is not an id.
    if value is None:
        return None
    if isinstance(value, str | int) and not isinstance(value, bool):
        text = clean_str(str(value))
        if len(text) > _MAX_ID_CHARS:
            raise CollectError(f'"id" longer than {_MAX_ID_CHARS} characters', code="bad_jsonl")
        return text
    raise CollectError(
        f'"id" must be a string or a number, not {type(value).__name__}', code="bad_jsonl"
    )


def _echoable_id(record: dict[str, Any]) -> str | None:
    """The record's id for its Failure, when it is one we could echo."""
    try:
        return _input_id(record.get("id"))
    except CollectError:
        return None
