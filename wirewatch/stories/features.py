"""What an article is about, as small sets that story clustering compares and indexes.

- ``entities``: canonical names of the people, organisations and places it mentions (case
  folded), when it was annotated;
- ``actors``: CAMEO actor codes of its event participants and actors (``UKRGOV``, ``RUS``);
- ``numbers``: the numbers it states, normalised (``10,000`` and ``10000`` are one); numbers
  below 10 are too common to tell events apart and are left out;
- ``keywords``: its most frequent content words (case folded, stop words left out), the
  words the story is told in;
- ``at``: when it happened for clustering: the publication time, else the collection time.

Each feature is a string with a kind prefix (``e:jens stoltenberg``, ``a:UKRGOV``, ``n:10000``,
``w:membership``), so one inverted index holds all kinds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from wirewatch.model import Article

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
KEYWORDS = 25
MAX_ENTITIES = 60
MAX_NUMBERS = 30

_WORD = re.compile(r"[^\W\d_]{4,}")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\w.,])\d+(?:\.\d+)?(?!\w)")
_STOP_WORDS = """
    about above after again against also although among another around because been before
    being below between both but came come could does doing down during each either even ever
    every from further have having here hers herself himself into itself just last least less
    made make many more most much must near neither never next none only other ought ours over
    said same says should since some still such than that their theirs them themselves then
    there these they this those though through thus told under until upon very were what when
    where which while whom whose will with within without would your yours year years week
    weeks month months today yesterday tomorrow monday tuesday wednesday thursday friday
    saturday sunday time times people like well back first second third another added
"""
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """The sets story clustering compares (see the module docstring)."""

    entities: frozenset[str]
    actors: frozenset[str]
    numbers: frozenset[str]
    keywords: frozenset[str]
    at: float  # seconds since the epoch, UTC

    def values(self) -> list[str]:
        """Every feature with its kind prefix, sorted: the rows of the inverted index."""
        found = [f"e:{v}" for v in self.entities] + [f"a:{v}" for v in self.actors]
        found += [f"n:{v}" for v in self.numbers] + [f"w:{v}" for v in self.keywords]
        return sorted(found)

    @classmethod
    def from_values(cls, values: list[str], at: float) -> StoryFeatures:
        """The inverse of ``values``."""
        kinds: dict[str, set[str]] = {"e": set(), "a": set(), "n": set(), "w": set()}
        for value in values:
            kind, _, rest = value.partition(":")
            if kind in kinds:
                kinds[kind].add(rest)
        return cls(
            frozenset(kinds["e"]),
            frozenset(kinds["a"]),
            frozenset(kinds["n"]),
            frozenset(kinds["w"]),
            at,
        )


def story_features(article: Article) -> StoryFeatures:
    """The article's clustering features; NLP fields that are empty give empty sets."""
    entities = {e.canonical.casefold() for e in article.entities if e.label in ENTITY_LABELS}
    actors = {a.code for a in article.actors if a.code}
    for event in article.events:
        actors.update(a.code for a in (*event.source, *event.target) if a.code)
    return StoryFeatures(
        entities=frozenset(sorted(entities)[:MAX_ENTITIES]),
        actors=frozenset(actors),
        numbers=frozenset(numbers_in(article.text)[:MAX_NUMBERS]),
        keywords=frozenset(keywords_of(article.text)),
        at=article_time(article),
    )


def numbers_in(text: str) -> list[str]:
    """The distinct numbers of ``text`` of 10 or more, normalised, in order of appearance.

    >>> numbers_in("More than 10,000 people; 29 members; 3 days; 2014")
    ['10000', '29', '2014']
    """
    seen: dict[str, None] = {}
    for match in _NUMBER.finditer(text):
        raw = match.group().replace(",", "")
        try:
            value = float(raw)
        except ValueError:  # pragma: no cover - the pattern only matches numbers
            continue
        if value >= 10:
            seen.setdefault(raw.rstrip("0").rstrip(".") if "." in raw else raw)
    return list(seen)


def keywords_of(text: str, limit: int = KEYWORDS) -> list[str]:
    """The ``limit`` most frequent content words of ``text``, ties broken alphabetically."""
    counts = Counter(w for w in _WORD.findall(text.casefold()) if w not in _STOP)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:limit]]


def article_time(article: Article) -> float:
    """Publication time when it is an ISO date, else collection time, as epoch seconds."""
    for value in (article.published, article.fetched_at):
        moment = parse_time(value)
        if moment is not None:
            return moment
    return 0.0


def parse_time(value: str | None) -> float | None:
    """An ISO 8601 date or time as epoch seconds (UTC when no zone is given), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
