"""Events coded with PETRARCH dictionaries, combined with wirewatch's own.

The rule: the dictionaries' events come first; an event of wirewatch's own lexicon is kept
unless the dictionaries coded an event from the same verb (the same trigger word at the same
place), so the dictionary's code wins for the clauses it codes and wirewatch's lexicon fills in
the rest. Actors the dictionaries do not know are taken from wirewatch's actor mentions.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from wirewatch.model import Actor, Article, Event, Polarity
from wirewatch.understand.codes import CameoCode, cameo_table, plover_type
from wirewatch.understand.dates import parse_anchor
from wirewatch.understand.petrarch.coder import Coded, CodedActor, code_doc
from wirewatch.understand.petrarch.dictionaries import Dictionaries
from wirewatch.understand.petrarch.resolver import NO_ACTOR

_DEMAND_MODALS = {"must", "should", "ought"}
_FUTURE_MODALS = {"will", "would", "shall", "'ll", "wo"}


def with_dictionary_events(doc: Doc, article: Article, book: Dictionaries) -> list[Event]:
    """The article's events: the dictionaries' first, then wirewatch's that they leave."""
    fallback = {a.start: a for a in article.actors}
    coded = code_doc(doc, book, parse_anchor(article.published), fallback=fallback)
    starts = [s.start for s in article.sentences]
    source = book.verbs.path.name if book.verbs.path is not None else "verbs"
    events: list[Event] = []
    verbs: set[int] = set()
    for item in coded:
        event = _event(item, doc, starts, f"petrarch:{source}:{item.line}")
        if event is not None:
            events.append(event)
            verbs.add(item.verb.i)
    kept = [e for e in article.events if not _same_verb(e, doc, verbs)]
    return events + kept


def _same_verb(event: Event, doc: Doc, verbs: set[int]) -> bool:
    span = doc.char_span(event.start, event.end, alignment_mode="expand")
    if span is None:
        return False
    return any(t.i in verbs and t.text == event.trigger for t in span)


def code_entry(code: str) -> CameoCode | None:
    """The CAMEO entry a dictionary code falls under: its own, else its base or root code's."""
    table = cameo_table()
    for prefix in (code, code[:3], code[:2]):
        if prefix in table:
            return table[prefix]
    return None


def _event(coded: Coded, doc: Doc, starts: list[int], pattern: str) -> Event | None:
    entry = code_entry(coded.code)
    if entry is None:
        return None  # not a CAMEO-family code: nothing to place it in
    source, target = _actor(coded.source, doc), _actor(coded.target, doc)
    sent = coded.verb.sent
    start = min(coded.verb.idx, source.start, target.start)
    end = max(coded.verb.idx + len(coded.verb.text), source.end, target.end)
    start, end = max(start, sent.start_char), min(end, sent.end_char)
    return Event(
        cameo=coded.code,
        cameo_name=entry.name,
        plover=plover_type(coded.code),
        quad_class=entry.quad_class,
        goldstein=entry.goldstein,
        source=[source],
        target=[target],
        polarity=_polarity(coded.verb),
        trigger=coded.verb.text,
        start=start,
        end=end,
        sentence=sum(1 for s in starts if s <= coded.verb.idx) - 1 if starts else 0,
        pattern=pattern,  # the verbs file line that gave the code; no confidence figure
    )


def _actor(coded: CodedActor, doc: Doc) -> Actor:
    if coded.actor is not None:
        return coded.actor
    start = coded.first.idx
    end = coded.last.idx + len(coded.last.text)
    base = coded.base
    named = base is not None
    code = coded.code if named else coded.code.replace(NO_ACTOR, "")
    roles = code[len(base) :] if base is not None and code.startswith(base) else code
    return Actor(
        text=doc.text[start:end],
        start=start,
        end=end,
        code=code or None,
        name=doc.text[start:end] if named else None,
        # a three-letter actor code is a country's (PETRARCH's); longer ones are bodies
        country=base if base is not None and len(base) == 3 else None,
        sector=roles[:3] or None,
    )


def _polarity(verb: Token) -> Polarity:
    children = list(verb.children)
    if any(c.dep_ == "neg" for c in children):
        return "negated"
    auxiliaries = {c.lower_ for c in children if c.dep_ == "aux"}
    if auxiliaries & _DEMAND_MODALS:
        return "demanded"
    if auxiliaries & _FUTURE_MODALS:
        return "intended"
    return "asserted"
