"""Page weight and time to first byte of the web UI's pages, a baseline tree and this one
served side by side over the same generated store, in the same run.

The store is bench/api.py's (synthetic articles with quotes, events, places and stories;
``--articles``, reused from ``--db`` when it holds that many). Two ``wirewatch serve``
processes run at once on 127.0.0.1, one importing the baseline's code (``--baseline``: a
source tree, by default ``git archive main`` unpacked into a temporary folder) and one this
tree's; requests alternate between them one at a time, so both see the same machine load.

Pages: home, story, events (and events sorted by Goldstein), timeline, map, articles, search
(words, sorted by date, filters alone), and the API twins of the events, the charts and the
search (its article pages and its table). For each: the median and p95 time to first byte (the
response's headers received) and to the last byte, in milliseconds, and the page's weight:
its HTML plus the CSS and JavaScript it loads, and for the map the same without the country
outlines drawn inline (the map data), bytes uncompressed; and the time of each page's first
answer on each server (what is then computed and kept: a search's table and facets).

    python bench/pages.py [--articles 100000] [--requests 40] [--db /tmp/wirewatch-bench-api.db]
                          [--baseline PATH]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from api import _holds, free_port, generate, percentile

from wirewatch.store import Store

ROOT = Path(__file__).resolve().parents[1]
STATIC = ("/static/style.css", "/static/app.js")
LAND = re.compile(r'<path class="land"[^>]*>.*?</path>\s*', re.S)


@contextmanager
def _baseline_tree(given: str | None) -> Iterator[Path]:
    if given:
        yield Path(given)
        return
    with tempfile.TemporaryDirectory(prefix="wirewatch-baseline-") as folder:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "main"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        yield Path(folder)


@contextmanager
def _server(tree: Path, db: Path) -> Iterator[httpx.Client]:
    """``wirewatch serve`` importing the code of ``tree``, and a client for it."""
    port = free_port()
    env = os.environ | {"PYTHONPATH": str(tree)}
    code = "import sys; from wirewatch.cli import main; sys.exit(main())"
    args = [sys.executable, "-c", code, "--db", str(db), "-q", "serve", "--port", str(port)]
    server = subprocess.Popen(
        args, env=env, cwd=str(tree), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if client.get("/api/articles?limit=1").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"the server of {tree} did not start")
                time.sleep(0.3)
            yield client
    finally:
        server.terminate()
        server.wait(timeout=30)


def _timed(client: httpx.Client, path: str) -> tuple[float, float, bytes]:
    """Milliseconds to the first byte and to the last, and the body."""
    started = time.perf_counter()
    with client.stream("GET", path) as response:
        first = time.perf_counter()
        body = response.read()
    done = time.perf_counter()
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return (first - started) * 1000, (done - started) * 1000, body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--db", type=Path, default=Path("/tmp/wirewatch-bench-api.db"))
    parser.add_argument("--baseline", default=None, help="a source tree (default: git main)")
    args = parser.parse_args(argv)

    if not _holds(args.db, args.articles):
        started = time.perf_counter()
        generate(args.db, args.articles)
        print(f"generated {args.articles} articles in {time.perf_counter() - started:.0f} s")
    with Store.open(args.db) as store:
        counts = store.counts()
        events = store.connection.execute("SELECT count(*) FROM events").fetchone()[0]
        story = store.connection.execute(
            "SELECT id FROM stories ORDER BY id LIMIT 1 OFFSET 77"
        ).fetchone()[0]
    print(f"store: {counts['articles']} articles, {events} events ({args.db})")
    pages = {
        "home": "/",
        "story": f"/stories/{story}",
        "events": "/events",
        "events sorted": "/events?sort=-goldstein",
        "timeline": "/timeline",
        "map": "/map",
        "api events": "/api/events",
        "api events sorted": "/api/events?sort=-goldstein",
        "api timeline": "/api/timeline",
        "api map": "/api/map",
        "articles": "/articles",
        "search": "/search?q=ceasefire",
        "search sorted": "/search?q=ceasefire&sort=-date",
        "search filters": "/search?country=UKR",
        "api search": "/api/search?q=ceasefire",
        "api search table": "/api/search?q=ceasefire&offset=0",
    }
    with _baseline_tree(args.baseline) as baseline, ExitStack() as stack:
        clients = {
            "baseline": stack.enter_context(_server(baseline, args.db)),
            "this tree": stack.enter_context(_server(ROOT, args.db)),
        }
        # Every page once on each server before timing any: what a server computes when it
        # starts (charts, the events totals) is then done, not competing with the first page.
        # That first answer's time is printed too ("first"): a search's table and facets are
        # computed then, and kept until the store changes.
        cold: dict[tuple[str, str], float] = {}
        for tree, client in clients.items():
            for path in pages.values():
                started = time.perf_counter()
                if client.get(path).status_code == 200:
                    cold[tree, path] = (time.perf_counter() - started) * 1000
        print(f"baseline: {baseline}; this tree: {ROOT}; {args.requests} requests each\n")
        print(
            f"{'page':<18} {'tree':<10} {'TTFB med':>9} {'TTFB p95':>9} {'last p95':>9} "
            f"{'weight KB':>10} {'no map KB':>10} {'first':>8}"
        )
        for name, path in pages.items():
            rows: dict[str, dict[str, float]] = {}
            samples: dict[str, list[tuple[float, float]]] = {tree: [] for tree in clients}
            bodies: dict[str, bytes] = {}
            for tree, client in clients.items():  # warm-up: charts and caches computed
                try:
                    _timed(client, path)
                    _, _, bodies[tree] = _timed(client, path)
                except SystemExit:  # a page the baseline does not serve (sorting)
                    bodies.pop(tree, None)
            for _ in range(args.requests):
                for tree, client in clients.items():
                    if tree in bodies:
                        first, last, _ = _timed(client, path)
                        samples[tree].append((first, last))
            for tree, body in bodies.items():
                firsts = [first for first, _ in samples[tree]]
                lasts = [last for _, last in samples[tree]]
                weight = len(body)
                if not path.startswith("/api/"):
                    weight += sum(len(clients[tree].get(asset).content) for asset in STATIC)
                no_map = weight - sum(len(m) for m in LAND.findall(body.decode("utf-8")))
                rows[tree] = {
                    "median": statistics.median(firsts),
                    "p95": percentile(firsts, 0.95),
                    "last": percentile(lasts, 0.95),
                    "weight": weight / 1024,
                    "no_map": no_map / 1024,
                }
            for tree in clients:
                if tree not in rows:
                    print(f"{name:<18} {tree:<10} {'(not served)':>9}")
                    continue
                row = rows[tree]
                print(
                    f"{name:<18} {tree:<10} {row['median']:9.1f} {row['p95']:9.1f} "
                    f"{row['last']:9.1f} {row['weight']:10.1f} {row['no_map']:10.1f} "
                    f"{cold.get((tree, path), float('nan')):8.0f}"
                )
    print(
        "\nTTFB: milliseconds until the response's headers arrive (the page is rendered before "
        "they are sent); last: until its last byte. Weight: HTML (or JSON) plus style.css and "
        "app.js, uncompressed; 'no map': without the inline country outlines."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
