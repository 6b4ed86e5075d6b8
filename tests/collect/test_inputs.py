"""iter_documents: every kind of input, in order, with one bad input never hiding the others."""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import wirewatch.collect
from tests.collect.conftest import FAST
from tests.support.httpserver import LocalServer, html
from wirewatch.collect import Fetcher, inputs, iter_documents
from wirewatch.model import Failure, RawDocument
from wirewatch.settings import Settings

OFFLINE = replace(FAST, feed_fetch_pages=False)
STORY = b"<html><body><p>NATO chief Jens Stoltenberg pledged support in Kiev.</p></body></html>"
FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
    b"<item><title>One</title><link>http://news.example/1</link>"
    b"<description>&lt;p&gt;First.&lt;/p&gt;</description></item>"
    b"<item><title>Two</title><link>http://news.example/2</link>"
    b"<description>&lt;p&gt;Second.&lt;/p&gt;</description></item>"
    b"</channel></rss>"
)


def summary(items: list[RawDocument | Failure]) -> list[tuple[str, str | None]]:
    """(source, content_type) for documents, (source, "!code") for failures."""
    return [
        (i.source, f"!{i.code}") if isinstance(i, Failure) else (i.source, i.content_type)
        for i in items
    ]


def warc_bytes() -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://news.example/kyiv", "response", payload=io.BytesIO(STORY), http_headers=http
    )
    writer.write_record(record)
    return out.getvalue()


def test_public_names() -> None:
    assert set(wirewatch.collect.__all__) == {
        "Fetcher",
        "iter_documents",
        "iter_feed",
        "iter_jsonl",
        "iter_jsonl_file",
        "iter_warc",
        "iter_warc_stream",
        "looks_like_feed",
        "parse_feed",
        "read_bytes",
        "read_stream",
    }
    assert all(callable(getattr(wirewatch.collect, name)) for name in wirewatch.collect.__all__)


def test_stdin_html_is_one_document() -> None:
    (document,) = iter_documents(["-"], OFFLINE, stdin=io.BytesIO(STORY))

    assert isinstance(document, RawDocument)
    assert (document.source, document.url, document.content_type) == ("-", None, "html")
    assert document.content == STORY


def test_stdin_jsonl_is_read_line_by_line() -> None:
    dump = b'{"id": "a", "text": "First."}\n{"id": "b", "html": "<p>Second.</p>"}\n'

    items = list(iter_documents(["-"], OFFLINE, stdin=io.BytesIO(dump)))

    assert summary(items) == [("-:1", "text"), ("-:2", "html")]
    assert [i.input_id for i in items] == ["a", "b"]


def test_stdin_gzipped_text_is_gunzipped() -> None:
    text = b"KIEV (AFP) - NATO chief pledged support on Monday."

    (document,) = iter_documents(["-"], OFFLINE, stdin=io.BytesIO(gzip.compress(text)))

    assert isinstance(document, RawDocument)
    assert (document.content, document.content_type) == (text, None)


def test_stdin_warc_is_streamed() -> None:
    (document,) = iter_documents(["-"], OFFLINE, stdin=io.BytesIO(warc_bytes()))

    assert isinstance(document, RawDocument)
    assert (document.source, document.url, document.content) == (
        "-@0",
        "https://news.example/kyiv",
        STORY,
    )


def test_empty_stdin_is_empty_input() -> None:
    (failure,) = iter_documents(["-"], OFFLINE, stdin=io.BytesIO(b""))

    assert isinstance(failure, Failure)
    assert (failure.source, failure.code, failure.message) == (
        "-",
        "empty_input",
        "standard input is empty",
    )


def test_directory_gives_its_files_recursively_in_sorted_order(tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b.html").write_bytes(STORY)
    (root / "a.txt").write_bytes(b"Plain wire copy.")
    (root / "sub" / "c.htm").write_bytes(STORY)
    (root / "notes.dat").write_bytes(b"no markup here")
    (root / ".hidden.html").write_bytes(STORY)
    (root / ".git" / "index.html").write_bytes(STORY)
    (root / "zz.txt").write_bytes(b"")

    items = list(iter_documents([f"{root}/"], OFFLINE))

    assert summary(items) == [
        (f"{root}/a.txt", "text"),
        (f"{root}/b.html", "html"),
        (f"{root}/notes.dat", None),
        (f"{root}/sub/c.htm", "html"),
        (f"{root}/zz.txt", "!empty_input"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("story.xhtml", b"plain words", "html"),
        ("story", b"\n<p>Kyiv</p>", "html"),
        ("story.dat", b"Kyiv, Monday.", None),
        ("story.txt", b"<p> is how HTML marks a paragraph.", "text"),
    ],
)
def test_file_kind_comes_from_the_name_then_the_bytes(
    tmp_path: Path, name: str, content: bytes, kind: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    (document,) = iter_documents([str(path)], OFFLINE)

    assert isinstance(document, RawDocument)
    assert (document.source, document.content, document.content_type) == (str(path), content, kind)


def test_gzipped_html_file_keeps_its_kind(tmp_path: Path) -> None:
    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress(b"Kyiv, Monday."))

    (document,) = iter_documents([str(path)], OFFLINE)

    assert isinstance(document, RawDocument)
    assert (document.content, document.content_type) == (b"Kyiv, Monday.", "html")


def test_warc_is_recognised_by_its_bytes_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "capture.bin"
    path.write_bytes(warc_bytes())

    (document,) = iter_documents([str(path)], OFFLINE)

    assert isinstance(document, RawDocument)
    assert (document.source, document.url) == (f"{path}@0", "https://news.example/kyiv")


def test_one_bad_input_leaves_the_others_intact_and_in_order(tmp_path: Path) -> None:
    good = tmp_path / "good.html"
    good.write_bytes(STORY)
    feed = tmp_path / "wire.xml"
    feed.write_bytes(FEED)
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(b'{"text": "ok"}\nnot json\n{"text": "also ok"}\n')
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(gzip.compress(b"words " * 500)[:-10])
    last = tmp_path / "last.txt"
    last.write_bytes(b"The last story.")
    names = [str(good), str(tmp_path / "missing.html"), str(feed), str(dump), str(cut), str(last)]

    items = list(iter_documents(names, OFFLINE))

    assert summary(items) == [
        (str(good), "html"),
        (str(tmp_path / "missing.html"), "!not_found"),
        (f"{feed}#1", "html"),
        (f"{feed}#2", "html"),
        (f"{dump}:1", "text"),
        (f"{dump}:2", "!bad_jsonl"),
        (f"{dump}:3", "text"),
        (str(cut), "!bad_gzip"),
        (str(last), "text"),
    ]
    contents = [i.content for i in items if isinstance(i, RawDocument)]
    assert contents[1] == b"<p>First.</p>"  # the feed's first entry
    assert contents[-1] == b"The last story."


def test_unexpected_error_in_one_input_is_an_internal_error_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cursed, fine = tmp_path / "cursed.html", tmp_path / "fine.html"
    cursed.write_bytes(STORY)
    fine.write_bytes(STORY)
    real_read_bytes = inputs.read_bytes

    def read_bytes(path: Path, settings: Settings) -> bytes:
        if path.name == "cursed.html":
            raise RuntimeError("disk said\nsomething odd")
        return real_read_bytes(path, settings)

    monkeypatch.setattr(inputs, "read_bytes", read_bytes)

    failure, document = iter_documents([str(cursed), str(fine)], OFFLINE)

    assert isinstance(failure, Failure)
    assert (failure.source, failure.code, failure.message) == (
        str(cursed),
        "internal_error",
        "RuntimeError: disk said something odd",
    )
    assert isinstance(document, RawDocument) and document.source == str(fine)


def test_url_inputs_use_a_fetcher_made_on_demand_and_closed_after(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.route("/kyiv", html(STORY))
    made: list[Fetcher] = []
    closed: list[Fetcher] = []

    class RecordingFetcher(Fetcher):
        def __init__(self, settings: Settings) -> None:
            super().__init__(settings)
            made.append(self)

        def close(self) -> None:
            closed.append(self)
            super().close()

    monkeypatch.setattr(inputs, "Fetcher", RecordingFetcher)

    items = list(iter_documents([server.url("/kyiv"), server.url("/gone")], FAST))

    page, gone = items
    assert isinstance(page, RawDocument)
    assert (page.source, page.url, page.content) == (
        server.url("/kyiv"),
        server.url("/kyiv"),
        STORY,
    )
    assert isinstance(gone, Failure)
    assert (gone.source, gone.code, gone.message) == (
        server.url("/gone"),
        "http_status",
        "HTTP 404 Not Found",
    )
    assert len(made) == 1 and closed == made


def test_given_fetcher_is_left_open_for_the_caller(server: LocalServer) -> None:
    server.route("/kyiv", html(STORY))

    with Fetcher(FAST) as fetcher:
        list(iter_documents([server.url("/kyiv")], FAST, fetcher))
        again = fetcher.fetch(server.url("/kyiv"))

    assert again.content == STORY


def test_other_schemes_are_bad_urls() -> None:
    (failure,) = iter_documents(["ftp://files.example/wire.xml"], OFFLINE)

    assert isinstance(failure, Failure)
    assert (failure.source, failure.code) == ("ftp://files.example/wire.xml", "bad_url")


def test_jsonl_gz_file_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "dump.ndjson.gz"
    lines = [json.dumps({"id": n, "text": f"story {n}"}) for n in range(3)]
    path.write_bytes(gzip.compress("\n".join(lines).encode()))

    items = list(iter_documents([str(path)], OFFLINE))

    assert all(isinstance(i, RawDocument) for i in items)
    assert [(i.source, i.input_id, getattr(i, "content", None)) for i in items] == [
        (f"{path}:{n + 1}", str(n), f"story {n}".encode()) for n in range(3)
    ]
