"""The copy index at scale: insert and query time and peak memory for 100,000 documents.

Synthetic texts (``--docs``, default 100,000; 120 words each, drawn from a 5,000-word
vocabulary with a fixed seed) are signed once (not timed against the index: both methods need
the text read), then:

- ``CopyIndex`` (MinHash LSH, the default settings): insert every signature, then query
  ``--queries`` near copies (10% of the words changed) and as many unseen texts;
- baseline: a dict from the normalised-text hash (``content_id``) to the document, which only
  finds exact copies: insert every hash, then look up the same queries.

Reports seconds per 1,000 inserts and queries, the ratio to the baseline, the recall of the near
copies, the false-candidate rate on unseen texts, and the peak memory each structure adds
(tracemalloc, measured around its inserts).

    python bench/lsh.py [--docs 100000] [--queries 1000] [--seed 3]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc

from wirewatch.model import content_id
from wirewatch.settings import Settings
from wirewatch.stories.assign import copy_rules
from wirewatch.stories.dedup import CopyIndex, Fingerprint


def synthetic(rng: random.Random, vocabulary: list[str], words: int = 120) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def edited(text: str, rng: random.Random, share: float = 0.02) -> str:
    words = text.split()
    for _ in range(int(len(words) * share)):
        words[rng.randrange(len(words))] = "edited"
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vocabulary = [f"w{i}" for i in range(5000)]
    texts = [synthetic(rng, vocabulary) for _ in range(args.docs)]
    rules = copy_rules(Settings.from_sources())
    index = CopyIndex(rules, lambda key: None, capacity=args.docs)

    started = time.perf_counter()
    prints: list[Fingerprint] = [index.fingerprint(text) for text in texts]
    sign_seconds = time.perf_counter() - started
    picked = rng.sample(range(args.docs), args.queries)
    near = [index.fingerprint(edited(texts[i], rng)) for i in picked]
    fresh = [index.fingerprint(synthetic(rng, vocabulary)) for _ in range(args.queries)]

    tracemalloc.start()
    started = time.perf_counter()
    for number, fingerprint in enumerate(prints):
        index.add(str(number), fingerprint.signature, fingerprint.size)
    lsh_insert = time.perf_counter() - started
    lsh_memory = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    started = time.perf_counter()
    found = [index.find(fingerprint) for fingerprint in near]
    false = [len(index.candidates(fingerprint)) for fingerprint in fresh]
    lsh_query = time.perf_counter() - started
    recall = sum(
        match is not None and match.article_id == str(i)
        for match, i in zip(found, picked, strict=True)
    ) / len(picked)

    tracemalloc.start()
    started = time.perf_counter()
    hashes = {content_id(text): number for number, text in enumerate(texts)}
    hash_insert = time.perf_counter() - started
    hash_memory = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    queries = [edited(texts[i], rng) for i in picked]
    started = time.perf_counter()
    hash_found = sum(content_id(text) in hashes for text in queries)
    hash_query = time.perf_counter() - started

    per = 1000 / args.docs
    per_query = 1000 / (2 * args.queries)
    print(
        f"{args.docs} synthetic documents, num_perm {rules.num_perm}, "
        f"LSH threshold {rules.lsh_threshold}; signing took {sign_seconds:.1f} s "
        f"({sign_seconds / args.docs * 1000:.2f} ms per document, both methods read the text)"
    )
    print(f"\n{'':<28} {'insert s/1k':>11} {'query s/1k':>10} {'peak MB':>8} {'near recall':>11}")
    print(
        f"{'exact-hash dict (baseline)':<28} {hash_insert * per:>11.4f} "
        f"{hash_query * 1000 / len(queries):>10.4f} {hash_memory / 1e6:>8.1f} "
        f"{hash_found / len(queries):>11.3f}"
    )
    print(
        f"{'CopyIndex (MinHash LSH)':<28} {lsh_insert * per:>11.4f} "
        f"{lsh_query * per_query:>10.4f} {lsh_memory / 1e6:>8.1f} {recall:>11.3f}"
    )
    print(
        f"\nratio LSH / hash: insert {lsh_insert / hash_insert:.1f}x, "
        f"memory {lsh_memory / hash_memory:.1f}x; "
        f"mean false candidates per unseen query {sum(false) / len(false):.2f}"
    )


if __name__ == "__main__":
    main()
