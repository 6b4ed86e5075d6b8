"""Drafts: the quotes of an article before their speakers are resolved (step 3 of
``find_quotes`` in ``quotes.py``).

A cue's clause with quote marks around part of it is a ``mixed`` quote; marks around the whole
clause make a ``direct`` quote; a clause without marks is ``indirect``. Marks the parser did not
tie to a cue take the cue right after them (``," she said``) or right before them (``she said:
"``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Token

from wirewatch.model import QuoteKind, Speaker
from wirewatch.understand.cues import _can_speak, _Cue, cue_lexicon
from wirewatch.understand.layout import _Layout
from wirewatch.understand.quotemarks import QuotedSpan

# Tokens from a closing mark to its cue: '," Kremlin spokesman Dmitry Peskov said'.
TRAILING_REACH = 16
# Tokens from a cue to the colon that introduces a quote: 'Ruiz told reporters on Monday: "'.
LEADING_REACH = 12

# Where a word tagged as a verb is a misparsed noun ("harbour chief"), or an auxiliary.
_NOMINAL = frozenset({"aux", "nsubj", "compound", "amod", "nmod"})
_WORD = re.compile(r"\w+")
_ATTRIBUTION_END = ",?!—–-…"  # how a quote ends when its cue follows: '...," she said'


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
        if token.head.i == token.i:
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
