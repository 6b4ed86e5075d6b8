"""An article's text cut into pieces for display: paragraphs, sentences, and runs of text
with the entities, quotes and events that cover them.

Annotations overlap (an entity inside a quote, an event clause across a quote), so the text is
cut at every annotation boundary and each run lists everything covering it; the template
gives each run the classes of its annotations. Sentences become anchors (``#s-3``) that quotes
and events link to, which highlight with CSS ``:target`` and without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import quote

from wirewatch.model import Article


@dataclass(slots=True)
class Run:
    """Text covered by the same annotations: ``classes`` for CSS, an optional link."""

    text: str
    classes: list[str] = field(default_factory=list)
    href: str | None = None
    title: str | None = None


@dataclass(slots=True)
class SentencePart:
    """The part of sentence ``index`` inside one paragraph; ``anchor`` on its first part."""

    index: int | None
    anchor: bool
    runs: list[Run] = field(default_factory=list)


@dataclass(slots=True)
class Paragraph:
    parts: list[SentencePart] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    css: str
    href: str | None = None
    title: str | None = None


def paragraphs(article: Article) -> list[Paragraph]:
    """The article's text as paragraphs of sentence parts of annotated runs."""
    text = article.text
    spans = _spans(article)
    cuts = {0, len(text)}
    for span in spans:
        cuts |= {span.start, span.end}
    for bounds_of in article.sentences:
        cuts |= {bounds_of.start, bounds_of.end}
    for index, char in enumerate(text):
        if char == "\n":
            cuts |= {index, index + 1}
    bounds = sorted(cut for cut in cuts if 0 <= cut <= len(text))
    sentence_starts = [(s.start, s.end, i) for i, s in enumerate(article.sentences)]
    out = [Paragraph()]
    anchored: set[int] = set()
    for start, end in pairwise(bounds):
        piece = text[start:end]
        if piece == "\n":
            out.append(Paragraph())
            continue
        sentence = next((i for s, e, i in sentence_starts if s <= start < e), None)
        paragraph = out[-1]
        if not paragraph.parts or paragraph.parts[-1].index != sentence:
            anchor = sentence is not None and sentence not in anchored
            if sentence is not None:
                anchored.add(sentence)
            paragraph.parts.append(SentencePart(sentence, anchor))
        covering = [span for span in spans if span.start <= start and end <= span.end]
        run = Run(piece, [span.css for span in covering])
        linked = next((span for span in covering if span.href), None)
        if linked is not None:
            run.href, run.title = linked.href, linked.title
        paragraph.parts[-1].runs.append(run)
    return [paragraph for paragraph in out if paragraph.parts]


ALIASES_SEARCHED = 5
"""Most names one entity link searches for (its canonical name and the article's other
names for it), within the web search's ``search_max_or_terms``."""


def entity_search(canonical: str, names: list[str]) -> str:
    """The search an entity links to: its canonical name OR every name the article gives it,
    each a phrase, so "Kiev" (canonical "Kyiv") finds the articles that say either.

    >>> entity_search("Kyiv", ["Kiev", "Kyiv", "KIEV"])
    '/search?q=%22Kyiv%22%20OR%20%22Kiev%22'
    """
    wanted: dict[str, str] = {}
    for name in [canonical, *names]:
        words = " ".join(name.replace('"', " ").split())
        if words:
            wanted.setdefault(words.casefold(), words)
    phrases = [f'"{name}"' for name in list(wanted.values())[:ALIASES_SEARCHED]]
    return "/search?q=" + quote(" OR ".join(phrases), safe="")


def _spans(article: Article) -> list[_Span]:
    spans: list[_Span] = []
    names: dict[str, list[str]] = {}
    for entity in article.entities:
        names.setdefault(entity.canonical, []).append(entity.text)
    for entity in article.entities:
        kind = entity.label.lower()
        if entity.label == "PERSON":
            href = "/speakers/" + quote(entity.canonical, safe="")
        else:
            href = entity_search(entity.canonical, names[entity.canonical])
        spans.append(
            _Span(
                entity.start,
                entity.end,
                f"ent ent-{kind}",
                href,
                f"{entity.label}: {entity.canonical}",
            )
        )
    for index, found in enumerate(article.quotes):
        spans.append(_Span(found.start, found.end, f"quote q-{index}"))
    for index, event in enumerate(article.events):
        spans.append(_Span(event.start, event.end, f"event ev-{index}"))
    return spans
