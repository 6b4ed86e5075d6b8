"""``ingest --executor ray`` against the local executor, on the same WARC files, same run.

Builds two per-record-gzipped WARC files from the WCXB pages (``bench/warc.py``'s builder),
then runs ``wirewatch ingest`` on them into a fresh SQLite store four ways, each in its own
process: the local executor with ``--jobs 1`` and ``--jobs 2`` (one archive per worker), and
``--executor ray`` with 1 and 2 workers on a local Ray cluster the command starts and stops
(its start-up, about 5-10 s, is inside the Ray rows' time, as a user pays it). Documents per
second count the documents read (wall clock); ratios are against ``--jobs 1`` of the same run;
scaling efficiency is (2-worker rate) / (2 x 1-worker rate).

For the Ray rows it also prints what the run reported: core-seconds by stage (summed over
workers) as documents per core-second, the copy index's shuffle (band keys, bytes per
document), peak resident memory per worker, and the store's bytes per document (the SQLite
file's size: the write volume a database takes per document). ``--baseline DIR`` runs the
same rows with another checkout's ``.venv/bin/wirewatch`` first (``main``, say), so a change
is measured against it in the same run.

    python bench/ray_ingest.py [--pages 300] [--stages all|extract] [--baseline ../main]
"""

from __future__ import annotations

import argparse
import re
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


_STAGES = re.compile(r"seconds by stage \(summed over workers\): ([^;]+);")
_SHUFFLE = re.compile(r"copy index: (\d+) band key\(s\) \((\d+) bytes\)")
_PEAKS = re.compile(r"peak memory per worker \(MB\): (.+)")


def run(
    paths: list[str], options: list[str], stages: str, folder: Path, wirewatch: str
) -> tuple[float, str, int]:
    """Seconds for one ``ingest`` into a new store, its stderr, the store's size in bytes."""
    db = folder / f"{time.monotonic_ns()}.db"
    command = [wirewatch, "--db", str(db), "ingest",
               "--stages", stages, *options, *paths]  # fmt: skip
    started = time.perf_counter()
    # From the checkout's folder: Ray's workers import the package from the driver's folder.
    checkout = Path(wirewatch).parents[2]  # CHECKOUT/.venv/bin/wirewatch
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=checkout)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1) or "ingested " not in done.stderr:
        raise SystemExit(f"{' '.join(options)} failed:\n{done.stderr[-2000:]}")
    for line in done.stderr.strip().splitlines():
        if line.startswith(("ray:", "ingested ")) or "worker_failed" in line:
            print(options, line, file=sys.stderr)
    if " 0 document(s) in " in done.stderr:
        raise SystemExit(f"{' '.join(options)} read nothing:\n{done.stderr[-2000:]}")
    size = sum(f.stat().st_size for f in folder.glob(f"{db.name}*"))
    return seconds, done.stderr, size


def details(label: str, pages: int, stderr: str, size: int) -> None:
    """What a Ray run reported: documents per core-second by stage, shuffle, memory."""
    print(f"  {label}: store {size / pages / 1e3:.1f} KB/doc", end="")
    if (found := _STAGES.search(stderr)) is not None:
        parts = [p.rsplit(" ", 1) for p in found.group(1).split(", ")]
        rates = ", ".join(
            f"{name} {pages / float(sec):.1f}" if float(sec) > 0 else f"{name} -"
            for name, sec in parts
        )
        print(f"; docs per core-second by stage: {rates}", end="")
    if (shuffle := _SHUFFLE.search(stderr)) is not None:
        keys, size = int(shuffle.group(1)), int(shuffle.group(2))
        print(f"; shuffle {keys / pages:.1f} keys/doc, {size / pages:.0f} B/doc", end="")
    if (peaks := _PEAKS.search(stderr)) is not None:
        print(f"; peak MB: {peaks.group(1)}", end="")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--stages", choices=["all", "extract"], default="all")
    parser.add_argument("--baseline", type=Path, help="another checkout to measure first")
    args = parser.parse_args()
    here = str(Path(sys.executable).with_name("wirewatch"))
    checkouts = [("", here)]
    if args.baseline is not None:
        checkouts.insert(0, ("base ", str(args.baseline.resolve() / ".venv/bin/wirewatch")))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        paths = [str(p) for p in build(args.data, args.pages, folder)]
        results = {
            f"{prefix}{label}": run(paths, options, args.stages, folder, wirewatch)
            for prefix, wirewatch in checkouts
            for label, options in RUNS.items()
        }
    base = args.pages / results["ingest --jobs 1"][0]
    print(f"{args.pages} pages in 2 WARC files, --stages {args.stages}")
    print(f"{'run':<37} {'seconds':>8} {'docs/s':>8} {'ratio':>6}")
    for label, (seconds, stderr, size) in results.items():
        rate = args.pages / seconds
        print(f"{label:<37} {seconds:>8.1f} {rate:>8.2f} {rate / base:>6.2f}")
        if "ray" in label:
            details(label, args.pages, stderr, size)
    for prefix, _ in checkouts:
        for kind in ("ingest --jobs", "ingest --executor ray --jobs"):
            one, two = (args.pages / results[f"{prefix}{kind} {n}"][0] for n in (1, 2))
            print(f"scaling efficiency, {prefix}{kind} 2 vs 1: {two / (2 * one):.2f}")


if __name__ == "__main__":
    main()
