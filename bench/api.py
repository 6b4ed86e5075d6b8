"""API latency: the web UI's JSON twins over a store of 100,000 generated articles.

A store is generated (synthetic but shaped like real ones: sites, dated articles of ~150 words
in sentences, quotes with named speakers, events with CAMEO codes, PLOVER types, quad classes,
Goldstein scores, sources, targets and places), then ``wirewatch serve`` is started on
127.0.0.1 and an HTTP client on the same machine times requests, one at a time:

- article: ``GET /api/articles/{id}`` (the story/article page's twin) and the HTML page;
- search: ``GET /api/search?q=...`` with one or two words, some with a filter;
- events: ``GET /api/events`` with and without filters, first pages and pages deeper in;
- home: ``GET /api/stories`` (the latest stories: first page, page 21, with a filter) and
  ``GET /api/articles`` (the latest articles);
- story: ``GET /api/stories/{id}`` and its HTML page (stories are generated in bulk: every
  three consecutive articles one story, the first leading, the others its near copies);
- timeline and map: ``GET /api/timeline`` and ``GET /api/map`` over every event (aggregates).

Each is reported as median and p95 milliseconds, against two baselines measured in the same
run: the same store query called in-process (no HTTP, no JSON), so the ratio is what the web
layer costs; and a static file over HTTP (the floor of one request to this server).

Generation inserts rows with ``executemany`` in one transaction per 5,000 articles, with the
full-text indexes' triggers dropped during the load and each index rebuilt once at the end
(``INSERT INTO t(t) VALUES ('rebuild')``), then the triggers put back as the store had them:
one bulk rebuild is far faster than 100,000 trigger runs. The store is kept (``--db``) and
reused when it already holds the requested number of articles.

The same requests then go to the same store copied into PostgreSQL (``store.copy``; a
throwaway server started with ``scripts/postgres.sh`` unless ``--postgres URL`` names one,
schema ``bench_api``, kept and reused like the SQLite file), and the two backends are printed
side by side (``--backends sqlite`` skips PostgreSQL).

    python bench/api.py [--articles 100000] [--requests 100] [--db /tmp/wirewatch-bench-api.db]
                        [--backends sqlite,postgresql] [--postgres URL]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psycopg

from wirewatch.serialize import article_to_dict
from wirewatch.store import Store
from wirewatch.store.browse import BrowseFilters, latest_articles, list_events, search_articles
from wirewatch.store.charts import event_places, events_per_day
from wirewatch.store.copy import copy_store
from wirewatch.store.story_listing import latest_stories
from wirewatch.stories.view import story_dict, story_view
from wirewatch.understand.codes import cameo_table, plover_type

SITES = [f"wire{n}.example" for n in range(40)]
PLACES = [
    ("Kyiv", "UKR", 50.45, 30.52), ("Moscow", "RUS", 55.75, 37.62),
    ("Kabul", "AFG", 34.53, 69.17), ("Damascus", "SYR", 33.51, 36.29),
    ("Baghdad", "IRQ", 33.34, 44.40), ("Beijing", "CHN", 39.91, 116.40),
    ("Washington", "USA", 38.90, -77.04), ("Brussels", "BEL", 50.85, 4.35),
    ("Nairobi", "KEN", -1.28, 36.82), ("Caracas", "VEN", 10.49, -66.88),
    ("Tehran", "IRN", 35.69, 51.42), ("Khartoum", "SDN", 15.55, 32.53),
    ("Bamako", "MLI", 12.65, -8.00), ("Manila", "PHL", 14.60, 120.98),
    ("Bogota", "COL", 4.61, -74.08), ("Tripoli", "LBY", 32.89, 13.19),
    ("Sanaa", "YEM", 15.35, 44.21), ("Islamabad", "PAK", 33.72, 73.04),
    ("Ankara", "TUR", 39.92, 32.85), ("Addis Ababa", "ETH", 9.02, 38.75),
]  # fmt: skip
SECTORS = ["GOV", "MIL", "REB", "CVL", "BUS", "COP", "OPP"]
FIRST = ["Anna", "Oleg", "Maria", "Ahmed", "Li", "John", "Fatima", "Carlos", "Ivan", "Amina"]
LAST = ["Petrenko", "Ivanova", "Haddad", "Wei", "Smith", "Diallo", "Garcia", "Novak", "Okafor"]
COMMON = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "on",
    "for",
    "said",
    "that",
    "with",
    "by",
    "was",
    "from",
    "at",
    "as",
    "its",
    "after",
    "have",
    "has",
    "were",
    "officials",
    "government",
    "people",
    "two",
    "on",
    "monday",
    "tuesday",
    "city",
    "region",
    "week",
    "year",
    "told",
    "reporters",
]
# Topic words appear in a few percent of articles each, as a searched-for news term does.
TOPICS = [
    "ceasefire",
    "sanctions",
    "refugees",
    "pipeline",
    "summit",
    "envoy",
    "shelling",
    "convoy",
    "drought",
    "referendum",
    "blockade",
    "tariffs",
    "hostages",
    "evacuation",
    "earthquake",
    "strike",
    "inflation",
    "election",
    "mutiny",
    "embargo",
]
# A long tail of rarer words, so that texts are not all made of the same thirty words.
TAIL = [f"{a}{b}{c}" for a in "bdfgklmnprstvz" for b in ("a", "e", "i", "o", "u", "ai") for c in
        ("n", "r", "s", "l", "nt", "rk", "st", "m", "d", "x")]  # fmt: skip
CAMEO = [c for c in cameo_table().values() if len(c.code) == 3]
SEARCHES = ["ceasefire", "sanctions OR tariffs", "refugees", "pipeline", "summit envoy", "Kyiv"]


def sentence(rng: random.Random, place: str) -> str:
    words = rng.choices(COMMON, k=rng.randint(6, 12)) + rng.choices(TAIL, k=rng.randint(4, 8))
    rng.shuffle(words)
    if rng.random() < 0.03:
        words.insert(rng.randint(0, len(words)), rng.choice(TOPICS))
    words.insert(rng.randint(0, len(words)), place)
    return " ".join(words).capitalize() + "."


def generate(db: Path, count: int, seed: int = 7) -> None:
    """Write ``count`` synthetic articles with their annotations into a new store at ``db``."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    rng = random.Random(seed)
    with Store.open(db) as store:
        conn = store.connection
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_fts_%'"
        ).fetchall()
        conn.execute("PRAGMA synchronous = OFF")
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        conn.executemany(
            "INSERT INTO sites (id, host, name) VALUES (?, ?, ?)",
            [(i + 1, host, host.split(".")[0].title()) for i, host in enumerate(SITES)],
        )
        batch = 5_000
        for first in range(0, count, batch):
            rows = [_article_rows(rng, n) for n in range(first, min(first + batch, count))]
            with store.transaction() as tx:
                tx.executemany(_INSERT_ARTICLE, [r["article"][0] for r in rows])
                for table, sql in _CHILD_INSERTS.items():
                    tx.executemany(sql, [row for r in rows for row in r[table]])
            print(f"  generated {min(first + batch, count)}/{count} articles", file=sys.stderr)
        for index in ("articles_fts", "quotes_speaker_fts", "event_actors_fts"):
            conn.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")
        for _, sql in triggers:
            conn.execute(sql)
        add_stories(store)
        conn.execute("ANALYZE")


STORY_SIZE = 3
"""Generated stories: each run of this many consecutive articles, the first leading and the
others recorded as its near copies (a syndicated story seen on three sites)."""


def add_stories(store: Store) -> None:
    """Story rows for every article, in bulk: one story per ``STORY_SIZE`` articles."""
    lead = f"(SELECT f.id FROM articles AS f WHERE f.seq = a.seq - ((a.seq - 1) % {STORY_SIZE}))"
    with store.transaction() as tx:
        tx.execute(
            "INSERT INTO stories (id, lead_article_id, title, first_at, last_at, created_at) "
            "SELECT 's-' || id, id, title, published, published, ingested_at FROM articles "
            f"WHERE (seq - 1) % {STORY_SIZE} = 0"
        )
        tx.execute(
            "INSERT INTO story_articles (article_id, story_id, copy_of, relation, similarity, "
            "containment, headline_differs, chars_delta, words_delta, score, at) "
            f"SELECT a.id, 's-' || {lead}, nullif({lead}, a.id), "
            f"CASE WHEN (a.seq - 1) % {STORY_SIZE} = 0 THEN 'original' ELSE 'near' END, "
            "0.9, 0.95, 1, -12, -2, NULL, a.published FROM articles AS a"
        )
        tx.execute(
            "INSERT INTO story_copies (story_id, article_id, locator, url, canonical_url, site, "
            "title, published, collected, chars, words, relation, similarity, containment, "
            "headline_differs, chars_delta, words_delta) "
            "SELECT m.story_id, a.id, coalesce(a.url, 'bench:' || a.id), a.url, NULL, a.site, "
            "a.title, a.published, a.ingested_at, length(a.text), a.word_count, m.relation, "
            "m.similarity, m.containment, m.headline_differs, m.chars_delta, m.words_delta "
            "FROM articles AS a JOIN story_articles AS m ON m.article_id = a.id"
        )


_INSERT_ARTICLE = (
    "INSERT INTO articles (id, seq, url, site_id, site, title, author, published, language, "
    "fetched_at, source, text, word_count, content_hash, metadata, ingested_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'en', ?, ?, ?, ?, ?, '{}', ?)"
)
_CHILD_INSERTS = {
    "sentences": "INSERT INTO sentences VALUES (?, ?, ?, ?)",
    "quotes": (
        "INSERT INTO quotes (article_id, idx, text, start, end, kind, cue, sentence, "
        "speaker_name, speaker_text, speaker_start, speaker_end, speaker_role, "
        "speaker_organisation, speaker_country) VALUES (?, ?, ?, ?, ?, 'direct', 'said', ?, ?, "
        "?, ?, ?, NULL, NULL, ?)"
    ),
    "actors": (
        "INSERT INTO actors (article_id, idx, text, start, end, code, name, country, sector) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ),
    "events": (
        "INSERT INTO events (article_id, idx, cameo, cameo_name, plover, quad_class, goldstein, "
        "polarity, trigger, start, end, sentence, date, date_first, date_last, location_text, "
        "location_start, location_end, location_name, location_lat, location_lon, "
        "location_country, location_feature, location_metonymic, location_sentence) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, 'asserted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'capital', "
        "0, ?)"
    ),
    "event_actors": (
        "INSERT INTO event_actors (article_id, event_idx, role, idx, text, start, end, code, "
        "name, country, sector) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)"
    ),
}


def _article_rows(rng: random.Random, n: int) -> dict[str, list[Any]]:
    place, country, lat, lon = rng.choice(PLACES)
    sentences = [sentence(rng, rng.choice(PLACES)[0] if i else place) for i in range(6)]
    speaker = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    quote = " ".join(rng.choices(COMMON + TAIL, k=10))
    sentences[2] = f'"{quote}," {speaker} said.'
    text = "\n".join(" ".join(sentences[i : i + 2]) for i in range(0, 6, 2))
    article_id = hashlib.sha256(str(n).encode()).hexdigest()
    day = f"{2023 + n * 2 // 100_000 % 3:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    spans, at = [], 0
    for part in text.split("\n"):
        for s in (part[: part.index(".") + 1], part[part.index(".") + 2 :]):
            start = text.index(s, at)
            spans.append((start, start + len(s)))
            at = start + len(s)
    site = rng.randrange(len(SITES))
    aid = article_id[:16]
    q_start = text.index(quote)
    s_start = text.index(speaker)
    rows: dict[str, list[Any]] = {
        "article": [(
            aid, n + 1, f"https://{SITES[site]}/news/{n}", site + 1, None,
            f"{place}: {' '.join(rng.choices(TAIL, k=5))}", speaker, day,
            f"{day}T08:00:00+00:00", "bench", text, len(text.split()), article_id,
            f"{day}T09:00:00+00:00",
        )],
        "sentences": [(aid, i, s, e) for i, (s, e) in enumerate(spans)],
        "quotes": [(
            aid, 0, quote, q_start, q_start + len(quote), 2, speaker, speaker, s_start,
            s_start + len(speaker), country,
        )],
        "actors": [(aid, 0, speaker, s_start, s_start + len(speaker), f"{country}GOV", speaker,
                    country, "GOV")],
        "events": [],
        "event_actors": [],
    }  # fmt: skip
    for idx in range(2):
        code = rng.choice(CAMEO)
        other = rng.choice(PLACES)[1]
        start, end = spans[idx * 3]
        rows["events"].append((
            aid, idx, code.code, code.name, plover_type(code.code), code.quad_class,
            code.goldstein, "said", start, end, idx * 3, day, day, day, place, 0, len(place),
            place, lat, lon, country, 0,
        ))  # fmt: skip
        for role, iso in (("source", country), ("target", other)):
            sector = rng.choice(SECTORS)
            rows["event_actors"].append(
                (aid, idx, role, iso, start, start + 3, iso + sector, None, iso, sector)
            )
    return rows


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def timed(call: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--db", type=Path, default=Path("/tmp/wirewatch-bench-api.db"))
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres", default=None, help="a server URL (default: start one)")
    args = parser.parse_args(argv)

    if not _holds(args.db, args.articles):
        started = time.perf_counter()
        generate(args.db, args.articles)
        print(f"generated {args.articles} articles in {time.perf_counter() - started:.0f} s")
    with Store.open(args.db) as store:
        ids = _sample_ids(store, random.Random(11), args.requests)
    targets = {"sqlite": str(args.db)}
    with _postgres(args) as url:
        if url is not None:
            targets["postgresql"] = url
        results = {}
        for backend, target in targets.items():
            with Store.open(target) as store:
                counts = store.counts()
                events = store.connection.execute("SELECT count(*) FROM events").fetchone()[0]
                quotes = store.connection.execute("SELECT count(*) FROM quotes").fetchone()[0]
                print(
                    f"\n{backend} store: {counts['articles']} articles, {quotes} quotes, "
                    f"{events} events"
                )
                if backend == "sqlite":
                    _print_plans(store)
                cases = _cases(store, random.Random(11), ids)
                with _server(target) as client:
                    results[backend] = _measure(client, store, cases, args.requests)
    if len(results) == 2:
        _compare(results["sqlite"], results["postgresql"])
    print(
        "\nin-process: the same store query without HTTP or JSON (median ms); ratio: HTTP "
        "median / in-process median. Each request is timed over HTTP, then in-process, after "
        "a warm-up of each; client and server on this machine, one request at a time."
    )
    return 0


@contextmanager
def _server(db: str) -> Iterator[httpx.Client]:
    """``wirewatch serve`` on a free port of 127.0.0.1, and a client for it."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "wirewatch"), "--db", str(db), "-q",
            "serve", "--port", str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            _wait_ready(client)
            yield client
    finally:
        server.terminate()
        server.wait(timeout=10)


Timing = tuple[float, float]


def _measure(
    client: httpx.Client, store: Store, cases: dict[str, Case], repeat: int
) -> dict[str, Timing]:
    """Each case's median and p95 over HTTP (printed with the in-process time)."""
    found: dict[str, Timing] = {}
    floor = _over_http(client, ["/static/favicon.svg"], repeat)
    print()
    print(f"{'request':<34} {'median ms':>10} {'p95 ms':>8} {'in-process':>11} {'ratio':>6}")
    print(f"{'static file (HTTP floor)':<34} {statistics.median(floor):>10.2f} "
          f"{percentile(floor, 0.95):>8.2f} {'-':>11} {'-':>6}")  # fmt: skip
    inside_repeat = max(20, repeat // 4)  # in-process times spread little
    for name, (call, paths) in cases.items():
        times = _over_http(client, paths, repeat)
        call(store)  # warm-up
        inside = statistics.median(timed(lambda c=call: c(store), inside_repeat))
        median = statistics.median(times)
        print(
            f"{name:<34} {median:>10.2f} {percentile(times, 0.95):>8.2f} "
            f"{inside:>11.2f} {median / inside:>6.1f}"
        )
        found[name] = (median, percentile(times, 0.95))
    return found


def _compare(sqlite: dict[str, Timing], postgres: dict[str, Timing]) -> None:
    print("\nSQLite against PostgreSQL, same requests, same run (HTTP, ms)")
    print(
        f"{'request':<34} {'SQLite p50':>10} {'p95':>7} {'PG p50':>8} {'p95':>7} {'PG/SQLite':>9}"
    )
    for name, (median, p95) in sqlite.items():
        pg_median, pg_p95 = postgres[name]
        print(
            f"{name:<34} {median:>10.2f} {p95:>7.2f} {pg_median:>8.2f} {pg_p95:>7.2f} "
            f"{pg_median / median:>9.2f}"
        )


@contextmanager
def _postgres(args: argparse.Namespace) -> Iterator[str | None]:
    """The PostgreSQL copy of the SQLite store (schema ``bench_api``), or None."""
    if "postgresql" not in args.backends.split(","):
        yield None
        return
    folder = Path("/tmp/wirewatch-bench-api-pg")
    url = args.postgres
    if url is None:
        done = subprocess.run(
            ["bash", str(Path(__file__).resolve().parents[1] / "scripts/postgres.sh"), "start",
             str(folder)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        url = done.stdout.strip().splitlines()[-1]
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
            conn.execute("CREATE SCHEMA IF NOT EXISTS bench_api")
        store_url = f"{url}?options={quote('-csearch_path=bench_api,public')}"
        with Store.open(args.db) as source, Store.open(store_url) as target:
            if target.counts()["articles"] != source.counts()["articles"]:
                started = time.perf_counter()
                copy_store(source, target)
                target.connection.execute("ANALYZE")
                print(f"copied the store into PostgreSQL in {time.perf_counter() - started:.0f} s")
        yield store_url
    finally:
        if args.postgres is None:
            subprocess.run(
                ["bash", str(Path(__file__).resolve().parents[1] / "scripts/postgres.sh"),
                 "stop", str(folder)],
                check=False,
            )  # fmt: skip


def _holds(db: Path, count: int) -> bool:
    if not db.exists():
        return False
    with Store.open(db) as store:
        if store.counts()["articles"] != count:
            return False
        if store.connection.execute("SELECT count(*) FROM stories").fetchone()[0] == 0:
            add_stories(store)  # a store generated before stories were
            store.connection.execute("ANALYZE")
        return True


def _sample_ids(store: Store, rng: random.Random, count: int) -> list[str]:
    total = store.counts()["articles"]
    seqs = [rng.randint(1, total) for _ in range(count)]
    found = store.connection.execute(
        "SELECT id FROM articles WHERE seq IN (SELECT value FROM json_each(?))", (json.dumps(seqs),)
    ).fetchall()
    return [row[0] for row in found]


Case = tuple[Callable[[Store], Any], list[str]]


def _cases(store: Store, rng: random.Random, ids: list[str]) -> dict[str, Case]:
    """Each measured request: the in-process call, and the HTTP paths it is timed over."""
    conn = store.connection
    every = BrowseFilters.parse()
    ukraine = BrowseFilters.parse(country="UKR")
    conflict = BrowseFilters.parse(quad_class=4, plover="ASSAULT")
    deep = list_events(conn, every, 50)
    for _ in range(20):  # a cursor 20 pages in
        assert deep.next_cursor is not None
        deep = list_events(conn, every, 50, deep.next_cursor)
    cursor = deep.next_cursor or ""
    pick = iter(ids * 3)
    word = iter(SEARCHES * 1000)
    stories = [row[0] for row in conn.execute(
        "SELECT DISTINCT story_id FROM story_articles WHERE article_id IN "
        "(SELECT value FROM json_each(?))", (json.dumps(ids),)
    )]  # fmt: skip
    story = iter(stories * 3)
    story_page = latest_stories(conn, every, 50)
    for _ in range(20):
        assert story_page.next_cursor is not None
        story_page = latest_stories(conn, every, 50, story_page.next_cursor)
    story_cursor = story_page.next_cursor or ""
    return {
        "stories, first page (/api/stories)": (
            lambda s: latest_stories(s.connection, every, 50),
            ["/api/stories"],
        ),
        "stories, page 21 (cursor)": (
            lambda s: latest_stories(s.connection, every, 50, story_cursor),
            [f"/api/stories?cursor={story_cursor}"],
        ),
        "stories, country=UKR": (
            lambda s: latest_stories(s.connection, ukraine, 50),
            ["/api/stories?country=UKR"],
        ),
        "story page (/api/stories/ID)": (
            lambda s: story_dict(story_view(s, next(story)) or _missing()),
            [f"/api/stories/{i}" for i in stories],
        ),
        "story page, HTML (/stories/ID)": (
            lambda s: story_view(s, next(story)),
            [f"/stories/{i}" for i in stories],
        ),
        "article page (/api/articles/ID)": (
            lambda s: article_to_dict(s.get_article(next(pick)) or _missing()),
            [f"/api/articles/{i}" for i in ids],
        ),
        "article page, HTML (/articles/ID)": (
            lambda s: s.get_article(next(pick)),
            [f"/articles/{i}" for i in ids],
        ),
        "search (/api/search?q=)": (
            lambda s: search_articles(s.connection, next(word), every, 50),
            [f"/api/search?q={w}" for w in SEARCHES],
        ),
        "search + country filter": (
            lambda s: search_articles(s.connection, next(word), ukraine, 50),
            [f"/api/search?q={w}&country=UKR" for w in SEARCHES],
        ),
        "events, first page (/api/events)": (
            lambda s: list_events(s.connection, every, 50),
            ["/api/events"],
        ),
        "events, country=UKR": (
            lambda s: list_events(s.connection, ukraine, 50),
            ["/api/events?country=UKR"],
        ),
        "events, quad 4 + ASSAULT": (
            lambda s: list_events(s.connection, conflict, 50),
            ["/api/events?quad_class=4&plover=ASSAULT"],
        ),
        "events, page 21 (cursor)": (
            lambda s: list_events(s.connection, every, 50, cursor),
            [f"/api/events?cursor={cursor}"],
        ),
        "timeline (/api/timeline)": (
            lambda s: events_per_day(s.connection, every),
            ["/api/timeline"],
        ),
        "map (/api/map)": (
            lambda s: event_places(s.connection, every),
            ["/api/map"],
        ),
        "latest articles (/api/articles)": (
            lambda s: latest_articles(s.connection, every, 50),
            ["/api/articles"],
        ),
    }


def _missing() -> Any:
    raise SystemExit("a sampled article id is not in the store")


def _over_http(client: httpx.Client, paths: list[str], repeat: int) -> list[float]:
    cycle = iter(paths * (repeat // len(paths) + 1))

    def call() -> None:
        response = client.get(next(cycle))
        response.raise_for_status()

    call()  # warm this path's code once
    return timed(call, repeat)


def _wait_ready(client: httpx.Client) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if client.get("/api/articles?limit=1").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def _print_plans(store: Store) -> None:
    """The query plans of the listing queries: each must search an index, not scan a table."""
    conn = store.connection
    checks = {
        "home": "SELECT a.id FROM articles AS a ORDER BY coalesce(a.published_day, '') DESC, "
        "a.seq DESC LIMIT 51",
        "events, window": "SELECT e.article_id, e.idx FROM articles AS a CROSS JOIN events AS e "
        "ON e.article_id = a.id WHERE a.seq <= 100001 AND a.seq > 98001 AND e.plover = 'ASSAULT' "
        "ORDER BY a.seq DESC, e.idx LIMIT 51",
        "events, planner": "SELECT e.article_id, e.idx FROM events AS e JOIN articles AS a "
        "ON a.id = e.article_id WHERE e.cameo >= '1823' AND e.cameo < '1824' "
        "ORDER BY a.seq DESC, e.idx LIMIT 51",
        "speaker": "SELECT q.article_id FROM quotes AS q WHERE q.speaker_name = 'x'",
        "article": "SELECT * FROM articles WHERE id >= 'abc' AND id < 'abcg' LIMIT 2",
    }
    print("query plans:")
    for name, sql in checks.items():
        plan = "; ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
        print(f"  {name:<16} {plan}")


if __name__ == "__main__":
    sys.exit(main())
