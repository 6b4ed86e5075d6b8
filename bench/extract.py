"""Extraction accuracy and speed: wirewatch against plain trafilatura, in one run.

Scores each page of a WCXB-style set (``html/NNNN.html.gz`` + ``ground-truth/NNNN.json``) by
word-level and 4-gram-shingle precision, recall and F1 of the extracted text against
``main_content`` (macro-averaged over pages), plus title, author and date accuracy; every
system in the same run on the same pages: plain ``trafilatura.extract`` (text only, its
defaults), trafilatura with metadata (``bare_extraction(with_metadata=True)``), and wirewatch's
``extract`` (text, metadata, cleaning, language). Subsets: pages with a donation/subscription
box, pages with a comment section (found from the HTML).

Speed, per core: each system in worker processes of its own (so no system finds caches another
filled: trafilatura's ``trim`` cache, dateparser's compiled languages), each of which is made
ready untimed first, as wirewatch's pool has its workers (``warm_up``); the systems take turns
of 16 pages, so that a change in the load of a shared machine falls on all of them alike; the
CPU seconds of each page (``time.process_time``) summed; documents per CPU second, and the
ratios. Speed of the stage: after the scoring, the same pages through wirewatch's extract
stage with its default worker processes (``extract_workers``, run/pool.py) against plain
trafilatura in one process, wall clock.

    python bench/extract.py [--data ../shared/eval/wcxb-articles-dev] [--limit N] [--jobs 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import htmldate.extractors
import trafilatura
import trafilatura.external
from justext.core import define_stoplist

from wirewatch.errors import ExtractError
from wirewatch.extract import extract
from wirewatch.model import RawDocument
from wirewatch.run.threads import single_threaded_numerics
from wirewatch.settings import Settings

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/eval/wcxb-articles-dev"
_TOKEN = re.compile(r"\w+", re.UNICODE)
_DONATION = re.compile(
    r"donat(?:e|ion)|paypal|patreon|support (?:our|independent) journalism"
    r"|become a (?:member|supporter)",
    re.IGNORECASE,
)
_COLUMNS = (
    "word_p",
    "word_r",
    "word_f",
    "sh_p",
    "sh_r",
    "sh_f",
    "with",
    "without",
    "title",
    "author",
    "date",
)
_COMMENTS = re.compile(r"""(?:id|class)=["'][^"']*comment""", re.IGNORECASE)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def prf(predicted: Counter[Any], truth: Counter[Any]) -> tuple[float, float, float]:
    overlap = sum((predicted & truth).values())
    p = overlap / sum(predicted.values()) if predicted else 0.0
    r = overlap / sum(truth.values()) if truth else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def shingles(words: list[str], n: int = 4) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(max(len(words) - n + 1, 0)))


def score(text: str, truth: str, gt: dict[str, Any] | None = None) -> dict[str, float]:
    pw, tw = tokens(text), tokens(truth)
    wp, wr, wf = prf(Counter(pw), Counter(tw))
    sp, sr, sf = prf(shingles(pw), shingles(tw))
    out = {"word_p": wp, "word_r": wr, "word_f": wf, "sh_p": sp, "sh_r": sr, "sh_f": sf}
    # WCXB's snippet checks: "with" must appear, "without" (boilerplate) must not.
    flat = _norm(text)
    with_ = [_norm(x) for x in (gt or {}).get("with") or [] if _norm(x)]
    without = [_norm(x) for x in (gt or {}).get("without") or [] if _norm(x)]
    if with_:
        out["with"] = sum(x in flat for x in with_) / len(with_)
    if without:
        out["without"] = sum(x not in flat for x in without) / len(without)
    return out


def _norm(value: str | None) -> str:
    return " ".join(tokens(value or ""))


def _author_match(found: str | None, truth: str | None) -> bool:
    if not truth:
        return not found
    return bool(found) and set(tokens(truth)) <= set(tokens(found or ""))


_SYSTEMS = ("plain", "meta", "ours")
_TURN_PAGES = 16  # pages each system reads before the next one's turn
_WARM_UP = (  # trafilatura's first page; wirewatch's is the pool's own
    "<html lang='en'><head><title>Warm-up</title></head><body><article><h1>A page read first"
    "</h1><p>The council met on Tuesday and approved the budget after a long debate, the "
    "mayor said in a statement on 2 March 2024.</p></article></body></html>"
)


def warm_up(system: str) -> None:
    """Each worker process ready before any timed page, as wirewatch's pool has it: imports,
    models and the data loaded once per process on first need, and numeric libraries on one
    thread (left to start a thread per core, numpy's spinning threads counted several times
    the CPU time of language identification).

    wirewatch: the pool's own warm-up (``run/pool_preload.py``), which the pool runs once in
    its fork server. trafilatura: one small page, then what it loads on first need: jusText's
    stop words of every language (plain and with metadata) and, with metadata, htmldate's
    month names and dateparser with its time-zone patterns, as htmldate builds it. So every
    system is timed at the rate it keeps over a long run, none paying a first load another
    was spared.
    """
    single_threaded_numerics()
    if system == "ours":
        from wirewatch.run.pool_preload import warm_up as pool_warm_up

        pool_warm_up()
        return
    trafilatura.bare_extraction(_WARM_UP, with_metadata=system == "meta")
    define_stoplist(trafilatura.external.JT_STOPLIST or trafilatura.external.jt_stoplist_init())
    if system == "meta":
        htmldate.extractors.month_words()
        htmldate.extractors.get_external_parser().get_date_data("2 March 2024 10:00 CET")


def evaluate_page(item: tuple[Path, Path, str]) -> dict[str, Any] | None:
    """One page through one system (``plain``, ``meta`` or ``ours``): its scores and CPU time."""
    html_path, truth_path, system = item
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    gt = truth.get("ground_truth") or {}
    main = gt.get("main_content")
    if not main:
        return None
    raw_bytes = gzip.decompress(html_path.read_bytes())
    url = truth.get("url")
    page = raw_bytes.decode("utf-8", errors="replace")
    result: dict[str, Any] = {
        "id": html_path.name,
        "donation": bool(_DONATION.search(page)),
        "comments": bool(_COMMENTS.search(page)),
    }
    start = time.process_time()
    if system == "plain":
        text = trafilatura.extract(page, url=url) or ""
        meta: dict[str, float] = {}
    elif system == "meta":
        document = trafilatura.bare_extraction(page, url=url, with_metadata=True)
        found = document.as_dict() if document is not None else {}
        text = found.get("text") or ""
        meta = _meta_hits(found.get("title"), found.get("author"), found.get("date"), gt)
    else:
        raw = RawDocument(source=html_path.name, content=raw_bytes, url=url, content_type="html")
        try:
            article = extract(raw, Settings())
            text, stated = article.text, (article.title, article.author, article.published)
        except ExtractError:
            text, stated = "", (None, None, None)
        meta = _meta_hits(*stated, gt)
    result[f"{system}_seconds"] = time.process_time() - start
    result[system] = score(text, main, gt)
    result[f"{system}_meta"] = meta
    return result


def _meta_hits(
    title: str | None, author: str | None, date: str | None, gt: dict[str, Any]
) -> dict[str, float]:
    hits: dict[str, float] = {}
    if gt.get("title"):
        hits["title"] = float(_norm(title) == _norm(gt["title"]))
    if gt.get("author"):
        hits["author"] = float(_author_match(author, gt["author"]))
    if gt.get("publish_date"):
        hits["date"] = float((date or "")[:10] == str(gt["publish_date"])[:10])
    return hits


def summarise(rows: list[dict[str, Any]], system: str) -> dict[str, float]:
    keys = ["word_p", "word_r", "word_f", "sh_p", "sh_r", "sh_f", "with", "without"]
    out = {}
    for k in keys:
        values = [r[system][k] for r in rows if k in r[system]]
        if values:
            out[k] = statistics.fmean(values)
    for field in ("title", "author", "date"):
        values = [r[f"{system}_meta"][field] for r in rows if field in r[f"{system}_meta"]]
        if values:
            out[field] = statistics.fmean(values)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write per-page rows here")
    parser.add_argument("--no-stage", action="store_true", help="skip the stage speed run")
    args = parser.parse_args(argv)
    items = sorted(
        (h, args.data / "ground-truth" / (h.name.split(".")[0] + ".json"))
        for h in (args.data / "html").glob("*.html.gz")
    )
    if args.limit:
        items = items[: args.limit]
    by_page: dict[str, dict[str, Any]] = {}
    pools = {
        system: ProcessPoolExecutor(args.jobs, initializer=warm_up, initargs=(system,))
        for system in _SYSTEMS
    }
    try:
        # The systems take turns, a few pages each, so that the load of other jobs on a shared
        # machine, which changes from minute to minute, falls on each of them alike.
        for turn, start in enumerate(range(0, len(items), _TURN_PAGES)):
            chunk = items[start : start + _TURN_PAGES]
            for system in _SYSTEMS[turn % 3 :] + _SYSTEMS[: turn % 3]:
                work = [(html, truth, system) for html, truth in chunk]
                size = max(1, len(work) // args.jobs)
                for row in pools[system].map(evaluate_page, work, chunksize=size):
                    if row is not None:
                        by_page.setdefault(row["id"], {}).update(row)
    finally:
        for pool in pools.values():
            pool.shutdown()
    rows = [by_page[html.name] for html, _ in items if html.name in by_page]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    print(f"{len(rows)} pages from {args.data}")
    subsets = {
        "all": rows,
        "donation": [r for r in rows if r["donation"]],
        "comments": [r for r in rows if r["comments"]],
    }
    header = f"{'subset':10} {'system':18} {'n':>4} " + " ".join(f"{k:>7}" for k in _COLUMNS)
    print(header)
    for name, subset in subsets.items():
        for system, label in (
            ("plain", "trafilatura.extract"),
            ("meta", "trafilatura+metadata"),
            ("ours", "wirewatch"),
        ):
            s = summarise(subset, system)
            cells = " ".join(f"{s.get(k, float('nan')):7.3f}" for k in _COLUMNS)
            print(f"{name:10} {label:18} {len(subset):4d} {cells}")
    plain_t = sum(r["plain_seconds"] for r in rows)
    meta_t = sum(r["meta_seconds"] for r in rows)
    ours_t = sum(r["ours_seconds"] for r in rows)
    n = len(rows)
    print(
        f"per core (CPU time): trafilatura.extract {n / plain_t:.2f} docs/s, trafilatura+metadata "
        f"{n / meta_t:.2f} docs/s, wirewatch {n / ours_t:.2f} docs/s; wirewatch/plain "
        f"{plain_t / ours_t:.2f}x, wirewatch/with-metadata {meta_t / ours_t:.2f}x"
    )
    if not args.no_stage:
        stage_speed([item for item in items if item[0].name in {r["id"] for r in rows}])
    return 0


def stage_speed(items: list[tuple[Path, Path]]) -> None:
    """Wall-clock docs/s: plain trafilatura in one process vs wirewatch's extract stage."""
    from wirewatch.run.local import RunStats, extract_stage

    pages = []
    for html_path, truth_path in items:
        url = json.loads(truth_path.read_text(encoding="utf-8")).get("url")
        pages.append((gzip.decompress(html_path.read_bytes()), url))
    started = time.perf_counter()
    for content, url in pages:
        trafilatura.extract(content.decode("utf-8", errors="replace"), url=url)
    plain = time.perf_counter() - started
    documents = [
        RawDocument(source=str(i), content=content, url=url, content_type="html")
        for i, (content, url) in enumerate(pages)
    ]
    stats = RunStats()
    started = time.perf_counter()
    for _ in extract_stage(documents, Settings(), stats):
        pass
    ours = time.perf_counter() - started
    n = len(pages)
    print(
        f"stage, wall clock: trafilatura.extract (1 process) {n / plain:.2f} docs/s, wirewatch "
        f"extract stage ({stats.extract_workers} workers) {n / ours:.2f} docs/s, ratio "
        f"{plain / ours:.2f}x; peak RSS of a worker {stats.worker_peak_rss / 2**20:.0f} MiB"
    )


if __name__ == "__main__":
    sys.exit(main())
