"""Fuzz bench: every hostile case of ``tests/fuzz`` through ``ingest``, and what came of it.

Prints cases, crashes (a traceback escaped), hangs (a case over the caps plus slack, or
stopped by the watchdog), failures reported and recorded in the failures table, silent cases
(nothing came out of the input), good inputs stored (one after every case) and the peak
memory of the process. ``--code DIR`` runs the same cases against the wirewatch package of
another checkout (say, main's), for a before/after comparison in one run:

    python bench/fuzz.py [--seed 16] [--category http] [--limit N] [--code ../main]

Each run is its own process, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(seed: int, categories: list[str], limit: int | None, code: str | None) -> dict:
    """Run the cases in a child process (importing wirewatch from ``code`` if given)."""
    command = [sys.executable, __file__, "--child", "--seed", str(seed)]
    for category in categories:
        command += ["--category", category]
    if limit is not None:
        command += ["--limit", str(limit)]
    if code is not None:
        command += ["--code", code]
    # The extraction pool's fork server starts as `python -c`, with the working directory first
    # on its path (Python 3.11 does not hand it the parent's sys.path): run in the checkout
    # measured, so its workers import the same wirewatch as the run.
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=code or ROOT)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout)[-2000:]
        raise SystemExit(f"fuzz run failed ({code or 'this checkout'}):\n{tail}")
    for line in done.stdout.splitlines():
        if not line.startswith("{"):
            print(line)
    return json.loads(lines[-1])


def child(seed: int, categories: list[str], limit: int | None, code: str | None) -> None:
    if code is not None:  # wirewatch from the other checkout, everything else from this one
        sys.path.insert(0, str(Path(code).resolve()))
        import wirewatch

        sys.path.pop(0)
        print(f"wirewatch from {Path(wirewatch.__file__).parent}", flush=True)
    sys.path.insert(0, str(ROOT))
    from tests.fuzz.cases import generate
    from tests.fuzz.runner import run_cases

    cases = [c for c in generate(seed) if not categories or c.category in categories]
    cases = cases[:limit] if limit else cases
    report = run_cases(cases, progress=True)
    slowest = max(report.outcomes, key=lambda o: o.seconds)
    rises = [(b.peak_mb - a.peak_mb, b.name) for a, b in itertools.pairwise(report.outcomes)]
    heaviest = max(rises, default=(0.0, ""))
    by_category: dict[str, dict[str, int]] = {}
    for outcome in report.outcomes:
        row = by_category.setdefault(outcome.category, {"cases": 0, "bad": 0})
        row["cases"] += 1
        row["bad"] += not outcome.ok
    print(
        json.dumps(
            {
                "cases": len(report.outcomes),
                "crashes": len(report.crashes),
                "hangs": len(report.hangs),
                "failures": sum(o.failures for o in report.outcomes),
                "recorded": sum(o.recorded for o in report.outcomes),
                "silent": len(report.silent),
                "good_stored": report.good_stored,
                "peak_mb": round(report.peak_mb, 1),
                "seconds": round(sum(o.seconds for o in report.outcomes), 1),
                "slowest": [slowest.name, round(slowest.seconds, 1)],
                "heaviest": [heaviest[1], round(heaviest[0], 1)],
                "by_category": by_category,
                "codes": dict(report.codes().most_common()),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--category", action="append", default=[])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--code", help="a checkout whose wirewatch package to run instead")
    parser.add_argument("--baseline", help="a checkout to measure first, as the baseline")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.seed, args.category, args.limit, args.code)
        return
    runs: list[tuple[str, dict]] = []
    if args.baseline:
        print(f"== baseline: {args.baseline}")
        runs.append(("baseline", measure(args.seed, args.category, args.limit, args.baseline)))
    print(f"== this checkout{f' ({args.code})' if args.code else ''}")
    label = "code" if args.code else "after"
    runs.append((label, measure(args.seed, args.category, args.limit, args.code)))
    keys = ["cases", "crashes", "hangs", "failures", "recorded", "silent", "good_stored",
            "peak_mb", "seconds"]  # fmt: skip
    print()
    print(f"{'run':<10}" + "".join(f"{k:>12}" for k in keys) + "  slowest case")
    for label, row in runs:
        cells = "".join(f"{row[k]!s:>12}" for k in keys)
        print(f"{label:<10}{cells}  {row['slowest'][0]} ({row['slowest'][1]} s)")
    for label, row in runs:
        bad = {c: v["bad"] for c, v in row["by_category"].items() if v["bad"]}
        print(f"{label}: cases with a problem by category: {bad or 'none'}")
        print(
            f"{label}: largest rise of peak memory: {row['heaviest'][0]} (+{row['heaviest'][1]} MB)"
        )


if __name__ == "__main__":
    main()
