"""Quotes in marks without a cue of their own (step 4 of ``find_quotes`` in ``quotes.py``).

They take the attribution of the quote they continue, of the quote before them in their
paragraph, or (a whole quoted paragraph, reported with ``cue`` None) of the last quote in the
previous paragraph. Other spans without a cue are kept only when they read as a whole
statement: scare quotes, titles and slogans are dropped.
"""

from __future__ import annotations

from typing import Literal

from wirewatch.understand.drafts import _Draft
from wirewatch.understand.quotemarks import QuotedSpan

# A quote without any cue is kept only when it reads as a whole statement of this many words.
MIN_UNATTRIBUTED_WORDS = 4

_END_OF_STATEMENT = ".?!…"

Inheritance = Literal["continued", "same paragraph", "whole paragraph"]


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
