"""The records that flow through wirewatch.

``Source --collect--> RawDocument --extract--> Article --understand--> Article + annotations``

Every record is a ``@dataclass(slots=True)`` with typed core fields and one ``metadata`` dict for
extras. Offsets are Python string indices into ``Article.text``; ``end`` is exclusive.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

SCHEMA_VERSION = "1.0"

Stage = Literal["collect", "extract", "understand", "store"]


def utc_now() -> str:
    """The current time as an ISO 8601 string in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(slots=True)
class RawDocument:
    """Bytes as collected, before anything is known about the article inside.

    ``source`` names where the document came from in words a user recognises: the path or URL
    they gave, with a locator for documents inside a container (``feed.xml#3``,
    ``dump.jsonl:12``, ``crawl.warc.gz@40960``).
    """

    source: str
    content: bytes
    url: str | None = None
    content_type: Literal["html", "text"] | None = None  # None: sniff from the bytes
    encoding: str | None = None  # charset declared by the transport (HTTP header), if any
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: str = field(default_factory=utc_now)
    input_id: str | None = None  # a JSONL record's own "id", echoed in the output
    published: str | None = None  # a date given by the container (feed entry, JSONL record)
    title: str | None = None  # a title given by the container (feed entry)
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class DroppedLine:
    """A line the cleaner removed from the article, with the reason it was removed.

    ``position`` is the line's index among the lines the cleaner was given.
    """

    text: str
    reason: str
    position: int


@dataclass(slots=True)
class Sentence:
    """A sentence of ``Article.text``: ``text[start:end]``."""

    start: int
    end: int


@dataclass(slots=True)
class Entity:
    """One mention of a named entity in ``Article.text``.

    ``canonical`` is the name this mention refers to within the article: a later "Stoltenberg"
    has the canonical name "Jens Stoltenberg"; "Kiev" and "Kyiv" share one canonical name.
    ``sentence`` is the index into ``Article.sentences``.
    """

    text: str
    label: str
    start: int
    end: int
    canonical: str
    sentence: int


@dataclass(slots=True)
class Speaker:
    """Who said a quote. ``name`` is the full canonical name, or None when it cannot be resolved
    with confidence; ``text``/``start``/``end`` are what the article itself says ("he",
    "Stoltenberg", "Kremlin spokesman Dmitry Peskov"); ``resolved_from`` is set when a pronoun or
    surname was resolved to ``name`` from an earlier mention.
    """

    text: str
    start: int
    end: int
    name: str | None = None
    role: str | None = None
    organisation: str | None = None
    country: str | None = None  # ISO 3166 alpha-3
    resolved_from: str | None = None


QuoteKind = Literal["direct", "indirect", "mixed"]


@dataclass(slots=True)
class Quote:
    """Reported speech: ``text`` is ``Article.text[start:end]`` (the quoted words without their
    marks for direct quotes; the reported clause for indirect ones)."""

    text: str
    start: int
    end: int
    kind: QuoteKind
    cue: str | None  # the reporting verb as written ("said", "told", "according to")
    speaker: Speaker | None
    sentence: int  # index of the sentence the quote starts in


@dataclass(slots=True)
class Actor:
    """A participant in an event: a person, organisation, group or country mention.

    ``code`` is CAMEO-style: a country (ISO alpha-3) or an international body, then roles
    (``RUSGOV``, ``UKRREB``, ``IGONAT``...); ``affiliation`` keeps qualifiers ("pro-Russian"
    rebels in Ukraine: country UKR, affiliation RUS).
    """

    text: str
    start: int
    end: int
    code: str | None
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    affiliation: str | None = None


@dataclass(slots=True)
class Place:
    """A place mention resolved to a GeoNames entry. ``metonymic`` marks a place standing for
    its government ("Moscow has denied"): not a location where something happened."""

    text: str
    start: int
    end: int
    name: str
    geonameid: int | None
    lat: float | None  # None where the gazetteer has no point (a few uninhabited islands)
    lon: float | None
    country: str | None  # ISO 3166 alpha-3
    feature: str  # country, capital, city, admin1, admin2, continent, region, sea ... (schema.md)
    metonymic: bool
    sentence: int


Polarity = Literal[
    "asserted", "negated", "denied", "demanded", "intended", "reported_claim", "conditional"
]


@dataclass(slots=True)
class Event:
    """Who did what to whom, when and where, with the evidence's offsets and sentence."""

    cameo: str
    cameo_name: str
    plover: str | None
    quad_class: int
    goldstein: float
    source: list[Actor]
    target: list[Actor]
    polarity: Polarity
    trigger: str  # the verb (phrase) as written
    start: int  # evidence span in Article.text: the clause that states the event
    end: int
    sentence: int
    date: str | None = None
    date_text: str | None = None
    location: Place | None = None
    claimant: Actor | None = None  # who accused, denied, demanded or said it, when not the source
    # Where ``location`` came from: "clause" (the clause stating the event), "sentence",
    # "dateline"; None when the event has no location.
    location_source: str | None = None
    # How sure the coder is of the code, in [0, 1]; None when the coder gives no figure.
    confidence: float | None = None
    # The reason for the code: the id of the lexicon pattern (or dictionary entry) that matched.
    pattern: str | None = None


@dataclass(slots=True)
class Article:
    """One news article: clean text, metadata, what the cleaner dropped, and annotations.

    Unknown metadata stays ``None``; nothing is guessed.
    """

    text: str
    source: str
    url: str | None = None
    canonical_url: str | None = None
    site: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    fetched_at: str = field(default_factory=utc_now)
    input_id: str | None = None
    dropped: list[DroppedLine] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    # The text the id was last computed from, and that id: ``id`` is asked for often.
    _id_of: tuple[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def id(self) -> str:
        """A stable identifier: the same article text gives the same id on every machine."""
        cached = self._id_of
        if cached is not None and cached[0] is self.text:
            return cached[1]
        identifier = content_id(self.text)
        self._id_of = (self.text, identifier)
        return identifier

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(slots=True)
class Failure:
    """An input, or one document inside an input, that could not be processed, and why."""

    source: str
    stage: Stage
    code: str
    message: str
    time: str = field(default_factory=utc_now)
    input_id: str | None = None

    def line(self) -> str:
        """One line for stderr, naming the input and the cause."""
        return f"{self.source}: {self.stage} failed [{self.code}]: {self.message}"


_SPACE = re.compile(r"\s+")


def normalise_for_hash(text: str) -> str:
    """Text reduced to what identifies its content: case and whitespace do not count."""
    return _SPACE.sub(" ", text).strip().casefold()


def content_id(text: str) -> str:
    """16 hex digits of the SHA-256 of the normalised text."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()[:16]
