"""Local files and JSONL dumps: exact bytes out, or the failure a user would need to see."""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.collect.conftest import FAST
from wirewatch.collect import iter_jsonl, iter_jsonl_file, read_bytes
from wirewatch.errors import CollectError
from wirewatch.model import Failure, RawDocument

STORY = b"<p>KIEV (AFP) - NATO chief Jens Stoltenberg pledged support on Monday.</p>"


def read_error(path: Path) -> CollectError:
    with pytest.raises(CollectError) as caught:
        read_bytes(path, FAST)
    return caught.value


def test_plain_file_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    path.write_bytes(STORY)

    assert read_bytes(path, FAST) == STORY


def test_gz_file_is_gunzipped(tmp_path: Path) -> None:
    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress(STORY))

    assert read_bytes(path, FAST) == STORY


def test_concatenated_gzip_members_are_all_read(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(b"first half, ") + gzip.compress(b"second half"))

    assert read_bytes(path, FAST) == b"first half, second half"


def test_truncated_gz_is_bad_gzip(tmp_path: Path) -> None:
    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress(STORY * 50)[:-20])

    error = read_error(path)

    assert (error.code, error.message) == ("bad_gzip", "truncated gzip stream")


def test_gz_that_is_not_gzip_is_bad_gzip(tmp_path: Path) -> None:
    path = tmp_path / "story.html.gz"
    path.write_bytes(STORY)

    error = read_error(path)

    assert (error.code, error.message) == ("bad_gzip", "not a gzip stream (no gzip header)")


def test_gz_expanding_past_the_cap_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 5_000_000))

    error = read_error(path)

    assert (error.code, error.message) == ("too_large", "file expands to more than 200000 bytes")


def test_file_over_the_cap_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    path.write_bytes(b"x" * 100_001)

    error = read_error(path)

    assert (error.code, error.message) == (
        "too_large",
        "file larger than 100000 bytes (100001 bytes)",
    )


@pytest.mark.parametrize(
    ("content", "message"), [(b"", "file is empty"), (b" \n\t\n", "file is only whitespace")]
)
def test_empty_file_is_empty_input(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(content)

    error = read_error(path)

    assert (error.code, error.message) == ("empty_input", message)


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "story.html"

    error = read_error(path)

    assert (error.code, error.message) == ("not_found", f"no such file: {path}")


def test_directory_is_not_a_readable_file(tmp_path: Path) -> None:
    error = read_error(tmp_path)

    assert (error.code, error.message) == ("unreadable", f"not a regular file: {tmp_path}")


def jsonl(*records: object) -> bytes:
    return b"".join(
        (r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in records
    )


def test_jsonl_bad_line_in_the_middle_does_not_stop_the_rest() -> None:
    dump = jsonl(
        {"id": 1, "url": "https://news.example/a", "html": "<p>first</p>", "title": "A"},
        b"{not json",
        b"",
        {"id": "b-2", "text": "second", "published": "2024-01-02"},
    )

    first, bad, second = iter_jsonl(io.BytesIO(dump), "dump.jsonl", FAST)

    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert (first.source, first.input_id, first.url, first.title) == (
        "dump.jsonl:1",
        "1",
        "https://news.example/a",
        "A",
    )
    assert (first.content, first.content_type, first.encoding) == (b"<p>first</p>", "html", "utf-8")
    assert isinstance(bad, Failure)
    assert (bad.source, bad.code) == ("dump.jsonl:2", "bad_jsonl")
    assert bad.message.startswith("not JSON: ")
    assert (second.source, second.input_id) == ("dump.jsonl:4", "b-2")
    assert (second.content, second.content_type) == (b"second", "text")
    assert second.published == "2024-01-02"


@pytest.mark.parametrize(
    ("line", "message", "input_id"),
    [
        (b"[1, 2]", "not a JSON object (a list)", None),
        (b'{"id": 9, "url": "u"}', 'record has neither "html" nor "text"', "9"),
        (b'{"id": 3, "html": 42}', '"html" must be a string, not int', "3"),
        (b'{"id": [1], "text": "x"}', '"id" must be a string or a number, not list', None),
        (b'{"text": "\xff\xfe"}', None, None),
    ],
)
def test_jsonl_bad_records_name_the_problem(
    line: bytes, message: str | None, input_id: str | None
) -> None:
    (failure,) = iter_jsonl([line], "dump.jsonl", FAST)

    assert isinstance(failure, Failure)
    assert (failure.source, failure.code, failure.input_id) == (
        "dump.jsonl:1",
        "bad_jsonl",
        input_id,
    )
    if message is not None:
        assert failure.message == message


def test_jsonl_line_over_the_cap_is_skipped_without_reading_it_whole() -> None:
    settings = replace(FAST, max_document_bytes=1000)
    dump = jsonl({"text": "x" * 5000}, {"id": "after", "text": "kept"})

    oversized, kept = iter_jsonl(io.BytesIO(dump), "dump.jsonl", settings)

    assert isinstance(oversized, Failure)
    assert (oversized.source, oversized.message) == ("dump.jsonl:1", "line longer than 1000 bytes")
    assert isinstance(kept, RawDocument)
    assert (kept.source, kept.input_id, kept.content) == ("dump.jsonl:2", "after", b"kept")


def test_truncated_jsonl_gz_keeps_what_came_before(tmp_path: Path) -> None:
    records = [{"id": n, "text": f"story {n} " + "words " * 200} for n in range(200)]
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl(*records))[:-200])

    items = list(iter_jsonl_file(path, FAST))

    documents, failure = items[:-1], items[-1]
    assert [d.input_id for d in documents] == [str(n) for n in range(len(documents))]
    assert len(documents) > 100
    assert isinstance(failure, Failure)
    assert (failure.code, failure.message) == ("bad_gzip", "truncated gzip stream")
    assert failure.source == f"{path}:{len(documents) + 1}"


def test_jsonl_without_records_is_empty_input() -> None:
    (failure,) = iter_jsonl(io.BytesIO(b"\n\n  \n"), "dump.jsonl", FAST)

    assert isinstance(failure, Failure)
    assert (failure.source, failure.code, failure.message) == (
        "dump.jsonl",
        "empty_input",
        "no JSON lines",
    )


def test_missing_jsonl_file_is_not_found(tmp_path: Path) -> None:
    (failure,) = iter_jsonl_file(tmp_path / "gone.jsonl", FAST, "gone.jsonl")

    assert isinstance(failure, Failure)
    assert (failure.source, failure.code) == ("gone.jsonl", "not_found")
