"""WARC archives built in tests with warcio's writer: pages, and the other records crawls hold."""

from __future__ import annotations

import gzip
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass
class Built:
    """An archive's bytes and where each record starts (``kinds[i]`` says what record i is)."""

    data: bytes
    offsets: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)


def page(n: int) -> bytes:
    """An HTML news page with its own text, long enough to be an article."""
    body = " ".join(
        f"Story {n}: the council of town {n} met on day {n % 28 + 1} and voted {k} times."
        for k in range(6)
    )
    return f"<html><head><title>Story {n}</title></head><body><p>{body}</p></body></html>".encode()


def mixed_archive(pages: int, *, gzipped: bool, start: int = 0) -> Built:
    """``pages`` HTML pages, with a request before each, and every 5th page followed by an
    image, a redirect, a 404 and a page with no text (a ``no_text`` failure)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    built = Built(b"")

    def write(url: str, kind: str, label: str, http: StatusAndHeaders, payload: bytes) -> None:
        built.offsets.append(out.tell())
        built.kinds.append(label)
        record = writer.create_warc_record(
            url, kind, payload=io.BytesIO(payload), http_headers=http,
            warc_headers_dict={"WARC-Date": "2024-03-01T10:00:00Z"},
        )  # fmt: skip
        writer.write_record(record)

    for n in range(start, start + pages):
        url = f"https://news.example/{n}"
        request = StatusAndHeaders(f"GET /{n} HTTP/1.1", [("Host", "news.example")],
                                   is_http_request=True)  # fmt: skip
        write(url, "request", "request", request, b"")
        write(url, "response", "page", response("200 OK", "text/html; charset=utf-8"), page(n))
        if n % 5 == 0:
            write(url + ".png", "response", "image", response("200 OK", "image/png"), b"\x89PNG")
            moved = response("301 Moved Permanently", "text/html", [("Location", url + "/")])
            write(url + "/old", "response", "redirect", moved, b"<p>moved</p>")
            write(url + "/gone", "response", "404", response("404 Not Found", "text/html"),
                  b"<p>gone</p>")  # fmt: skip
            write(url + "/empty", "response", "empty", response("200 OK", "text/html"),
                  b"<html><body></body></html>")  # fmt: skip
    built.data = out.getvalue()
    return built


def response(status: str, media: str | None, extra: list[tuple[str, str]] | None = None
             ) -> StatusAndHeaders:  # fmt: skip
    headers = [("Content-Type", media)] if media is not None else []
    return StatusAndHeaders(status, [*headers, *(extra or [])], protocol="HTTP/1.1")


def single_record(url: str, http: StatusAndHeaders, payload: bytes, *, gzipped: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                       http_headers=http)  # fmt: skip
    writer.write_record(record)
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def whole_file_gzip(plain: bytes) -> bytes:
    """A plain WARC gzipped as one member, as ``gzip crawl.warc`` makes it."""
    return gzip.compress(plain)


def article_page(title: str, text: str) -> bytes:
    """An HTML article page: the title as its heading, each line of ``text`` a paragraph."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line)
    return (
        f"<html><head><title>{html.escape(title)}</title></head><body><article>"
        f"<h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>"
    ).encode()


def article_archive(path: Path, pages: list[tuple[str, str, str]]) -> Path:
    """A gzipped WARC at ``path`` of ``article_page`` responses, one per (url, title, text)."""
    ok = response("200 OK", "text/html; charset=utf-8")
    data = b"".join(
        single_record(url, ok, article_page(title, text), gzipped=True)
        for url, title, text in pages
    )
    return write(path, data)
