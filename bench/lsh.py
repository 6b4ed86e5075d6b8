"""The copy index at scale: insert and query time, peak memory and disk for 100,000 documents.

Synthetic texts (``--docs``, default 100,000; 120 words each, drawn from a 5,000-word
vocabulary with a fixed seed) are signed once (not timed against the index: every method needs
the text read), then each method runs in a fresh process of its own, so its memory is its own:

- ``story_bands`` (what the stories stage uses): each signature stored with its LSH band keys
  in a store file, one transaction per document as when articles are stored; a query is one
  indexed lookup of the new text's band keys, then the candidates' signatures are compared;
- baseline 1: a dict from the normalised-text hash (``content_id``) to the document, which
  only finds exact copies;
- baseline 2: datasketch's in-memory ``MinHashLSH`` with the same threshold and permutations
  (the copy index before ``story_bands``), candidates compared the same way.

Each inserts every document, then queries ``--queries`` near copies (2% of the words changed)
and as many unseen texts. Reports milliseconds per insert and per query, the ratio to the
exact-hash baseline, the recall of the near copies, the false candidates per unseen query, the
peak Python memory during the inserts (tracemalloc, as before), the growth of the process's
resident memory across them (which also counts SQLite's own allocations), and the store file's
size per document.

The bench's store holds signatures without their articles, so it turns foreign keys off.

    python bench/lsh.py [--docs 100000] [--queries 1000] [--seed 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from datasketch import MinHashLSH

from wirewatch.model import content_id
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.stories import insert_signature
from wirewatch.stories.assign import copy_rules
from wirewatch.stories.bands import StoreBands
from wirewatch.stories.dedup import (
    CopyIndex,
    CopyMatch,
    Fingerprint,
    Held,
    MemoryBands,
    layout_of,
    signature_bytes,
    signature_from_bytes,
)

METHODS = ("hash", "story_bands", "datasketch")
LABELS = {
    "hash": "exact-hash dict (baseline 1)",
    "datasketch": "datasketch MinHashLSH (b. 2)",
    "story_bands": "story_bands in the store",
}


def synthetic(rng: random.Random, vocabulary: list[str], words: int = 120) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def edited(text: str, rng: random.Random, share: float = 0.02) -> str:
    words = text.split()
    for _ in range(int(len(words) * share)):
        words[rng.randrange(len(words))] = "edited"
    return " ".join(words)


def corpus(docs: int, queries: int, seed: int) -> tuple[list[str], list[int], list[str], list[str]]:
    """The texts, which of them are copied, their near copies and the unseen texts."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(5000)]
    texts = [synthetic(rng, vocabulary) for _ in range(docs)]
    picked = rng.sample(range(docs), queries)
    near = [edited(texts[i], rng) for i in picked]
    fresh = [synthetic(rng, vocabulary) for _ in range(queries)]
    return texts, picked, near, fresh


def resident_bytes() -> int:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_method(method: str, args: argparse.Namespace, signed: Path) -> dict[str, Any]:
    """Insert and query with one method, in this process; returns its figures."""
    rules = copy_rules(Settings.from_sources())
    texts, picked, near_texts, fresh_texts = corpus(args.docs, args.queries, args.seed)
    if method == "hash":
        return run_hash(texts, picked, near_texts, fresh_texts)
    loaded = np.load(signed)
    sizes = [int(size) for size in loaded["sizes"]]
    signatures = [signature_from_bytes(row.tobytes()) for row in loaded["values"]]
    blobs = [signature_bytes(signature) for signature in signatures]
    # Queries are signed here: containment needs their shingle counts.
    index = CopyIndex(rules, lambda key: None, MemoryBands(layout_of(rules), 1))
    near = [index.fingerprint(text) for text in near_texts]
    fresh = [index.fingerprint(text) for text in fresh_texts]
    with tempfile.TemporaryDirectory() as folder:
        if method == "story_bands":
            store = Store.open(Path(folder) / "bench.db")
            store.connection.execute("PRAGMA foreign_keys = OFF")
            bands = StoreBands(store, layout_of(rules), args.docs, rules.min_shingles)
            index = CopyIndex(rules, lambda key: None, bands)

            def insert(number: int) -> None:
                fingerprint = Fingerprint(frozenset(), signatures[number])
                keys = layout_of(rules).keys(fingerprint.signature)
                with store.transaction() as conn:
                    insert_signature(
                        conn, str(number), sizes[number], blobs[number], keys, args.docs
                    )

            def candidates(fingerprint: Fingerprint) -> list[Held]:
                return index.candidates(fingerprint)

            figures = measure(insert, candidates, index, args.docs, picked, near, fresh)
            store.close()
            files = [Path(folder) / name for name in ("bench.db", "bench.db-wal")]
            figures["disk_bytes"] = sum(p.stat().st_size for p in files if p.exists())
            return figures
        lsh = MinHashLSH(threshold=rules.lsh_threshold, num_perm=rules.num_perm)
        held: dict[str, Held] = {}

        def insert_lsh(number: int) -> None:
            key = str(number)
            lsh.insert(key, signatures[number])
            held[key] = Held(key, signatures[number], sizes[number])

        def candidates_lsh(fingerprint: Fingerprint) -> list[Held]:
            return [held[key] for key in sorted(lsh.query(fingerprint.signature))]

        return measure(insert_lsh, candidates_lsh, index, args.docs, picked, near, fresh)


def measure(
    insert: Callable[[int], None],
    candidates: Callable[[Fingerprint], list[Held]],
    index: CopyIndex,
    docs: int,
    picked: list[int],
    near: list[Fingerprint],
    fresh: list[Fingerprint],
) -> dict[str, Any]:
    before = resident_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    for number in range(docs):
        insert(number)
    insert_seconds = time.perf_counter() - started
    python_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    grown = resident_bytes() - before
    started = time.perf_counter()
    found = [best(index, fingerprint, candidates(fingerprint)) for fingerprint in near]
    false = [len(candidates(fingerprint)) for fingerprint in fresh]
    query_seconds = time.perf_counter() - started
    recall = sum(
        match is not None and match.article_id == str(i)
        for match, i in zip(found, picked, strict=True)
    ) / len(picked)
    return {
        "insert_ms": insert_seconds * 1000 / docs,
        "query_ms": query_seconds * 1000 / (len(near) + len(fresh)),
        "python_peak": python_peak,
        "rss_growth": grown,
        "recall": recall,
        "false": sum(false) / len(false),
    }


def best(index: CopyIndex, fingerprint: Fingerprint, held: list[Held]) -> CopyMatch | None:
    """The closest copy among the candidates, as ``CopyIndex.find`` picks it."""
    matches = [m for m in (index.compare(fingerprint, h) for h in held) if m is not None]
    return max(
        matches, key=lambda m: (max(m.similarity, m.containment), m.similarity), default=None
    )


def run_hash(
    texts: list[str], picked: list[int], near_texts: list[str], fresh_texts: list[str]
) -> dict[str, Any]:
    before = resident_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    hashes = {content_id(text): number for number, text in enumerate(texts)}
    insert_seconds = time.perf_counter() - started
    python_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    grown = resident_bytes() - before
    started = time.perf_counter()
    found = [hashes.get(content_id(text)) for text in near_texts]
    false = [content_id(text) in hashes for text in fresh_texts]
    query_seconds = time.perf_counter() - started
    return {
        "insert_ms": insert_seconds * 1000 / len(texts),
        "query_ms": query_seconds * 1000 / (len(near_texts) + len(fresh_texts)),
        "python_peak": python_peak,
        "rss_growth": grown,
        "recall": sum(f == i for f, i in zip(found, picked, strict=True)) / len(picked),
        "false": sum(false) / len(false),
    }


def sign_corpus(args: argparse.Namespace, signed: Path) -> float:
    """Sign every text once and save the signatures for the method processes; seconds taken."""
    rules = copy_rules(Settings.from_sources())
    index = CopyIndex(rules, lambda key: None, MemoryBands(layout_of(rules), 1))
    texts, _, _, _ = corpus(args.docs, args.queries, args.seed)
    started = time.perf_counter()
    prints = [index.fingerprint(text) for text in texts]
    seconds = time.perf_counter() - started
    values = np.stack([np.asarray(p.signature.hashvalues, dtype="<u4") for p in prints])
    np.savez(signed, values=values, sizes=np.array([p.size for p in prints]))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--method", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--signed", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.method is not None:
        print(json.dumps(run_method(args.method, args, args.signed)))
        return
    rules = copy_rules(Settings.from_sources())
    layout = layout_of(rules)
    with tempfile.TemporaryDirectory() as folder:
        signed = Path(folder) / "signed.npz"
        sign_seconds = sign_corpus(args, signed)
        results = {}
        for method in METHODS:
            command = [sys.executable, __file__, "--method", method, "--signed", str(signed)]
            command += ["--docs", str(args.docs), "--queries", str(args.queries)]
            command += ["--seed", str(args.seed)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            results[method] = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"{args.docs} synthetic documents, num_perm {rules.num_perm}, LSH threshold "
        f"{rules.lsh_threshold} ({layout.bands} bands of {layout.rows}); signing took "
        f"{sign_seconds:.1f} s ({sign_seconds / args.docs * 1000:.2f} ms per document, "
        "every method reads the text)"
    )
    print(
        f"\n{'':<30} {'insert ms':>9} {'query ms':>8} {'py peak MB':>10} {'RSS +MB':>8} "
        f"{'near recall':>11} {'false/q':>7}"
    )
    for method in METHODS:
        r = results[method]
        print(
            f"{LABELS[method]:<30} {r['insert_ms']:>9.4f} {r['query_ms']:>8.4f} "
            f"{r['python_peak'] / 1e6:>10.1f} {r['rss_growth'] / 1e6:>8.1f} "
            f"{r['recall']:>11.3f} {r['false']:>7.2f}"
        )
    base, ours, lsh = results["hash"], results["story_bands"], results["datasketch"]
    print(
        f"\nstory_bands / exact hash: insert {ours['insert_ms'] / base['insert_ms']:.1f}x, "
        f"query {ours['query_ms'] / base['query_ms']:.1f}x, "
        f"Python memory {ours['python_peak'] / base['python_peak']:.4f}x"
    )
    print(
        f"story_bands / datasketch: insert {ours['insert_ms'] / lsh['insert_ms']:.1f}x, "
        f"query {ours['query_ms'] / lsh['query_ms']:.1f}x, "
        f"Python memory {ours['python_peak'] / lsh['python_peak']:.5f}x, "
        f"RSS growth {ours['rss_growth'] / max(lsh['rss_growth'], 1):.3f}x"
    )
    disk = ours["disk_bytes"]
    print(
        f"store file (signatures and band rows): {disk / 1e6:.1f} MB, "
        f"{disk / args.docs:.0f} bytes per document"
    )


if __name__ == "__main__":
    main()
