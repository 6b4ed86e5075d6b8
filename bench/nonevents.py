"""Events produced on sentences that report none (tests/fixtures/nonevents.tsv: disasters,
accidents, illnesses, markets, sports, idioms, written for wirewatch): events per 100
sentences, per category and overall; fewer is better, 0 is right.

    python bench/nonevents.py [--baseline ../main] [--show]

``--baseline DIR`` runs the same sentences through DIR's wirewatch package too, in the same
invocation, and prints its figures beside ours.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from coding import Timing, annotate_timed, articles_of, rerun_with

FIXTURE = Path(__file__).resolve().parents[1] / "tests/fixtures/nonevents.tsv"


def measure(show: bool) -> dict[str, object]:
    rows = [
        line.split("\t", 1)
        for line in FIXTURE.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    articles = articles_of([(f"n{i}", text, "2024-03-14") for i, (_, text) in enumerate(rows)])
    annotate_timed(articles, Timing())
    sentences: Counter[str] = Counter()
    events: Counter[str] = Counter()
    for (category, text), article in zip(rows, articles, strict=True):
        sentences[category] += 1
        found = article.events if article is not None else []
        events[category] += len(found)
        if show and found:
            codes = ", ".join(f"{e.cameo} {e.trigger} ({e.pattern})" for e in found)
            print(f"  [{category}] {text}\n      -> {codes}", file=sys.stderr)
    per = {c: 100 * events[c] / sentences[c] for c in sorted(sentences)}
    per["all"] = 100 * sum(events.values()) / max(sum(sentences.values()), 1)
    return {"sentences": sum(sentences.values()), "per100": per}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--show", action="store_true", help="print the events produced")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    ours = measure(args.show)
    if args.json:
        print(json.dumps(ours))
        return 0
    base = rerun_with(args.baseline, __file__, []) if args.baseline else None
    print(f"{ours['sentences']} no-event sentences from {FIXTURE.name}: events per 100 sentences")
    header = f"  {'category':10} {'this tree':>10}"
    print(header + (f" {'baseline':>10}" if base else ""))
    per: dict[str, float] = ours["per100"]  # type: ignore[assignment]
    for category, value in per.items():
        line = f"  {category:10} {value:10.1f}"
        if base:
            line += f" {base['per100'].get(category, 0.0):10.1f}"  # type: ignore[index,union-attr]
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
