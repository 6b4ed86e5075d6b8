"""trafilatura's XPath expressions with their regular-expression tests guarded by ``contains``.

trafilatura selects boilerplate, bodies and bylines with expressions such as
``//*[re:test(@class, 'author|byline')]``. ``re:test`` is a Python function called by lxml
for every element the expression visits, attribute or not: most of the time these
expressions take is spent in those calls. Every match of such a pattern contains one of a few
literal strings (any match of ``author|byline`` contains ``author`` or ``byline``), which
libxml2 itself can look for with ``contains``. So each ``re:test(ARG, 'PATTERN')`` becomes
``((contains(ARG, "author") or contains(ARG, "byline")) and re:test(ARG, 'PATTERN'))``: the
test runs only where it could succeed, and the expression selects exactly what it did.

The literals are read from the pattern's parse (``re._parser``), never written by hand:
a run of literal characters in a sequence is in every match of it; a group's or an
alternation's literals are, when each of its branches has some. A pattern with no such
literal, a case-insensitive one, or one whose literals would need quoting is left unguarded.
Where the argument is a union (``@id|@class``, of which ``re:test`` reads the first in
document order) the guard looks in each of its attributes, so it holds whichever is first.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parse
from collections.abc import Iterable
from typing import Any

from lxml.etree import XPath

_REGEXP_NS = "http://exslt.org/regular-expressions"
_RE_TEST = re.compile(
    r"re:test\(\s*(@[\w-]+(?:\s*\|\s*@[\w-]+)*)\s*,\s*'([^']*)'\s*(,\s*'[^']*'\s*)?\)"
)
_ATTRIBUTE = re.compile(r"@[\w-]+")
_MOST_CONTAINS = 12


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains, or ``None`` if none is known.

    >>> sorted(required_literals("author|[Bb]yline"))
    ['author', 'yline']
    >>> sorted(required_literals("^comments|comment-?list"))
    ['comment', 'comments']
    >>> required_literals("[0-9]+") is None
    True
    """
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found = _sequence(list(parsed))
    if found is None or not all(found):
        return None
    return found


def _score(literals: frozenset[str]) -> tuple[int, int]:
    return min(len(literal) for literal in literals), -len(literals)


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """Literals of a sequence of parsed items: its best run of literal characters, or the
    literals of one of its parts that every match goes through."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(candidate: frozenset[str] | None) -> None:
        nonlocal best
        if candidate and all(candidate) and (best is None or _score(candidate) > _score(best)):
            best = candidate

    for op, value in items:
        if op is sre_constants.LITERAL:
            run.append(chr(value))
            continue
        consider(frozenset({"".join(run)}) if run else None)
        run = []
        if op is sre_constants.SUBPATTERN:
            consider(_sequence(list(value[-1])))
        elif op is sre_constants.BRANCH:
            consider(_branches(value[1]))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and value[0] >= 1:
            consider(_sequence(list(value[2])))
    consider(frozenset({"".join(run)}) if run else None)
    return best


def _branches(branches: Iterable[Any]) -> frozenset[str] | None:
    union: set[str] = set()
    for branch in branches:
        found = _sequence(list(branch))
        if found is None:
            return None
        union |= found
    return frozenset(union)


def _guard(match: re.Match[str]) -> str:
    argument, pattern, flags = match.group(1), match.group(2), match.group(3)
    literals = None if flags else required_literals(pattern)
    if literals is None or any('"' in literal for literal in literals):
        return match.group(0)
    attributes = _ATTRIBUTE.findall(argument)
    if len(literals) * len(attributes) > _MOST_CONTAINS:
        # A long alternation: as many ``contains`` cost more than the test they save. The
        # test still runs only where one of the attributes is there to read.
        checks = " or ".join(attributes)
    else:
        checks = " or ".join(
            f'contains({attribute}, "{literal}")'
            for literal in sorted(literals)
            for attribute in attributes
        )
    return f"(({checks}) and {match.group(0)})"


def guarded_path(path: str) -> str:
    """``path`` with each ``re:test`` on attributes behind a ``contains`` guard (see above)."""
    return _RE_TEST.sub(_guard, path)


def guarded(expressions: Iterable[XPath], *, smart_strings: bool = True) -> list[XPath]:
    """The same expressions, guarded and compiled (``smart_strings`` as lxml's option)."""
    return [
        XPath(guarded_path(e.path), namespaces={"re": _REGEXP_NS}, smart_strings=smart_strings)
        for e in expressions
    ]
