"""Event coding accuracy on the PLOVER gold-standard records (PLOVER_GSR_CAMEO.json).

Each record is one English sentence with its PLOVER event type and its source and target
actors (country codes). Every sentence goes through the whole pipeline; then, over all
records and over the records where wirewatch produced an event:

- event type: precision = records whose predicted PLOVER types include the gold type / records
  with a predicted event; recall = the same / all records (older type names are mapped to the
  current manual: DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, FIGHT -> ASSAULT,
  INVESTIGATE -> ACCUSE);
- source and target countries: micro precision and recall of the 3-letter country (or body)
  codes (an actor coded with a sector alone names no country and counts for nothing) of the
  predicted event that matches the gold type (else the first event) against the
  gold actors' codes (gold actors given as plain strings carry no code and are skipped);
- speed: the spaCy parse of the sentences against actor resolution and event coding together
  (``ActorCoder`` with its mentions, and ``find_events``), as a share of the parse.

``--baseline DIR`` measures DIR's wirewatch package (e.g. ``../main``) in the same invocation and
prints its figures beside ours.

``--articles DIR`` also gives the speed figure on the ``*.txt`` files of DIR (``samples/``:
article-length texts, where per-article set-up weighs less than on one-sentence records).

    python bench/events.py [--data ../shared/data/plover/PLOVER_GSR_CAMEO.json] [--show N]
                           [--baseline ../main] [--articles samples]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from coding import Timing, annotate_timed, articles_of, rerun_with

from wirewatch.model import Actor, Event

DEFAULT_DATA = (
    Path(__file__).resolve().parents[1].parent / "shared/data/plover/PLOVER_GSR_CAMEO.json"
)
RENAMED = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}


def gold_codes(actors: list[dict[str, Any] | str] | None) -> set[str]:
    return {str(a["code"])[:3] for a in actors or [] if isinstance(a, dict) and a.get("code")}


def predicted_codes(actors: list[Actor]) -> set[str]:
    """The country (or body) code of each actor that names one; a sector alone ("MIL" for
    "tanks", code == sector) says no country and is not counted as one."""
    return {
        (a.country or a.code or "")[:3]
        for a in actors
        if a.country or (a.code and a.code != a.sector)
    }


def choose(events: list[Event], gold_type: str) -> Event | None:
    for event in events:
        if event.plover == gold_type:
            return event
    return events[0] if events else None


def measure(data: Path, show: int) -> dict[str, Any]:
    records = [r for r in json.loads(data.read_text()) if r.get("event") not in (None, "DOCUMENT")]
    articles = articles_of([(r["id"], r["text"], r.get("date")) for r in records])
    timing = Timing()
    annotate_timed(articles, timing)
    produced = type_hits = 0
    counts: Counter[str] = Counter()
    misses: list[str] = []
    per_type: Counter[tuple[str, str]] = Counter()
    for record, article in zip(records, articles, strict=True):
        gold = RENAMED.get(record["event"], record["event"])
        events = article.events if article is not None else []
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
    result: dict[str, Any] = {
        "records": n,
        "produced": produced,
        "type_p": type_hits / max(produced, 1),
        "type_r": type_hits / n,
        "parse_s": timing.parse,
        "coder_s": timing.coder,
        "coder_share": timing.share(),
        "by_type": {
            gold: [per_type[(gold, k)] for k in ("n", "produced", "hit")]
            for gold in sorted({t for t, _ in per_type})
        },
        "misses": misses[:show],
    }
    for side in ("source", "target"):
        tp, pred, gold_n = counts[f"{side}_tp"], counts[f"{side}_pred"], counts[f"{side}_gold"]
        result[f"{side}_p"] = tp / max(pred, 1)
        result[f"{side}_r"] = tp / max(gold_n, 1)
        result[f"{side}_counts"] = [pred, gold_n]
    return result


def article_speed(folder: Path) -> dict[str, Any]:
    """The same speed figure on article-length texts: every ``*.txt`` file of ``folder``."""
    files = sorted(folder.glob("*.txt"))
    articles = articles_of([(f.name, f.read_text("utf-8"), None) for f in files])
    timing = Timing()
    annotate_timed(articles, timing)
    words = sum(len(a.text.split()) for a in articles if a is not None)
    return {"texts": timing.texts, "words": words, "parse_s": timing.parse,
            "coder_s": timing.coder, "coder_share": timing.share()}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=0, help="print N misses")
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument(
        "--articles", type=Path, default=None,
        help="also time the coder on the *.txt files of this folder (e.g. samples/)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    ours = measure(args.data, args.show)
    if args.articles is not None:
        ours["articles"] = article_speed(args.articles)
    if args.json:
        print(json.dumps(ours))
        return 0
    runs = [("this tree", ours)]
    if args.baseline:
        extra = ["--articles", str(args.articles)] if args.articles is not None else []
        runs.append(
            ("baseline", rerun_with(args.baseline, __file__, ["--data", str(args.data), *extra]))
        )
    print(f"{ours['records']} gold records from {args.data.name}")
    for name, r in runs:
        n = r["records"]
        print(f"{name}:")
        print(f"  records with an event: {r['produced']} ({r['produced'] / n:.1%})")
        print(f"  event type   precision {r['type_p']:.3f}  recall {r['type_r']:.3f}")
        for side in ("source", "target"):
            pred, gold_n = r[f"{side}_counts"]
            print(
                f"  {side} country precision {r[f'{side}_p']:.3f}  recall {r[f'{side}_r']:.3f}"
                f"  (where an event is produced; {pred} predicted, {gold_n} gold)"
            )
        print(
            f"  speed: parse {r['parse_s']:.2f} s, actors + events {r['coder_s']:.2f} s"
            f" = {r['coder_share']:.1%} of the parse"
        )
        if "articles" in r:
            a = r["articles"]
            print(
                f"  speed on {a['texts']} articles ({a['words']} words): parse"
                f" {a['parse_s']:.2f} s, actors + events {a['coder_s']:.2f} s"
                f" = {a['coder_share']:.1%} of the parse"
            )
    print(
        "by gold type: n / produced / type hits" + (" (baseline after |)" if args.baseline else "")
    )
    for gold, (n, made, hits) in ours["by_type"].items():
        line = f"  {gold:10} {n:4} {made:4} {hits:4}"
        if args.baseline:
            b = runs[1][1]["by_type"].get(gold, [0, 0, 0])
            line += f"  | {b[1]:4} {b[2]:4}"
        print(line)
    for line in ours["misses"]:
        print("  miss", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
