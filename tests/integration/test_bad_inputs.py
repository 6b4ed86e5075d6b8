"""Bad input is normal input: each broken input costs one failure, never the run.

Every test runs ``wirewatch ingest GOOD BAD GOOD2`` through the CLI, in process, into a fresh
store, and checks what a user sees: exit code 1, one line on stderr naming the bad input and
its cause (no traceback), a failure row with the input, stage and code, both good articles
stored with their exact text, and a second ingest of the same inputs that changes nothing
already stored. Bad inputs are generated in ``tmp_path``; URLs point at a local server.
"""

from __future__ import annotations

import gzip
import io
import multiprocessing
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import wirewatch.collect.feeds as feeds
import wirewatch.run.pool as pool
from tests.support.httpserver import LocalServer, Reply, html, redirect
from wirewatch.cli import main
from wirewatch.model import Article, Failure, RawDocument
from wirewatch.serialize import article_to_dict
from wirewatch.settings import Settings
from wirewatch.store import Store

GOOD_TEXT = (
    "HARWICK, June 3 - The harbour council voted on Tuesday to extend the north pier by forty "
    "metres, ending a dispute with ferry operators that had lasted more than two years.\n"
    '"The boats are bigger than the pier was built for," said council chair Miriam Osei, adding '
    "that work would begin in September.\n"
    "The extension will cost about 4.2 million crowns, to be shared between the council and the "
    "port authority."
)
GOOD2_TEXT = (
    "PORT IDRIS, June 4 - Engineers reopened the Castavia river bridge to lorries on Wednesday "
    "after a month of repairs to its steel bearings.\n"
    "Transport minister Ilias Varga said the bridge would carry up to 9,000 vehicles a day once a "
    "second lane reopens in July.\n"
    "Haulage firms had complained that the closure added two hours to the run between the port "
    "and the capital."
)
# Short network limits, so a server that never answers costs about a second.
FAST_HTTP = ("http_read_timeout=1", "http_total_timeout=2", "http_connect_timeout=1")


# Running the CLI and reading the store


def ingest(db: Path, inputs: Sequence[str], settings: Sequence[str] = ()) -> Result:
    """``wirewatch --db DB -q [--set ...] ingest INPUTS``; a crash fails the test as a crash."""
    args = ["--db", str(db), "-q"]
    for setting in settings:
        args += ["--set", setting]
    result = CliRunner().invoke(main, [*args, "ingest", *inputs])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@dataclass
class Snapshot:
    counts: dict[str, int]
    articles: list[dict[str, Any]]
    failures: list[Failure]

    @property
    def texts(self) -> dict[str, str]:
        return {article["source"]: article["text"] for article in self.articles}

    def without_failures(self) -> dict[str, int]:
        return {name: n for name, n in self.counts.items() if name != "failures"}


def snapshot(db: Path) -> Snapshot:
    with Store.open(db) as store:
        return Snapshot(
            counts=store.counts(),
            articles=[article_to_dict(a) for a in store.iter_articles()],
            failures=store.failures(limit=1000),
        )


def stderr_lines(result: Result) -> list[str]:
    return result.stderr.splitlines()


def write_goods(folder: Path) -> tuple[str, str]:
    good, good2 = folder / "harbour.txt", folder / "bridge.txt"
    good.write_text(GOOD_TEXT + "\n", encoding="utf-8")
    good2.write_text(GOOD2_TEXT + "\n", encoding="utf-8")
    return str(good), str(good2)


@dataclass
class Outcome:
    first: Result
    second: Result
    line: str  # the one stderr line of the first run
    after_first: Snapshot
    after_second: Snapshot


def check_one_bad_input(
    tmp_path: Path,
    bad: str,
    *,
    stage: str,
    code: str,
    phrase: str,
    source: str | None = None,
    settings: Sequence[str] = (),
    also_stored: dict[str, str] | None = None,
) -> Outcome:
    """Ingest GOOD BAD GOOD2 twice and check everything a user relies on.

    ``source`` is what the failure names when it is not ``bad`` itself (a WARC record's
    ``path@offset``); ``also_stored`` maps sources to texts of articles the bad input still
    yields (the complete records of a truncated archive).
    """
    source = source or bad
    good, good2 = write_goods(tmp_path)
    db = tmp_path / "store.db"
    inputs = [good, bad, good2]

    first = ingest(db, inputs, settings)

    assert first.exit_code == 1, first.output
    assert "Traceback" not in first.output
    (line,) = stderr_lines(first)
    assert line.startswith(f"{source}: {stage} failed [{code}]: "), line
    assert phrase in line
    after_first = snapshot(db)
    (failure,) = after_first.failures
    assert (failure.source, failure.stage, failure.code) == (source, stage, code)
    assert after_first.texts == {good: GOOD_TEXT, good2: GOOD2_TEXT, **(also_stored or {})}
    stored_ids = {article["id"] for article in after_first.articles}
    assert {row.split()[0] for row in first.stdout.splitlines()} == stored_ids

    second = ingest(db, inputs, settings)

    assert second.exit_code == 1, second.output
    assert second.stdout == ""  # nothing new
    (again,) = stderr_lines(second)
    assert again.startswith(f"{source}: {stage} failed [{code}]: "), again
    after_second = snapshot(db)
    assert after_second.articles == after_first.articles
    assert after_second.without_failures() == after_first.without_failures()
    # Every attempt is a failure row: the first stays as it was, the retry is added on top.
    assert after_second.failures[1:] == after_first.failures
    newest = after_second.failures[0]
    assert (newest.source, newest.stage, newest.code) == (source, stage, code)
    return Outcome(first, second, line, after_first, after_second)


# Files


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")

    check_one_bad_input(
        tmp_path, str(empty), stage="collect", code="empty_input", phrase="file is empty"
    )


def test_whitespace_only_file(tmp_path: Path) -> None:
    blank = tmp_path / "blank.html"
    blank.write_bytes(b"  \n\r\n\t \n")

    check_one_bad_input(
        tmp_path, str(blank), stage="collect", code="empty_input", phrase="only whitespace"
    )


def png_garbage() -> bytes:
    noise = random.Random(20240603).randbytes(30_000)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", png_garbage()),
        ("garbage.bin", random.Random(7).randbytes(50_000)),
        # The user says it is a page; the bytes say otherwise.
        ("story.html", png_garbage()),
    ],
    ids=["png", "random-bytes", "png-named-html"],
)
def test_binary_garbage(tmp_path: Path, name: str, content: bytes) -> None:
    garbage = tmp_path / name
    garbage.write_bytes(content)

    check_one_bad_input(
        tmp_path, str(garbage), stage="extract", code="binary_content", phrase="binary data"
    )


def test_50_mb_page_fails_as_too_large_without_being_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = tmp_path / "huge.html"
    paragraph = b"<p>The council met again on Tuesday and talked about the pier for hours.</p>\n"
    with huge.open("wb") as out:
        out.write(b"<!DOCTYPE html><html><head><title>Pier</title></head><body><article>\n")
        out.write(paragraph * (50 * 1024 * 1024 // len(paragraph) + 1))
        out.write(b"</article></body></html>\n")
    size = huge.stat().st_size
    seen = tmp_path / "extracted.txt"
    real_extract = pool.extract

    def spy(raw: RawDocument, settings: Settings) -> Article:
        # Extraction runs in worker processes (forked with this spy in place): a file tells.
        with seen.open("a", encoding="utf-8") as out:
            out.write(raw.source + "\n")
        return real_extract(raw, settings)

    monkeypatch.setattr(pool, "extract", spy)
    # Workers forked from this process carry the patch (a fork server, used when other threads
    # run, would not).
    monkeypatch.setattr(pool, "_context", lambda: multiprocessing.get_context("fork"))

    check_one_bad_input(
        tmp_path,
        str(huge),
        stage="collect",
        code="too_large",
        phrase=f"larger than 10000000 bytes ({size} bytes)",
    )
    extracted = seen.read_text(encoding="utf-8").splitlines()
    assert extracted, "the good inputs went through the spied extractor"
    assert str(huge) not in extracted  # refused on its size, never read into the extractor


def test_truncated_gz(tmp_path: Path) -> None:
    cut = tmp_path / "story.txt.gz"
    cut.write_bytes(gzip.compress(GOOD_TEXT.replace("HARWICK", "DUNMORE").encode() * 20)[:-40])

    check_one_bad_input(
        tmp_path, str(cut), stage="collect", code="bad_gzip", phrase="truncated gzip stream"
    )


# Encodings: these are good inputs, and the text must come out exactly


ENCODED_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>{meta}<title>{title}</title></head>
<body>
<div id="nav"><a href="/">Home</a> | <a href="/world/">World</a></div>
<article>
<h1>{title}</h1>
{paragraphs}
</article>
<div id="foot"><a href="/contact/">Contact</a> | <a href="/ads/">Advertise</a></div>
</body>
</html>
"""
CP1252_LINES = [
    "DIJON, France, May 3 — Café owners in Dijon’s old town said on Friday that a new terrace "
    "tax of €1,200 a year would force some of them to close before the summer.",
    "“We pay rent, we pay staff, and now we pay for the pavement,” said Amélie Côté, who runs a "
    "brasserie on the Place François-Rude.",
    "The town council said the tax would fund repairs to the cobbles and would be reviewed in "
    "the autumn.",
]
SHIFT_JIS_LINES = [
    "東京都は３日、都内の公園で来月から夜間の照明を増やすと発表した。",
    "都の担当者は「夜でも安心して歩ける公園にしたい」と話した。",
    "工事は６月に始まり、秋までに終わる予定だという。",
]
UTF16_LINES = [
    "ZÜRICH, May 6 — Łódź and Zürich signed a tram-sharing deal on Monday, the first between a "
    "Polish and a Swiss city, officials said.",
    "„Wir lernen voneinander“, said the Zürich councillor Jürg Näf, who led the talks.",
    "The first Pesa trams built in Bydgoszcz are due in Zürich in 2026.",
]


def encoded_page(title: str, lines: list[str], *, lang: str = "en", meta: str = "") -> str:
    paragraphs = "\n".join(f"<p>{line}</p>" for line in lines)
    return ENCODED_PAGE.format(lang=lang, meta=meta, title=title, paragraphs=paragraphs)


@dataclass(frozen=True)
class EncodedPage:
    name: str
    title: str
    lines: list[str]
    encoding: str
    lang: str = "en"
    meta: str = ""

    def content(self) -> bytes:
        page = encoded_page(self.title, self.lines, lang=self.lang, meta=self.meta)
        return page.encode(self.encoding)


ENCODED_PAGES = [
    # windows-1252, declared nowhere: no header, no meta, no XML prolog
    EncodedPage("dijon.html", "Dijon café owners protest terrace tax", CP1252_LINES, "cp1252"),
    # Shift_JIS, declared in a meta tag only
    EncodedPage(
        "tokyo.html",
        "都内の公園で夜間照明を増やす",
        SHIFT_JIS_LINES,
        "shift_jis",
        lang="ja",
        meta='<meta charset="Shift_JIS">',
    ),
    # UTF-16 with a byte-order mark, and without one (big-endian)
    EncodedPage("trams.html", "Łódź and Zürich share trams", UTF16_LINES, "utf-16"),
    EncodedPage("trams-be.html", "Łódź and Zürich share trams", UTF16_LINES, "utf-16-be"),
]


@pytest.mark.parametrize("page", ENCODED_PAGES, ids=lambda page: page.encoding)
def test_pages_in_other_encodings_are_good_inputs_with_their_exact_text(
    tmp_path: Path, page: EncodedPage
) -> None:
    path = tmp_path / page.name
    path.write_bytes(page.content())
    assert page.encoding != "cp1252" or b"charset" not in path.read_bytes()
    good, good2 = write_goods(tmp_path)
    db = tmp_path / "store.db"
    inputs = [good, str(path), good2]

    first = ingest(db, inputs)

    assert (first.exit_code, first.stderr) == (0, "")
    stored = snapshot(db)
    assert stored.texts == {good: GOOD_TEXT, str(path): "\n".join(page.lines), good2: GOOD2_TEXT}
    (article,) = [a for a in stored.articles if a["source"] == str(path)]
    assert article["title"] == page.title
    assert stored.failures == []

    second = ingest(db, inputs)

    assert (second.exit_code, second.stdout, second.stderr) == (0, "", "")
    assert snapshot(db) == stored


# Containers: archives and feeds


WARC_PAGE = (
    "<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "{paragraphs}</article></body></html>"
)
WARC_FIRST_LINES = [
    "VARNA CITY, May 2 - The port of Varna handled a record 1.4 million containers last year, "
    "its operator said on Thursday, helped by new cranes on the eastern quay.",
    "Operator chief Dana Petrova said the port would hire 300 more dockworkers before the "
    "autumn season.",
]
WARC_SECOND_LINES = [
    "VARNA CITY, May 3 - Fishermen in Varna protested on Friday against a ban on night trawling "
    "that they say will halve their catch.",
    "The fisheries ministry said the ban would be reviewed after one season.",
]


def write_warc(path: Path) -> int:
    """Two HTML responses, gzipped per record; returns the second record's offset."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    offsets = []
    for slug, title, lines in (
        ("varna-port-record", "Varna port handles record container traffic", WARC_FIRST_LINES),
        ("varna-trawling-ban", "Varna fishermen protest trawling ban", WARC_SECOND_LINES),
    ):
        page = WARC_PAGE.format(
            title=title, paragraphs="".join(f"<p>{line}</p>" for line in lines)
        ).encode("utf-8")
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            f"https://varna-news.example/{slug}",
            "response",
            payload=io.BytesIO(page),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2024-05-03T09:00:00Z"},
        )
        offsets.append(out.tell())
        writer.write_record(record)
    data = out.getvalue()
    second = offsets[1]
    path.write_bytes(data[: second + (len(data) - second) // 2])  # cut inside the second record
    return second


def test_truncated_warc_keeps_the_complete_record(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.warc.gz"
    second = write_warc(crawl)

    outcome = check_one_bad_input(
        tmp_path,
        str(crawl),
        stage="collect",
        code="bad_warc",
        phrase=f"archive ends in the middle of a record at offset {second}",
        source=f"{crawl}@{second}",
        also_stored={f"{crawl}@0": "\n".join(WARC_FIRST_LINES)},
    )
    (first_record,) = [a for a in outcome.after_first.articles if a["source"] == f"{crawl}@0"]
    assert first_record["url"] == "https://varna-news.example/varna-port-record"
    assert first_record["title"] == "Varna port handles record container traffic"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "feed.xml",
            b"The harbour council met on Tuesday and voted to extend the pier by forty metres.\n"
            b"Work starts in May.\n",
        ),
        (
            "news.rss",  # what a server that lost the feed answers: its error page
            b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>"
            b"<h1>Not Found</h1><p>The requested URL /news.rss was not found on this server.</p>"
            b"</body></html>",
        ),
    ],
    ids=["prose-in-feed.xml", "html-error-page-in-news.rss"],
)
def test_a_feed_file_that_is_not_a_feed_is_bad_feed(
    tmp_path: Path, name: str, content: bytes
) -> None:
    # docs/cli.md reads feed.xml, .rss and .atom files as feeds, and docs/schema.md defines
    # bad_feed as "not a feed (HTML, prose, empty, unparseable)": a user who names a feed must
    # not find its error page stored as a news article.
    not_a_feed = tmp_path / name
    not_a_feed.write_bytes(content)

    check_one_bad_input(
        tmp_path, str(not_a_feed), stage="collect", code="bad_feed", phrase="not a feed"
    )


def billion_laughs() -> bytes:
    levels = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rss [<!ENTITY lol0 "lol">{levels}]>\n'
        '<rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>&lol9;</title><description>&lol9;</description></item>"
        "</channel></rss>"
    ).encode()


def test_entity_expansion_bomb_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "laughs.rss"
    bomb.write_bytes(billion_laughs())
    parsed: list[object] = []
    real_parse = feeds.feedparser.parse

    def spy(*args: Any, **kwargs: Any) -> Any:
        parsed.append(args)
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(feeds.feedparser, "parse", spy)

    check_one_bad_input(
        tmp_path, str(bomb), stage="collect", code="xml_bomb", phrase="entity-expansion bomb"
    )
    assert parsed == []  # no XML parser ever saw it


# URLs, against a local server


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def test_url_that_never_answers_times_out(tmp_path: Path, server: LocalServer) -> None:
    server.route("/slow", Reply(delay=60, body=b"<p>never</p>"))
    url = server.url("/slow")

    check_one_bad_input(
        tmp_path,
        url,
        stage="collect",
        code="timeout",
        phrase="no response within 1.0 s",
        settings=FAST_HTTP,
    )
    assert server.hits("/slow") == 2  # once per run, no retries piling up


def test_url_that_404s(tmp_path: Path, server: LocalServer) -> None:
    url = server.url("/news/gone")

    check_one_bad_input(
        tmp_path,
        url,
        stage="collect",
        code="http_status",
        phrase="HTTP 404 Not Found",
        settings=FAST_HTTP,
    )


def test_url_that_redirects_in_a_loop(tmp_path: Path, server: LocalServer) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect("/a"))

    check_one_bad_input(
        tmp_path,
        server.url("/a"),
        stage="collect",
        code="too_many_redirects",
        phrase="redirect loop: /a -> /b -> /a",
        settings=FAST_HTTP,
    )


def test_url_of_a_good_page_beside_bad_ones_is_stored(tmp_path: Path, server: LocalServer) -> None:
    # The same run with a URL that works: the URL article is stored once, by its URL.
    paragraphs = "".join(f"<p>{line}</p>" for line in GOOD_TEXT.split("\n"))
    server.route("/pier", html(f"<html><body><article>{paragraphs}</article></body></html>"))
    db = tmp_path / "store.db"
    inputs = [server.url("/pier"), server.url("/gone")]

    first = ingest(db, inputs, FAST_HTTP)
    second = ingest(db, inputs, FAST_HTTP)

    assert (first.exit_code, second.exit_code) == (1, 1)
    stored = snapshot(db)
    assert [(a["url"], a["text"]) for a in stored.articles] == [(server.url("/pier"), GOOD_TEXT)]
    gone = (server.url("/gone"), "http_status")
    assert [(f.source, f.code) for f in stored.failures] == [gone, gone]  # one row per attempt


# Extraction that takes too long


def test_pathological_extraction_costs_one_timeout(tmp_path: Path) -> None:
    # A deterministic stand-in for a page that makes the extractor crawl: a 4 MB page cannot be
    # extracted within 10 ms, so the per-document deadline must cut it off. The good inputs are
    # plain text and never reach the HTML extractor.
    slow = tmp_path / "slow.html"
    cell = "<div><span>Harwick</span> <span>pier</span> <a href='/x'>vote</a></div>\n"
    slow.write_text(
        "<!DOCTYPE html><html><head><title>Pier</title></head><body>"
        + cell * (4_000_000 // len(cell))
        + "</body></html>",
        encoding="utf-8",
    )

    check_one_bad_input(
        tmp_path,
        str(slow),
        stage="extract",
        code="extract_timeout",
        phrase="HTML extraction took longer than 0.01 s",
        settings=("extract_timeout=0.01",),
    )


# Nothing good at all


def test_a_run_of_only_bad_inputs_stores_only_failures(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    garbage = tmp_path / "photo.png"
    garbage.write_bytes(png_garbage())
    bomb = tmp_path / "laughs.rss"
    bomb.write_bytes(billion_laughs())
    cut = tmp_path / "story.txt.gz"
    cut.write_bytes(gzip.compress(GOOD_TEXT.encode() * 20)[:-40])
    missing = tmp_path / "missing.html"
    db = tmp_path / "store.db"
    inputs = [str(empty), str(garbage), str(bomb), str(cut), str(missing)]

    result = ingest(db, inputs)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert [line.split(" failed ")[0] for line in stderr_lines(result)] == [
        f"{path}: {stage}"
        for path, stage in zip(
            inputs, ["collect", "extract", "collect", "collect", "collect"], strict=True
        )
    ]
    stored = snapshot(db)
    assert stored.articles == []
    assert {name: n for name, n in stored.counts.items()} == {
        "articles": 0,
        "sites": 0,
        "entities": 0,
        "dropped_lines": 0,
        "failures": 5,
    }
    assert sorted((f.source, f.code) for f in stored.failures) == sorted(
        [
            (str(empty), "empty_input"),
            (str(garbage), "binary_content"),
            (str(bomb), "xml_bomb"),
            (str(cut), "bad_gzip"),
            (str(missing), "not_found"),
        ]
    )


def test_summary_counts_the_failures(tmp_path: Path) -> None:
    # Without -q, the summary line is the last on stderr and counts what happened.
    good, good2 = write_goods(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    db = tmp_path / "store.db"

    result = CliRunner().invoke(main, ["--db", str(db), "ingest", good, str(empty), good2])

    assert result.exit_code == 1
    failure_line, summary = stderr_lines(result)
    assert failure_line.startswith(f"{empty}: collect failed [empty_input]")
    assert summary.startswith(f"ingested 2 new article(s) into {db} in ")
    assert summary.endswith("0 duplicate(s) skipped, 1 failure(s)")
