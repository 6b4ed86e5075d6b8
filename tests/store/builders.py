"""Hand-built articles for the store's tests: real wire-story text, no spaCy needed."""

from __future__ import annotations

from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

from wirewatch.model import Article, DroppedLine, Entity, Sentence
from wirewatch.store.backends import connect

NATO_URL = "https://www.spacewar.com/reports/NATO_chief_pledges_support_for_Ukraine_999.html"
NATO_CANONICAL = "https://www.spacewar.com/reports/nato-chief-ukraine.html"

NATO_LINES = (
    "NATO chief Jens Stoltenberg pledged support for Ukraine during a visit to Kiev on Monday, "
    "as the ex-Soviet republic battles a bloody insurgency by pro-Russian separatists in the "
    "east.",
    '"Russia has maintained its aggressive actions against Ukraine, but NATO and NATO allies '
    'stand by Ukraine and stand on your side," Stoltenberg said at the NATO-Ukraine Commission '
    "session in Kiev.",
    "\"We are also here to demonstrate NATO's solidarity with Ukraine and our firm support for "
    'the sovereignty and territorial integrity of your country," Stoltenberg said.',
    "Kremlin spokesman Dmitry Peskov said it would not contribute to stability in Europe.",
)

# (surface text, label, canonical name), in the order they first occur in NATO_LINES.
NATO_MENTIONS = (
    ("NATO", "ORG", "NATO"),
    ("Jens Stoltenberg", "PERSON", "Jens Stoltenberg"),
    ("Ukraine", "GPE", "Ukraine"),
    ("Kiev", "GPE", "Kyiv"),
    ("Monday", "DATE", "Monday"),
    ("Russia", "GPE", "Russia"),
    ("Stoltenberg", "PERSON", "Jens Stoltenberg"),
    ("Kiev", "GPE", "Kyiv"),
    ("NATO", "ORG", "NATO"),
    ("Dmitry Peskov", "PERSON", "Dmitry Peskov"),
    ("Europe", "LOC", "Europe"),
)

NATO_DROPPED = (
    DroppedLine(text="Trump pledges support for NATO ... read more", reason="teaser", position=4),
    DroppedLine(text="Related Links", reason="related_links", position=5),
    DroppedLine(
        text="from Military Space News via space News", reason="syndication_footer", position=7
    ),
)


def sentences_of(text: str) -> list[Sentence]:
    """One sentence per line, which is how the test texts are written."""
    found: list[Sentence] = []
    start = 0
    for line in text.split("\n"):
        found.append(Sentence(start=start, end=start + len(line)))
        start += len(line) + 1
    return found


def entities_of(
    text: str, sentences: list[Sentence], mentions: tuple[tuple[str, str, str], ...]
) -> list[Entity]:
    """Entities at the offsets where each mention next occurs, with their sentence index."""
    found: list[Entity] = []
    cursor = 0
    for surface, label, canonical in mentions:
        start = text.index(surface, cursor)
        end = start + len(surface)
        sentence = next(i for i, s in enumerate(sentences) if s.start <= start < s.end)
        found.append(Entity(surface, label, start, end, canonical, sentence))
        cursor = end
    return found


def nato_article(**changes: Any) -> Article:
    """The AFP NATO story as the cleaner and NLP would leave it, with ``changes`` applied."""
    text = "\n".join(NATO_LINES)
    sentences = sentences_of(text)
    article = Article(
        text=text,
        source="feeds/spacewar.xml#3",
        url=NATO_URL,
        canonical_url=NATO_CANONICAL,
        site="Space War",
        title="NATO chief pledges support for Ukraine in Kiev",
        author="AFP",
        published="2017-07-10T00:00:00+00:00",
        language="en",
        fetched_at="2017-07-10T09:30:00+00:00",
        input_id="entry-3",
        dropped=list(NATO_DROPPED),
        sentences=sentences,
        entities=entities_of(text, sentences, NATO_MENTIONS),
        metadata={"feed": "Military Space News", "tags": ["NATO", "Ukraine"], "note": "Київ"},
    )
    return replace(article, **changes)


def short_article(text: str, url: str | None = None, **changes: Any) -> Article:
    """A one-line article without annotations."""
    return Article(text=text, source="test", url=url, **changes)


def dump_tables(target: str | Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read over a separate connection, to see what a call changed."""
    with closing(connect(str(target), 5.0)) as conn:
        names = sorted(
            name
            for name in conn.backend.tables(conn)
            if "fts" not in name and not name.startswith("sqlite_")
        )
        return {
            name: sorted((tuple(row) for row in conn.execute(f"SELECT * FROM {name}")), key=repr)
            for name in names
        }
