"""Code sentences with a verbs dictionary over the spaCy parse.

For each verb of a sentence (a token whose form is in the verbs dictionary, or whose lemma is,
for a known English verb; compound verbs such as "cordon off" or "wire tap" need their other
words next to it), the patterns of its block are tried, longer ones first and ties in the
file's order; the first that matches gives the code, else the verb's own code (a word the
tagger does not call a verb is coded only through a pattern). A pattern's words before ``*``
must appear before the verb in the sentence, nearest first, and its words after ``*`` after it;
``_`` asks for the very next word; ``&SYNSET`` matches any of the synset's phrases.

Source and target:

- ``$`` and ``+`` in the matched pattern name them; ``^`` skips one noun phrase;
- otherwise the source is the verb's subject (with its conjuncts; the subject of the verb it
  depends on for "is about to restore", "and promised", its object for "urged Iran to stop";
  past a pronoun subject; the "by" agent of a passive), and the target the first actor after
  the verb in its clause (with its conjuncts; relative clauses and coordinated verbs' clauses
  left out), or the subject of a passive with a "by" agent;
- ``%`` makes the members of a compound subject source and target of each other;
- ``[032:033]`` also codes the reverse event, target to source (``[:173]`` only that).

An event needs a coded source and target (the dictionary's ``---GOV`` counts as coded). A
sentence with a discard phrase is not coded, nor is any sentence of a story with a story
discard ("+" in the discards file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token

from wirewatch.model import Actor
from wirewatch.understand.petrarch.dictionaries import Dictionaries
from wirewatch.understand.petrarch.discards import contains
from wirewatch.understand.petrarch.phrase_tokens import (
    Words,
    coordination,
    joined_objects,
    np_head,
    phrase_tokens,
    sentence_words,
    words_of_tokens,
)
from wirewatch.understand.petrarch.phrases import Element
from wirewatch.understand.petrarch.resolver import NO_ACTOR, Resolved, combine
from wirewatch.understand.petrarch.verbs import Code, Pattern, Verb, usable

_VERB_TAGS = {"VERB", "AUX"}
_SUBJECTS = {"nsubj", "csubj", "expl"}
# A word the tagger does not call a verb is coded only through a pattern, and only as the
# object of a preposition or a clause ("inching nearer to accord with Gondor").
_NOUN_EVENTS = {"pobj", "pcomp", "xcomp", "ccomp", "advcl", "conj"}
# A verb without a subject takes the subject of the word it depends on, except across these.
_NO_CLIMB = {"relcl", "acl", "nsubj", "nsubjpass", "csubj", "appos", "parataxis"}


@dataclass(frozen=True, slots=True)
class CodedActor:
    code: str  # as the dictionaries give it: "ARNGOV", "---GOV"
    head: Token  # the head of its noun phrase
    first: Token  # the first and last token of what was matched
    last: Token
    actor: Actor | None = None  # wirewatch's own actor, where the dictionaries know none
    base: str | None = None  # the dictionary actor's own code ("ARN" of "ARNGOV")


@dataclass(frozen=True, slots=True)
class Coded:
    """One event the dictionaries code: who, to whom, the code, the verb and why."""

    source: CodedActor
    target: CodedActor
    code: str
    verb: Token
    line: int  # the verbs file line that gave the code: the pattern's, else the verb's


@dataclass(slots=True)
class _Context:
    book: Dictionaries
    day: date | None
    words: Words
    fallback: Mapping[int, Actor]  # wirewatch's actor mentions by start offset
    present: frozenset[str]  # the sentence's words


def code_doc(
    doc: Doc,
    book: Dictionaries,
    day: date | None,
    fallback: Mapping[int, Actor] | None = None,
) -> list[Coded]:
    """Every event the dictionaries code in ``doc``, in text order; the date picks roles.
    ``fallback`` (actors by start offset) names actors the dictionaries do not know."""
    if book.discards is not None and contains([t.text.upper() for t in doc], book.discards.story):
        return []
    out: list[Coded] = []
    for sent in doc.sents:
        out.extend(code_sentence(sent, book, day, fallback))
    return out


def code_sentence(
    sent: Span,
    book: Dictionaries,
    day: date | None,
    fallback: Mapping[int, Actor] | None = None,
) -> list[Coded]:
    words = sentence_words(sent)
    if book.discards is not None and contains(words.words, book.discards.sentence):
        return []
    ctx = _Context(book, day, words, fallback or {}, frozenset(words.words))
    out: list[Coded] = []
    seen: set[tuple[str, str, str]] = set()
    for position, token in enumerate(words.tokens):
        if position > 0 and words.tokens[position - 1].i == token.i:
            continue
        for coded in _code_verb(ctx, position):
            key = (coded.source.code, coded.target.code, coded.code)
            if key not in seen:
                seen.add(key)
                out.append(coded)
    return out


def _candidates(ctx: _Context, position: int) -> list[tuple[Verb, int, int]]:
    """Verbs whose words sit at ``position``: (verb, first word, last word), longest first."""
    words = ctx.words.words
    token = ctx.words.tokens[position]
    verbs = ctx.book.verbs.verbs_for(words[position])
    if not verbs and token.pos_ == "VERB" and not token.is_oov:
        verbs = ctx.book.verbs.verbs_for(token.lemma_)
    found: list[tuple[Verb, int, int]] = []
    for verb in verbs:
        first = position - len(verb.before)
        last = position + len(verb.after)
        if first < 0 or last >= len(words):
            continue
        if tuple(words[first:position]) != verb.before:
            continue
        if tuple(words[position + 1 : last + 1]) != verb.after:
            continue
        found.append((verb, first, last))
    found.sort(key=lambda item: item[1] - item[2])
    return found


def _code_verb(ctx: _Context, position: int) -> list[Coded]:
    candidates = _candidates(ctx, position)
    if not candidates:
        return []
    token = ctx.words.tokens[position]
    is_verb = token.pos_ in _VERB_TAGS or token.tag_.startswith("VB")
    longest = candidates[0][2] - candidates[0][1]
    candidates = [c for c in candidates if c[2] - c[1] == longest]
    if not is_verb and token.dep_ not in _NOUN_EVENTS:
        return []
    for verb, first, last in candidates:
        for pattern in verb.block.patterns:
            if not usable(pattern.code) or not ctx.book.verbs.needs[pattern.line] <= ctx.present:
                continue
            roles = _match(ctx, pattern, first, last)
            if roles is not None:
                head = _span_root(ctx, first, last)
                return _events(ctx, head, last, pattern.code, roles, pattern.line)
    if not is_verb:
        return []  # a noun ("an accord") is coded only through a pattern
    for verb, first, last in candidates:
        if verb.code.event is not None and usable(verb.code):
            return _events(ctx, _span_root(ctx, first, last), last, verb.code, {}, verb.line)
    return []


def _span_root(ctx: _Context, first: int, last: int) -> Token:
    """The token of a compound verb's words the others depend on ("wire tap": "wire")."""
    tokens = {ctx.words.tokens[i].i: ctx.words.tokens[i] for i in range(first, last + 1)}
    for token in tokens.values():
        outside = token.head.i not in tokens or token.head == token
        if outside and (token.pos_ in _VERB_TAGS or len(tokens) == 1):
            return token
    return ctx.words.tokens[first]


# ---- patterns ---------------------------------------------------------------------------


def _match(ctx: _Context, pattern: Pattern, first: int, last: int) -> dict[str, int] | None:
    """Match a pattern around the verb's words ``first..last``; the word index of each actor
    marker ("$", "+", "%") it placed, or None."""
    roles: dict[str, int] = {}
    if _side(ctx, pattern.before, first - 1, -1, roles) is None:
        return None
    if _side(ctx, pattern.after, last + 1, 1, roles) is None:
        return None
    return roles


def _side(
    ctx: _Context, elements: tuple[Element, ...], start: int, step: int, roles: dict[str, int]
) -> int | None:
    """Match ``elements`` reading from word ``start`` in direction ``step``; where it ended."""
    words = ctx.words.words
    at = start
    for element in elements:
        found = None
        while 0 <= at < len(words):
            end = _element_at(ctx, element, at, step, roles)
            if end is not None:
                found = end
                break
            if element.tight:
                return None
            at += step
        if found is None:
            return None
        at = found
    return at


def _element_at(
    ctx: _Context, element: Element, at: int, step: int, roles: dict[str, int]
) -> int | None:
    """The word after ``element`` matched at word ``at`` (reading by ``step``), or None."""
    words = ctx.words.words
    word = element.word
    if word in {"$", "+", "%"}:
        if not _actor_word(ctx, at):
            return None
        if word == "%" and len(_role_heads(ctx, at)) < 2:
            return None  # "%" stands on a compound actor ("Gondor and Osgiliath")
        roles[word] = at
        return _after_phrase(ctx, at, step)
    if word == "^":
        return _after_phrase(ctx, at, step)
    if word.startswith("&"):
        for phrase in ctx.book.verbs.phrases(word):
            n = len(phrase)
            low = at if step > 0 else at - n + 1
            if n and low >= 0 and tuple(words[low : low + n]) == phrase:
                return at + step * n
        return None
    return at + step if words[at] == word else None


def _actor_word(ctx: _Context, at: int) -> bool:
    match = ctx.book.resolver.match_at(ctx.words.words, at)
    return match is not None and match.actor is not None


def _after_phrase(ctx: _Context, at: int, step: int) -> int:
    """The word just past the noun phrase the word ``at`` belongs to, reading by ``step``."""
    head = np_head(ctx.words.tokens[at])
    inside = {t.i for t in phrase_tokens(head)} if head.pos_ in {"NOUN", "PROPN"} else set()
    inside.add(ctx.words.tokens[at].i)
    words = ctx.words
    nxt = at + step
    while 0 <= nxt < len(words.words) and words.tokens[nxt].i in inside:
        if step > 0 and words.tokens[nxt].i > head.i and head.i != words.tokens[at].i:
            break
        nxt += step
    return nxt


# ---- actors -----------------------------------------------------------------------------


def _resolve_head(ctx: _Context, head: Token, *, joined: bool = True) -> list[CodedActor]:
    tokens = phrase_tokens(head)
    words = words_of_tokens(tokens)
    resolved = ctx.book.resolver.resolve(words.words, ctx.day)
    if resolved is None:
        return _fallback(ctx, head, tokens)
    first, last = words.tokens[resolved.first], words.tokens[resolved.last - 1]
    out = _actors_of(resolved, head, first, last)
    if not joined or not resolved.named:
        return out
    for other in joined_objects(tokens):  # "the ambassadors of Arnor, Osgiliath and Gondor"
        other_words = words_of_tokens(phrase_tokens(other))
        more = ctx.book.resolver.resolve(other_words.words, ctx.day)
        if more is None or not more.named:
            continue
        merged = Resolved(more.bases, resolved.agents + more.agents, 0, 0, True)
        out.extend(_actors_of(merged, head, other, other))
    return out


def _actors_of(resolved: Resolved, head: Token, first: Token, last: Token) -> list[CodedActor]:
    if not resolved.named:
        return [CodedActor(code, head, first, last) for code in resolved.codes]
    return [
        CodedActor(combine(base, resolved.agents), head, first, last, base=base)
        for base in resolved.bases
    ]


def _fallback(ctx: _Context, head: Token, tokens: list[Token]) -> list[CodedActor]:
    """wirewatch's own actor for a phrase the dictionaries know nothing of."""
    for token in [head, *tokens]:
        actor = ctx.fallback.get(token.idx)
        if actor is not None and actor.code:
            return [CodedActor(actor.code, head, token, token, actor)]
    return []


def _group(ctx: _Context, heads: list[Token]) -> list[CodedActor]:
    """Actors of coordinated heads; a head with agents only takes the actors of the nearest
    head that has some, the one before it first ("Danish media and government",
    "lawmakers and officials in Fornost and Gondor")."""
    resolved = [_resolve_head(ctx, head) for head in heads]
    named = [[a.base for a in actors if a.base is not None] for actors in resolved]
    out: list[CodedActor] = []
    for i, actors in enumerate(resolved):
        order = [*range(i - 1, -1, -1), *range(i + 1, len(heads))]
        donors = next((named[j] for j in order if named[j]), [])
        for actor in actors:
            if actor.base is None and actor.actor is None and actor.code.startswith(NO_ACTOR):
                for base in donors:
                    code = base + actor.code[len(NO_ACTOR) :]
                    out.append(CodedActor(code, actor.head, actor.first, actor.last, base=base))
                if donors:
                    continue
            out.append(actor)
    return out


def _with_conjuncts(token: Token) -> list[Token]:
    return coordination(token)


def _subject(verb: Token, *, past_pronouns: bool = False) -> tuple[list[Token], bool]:
    """The subject heads of ``verb`` (climbing to the verb it depends on) and whether passive;
    ``past_pronouns`` climbs on over a pronoun subject ("Ethiopia indicated it would act")."""
    node = verb
    for _ in range(6):
        for deps, passive in ((_SUBJECTS, False), ({"nsubjpass"}, True)):
            subjects = [c for c in node.children if c.dep_ in deps]
            if subjects and not (past_pronouns and subjects[0].pos_ == "PRON"):
                return _with_conjuncts(subjects[0]), passive
        if node.dep_ in _NO_CLIMB or node.head == node:
            break
        objects = [c for c in node.head.children if c.dep_ in {"dobj", "obj"}]
        if node.dep_ == "xcomp" and objects and objects[0].i < node.i:
            return _with_conjuncts(objects[0]), False  # "urged Iran to stop": Iran stops
        node = node.head
    return [], False


def _passive_agent(verb: Token) -> list[Token]:
    for child in verb.children:
        if child.dep_ == "agent":
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return _with_conjuncts(objects[0])
    return []


def _first_target(ctx: _Context, verb: Token, last: int, exclude: set[int]) -> list[CodedActor]:
    """The first actor after the verb in its clause (not in a coordinated verb's clause)."""
    skip: set[int] = set()
    for token in verb.subtree:  # coordinated verbs' clauses and relative clauses
        if (token.dep_ == "conj" and token.head == verb and token.pos_ in _VERB_TAGS) or (
            token.dep_ == "relcl"
        ):
            skip |= {t.i for t in token.subtree}
    clause = {t.i for t in verb.subtree} - skip - exclude
    fallback: list[CodedActor] = []
    words = ctx.words
    for at in range(last + 1, len(words.words)):
        token = words.tokens[at]
        if token.i not in clause:
            continue
        match = ctx.book.resolver.match_at(words.words, at)
        if match is None and token.idx not in ctx.fallback:
            continue
        head = np_head(token)
        actors = _group(ctx, _with_conjuncts(head))
        if any(not a.code.startswith("---") for a in actors):
            return actors
        if actors and not fallback:
            fallback = actors
    return fallback


def _events(
    ctx: _Context,
    verb: Token,
    last: int,
    code: Code,
    roles: dict[str, int],
    line: int,
) -> list[Coded]:
    if code.event is None and code.reverse is None:
        return []
    subject_heads, passive = _subject(verb)
    if "%" in roles:
        members = _group(ctx, _role_heads(ctx, roles["%"]))
        if roles["%"] > last:  # "agrees with the Philippines and France": the targets
            return _pairs(ctx, verb, _group(ctx, subject_heads), members, code, line)
        return [
            Coded(a, b, event, verb, line)
            for a in members
            for b in members
            for event in {code.event, code.reverse} - {None}
            if a.code != b.code and event is not None
        ]
    if "$" in roles:
        sources = _group(ctx, _role_heads(ctx, roles["$"]))
    elif passive and _passive_agent(verb):
        sources = _group(ctx, _passive_agent(verb))
    else:
        sources = _group(ctx, subject_heads)
        marked = {t.i for t in _role_heads(ctx, roles["+"])} if "+" in roles else set()
        if (not sources and all(h.pos_ == "PRON" for h in subject_heads)) or (
            marked & {h.i for h in subject_heads}
        ):
            # "it would act": the pronoun's clause's subject; "noted that X regretted": the
            # target is the subject, so the source is the subject of the clause above
            above = verb.head if marked and verb.head != verb else verb
            subject_heads, _ = _subject(above, past_pronouns=True)
            if marked & {h.i for h in subject_heads}:
                subject_heads = []
            sources = _group(ctx, subject_heads)
    if "+" in roles:
        targets = _group(ctx, _role_heads(ctx, roles["+"]))
    elif passive and _passive_agent(verb):
        targets = _group(ctx, subject_heads)
    else:
        taken = {t.i for head in subject_heads for t in phrase_tokens(head)}
        taken |= {a.head.i for a in sources}
        targets = _first_target(ctx, verb, last, taken)
    return _pairs(ctx, verb, sources, targets, code, line)


def _pairs(
    ctx: _Context,
    verb: Token,
    sources: list[CodedActor],
    targets: list[CodedActor],
    code: Code,
    line: int,
) -> list[Coded]:
    out: list[Coded] = []
    for source in sources:
        for target in targets:
            if source.code == target.code:
                continue
            if code.event is not None:  # "[:173]" codes only the reverse event
                out.append(Coded(source, target, code.event, verb, line))
            if code.reverse is not None:
                out.append(Coded(target, source, code.reverse, verb, line))
    return out


def _role_heads(ctx: _Context, at: int) -> list[Token]:
    """The coordinated heads of the actor a pattern's marker stands on."""
    return coordination(np_head(ctx.words.tokens[at], through_of=False))
