"""Quote marks: the words between them, found paragraph by paragraph (step 1 of
``find_quotes`` in ``quotes.py``).

``quoted_spans`` finds the words between quote marks in every style (``"`` ``“”`` ``«»`` and
single marks); nested marks stay part of the outer quote, and an unclosed quote whose next
paragraph opens with a mark runs on there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["QuotedSpan", "quoted_spans"]

_PARAGRAPH = re.compile(r"[^\n]+")
_MARK = re.compile("[\"“”«»‘’']")
_OPENING_CONTEXT = '([{—–-/"“«‘'

Style = Literal["double", "guillemet", "single"]
_OPENERS: dict[Style, str] = {"double": '"“', "guillemet": "«»", "single": "‘'"}


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
