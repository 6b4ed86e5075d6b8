"""Throughput: wirewatch's full pipeline against raw spaCy on the same texts, in one run.

Texts are the ``main_content`` of a WCXB-style set (plain text, so both sides parse the same
words). The baseline is ``nlp.pipe`` of the same spaCy model over the texts, in one process and
in as many as the machine has cores (``n_process``), the faster of the two counting; ours is
the whole pipeline with default settings (extraction workers and spaCy processes ``auto``:
decode, clean, parse, entities with canonical names, quotes, events) over the same texts as
plain-text documents. Rounds alternate (baseline, ours, baseline, ours, ...) after a warm-up so
neither side profits from a warmer cache; the best round of each is reported, with the ratio
of the baseline's best to ours.
With ``--html`` the same pages go through HTML extraction first (reported separately).

    python bench/throughput.py [--data ../shared/eval/wcxb-articles-dev] [--docs 200] [--rounds 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from wirewatch.cores import usable_cores
from wirewatch.model import RawDocument
from wirewatch.run.local import RunStats, analyze_documents
from wirewatch.settings import Settings
from wirewatch.understand.nlp import load_nlp

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/eval/wcxb-articles-dev"


def load_pages(data: Path, limit: int) -> list[tuple[str, bytes, str | None]]:
    pages = []
    for truth_path in sorted((data / "ground-truth").glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        text = (truth.get("ground_truth") or {}).get("main_content")
        if not text:
            continue
        html = gzip.decompress((data / "html" / (truth_path.stem + ".html.gz")).read_bytes())
        pages.append((text, html, truth.get("url")))
        if len(pages) >= limit:
            break
    return pages


def run_baseline(texts: list[str], settings: Settings, processes: int = 1) -> int:
    nlp = load_nlp(settings.nlp_model)
    count = 0
    for _ in nlp.pipe(texts, batch_size=settings.nlp_batch_size, n_process=processes):
        count += 1
    return count


def run_pipeline(documents: list[RawDocument], settings: Settings) -> int:
    return sum(1 for _ in analyze_documents(documents, settings, stats=RunStats()))


def best_of(rounds: int, runs: dict[str, Callable[[], int]]) -> dict[str, float]:
    best = {name: float("inf") for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--html", action="store_true", help="also time the HTML path")
    args = parser.parse_args(argv)
    settings = Settings()
    pages = load_pages(args.data, args.docs)
    texts = [text for text, _, _ in pages]
    words = sum(len(text.split()) for text in texts)
    text_docs = [
        RawDocument(
            source=f"doc{i}", content=text.encode("utf-8"), content_type="text", encoding="utf-8"
        )
        for i, text in enumerate(texts)
    ]
    html_docs = [
        RawDocument(source=f"page{i}", content=html, url=url, content_type="html")
        for i, (_, html, url) in enumerate(pages)
    ]
    run_baseline(texts[:20], settings)  # warm-up: model load, vectors in memory
    run_pipeline(text_docs[:20], settings)
    cores = usable_cores()
    runs: dict[str, Callable[[], int]] = {
        "raw spaCy nlp.pipe, 1 process": lambda: run_baseline(texts, settings),
    }
    if cores > 1:
        runs[f"raw spaCy nlp.pipe, {cores} processes"] = lambda: run_baseline(
            texts, settings, cores
        )
    runs["wirewatch analyze (all stages)"] = lambda: run_pipeline(text_docs, settings)
    if args.html:
        runs["wirewatch analyze, HTML input"] = lambda: run_pipeline(html_docs, settings)
    best = best_of(args.rounds, runs)
    print(f"{len(texts)} documents, {words} words, from {args.data}; best of {args.rounds} rounds")
    baseline = min(seconds for name, seconds in best.items() if name.startswith("raw spaCy"))
    for name, seconds in best.items():
        print(
            f"{name:34} {seconds:7.2f} s  {len(texts) / seconds:7.1f} docs/s  "
            f"{words / seconds:8.0f} words/s  ratio to raw spaCy's best {baseline / seconds:5.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
