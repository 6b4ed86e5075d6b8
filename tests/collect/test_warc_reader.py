"""The FastWARC reader: what each kind of record gives, breaks, oversize pages, and resuming."""

from __future__ import annotations

import gzip
from dataclasses import replace
from pathlib import Path

import pytest

from tests.collect.conftest import FAST
from tests.support.warcs import (
    mixed_archive,
    page,
    response,
    single_record,
    whole_file_gzip,
    write,
)
from wirewatch.collect.warc import ArchiveRecord, ResumePoint, iter_warc, read_archive
from wirewatch.model import Failure, RawDocument


def items(path: Path, **kwargs: object) -> list[ArchiveRecord]:
    return list(read_archive(path, FAST, "crawl", **kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize("gzipped", [False, True])
def test_only_2xx_html_responses_are_pages(tmp_path: Path, gzipped: bool) -> None:
    built = mixed_archive(6, gzipped=gzipped)
    path = write(tmp_path / "crawl.warc", built.data)

    records = items(path)

    assert [r.offset for r in records] == built.offsets  # every record, in order
    assert [r.number for r in records] == list(range(1, len(built.offsets) + 1))
    pages = [r for r, kind in zip(records, built.kinds, strict=True) if kind in ("page", "empty")]
    others = [
        r for r, kind in zip(records, built.kinds, strict=True) if kind not in ("page", "empty")
    ]
    assert all(isinstance(r.item, RawDocument) for r in pages)
    assert all(r.item is None for r in others)  # requests, image, redirect, 404
    assert all(r.record_id and r.record_id.startswith("<urn:uuid:") for r in records)
    assert not any(r.ends for r in records)


def test_a_page_without_content_type_is_sniffed(tmp_path: Path) -> None:
    html = single_record("https://a.example/", response("200 OK", None), page(1), gzipped=True)
    text = single_record(
        "https://b.example/", response("200 OK", None), b"just bytes", gzipped=True
    )
    path = write(tmp_path / "crawl.warc.gz", html + text)

    first, second = [r.item for r in items(path)]

    assert isinstance(first, RawDocument) and first.url == "https://a.example/"
    assert second is None


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_wrong_content_length_breaks_the_archive_there(tmp_path: Path, gzipped: bool) -> None:
    good = single_record("https://a.example/", response("200 OK", "text/html"), page(1),
                         gzipped=False)  # fmt: skip
    bad = single_record("https://b.example/", response("200 OK", "text/html"), page(2),
                        gzipped=False)  # fmt: skip
    head, _, rest = bad.partition(b"Content-Length: ")
    length, _, rest = rest.partition(b"\r\n")
    bad = head + b"Content-Length: %d\r\n" % (int(length) + 40) + rest  # 40 bytes too many
    after = single_record("https://c.example/", response("200 OK", "text/html"), page(3),
                          gzipped=False)  # fmt: skip
    parts = [good, bad, after]
    if gzipped:
        parts = [gzip.compress(part) for part in parts]
    path = write(tmp_path / "crawl.warc", b"".join(parts))

    results = [r.item for r in items(path) if r.item is not None]

    assert isinstance(results[0], RawDocument) and results[0].url == "https://a.example/"
    failures = [r for r in results if isinstance(r, Failure)]
    assert [f.code for f in failures] == ["bad_warc"] and results[-1] is failures[0]
    assert "offset" in failures[0].message
    # The record whose length is wrong never comes out as a page holding another's bytes.
    assert all(r.content == page(1) for r in results if isinstance(r, RawDocument))


def test_an_oversize_record_fails_alone_and_reading_goes_on(tmp_path: Path) -> None:
    big = single_record("https://big.example/", response("200 OK", "text/html"),
                        b"<p>" + b"x" * 5000 + b"</p>", gzipped=True)  # fmt: skip
    small = single_record("https://a.example/", response("200 OK", "text/html"), page(1),
                          gzipped=True)  # fmt: skip
    path = write(tmp_path / "crawl.warc.gz", big + small)

    too_large, kept = iter_warc(path, replace(FAST, max_document_bytes=2000), "crawl")

    assert isinstance(too_large, Failure)
    assert (too_large.source, too_large.code) == ("crawl@0", "too_large")
    assert isinstance(kept, RawDocument) and kept.url == "https://a.example/"


def test_a_warc_gzipped_whole_is_read(tmp_path: Path) -> None:
    built = mixed_archive(3, gzipped=False)
    path = write(tmp_path / "crawl.warc.gz", whole_file_gzip(built.data))

    pages = [r.item for r in items(path) if isinstance(r.item, RawDocument)]

    assert len(pages) == len([k for k in built.kinds if k in ("page", "empty")])


def test_an_arc_file_is_refused_clearly(tmp_path: Path) -> None:
    path = write(tmp_path / "old.arc", b"filedesc://old.arc 0.0.0.0 20040101 text/plain 70\n")

    (record,) = items(path)

    assert isinstance(record.item, Failure) and record.item.code == "bad_warc"
    assert "ARC" in record.item.message and record.ends


@pytest.mark.parametrize("gzipped", [False, True])
@pytest.mark.parametrize("whole", [False, True])
def test_resuming_gives_exactly_the_records_after_the_point(
    tmp_path: Path, gzipped: bool, whole: bool
) -> None:
    built = mixed_archive(6, gzipped=gzipped and not whole)
    data = whole_file_gzip(built.data) if whole and gzipped else built.data
    path = write(tmp_path / "crawl.warc", data)
    everything = items(path)

    for stop in (1, 7, len(everything) - 1, len(everything)):
        last = everything[stop - 1]
        point = ResumePoint(last.offset, last.number, last.record_id)
        rest = items(path, resume=point)
        assert [(r.number, r.offset, r.record_id) for r in rest] == [
            (r.number, r.offset, r.record_id) for r in everything[stop:]
        ], stop


def test_resuming_a_cut_archive_ends_with_the_same_break(tmp_path: Path) -> None:
    built = mixed_archive(4, gzipped=True)
    path = write(tmp_path / "crawl.warc.gz", built.data[: built.offsets[-2] + 30])
    everything = items(path)
    assert everything[-1].ends

    last = everything[2]
    rest = items(path, resume=ResumePoint(last.offset, last.number, last.record_id))

    assert [(r.number, r.offset, r.ends) for r in rest] == [
        (r.number, r.offset, r.ends) for r in everything[3:]
    ]


@pytest.mark.parametrize("gzipped", [False, True])
def test_an_unreadable_http_header_fails_that_record_only(tmp_path: Path, gzipped: bool) -> None:
    cookie = response("200 OK", "text/html", [("Set-Cookie", "x" * 40_000)])  # over 32 KiB
    odd = single_record("https://odd.example/", cookie, page(1), gzipped=gzipped)
    fine = single_record("https://a.example/", response("200 OK", "text/html"), page(2),
                         gzipped=gzipped)  # fmt: skip
    path = write(tmp_path / "crawl.warc", odd + fine)

    failure, kept = [r.item for r in items(path)]

    assert isinstance(failure, Failure) and failure.code == "bad_http"
    assert failure.source == "crawl@0" and "HTTP header" in failure.message
    assert isinstance(kept, RawDocument) and kept.url == "https://a.example/"


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_cut_inside_a_long_http_header_is_still_a_break(tmp_path: Path, gzipped: bool) -> None:
    cookie = response("200 OK", "text/html", [("Set-Cookie", "x" * 40_000)])
    fine = single_record("https://a.example/", response("200 OK", "text/html"), page(2),
                         gzipped=gzipped)  # fmt: skip
    odd = single_record("https://odd.example/", cookie, page(1), gzipped=gzipped)
    path = write(tmp_path / "crawl.warc", fine + odd[: len(odd) // 2])

    kept, broken = [r.item for r in items(path)]

    assert isinstance(kept, RawDocument) and kept.url == "https://a.example/"
    assert isinstance(broken, Failure) and broken.code == "bad_warc"
    assert broken.source == f"crawl@{len(fine)}"
