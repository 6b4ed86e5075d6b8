"""Export speed and size: every export format over a store of generated articles.

The store is bench/api.py's (synthetic articles with quotes and events; every three
consecutive articles one story, the first leading, the others its near copies); its
story-level records are computed once, as ``wirewatch stories --backfill`` does, and the time
that takes is reported. Then each export runs into a file and is timed: rows per second and
bytes, with the Parquet file's size against CSV's for the same events. The baseline, measured
in the same run, is the cheapest possible export: the raw event rows read with one SELECT and
written as tab-separated text, no joins and no records.

    python bench/export.py [--articles 100000] [--db /tmp/wirewatch-bench-api.db]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import _holds, generate

from wirewatch.store import Store
from wirewatch.store.export import export_records
from wirewatch.store.parquet import write_parquet
from wirewatch.stories.backfill import refresh_missing

CASES = (
    ("events", "jsonl", {}),
    ("events", "csv", {}),
    ("events", "gdelt", {}),
    ("events", "plover", {}),
    ("events", "parquet", {}),
    ("events", "csv", {"per_mention": True}),
    ("mentions", "gdelt", {}),
    ("quotes", "parquet", {}),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/wirewatch-bench-api.db"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/wirewatch-bench-export"))
    args = parser.parse_args(argv)
    if not _holds(args.db, args.articles):
        generate(args.db, args.articles)
    args.out.mkdir(parents=True, exist_ok=True)
    with Store.open(args.db) as store:
        started = time.perf_counter()
        refreshed = refresh_missing(store)
        if refreshed:
            print(f"records for {refreshed} stories in {time.perf_counter() - started:.1f} s")
        events = store.connection.execute("SELECT count(*) FROM events").fetchone()[0]
        print(f"store {args.db}: {store.counts()['articles']} articles, {events} event mentions")
        print("| export | rows | seconds | rows/s | MB |")
        print("|---|---|---|---|---|")
        _baseline(store, args.out / "baseline.tsv")
        sizes: dict[str, int] = {}
        for what, fmt, options in CASES:
            name = f"{what}-{'mentions-' if options else ''}{fmt}"
            path = args.out / f"{name}.{fmt}"
            started = time.perf_counter()
            if fmt == "parquet":
                rows = write_parquet(store, what, path, **options)
            else:
                with path.open("w", encoding="utf-8", newline="") as out:
                    rows = export_records(store, what, fmt, out, **options)  # type: ignore[arg-type]
            seconds = time.perf_counter() - started
            sizes[name] = path.stat().st_size
            _line(name, rows, seconds, sizes[name])
        ratio = sizes["events-parquet"] / sizes["events-csv"]
        print(f"\nParquet / CSV size for the same event records: {ratio:.2f}")
    return 0


def _baseline(store: Store, path: Path) -> None:
    """Raw event rows, one SELECT, tab-separated: the floor any export sits on."""
    started = time.perf_counter()
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter="\t")
        for row in store.connection.execute("SELECT * FROM events"):
            writer.writerow(tuple(row))
            rows += 1
    _line("baseline: SELECT * FROM events as TSV", rows, time.perf_counter() - started,
          path.stat().st_size)  # fmt: skip


def _line(name: str, rows: int, seconds: float, size: int) -> None:
    print(f"| {name} | {rows} | {seconds:.2f} | {rows / seconds:,.0f} | {size / 1e6:.1f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
