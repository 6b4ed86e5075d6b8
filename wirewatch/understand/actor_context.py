"""What a sentence and the sentences before it say about an actor its own phrase leaves open.

Two sources, both read before anything later in the article, so that one sentence gives one
coding: a copy of a sentence (in the same article or in another copy of the story with the
same beginning) gets the same actors whatever follows it.

- **Places in the clause.** "Police arrested five people in Nablus": police of the Palestinian
  territories. A place someone travels to ("during a visit to Beirut", "arrived in Beirut")
  places the people met there, not the traveller: in "Rice met President Michel Suleiman
  during a visit to Beirut" Suleiman is Lebanese and Rice is not. Armed forces are never
  placed this way (troops are often abroad), nor is a named person without a title.
- **Earlier mentions** (``EarlierMentions``): what earlier sentences (and the sentence itself)
  said explicitly about a person ("Lebanese President Michel Suleiman" ... "Suleiman"), a title
  ("Palestinian security forces" ... "security forces") or a sector ("Israeli troops" ... "the
  soldiers") when they name one country only, and the country the article is about so far.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Token

from wirewatch.understand.actor_phrase import PLACE_NOUNS
from wirewatch.understand.parse_index import sentence_of

__all__ = ["EarlierMentions", "clause_country", "is_subject"]

_TRAVEL = {
    "visit", "trip", "tour", "arrive", "arrival", "travel", "fly", "go", "come", "return",
    "stop", "stopover", "land", "journey", "head", "reach", "mission", "pilgrimage", "leave",
}  # fmt: skip
_CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "conj", "relcl", "xcomp", "acl", "parataxis", "pcomp"}
_SUBJECT_DEPS = {"nsubj", "csubj", "expl"}
# Prepositions that say where something happens or where someone goes; "of" only after a
# place noun ("the northern city of Kirkuk").
_WHERE = {
    "in", "at", "near", "inside", "outside", "across", "around", "throughout", "to", "into",
    "within", "on", "through",
}  # fmt: skip
# Sectors an agent of the clause belongs to where the clause happens: police, residents,
# protesters, rebels, opposition, local courts and legislators. Governments and armed forces
# act abroad too often to be placed by where they act.
LOCAL_SECTORS = frozenset(
    {"COP", "CVL", "REB", "OPP", "PTY", "JUD", "LEG", "EDU", "HLH", "LAB", "AGR", "REL", "REF"}
)
PLACEABLE_SECTORS = LOCAL_SECTORS | {"GOV", "MED", "BUS", "CRM", "ELI", "ENV", "SPY"}


def clause_verb(token: Token) -> Token:
    """The verb of the clause a token is in (the token itself when it is one)."""
    current = token
    for _ in range(40):
        if current.pos_ in {"VERB", "AUX"} and (
            current.dep_ in _CLAUSE_DEPS or current.head.i == current.i
        ):
            return current
        if current.head.i == current.i:
            return current
        current = current.head
    return current


def is_subject(token: Token) -> bool:
    """The token is (a conjunct of) the active subject of its clause, or a passive's "by" agent."""
    current = token
    while current.dep_ == "conj" and current.head.i != current.i:
        current = current.head
    if current.dep_ in _SUBJECT_DEPS:
        return True
    return current.dep_ == "pobj" and current.head.dep_ == "agent"


def _is_location(place: Token) -> bool:
    """The place says where the clause happens ("in Nablus", "a visit to Beirut", "visited
    Kabul"), not whose something is ("US activists")."""
    current = place
    while current.dep_ in {"conj", "appos"} and current.head.i != current.i:
        current = current.head
    if current.dep_ == "pobj":
        preposition = current.head
        if preposition.lower_ in _WHERE:
            return True
        return preposition.lower_ == "of" and preposition.head.lemma_.lower() in PLACE_NOUNS
    if current.dep_ == "dobj":
        return current.head.lemma_.lower() in _TRAVEL
    return current.dep_ == "npadvmod"


def _travelled_to(place: Token, verb: Token) -> bool:
    """The place is where someone travels in the clause: "visit to Beirut", "arrived in Beirut",
    "visited Beirut"."""
    if verb.lemma_.lower() in _TRAVEL:
        return True
    current = place
    for _ in range(12):
        if current.i == verb.i:
            return False
        if current.lemma_.lower() in _TRAVEL:
            return True
        current = current.head
    return False


def clause_country(
    token: Token, places: dict[int, str], sector: str | None, *, named: bool
) -> str | None:
    """The country of the one literal place in the token's clause that may place it, or None.

    ``places`` maps the head token of each literal place mention to its country. A named
    person is placed only when the text gives them a title (``sector``), and only when they are
    not the clause's subject; a group is placed when its sector is local, or when it is not the
    subject and its sector is one a place can say.
    """
    if sector is None or sector not in PLACEABLE_SECTORS:
        return None
    subject = is_subject(token)
    if subject and (named or sector not in LOCAL_SECTORS):
        return None
    verb = clause_verb(token)
    sent = sentence_of(token)
    found: set[str] = set()
    for index, country in places.items():
        if not sent.start <= index < sent.end or index == token.i:
            continue
        place = token.doc[index]
        if not _is_location(place) or clause_verb(place).i != verb.i:
            continue
        if subject and _travelled_to(place, verb):
            continue  # the traveller is not of the place they visit
        found.add(country)
    return found.pop() if len(found) == 1 else None


@dataclass(slots=True)
class _Said:
    """What one sentence said explicitly about a person: country, sector, title."""

    sentence: int
    country: str | None
    sector: str | None
    role: str | None


@dataclass(slots=True)
class EarlierMentions:
    """Explicit facts from the sentences read so far, keyed so later mentions can find them."""

    people: dict[str, list[_Said]] = field(default_factory=lambda: defaultdict(list))
    titles: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    sectors: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    votes: list[tuple[int, str]] = field(default_factory=list)
    inferred_titles: dict[str, list[tuple[int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    inferred_sectors: dict[str, list[tuple[int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def person_said(
        self, name: str, sentence: int, country: str | None, sector: str | None, role: str | None
    ) -> None:
        if country is None and sector is None:
            return
        said = _Said(sentence, country, sector, role)
        for key in _name_keys(name):
            self.people[key].append(said)
        if role is not None and country is not None:
            self.titles[role].append((sentence, country))

    def group_said(self, sentence: int, role: str, sector: str, country: str) -> None:
        self.titles[role].append((sentence, country))
        self.sectors[sector].append((sentence, country))

    def vote(self, sentence: int, country: str) -> None:
        self.votes.append((sentence, country))

    def person(self, name: str, upto: int) -> tuple[str | None, str | None]:
        """(country, sector) earlier sentences (up to ``upto``) gave a person, first said first."""
        country: str | None = None
        sector: str | None = None
        for key in _name_keys(name):
            for said in self.people.get(key, []):
                if said.sentence <= upto:
                    country = country or said.country
                    sector = sector or said.sector
            if country is not None or sector is not None:
                break
        return country, sector

    def first_said(self, name: str) -> int:
        """The first sentence that described a person of this name (a large number if none)."""
        found = [said.sentence for key in _name_keys(name) for said in self.people.get(key, [])]
        return min(found, default=1 << 30)

    def inferred(self, sentence: int, role: str, sector: str, country: str) -> None:
        """A group coded from context ("the separatists" of an article about Ukraine): read
        by later sentences only, after what the text said explicitly."""
        self.inferred_titles[role].append((sentence, country))
        self.inferred_sectors[sector].append((sentence, country))

    def title(self, role: str, upto: int) -> str | None:
        """The one country earlier sentences gave this title ("security forces"), or None."""
        return _only(c for s, c in self.titles.get(role, []) if s < upto) or _only(
            c for s, c in self.inferred_titles.get(role, []) if s < upto
        )

    def sector(self, sector: str, upto: int) -> str | None:
        """The one country earlier sentences gave groups of this sector, or None. The
        sentence itself is not read: in "Thai military sources said Vietnamese-led forces
        ..." the forces are not Thai."""
        return _only(c for s, c in self.sectors.get(sector, []) if s < upto) or _only(
            c for s, c in self.inferred_sectors.get(sector, []) if s < upto
        )

    def focus(self, upto: int) -> str | None:
        """The country the article is about so far, when one clearly dominates its mentions."""
        votes = Counter(c for s, c in self.votes if s <= upto)
        if not votes:
            return None
        (top, count), *rest = votes.most_common(2)
        runner_up = rest[0][1] if rest else 0
        return top if count >= 3 and count >= 1.5 * runner_up else None


def _only(codes: object) -> str | None:
    found = set(codes)  # type: ignore[call-overload]
    return found.pop() if len(found) == 1 else None


def _name_keys(name: str) -> list[str]:
    """The full name, then each of its names: "Michel Suleiman" is also "Suleiman" later,
    "Abiy Ahmed" "Abiy", and "Mohammed Shia al-Sudani" "Sudani"."""
    words = name.split()
    keys = [" ".join(words).casefold()]
    if len(words) > 1:
        for word in reversed(words):
            key = word.casefold()
            for prefix in ("al-", "el-", "al ", "bin "):
                key = key.removeprefix(prefix)
            if len(key) > 2 and word[:1].isupper() and key not in keys:
                keys.append(key)
    return keys
