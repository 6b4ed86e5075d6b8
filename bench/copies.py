"""Copy detection accuracy on a synthetic syndication set built from WCXB article texts.

From ``ground-truth/*.json`` of the WCXB article dev set (``main_content`` of 150 words or
more) the script picks ``--originals`` texts (seeded, so runs repeat) and makes copies of each
as syndication does:

- ``exact``: the same text (another URL);
- ``dateline``: a new dateline ("KIEV (AFP) -") on the first line, a byline above, an agency
  credit below;
- ``edited``: boilerplate lines prepended and appended ("Advertisement", "Read more", "Share
  this article"), and 2% of the words replaced;
- ``truncated``: the first 40-80% of the lines, with a dateline.

Distractors are articles that are not copies but look like them: each original's nearest
neighbour by word overlap (Jaccard of word sets) among the other texts, and other articles from
the same site. All texts are fed in one stream (originals and distractors first, shuffled, then
the copies, shuffled); for each, a method names the earlier text it copies, or none. A
predicted pair is right when both texts come from the same original. Precision = right pairs /
predicted pairs, recall = right pairs / texts that have an earlier copy of their original.

Methods: ``exact hash`` (the normalised-text hash, ``Article.id``: the baseline), ``MinHash+LSH``
(near copies at estimated Jaccard >= ``dedup_near_threshold``), ``MinHash+LSH+containment``
(also truncated copies at containment >= ``dedup_containment_threshold``), all with the default
settings.

It also scores, with the clustering score of ``wirewatch.stories.cluster`` on text features
only (keywords and numbers; both texts at the same time, the worst case), every nearest
neighbour pair (same topic, different story) and every original-truncated copy pair (same
story), to show where the merge threshold sits.

    python bench/copies.py [--data ../shared/eval/wcxb-articles-dev] [--originals 300] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from wirewatch.model import Article, content_id
from wirewatch.settings import Settings
from wirewatch.stories.assign import copy_rules
from wirewatch.stories.cluster import score
from wirewatch.stories.dedup import (
    CopyIndex,
    CopyRules,
    MemoryBands,
    comparable_shingles,
    layout_of,
)
from wirewatch.stories.features import story_features

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/eval/wcxb-articles-dev"
CITIES = ["KIEV", "MOSCOW", "WASHINGTON", "PARIS", "BRUSSELS", "NEW YORK", "BEIJING", "LONDON"]
AGENCIES = ["AFP", "Reuters", "AP", "dpa"]
BYLINES = ["By Anna Kowalska", "By John Smith, AFP", "By Maria Garcia", "BY PETER MUELLER"]
CREDITS = ["© AFP 2017", "Reporting by Pavel Polityuk; Editing by Alison Williams", "(AFP)"]
BOILER_TOP = ["Advertisement", "Share this article", "Updated: 10 July 2017 14:02"]
BOILER_END = ["Read more", "Share this article", "Subscribe to our newsletter", "Related stories"]
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Text:
    key: str
    family: str  # the original it derives from ("" for none)
    kind: str
    text: str


def load(data: Path) -> list[tuple[str, str, str]]:
    """(file id, host, text) of every article with 150 words or more."""
    found = []
    for path in sorted((data / "ground-truth").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        text = (record.get("ground_truth") or {}).get("main_content") or ""
        if len(text.split()) >= 150:
            found.append((path.stem, urlsplit(record.get("url") or "").hostname or "", text))
    return found


def make_copies(text: str, rng: random.Random) -> list[tuple[str, str]]:
    lines = [line for line in text.splitlines() if line.strip()]

    def dateline() -> str:
        return f"{rng.choice(CITIES)} ({rng.choice(AGENCIES)}) - "

    dated = [rng.choice(BYLINES), dateline() + lines[0], *lines[1:], rng.choice(CREDITS)]
    words = "\n".join(lines).split(" ")
    for _ in range(max(1, len(words) // 50)):
        words[rng.randrange(len(words))] = rng.choice(["also", "now", "reportedly", "then"])
    edited = [rng.choice(BOILER_TOP), " ".join(words), rng.choice(BOILER_END)]
    keep = max(1, round(len(lines) * rng.uniform(0.4, 0.8)))
    if len(lines) < 3:  # one long paragraph: cut its words instead
        cut = text.split(" ")
        truncated = [dateline() + " ".join(cut[: round(len(cut) * rng.uniform(0.4, 0.8))])]
    else:
        truncated = [dateline() + lines[0], *lines[1:keep]]
    return [
        ("exact", text),
        ("dateline", "\n".join(dated)),
        ("edited", "\n".join(edited)),
        ("truncated", "\n".join(truncated)),
    ]


def word_set(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


def build(data: Path, originals: int, seed: int) -> tuple[list[Text], list[tuple[str, str]]]:
    rng = random.Random(seed)
    pool = load(data)
    rng.shuffle(pool)
    chosen, rest = pool[:originals], pool[originals:]
    words = {key: word_set(text) for key, _, text in pool}
    stream: list[Text] = [Text(key, key, "original", text) for key, _, text in chosen]
    neighbours: list[tuple[str, str]] = []
    taken: set[str] = set()
    for key, host, _ in chosen:
        best = max(
            (other for other in pool if other[0] != key),
            key=lambda other: _jaccard(words[key], words[other[0]]),
        )
        neighbours.append((key, best[0]))
        if best[0] not in {c[0] for c in chosen} and best[0] not in taken:
            taken.add(best[0])
            stream.append(Text(best[0], best[0], "neighbour", best[2]))
        for other in rest:
            if other[1] == host and other[0] not in taken:
                taken.add(other[0])
                stream.append(Text(other[0], other[0], "same-site", other[2]))
    rng.shuffle(stream)
    copies = [
        Text(f"{key}/{kind}", key, kind, copy)
        for key, _, text in chosen
        for kind, copy in make_copies(text, rng)
    ]
    rng.shuffle(copies)
    return stream + copies, neighbours


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def run_exact(stream: list[Text]) -> dict[str, str]:
    seen: dict[str, str] = {}
    found: dict[str, str] = {}
    for item in stream:
        key = content_id(item.text)
        if key in seen:
            found[item.key] = seen[key]
        else:
            seen[key] = item.key
    return found


def run_index(stream: list[Text], rules: CopyRules) -> dict[str, str]:
    shingle_sets: dict[str, frozenset[str]] = {}
    bands = MemoryBands(layout_of(rules), capacity=len(stream) + 1)  # the store's keys, in memory
    index = CopyIndex(rules, shingle_sets.get, bands)
    exact: dict[str, str] = {}
    found: dict[str, str] = {}
    for item in stream:
        key = content_id(item.text)
        if key in exact:  # exact copies are caught by the hash before the index is asked
            found[item.key] = exact[key]
            continue
        exact[key] = item.key
        fingerprint = index.fingerprint(item.text)
        match = index.find(fingerprint)
        if match is not None:
            found[item.key] = match.article_id
        shingle_sets[item.key] = fingerprint.shingles
        if index.keys(fingerprint):
            bands.add(item.key, fingerprint.signature, fingerprint.size)
    return found


def scores(stream: list[Text], found: dict[str, str]) -> tuple[float, float, float, int, int]:
    family = {item.key: item.family for item in stream}
    seen: set[str] = set()
    expected = 0
    for item in stream:
        expected += item.family in seen
        seen.add(item.family)
    right = sum(family[a] == family[b] for a, b in found.items())
    precision = right / len(found) if found else 0.0
    recall = right / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(found), expected


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--originals", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    stream, neighbours = build(args.data, args.originals, args.seed)
    kinds: dict[str, int] = {}
    for item in stream:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    print(f"WCXB article dev set, seed {args.seed}: {len(stream)} texts {kinds}")
    settings = Settings.from_sources()
    rules = copy_rules(settings)
    methods = {
        "exact hash (baseline)": run_exact(stream),
        "MinHash+LSH": run_index(stream, CopyRules(**{**_fields(rules), "use_containment": False})),
        "MinHash+LSH+containment": run_index(stream, rules),
    }
    print(f"\n{'method':<26} {'precision':>9} {'recall':>7} {'F1':>6} {'pairs':>6} {'expected':>8}")
    for name, found in methods.items():
        p, r, f, predicted, expected = scores(stream, found)
        print(f"{name:<26} {p:>9.3f} {r:>7.3f} {f:>6.3f} {predicted:>6} {expected:>8}")
    full = methods["MinHash+LSH+containment"]
    print("\nrecall by copy kind (MinHash+LSH+containment | MinHash+LSH | exact hash)")
    for kind in ("exact", "dateline", "edited", "truncated"):
        items = [i for i in stream if i.kind == kind]
        row = [
            sum(found.get(i.key, "").split("/")[0] == i.family for i in items) / len(items)
            for found in (full, methods["MinHash+LSH"], methods["exact hash (baseline)"])
        ]
        print(f"  {kind:<10} {row[0]:.3f} | {row[1]:.3f} | {row[2]:.3f}")
    print_cluster_scores(stream, neighbours, settings)


def _fields(rules: CopyRules) -> dict[str, object]:
    return {name: getattr(rules, name) for name in rules.__dataclass_fields__}


def print_cluster_scores(
    stream: list[Text], neighbours: list[tuple[str, str]], settings: Settings
) -> None:
    texts = {item.key: item.text for item in stream}
    window = settings.story_window_days * 86400.0

    def features(key: str) -> object:
        return story_features(Article(text=texts[key], source=key, published="2017-07-10"))

    feats = {key: features(key) for key in texts if "/" not in key or key.endswith("/truncated")}
    distractor = [
        score(feats[a], feats[b], window)  # type: ignore[arg-type]
        for a, b in neighbours
        if a in feats and b in feats
    ]
    same = [
        score(feats[key], feats[f"{key}/truncated"], window)  # type: ignore[arg-type]
        for key, _ in neighbours
        if f"{key}/truncated" in feats
    ]
    threshold = settings.story_merge_threshold
    print(f"\nclustering score, text features only, same time (merge threshold {threshold})")
    for name, values in (("nearest-neighbour pairs", distractor), ("truncated copies", same)):
        above = sum(v >= threshold for v in values) / len(values)
        print(
            f"  {name:<24} n={len(values):<4} median {percentile(values, 0.5):.3f}  "
            f"p90 {percentile(values, 0.9):.3f}  p99 {percentile(values, 0.99):.3f}  "
            f"share >= threshold {above:.3f}"
        )
    sweep = [0.45, 0.5, 0.55, 0.6, 0.65, 0.7]
    print("  threshold        " + "  ".join(f"{t:>5.2f}" for t in sweep))
    for name, values in (("neighbours merged", distractor), ("copies merged", same)):
        shares = [sum(v >= t for v in values) / len(values) for t in sweep]
        print(f"  {name:<16} " + "  ".join(f"{share:>5.3f}" for share in shares))
    print(f"  shingles per text: median {_median_shingles(stream, settings)}")


def _median_shingles(stream: list[Text], settings: Settings) -> int:
    sizes = sorted(
        len(comparable_shingles(i.text, settings.dedup_shingle_words)) for i in stream[:200]
    )
    return sizes[len(sizes) // 2]


if __name__ == "__main__":
    main()
