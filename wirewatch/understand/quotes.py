"""Quotes: who said what, with the words' offsets in ``Article.text`` and the speaker's name.

    >>> article = wirewatch.analyze(text)  # doctest: +SKIP
    >>> [(q.kind, q.cue, q.speaker.name) for q in find_quotes(load_nlp()(article.text), article)]
    [('direct', 'said', 'Jens Stoltenberg'), ('direct', 'added', 'Jens Stoltenberg'), ...]

The method, in the order it runs (``docs/quotes.md`` has the details and the fixture format):

1. ``quoted_spans`` finds the words between quote marks, paragraph by paragraph, in every style
   (``"`` ``“”`` ``«»`` and single marks); nested marks stay part of the outer quote, and an
   unclosed quote whose next paragraph opens with a mark runs on there.
2. Cues are reporting verbs from ``wirewatch/data/cue_verbs.json`` and "according to", never
   inside a quote, negated, passive or infinitival. A cue reports speech only next to a quote in
   marks or with a finite clause complement, so "pledged support" is not a quote.
3. A cue's clause with quote marks around part of it is a ``mixed`` quote; marks around the whole
   clause make a ``direct`` quote; a clause without marks is ``indirect``. Marks the parser did
   not tie to a cue take the cue right after them (``," she said``) or right before them
   (``she said: "``).
4. Marks still without a cue take the attribution of the quote they continue, of the quote
   before them in their paragraph, or (a whole quoted paragraph, reported with ``cue`` None) of
   the last quote in the previous paragraph. Other spans without a cue are kept only when they
   read as a whole statement: scare quotes, titles and slogans are dropped.
5. Speakers, in text order: a name takes its canonical name; "he"/"she" the one person who is a
   subject or speaker in the nearest preceding sentence naming anyone; "the minister" the one
   person introduced earlier with that title. Otherwise ``name`` is None.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

from spacy.tokens import Doc, Token

from wirewatch.model import Article, Entity, Quote, QuoteKind, Speaker

if TYPE_CHECKING:
    from wirewatch.understand.actors import Description

__all__ = ["CueLexicon", "QuotedSpan", "cue_lexicon", "find_quotes", "quoted_spans"]

# Sentences a pronoun looks back over for its antecedent: wire copy names the speaker again
# within a paragraph or two, and a longer reach mostly finds the wrong person.
PRONOUN_WINDOW = 3
# Tokens from a closing mark to its cue: '," Kremlin spokesman Dmitry Peskov said'.
TRAILING_REACH = 16
# Tokens from a cue to the colon that introduces a quote: 'Ruiz told reporters on Monday: "'.
LEADING_REACH = 12
# A quote without any cue is kept only when it reads as a whole statement of this many words.
MIN_UNATTRIBUTED_WORDS = 4

SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PERSON_PRONOUNS = frozenset({"he", "she"})
_SPEAKING_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "who"})
_RELATIVE = frozenset({"who", "which", "that"})
_NP_LEFT_DEPS = frozenset({"compound", "amod", "det", "poss", "nmod", "nummod"})
# Where a word tagged as a verb is a misparsed noun ("harbour chief"), or an auxiliary.
_NOMINAL = frozenset({"aux", "nsubj", "compound", "amod", "nmod"})
_DOCUMENTS = frozenset({"statement", "report", "letter", "post", "message", "release"})
_PARAGRAPH = re.compile(r"[^\n]+")
_MARK = re.compile("[\"“”«»‘’']")
_WORD = re.compile(r"\w+")
# "SARKAND, Nov 3 - ", "PORT IDRIS (Reuters) - ": capitals, an optional date or agency, a dash.
_DATELINE = re.compile(
    r"([^\W\d_][^,(\n–—]{1,40}?)(?:,[^-–—\n]{1,30})?(?: \([^)\n]{1,30}\))? [-–—] "
)
_END_OF_STATEMENT = ".?!…"
_ATTRIBUTION_END = ",?!—–-…"  # how a quote ends when its cue follows: '...," she said'
_OPENING_CONTEXT = '([{—–-/"“«‘'

Style = Literal["double", "guillemet", "single"]
_OPENERS: dict[Style, str] = {"double": '"“', "guillemet": "«»", "single": "‘'"}
Inheritance = Literal["continued", "same paragraph", "whole paragraph"]


# --- Quote marks -------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class QuotedSpan:
    """Words between quote marks: ``text[start:end]``, without the marks, the spaces inside them
    or the comma before an attribution. ``close_mark`` is None when the paragraph ended first;
    ``continues`` is True when the next paragraph then opens with a mark (the quote runs on).
    ``paragraph`` counts the non-empty lines of the text."""

    start: int
    end: int
    open_mark: int
    close_mark: int | None
    paragraph: int
    continues: bool = False

    @property
    def outer_end(self) -> int:
        """The offset just past the closing mark (or past the words, when unclosed)."""
        return self.close_mark + 1 if self.close_mark is not None else self.end


def quoted_spans(text: str) -> list[QuotedSpan]:
    """The top-level quoted spans of ``text``, in order.

    >>> text = '"Yes," she said of the ‘plan’.'
    >>> [text[s.start : s.end] for s in quoted_spans(text)]
    ['Yes', 'plan']
    """
    spans: list[QuotedSpan] = []
    paragraphs = list(_PARAGRAPH.finditer(text))
    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1].start() if index + 1 < len(paragraphs) else None
        spans.extend(_spans_in_paragraph(text, paragraph, index, following))
    return spans


def _spans_in_paragraph(
    text: str, paragraph: re.Match[str], index: int, following: int | None
) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    style: Style | None = None
    opened = 0
    for mark in _MARK.finditer(text, paragraph.start(), paragraph.end()):
        at = mark.start()
        if style is None:
            style, opened = _opening_style(text, at, paragraph.start()), at
        elif _closes(style, text, at):
            spans.append(_span(text, opened, at, at, index))
            style = None
    if style is not None:
        # No closing mark before the paragraph ends: the wire style for a quote that runs on
        # into the next paragraph, which then opens with a mark of its own.
        runs_on = following is not None and text[following] in _OPENERS[style]
        spans.append(_span(text, opened, paragraph.end(), None, index, continues=runs_on))
    return [span for span in spans if span.end > span.start]


def _span(
    text: str, opened: int, end: int, close: int | None, paragraph: int, continues: bool = False
) -> QuotedSpan:
    start = opened + 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return QuotedSpan(start, end, opened, close, paragraph, continues)


def _opening_style(text: str, at: int, paragraph_start: int) -> Style | None:
    mark = text[at]
    after = text[at + 1] if at + 1 < len(text) else " "
    before = text[at - 1] if at > paragraph_start else " "
    if mark == "«":
        return "guillemet"
    if mark == "“":
        return "double"
    if after.isspace():
        return None
    opens_here = before.isspace() or before in _OPENING_CONTEXT
    if mark == '"' and opens_here:
        return "double"
    # A single mark opens only where an apostrophe cannot be: "don't", "Jones' car".
    if mark in "‘'" and opens_here and (after.isalnum() or after in "‘“\"'"):
        return "single"
    return None


def _closes(style: Style, text: str, at: int) -> bool:
    mark = text[at]
    if style == "guillemet":
        return mark == "»"
    if style == "double":
        return mark in '"”'
    after = text[at + 1] if at + 1 < len(text) else " "
    # "Moscow’s" and "don't" are apostrophes: a closing single mark is not followed by a letter.
    return mark in "’'" and not after.isalnum() and not text[at - 1].isspace()


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


# --- Layout: paragraphs, datelines and tokens, computed once per article -----------------


class _Layout:
    """Where paragraphs, their text (after any dateline) and tokens start."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text
        self.token_starts = [token.idx for token in doc]
        self.paragraph_starts = [m.start() for m in _PARAGRAPH.finditer(text)]
        self.text_starts = [_after_dateline(text, start) for start in self.paragraph_starts]

    def token_after(self, offset: int) -> int:
        """Index of the first token that starts at or after ``offset``."""
        return bisect_left(self.token_starts, offset)

    def paragraph_of(self, offset: int) -> int:
        return max(bisect_right(self.paragraph_starts, offset) - 1, 0)

    def text_start(self, offset: int) -> int:
        """Where the paragraph holding ``offset`` starts, after its dateline if it has one."""
        return self.text_starts[self.paragraph_of(offset)] if self.text_starts else 0

    def bounds(self, token: Token) -> tuple[int, int]:
        """First and last token of the token's sentence within its paragraph (the parser may
        run a sentence over a line break) and after a dateline."""
        paragraph, sentence = self.paragraph_of(token.idx), token.sent
        first = max(sentence.start, self.token_after(self.text_starts[paragraph]))
        last = sentence.end - 1
        if paragraph + 1 < len(self.paragraph_starts):
            last = min(last, self.token_after(self.paragraph_starts[paragraph + 1]) - 1)
        return first, last

    def same_paragraph(self, a: Token, b: Token) -> bool:
        return self.paragraph_of(a.idx) == self.paragraph_of(b.idx)

    def trim(self, first: int, last: int, bounds: tuple[int, int]) -> tuple[int, int] | None:
        """Character span of tokens first..last within ``bounds``, without a leading "that",
        edge punctuation or spaces (quote marks stay)."""
        doc = self.doc
        first, last = max(first, bounds[0]), min(last, bounds[1])
        while first <= last and (_complementiser(doc[first]) or _loose(doc[first])):
            first += 1  # "said (that) ...": the complementiser is not part of what was said
        while first <= last and _loose(doc[last]):
            last -= 1
        if first > last:
            return None
        return doc[first].idx, doc[last].idx + len(doc[last])


def _after_dateline(text: str, start: int) -> int:
    dateline = _DATELINE.match(text, start)
    # The place is in capitals ("ZÜRICH"), which a sentence's first words are not.
    return dateline.end() if dateline and dateline.group(1).isupper() else start


def _complementiser(token: Token) -> bool:
    """A clause's opening "that" is its complementiser, whatever the tagger says: "told her that
    help was coming" can be tagged as "that" determining "help". (Reported speech that opens
    with the determiner, "said that plan was flawed", is the rarer reading.)"""
    if token.lower_ != "that":
        return False
    return token.tag_ in {"IN", "WDT"} or (token.dep_ == "det" and token.head.dep_ == "nsubj")


def _loose(token: Token) -> bool:
    return token.is_space or (token.is_punct and not token.is_quote)


class _Intervals:
    """Sorted, non-overlapping character intervals with a fast membership test."""

    def __init__(self, intervals: list[tuple[int, int]]) -> None:
        self.starts = [start for start, _ in intervals]
        self.ends = [end for _, end in intervals]

    def contains(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]


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


def _child(token: Token, deps: set[str]) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


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


# --- Drafts: quotes found, before their speakers are resolved ----------------------------


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    kind: QuoteKind
    cue: _Cue | None
    span: QuotedSpan | None = None  # the marks, for direct quotes
    speaker: Speaker | None = None
    paragraph: int = 0
    shows_cue: bool = True  # False: attributed by position alone, reported with cue None


def _drafts(layout: _Layout, spans: list[QuotedSpan], cues: list[_Cue]) -> list[_Draft]:
    claimed: dict[int, _Draft] = {}  # index of a span -> its direct quote
    consumed: set[int] = set()  # indices of spans inside a mixed quote
    drafts: list[_Draft] = []
    opens = [span.open_mark for span in spans]
    for cue in cues:
        if cue.clause is not None:
            drafts.extend(_clause_drafts(layout.text, cue, spans, opens, claimed, consumed))
    by_token = {cue.token.i: cue for cue in cues}
    for index, span in enumerate(spans):
        if index not in claimed and index not in consumed:
            near = _trailing_cue(layout, span, by_token) or _leading_cue(layout, span, by_token)
            claimed[index] = _Draft(span.start, span.end, "direct", near, span)
    direct = sorted(claimed.values(), key=lambda d: d.start)
    # An indirect clause that overlaps a direct quote is the parser's view of that quote.
    starts = [d.start for d in direct]
    drafts = [d for d in drafts if d.kind != "indirect" or not _overlaps(d, direct, starts)]
    for draft in drafts + direct:
        draft.paragraph = layout.paragraph_of(draft.start)
    return sorted(drafts + direct, key=lambda d: d.start)


def _clause_drafts(
    text: str,
    cue: _Cue,
    spans: list[QuotedSpan],
    opens: list[int],
    claimed: dict[int, _Draft],
    consumed: set[int],
) -> list[_Draft]:
    assert cue.clause is not None
    start, end = cue.clause
    inside = _spans_within(spans, opens, start, end)
    speaks = cue.subject is not None and _can_speak(cue.subject, cue_lexicon())
    if not inside:
        return [_Draft(start, end, "indirect", cue)] if speaks and not cue.marks_only else []
    if any(i in claimed or i in consumed for i in inside) or (cue.marks_only and not speaks):
        return []
    marks = [spans[i] for i in inside]
    aside_words = _unquoted_words(text, *cue.aside, []) if cue.aside else 0
    if _unquoted_words(text, start, end, marks) <= aside_words:
        for i in inside:  # the marks hold the whole clause: the quote is direct
            claimed[i] = _Draft(spans[i].start, spans[i].end, "direct", cue, spans[i])
        return []
    if all(_looks_like_title(text[s.start : s.end]) for s in marks):
        return [] if cue.marks_only else [_Draft(start, end, "indirect", cue)]
    consumed.update(inside)
    first, last = min(start, marks[0].open_mark), max(end, marks[-1].outer_end)
    return [_Draft(first, last, "mixed", cue)]


def _spans_within(spans: list[QuotedSpan], opens: list[int], start: int, end: int) -> list[int]:
    """Indices of the spans that meet start..end; spans are in text order and do not overlap,
    so they are the ones opening before ``end``, back to the first that closes after ``start``."""
    i = bisect_left(opens, end) - 1
    inside: list[int] = []
    while i >= 0 and spans[i].outer_end > start:
        inside.append(i)
        i -= 1
    return inside[::-1]


def _unquoted_words(text: str, start: int, end: int, marks: list[QuotedSpan]) -> int:
    count, at = 0, start
    for mark in marks:
        count += len(_WORD.findall(text, at, max(at, mark.open_mark)))
        at = max(at, mark.outer_end)
    return count + len(_WORD.findall(text, at, max(at, end)))


def _looks_like_title(words: str) -> bool:
    """'"The Long Road Home"': every word capitalised, as in the title of a work."""
    parts = [w for w in words.split() if w[:1].isalpha()]
    small = {"a", "an", "and", "at", "for", "in", "of", "on", "the", "to"}
    return len(parts) >= 2 and all(p[0].isupper() or p in small for p in parts)


def _overlaps(draft: _Draft, direct: list[_Draft], starts: list[int]) -> bool:
    """Whether the draft overlaps one of the direct quotes (in order, never overlapping each
    other: the last one starting before the draft ends is the one to check)."""
    i = bisect_left(starts, draft.end) - 1
    return i >= 0 and direct[i].end > draft.start


def _trailing_cue(layout: _Layout, span: QuotedSpan, by_token: dict[int, _Cue]) -> _Cue | None:
    """'"...," Kremlin spokesman Dmitry Peskov said': a cue right after the closing mark."""
    text, doc = layout.text, layout.doc
    if span.close_mark is None:
        return None
    comma_after = text[span.close_mark + 1 : span.close_mark + 2] == ","
    if not (text[span.close_mark - 1] in _ATTRIBUTION_END or comma_after):
        return None  # a quote that ends its sentence is not followed by its cue
    first = layout.token_after(span.close_mark + 1)
    for i in range(first, min(first + TRAILING_REACH, len(doc))):
        token = doc[i]
        if _in_relative_clause(token, first):
            continue  # '"...," one witness, who asked not to be named, told the Post'
        if i in by_token:
            return None if by_token[i].marks_only else by_token[i]
        if token.is_quote or token.text in ".;!?" or "\n" in token.text:
            return None
        # Another verb or clause first ('a "first step" that Ruiz took', '"measure", but
        # residents say'): the cue reports something else.
        if token.pos_ in {"VERB", "AUX", "CCONJ", "SCONJ"} and token.dep_ not in _NOMINAL:
            return None
    return None


def _in_relative_clause(token: Token, start: int) -> bool:
    """Whether ``token`` sits in a relative clause or apposition that begins after ``start``."""
    for _ in range(6):  # bounded climb: such clauses hang close to the speaker's noun
        if token.dep_ in {"relcl", "appos", "acl"} and token.left_edge.i > start:
            return True
        if token.head is token:
            return False
        token = token.head
    return False


def _leading_cue(layout: _Layout, span: QuotedSpan, by_token: dict[int, _Cue]) -> _Cue | None:
    """'Ruiz said: "...', 'he said, "...' and 'told reporters "...'."""
    before = layout.text[: span.open_mark].rstrip(" \t")
    if not before or before.endswith("\n"):
        return None
    last = layout.token_after(len(before)) - 1
    reach = {":": LEADING_REACH, ",": 6}.get(before[-1], 3)
    for i in range(last, max(last - reach, -1), -1):
        token = layout.doc[i]
        cue = by_token.get(i)
        if cue is not None and not (cue.manner or cue.marks_only):
            return cue
        if token.is_quote or token.text in ".;!?" or "\n" in token.text:
            return None
        if i != last and token.is_punct and reach == 3:
            return None  # 'to take the "first step"': a cue further back reports something else
    return None


# --- Quotes in marks without a cue of their own ------------------------------------------


def _inherit(text: str, drafts: list[_Draft]) -> None:
    """Give quotes in marks without a cue the attribution their position implies."""
    previous: _Draft | None = None  # the last quote with a cue
    for draft in drafts:
        if draft.cue is None and draft.span is not None and previous is not None:
            rule = _inheritance(text, draft, previous)
            if rule is not None:
                draft.cue, draft.speaker = previous.cue, previous.speaker
                # A whole quoted paragraph is the previous speaker's by wire convention only:
                # cue None tells it apart from quotes the text attributes itself.
                draft.shows_cue = previous.shows_cue and rule != "whole paragraph"
        if draft.cue is not None:
            previous = draft
    _backfill_runs(drafts)


def _inheritance(text: str, draft: _Draft, previous: _Draft) -> Inheritance | None:
    span = draft.span
    assert span is not None
    line_start = text.rfind("\n", 0, span.open_mark) + 1
    opens_paragraph = not text[line_start : span.open_mark].strip()
    if previous.span is not None and previous.span.continues:
        continued = span.paragraph == previous.span.paragraph + 1 and opens_paragraph
        return "continued" if continued else None
    if previous.paragraph == draft.paragraph and _starts_sentence(text, span):
        return "same paragraph"  # '"A," she said. "B."': B is hers too
    line_end = text.find("\n", span.outer_end)
    rest = text[span.outer_end : len(text) if line_end < 0 else line_end]
    if previous.paragraph == draft.paragraph - 1 and opens_paragraph and not rest.strip(" ."):
        return "whole paragraph"
    return None


def _backfill_runs(drafts: list[_Draft]) -> None:
    """A quote running over paragraphs takes the attribution any of its pieces carries."""
    run: list[_Draft] = []
    for draft in drafts:
        if draft.span is None:
            continue
        run.append(draft)
        if draft.span.continues:
            continue
        source = next((piece for piece in run if piece.cue is not None), None)
        for piece in run:
            if source is not None and piece.cue is None:
                piece.cue, piece.speaker = source.cue, source.speaker
        run = []


def _starts_sentence(text: str, span: QuotedSpan) -> bool:
    before = text[: span.open_mark].rstrip(" \t")
    return not before or before[-1] in _END_OF_STATEMENT + "\"”»'’\n"


def _statement(text: str, draft: _Draft) -> bool:
    """An unattributed quote worth keeping: a whole statement opening its sentence, not a scare
    quote, a title or a slogan."""
    span = draft.span
    if span is None:
        return False
    words = text[span.start : span.end]
    finished = words[-1:] in tuple(_END_OF_STATEMENT) or span.continues
    long_enough = len(words.split()) >= MIN_UNATTRIBUTED_WORDS
    return finished and long_enough and _starts_sentence(text, span)


# --- Speakers ----------------------------------------------------------------------------


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
    from wirewatch.understand.actors import describe_person

    span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
    return describe_person(span) if span is not None else None


# --- Putting it together -----------------------------------------------------------------


def find_quotes(doc: Doc, article: Article) -> list[Quote]:
    """Direct, indirect and mixed quotes of an article, each with its cue and speaker, in text
    order.

    ``doc`` is the spaCy parse of ``article.text``; ``article.entities`` and
    ``article.sentences`` must already be set (their canonical names become speaker names).
    Raises ``ValueError`` when ``doc`` is the parse of another text.
    """
    if doc.text != article.text:
        raise ValueError("find_quotes: doc is not the parse of article.text")
    layout = _Layout(doc, article.text)
    spans = quoted_spans(article.text)
    drafts = _drafts(layout, spans, _cues(layout, spans, cue_lexicon()))
    speakers = _Speakers(layout, article, spans)
    for draft in drafts:
        if draft.cue is not None and draft.cue.subject is not None:
            draft.speaker = speakers.resolve(draft.cue.subject)
    _inherit(article.text, drafts)
    return [
        _quote(article.text, draft, speakers.sentence_of(draft.start))
        for draft in drafts
        if draft.cue is not None or _statement(article.text, draft)
    ]


def _quote(text: str, draft: _Draft, sentence: int) -> Quote:
    cue = draft.cue.text if draft.cue is not None and draft.shows_cue else None
    return Quote(
        text=text[draft.start : draft.end],
        start=draft.start,
        end=draft.end,
        kind=draft.kind,
        cue=cue,
        # A copy each: two quotes of one speaker must not share a mutable record.
        speaker=replace(draft.speaker) if draft.speaker is not None else None,
        sentence=sentence,
    )
