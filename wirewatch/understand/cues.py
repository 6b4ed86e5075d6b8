"""Cues: reporting verbs and "according to", and the clauses they report (step 2 of
``find_quotes`` in ``quotes.py``).

``cue_lexicon`` loads the lists of ``wirewatch/data/cue_verbs.json``. Cues are reporting verbs
from those lists and "according to", never inside a quote, negated, passive or infinitival. A
cue reports speech only next to a quote in marks or with a finite clause complement, so
"pledged support" is not a quote. The cue's speaker token comes from ``speakers.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

from wirewatch.understand.layout import _child, _Intervals, _Layout
from wirewatch.understand.quotemarks import QuotedSpan
from wirewatch.understand.speakers import SPEAKER_LABELS, _subject_of

__all__ = ["CueLexicon", "cue_lexicon"]

_SPEAKING_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "who"})


# --- Cue lexicon -------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class CueLexicon:
    """The lists of ``wirewatch/data/cue_verbs.json`` (verbs as spaCy lemmas).

    ``speech`` verbs report a quote in marks or a finite clause; ``manner`` verbs ("laughed")
    only a quote in marks; ``naming`` verbs quote only through marks around what the speaker
    called something ('called the review "a fig leaf"'); ``speaker_nouns`` are the common nouns
    that report speech without marks ("the ministry said that", not "a charge" or "the data");
    ``not_sources`` make "according to" a plain preposition ("according to plan")."""

    speech: frozenset[str]
    manner: frozenset[str]
    naming: frozenset[str]
    speaker_nouns: frozenset[str]
    not_sources: frozenset[str]


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    raw = resources.files("wirewatch.data").joinpath("cue_verbs.json").read_text("utf-8")
    data = json.loads(raw)
    return CueLexicon(**{name: frozenset(data[name]) for name in CueLexicon.__dataclass_fields__})


# --- Cues and the clauses they report ----------------------------------------------------


@dataclass(slots=True)
class _Cue:
    token: Token  # the verb, or "according"
    text: str  # as written: "said", "pointed out", "According to", "as saying"
    subject: Token | None
    clause: tuple[int, int] | None = None  # characters of the reported clause, if any
    manner: bool = False  # reports only quotes in marks
    marks_only: bool = False  # a naming verb: a quote only where its object holds marks
    aside: tuple[int, int] | None = None  # 'The talks, she said, were slow': the cue's words


def _cues(layout: _Layout, spans: list[QuotedSpan], lexicon: CueLexicon) -> list[_Cue]:
    quoted = _Intervals([(s.open_mark, s.outer_end) for s in spans])
    verbs = lexicon.speech | lexicon.manner | lexicon.naming
    cues: list[_Cue] = []
    for token in layout.doc:
        # Speech reported inside a quote belongs to the quote, not to a speaker of its own.
        if quoted.contains(token.idx):
            continue
        cue = None
        if token.lower_ == "according":
            cue = _according_cue(layout, token, lexicon)
        elif token.pos_ == "VERB" and token.lemma_ in verbs:
            cue = _verb_cue(layout, token, lexicon)
        if cue is not None:
            cues.append(cue)
    return cues


def _verb_cue(layout: _Layout, verb: Token, lexicon: CueLexicon) -> _Cue | None:
    deps = {child.dep_ for child in verb.children}
    # "did not say", "was told that", "declined to say whether": none reports what was said.
    if deps & {"neg", "auxpass"} or any(child.tag_ == "TO" for child in verb.children):
        return None
    if verb.lemma_ == "point" and "prt" not in deps:
        return None  # "pointed out that", not "pointed to"
    cue = _Cue(verb, _cue_text(verb), _subject_of(layout, verb))
    bounds = layout.bounds(verb)
    if verb.lemma_ in lexicon.naming:
        cue.marks_only, cue.clause = True, _named_object(layout, verb, bounds)
    elif verb.lemma_ in lexicon.manner:
        cue.manner = True
    else:
        cue.clause = _reported_clause(layout, verb, bounds, lexicon)
        if cue.clause is None and verb.dep_ == "parataxis" and _finite(verb.head):
            edges = (verb.left_edge.i, verb.right_edge.i)
            cue.clause, cue.aside = _around_aside(layout, verb.head, edges, bounds)
    return cue


def _cue_text(verb: Token) -> str:
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as":
        return f"{verb.head.text} {verb.text}"  # "quoted Ruiz as saying"
    particle = next((c for c in verb.children if c.dep_ == "prt" and c.i == verb.i + 1), None)
    return f"{verb.text} {particle.text}" if particle is not None else verb.text


def _according_cue(layout: _Layout, according: Token, lexicon: CueLexicon) -> _Cue | None:
    doc = layout.doc
    to = doc[according.i + 1] if according.i + 1 < len(doc) else None
    source = _child(to, {"pobj"}) if to is not None and to.lower_ == "to" else None
    if to is None or source is None or not _can_speak(source, lexicon):
        return None  # "according to plan", "according to figures"
    head = according.head
    while head.pos_ not in {"VERB", "AUX"} and head.dep_ != "ROOT":
        head = head.head
    edges = (according.i, to.right_edge.i)
    clause, _ = _around_aside(layout, head, edges, layout.bounds(according))
    return _Cue(according, doc[according.i : to.i + 1].text, source, clause)


def _can_speak(token: Token, lexicon: CueLexicon) -> bool:
    """Whether a subject may report speech without quote marks: a name, a pronoun for people
    or groups, or a noun such as "minister" or "statement" (not "a charge", "the data")."""
    if token.pos_ == "PROPN" or token.ent_type_ in SPEAKER_LABELS:
        return token.lemma_.lower() not in lexicon.not_sources
    if token.pos_ == "PRON":
        return token.lower_ in _SPEAKING_PRONOUNS
    if token.lemma_.lower() in lexicon.speaker_nouns:
        return True
    return any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in token.children)


def _reported_clause(
    layout: _Layout, verb: Token, bounds: tuple[int, int], lexicon: CueLexicon
) -> tuple[int, int] | None:
    # "Halonen said X; Strand said Y" parses with Halonen's "said" as Strand's clause: a
    # reporting verb before the cue is a cue of its own, and a clause after the cue comes first.
    heads = [
        c
        for c in verb.children
        if c.dep_ == "ccomp"
        and _finite(c)
        and (c.i > verb.i or c.lemma_ not in lexicon.speech)
        and layout.same_paragraph(c, verb)
    ]
    if not heads:
        return None
    head = min(heads, key=lambda h: (h.i < verb.i, h.i))
    first = head.left_edge.i
    if first < verb.i < head.i:
        first = verb.i + 1  # "a rebate that they say kept crews at sea": "that" is the rebate
    return layout.trim(first, _clause_end(head, verb, lexicon), bounds)


def _finite(head: Token) -> bool:
    """A clause that states something ("the plan failed", "that it would"), not "to act"."""
    if any(child.tag_ == "TO" for child in head.children):
        return False
    return any(c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj", "mark"} for c in head.children)


def _clause_end(head: Token, verb: Token, lexicon: CueLexicon) -> int:
    """The clause's last token. A verb coordinated into it without a subject of its own is the
    speaker's when it is a reporting verb ("said the plan was 'illegal' and vowed to appeal")
    or when it takes the cue's tense, not the clause's modal ("said the cut would hit farmers
    and called for protests"); a reporting verb with a subject of its own starts another
    speaker's report ("warned that it would block the bill, while the government insisted")."""
    modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in head.children)
    for child in head.children:
        if child.i < max(verb.i, head.i) or child.dep_ not in {"conj", "advcl"}:
            continue
        own_subject = _child(child, {"nsubj"}) is not None
        if own_subject and child.lemma_ in lexicon.speech:
            return child.left_edge.i - 1  # "..., while the government insisted ...": theirs
        shares_cue = child.lemma_ in lexicon.speech or (modal and child.tag_ == verb.tag_ != "VB")
        if child.dep_ == "conj" and not own_subject and shares_cue:
            cc = [c.i for c in head.children if c.dep_ == "cc" and c.i < child.i]
            return (max(cc) if cc else child.i) - 1
    return head.right_edge.i


def _named_object(layout: _Layout, verb: Token, bounds: tuple[int, int]) -> tuple[int, int] | None:
    """'called the review "a fig leaf"', 'described the plan as "a disaster"': the object and
    what the speaker called it (a mixed quote when the words are in marks)."""
    obj = _child(verb, {"dobj"})
    complement = _child(verb, {"oprd"})
    if complement is None:
        as_ = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        complement = _child(as_, {"pobj"}) if as_ is not None else None
    if obj is None or complement is None or not verb.i < obj.i < complement.i:
        return None
    last = complement.right_edge.i
    if last + 1 < len(verb.doc) and verb.doc[last + 1].is_quote:
        last += 1  # the closing mark may hang on the verb: 'as "a disaster"'
    return layout.trim(obj.left_edge.i, last, bounds)


def _around_aside(
    layout: _Layout, head: Token, aside: tuple[int, int], bounds: tuple[int, int]
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The clause of ``head`` around an attribution in tokens ``aside`` ("according to X",
    "she said"): the words after or before it when it opens or closes the clause, the words
    before it when a new clause follows ("..., according to X, and ..."), else the whole clause,
    attribution included. Returns the clause's and the attribution's character spans."""
    first, last = aside
    whole = layout.trim(head.left_edge.i, head.right_edge.i, bounds)
    words = layout.trim(first, last, bounds)
    if whole is None or words is None:
        return whole, words
    if words[0] <= whole[0]:
        return layout.trim(last + 1, head.right_edge.i, bounds), None
    doc = layout.doc
    following = next((t for t in doc[last + 1 : head.right_edge.i + 1] if not t.is_punct), None)
    if words[1] >= whole[1] or (following is not None and following.pos_ == "CCONJ"):
        return layout.trim(head.left_edge.i, first - 1, bounds), None
    return whole, words
