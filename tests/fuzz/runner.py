"""Runs fuzz cases through ``ingest`` and says how wirewatch failed on each.

Each case is ingested with one good input after it (a text file of its own), into one store,
with the ``FUZZ`` settings (short caps) and no fetch allow-list. A case is:

- a **crash** when an exception escapes ``ingest`` (a traceback a user would see);
- a **hang** when it takes longer than ``case_limit`` seconds plus ``per_document`` for each
  result it gave (the caps plus slack), or is stopped by the watchdog (``watchdog`` seconds);
- **unrecorded** when the run reported failures that the store's failures table does not hold;
- **silent** when neither an article, a duplicate nor a failure came out of the hostile input;
- and the good input after it must be stored (``good_stored``).

Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import resource
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType

from tests.fuzz.cases import SENTENCE, Case
from tests.support.httpserver import LocalServer, Reply
from wirewatch.model import Article, Failure
from wirewatch.run.ingest import ingest
from wirewatch.settings import Settings
from wirewatch.store import Store

FUZZ = Settings(
    extract_timeout=5.0,
    http_connect_timeout=1.0,
    http_read_timeout=1.0,
    http_total_timeout=2.0,
    max_document_bytes=4_000_000,
    max_decompressed_bytes=10_000_000,
    sitemap_max_urls=200,
    sitemap_max_files=5,
)


@dataclass
class Outcome:
    """What happened to one case."""

    name: str
    category: str
    seconds: float
    crash: str | None = None
    hang: bool = False
    failures: int = 0
    recorded: int = 0
    articles: int = 0
    accounted: bool = True
    good_stored: bool = False
    results: int = 0  # articles and failures that came out, the good input's included
    codes: list[str] = field(default_factory=list)
    peak_mb: float = 0.0  # the process's peak resident memory after this case

    @property
    def ok(self) -> bool:
        return (
            self.crash is None
            and not self.hang
            and self.recorded == self.failures
            and self.accounted
            and self.good_stored
        )


@dataclass
class Report:
    outcomes: list[Outcome]
    peak_mb: float

    @property
    def crashes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.crash is not None]

    @property
    def hangs(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.hang]

    @property
    def unrecorded(self) -> int:
        return sum(o.failures - o.recorded for o in self.outcomes)

    @property
    def silent(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.accounted]

    @property
    def good_stored(self) -> int:
        return sum(o.good_stored for o in self.outcomes)

    def codes(self) -> Counter[str]:
        return Counter(code for o in self.outcomes for code in o.codes)


class _Hang(BaseException):
    """Raised by the watchdog in the main thread; a BaseException, so that no ``except
    Exception`` on the way (one document's guard, say) can swallow it."""


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    def fire(signum: int, frame: FrameType | None) -> None:
        raise _Hang

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_cases(
    cases: Sequence[Case],
    *,
    settings: Settings = FUZZ,
    case_limit: float = 30.0,
    per_document: float = 1.0,
    watchdog: float = 60.0,
    progress: bool = False,
) -> Report:
    """Ingest every case (then a good input) and report what happened to each."""
    outcomes: list[Outcome] = []
    with (
        tempfile.TemporaryDirectory(prefix="wirewatch-fuzz-") as folder,
        LocalServer() as server,
        Store.open(Path(folder) / "fuzz.db") as store,
    ):
        root = Path(folder)
        _warm_up(root, store, settings)
        for index, case in enumerate(cases):
            outcome = _run_one(index, case, root, server, store, settings, watchdog)
            limit = case_limit + per_document * outcome.results
            outcome.hang = outcome.hang or outcome.seconds > limit
            outcome.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            outcomes.append(outcome)
            if progress and not outcome.ok:
                print(f"  {case.name}: {_problem(outcome)}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Report(outcomes, peak)


def _problem(outcome: Outcome) -> str:
    if outcome.crash:
        return f"CRASH {outcome.crash}"
    if outcome.hang:
        return f"HANG {outcome.seconds:.1f} s"
    if outcome.recorded != outcome.failures:
        return f"{outcome.failures - outcome.recorded} failure(s) not recorded"
    if not outcome.accounted:
        return "nothing came out of it (silent)"
    return "the good input after it was not stored"


def _warm_up(root: Path, store: Store, settings: Settings) -> None:
    """Load the extraction libraries once, so the first case's time is its own."""
    page = root / "warm-up.html"
    page.write_text(f"<html><body><article><p>{SENTENCE}</p></article></body></html>")
    ingest([str(page)], store, settings, stages="extract")


def _run_one(
    index: int,
    case: Case,
    root: Path,
    server: LocalServer,
    store: Store,
    settings: Settings,
    watchdog: float,
) -> Outcome:
    own = server.url(f"/c{index}")
    other = server.url("").rstrip("/").replace("127.0.0.1", "localhost")
    if case.routes:
        for path, reply in case.routes.items():
            server.route(f"/c{index}{path}", _filled(reply, own, other))
        hostile = f"{own}/"
    else:
        folder = root / f"c{index}"
        folder.mkdir()
        for name, data in case.files.items():
            (folder / name).write_bytes(_fill(data, own, other))
        hostile = str(folder / next(iter(case.files)))
    good = root / f"good-{index}.txt"
    good.write_text(f"{SENTENCE} Good input number {index} of the fuzz run, after {case.name}.")
    seen: list[Article | Failure] = []
    before = store.counts()["failures"]
    outcome = Outcome(case.name, case.category, 0.0)
    started = time.monotonic()
    try:
        with _watchdog(watchdog):
            summary = ingest(
                [hostile, str(good)],
                store,
                replace(settings),
                stages="extract",
                on_result=seen.append,
            )
    except _Hang:
        outcome.hang = True
        outcome.seconds = time.monotonic() - started
        return outcome
    except BaseException as exc:  # what a user would see as a traceback
        outcome.crash = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        outcome.seconds = time.monotonic() - started
        return outcome
    outcome.seconds = time.monotonic() - started
    outcome.results = len(seen)
    outcome.failures = len(summary.failures)
    outcome.recorded = store.counts()["failures"] - before
    outcome.codes = [f"{f.stage}:{f.code}" for f in summary.failures]
    outcome.articles = summary.added
    from_hostile = [r for r in seen if not r.source.startswith(str(good))]
    outcome.accounted = bool(from_hostile) or summary.duplicates + summary.copies > 0
    outcome.good_stored = any(
        isinstance(r, Article) and r.source == str(good) and r.id in summary.article_ids
        for r in seen
    )
    return outcome


def _fill(data: bytes, own: str, other: str) -> bytes:
    return data.replace(b"{self}", own.encode()).replace(b"{other}", other.encode())


def _filled(reply: Reply, own: str, other: str) -> Reply:
    headers = {k: _fill(v.encode(), own, other).decode() for k, v in reply.headers.items()}
    return replace(reply, body=_fill(reply.body, own, other), headers=headers)
