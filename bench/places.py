"""Place resolution on LGL (Lieberman et al.): 588 news articles, 5,088 marked toponyms.

Each article's text goes through the spaCy parse and the entity and place steps; a gold
toponym is *found* when a resolved place overlaps its span. Reported among found and overall:
the exact GeoNames id, Acc@161 (the place's point within 161 km of the gold point; a place
without a point counts as a miss) and the mean error in km of those with a point. Cost: place
resolution per article (after the parse), gazetteer load time and resident memory.

Run it with the unchanged code's interpreter and with this one to compare in one session:

    python bench/places.py [--data ../shared/eval/lgl/lgl.xml] [--limit N]
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from wirewatch.model import Article
from wirewatch.settings import Settings
from wirewatch.understand import places as places_module
from wirewatch.understand.entities import entities_of, sentences_of
from wirewatch.understand.nlp import load_nlp

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


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="first N articles only")
    args = parser.parse_args()
    articles = read_lgl(args.data)
    if args.limit:
        articles = articles[: args.limit]

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    places_module._gazetteer()
    load_s = time.perf_counter() - started
    rss_gazetteer_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024

    nlp = load_nlp(Settings().nlp_model)
    total = found = exact = near = with_point = 0
    error_km = 0.0
    resolve_s = 0.0
    for doc, golds in nlp.pipe(articles, as_tuples=True):
        text = doc.text
        article = Article(text=text, source="lgl")
        article.sentences = sentences_of(doc)
        article.entities = entities_of(doc, article.sentences)
        tick = time.perf_counter()
        resolved = places_module.resolve_places(doc, article)
        resolve_s += time.perf_counter() - tick
        for gold in golds:
            total += 1
            match = next((p for p in resolved if p.start < gold.end and gold.start < p.end), None)
            if match is None:
                continue
            found += 1
            exact += match.geonameid == gold.geonameid
            if match.lat is not None and match.lon is not None:
                with_point += 1
                distance = km(match.lat, match.lon, gold.lat, gold.lon)
                error_km += distance
                near += distance <= 161

    def share(n: int, d: int) -> str:
        return f"{100 * n / d:5.1f}%" if d else "  n/a"

    print(f"{args.data.name}: {len(articles)} articles, {total} toponyms with a point")
    print(f"found            {share(found, total)}  ({found})")
    print(f"exact id         {share(exact, found)} of found, {share(exact, total)} overall")
    print(f"Acc@161 km       {share(near, found)} of found, {share(near, total)} overall")
    mean = f"{error_km / with_point:.0f} km over {with_point}" if with_point else "n/a"
    print(f"mean error       {mean} places with a point")
    print(f"resolve/article  {1000 * resolve_s / max(len(articles), 1):.2f} ms (after the parse)")
    print(f"gazetteer load   {load_s:.2f} s, +{rss_gazetteer_mb:.0f} MB resident")
    return 0


if __name__ == "__main__":
    sys.exit(main())
