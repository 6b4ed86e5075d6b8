"""htmldate's ``\\D(...)\\D`` date patterns, their ``findall`` started only where a match can start.

When a page states no date, htmldate searches its serialised text with patterns such as
``\\D([0-3]?[0-9][/.-][0-1]?[0-9][/.-][0-9]{4})\\D``. A pattern that begins with ``\\D``
(any character but a digit) is tried by Python's engine at nearly every position of the
page, some megabytes on a large one: most of the date time of the pages that reach it.

A match of ``\\D(CORE)\\D`` at position p is a non-digit at p, CORE at q = p + 1 and a
non-digit after it. When every match of CORE starts with an ASCII digit (read from the
pattern's parse), q is a digit preceded by a non-digit: the first digit of a run of
digits. Those are found by ``[0-9](?<=\\D[0-9])``, whose first character is a digit, which
the engine looks for fast; CORE is tried at each, followed by a non-digit it does not consume,
the same alternatives in the same order as in the pattern. ``findall`` resumes its search
after the non-digit a match consumed, so a run starting right after it is not a candidate:
the next candidate must start two characters after CORE's end. So the matches, and their
groups, are those of ``pattern.findall``, in its order; a pattern of any other shape is left
as it is.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parse
from typing import Any

_DIGITS = frozenset("0123456789")
_RUN_START = re.compile(r"[0-9](?<=\D[0-9])")  # a digit whose previous character is not one
_MOST_CLASS = 256


class DigitStartPattern:
    """``pattern`` (``\\D(CORE)\\D``) with a ``findall`` that tries CORE at digit runs only."""

    def __init__(self, pattern: re.Pattern[str], core: re.Pattern[str]) -> None:
        self.pattern, self._core = pattern, core

    def findall(self, string: str) -> list[str]:
        found = []
        after = 0  # a candidate must start after this position
        match_core = self._core.match
        for run in _RUN_START.finditer(string):
            start = run.start()
            if start <= after:
                continue
            match = match_core(string, start)
            if match is not None:
                found.append(match.group(1))
                after = match.end() + 1  # findall consumed the non-digit after CORE
        return found


def digit_start(pattern: re.Pattern[str]) -> DigitStartPattern | None:
    """The faster ``findall`` for ``pattern``, or ``None`` if it is not ``\\D(CORE)\\D`` with
    CORE starting with an ASCII digit in every match.

    >>> found = digit_start(re.compile(r"\\D([0-9]{4}-[0-9]{2})\\D"))
    >>> found.findall("x 2024-03 and 2024-04/2025-05 y")
    ['2024-03', '2024-04']
    >>> digit_start(re.compile(r"\\D([a-z]+)\\D")) is None
    True
    """
    text = pattern.pattern
    if not (text.startswith(r"\D(") and text.endswith(r")\D")) or pattern.groups != 1:
        return None
    if pattern.flags & (re.IGNORECASE | re.ASCII | re.VERBOSE):
        return None
    group = text[2:-2]
    try:
        parsed = list(sre_parse.parse(group, pattern.flags))
    except re.error:
        return None
    if len(parsed) != 1 or parsed[0][0] is not sre_constants.SUBPATTERN:
        return None  # the parentheses are not one group around all of it
    starts = _starts(list(parsed[0][1][-1]))
    if starts is None or not starts <= _DIGITS:
        return None
    return DigitStartPattern(pattern, re.compile(group + r"(?=\D)", pattern.flags))


def _starts(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The characters every match of a parsed sequence starts with; ``None`` if they are not
    known or the sequence can match nothing at all."""
    if not items:
        return None
    op, value = items[0]
    if op is sre_constants.LITERAL:
        return frozenset(chr(value))
    if op is sre_constants.IN:
        return _class(value)
    if op is sre_constants.SUBPATTERN:
        return _starts(list(value[-1]))
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for branch in value[1]:
            found = _starts(list(branch))
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        least, _, item = value
        first = _starts(list(item))
        if first is None or least >= 1:
            return first
        rest = _starts(items[1:])  # the item may be skipped
        return None if rest is None else first | rest
    return None


def _class(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    characters: set[str] = set()
    for op, value in items:
        if op is sre_constants.LITERAL:
            characters.add(chr(value))
        elif op is sre_constants.RANGE and value[1] - value[0] < _MOST_CLASS:
            characters.update(chr(code) for code in range(value[0], value[1] + 1))
        else:
            return None  # a negated class, a category such as \d, a wide range
    return frozenset(characters)
