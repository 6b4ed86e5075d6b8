"""A local run going on with a WARC file a Ray run split into record ranges and stopped.

Builds one per-record-gzipped WARC file of ``--pages`` WCXB pages (``ray_memory.build``), then
for each checkout, in its own process and a fresh SQLite store: plans the file as a Ray run
does (``markers.plan`` with ``ray_block_bytes`` a ``--ranges``-th of its size: its
``split_archives`` row and one ``blocks`` row per range), stores its first ``--done`` ranges
with their markers as a Ray run would have before it stopped, and times the local run that
follows (``ingest_archives``, ``--stages extract``): documents it read, articles it added,
duplicates it counted, and the articles the store then holds. ``--baseline DIR`` measures
another checkout (main, say) first, in the same run.

    python bench/split_resume.py [--pages 120] [--ranges 4] [--done 2] [--baseline ../main]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ray_memory import DEFAULT_DATA, build


def child(db: str, path: str, ranges: int, done: int) -> None:
    from wirewatch.collect.warc import read_archive_range
    from wirewatch.run.archives import ingest_archives
    from wirewatch.run.cluster.markers import mark_done, plan
    from wirewatch.run.ingest import ingest_documents
    from wirewatch.settings import Settings
    from wirewatch.store import Store
    from wirewatch.store.blocks import BlockCounts

    settings = Settings()
    with Store.open(db) as store:
        planned = plan([(path,)], store, block_bytes=Path(path).stat().st_size // ranges)
        for item in planned.blocks[:done]:
            assert item.span is not None and item.marker is not None
            records = read_archive_range(Path(path), settings, None, *item.span)
            documents = [record.item for record in records if record.item is not None]
            stored = ingest_documents(documents, store, settings, stages="extract")
            counts = BlockCounts(len(documents), stored.added, stored.copies, stored.duplicates,
                                 len(stored.failures))  # fmt: skip
            with store.transaction() as conn:
                mark_done(conn, item.marker, None, counts)
        before = sum(1 for _ in store.iter_articles())
        started = time.perf_counter()
        run = ingest_archives([path], store, settings, stages="extract")
        seconds = time.perf_counter() - started
        held = sum(1 for _ in store.iter_articles())
    summary = run.summary
    print(json.dumps({
        "ranges": len(planned.blocks), "done": done, "held_before": before,
        "seconds": round(seconds, 2), "documents": run.stats.documents, "added": summary.added,
        "copies": summary.copies, "duplicates": summary.duplicates, "held": held,
    }))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--ranges", type=int, default=4)
    parser.add_argument("--done", type=int, default=2)
    parser.add_argument("--baseline", type=Path, help="another checkout to measure first")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        db, path, ranges, done = args.child
        child(db, path, int(ranges), int(done))
        return
    checkouts = [("this", Path(__file__).resolve().parents[1])]
    if args.baseline is not None:
        checkouts.insert(0, ("base", args.baseline.resolve()))
    with tempfile.TemporaryDirectory() as folder:
        (path,) = build(args.data, args.pages, args.pages, Path(folder))
        print(f"{args.pages} pages in one WARC file, {args.ranges} ranges wanted, "
              f"{args.done} stored before the local run")  # fmt: skip
        print("checkout | ranges | done | local s | documents read | added | copies | "
              "duplicates | held before -> after")  # fmt: skip
        for name, root in checkouts:
            db = str(Path(folder) / f"{name}.db")
            command = [str(root / ".venv/bin/python"), __file__, "--child", db, str(path),
                       str(args.ranges), str(args.done)]  # fmt: skip
            done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=True)
            row = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{name} | {row['ranges']} | {row['done']} | {row['seconds']} | "
                  f"{row['documents']} | {row['added']} | {row['copies']} | "
                  f"{row['duplicates']} | {row['held_before']} -> {row['held']}")  # fmt: skip


if __name__ == "__main__":
    main()
