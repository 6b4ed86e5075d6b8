"""Where an article names a place: spaCy's place entities, demonyms, and datelines.

- GPE, LOC and FAC entities ("Kiev", "the Middle East").
- Demonyms and adjectives spaCy marks NORP ("Turkish", "African"): they name a country or
  region as much as a place name does, and are linked to it (``kind="adjective"``).
- Organisations and persons that are places mistagged ("Fargo police said"), see below.
- The dateline, which spaCy often misses in capitals: "WASHINGTON —", "LOS ANGELES (AP) -",
  "MANCHESTER, N.H. —" at the start of a paragraph or of one of the first two sentences (a
  headline may come first). Its place is where the story was filed (``kind="dateline"``).

"Manchester, N.H." keeps what follows the comma as the mention's ``qualifier``, whether spaCy
made one entity of it or two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wirewatch.model import Article, Entity
from wirewatch.understand import countries
from wirewatch.understand.countries import name_key
from wirewatch.understand.entities import PLACE_LABELS
from wirewatch.understand.gazetteer import Gazetteer

__all__ = ["Mention", "dateline_mentions", "place_mentions"]

# "LOS ANGELES", "MANCHESTER, N.H.", "KIEV, July 10 (AFP)": a place in capitals, an optional
# state or date after a comma, an optional agency in brackets, then a dash or colon.
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'’]*(?:[ -][A-Z][A-Z.'’]*){0,3})"
    r"(?:,\s*(?P<qualifier>[A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*){0,2}?)(?:\s+\d{1,2})?)?"
    r"(?:\s*\([^)\n]{1,30}\))?\s*[-–—:]\s"
)
_CAPITALISED = re.compile(r"[A-Z][\w.&'’-]*")
_POSSESSIVE = re.compile(r"['’]s?\Z")
_NEWLINE = re.compile("\n")
_MISTAGGED = frozenset({"ORG", "PERSON"})
# One to three capitalised words and nothing else ("Fargo", "Grand Prairie"): an organisation
# named only so may be its town; "Fargo Police Department" is not.
_TITLE_WORDS = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}")
# "in Cirencester", "of Dewsbury": a person's name right after such a word is likelier a town.
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|from|near|of|outside|around|across)\s+\Z")
_MONTHS = re.compile(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\Z")


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of text that names a place. ``name`` is what to look up (the entity's
    canonical form), ``qualifier`` the place after a comma that narrows it."""

    text: str
    name: str
    start: int
    end: int
    sentence: int
    kind: str  # "name", "weak" (an organisation's name), "adjective" or "dateline"
    qualifier: str | None = None
    canonical: str | None = None  # the article's name for it, when it differs ("Kyiv")


def place_mentions(article: Article, gaz: Gazetteer) -> list[Mention]:
    """The article's place mentions in text order (``article.entities`` must be set).

    spaCy's small models often tag a town as an organisation or a person ("Fargo police
    said"); such an entity is a place mention when the same name is tagged as a place
    elsewhere in the article, or is a country or a first-level division. Otherwise it is a
    *weak* mention, which ``places.py`` keeps only when the rest of the article puts it there:
    an organisation of one to three capitalised words, a lone name tagged as a person right
    after "in", "of", "near" and the like ("residents of Cirencester"), or a NORP that is no
    demonym ("Oxford"). Countries, first-level divisions and demonyms inside an
    organisation's name are place mentions too ("University of Texas", "U.S. Army").
    """
    datelines = dateline_mentions(article)
    covered = [(m.start, m.end) for m in datelines]
    mentions = list(datelines)
    entities = article.entities
    place_names = {name_key(e.text) for e in entities if e.label in PLACE_LABELS}
    for index, entity in enumerate(entities):
        if any(s < entity.end and entity.start < e for s, e in covered):
            continue
        if entity.label == "NORP":
            # "Turkish", "African"; a NORP that is no demonym may be a mistagged town ("Oxford").
            linked = countries.country_by_adjective(entity.text) or gaz.lookup_adjective(
                entity.text
            )
            kind = "adjective" if linked else "weak"
            name = entity.text if linked else _clean(entity.text)
            mentions.append(
                Mention(entity.text, name, entity.start, entity.end, entity.sentence, kind)
            )
            continue
        kind = "name"
        if entity.label in _MISTAGGED:
            key = name_key(entity.text)
            if entity.label == "ORG" and countries.country_by_adjective(entity.text):
                kind = "adjective"  # "Russian" tagged as an organisation
            elif key in place_names or (
                entity.label == "ORG"
                and (countries.country_by_name(entity.text) or gaz.is_division(entity.text))
            ):
                kind = "name"
            elif _TITLE_WORDS.fullmatch(entity.text) and (
                entity.label == "ORG"
                or (
                    entity.canonical == entity.text
                    and _LOCATIVE_BEFORE.search(
                        article.text, max(entity.start - 12, 0), entity.start
                    )
                    is not None
                )
            ):
                kind = "weak"
            else:
                if entity.label == "ORG":
                    mentions.extend(_inside_organisation(entity, gaz))
                continue
            mentions.append(
                Mention(entity.text, entity.text, entity.start, entity.end, entity.sentence, kind)
            )
            continue
        if entity.label not in PLACE_LABELS:
            continue
        # Looked up as written ("Cancun"), then by the canonical name the article gives it.
        name, qualifier = _split_qualifier(_clean(entity.text))
        if qualifier is None:
            qualifier = _following_qualifier(article.text, entity, entities, index)
        canonical = _split_qualifier(entity.canonical)[0]
        mentions.append(
            Mention(
                entity.text,
                name,
                entity.start,
                entity.end,
                entity.sentence,
                "name",
                qualifier,
                canonical if canonical != name else None,
            )
        )
    mentions.sort(key=lambda m: m.start)
    return mentions


def _inside_organisation(entity: Entity, gaz: Gazetteer) -> list[Mention]:
    """Countries, first-level divisions and demonyms named inside an organisation's name:
    "Texas" in "University of Texas", "U.S." in "U.S. Army", "American" in "American Red
    Cross" (the longest run of up to three capitalised words that is one)."""
    words = list(_CAPITALISED.finditer(entity.text))
    found: list[Mention] = []
    i = 0
    while i < len(words):
        for n in (3, 2, 1):
            last = i + n - 1
            if last >= len(words):
                continue
            if any(words[k + 1].start() - words[k].end() != 1 for k in range(i, last)):
                continue
            start, end = words[i].start(), words[last].end()
            text = entity.text[start:end]
            if countries.country_by_name(text) or gaz.is_division(text):
                kind = "name"
            elif countries.country_by_adjective(text):
                kind = "adjective"
            else:
                continue
            found.append(
                Mention(text, text, entity.start + start, entity.start + end, entity.sentence, kind)
            )
            i = last
            break
        i += 1
    return found


def _clean(text: str) -> str:
    """ "the Bronx's" -> "Bronx"."""
    text = " ".join(text.split())
    if text.lower().startswith("the "):
        text = text[4:]
    return _POSSESSIVE.sub("", text)


def _split_qualifier(name: str) -> tuple[str, str | None]:
    """ "Moscow, Idaho" -> ("Moscow", "Idaho")."""
    head, comma, rest = name.partition(",")
    if comma and head.strip() and rest.strip():
        return head.strip(), rest.strip()
    return name, None


def _following_qualifier(
    text: str, entity: Entity, entities: list[Entity], index: int
) -> str | None:
    """ "Manchester, N.H." as two entities, or with the abbreviation left untagged."""
    between_end = entity.end
    if text[between_end : between_end + 2] != ", ":
        return None
    if index + 1 < len(entities):
        following = entities[index + 1]
        if following.start == between_end + 2 and following.label in PLACE_LABELS:
            return following.canonical
    # An untagged abbreviation or postal code: "Manchester, N.H.", "Nashua, NH".
    match = re.match(
        r"([A-Z][A-Za-z]{0,4}\.(?:[A-Z][a-z]?\.)?|[A-Z]{2})\b", text[between_end + 2 :]
    )
    return match.group(1) if match else None


def dateline_mentions(article: Article) -> list[Mention]:
    """Dateline places: at a paragraph's start or at one of the first two sentences' starts."""
    text = article.text
    starts = {0}
    starts.update(m.end() for m in _NEWLINE.finditer(text))
    starts.update(s.start for s in article.sentences[:2])
    found: list[Mention] = []
    for start in sorted(starts):
        while start < len(text) and text[start] in " \t\r\n":
            start += 1
        match = _DATELINE.match(text, start)
        if match is None:
            continue
        place = match.group("place").rstrip(".")
        if len(place) < 3 or not any(c.isalpha() for c in place):
            continue
        qualifier = match.group("qualifier")
        if qualifier is not None and _MONTHS.match(qualifier):
            qualifier = None
        end = match.start("place") + len(place)
        found.append(
            Mention(
                place,
                place,
                match.start("place"),
                end,
                _sentence_of(article, start),
                "dateline",
                qualifier,
            )
        )
    return found


def _sentence_of(article: Article, offset: int) -> int:
    index = 0
    for i, sentence in enumerate(article.sentences):
        if sentence.start <= offset:
            index = i
        else:
            break
    return index
