"""Extraction in worker processes: every core used, and a page that hangs costs one failure.

``ExtractPool.imap`` turns documents into ``Article``s or ``Failure``s in input order, the
extraction itself done by ``extract_workers`` processes. A process can be stopped where a
thread cannot: trafilatura and lxml spend their time inside C calls that no signal interrupts
(a page with 300,000 attributes on one element parses for many minutes), so a worker still busy
with one document ``extract_timeout`` seconds (plus a little slack) after it began is killed,
the document fails as ``extract_timeout``, a fresh worker takes its place and the run goes on.
This works from any thread, so the watcher and the web ingest endpoint are capped as the CLI is.

Workers are forked from the calling process when it runs one thread (the CLI), else from a
fork server that imported the extraction code once (the watcher and the web server have
threads of their own); either way starting one, or replacing a killed one, costs no imports,
and their memory is shared copy-on-write until written. Each extracts one small page before
it says it is ready, so no document's time cap is spent on lazy imports and caches.

A thread of the calling process feeds the workers and collects their results, so they keep
working while the caller is busy (parsing a batch, writing to the store); the caller reads
inputs, so an input that must be read on one thread (the watcher's store) still is.
Documents are read ahead up to a count and a byte budget (``extract_queue_bytes``), which
keeps memory flat whatever the number of inputs.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from wirewatch.cores import extract_workers
from wirewatch.errors import ExtractError
from wirewatch.extract import extract
from wirewatch.model import Article, Failure, RawDocument
from wirewatch.settings import Settings

Result = Article | Failure

# A worker gets its own in-process deadline (SIGALRM) first, which stops pure-Python work
# cleanly; it is killed only when that did not work (time spent inside one C call), this long
# after the cap (or the cap again, for caps under it, but at least 1 s).
_KILL_SLACK = 2.0
_PRELOAD = ["wirewatch.run.pool_preload"]


def extract_document(document: RawDocument, settings: Settings) -> tuple[Result, float]:
    """One document through ``extract``: the article, or its failure; and the seconds taken."""
    started = time.perf_counter()
    try:
        result: Result = extract(document, settings)
    except ExtractError as exc:
        result = extract_failure(document, exc.code, exc.message)
    except Exception as exc:  # a bug or a library crash on one page must not stop the run
        result = extract_failure(document, "internal_error", describe(exc))
    return result, time.perf_counter() - started


def extract_failure(document: RawDocument, code: str, message: str) -> Failure:
    return Failure(
        source=document.source,
        stage="extract",
        code=code,
        message=message,
        input_id=document.input_id,
    )


def describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "no message"
    return f"{type(exc).__name__}: {text[:300]}"


@dataclass(slots=True)
class PoolStats:
    """What the workers did: seconds extracting (summed), kills, peak RSS of a worker (bytes)."""

    seconds: float = 0.0
    killed: int = 0
    died: int = 0
    worker_peak_rss: int = 0
    started_workers: int = 0


@dataclass(slots=True)
class _Worker:
    process: Any
    conn: Connection
    task: tuple[int, RawDocument] | None = None
    since: float = 0.0
    ready: bool = False  # said so once its imports were done: the cap counts from a task sent


def _context() -> Any:
    """``fork`` from a process with one thread (the CLI: the code is already imported, so a
    worker starts in milliseconds); else (the watcher's and the server's threads may hold
    locks a forked child would inherit) a fork server that imported the extraction code once.
    """
    if threading.active_count() == 1 and threading.current_thread() is threading.main_thread():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


class ExtractPool:
    """``workers`` extraction processes; ``imap`` documents through them in input order.

    Use as a context manager, or call ``close()``: the workers are stopped either way. No
    process is started until the first document arrives.
    """

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self.workers = max(workers if workers is not None else extract_workers(settings), 1)
        self.stats = PoolStats()
        self._cap = settings.extract_timeout
        self._slack = min(_KILL_SLACK, max(self._cap, 1.0))
        self._cond = threading.Condition()
        self._todo: deque[tuple[int, RawDocument]] = deque()
        self._done: dict[int, tuple[Result, float]] = {}
        self._pool: list[_Worker] = []
        self._thread: threading.Thread | None = None
        self._closing = False
        self._error: BaseException | None = None
        self._wake_r: Connection | None = None
        self._wake_w: Connection | None = None
        self._context: Any = None

    def __enter__(self) -> ExtractPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # The caller's side

    def imap(
        self,
        documents: Iterable[RawDocument | Failure],
        *,
        on_document: Any = None,
        read_ahead: int | None = None,
    ) -> Iterator[Result]:
        """Each document's result, in input order; failures from collection pass through.

        ``on_document`` hears each ``RawDocument`` when it is handed to the workers.
        ``read_ahead`` caps the inputs read before their results are taken (default: enough
        to keep every worker busy while the caller parses a chunk).
        """
        ahead_count = read_ahead or max(self.workers * 4, self.settings.nlp_batch_size * 4)
        ahead_bytes = self.settings.extract_queue_bytes
        items = iter(documents)
        exhausted = False
        next_in = next_out = 0
        queued_bytes = 0
        sizes: dict[int, int] = {}
        passed: dict[int, Failure] = {}
        failed: Exception | None = None
        while True:
            while (
                not exhausted
                and next_in - next_out < ahead_count
                and (queued_bytes < ahead_bytes or next_in == next_out)
            ):
                try:
                    item = next(items, None)
                except Exception as exc:  # reading inputs failed: hand out what is in hand first
                    failed, exhausted = exc, True
                    break
                if item is None:
                    exhausted = True
                    break
                if isinstance(item, Failure):
                    passed[next_in] = item
                else:
                    if on_document is not None:
                        on_document(item)
                    sizes[next_in] = len(item.content)
                    queued_bytes += sizes[next_in]
                    self._submit(next_in, item)
                next_in += 1
            if next_out == next_in and exhausted:
                if failed is not None:
                    raise failed
                return
            if next_out in passed:
                yield passed.pop(next_out)
                next_out += 1
                continue
            result = self._take(next_out)
            queued_bytes -= sizes.pop(next_out, 0)
            next_out += 1
            yield result

    def _submit(self, seq: int, document: RawDocument) -> None:
        self._start()
        with self._cond:
            self._todo.append((seq, document))
        self._wake()

    def _take(self, seq: int) -> Result:
        with self._cond:
            while seq not in self._done:
                if self._error is not None:
                    raise RuntimeError("the extraction pool stopped") from self._error
                self._cond.wait(timeout=1.0)
            result, seconds = self._done.pop(seq)
        self.stats.seconds += seconds
        return result

    def close(self) -> None:
        """Stop the workers (at once: a document in hand is abandoned)."""
        with self._cond:
            self._closing = True
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=10)
        for worker in self._pool:
            self._stop(worker)
        self._pool.clear()
        for conn in (self._wake_r, self._wake_w):
            if conn is not None:
                conn.close()

    # The pool's thread

    def _start(self) -> None:
        if self._thread is not None:
            return
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        self._context = _context()  # chosen before this pool's own thread starts
        if self._context.get_start_method() == "fork":
            from wirewatch.run.pool_preload import warm_up

            warm_up()  # once here: every worker forked from this process starts warm
        self._pool = [self._spawn() for _ in range(self.workers)]
        self._thread = threading.Thread(target=self._run, name="extract-pool", daemon=True)
        self._thread.start()

    def _wake(self) -> None:
        if self._wake_w is not None:
            with contextlib.suppress(OSError):
                self._wake_w.send_bytes(b"")

    def _spawn(self) -> _Worker:
        here, there = multiprocessing.Pipe()
        process = self._context.Process(
            target=_serve, args=(there, self.settings), name="wirewatch-extract", daemon=True
        )
        process.start()
        there.close()
        self.stats.started_workers += 1
        return _Worker(process, here)

    def _run(self) -> None:
        try:
            self._loop()
        except BaseException as exc:  # surfaced to the caller by _take
            with self._cond:
                self._error = exc
                self._cond.notify_all()

    def _loop(self) -> None:
        assert self._wake_r is not None
        while True:
            with self._cond:
                if self._closing:
                    return
                for worker in self._pool:
                    if worker.ready and worker.task is None and self._todo:
                        worker.task = self._todo.popleft()
                        worker.since = time.monotonic()
                        worker.conn.send(worker.task)
            busy = [w for w in self._pool if w.task is not None]
            starting = [w for w in self._pool if not w.ready]
            timeout = None
            if busy:
                first_due = min(w.since for w in busy) + self._cap + self._slack
                timeout = max(first_due - time.monotonic(), 0.0)
            listened = [*busy, *starting]
            ready = wait([self._wake_r, *(w.conn for w in listened)], timeout=timeout)
            for conn in ready:
                if conn is self._wake_r:
                    while self._wake_r.poll():
                        self._wake_r.recv_bytes()
                    continue
                worker = next(w for w in listened if w.conn is conn)
                if worker.ready:
                    self._receive(worker)
                else:
                    self._started(worker)
            now = time.monotonic()
            for worker in list(self._pool):
                if worker.task is not None and now - worker.since > self._cap + self._slack:
                    self._replace(worker, "extract_timeout")

    def _started(self, worker: _Worker) -> None:
        try:
            worker.conn.recv()
        except (EOFError, OSError) as exc:  # the worker could not start: no use going on
            raise RuntimeError(
                f"an extraction worker did not start (exit code {worker.process.exitcode})"
            ) from exc
        worker.ready = True

    def _receive(self, worker: _Worker) -> None:
        assert worker.task is not None
        try:
            seq, result, seconds, peak = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker, "worker_died")
            return
        self.stats.worker_peak_rss = max(self.stats.worker_peak_rss, peak)
        with self._cond:
            worker.task = None
            self._done[seq] = (result, seconds)
            self._cond.notify_all()

    def _replace(self, worker: _Worker, why: str) -> None:
        """Kill ``worker`` (hung, or already dead), fail its document, start another."""
        assert worker.task is not None
        seq, document = worker.task
        seconds = time.monotonic() - worker.since
        if why == "extract_timeout":
            self.stats.killed += 1
            failure = extract_failure(
                document,
                "extract_timeout",
                f"extraction took longer than {self._cap:g} s; its worker was stopped",
            )
        else:
            self.stats.died += 1
            code = worker.process.exitcode
            failure = extract_failure(
                document,
                "internal_error",
                f"the extraction worker died on this document (exit code {code})",
            )
        self._stop(worker)
        index = self._pool.index(worker)
        self._pool[index] = self._spawn()
        with self._cond:
            self._done[seq] = (failure, seconds)
            self._cond.notify_all()

    def _stop(self, worker: _Worker) -> None:
        if worker.task is None and worker.process.is_alive():
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.process.join(timeout=1)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=5)
        worker.conn.close()


def _serve(conn: Connection, settings: Settings) -> None:
    """A worker: documents from ``conn`` until None; each result sent back on it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    from wirewatch.run.pool_preload import warm_up

    warm_up()  # done once in the fork server already; in a forked worker, done here
    parent = os.getppid()
    conn.send("ready")
    while True:
        try:
            # A forked worker holds copies of the pool's ends of every pipe, so the parent's
            # death closes nothing it would notice: it looks at who its parent is instead.
            while not conn.poll(1.0):
                if os.getppid() != parent:
                    return
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        seq, document = task
        result, seconds = extract_document(document, settings)
        conn.send((seq, result, seconds, peak_rss()))


def peak_rss() -> int:
    """This process's peak resident memory, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
