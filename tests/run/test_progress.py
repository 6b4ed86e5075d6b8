"""Progress: totals known before reading, plain periodic lines off a terminal, quiet."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from wirewatch.run.progress import Progress, count_documents


def test_totals_are_counted_for_files_directories_and_jsonl(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_text("<p>One.</p>", encoding="utf-8")
    (folder / "b.txt").write_text("Two.", encoding="utf-8")
    (folder / ".hidden").write_text("not news", encoding="utf-8")
    lines = tmp_path / "records.jsonl"
    lines.write_text('{"text": "a"}\n\n{"text": "b"}\n{"text": "c"}\n', encoding="utf-8")
    packed = tmp_path / "more.jsonl.gz"
    packed.write_bytes(gzip.compress(b'{"text": "d"}\n{"text": "e"}\n'))
    assert count_documents([str(folder), str(lines), str(packed)]) == 2 + 3 + 2


def test_no_total_where_only_reading_tells(tmp_path: Path) -> None:
    feed = tmp_path / "news"
    feed.write_text("<?xml version='1.0'?><rss version='2.0'><channel></channel></rss>")
    assert count_documents([str(feed)]) is None
    assert count_documents(["-"]) is None
    assert count_documents(["https://example.org/news"]) is None


def test_off_a_terminal_a_plain_line_comes_every_interval() -> None:
    stream = io.StringIO()
    progress = Progress(4, stream=stream, interval=0.0)
    progress.tick(articles=1, copies=0, failures=0)
    progress.tick(articles=1, copies=1, failures=1)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[-1].startswith("ingest: 2/4 documents, ")
    assert "left" in lines[-1]
    assert lines[-1].endswith("1 articles, 1 copies, 1 failures")


def test_quiet_says_nothing() -> None:
    stream = io.StringIO()
    progress = Progress(None, stream=stream, quiet=True, interval=0.0)
    progress.tick(articles=1, copies=0, failures=0)
    progress.close()
    assert stream.getvalue() == ""


def test_on_a_terminal_listing_lines_go_above_the_bar() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream, out = Terminal(), io.StringIO()
    with Progress(3, stream=stream) as progress:
        progress.tick(articles=1, copies=0, failures=0)
        progress.write("abc123  example.org  120w  A headline", file=out)
    assert out.getvalue() == "abc123  example.org  120w  A headline\n"
    assert "1/3" in stream.getvalue()
    assert "1 articles, 0 copies, 0 failures" in stream.getvalue()
