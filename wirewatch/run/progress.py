"""Progress of a run a person can read, on stderr.

On a terminal: one bar, with a total when the inputs tell it beforehand (files, the files of a
directory, the lines of a JSONL file), the rate, the time left, and the articles, copies and
failures so far; listing lines go above the bar (``Progress.write``), never through it. When
stderr is not a terminal (a log, a pipe, cron), one plain line every ``interval`` seconds
instead. Quiet: nothing.
"""

from __future__ import annotations

import gzip
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from wirewatch.collect.feeds import looks_like_feed
from wirewatch.collect.sniff import looks_like_warc

_WARC = (".warc", ".warc.gz", ".arc", ".arc.gz")
_JSONL = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_FEEDS = (".xml", ".rss", ".atom", ".rdf", ".opml")
_URL_OR_STDIN = ("http://", "https://")


def count_documents(inputs: Iterable[str]) -> int | None:
    """How many documents ``inputs`` hold, when that is known before reading them; else None.

    A file is one document, a directory its files, a JSONL file its non-empty lines. URLs,
    standard input, feeds, sitemaps and WARC files say only as they are read: None.
    """
    total = 0
    for name in inputs:
        if name == "-" or name.startswith(_URL_OR_STDIN):
            return None
        path = Path(name)
        if path.is_dir():
            for folder, subfolders, files in os.walk(path):
                subfolders[:] = [d for d in subfolders if not d.startswith(".")]
                for file in files:
                    if file.startswith("."):
                        continue
                    count = _count_file(Path(folder) / file)
                    if count is None:
                        return None
                    total += count
        else:
            count = _count_file(path)
            if count is None:
                return None
            total += count
    return total


def _count_file(path: Path) -> int | None:
    lower = path.name.lower()
    if lower.endswith(_WARC) or lower.removesuffix(".gz").endswith(_FEEDS):
        return None
    try:
        if lower.endswith(_JSONL):
            opener: Any = gzip.open if lower.endswith(".gz") else open
            with opener(path, "rb") as handle:
                return sum(1 for line in handle if line.strip())
        with path.open("rb") as handle:
            head = handle.read(4096)
    except (OSError, EOFError, gzip.BadGzipFile):
        return 1  # it fails as one document
    if looks_like_warc(head) or looks_like_feed(head):
        return None
    return 1


class Progress:
    """Counts a run's results and shows them; ``tick`` after each stored result."""

    def __init__(
        self,
        total: int | None,
        *,
        quiet: bool = False,
        stream: TextIO | None = None,
        interval: float = 10.0,
        label: str = "ingest",
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.quiet = quiet
        self.interval = interval
        self.label = label
        self.done = self.articles = self.copies = self.failures = 0
        self._started = time.monotonic()
        self._last_line = self._started
        self._bar: Any = None
        if not quiet and _isatty(self.stream):
            from tqdm import tqdm

            self._bar = tqdm(
                total=total,
                unit="doc",
                desc=label,
                file=self.stream,
                leave=False,
                dynamic_ncols=True,
                mininterval=0.2,
            )
            self._bar.set_postfix_str(self._counts(), refresh=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def tick(self, *, articles: int, copies: int, failures: int) -> None:
        """One more document done; the counts are the run's totals so far."""
        self.done += 1
        self.articles, self.copies, self.failures = articles, copies, failures
        if self._bar is not None:
            self._bar.set_postfix_str(self._counts(), refresh=False)
            self._bar.update(1)
            if self.done == 1:  # shown at once, whatever the bar's refresh interval
                self._bar.refresh()
        elif not self.quiet:
            now = time.monotonic()
            if now - self._last_line >= self.interval:
                self._last_line = now
                print(self.line(now), file=self.stream, flush=True)

    def write(self, text: str, file: TextIO | None = None) -> None:
        """A listing line (to stdout by default), above the bar when there is one."""
        out = file if file is not None else sys.stdout
        if self._bar is not None:
            self._bar.write(text, file=out)
        else:
            print(text, file=out, flush=True)

    def line(self, now: float | None = None) -> str:
        """The plain progress line: done (of total), rate, time left, counts."""
        elapsed = max((now or time.monotonic()) - self._started, 1e-9)
        rate = self.done / elapsed
        done = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        parts = [f"{self.label}: {done} documents", f"{rate:.1f} docs/s"]
        if self.total is not None and rate > 0 and self.total >= self.done:
            parts.append(f"about {_duration((self.total - self.done) / rate)} left")
        parts.append(self._counts())
        return ", ".join(parts)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _counts(self) -> str:
        return f"{self.articles} articles, {self.copies} copies, {self.failures} failures"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _duration(seconds: float) -> str:
    """Seconds as a person reads them.

    >>> _duration(75)
    '1m15s'
    """
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"
