"""One bad record costs one record: surrogates, NULs, nesting, bad URLs, bombs of newlines."""

from __future__ import annotations

import gzip
import io
import json
import resource
import time
import zlib
from pathlib import Path

from click.testing import CliRunner

from tests.collect.conftest import FAST
from tests.support.httpserver import LocalServer, Reply, html
from wirewatch.cli import main
from wirewatch.collect import iter_documents
from wirewatch.model import Article, Failure, RawDocument
from wirewatch.run.ingest import Recorder, ingest
from wirewatch.run.local import analyze_inputs
from wirewatch.settings import Settings
from wirewatch.store import Store

TEXT = "Officials in Kyiv confirmed the talks on Monday, the ministry said."


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_lone_surrogates_are_replaced_and_every_record_is_stored(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a\udc80", "url": "https://example.org/\udc80", "text": TEXT}),
        json.dumps(
            {"id": 2, "title": "Title \ud800", "published": "2024\udfff", "text": TEXT + " 2"}
        ),
        json.dumps({"id": 3, "text": TEXT + " three \udc80 more"}),
        json.dumps({"id": 4, "text": TEXT + " four"}),
    ]
    dump = write_jsonl(tmp_path / "d.jsonl", lines)
    with Store.open(":memory:") as store:
        summary = ingest([str(dump)], store, Settings(), stages="extract")
        assert summary.failures == []
        assert summary.added == 4
        stored = list(store.iter_articles())
    assert [a.input_id for a in stored] == ["a\ufffd", "2", "3", "4"]
    assert stored[0].url == "https://example.org/\ufffd"
    assert (stored[1].title, stored[1].published) == ("Title \ufffd", "2024\ufffd")
    assert "three \ufffd more" in stored[2].text


def test_a_deeply_nested_line_fails_alone(tmp_path: Path) -> None:
    deep = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = [json.dumps({"id": 1, "text": TEXT}), deep, "[1, 2]", '{"text": 7}',
             json.dumps({"id": 5, "text": TEXT + " five"})]  # fmt: skip
    results = list(analyze_inputs([str(write_jsonl(tmp_path / "d.jsonl", lines))],
                                  Settings(), stages="extract"))  # fmt: skip
    kinds = [(type(r).__name__, getattr(r, "code", None)) for r in results]
    assert kinds == [
        ("Article", None),
        ("Failure", "bad_jsonl"),
        ("Failure", "bad_jsonl"),
        ("Failure", "bad_jsonl"),
        ("Article", None),
    ]
    assert results[1].source.endswith(":2")


def test_a_nul_byte_is_dropped_not_fatal(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_bytes(TEXT.encode() + b"\x00 And the talks went on.")
    dump = write_jsonl(tmp_path / "d.jsonl", [json.dumps({"text": TEXT + "\u0000 More."})])
    results = list(analyze_inputs([str(page), str(dump)], Settings(), stages="extract"))
    assert all(isinstance(r, Article) for r in results), results
    assert all("\x00" not in r.text for r in results if isinstance(r, Article))


def test_a_malformed_url_is_bad_url_not_internal_error(tmp_path: Path) -> None:
    lines = [json.dumps({"url": url, "text": TEXT}) for url in
             ("http://[::1", "https://example.org:99999/a", "https://exa\nmple.org/")]  # fmt: skip
    lines.append(json.dumps({"url": "https://example.org/fine", "text": TEXT}))
    results = list(analyze_inputs([str(write_jsonl(tmp_path / "d.jsonl", lines))],
                                  Settings(), stages="extract"))  # fmt: skip
    codes = [r.code if isinstance(r, Failure) else "article" for r in results]
    assert codes == ["bad_url", "bad_url", "bad_url", "article"]


def test_a_jsonl_gz_of_newlines_stops_at_the_expansion_cap(tmp_path: Path) -> None:
    dump = tmp_path / "bomb.jsonl.gz"
    good = (json.dumps({"id": 1, "text": TEXT}) + "\n").encode()
    dump.write_bytes(gzip.compress(good + b"\n" * 50_000_000, compresslevel=9))
    started = time.monotonic()
    results = list(iter_documents([str(dump)], Settings()))
    assert time.monotonic() - started < 20
    assert isinstance(results[0], RawDocument)
    assert isinstance(results[-1], Failure) and results[-1].code == "too_large"
    assert "max_jsonl_expansion" in results[-1].message


def _gzip_bomb(head: bytes, filler: bytes, size: int) -> bytes:
    """``head`` then ``size`` bytes of ``filler``, gzipped without holding them whole."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    piece = filler * (1_000_000 // len(filler))
    out = [packer.compress(head)]
    out += [packer.compress(piece) for _ in range(size // len(piece))]
    return b"".join([*out, packer.flush()])


def test_gzipped_jsonl_on_stdin_stops_at_the_expansion_cap_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    good = (json.dumps({"id": "before", "text": TEXT}) + "\n").encode()
    # 300 MB of spaces in one line (about 300 kB gzipped), then a record never reached.
    bomb = _gzip_bomb(good, b" ", 300_000_000) + gzip.compress(b'\n{"text": "after"}\n')
    stdin = io.BytesIO(bomb)
    after = tmp_path / "after.txt"
    after.write_text(TEXT + " After the bomb.", encoding="utf-8")
    with Store.open(tmp_path / "w.db") as store:
        summary = ingest(["-", str(after)], store, Settings(), stages="extract", stdin=stdin)
        failures = store.failures(limit=10)
        assert store.counts()["articles"] == 2  # the record before the bomb, the next input
    assert len(summary.article_ids) == 2
    (failure,) = failures
    assert failure.code == "too_large" and failure.source == "-:2"
    assert "max_jsonl_expansion" in failure.message
    assert stdin.tell() < len(bomb) // 2  # stopped early, not after inflating it all


def test_blank_line_runs_keep_line_numbers(tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl.gz"
    body = b"\n" * 100_000 + b"  \n\n" + json.dumps({"text": TEXT}).encode() + b"\n"
    dump.write_bytes(gzip.compress(body))
    (document,) = list(iter_documents([str(dump)], Settings()))
    assert isinstance(document, RawDocument)
    assert document.source.endswith(":100003")


def test_a_sitemap_that_lists_nothing_fails_and_the_cli_says_so(tmp_path: Path) -> None:
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>ftp://example.org/not-a-page</loc></url></urlset>"
    )
    (failure,) = list(iter_documents([str(sitemap)], Settings()))
    assert isinstance(failure, Failure) and failure.code == "empty_sitemap"
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "ingest", str(sitemap)])
    assert result.exit_code == 1
    assert "empty_sitemap" in result.output + (result.stderr if result.stderr_bytes else "")


def test_hostile_xml_over_http_is_not_stored_as_an_article(server: LocalServer) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        b"<lolz>&lol;&lol;&lol; markup that is no article</lolz>"
    )
    server.route("/x", Reply(body=bomb, headers={"Content-Type": "application/xml"}))
    server.route("/y", Reply(body=bomb, headers={"Content-Type": "text/html"}))
    results = list(analyze_inputs([server.url("/x"), server.url("/y")], FAST, stages="extract"))
    assert [(r.stage, r.code) for r in results if isinstance(r, Failure)] == [
        ("extract", "not_html"),
        ("extract", "not_html"),
    ]


def test_a_utf8_page_declaring_utf16_decodes(server: LocalServer) -> None:
    # ASCII of even length decodes "strictly" as UTF-16 too, into CJK-looking nonsense.
    body = (
        '<html><head><meta charset="utf-16"><title>Talks</title></head><body><article>'
        f"<p>{TEXT} The talks resume next week.</p></article></body></html>"
    )
    body += " " * (len(body) % 2)
    server.route("/p", html(body, charset="utf-16"))
    (article,) = list(analyze_inputs([server.url("/p")], FAST, stages="extract"))
    assert isinstance(article, Article), article
    assert "The talks resume next week." in article.text


def test_feeds_and_archives_that_give_nothing_say_so(tmp_path: Path) -> None:
    feed = tmp_path / "empty.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title></channel></rss>'
    )
    archive = tmp_path / "images.warc"
    archive.write_bytes(
        b"WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"Content-Length: 4\r\n\r\nabcd\r\n\r\n"
    )
    results = list(iter_documents([str(feed), str(archive)], Settings()))
    assert [(r.source, r.code) for r in results if isinstance(r, Failure)] == [
        (str(feed), "empty_feed"),
        (str(archive), "no_pages"),
    ]


def test_an_article_the_store_cannot_hold_costs_that_article_only() -> None:
    bad = Article(text=TEXT, source="x:1", url="https://example.org/\udc80", title="T")
    good = Article(text=TEXT + " Again.", source="x:2", url="https://example.org/ok")
    with Store.open(":memory:") as store:
        recorder = Recorder(store)
        recorder.record(bad)
        recorder.record(good)
        recorder.finish()
        assert [f.code for f in store.failures()] == ["unstorable"]
        assert recorder.summary.added == 1


def test_a_huge_text_is_refused_before_cleaning_without_a_memory_spike(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "d.jsonl", [json.dumps({"text": "x" * 3_000_000})])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    (failure,) = list(analyze_inputs([str(dump)], Settings(), stages="extract"))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert isinstance(failure, Failure) and failure.code == "text_too_long"
    assert grown_mb < 150
