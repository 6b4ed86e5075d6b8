"""Actor resolution: country and sector of actor phrases, before and after, in one run.

Two sets, both coded by the current tree and by a baseline tree (``--baseline REF``, default
the coder before issue 9's actor work; the baseline is checked out with ``git archive`` into a
temporary directory and run in a child process with the same texts):

- ``tests/fixtures/actors/actor_phrases.tsv`` (written for wirewatch): each phrase in its
  sentence with the expected country and sector; accuracy of the country (all of them, for
  "US and British activists"), of the sector, and of both;
- the gold actor phrases of ``../shared/data/plover/PLOVER_GSR_CAMEO.json`` (dev): micro
  precision and recall of the 3-letter country (or body) code of each phrase found verbatim in
  its sentence.

And the cost: seconds spent coding actors (building the coder, its article mentions, and every
phrase asked; tables loaded once before timing) as a share of the spaCy parse of the same
texts, in each tree.

    python bench/actors.py [--baseline REF] [--show N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PHRASES = ROOT / "tests/fixtures/actors/actor_phrases.tsv"
PLOVER = ROOT.parent / "shared/data/plover/PLOVER_GSR_CAMEO.json"
BASELINE = "496862e"  # main before issue 9 item 4 (roles table, phrase and context reading)


def phrase_rows() -> list[dict[str, Any]]:
    rows = []
    for line in PHRASES.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("text\t"):
            continue
        text, phrase, country, sector = line.split("\t")
        rows.append(
            {
                "set": "phrases",
                "text": text,
                "phrase": phrase,
                "countries": sorted(c for c in country.split("|") if c != "-"),
                "sector": None if sector == "-" else sector,
            }
        )
    return rows


def plover_rows(path: Path) -> list[dict[str, Any]]:
    rows = []
    for record in json.loads(path.read_text("utf-8")):
        text = record.get("text")
        if not text or record.get("event") in (None, "DOCUMENT"):
            continue
        for side in ("source", "target"):
            for actor in record.get(side) or []:
                if not isinstance(actor, dict) or not actor.get("code"):
                    continue
                phrase = str(actor.get("actorText") or "")
                if not phrase or phrase not in text:
                    continue
                rows.append(
                    {
                        "set": "plover",
                        "text": text,
                        "date": record.get("date"),
                        "phrase": phrase,
                        "countries": [str(actor["code"])[:3]],
                        "sector": None,
                    }
                )
    return rows


def code_rows(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Code every row's phrase with the wirewatch importable here; JSON-ready results."""
    from wirewatch.model import Article
    from wirewatch.understand import actors as actor_module
    from wirewatch.understand.entities import entities_of, sentences_of
    from wirewatch.understand.nlp import load_nlp
    from wirewatch.understand.places import resolve_places

    nlp = load_nlp()
    texts = sorted({r["text"] for r in rows})
    nlp("warm up")
    started = time.perf_counter()
    docs = dict(zip(texts, nlp.pipe(texts), strict=True))
    parse_seconds = time.perf_counter() - started
    articles = {}
    for text, doc in docs.items():
        article = Article(text=text, source="bench", published="2008-06-01")
        article.sentences = sentences_of(doc)
        article.entities = entities_of(doc, article.sentences)
        article.places = resolve_places(doc, article)
        articles[text] = article
    # Load the tables once before timing (every tree does): the cost measured is per article.
    warm_text = texts[0]
    actor_module.ActorCoder(docs[warm_text], articles[warm_text]).mentions()
    actor_seconds = 0.0
    coders = {}
    for text, doc in docs.items():
        started = time.perf_counter()
        coder = actor_module.ActorCoder(doc, articles[text])
        coder.mentions()
        actor_seconds += time.perf_counter() - started
        coders[text] = coder
    out = []
    for row in rows:
        doc = docs[row["text"]]
        begin = row["text"].rfind(row["phrase"])
        span = doc.char_span(begin, begin + len(row["phrase"]), alignment_mode="expand")
        predicted: list[tuple[str | None, str | None]] = []
        if span is not None:
            head = _head(span)
            coder = coders[row["text"]]
            started = time.perf_counter()
            found = coder.actors(head) if hasattr(coder, "actors") else [coder.actor(head)]
            actor_seconds += time.perf_counter() - started
            predicted = [(_country(a), a.sector) for a in found if a is not None]
        out.append({**row, "predicted": predicted})
    return {"rows": out, "parse_seconds": parse_seconds, "actor_seconds": actor_seconds}


def _country(actor: Any) -> str | None:
    """The actor's country, or the 3-letter block of a body's code ("IGO", "PSE" of
    "PSEREBHAM"); a code that is only a sector ("CVL") names no country."""
    if actor.country:
        return str(actor.country)
    if not actor.code or actor.code == actor.sector:
        return None
    return str(actor.code)[:3]


def _head(span: Any) -> Any:
    """The token the phrase is about: its syntactic root, else its last noun."""
    root = span.root
    if root.pos_ in {"NOUN", "PROPN"}:
        return root
    nouns = [t for t in span if t.pos_ in {"NOUN", "PROPN"}]
    return nouns[-1] if nouns else root


def score(result: dict[str, Any]) -> dict[str, float]:
    rows = result["rows"]
    phrases = [r for r in rows if r["set"] == "phrases"]
    country_ok = sector_ok = both_ok = 0
    for row in phrases:
        got_countries = sorted({c for c, _ in row["predicted"] if c})
        got_sector = row["predicted"][0][1] if row["predicted"] else None
        c_ok = got_countries == row["countries"]
        s_ok = got_sector == row["sector"]
        country_ok += c_ok
        sector_ok += s_ok
        both_ok += c_ok and s_ok
    plover = [r for r in rows if r["set"] == "plover"]
    tp = pred = gold = 0
    for row in plover:
        got = {c for c, _ in row["predicted"] if c}
        want = set(row["countries"])
        tp += len(got & want)
        pred += len(got)
        gold += len(want)
    n = max(len(phrases), 1)
    return {
        "phrases": len(phrases),
        "country": country_ok / n,
        "sector": sector_ok / n,
        "both": both_ok / n,
        "plover_phrases": len(plover),
        "plover_precision": tp / max(pred, 1),
        "plover_recall": tp / max(gold, 1),
        "cost": result["actor_seconds"] / max(result["parse_seconds"], 1e-9),
        "parse_seconds": result["parse_seconds"],
        "actor_seconds": result["actor_seconds"],
    }


def run_baseline(ref: str, rows_file: Path) -> dict[str, Any]:
    """Code the rows with the wirewatch of ``ref`` in a child process."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "wirewatch"],
        check=True,
        capture_output=True,
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        env = {**os.environ, "PYTHONPATH": tmp}
        out = subprocess.run(
            [sys.executable, __file__, "--code-only", str(rows_file)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,
        ).stdout
    return json.loads(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="git ref of the baseline coder")
    parser.add_argument("--plover", type=Path, default=PLOVER, help="PLOVER_GSR_CAMEO.json")
    parser.add_argument("--show", type=int, default=0, help="print N wrong phrases")
    parser.add_argument("--code-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.code_only is not None:
        rows = json.loads(args.code_only.read_text("utf-8"))
        print(json.dumps(code_rows(rows)))
        return 0
    rows = phrase_rows() + plover_rows(args.plover)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(rows, handle)
        rows_file = Path(handle.name)
    try:
        before = score(run_baseline(args.baseline, rows_file))
        after_result = code_rows(rows)
        after = score(after_result)
    finally:
        rows_file.unlink()
    print(
        f"actor phrases: {after['phrases']} in {PHRASES.name}; "
        f"{after['plover_phrases']} gold phrases of {args.plover.name}; baseline {args.baseline}"
    )
    for label, key in (
        ("phrase set: country accuracy", "country"),
        ("phrase set: sector accuracy", "sector"),
        ("phrase set: country+sector accuracy", "both"),
        ("PLOVER phrases: country precision", "plover_precision"),
        ("PLOVER phrases: country recall", "plover_recall"),
    ):
        print(f"{label:40} {before[key]:.3f} -> {after[key]:.3f}")
    print(
        f"{'actor coding / spaCy parse':40} {before['cost']:.1%} -> {after['cost']:.1%}"
        f"  (parse {before['parse_seconds']:.1f} s / {after['parse_seconds']:.1f} s)"
    )
    shown = 0
    for row in after_result["rows"]:
        if shown >= args.show or row["set"] != "phrases":
            continue
        got_countries = sorted({c for c, _ in row["predicted"] if c})
        got_sector = row["predicted"][0][1] if row["predicted"] else None
        if got_countries != row["countries"] or got_sector != row["sector"]:
            shown += 1
            print(
                f"  want {row['countries']} {row['sector']}, got {got_countries} {got_sector}:"
                f" {row['phrase']!r} in {row['text']!r}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
