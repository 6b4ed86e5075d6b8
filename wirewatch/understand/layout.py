"""Layout of an article for the quote finder: where paragraphs, their text (after any
dateline) and tokens start, computed once per article, and the small token and interval helpers
that cues, drafts and speakers share.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Token

from wirewatch.understand.parse_index import sentence_of
from wirewatch.understand.quotemarks import _PARAGRAPH

# "SARKAND, Nov 3 - ", "PORT IDRIS (Reuters) - ": capitals, an optional date or agency, a dash.
_DATELINE = re.compile(
    r"([^\W\d_][^,(\n–—]{1,40}?)(?:,[^-–—\n]{1,30})?(?: \([^)\n]{1,30}\))? [-–—] "
)


class _Layout:
    """Where paragraphs, their text (after any dateline) and tokens start."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text
        self.token_starts = [token.idx for token in doc]
        self.paragraph_starts = [m.start() for m in _PARAGRAPH.finditer(text)]
        self.text_starts = [after_dateline(text, start) for start in self.paragraph_starts]

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
        paragraph, sentence = self.paragraph_of(token.idx), sentence_of(token)
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


# --- Token and interval helpers ----------------------------------------------------------


def after_dateline(text: str, start: int) -> int:
    """Where the paragraph starting at ``start`` begins after its dateline, if it has one."""
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


def _child(token: Token, deps: set[str]) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)
