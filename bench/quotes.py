"""Quote accuracy and cost: ``find_quotes`` on the annotated set in ``tests/fixtures/quotes/``.

Reports, over all paragraphs of the set:

- quote spans: precision, recall and F1, exact (same characters) and loose (the two spans
  overlap by at least 80% of the longer one), matched one to one;
- on loosely matched quotes: speaker accuracy (same canonical name, null included), kind and cue
  accuracy;
- speakers end to end: precision = right names / predicted quotes with a name, recall = right
  names / gold quotes with a named speaker;
- cost: the time of ``find_quotes`` as a share of the spaCy parse of the same texts, in the same
  run (the parse is ``nlp.pipe`` over the set; entities are set as ``annotate`` sets them and are
  not counted on either side).

The set is every ``*.jsonl`` file in the folder (``dev.jsonl``: written alongside the code;
``heldout.jsonl``: written before the code was run on it); each is reported, then all together.

    python bench/quotes.py [--data tests/fixtures/quotes] [--repeat 5] [--errors]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from wirewatch.model import Article, Quote
from wirewatch.understand.entities import entities_of, sentences_of
from wirewatch.understand.nlp import load_nlp
from wirewatch.understand.quotes import find_quotes

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests/fixtures/quotes"
LOOSE_OVERLAP = 0.8


@dataclass(slots=True)
class Gold:
    text: str
    start: int
    end: int
    kind: str
    speaker: str | None
    cue: str | None


@dataclass(slots=True)
class Counts:
    """Tallies over the whole set; ``errors`` lists what went wrong, for ``--errors``."""

    gold: int = 0
    predicted: int = 0
    exact: int = 0
    loose: int = 0
    speaker_right: int = 0
    kind_right: int = 0
    cue_right: int = 0
    named_predicted: int = 0
    named_gold: int = 0
    named_right: int = 0
    errors: list[str] = field(default_factory=list)


def load(path: Path) -> list[dict[str, Any]]:
    """The records of one JSONL file, or of every ``*.jsonl`` file in a folder."""
    if path.is_dir():
        return [record for file in sorted(path.glob("*.jsonl")) for record in load(file)]
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def gold_quotes(record: dict[str, Any]) -> list[Gold]:
    text: str = record["text"]
    golds = []
    for quote in record["quotes"]:
        start = text.index(quote["text"])
        golds.append(
            Gold(
                quote["text"],
                start,
                start + len(quote["text"]),
                quote["kind"],
                quote["speaker"],
                quote["cue"],
            )
        )
    return golds


def parse(records: list[dict[str, Any]]) -> tuple[list[tuple[Doc, Article]], float]:
    """Docs and Articles (sentences and entities set), and the seconds the parse took."""
    nlp = load_nlp()
    texts = [record["text"] for record in records]
    began = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    parse_seconds = time.perf_counter() - began
    pairs = []
    for doc, record in zip(docs, records, strict=True):
        article = Article(text=record["text"], source=record["id"])
        article.sentences = sentences_of(doc)
        article.entities = entities_of(doc, article.sentences)
        pairs.append((doc, article))
    return pairs, parse_seconds


def overlap(quote: Quote, gold: Gold) -> float:
    shared = min(quote.end, gold.end) - max(quote.start, gold.start)
    return max(shared, 0) / max(quote.end - quote.start, gold.end - gold.start)


def match(predicted: list[Quote], golds: list[Gold]) -> list[tuple[Quote, Gold]]:
    """One-to-one pairs with at least LOOSE_OVERLAP, best overlaps first."""
    candidates = sorted(
        (
            (overlap(q, g), i, j)
            for i, q in enumerate(predicted)
            for j, g in enumerate(golds)
            if overlap(q, g) >= LOOSE_OVERLAP
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((predicted[i], golds[j]))
    return pairs


def tally(counts: Counts, record_id: str, predicted: list[Quote], golds: list[Gold]) -> None:
    counts.gold += len(golds)
    counts.predicted += len(predicted)
    counts.named_predicted += sum(1 for q in predicted if q.speaker and q.speaker.name)
    counts.named_gold += sum(1 for g in golds if g.speaker)
    pairs = match(predicted, golds)
    counts.loose += len(pairs)
    for quote, gold in pairs:
        name = quote.speaker.name if quote.speaker else None
        counts.exact += (quote.start, quote.end) == (gold.start, gold.end)
        counts.speaker_right += name == gold.speaker
        counts.named_right += name is not None and name == gold.speaker
        counts.kind_right += quote.kind == gold.kind
        counts.cue_right += quote.cue == gold.cue
        if (name, quote.kind, quote.cue) != (gold.speaker, gold.kind, gold.cue) or (
            quote.start,
            quote.end,
        ) != (gold.start, gold.end):
            counts.errors.append(
                f"{record_id}: {quote.text[:60]!r} got {(quote.kind, quote.cue, name)}"
                f" want {(gold.kind, gold.cue, gold.speaker)}"
                + ("" if quote.text == gold.text else f" span want {gold.text[:60]!r}")
            )
    matched_p = {id(q) for q, _ in pairs}
    matched_g = {id(g) for _, g in pairs}
    counts.errors += [
        f"{record_id}: extra {q.text[:70]!r}" for q in predicted if id(q) not in matched_p
    ]
    counts.errors += [
        f"{record_id}: missed {g.text[:70]!r}" for g in golds if id(g) not in matched_g
    ]


def prf(right: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = right / predicted if predicted else 0.0
    r = right / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(records: list[dict[str, Any]], repeat: int = 1) -> dict[str, Any]:
    """Scores of ``find_quotes`` on ``records`` (see the module docstring), plus timings."""
    pairs, parse_seconds = parse(records)
    quote_seconds = float("inf")
    for _ in range(repeat):  # the fastest run: find_quotes is cheap and noisy to time
        began = time.perf_counter()
        predictions = [find_quotes(doc, article) for doc, article in pairs]
        quote_seconds = min(quote_seconds, time.perf_counter() - began)
    counts = Counts()
    for record, predicted in zip(records, predictions, strict=True):
        tally(counts, record["id"], predicted, gold_quotes(record))
    return summary(counts, parse_seconds, quote_seconds)


def summary(counts: Counts, parse_seconds: float, quote_seconds: float) -> dict[str, Any]:
    ep, er, ef = prf(counts.exact, counts.predicted, counts.gold)
    lp, lr, lf = prf(counts.loose, counts.predicted, counts.gold)
    sp, sr, sf = prf(counts.named_right, counts.named_predicted, counts.named_gold)
    matched = counts.loose or 1
    return {
        "gold": counts.gold,
        "predicted": counts.predicted,
        "exact_p": ep,
        "exact_r": er,
        "exact_f1": ef,
        "loose_p": lp,
        "loose_r": lr,
        "loose_f1": lf,
        "speaker_accuracy": counts.speaker_right / matched,
        "kind_accuracy": counts.kind_right / matched,
        "cue_accuracy": counts.cue_right / matched,
        "speaker_p": sp,
        "speaker_r": sr,
        "speaker_f1": sf,
        "parse_seconds": parse_seconds,
        "quote_seconds": quote_seconds,
        "cost_share": quote_seconds / parse_seconds,
        "errors": counts.errors,
    }


def report(scores: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"quotes: {scores['gold']} gold, {scores['predicted']} predicted",
            "spans exact   P {exact_p:.3f}  R {exact_r:.3f}  F1 {exact_f1:.3f}".format(**scores),
            "spans >=80%   P {loose_p:.3f}  R {loose_r:.3f}  F1 {loose_f1:.3f}".format(**scores),
            "on matched    speaker {speaker_accuracy:.3f}  kind {kind_accuracy:.3f}"
            "  cue {cue_accuracy:.3f}".format(**scores),
            "speakers      P {speaker_p:.3f}  R {speaker_r:.3f}  F1 {speaker_f1:.3f}".format(
                **scores
            ),
            "cost          find_quotes {:.1f} ms = {:.2%} of the parse ({:.0f} ms)".format(
                scores["quote_seconds"] * 1000,
                scores["cost_share"],
                scores["parse_seconds"] * 1000,
            ),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Quote accuracy and cost on an annotated set.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a .jsonl file or folder")
    parser.add_argument("--repeat", type=int, default=5, help="runs of find_quotes to time")
    parser.add_argument("--errors", action="store_true", help="list every miss and mismatch")
    args = parser.parse_args()
    files = sorted(args.data.glob("*.jsonl")) if args.data.is_dir() else [args.data]
    parts = [(file.name, load(file)) for file in files]
    if len(parts) > 1:
        parts.append(("all", [record for _, records in parts for record in records]))
    for name, records in parts:
        scores = evaluate(records, repeat=args.repeat)
        print(f"== {name}: {len(records)} paragraphs")
        print(report(scores))
        if args.errors:
            print("\n".join(scores["errors"]))


if __name__ == "__main__":
    main()
