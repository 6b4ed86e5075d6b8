"""Event coding accuracy on the PLOVER gold-standard records (PLOVER_GSR_CAMEO.json).

Each record is one English sentence with its PLOVER event type and its source and target
actors (country codes). Every sentence goes through the whole pipeline; then, over all
records and over the records where wirewatch produced an event:

- event type: precision = records whose predicted PLOVER types include the gold type / records
  with a predicted event; recall = the same / all records (older type names are mapped to the
  current manual: DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, FIGHT -> ASSAULT,
  INVESTIGATE -> ACCUSE);
- source and target countries: micro precision and recall of the 3-letter country (or body)
  codes of the predicted event that matches the gold type (else the first event) against the
  gold actors' codes.

    python bench/events.py [--data ../shared/data/plover/PLOVER_GSR_CAMEO.json] [--show N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from wirewatch.model import Actor, Article, Event, RawDocument
from wirewatch.run.local import RunStats, extract_stage, understand_stage
from wirewatch.settings import Settings

DEFAULT_DATA = (
    Path(__file__).resolve().parents[1].parent / "shared/data/plover/PLOVER_GSR_CAMEO.json"
)
RENAMED = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}


def gold_codes(actors: list[dict[str, Any]] | None) -> set[str]:
    return {str(a["code"])[:3] for a in actors or [] if isinstance(a, dict) and a.get("code")}


def predicted_codes(actors: list[Actor]) -> set[str]:
    return {(a.country or a.code or "")[:3] for a in actors if (a.country or a.code)}


def choose(events: list[Event], gold_type: str) -> Event | None:
    for event in events:
        if event.plover == gold_type:
            return event
    return events[0] if events else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=0, help="print N misses")
    args = parser.parse_args(argv)
    records = [
        r for r in json.loads(args.data.read_text()) if r.get("event") not in (None, "DOCUMENT")
    ]
    documents = [
        RawDocument(
            source=r["id"],
            content=r["text"].encode("utf-8"),
            content_type="text",
            encoding="utf-8",
            published=r.get("date"),
        )
        for r in records
    ]
    started = time.perf_counter()
    stats = RunStats()
    articles = list(
        understand_stage(extract_stage(documents, Settings(), stats), Settings(), stats)
    )
    seconds = time.perf_counter() - started
    produced = type_hits = 0
    counts: Counter[str] = Counter()
    misses: list[str] = []
    per_type: Counter[tuple[str, str]] = Counter()
    for record, article in zip(records, articles, strict=True):
        gold = RENAMED.get(record["event"], record["event"])
        events = article.events if isinstance(article, Article) else []
        per_type[(gold, "n")] += 1
        if not events:
            misses.append(f"[none] {gold}: {record['text']}")
            continue
        produced += 1
        per_type[(gold, "produced")] += 1
        if any(e.plover == gold for e in events):
            type_hits += 1
            per_type[(gold, "hit")] += 1
        else:
            got = ",".join(sorted({str(e.plover) for e in events}))
            misses.append(f"[{got}] {gold}: {record['text']}")
        event = choose(events, gold)
        assert event is not None
        for side, gold_actors, predicted in (
            ("source", record.get("source"), event.source),
            ("target", record.get("target"), event.target),
        ):
            g, p = gold_codes(gold_actors), predicted_codes(predicted)
            counts[f"{side}_tp"] += len(g & p)
            counts[f"{side}_pred"] += len(p)
            counts[f"{side}_gold"] += len(g)
    n = len(records)
    print(f"{n} gold records from {args.data.name}; {seconds:.1f} s")
    print(f"records with an event: {produced} ({produced / n:.1%})")
    print(f"event type   precision {type_hits / max(produced, 1):.3f}  recall {type_hits / n:.3f}")
    for side in ("source", "target"):
        tp, pred, gold_n = counts[f"{side}_tp"], counts[f"{side}_pred"], counts[f"{side}_gold"]
        print(
            f"{side} country precision {tp / max(pred, 1):.3f}  recall {tp / max(gold_n, 1):.3f}"
            f"  (where an event is produced; {pred} predicted, {gold_n} gold)"
        )
    print("by gold type: n / produced / type hits")
    for gold in sorted({t for t, _ in per_type}):
        n, made, hits = (per_type[(gold, key)] for key in ("n", "produced", "hit"))
        print(f"  {gold:10} {n:4} {made:4} {hits:4}")
    for line in misses[: args.show]:
        print("  miss", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
