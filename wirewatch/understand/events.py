"""Events: who did what to whom, when and where, from the dependency parse.

A verb (or an event noun such as "visit") that matches a pattern of the lexicon
(``lexicon.py``, ``matching.py``; the rows in ``wirewatch/data/event_lexicon/``, format in
docs/events.md) and is no disaster, accident, illness, market, sports report or idiom
(``nonevents.py``) becomes an event with its CAMEO code, PLOVER type, quad class, Goldstein
score, ``confidence`` and ``pattern`` (the id of the pattern that matched). Codes move with a
governing verb ("offered to talk": ``families.py``); a speaker's "X must ..." is also the
speaker's demand (``speech_events.py``). Its source is the verb's subject (coordinated
subjects give several sources; a passive's agent is the source); its target the object, or the
object of the row's preposition ("sanctions on Russia"). Polarity says what the text commits to:

- ``denied``: the event is the complement of a denial ("Moscow has denied backing the rebels"),
- ``reported_claim``: of an accusation or allegation ("accuse Moscow of attacking ..."),
- ``negated``: negated ("did not attack", "will not recognise"),
- ``demanded``: under "must", "should" or a verb of demanding ("Russia must withdraw"),
- ``intended``: future, promised or planned ("will continue to support"),
- ``asserted``: stated as fact.

``claimant`` names who denied, accused, demanded, or said it (the speaker of a quote). Dates
come from date expressions in the event's clause, resolved against the publication date;
locations from places the clause puts the event in (never a capital standing for a government).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from spacy.symbols import NOUN, VERB
from spacy.tokens import Doc, Token

from wirewatch.model import Actor, Article, Event, Place, Polarity, Quote, Speaker
from wirewatch.understand.actors import ActorCoder, counted_of
from wirewatch.understand.antecedents import antecedents
from wirewatch.understand.attacked import attacked_country
from wirewatch.understand.codes import cameo, plover_type
from wirewatch.understand.dates import parse_anchor
from wirewatch.understand.event_arguments import sources_of, targets_of, with_conjuncts
from wirewatch.understand.event_context import (
    DocInfo,
    doc_info,
    event_date,
    event_location,
    in_dateline,
)
from wirewatch.understand.event_polarity import modal_polarity, polarity_of, reporter_of
from wirewatch.understand.families import FAMILIES, READINESS, future_code, is_demand
from wirewatch.understand.lexicon import lexicon
from wirewatch.understand.matching import Match, match_noun, match_similar, match_verb
from wirewatch.understand.nonevents import NonEvents
from wirewatch.understand.parse_index import columns
from wirewatch.understand.speech_events import spoken_demand

_STOPPERS = {"stop", "cease", "halt", "end", "quit"}


@dataclass(frozen=True, slots=True)
class Rule:
    """What the coder decided for one trigger: the code, the lexicon pattern behind it, the
    preposition whose object is the target, and how sure the match is."""

    code: str
    pattern: str
    prep: str | None
    confidence: float


# Confidence factors (docs/events.md): a code moved by a governing verb ("offered to talk"), an
# event with a coded actor on one side only.
_GOVERNED = 0.9
_ONE_SIDED = 0.85
_SPEECH = 0.85


def _rule(match: Match) -> Rule:
    return Rule(match.pattern.code, match.pattern_id, match.pattern.prep, match.confidence)


def find_events(
    doc: Doc,
    article: Article,
    coder: ActorCoder,
    places: list[Place],
    quotes: list[Quote],
    *,
    similar: bool = False,
) -> list[Event]:
    """Every coded event of the parsed article, in text order.

    ``similar`` lets verbs the lexicon lacks match by word-vector similarity (lower confidence);
    off by default: on the PLOVER dev set it added 15 events of which 2 had the right type.
    """
    doc.user_data[DocInfo.KEY] = info = DocInfo(doc, article.text)
    info.quotes = [(q.start, q.end) for q in quotes if q.kind == "direct"]
    try:
        return _find_events(doc, article, coder, places, quotes, similar, info)
    finally:
        doc.user_data.pop(DocInfo.KEY, None)


def _find_events(
    doc: Doc,
    article: Article,
    coder: ActorCoder,
    places: list[Place],
    quotes: list[Quote],
    similar: bool,
    info: DocInfo,
) -> list[Event]:
    anchor = parse_anchor(article.published)
    sentence_starts = [s.start for s in article.sentences]
    lex = lexicon()
    checks = NonEvents()
    speakers = {q.speaker.start: q.speaker for q in quotes if q.speaker is not None}
    events: list[Event] = []
    seen: set[tuple[object, ...]] = set()
    governors: set[int] = set()
    triggers_of: dict[int, int] = {}
    for i, part in enumerate(columns(doc)[0]):
        if part != VERB and part != NOUN:
            continue  # read from the parse's array: no Token built for other words
        token = doc[i]
        match: Match | None = None
        if part == VERB:
            match = match_verb(token, lex)
            if match is None and similar:
                match = match_similar(token, lex)
        elif f"n:{token.lemma_.lower()}" in lex.triggers:
            # "made a visit to Kiev" is coded from the verb's pattern; "demanded the release
            # of", "called for sanctions" say what should happen, not what did.
            verb = _argument_of(token)
            if verb is not None and match_verb(verb, lex) is not None:
                continue  # "arrived in Amman on a visit": coded from "arrive in"
            if _unrealised(token) or not _reported_as_event(token):
                continue
            match = match_noun(token, lex)
        if match is None or _stopped(token):
            continue
        if checks.reason(token, match.pattern.code, info.sent, match.pattern.obj) is not None:
            continue
        rule = _rule(match)
        code, governor = governed_code(token, rule.code)
        demand_governor = (
            governor if governor is not None and is_demand(governor.lemma_.lower()) else None
        )
        if governor is not None:
            moved = Rule(code, rule.pattern, rule.prep, round(rule.confidence * _GOVERNED, 3))
            if demand_governor is not None:
                # "urged Myanmar to release ...": the demand (10x) by the one who urged, and
                # the release itself, demanded of Myanmar.
                own = _build(token, rule, coder, article, places, quotes, anchor,
                             sentence_starts, speakers)  # fmt: skip
                if own is not None:
                    _add(events, seen, triggers_of, own, -1)
            rule = moved
        elif code != rule.code:  # "is willing to withdraw"
            rule = Rule(code, rule.pattern, rule.prep, rule.confidence)
        elif modal_polarity(token) == "intended":
            # "Israel will evacuate", "the party will boycott": a statement of what one will do
            # is CAMEO's intent to cooperate or threat, not the act itself.
            rule = Rule(future_code(rule.code), rule.pattern, rule.prep, rule.confidence)
        event = _build(token, rule, coder, article, places, quotes, anchor, sentence_starts,
                       speakers, demand_governor)  # fmt: skip
        if event is None:
            continue
        if governor is not None:
            # Only a governed event that was coded stands for its governor: "agreed that
            # their countries should cooperate" keeps the agreement when "cooperate" has no
            # coded actor.
            governors.add(governor.i)
        _add(events, seen, triggers_of, event, token.i)
        speech = spoken_demand(event, rule.pattern)
        if speech is not None:
            _add(events, seen, triggers_of, speech, -1)
    # "offered to negotiate" is one event, coded 036 from "negotiate"; not also "offer".
    kept = [e for e in events if triggers_of.get(id(e)) not in governors]
    return _one_protest(doc, kept, triggers_of)


def _one_protest(doc: Doc, events: list[Event], triggers_of: dict[int, int]) -> list[Event]:
    """ "staged a hunger strike to protest the decision" is one protest: the purpose clause's
    protest verb is not counted again beside the act that carries it out."""
    protests = {triggers_of[id(e)] for e in events if e.cameo.startswith("14")}
    protests.discard(-1)

    def purpose_of_protest(event: Event) -> bool:
        index = triggers_of.get(id(event), -1)
        if index < 0 or not event.cameo.startswith("14"):
            return False
        token = doc[index]
        if token.dep_ not in {"advcl", "xcomp"}:
            return False
        head = token.head
        return head.i in protests or any(c.i in protests for c in head.children if c.i != token.i)

    return [e for e in events if not purpose_of_protest(e)]


# Verbs (and adjectives) whose object noun is an event wanted, feared, refused or talked about,
# not one that took place: "allow the return of inspectors", "opposed to French mediation".
_UNREALISING = frozenset(
    {
        "allow", "permit", "seek", "demand", "want", "oppose", "opposed", "reject", "refuse",
        "propose", "discuss", "consider", "plan", "offer", "promise", "call", "urge", "ask",
        "request", "welcome", "prevent", "block", "delay", "postpone", "cancel", "approve",
        "support", "back", "threaten", "fear", "expect", "resist", "deny", "need", "press",
        "push", "favour", "favor", "rule", "avoid", "warn", "insist", "appeal", "hope",
        "prepare", "agree", "vow", "pledge", "announce", "suspend", "halt", "resume",
    }
)  # fmt: skip


_UNREALISING_PREPS = frozenset({"for", "to", "on", "upon", "against"})
# Where an event noun states an event of the sentence ("Talks with Iran ended",
# "during a visit to Kiev") rather than its background ("after 12 days of battles",
# "against Western criticism of", "in defiance of").
_EVENT_NOUN_DEPS = frozenset({"nsubj", "nsubjpass", "ROOT", "dobj", "obj", "appos", "attr"})
_EVENT_NOUN_PREPS = frozenset({"during"})
# "arrived on a visit", "is in Kiev on an official trip": the journey of the clause's subject
_JOURNEY_NOUNS = frozenset({"visit", "trip", "tour", "mission"})


def _argument_of(noun: Token) -> Token | None:
    """The verb a noun is the object of, directly or through "on" ("on a visit")."""
    if noun.dep_ in {"dobj", "obj"}:
        return noun.head
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "on" and noun.lemma_.lower() in _JOURNEY_NOUNS:
        return head.head
    return None


def _reported_as_event(noun: Token) -> bool:
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head
    if noun.dep_ in _EVENT_NOUN_DEPS:
        return True
    head = noun.head
    if noun.dep_ != "pobj" or head.head.pos_ not in {"VERB", "AUX"}:
        return False  # "said during a visit", not "the visit during"
    return head.lower_ in _EVENT_NOUN_PREPS or (
        head.lower_ == "on" and noun.lemma_.lower() in _JOURNEY_NOUNS
    )


def _unrealised(noun: Token) -> bool:
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in _UNREALISING_PREPS:
        head = head.head  # "called for sanctions", "opposed to mediation", not "during a visit"
    elif noun.dep_ not in {"dobj", "obj"}:
        return False
    return head.i != noun.i and head.lemma_.lower() in _UNREALISING


def _add(
    events: list[Event],
    seen: set[tuple[object, ...]],
    triggers_of: dict[int, int],
    event: Event,
    trigger: int,
) -> None:
    key = (event.cameo, event.sentence, event.polarity, tuple(a.start for a in event.source),
           tuple(a.start for a in event.target))  # fmt: skip
    if key not in seen:
        seen.add(key)
        triggers_of[id(event)] = trigger
        events.append(event)


def governed_code(token: Token, code: str) -> tuple[str, Token | None]:
    """The code of an event as the object of intent, threat, demand or refusal, and its governor."""
    if token.dep_ not in {"xcomp", "ccomp"} or token.head == token:
        return code, None
    if token.head.lower_ in READINESS:  # "is willing to withdraw": 0874 -> 0356
        moved = future_code(code)
        return (moved, None) if moved != code else (code, None)
    family = FAMILIES.get(token.head.lemma_.lower())
    if family is None:
        return code, None
    table, default = family
    for prefix in (code, code[:3], code[:2]):
        if prefix in table:
            return table[prefix], token.head
    return (default, token.head) if not code.startswith(("10", "13", "12", "03")) else (code, None)


def _stopped(token: Token) -> bool:
    """ "stop supporting the militants": the support is what is to end, not an event."""
    return token.dep_ in {"xcomp", "ccomp"} and token.head.lemma_.lower() in _STOPPERS


def _build(
    token: Token,
    rule: Rule,
    coder: ActorCoder,
    article: Article,
    places: list[Place],
    quotes: list[Quote],
    anchor: date | None,
    sentence_starts: list[int],
    speakers: dict[int, Speaker],
    demand_governor: Token | None = None,
) -> Event | None:
    if demand_governor is not None:
        # "The UN urged Myanmar to release ...": the UN demands, of Myanmar.
        sources = _actors(coder, sources_of(demand_governor), speakers)
        target_lists = [
            with_conjuncts(c for c in demand_governor.children if c.dep_ in {"dobj", "obj"})
        ]
        target_lists += targets_of(token, rule.code, rule.prep)
    else:
        sources = _actors(coder, sources_of(token), speakers)
        target_lists = targets_of(token, rule.code, rule.prep)
    taken = {s.start for s in sources}
    targets: list[Actor] = []
    for candidates in target_lists:
        targets = [a for a in _actors(coder, candidates, speakers) if a.start not in taken]
        if any(a.code for a in targets):
            break
    else:
        # "fired shells at targets in Hebron": force used on a place is used on its country
        place = attacked_country(token, rule.code, target_lists, places)
        if place is not None and place.start not in taken:
            targets = [place]
    sources, targets = _once_per_code(sources), _once_per_code(targets)
    coded_sides = any(a.code for a in sources) + any(a.code for a in targets)
    if not coded_sides:
        return None
    polarity: Polarity
    claimant_token: Token | None
    if demand_governor is not None:
        polarity, claimant_token = "asserted", None
    else:
        polarity, claimant_token = polarity_of(token)
        if polarity == "demanded" and claimant_token is None:
            claimant_token = reporter_of(token)  # "Russia said that Sudan must return ..."
    claimant = _coded(coder, claimant_token) if claimant_token is not None else None
    if claimant_token is not None and claimant_token.pos_ == "PRON":
        claimant = _speaker_actor(coder, speakers.get(claimant_token.idx)) or claimant
    quote = _enclosing_quote(token.idx, quotes)
    if claimant is None and quote is not None:
        claimant = _speaker_actor(coder, quote.speaker)
    confidence = rule.confidence * (1.0 if coded_sides == 2 else _ONE_SIDED)
    start, end = _evidence(token, sources, targets)
    entry = cameo(rule.code)
    date_text, date_value = event_date(token, article, anchor)
    return Event(
        cameo=rule.code,
        cameo_name=entry.name,
        plover=plover_type(rule.code),
        quad_class=entry.quad_class,
        goldstein=entry.goldstein,
        source=sources,
        target=targets,
        polarity=polarity,
        trigger=token.text,
        start=start,
        end=end,
        sentence=_sentence_index(sentence_starts, token.idx),
        date=date_value,
        date_text=date_text,
        location=event_location(token, places),
        claimant=claimant,
        confidence=round(confidence, 3),
        pattern=rule.pattern,
    )


def _once_per_code(actors: list[Actor]) -> list[Actor]:
    """ "NATO and NATO allies stand by Ukraine": one source, NATO, at its first mention; actors
    with different codes (or none) all stay."""
    seen: set[str] = set()
    out: list[Actor] = []
    for actor in actors:
        if actor.code is not None:
            if actor.code in seen:
                continue
            seen.add(actor.code)
        out.append(actor)
    return out


def _speaker_actor(coder: ActorCoder, speaker: Speaker | None) -> Actor | None:
    """The actor a quote's speaker stands for, coded from what the article says of them."""
    if speaker is None:
        return None
    actor = Actor(
        text=speaker.text, start=speaker.start, end=speaker.end, code=None,
        name=speaker.name, country=speaker.country,
    )  # fmt: skip
    person = coder.people.get(speaker.name or "")
    if person is not None:
        actor.code, actor.sector = person.code, person.sector
    return actor


def _actors(coder: ActorCoder, tokens: list[Token], speakers: dict[int, Speaker]) -> list[Actor]:
    actors: list[Actor] = []
    for token in tokens:
        if token.pos_ == "PRON" and counted_of(token) is None:  # not "some of the rebels"
            # "he accused ...": the speaker the quote step resolved the pronoun to
            actor = _speaker_actor(coder, speakers.get(token.idx))
            if actor is not None and actor.code and actor.start not in {a.start for a in actors}:
                actors.append(actor)
            elif actor is None:
                # "Syria says it will not accept ...": the noun the pronoun stands for
                actors.extend(_antecedent_actors(coder, token, {a.start for a in actors}))
            continue
        if in_dateline(token):
            continue
        found = _coded_all(coder, token)
        if not any(actor.code for actor in found):
            owner = _possessor_or_self(token)
            found = _coded_all(coder, owner) if owner.i != token.i else found
        # "US and British activists": two actors at the phrase's offsets, one per country
        seen = {(a.start, a.code) for a in actors}
        actors.extend(actor for actor in found if (actor.start, actor.code) not in seen)
    return actors


def _antecedent_actors(coder: ActorCoder, pronoun: Token, taken: set[int]) -> list[Actor]:
    """The coded actors of the noun the pronoun stands for, at the antecedent's own offsets (the
    evidence is the words that name it).

    Only the nearest noun that agrees is read: if it names no coded actor, the pronoun's actor
    stays unknown rather than passing to a farther noun. Copies of a sentence in one article
    are each read in their own context, and the actors stand only when every copy gives the
    same codes (one sentence, one coding; a disagreement leaves them unknown).
    """
    copies = coder.copies_of(pronoun)
    readings = [_antecedent_in_context(coder, copy) for copy in copies]
    if len({tuple(a.code for a in found) for found in readings}) != 1:
        return []
    own = next(found for copy, found in zip(copies, readings, strict=True) if copy.i == pronoun.i)
    return [a for a in own if a.start not in taken]


def _antecedent_in_context(coder: ActorCoder, pronoun: Token) -> list[Actor]:
    quote = next(((a, b) for a, b in doc_info(pronoun.doc).quotes if a <= pronoun.idx < b), None)
    for noun in antecedents(pronoun):
        if quote is not None and not quote[0] <= noun.idx < quote[1]:
            continue  # a quote's "it" is read within the quote, not from the narrative around it
        return [a for a in _coded_all(coder, noun) if a.code]
    return []


def _possessor_or_self(token: Token) -> Token:
    """ "Russia's annexation": the annexation is Russia's act."""
    poss = [c for c in token.children if c.dep_ == "poss"]
    if token.pos_ == "NOUN" and poss and not token.ent_type_:
        return poss[0]
    return token


def _enclosing_quote(offset: int, quotes: list[Quote]) -> Quote | None:
    for quote in quotes:
        if quote.start <= offset < quote.end:
            return quote
    return None


def _coded_all(coder: ActorCoder, token: Token) -> list[Actor]:
    """``coder.actors(token, agent=True)``, once per token and document; each caller gets its
    own copies (events must not share mutable actors)."""
    cache = doc_info(token.doc).actors
    if token.i not in cache:
        cache[token.i] = coder.actors(token, agent=True)
    return [_copy(actor) for actor in cache[token.i]]


_ACTOR_FIELDS = tuple(f.name for f in fields(Actor))


def _copy(actor: Actor) -> Actor:
    """A copy of ``actor`` (a third of ``dataclasses.replace``'s cost: no field checks)."""
    return Actor(*[getattr(actor, name) for name in _ACTOR_FIELDS])


def _coded(coder: ActorCoder, token: Token) -> Actor | None:
    """The first actor ``token`` names (see ``_coded_all``)."""
    found = _coded_all(coder, token)
    return found[0] if found else None


def _evidence(token: Token, sources: list[Actor], targets: list[Actor]) -> tuple[int, int]:
    info = doc_info(token.doc)
    sent = info.sent(token)
    start = max(token.left_edge.idx, sent.start_char)
    last = token.right_edge
    end = min(last.idx + len(last.text), sent.end_char)
    for actor in (*sources, *targets):
        if sent.start_char <= actor.start and actor.end <= sent.end_char:
            start, end = min(start, actor.start), max(end, actor.end)
    text = info.text
    while end > start and text[end - 1].isspace():
        end -= 1  # sentences end before the line break spaCy attaches to them
    return start, end


def _sentence_index(starts: list[int], offset: int) -> int:
    index = 0
    for i, start in enumerate(starts):
        if start <= offset:
            index = i
        else:
            break
    return index
