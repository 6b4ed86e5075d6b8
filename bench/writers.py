"""Many writers on one PostgreSQL store: ingest rate, and nothing lost or stored twice.

The same N pages of a WCXB-style set (``html/NNNN.html.gz``, written out as files) go through
``wirewatch ingest --stages extract`` (collect, extract, clean, store, stories; no NLP), each
writer a process of its own with one extraction worker, in one run:

- the baseline: one writer into a new SQLite store;
- PostgreSQL with 1, 2 and 4 writers at once, the pages split between them: documents per
  second for all of them together, against the baseline;
- the stress run: W writers at once, every one given every page (at its own paths, so every
  text arrives W times at the same moment), against the same W folders ingested by one
  writer into SQLite: every table must hold as many rows (a page that names its URL is one
  document wherever its file is; one that does not is a copy at each path); lost and
  duplicated rows are reported per table (must be 0).

A throwaway PostgreSQL is started with ``scripts/postgres.sh`` unless ``--postgres URL``
names one (each run then gets a schema of its own in it).

    python bench/writers.py [--pages 120] [--writers 1,2,4] [--stress 4] [--postgres URL]
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg

from wirewatch.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared/eval/wcxb-articles-dev"
WIREWATCH = str(Path(sys.executable).parent / "wirewatch")
COUNTED = ("articles", "stories", "story_copies", "failures")


def write_pages(data: Path, pages: int, folder: Path, prefix: str = "") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted((data / "html").glob("*.html.gz"))
    written = []
    for n in range(pages):
        page = folder / f"{prefix}{n:05d}.html"
        page.write_bytes(gzip.decompress(sources[n % len(sources)].read_bytes()))
        written.append(page)
    return written


def ingest_at_once(db: str, folders: list[Path]) -> float:
    """One ``wirewatch ingest`` per folder, all started together; wall seconds to the last."""
    started = time.perf_counter()
    # A generous extraction cap: a busy machine must not turn slow pages into failures here.
    settings = ["--set", "extract_workers=1", "--set", "extract_timeout=300"]
    command = [WIREWATCH, "-q", "--db", db, *settings, "ingest"]
    writers = [
        subprocess.Popen(
            [*command, "--stages", "extract", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for folder in folders
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=3600)
        if writer.returncode not in (0, 1):  # 1: some inputs failed, which pages do
            raise SystemExit(f"a writer failed ({writer.returncode}): {err.decode()[-2000:]}")
    return time.perf_counter() - started


def counts(db: str) -> dict[str, int]:
    with Store.open(db) as store:
        conn = store.connection
        return {
            table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in COUNTED
        }


class Server:
    """Schemas on a PostgreSQL server: the one given, or a throwaway one started here."""

    def __init__(self, url: str | None, folder: Path) -> None:
        self.folder = folder
        self.started = url is None
        if url is None:
            done = subprocess.run(
                ["bash", str(ROOT / "scripts/postgres.sh"), "start", str(folder / "pg")],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            url = done.stdout.strip().splitlines()[-1]
        self.url = url
        self._schemas = 0
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")

    def schema(self) -> str:
        self._schemas += 1
        name = f"bench_writers_{self._schemas}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
            conn.execute(f"CREATE SCHEMA {name}")
        url = f"{self.url}?options={quote(f'-csearch_path={name},public')}"
        Store.open(url).close()  # migrated before the writers start
        return url

    def stop(self) -> None:
        if self.started:
            subprocess.run(["bash", str(ROOT / "scripts/postgres.sh"), "stop",
                            str(self.folder / "pg")], check=False)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--writers", default="1,2,4")
    parser.add_argument("--stress", type=int, default=4)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="wirewatch-writers-") as tmp:
        out = Path(tmp)
        server = Server(args.postgres, out)
        try:
            all_pages = out / "all"
            write_pages(args.data, args.pages, all_pages)
            sqlite_db = str(out / "one.db")
            seconds = ingest_at_once(sqlite_db, [all_pages])
            base = counts(sqlite_db)
            base_rate = args.pages / seconds
            print(f"{args.pages} pages, --stages extract, 1 extraction worker per writer")
            print(f"{'run':<28} {'seconds':>8} {'docs/s':>8} {'vs SQLite':>10}  stored")
            print(f"{'SQLite, 1 writer':<28} {seconds:>8.1f} {base_rate:>8.2f} {1:>10.2f}  {base}")
            for writers in (int(w) for w in args.writers.split(",")):
                folders = []
                for w in range(writers):
                    shard = out / f"split{writers}" / f"w{w}"
                    shard.mkdir(parents=True)
                    for page in sorted(all_pages.iterdir())[w::writers]:
                        (shard / page.name).write_bytes(page.read_bytes())
                    folders.append(shard)
                url = server.schema()
                seconds = ingest_at_once(url, folders)
                rate = args.pages / seconds
                found = counts(url)
                print(
                    f"{f'PostgreSQL, {writers} writer(s)':<28} {seconds:>8.1f} {rate:>8.2f} "
                    f"{rate / base_rate:>10.2f}  {found}"
                )
            stress(args, out, server)
        finally:
            server.stop()
    return 0


def stress(args: argparse.Namespace, out: Path, server: Server) -> None:
    writers = args.stress
    folders = []
    for w in range(writers):
        folders.append(out / f"stress/w{w}")
        write_pages(args.data, args.pages, folders[-1], prefix=f"w{w}-")
    one = str(out / "stress-one.db")
    ingest_at_once(one, [out / "stress"])  # the same folders, one writer, one after another
    expected = counts(one)
    url = server.schema()
    seconds = ingest_at_once(url, folders)
    found = counts(url)
    print(
        f"\nstress: {writers} writers at once, each given all {args.pages} pages at its own "
        f"paths ({writers * args.pages} arrivals), {seconds:.1f} s; expected: the same "
        "folders through one SQLite writer"
    )
    print(f"{'table':<14} {'expected':>9} {'stored':>7} {'lost':>5} {'duplicated':>11}")
    for table in COUNTED:
        lost = max(0, expected[table] - found[table])
        extra = max(0, found[table] - expected[table])
        print(f"{table:<14} {expected[table]:>9} {found[table]:>7} {lost:>5} {extra:>11}")


if __name__ == "__main__":
    sys.exit(main())
