"""WARC archives (written with warcio, read with FastWARC): pages out, the rest skipped."""

from __future__ import annotations

import gzip
import io
import tracemalloc
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.collect.conftest import FAST
from wirewatch.collect import iter_warc
from wirewatch.model import Failure, RawDocument

KYIV = "<html><p>Столтенберг прибыл в Киев.</p></html>".encode("windows-1251")
BRUSSELS = b"<html><p>" + b"NATO ministers met in Brussels. " * 40 + b"</p></html>"


@dataclass
class Archive:
    """A WARC built in memory; ``pages`` maps each HTML page's record offset to its URL."""

    data: bytes
    pages: dict[int, str] = field(default_factory=dict)
    ends: list[int] = field(default_factory=list)  # where each record ends


def build(*, gzipped: bool) -> Archive:
    """2 HTML responses, a PNG, a request and a 404: the mix a crawl produces."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    archive = Archive(b"")

    def write(url: str, kind: str, http: StatusAndHeaders, payload: bytes = b"") -> int:
        record = writer.create_warc_record(
            url,
            kind,
            payload=io.BytesIO(payload),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2024-03-01T10:00:00Z"},
        )
        offset = out.tell()
        writer.write_record(record)
        archive.ends.append(out.tell())
        return offset

    def response(
        status: str, media: str, extra: list[tuple[str, str]] | None = None
    ) -> StatusAndHeaders:
        return StatusAndHeaders(
            status, [("Content-Type", media), *(extra or [])], protocol="HTTP/1.1"
        )

    request = StatusAndHeaders(
        "GET /kyiv HTTP/1.1", [("Host", "news.example")], is_http_request=True
    )
    write("https://news.example/kyiv", "request", request)
    offset = write(
        "https://news.example/kyiv",
        "response",
        response("200 OK", "text/html; charset=windows-1251"),
        KYIV,
    )
    archive.pages[offset] = "https://news.example/kyiv"
    write(
        "https://news.example/logo.png", "response", response("200 OK", "image/png"), b"\x89PNG\r\n"
    )
    write(
        "https://news.example/gone",
        "response",
        response("404 Not Found", "text/html"),
        b"<p>404</p>",
    )
    # Chunked and gzip-encoded, as servers send it and crawlers record it.
    squeezed = gzip.compress(BRUSSELS)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(squeezed), squeezed)
    encoded = [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
    offset = write(
        "https://news.example/brussels",
        "response",
        response("200 OK", "text/html", encoded),
        chunked,
    )
    archive.pages[offset] = "https://news.example/brussels"
    archive.data = out.getvalue()
    return archive


def read(tmp_path: Path, data: bytes, name: str = "crawl.warc") -> list[RawDocument | Failure]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(iter_warc(path, FAST, source=name))


@pytest.mark.parametrize("gzipped", [False, True])
def test_only_successful_html_responses_come_out(tmp_path: Path, gzipped: bool) -> None:
    archive = build(gzipped=gzipped)
    name = "crawl.warc.gz" if gzipped else "crawl.warc"

    kyiv, brussels = read(tmp_path, archive.data, name)

    assert isinstance(kyiv, RawDocument) and isinstance(brussels, RawDocument)
    assert [kyiv.source, brussels.source] == [f"{name}@{offset}" for offset in archive.pages]
    assert [kyiv.url, brussels.url] == list(archive.pages.values())
    assert (kyiv.content, kyiv.encoding, kyiv.content_type) == (KYIV, "windows-1251", "html")
    assert brussels.content == BRUSSELS  # chunking and gzip undone
    assert kyiv.fetched_at == "2024-03-01T10:00:00+00:00"
    assert kyiv.metadata["warc_record_id"].startswith("<urn:uuid:")
    assert kyiv.metadata["http_status"] == 200
    assert kyiv.headers == {"content-type": "text/html; charset=windows-1251"}


@pytest.mark.parametrize("gzipped", [False, True])
def test_archive_cut_inside_a_page_gives_the_pages_before_then_bad_warc(
    tmp_path: Path, gzipped: bool
) -> None:
    archive = build(gzipped=gzipped)
    second = list(archive.pages)[1]
    cut = second + 200  # inside the Brussels record

    items = read(tmp_path, archive.data[:cut])

    first, failure = items
    assert isinstance(first, RawDocument) and first.url == "https://news.example/kyiv"
    assert isinstance(failure, Failure)
    assert (failure.source, failure.code) == (f"crawl.warc@{second}", "bad_warc")
    assert failure.message == f"archive ends in the middle of a record at offset {second}"


@pytest.mark.parametrize("gzipped", [False, True])
def test_archive_cut_anywhere_never_yields_a_partial_page(tmp_path: Path, gzipped: bool) -> None:
    archive = build(gzipped=gzipped)
    complete = [i for i in iter_warc_bytes(tmp_path, archive.data) if isinstance(i, RawDocument)]
    # Cut at a record boundary, an archive looks whole. A plain WARC cut in the blank lines
    # after a record's content still holds every byte of that record, so it is accepted too.
    whole = set(archive.ends)
    if not gzipped:
        whole |= {end - gap for end in archive.ends for gap in range(1, 5)}

    for cut in range(1, len(archive.data)):
        items = iter_warc_bytes(tmp_path, archive.data[:cut])
        documents = [i for i in items if isinstance(i, RawDocument)]
        failures = [i for i in items if isinstance(i, Failure)]
        # Whatever came out is exactly what the whole archive gives, up to the cut.
        assert [(d.url, d.content) for d in documents] == [
            (d.url, d.content) for d in complete[: len(documents)]
        ], cut
        expected = [] if cut in whole else ["bad_warc"]
        if cut in whole and not documents:
            expected = ["no_pages"]  # whole records, but none of them a page: said so
        assert [f.code for f in failures] == expected, cut
        assert not failures or items[-1] is failures[0]


def iter_warc_bytes(tmp_path: Path, data: bytes) -> list[RawDocument | Failure]:
    path = tmp_path / "cut.warc"
    path.write_bytes(data)
    return list(iter_warc(path, FAST))


def test_not_a_warc_is_bad_warc(tmp_path: Path) -> None:
    (failure,) = read(tmp_path, b"<html><p>just a page</p></html>\n")

    assert isinstance(failure, Failure)
    assert (failure.source, failure.code) == ("crawl.warc", "bad_warc")
    assert failure.message.startswith("not a WARC file: ")


def test_empty_file_is_bad_warc(tmp_path: Path) -> None:
    (failure,) = read(tmp_path, b"")

    assert isinstance(failure, Failure)
    assert (failure.code, failure.message) == ("bad_warc", "not a WARC file: no records")


def test_oversized_page_fails_alone(tmp_path: Path) -> None:
    archive = build(gzipped=True)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(archive.data)
    settings = replace(FAST, max_document_bytes=1000)  # Brussels is 1.3 kB decoded

    kyiv, too_large = iter_warc(path, settings, source="crawl.warc.gz")

    assert isinstance(kyiv, RawDocument) and kyiv.url == "https://news.example/kyiv"
    assert isinstance(too_large, Failure)
    brussels = list(archive.pages)[1]
    assert (too_large.source, too_large.code) == (f"crawl.warc.gz@{brussels}", "too_large")
    assert too_large.message == "record larger than 1000 bytes"


def test_memory_stays_flat_on_a_large_archive(tmp_path: Path) -> None:
    page = b"<html><p>" + b"x" * 200_000 + b"</p></html>"
    path = tmp_path / "big.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n in range(40):  # 8 MB of pages
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://news.example/{n}", "response", payload=io.BytesIO(page), http_headers=http
            )
            writer.write_record(record)
    # The pages are one letter repeated, inflating 1,000 times their compressed size: allowed.
    settings = replace(FAST, max_document_bytes=300_000, max_warc_expansion=10_000)

    tracemalloc.start()
    try:
        count = 0
        for item in iter_warc(path, settings):
            assert isinstance(item, RawDocument) and len(item.content) == len(page)
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == 40
    assert peak < 3_000_000  # a few pages' worth, not the 8 MB archive


@pytest.mark.parametrize("gzipped", [False, True])
def test_corrupt_record_header_ends_the_archive_with_bad_warc(
    tmp_path: Path, gzipped: bool
) -> None:
    archive = build(gzipped=gzipped)
    broken_at = archive.ends[1]  # the PNG response's record
    data = bytearray(archive.data)
    data[broken_at : broken_at + 8] = b"GARBAGE!"

    kyiv, failure = read(tmp_path, bytes(data))

    assert isinstance(kyiv, RawDocument) and kyiv.url == "https://news.example/kyiv"
    assert isinstance(failure, Failure)
    assert (failure.source, failure.code) == (f"crawl.warc@{broken_at}", "bad_warc")
    assert failure.message.startswith("broken record (")  # FastWARC's reason, in one line
    assert failure.message.endswith(f") at offset {broken_at}")
