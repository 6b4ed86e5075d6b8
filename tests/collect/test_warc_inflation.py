"""A gzipped WARC that inflates past ``max_warc_expansion``: it ends there, the rest is kept."""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import replace
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.collect.conftest import FAST
from wirewatch.collect import iter_warc
from wirewatch.collect.warc import ResumePoint, iter_warc_stream, read_archive
from wirewatch.model import Failure, RawDocument

PAGE = b"<html><p>" + b"NATO ministers met in Brussels on Tuesday. " * 30 + b"</p></html>"


def record(url: str) -> bytes:
    out = io.BytesIO()
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer = WARCWriter(out, gzip=True)
    writer.write_record(
        writer.create_warc_record(url, "response", payload=io.BytesIO(PAGE), http_headers=http)
    )
    return out.getvalue()


def bomb(megabytes: int) -> bytes:
    """One gzip member of blank lines: ``megabytes`` MB from about a thousandth of that."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    line = b"\r\n" * (1 << 19)
    return b"".join(packer.compress(line) for _ in range(megabytes)) + packer.flush()


def archive(tmp_path: Path, *parts: bytes) -> tuple[Path, list[int]]:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(parts))
    offsets, at = [], 0
    for part in parts:
        offsets.append(at)
        at += len(part)
    return path, offsets


def inflated(message: str) -> tuple[int, int]:
    found = re.search(r"inflates to (\d+) bytes from (\d+) compressed", message)
    assert found, message
    return int(found[1]), int(found[2])


def test_a_bomb_ends_the_archive_after_the_records_before_it(tmp_path: Path) -> None:
    path, (_, at_bomb, _) = archive(
        tmp_path, record("https://a.example/1"), bomb(300), record("https://a.example/2")
    )
    settings = replace(FAST, max_document_bytes=100_000)

    first, failure = iter_warc(path, settings, source="crawl.warc.gz")

    assert isinstance(first, RawDocument) and first.url == "https://a.example/1"
    assert isinstance(failure, Failure)
    assert (failure.source, failure.code) == (f"crawl.warc.gz@{at_bomb}", "too_large")
    assert "max_warc_expansion (100 times)" in failure.message
    # FastWARC was stopped within a megabyte of the cap, not after the bomb's 300 MB.
    out, compressed = inflated(failure.message)
    assert out <= 100_000 + (1 << 20) + 100 * compressed + (1 << 20)


def test_the_cap_is_a_setting(tmp_path: Path) -> None:
    """Allowed a larger ratio, the same archive is read through: blank lines hold no record."""
    path, _ = archive(
        tmp_path, record("https://a.example/1"), bomb(20), record("https://a.example/2")
    )
    settings = replace(FAST, max_warc_expansion=10_000)

    items = list(iter_warc(path, settings))

    assert [item.url for item in items if isinstance(item, RawDocument)] == [
        "https://a.example/1",
        "https://a.example/2",
    ]
    assert not [item for item in items if isinstance(item, Failure)]


def test_an_ordinary_archive_is_read_whole_under_the_cap(tmp_path: Path) -> None:
    """2,000 records inflating 4.6 times: read whole at a ratio of 20, stopped at 2."""
    one = record("https://a.example/1")
    path, _ = archive(tmp_path, *[one] * 2000)

    ample = list(iter_warc(path, replace(FAST, max_document_bytes=2_000, max_warc_expansion=20)))
    tight = list(iter_warc(path, replace(FAST, max_document_bytes=2_000, max_warc_expansion=2)))

    assert len(ample) == 2000 and all(isinstance(item, RawDocument) for item in ample)
    assert 0 < len(tight) < 2000 and isinstance(tight[-1], Failure)
    assert tight[-1].code == "too_large"


def test_resuming_before_a_bomb_stops_at_it_again(tmp_path: Path) -> None:
    first = record("https://a.example/1")
    path, (_, at_second, at_bomb) = archive(
        tmp_path, first, record("https://a.example/2"), bomb(200)
    )
    records = list(read_archive(path, FAST))
    resume = ResumePoint(records[0].offset, 1, records[0].record_id)

    again = list(read_archive(path, FAST, resume=resume))

    assert [r.offset for r in again] == [at_second, at_bomb]
    assert isinstance(again[0].item, RawDocument)
    assert again[1].ends and isinstance(again[1].item, Failure)
    assert again[1].item.code == "too_large"


def test_a_bomb_on_standard_input_is_capped_too(tmp_path: Path) -> None:
    stream = io.BytesIO(record("https://a.example/1") + bomb(200))

    first, failure = iter_warc_stream(stream, "-", FAST)

    assert isinstance(first, RawDocument)
    assert isinstance(failure, Failure) and failure.code == "too_large"
