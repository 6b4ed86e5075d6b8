"""Load: many concurrent API clients, slow clients and large bodies, against main's code.

A store of generated articles (``bench/api.py``'s generator: sites, dated articles, quotes,
events, stories) is served by ``wirewatch serve`` on 127.0.0.1, and an asyncio client on the
same machine (raw HTTP/1.1 over kept-alive sockets, light enough that 200 of them fit one
process) runs these, each for ``--seconds``:

- **load**: 20 and 200 concurrent clients, each sending the next request as soon as its last
  answer arrived, over a mix of the UI's JSON twins (latest stories, with a country filter,
  articles, an article, a story, searches with and without a filter, events with filters,
  the timeline, the map, the home and article pages; the articles and stories among
  ``--articles-read`` picked at random, 200 by default: with many, their answers rarely
  repeat, so kept answers help less); with one and two server processes (``--workers``).
  Reported: requests per second, p50/p95/p99 latency, errors (an answer other than 200, or a
  failed connection), and the slowest requests by p95.
- **slow clients**: ``--idle`` connections that send nothing, as many that send half a
  request's headers and stop, and as many that send headers and half a body; then 20 real
  clients. Reported: the real clients' answers and errors, the server's memory.
- **large bodies**: with a token configured, 4 unauthenticated POSTs each declaring
  ``--body-mb`` MB and sending it as fast as they can, while 20 real clients run.
  Reported: the server's peak memory (resident, all its processes) and the real clients.

Each server is first left to finish the work it does when it starts (the unfiltered totals,
facets and charts, computed in the background) and visited once for the timeline and the map,
so that every run measures a server that is up, not one still warming.
Then the clients run for ``--warmup`` seconds (3 by default) before the timed ``--seconds``:
all of them connect and send their first request at the same instant, a burst no crowd
makes, and the answers to what was sent in those seconds are not timed (their errors are
counted); ``--warmup 0`` times the burst too.

The baseline is main's code (a checkout given with ``--baseline DIR``, e.g. a second worktree
of main, or ``git archive main | tar -x -C DIR``) run from this same virtualenv in the same
run, with the same numbers of processes; the slow-client and large-body runs are made with one
process. The server's file limit is set to 1,024, a common default, for both. The load
average of the machine is printed with every line: the figures of a shared machine are only
comparable within one run.

    python bench/load.py --baseline ../main-checkout [--articles 100000] [--seconds 10]
                         [--articles-read 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import SEARCHES, _holds, free_port, generate, percentile

from wirewatch.store import Store

TOKEN = "load-bench-token"
SERVER_FILES = 1024
"""The server's file limit in every run (``ulimit -n``): a common default."""
REAL_CLIENTS = 20
"""Clients measured while slow clients or large bodies press on the server."""


@dataclass
class Tally:
    """Latencies (seconds) and errors of one run, by request kind."""

    started: float = field(default_factory=time.monotonic)
    ended: float = 0.0
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    """Errors by kind and what they were: ``timeline 503``, ``search connection``."""

    def error_kinds(self) -> str:
        ranked = sorted(self.failed.items(), key=lambda item: -item[1])
        return ", ".join(f"{what} x{count}" for what, count in ranked) or "none"

    def all_times(self) -> list[float]:
        return [t for values in self.times.values() for t in values]

    def line(self, label: str) -> str:
        values = self.all_times()
        errors = sum(self.errors.values())
        if not values:
            return f"{label:<34} {'-':>7} {'-':>9} {'-':>7} {'-':>7} {'-':>7} {errors:>7}"
        rate = len(values) / max(self.ended - self.started, 1e-9)
        ms = [percentile(values, share) * 1000 for share in (0.5, 0.95, 0.99)]
        return (
            f"{label:<34} {len(values):>7} {rate:>9.1f} {ms[0]:>7.0f} {ms[1]:>7.0f} "
            f"{ms[2]:>7.0f} {errors:>7}"
        )

    def slowest(self, count: int = 4) -> str:
        ranked = sorted(
            ((percentile(v, 0.95), kind) for kind, v in self.times.items() if v), reverse=True
        )
        return ", ".join(f"{kind} {p95 * 1000:.0f}" for p95, kind in ranked[:count])


HEADER = (
    f"{'run':<34} {'answers':>7} {'req/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
    f"{'errors':>7}"
)


def request_mix(store: Store, rng: random.Random, read: int = 200) -> list[tuple[str, str]]:
    """(kind, path) pairs in the proportions a browsing crowd sends them, over ``read``
    articles (and their stories): the more, the fewer answers repeat (kept answers help less)."""
    conn = store.connection
    total = store.counts()["articles"]
    seqs = [rng.randint(1, total) for _ in range(read)]
    ids = [
        row[0]
        for row in conn.execute(
            f"SELECT id FROM articles WHERE seq IN ({','.join(map(str, seqs))})"
        )
    ]
    stories = [
        row[0]
        for row in conn.execute(
            f"SELECT story_id FROM story_articles WHERE article_id IN ({','.join('?' * len(ids))})",
            ids,
        )
    ]
    weighted: list[tuple[int, str, list[str]]] = [
        (12, "stories", ["/api/stories"]),
        (5, "stories UKR", ["/api/stories?country=UKR"]),
        (8, "articles", ["/api/articles"]),
        (16, "article", [f"/api/articles/{i}" for i in ids]),
        (8, "story", [f"/api/stories/{s}" for s in stories]),
        (8, "search", [f"/api/search?q={w.replace(' ', '+')}" for w in SEARCHES]),
        (4, "search UKR", [f"/api/search?q={w.replace(' ', '+')}&country=UKR" for w in SEARCHES]),
        (6, "events", ["/api/events"]),
        (5, "events UKR", ["/api/events?country=UKR"]),
        (3, "events quad4 ASSAULT", ["/api/events?quad_class=4&plover=ASSAULT"]),
        (2, "timeline", ["/api/timeline"]),
        (2, "map", ["/api/map"]),
        (6, "home page", ["/"]),
        (5, "article page", [f"/articles/{i}" for i in ids]),
    ]
    mix: list[tuple[str, str]] = []
    repeat = max(1, read // 200)  # a longer round, so that each article is asked for
    for weight, kind, paths in weighted:
        mix += [(kind, rng.choice(paths)) for _ in range(weight * 10 * repeat)]
    rng.shuffle(mix)
    return mix


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; its status and whether the server keeps the connection open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers.get("connection", "").lower() != "close"


async def _client(
    port: int, mix: list[tuple[str, str]], offset: int, until: float, tally: Tally
) -> None:
    """One client: a kept-alive connection, the next request as soon as an answer arrived.
    Answers to requests sent before ``tally.started`` (the warm-up) are not timed; errors
    are counted throughout."""
    turn = offset
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while time.monotonic() < until:
        kind, path = mix[turn % len(mix)]
        turn += 1
        started = time.monotonic()
        try:
            if connection is None:
                connection = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
            reader, writer = connection
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            status, keep = await asyncio.wait_for(_answer(reader), 60)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            tally.errors[kind] += 1
            tally.failed[f"{kind} connection"] += 1
            if connection is not None:
                connection[1].close()
            connection = None
            await asyncio.sleep(0.05)
            continue
        if started >= tally.started:
            tally.times[kind].append(time.monotonic() - started)
        if status != 200:
            tally.errors[kind] += 1
            tally.failed[f"{kind} {status}"] += 1
        if not keep:
            writer.close()
            connection = None
    if connection is not None:
        connection[1].close()


async def run_clients(
    port: int, mix: list[tuple[str, str]], clients: int, seconds: float, warmup: float = 0.0
) -> Tally:
    """``clients`` clients for ``warmup`` seconds, then ``seconds`` timed."""
    tally = Tally(started=time.monotonic() + warmup)
    until = tally.started + seconds
    step = max(1, len(mix) // clients)
    await asyncio.gather(*(_client(port, mix, n * step, until, tally) for n in range(clients)))
    tally.ended = time.monotonic()
    return tally


def _raw_connection(port: int) -> socket.socket | None:
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        return None
    sock.setblocking(False)
    return sock


def slow_clients(port: int, count: int) -> list[socket.socket]:
    """``count`` each of: idle connections, half-sent headers, half-sent bodies."""
    opened: list[socket.socket] = []
    halves = (
        b"",
        b"GET /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
        b"POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {TOKEN}\r\nContent-Length: 5000\r\n\r\n".encode()
        + b'{"url": "',
    )
    for half in halves:
        for _ in range(count):
            sock = _raw_connection(port)
            if sock is None:
                continue
            with suppress(OSError):
                sock.send(half)
            opened.append(sock)
    return opened


async def _large_body(port: int, megabytes: int, until: float) -> None:
    """An unauthenticated POST declaring ``megabytes`` MB, sent until refused or done."""
    size = megabytes * 1_000_000
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return
    writer.write(
        b"POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {size}\r\n\r\n".encode()
    )
    chunk = b"x" * 1_000_000
    sent = 0
    with suppress(OSError, asyncio.TimeoutError):
        while sent < size and time.monotonic() < until:
            writer.write(chunk)
            await asyncio.wait_for(writer.drain(), max(0.1, until - time.monotonic()))
            sent += len(chunk)
    writer.close()


class Server:
    """``wirewatch serve`` in a subprocess, with the file limit set, and its memory."""

    def __init__(self, db: Path, workers: int, code: Path | None) -> None:
        self.port = free_port()
        env = dict(os.environ, WIREWATCH_WEB_API_TOKEN=TOKEN)
        if code is not None:
            env["PYTHONPATH"] = str(code)
        command = [sys.executable, "-P", "-c", "from wirewatch.cli import main; main()"]
        command += ["--db", str(db), "-q", "serve", "--port", str(self.port)]
        if workers > 1:
            command += ["--workers", str(workers)]
        self.process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: resource.setrlimit(
                resource.RLIMIT_NOFILE, (SERVER_FILES, SERVER_FILES)
            ),
        )
        self.peak_mb = 0.0

    def wait_ready(self, within: float = 180) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            sock = _raw_connection(self.port)
            if sock is not None:
                sock.setblocking(True)
                sock.settimeout(5)
                try:
                    sock.sendall(b"GET /api/articles?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                    if sock.recv(12).endswith(b"200"):
                        return
                except OSError:
                    pass
                finally:
                    sock.close()
            if self.process.poll() is not None:
                raise SystemExit("the server exited at start")
            time.sleep(0.5)
        raise SystemExit("the server did not start")

    def _pids(self) -> list[int]:
        pids = [self.process.pid]
        with suppress(OSError):
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids += [int(p) for p in children.read_text().split()]
        return pids

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server and its worker processes have used so far."""
        ticks = 0
        for pid in self._pids():
            with suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def memory_mb(self) -> float:
        """Resident memory of the server and its worker processes, in MB."""
        total = 0
        for pid in self._pids():
            with suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        mb = total / 1024
        self.peak_mb = max(self.peak_mb, mb)
        return mb

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _loaded_from(code: Path) -> str:
    """Where ``wirewatch`` is imported from with ``code`` first on the path (a check)."""
    env = dict(os.environ, PYTHONPATH=str(code))
    found = subprocess.run(
        [sys.executable, "-P", "-c", "import wirewatch; print(wirewatch.__file__)"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    where = found.stdout.strip()
    if not where.startswith(str(code)):
        raise SystemExit(f"--baseline {code}: wirewatch still loads from {where}")
    return where


@contextmanager
def serving(db: Path, workers: int, code: Path | None) -> Iterator[Server]:
    server = Server(db, workers, code)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


async def _sampling(server: Server, until: float) -> None:
    while time.monotonic() < until:
        server.memory_mb()
        await asyncio.sleep(0.2)


async def pressed(
    server: Server, mix: list[tuple[str, str]], seconds: float, body_mb: int | None
) -> Tally:
    """Real clients for ``seconds`` while large bodies (when ``body_mb``) are sent."""
    until = time.monotonic() + seconds
    pressure = [_large_body(server.port, body_mb, until) for _ in range(4)] if body_mb else []
    results = await asyncio.gather(
        run_clients(server.port, mix, REAL_CLIENTS, seconds),
        _sampling(server, until),
        *pressure,
    )
    tally: Tally = results[0]
    return tally


def measure(
    label: str, server: Server, mix: list[tuple[str, str]], args: argparse.Namespace
) -> None:
    first_visit(server)
    quiet(server)
    settle(server)
    for clients in args.clients:
        tally, cpu = asyncio.run(timed(server, mix, clients, args.seconds, args.warmup))
        answers = max(len(tally.all_times()), 1)
        print(
            tally.line(f"{label}, {clients} clients")
            + f"  cpu {cpu / answers * 1000:.1f} ms/answer  load {_load()}",
            flush=True,
        )
        print(f"{'':<6}slowest p95 ms: {tally.slowest()}", flush=True)
        print(f"{'':<6}errors: {tally.error_kinds()}", flush=True)
        settle(server)
    if not args.pressure:
        return
    server.peak_mb = 0
    before = server.memory_mb()
    sockets = slow_clients(server.port, args.idle)
    tally = asyncio.run(pressed(server, mix, args.seconds, None))
    print(
        tally.line(f"{label}, slow clients ({len(sockets)})")
        + f"  memory {before:.0f}->{server.peak_mb:.0f} MB",
        flush=True,
    )
    print(f"{'':<6}errors: {tally.error_kinds()}", flush=True)
    for sock in sockets:
        sock.close()
    settle(server)
    server.peak_mb = 0
    before = server.memory_mb()
    tally = asyncio.run(pressed(server, mix, args.seconds, args.body_mb))
    print(
        tally.line(f"{label}, 4 x {args.body_mb} MB bodies")
        + f"  memory {before:.0f}->{server.peak_mb:.0f} MB",
        flush=True,
    )
    print(f"{'':<6}errors: {tally.error_kinds()}", flush=True)
    settle(server)


async def timed(
    server: Server, mix: list[tuple[str, str]], clients: int, seconds: float, warmup: float
) -> tuple[Tally, float]:
    """``run_clients`` with a warm-up; the server's CPU seconds over the timed part."""
    run = asyncio.create_task(run_clients(server.port, mix, clients, seconds, warmup))
    await asyncio.sleep(warmup)
    cpu = server.cpu_seconds()
    tally = await run
    return tally, server.cpu_seconds() - cpu


def _load() -> str:
    """The machine's load average over the last minute (other work shares the cores)."""
    return f"{os.getloadavg()[0]:.1f}"


def settle(server: Server, within: float = 120) -> None:
    """Wait until the server answers at once: the answers of the last run's unfinished
    requests must not be counted against the next run."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        started = time.monotonic()
        sock = _raw_connection(server.port)
        if sock is not None:
            sock.setblocking(True)
            sock.settimeout(within)
            with suppress(OSError):
                sock.sendall(b"GET /api/articles?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                sock.recv(12)
            sock.close()
        if time.monotonic() - started < 0.5:
            return
        time.sleep(0.5)


def quiet(server: Server, within: float = 300) -> None:
    """Wait until the server's own background work (totals, facets and charts computed when
    it starts) is done: its processes use under a tenth of a core over half a second."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        before = server.cpu_seconds()
        time.sleep(0.5)
        if server.cpu_seconds() - before < 0.05:
            return


def first_visit(server: Server) -> None:
    """The timeline and the map once, as the first visitor asks them, before any run."""
    for path in ("/api/timeline", "/api/map"):
        sock = _raw_connection(server.port)
        if sock is None:
            continue
        sock.setblocking(True)
        sock.settimeout(300)
        with suppress(OSError):
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            sock.recv(12)
        sock.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each run")
    parser.add_argument(
        "--warmup",
        type=float,
        default=3.0,
        help="seconds the clients run before the timed part (all connect at once at the start)",
    )
    parser.add_argument("--clients", type=lambda v: [int(n) for n in v.split(",")],
                        default=[20, 200])  # fmt: skip
    parser.add_argument("--workers", type=lambda v: [int(n) for n in v.split(",")],
                        default=[1, 2])  # fmt: skip
    parser.add_argument("--baseline", type=Path, default=None, help="a checkout of main")
    parser.add_argument(
        "--articles-read",
        type=int,
        default=200,
        help="articles the crowd reads (their pages rarely repeat when there are many)",
    )
    parser.add_argument("--idle", type=int, default=400, help="slow connections of each kind")
    parser.add_argument("--body-mb", type=int, default=100, help="size of each large body")
    parser.add_argument("--no-pressure", dest="pressure", action="store_false",
                        help="skip the slow-client and large-body runs")  # fmt: skip
    args = parser.parse_args(argv)
    db = args.db or Path(f"/tmp/wirewatch-load-{args.articles // 1000}k.db")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))

    if not _holds(db, args.articles):
        started = time.perf_counter()
        generate(db, args.articles)
        print(f"generated {args.articles} articles in {time.perf_counter() - started:.0f} s")
    with Store.open(db) as store:
        mix = request_mix(store, random.Random(5), args.articles_read)
        print(f"store {db}: {store.counts()['articles']} articles; {args.seconds:g} s per run")
    if args.baseline is not None:
        print(f"main's code: {_loaded_from(args.baseline.resolve())}")
    print(HEADER)
    for workers in args.workers:
        processes = f"{workers} process{'es' if workers > 1 else ''}"
        only_load = argparse.Namespace(**{**vars(args), "pressure": False})
        for label, code in (("main", args.baseline), ("this branch", None)):
            if label == "main" and code is None:
                continue
            with serving(db, workers, code.resolve() if code else None) as server:
                measure(f"{label}, {processes}", server, mix, args if workers == 1 else only_load)
    print(
        "\nanswers: responses received; errors: answers other than 200 plus failed "
        "connections; latency from sending a request to its answer's last byte, client and "
        f"server on this machine ({os.cpu_count()} cores). Slow clients: that many idle, "
        "half-headers and half-body connections held open while "
        f"{REAL_CLIENTS} real clients run; memory: resident MB of the server's processes, "
        "before -> peak; cpu: the server's CPU time (all its processes, user + system) per "
        "answer, which the other work on a shared machine does not change much; load: the "
        "machine's one-minute load average after the run."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
