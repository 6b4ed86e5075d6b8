"""Speakers: who a cue's subject is, and the name it stands for (step 5 of ``find_quotes`` in
``quotes.py``).

``_subject_of`` finds the speaker token of a reporting verb: its subject, the subject it shares
with a coordinated or participle verb, or the object of an inverted cue. ``_Speakers`` resolves
those tokens in text order: a name takes its canonical name; "he"/"she" the one person who is a
subject or speaker in the nearest preceding sentence naming anyone; "the minister" the one
person introduced earlier with that title. Otherwise ``name`` is None.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from wirewatch.model import Article, Entity, Speaker
from wirewatch.understand.layout import _child, _Intervals, _Layout, _loose
from wirewatch.understand.quotemarks import QuotedSpan

if TYPE_CHECKING:
    from wirewatch.understand.actor_description import Description

# Sentences a pronoun looks back over for its antecedent: wire copy names the speaker again
# within a paragraph or two, and a longer reach mostly finds the wrong person.
PRONOUN_WINDOW = 3

SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PERSON_PRONOUNS = frozenset({"he", "she"})
_RELATIVE = frozenset({"who", "which", "that"})
_NP_LEFT_DEPS = frozenset({"compound", "amod", "det", "poss", "nmod", "nummod"})
_DOCUMENTS = frozenset({"statement", "report", "letter", "post", "message", "release"})


# --- Speaker tokens of reporting verbs ---------------------------------------------------


def _subject_of(layout: _Layout, verb: Token) -> Token | None:
    """The speaker token of a reporting verb: its subject, or the subject it shares."""
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as" and verb.head.head.lemma_ == "quote":
        # "Interfax quoted Ruiz as saying", "Ruiz was quoted as saying"
        return _child(verb.head.head, {"dobj", "nsubjpass"})
    token = verb
    for _ in range(4):  # bounded: conj and participle chains are short
        subject = _nominal_subject(layout, token)
        if subject is not None:
            relative = subject.lower_ in _RELATIVE and token.dep_ == "relcl"
            return token.head if relative else subject  # "Ruiz, who said ..."
        if _child(token, {"nsubjpass", "expl"}) is not None:
            return None  # "it was announced that": nobody in particular
        # "Ruiz denied it and said ...", "Ruiz criticised the plan, saying ...".
        if token.dep_ == "conj" or (token.dep_ in {"advcl", "xcomp"} and token.tag_ == "VBG"):
            token = token.head
            continue
        return token.head if token.dep_ == "relcl" else _inverted_object(token)
    return None


def _nominal_subject(layout: _Layout, verb: Token) -> Token | None:
    """The subject; of two ("observer Lena Marsh said" can parse as two), the name. A dateline
    ("PORT IDRIS, April 9 - The central bank ...") is never the subject."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.idx >= layout.text_start(c.idx)]
    names = [c for c in subjects if c.pos_ == "PROPN"]
    subject = names[-1] if names else (subjects[0] if subjects else None)
    if subject is not None and subject.pos_ == "VERB":
        # "harbour chief Tilda Varga said" can parse "harbour" as a verb with Varga as its
        # subject: the name is the speaker.
        return next((c for c in subject.children if c.dep_ == "nsubj"), subject)
    return subject


def _inverted_object(verb: Token) -> Token | None:
    """'"Who will pay?" asked pensioner Olga Brix': after a quote the parser may take the
    speaker of an inverted cue for its object."""
    if not any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children):
        return None
    speaker = _child(verb, {"dobj"})
    if speaker is not None and speaker.i > verb.i and speaker.pos_ == "PROPN":
        return speaker
    return None


# --- Speaker names -----------------------------------------------------------------------


@dataclass(slots=True)
class _Mention:
    """Someone the text named or referred to, for resolving later pronouns."""

    offset: int
    sentence: int
    name: str
    subject: bool
    person: bool


class _Speakers:
    """Resolves speaker tokens to Speakers in text order, remembering who was mentioned."""

    def __init__(self, layout: _Layout, article: Article, spans: list[QuotedSpan]) -> None:
        self.layout = layout
        self.doc = layout.doc
        self.sentence_starts = [s.start for s in article.sentences] or [
            s.start_char for s in self.doc.sents
        ]
        self.entities = [e for e in article.entities if e.label in SPEAKER_LABELS]
        self.entity_starts = [e.start for e in self.entities]
        self.labels: dict[str, set[str]] = {}
        for entity in self.entities:
            self.labels.setdefault(entity.canonical, set()).add(entity.label)
        self.people = [name for name, labels in self.labels.items() if "PERSON" in labels]
        quoted = _Intervals([(s.open_mark, s.outer_end) for s in spans])
        self.mentions: dict[int, list[_Mention]] = {}  # by sentence
        for entity in self.entities:
            if not quoted.contains(entity.start):
                self._remember(self._mention(entity))
        self.descriptions: dict[str, Description | None] = {}

    def sentence_of(self, offset: int) -> int:
        return max(bisect_right(self.sentence_starts, offset) - 1, 0)

    def entity_at(self, token: Token) -> Entity | None:
        i = bisect_right(self.entity_starts, token.idx) - 1
        entity = self.entities[i] if i >= 0 and token.idx < self.entities[i].end else None
        # "the Brisk Courier, Holt said" can come out as one entity: a name does not run over
        # a comma, so the words after it are a name of their own.
        if entity is not None and "," in self.layout.text[entity.start : token.idx]:
            return None
        return entity

    def _mention(self, entity: Entity) -> _Mention:
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        root = span.root if span is not None else None
        while root is not None and root.dep_ in {"compound", "appos", "conj"}:
            root = root.head
        subject = root is not None and root.dep_ in {"nsubj", "nsubjpass"}
        sentence = self.sentence_of(entity.start)
        return _Mention(entity.start, sentence, entity.canonical, subject, entity.label == "PERSON")

    def resolve(self, head: Token) -> Speaker:
        """The Speaker whose mention has ``head`` as its head word."""
        head = self._name_bearer(head)
        start, end = _noun_phrase(self.layout, head)
        speaker = Speaker(text=self.layout.text[start:end], start=start, end=end)
        entity = self.entity_at(head)
        if entity is not None:
            self._name_from_entity(speaker, entity)
        elif head.pos_ == "PRON":
            self._name_from_pronoun(speaker, head)
        elif head.pos_ == "PROPN":
            self._name_from_proper_noun(speaker, head)
        else:
            self._name_from_description(speaker, head)
        if _child(head, {"conj"}) is not None:
            speaker.name = None  # "Ruiz and Kessler said": a joint statement has no one name
        if speaker.name is not None and self._is_person(speaker.name):
            self._describe(speaker, entity)
        if speaker.name is not None and speaker.resolved_from is not None:
            person = self._is_person(speaker.name)
            mention = _Mention(head.idx, self.sentence_of(head.idx), speaker.name, True, person)
            self._remember(mention)  # "he" can stand for this speaker later on
        return speaker

    def _remember(self, mention: _Mention) -> None:
        self.mentions.setdefault(mention.sentence, []).append(mention)

    def _name_bearer(self, head: Token) -> Token:
        """'The spokesman, Ana Ruiz, said': the apposed name carries the speaker's identity."""
        if self.entity_at(head) is None and head.pos_ == "NOUN":
            for child in head.children:
                if child.dep_ == "appos" and self.entity_at(child) is not None:
                    return child
        return head

    def _name_from_entity(self, speaker: Speaker, entity: Entity) -> None:
        if entity.label == "PERSON" and len(self._full_names(entity.canonical)) > 1:
            return  # "Harlow", when the article names Ann and Bo Harlow
        speaker.name = entity.canonical
        if entity.label == "PERSON" and entity.canonical != entity.text:
            speaker.resolved_from = entity.text  # "Stoltenberg" -> "Jens Stoltenberg"

    def _name_from_proper_noun(self, speaker: Speaker, head: Token) -> None:
        """A name the entity tagger missed: the one full name it ends, or the name as written."""
        doc, first = self.doc, head.i
        while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].head == head:
            first -= 1
        written = doc[first : head.i + 1].text
        if not head.text[:1].isupper() or head.ent_type_ in {"DATE", "TIME", "CARDINAL"}:
            return
        full = self._full_names(written)
        if len(full) == 1:
            speaker.name, speaker.resolved_from = full.pop(), written
        elif not full:
            speaker.name = written

    def _full_names(self, name: str) -> set[str]:
        """Longer person names in the article that end with ``name``."""
        words = name.split()
        return {
            full
            for full in self.people
            if len(full.split()) > len(words) and full.split()[-len(words) :] == words
        }

    def _name_from_pronoun(self, speaker: Speaker, pronoun: Token) -> None:
        word = pronoun.lower_
        if word not in _PERSON_PRONOUNS and word != "it":
            return  # "they", "we": a group, never one name
        name = self._antecedent(pronoun.idx, person=word in _PERSON_PRONOUNS)
        if name is not None:
            speaker.name, speaker.resolved_from = name, pronoun.text

    def _antecedent(self, offset: int, person: bool) -> str | None:
        """The one subject or speaker of the nearest preceding sentence that names anyone (of
        the right kind: people for "he"/"she", organisations and places for "it")."""
        sentence = self.sentence_of(offset)
        for index in range(sentence, max(sentence - PRONOUN_WINDOW, -1), -1):
            here = [
                m for m in self.mentions.get(index, []) if m.offset < offset and m.person == person
            ]
            if here:
                names = {m.name for m in ([m for m in here if m.subject] or here)}
                return names.pop() if len(names) == 1 else None
        return None

    def _name_from_description(self, speaker: Speaker, noun: Token) -> None:
        """'the minister': the one person introduced earlier with that title, if only one;
        'a statement from the Harbour Authority': the authority."""
        if noun.lemma_ in _DOCUMENTS:
            prep = next((c for c in noun.children if c.lower_ in {"from", "by", "of"}), None)
            source = _child(prep, {"pobj"}) if prep is not None else None
            entity = self.entity_at(source) if source is not None else None
            speaker.name = entity.canonical if entity is not None else None
            return
        determiner = _child(noun, {"det"})
        if determiner is None or determiner.lower_ != "the":
            return  # "a spokesman", "officials": nobody in particular
        title = noun.lemma_.lower()
        names = {
            e.canonical for e in self.entities if e.start < noun.idx and title in self._titles(e)
        }
        if len(names) == 1:
            speaker.name, speaker.resolved_from = names.pop(), speaker.text

    def _titles(self, entity: Entity) -> set[str]:
        """Lower-cased words naming what the entity is: its title, apposition or own name."""
        if entity.label != "PERSON":
            return set(entity.canonical.lower().split())  # "the ministry": Ministry of Transport
        span = self.doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None:
            return set()
        words = {t.lower_ for t in _title_tokens(span.root) if t.i < span.start}
        description = self._description_of(entity.canonical)
        if description is not None and description.role:
            words.update(description.role.lower().split())
        return words

    def _is_person(self, name: str) -> bool:
        labels = self.labels.get(name)
        return not labels or "PERSON" in labels  # a name no tagger saw is a person's

    def _describe(self, speaker: Speaker, entity: Entity | None) -> None:
        """Role, organisation and country from actors.describe_person: from this mention's own
        title when it has one, else from the first mention of the person that has one."""
        description = None
        if entity is not None and entity.label == "PERSON":
            description = _describe_span(self.doc, entity)
        if description is None or not (description.role or description.organisation):
            description = self._description_of(speaker.name or "") or description
        if description is not None:
            speaker.role = description.role
            speaker.organisation = description.organisation
            speaker.country = description.country

    def _description_of(self, name: str) -> Description | None:
        if name not in self.descriptions:
            self.descriptions[name] = None
            for entity in self.entities:
                if entity.canonical != name or entity.label != "PERSON":
                    continue
                description = _describe_span(self.doc, entity)
                if description is not None and (description.role or description.organisation):
                    self.descriptions[name] = description
                    break
        return self.descriptions[name]


def _noun_phrase(layout: _Layout, head: Token) -> tuple[int, int]:
    """The speaker mention as written: the head with its title and determiners, without an
    apposition or relative clause ("Kremlin spokesman Dmitry Peskov", "the minister")."""
    doc, first = layout.doc, head.i
    for child in head.lefts:
        if child.dep_ in _NP_LEFT_DEPS and not child.is_quote:
            first = min(first, child.left_edge.i)
    title = doc[first - 1] if first > 0 else None
    # "observer Lena Marsh" parsed as two subjects, "harbour chief Tilda Varga" with "harbour"
    # as a verb whose subject is Varga: the word before is part of the title.
    siblings = title is not None and title.head == head.head and title.dep_ == head.dep_
    if siblings and title is not None:
        first = title.left_edge.i
    elif title is not None and title == head.head and title.dep_ == "nsubj":
        first = title.i
    # Never reach back over a line break or into a dateline: a subheading is not the speaker.
    first = max(first, layout.token_after(layout.text_start(head.idx)))
    while first < head.i and _loose(doc[first]):
        first += 1
    last = head.i
    for child in head.rights:
        if child.dep_ in {"conj", "cc"}:
            last = max(last, child.right_edge.i)
    return doc[first].idx, doc[last].idx + len(doc[last])


def _title_tokens(root: Token) -> list[Token]:
    """Words around a name that say what the person is: "Foreign Minister", ", a spokeswoman"."""
    tokens = [c for c in root.children if c.dep_ in {"compound", "amod", "appos"}]
    if root.dep_ == "appos":
        tokens.append(root.head)
        tokens += [c for c in root.head.children if c.dep_ in {"compound", "amod"}]
    if root.dep_ == "compound" and root.head.pos_ == "NOUN":
        tokens.append(root.head)
    return tokens


def _describe_span(doc: Doc, entity: Entity) -> Description | None:
    # Imported here: actors.py may come to import this module, and only speakers need it.
    from wirewatch.understand.actor_description import describe_person

    span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
    return describe_person(span) if span is not None else None
