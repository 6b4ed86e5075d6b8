"""The discards dictionary: phrases that mark a sentence, or a whole story, as not to code.

The format, as the PETRARCH/TABARI files write it::

    BASEBALL                       a sentence with this phrase is not coded
    +TYPHOON                       "+": no sentence of a story with this phrase is coded
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wirewatch.understand.petrarch.lines import read_lines
from wirewatch.understand.petrarch.phrases import words_of


@dataclass(slots=True)
class Discards:
    sentence: set[tuple[str, ...]] = field(default_factory=set)
    story: set[tuple[str, ...]] = field(default_factory=set)


def read_discards(path: Path) -> Discards:
    """Read a discards dictionary; ``UsageError`` naming the file and line for a bad entry."""
    book = Discards()
    for line in read_lines(path):
        story = line.text.startswith("+")
        words = words_of(line.text.lstrip("+"))
        if not words or any(c in line.text for c in "[]{}"):
            raise line.error("a discard is a phrase without codes")
        (book.story if story else book.sentence).add(words)
    return book


def contains(words: list[str], phrases: set[tuple[str, ...]]) -> bool:
    """Whether the upper-case ``words`` contain one of ``phrases`` as consecutive words."""
    if not phrases:
        return False
    longest = max(len(p) for p in phrases)
    for i in range(len(words)):
        for n in range(1, min(longest, len(words) - i) + 1):
            if tuple(words[i : i + n]) in phrases:
                return True
    return False
