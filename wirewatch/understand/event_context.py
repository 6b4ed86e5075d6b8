"""When and where an event happened, and what the event steps read of one parse once.

``DocInfo`` is kept in the parse's ``user_data`` while its events are found: its text (``Doc.text``
joins every token each time it is read), its sentences by token, its date entities outside
datelines, the actors coded per token. ``event_date`` is the first date expression of the
event's clause (else of its sentence) that resolves against the publication date;
``event_location`` the literal place the clause puts the event in; a dateline ("KIEV, July 10
(AFP) -") says where the story was filed, not who acted or when (``in_dateline``).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

from spacy.tokens import Doc, Span, Token

from wirewatch.model import Actor, Article, Place
from wirewatch.understand.dates import resolve_date
from wirewatch.understand.layout import after_dateline

__all__ = ["LOCATION_PREPS", "DocInfo", "doc_info", "event_date", "event_location", "in_dateline"]

LOCATION_PREPS = {"in", "at", "near", "to", "outside", "inside", "around", "across"}


class DocInfo:
    """What several steps ask of one parse, computed once: its text (``Doc.text`` joins every
    token each time it is read), its sentences by token, its date entities outside datelines."""

    KEY = "wirewatch.events"

    def __init__(self, doc: Doc, text: str) -> None:
        self.text = text
        self._after_dateline: dict[int, int] = {}  # paragraph start -> where its text begins
        self.actors: dict[int, list[Actor]] = {}
        self.resolved: dict[int, str | None] = {}  # date entity start -> resolved date
        self.places: dict[int, Place] | None = None  # literal places by start offset
        self.quotes: list[tuple[int, int]] = []  # direct quotes, (start, end) offsets
        self.sents = list(doc.sents)
        self.starts = [s.start for s in self.sents]
        self._dates: list[Span] | None = None

    def dates(self, doc: Doc) -> list[Span]:
        """The date entities outside datelines, read when an event first asks for them (the
        parse is passed in, not kept: the parse keeps this object in its ``user_data``)."""
        if self._dates is None:
            self._dates = [
                e for e in doc.ents if e.label_ == "DATE" and not self.in_dateline(e.start_char)
            ]
        return self._dates

    def sent(self, token: Token) -> Span:
        return self.sents[max(bisect_right(self.starts, token.i) - 1, 0)]

    def in_dateline(self, offset: int) -> bool:
        start = self.text.rfind("\n", 0, offset) + 1
        after = self._after_dateline.get(start)
        if after is None:
            after = self._after_dateline[start] = after_dateline(self.text, start)
        return offset < after


def doc_info(doc: Doc) -> DocInfo:
    info = doc.user_data.get(DocInfo.KEY)
    if not isinstance(info, DocInfo):
        info = DocInfo(doc, doc.text)
        doc.user_data[DocInfo.KEY] = info
    return info


def in_dateline(token: Token) -> bool:
    """Whether ``token`` is in its paragraph's dateline ("KIEV, July 10 (AFP) -"): the place
    and date there say where the story was filed, not who acted or when."""
    return doc_info(token.doc).in_dateline(token.idx)


def event_date(
    token: Token, article: Article, anchor: date | None
) -> tuple[str | None, str | None]:
    """The first date expression of the event's clause (else of its sentence) that resolves."""
    info = doc_info(token.doc)
    sent = info.sent(token)
    dates = info.dates(token.doc)
    sentence_dates = [e for e in dates if sent.start <= e.start and e.end <= sent.end]
    if not sentence_dates:
        return None, None
    doc = token.doc
    heads = [token]
    head = token.head
    if token.pos_ == "NOUN" and head != token and head.dep_ == "prep":
        heads.append(head.head)
    in_clause = [  # a date in the subtree of the trigger (or of a noun trigger's verb)
        e for e in sentence_dates
        if any(h.i == e.start or h.is_ancestor(doc[e.start]) for h in heads)
    ]  # fmt: skip
    candidates = in_clause or (sentence_dates if len(sentence_dates) == 1 else [])
    for ent in candidates:
        if ent.start not in info.resolved:  # several events of a sentence share its date
            info.resolved[ent.start] = resolve_date(ent.text, anchor)
        value = info.resolved[ent.start]
        if value is not None:
            return ent.text, value
    return None, None


def event_location(token: Token, places: list[Place]) -> Place | None:
    """A literal place the clause puts the event in ("in Kiev", "a visit to Kiev")."""
    info = doc_info(token.doc)
    if info.places is None:
        info.places = {p.start: p for p in places if not p.metonymic}
    by_start = info.places
    if not by_start:
        return None
    first, last = token.left_edge.idx, token.right_edge.idx
    if not any(first <= start <= last for start in by_start):
        return None  # no place within the clause's words: nothing to walk
    for child in token.subtree:
        if child.dep_ != "pobj" or child.head.lower_ not in LOCATION_PREPS:
            continue
        if child.head.head != token and child.head.head.head != token:
            continue
        for candidate in (child, *child.subtree):
            place = by_start.get(candidate.idx)
            if place is not None:
                return place
    return None
