"""``ingest --executor ray`` against the local executor, on the same WARC files, same run.

Builds two per-record-gzipped WARC files from the WCXB pages (``bench/warc.py``'s builder),
then runs ``wirewatch ingest`` on them into a fresh SQLite store four ways, each in its own
process: the local executor with ``--jobs 1`` and ``--jobs 2`` (one archive per worker), and
``--executor ray`` with 1 and 2 workers on a local Ray cluster the command starts and stops
(its start-up, about 5-10 s, is inside the Ray rows' time, as a user pays it). Documents per
second count the documents read (wall clock); ratios are against ``--jobs 1`` of the same run;
scaling efficiency is (2-worker rate) / (2 x 1-worker rate).

    python bench/ray_ingest.py [--pages 300] [--stages all|extract]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from warc import DEFAULT_DATA, build  # bench/warc.py

RUNS = {
    "ingest --jobs 1": ["--jobs", "1"],
    "ingest --jobs 2": ["--jobs", "2"],
    "ingest --executor ray --jobs 1": ["--executor", "ray", "--jobs", "1"],
    "ingest --executor ray --jobs 2": ["--executor", "ray", "--jobs", "2"],
}


def run(paths: list[str], options: list[str], stages: str, folder: Path) -> float:
    """Seconds for one ``ingest`` into a new store."""
    db = folder / f"{time.monotonic_ns()}.db"
    wirewatch = str(Path(sys.executable).with_name("wirewatch"))
    command = [wirewatch, "--db", str(db), "ingest",
               "--stages", stages, *options, *paths]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1) or "ingested " not in done.stderr:
        raise SystemExit(f"{' '.join(options)} failed:\n{done.stderr[-2000:]}")
    print(options, done.stderr.strip().splitlines()[-1], file=sys.stderr)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--stages", choices=["all", "extract"], default="all")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        paths = [str(p) for p in build(args.data, args.pages, folder)]
        results = {
            label: run(paths, options, args.stages, folder) for label, options in RUNS.items()
        }
    base = args.pages / results["ingest --jobs 1"]
    print(f"{args.pages} pages in 2 WARC files, --stages {args.stages}")
    print(f"{'run':<32} {'seconds':>8} {'docs/s':>8} {'ratio':>6}")
    for label, seconds in results.items():
        rate = args.pages / seconds
        print(f"{label:<32} {seconds:>8.1f} {rate:>8.2f} {rate / base:>6.2f}")
    for kind in ("ingest --jobs", "ingest --executor ray --jobs"):
        one, two = (args.pages / results[f"{kind} {n}"] for n in (1, 2))
        print(f"scaling efficiency, {kind} 2 vs 1: {two / (2 * one):.2f}")


if __name__ == "__main__":
    main()
