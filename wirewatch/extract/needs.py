"""What an expression of attribute tests needs on a page before it can select anything.

trafilatura's author expressions have the shape ``//*[self::a or self::div ...][T or T or
...]|//author``, each ``T`` an attribute test: ``@class='byline'``, ``contains(@itemprop,
'author')``, ``re:test(@class, 'author|byline')``, or a child element's text (``rel='me'``).
libxml2 evaluates every test on every element (some microseconds each, tens of milliseconds
on a large page), and on most pages nothing matches. Every element the expression selects
has one of the tested attributes whose value contains one of a few literal strings (the
compared value itself, the ``contains`` argument, or a string every match of the regular
expression holds, ``guards.required_literals``), or is (or has as a child) an element the
expression names. So when none of those attributes' values on the page holds one of the
literals, and none of the named elements is on the page, the expression selects nothing,
and need not run.

The literals are read from the expression's text, never written by hand; an expression with
anything else in it (``and``, ``not``, a function other than these) is given no needs, and
always runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml.etree import XPath

from wirewatch.extract.guards import required_literals

_TEST = re.compile(
    r"contains\(\s*@(?P<contains>[\w-]+)\s*,\s*'(?P<part>[^']*)'\s*\)"
    r"|re:test\(\s*@(?P<test>[\w-]+)\s*,\s*'(?P<pattern>[^']*)'\s*\)"
    r"|@(?P<equals>[\w-]+)\s*=\s*'(?P<value>[^']*)'"
    r"|(?<![\w@:-])(?P<child>[A-Za-z][\w-]*)\s*=\s*'[^']*'"
)
_TAG_FILTER = re.compile(r"\[\s*self::[\w-]+(?:\s+or\s+self::[\w-]+)*\s*\]")
_SHAPE = re.compile(r"//\*\[\](?:\|//([A-Za-z][\w-]*))*")


@dataclass(frozen=True, slots=True)
class Needs:
    """An expression can select something only where one of ``attributes`` holds one of
    ``literals``, or one of ``elements`` is on the page."""

    attributes: frozenset[str]
    literals: frozenset[str]
    elements: frozenset[str]

    def met(self, tree: Any, values: str) -> bool:
        """``values``: the values of (at least) ``attributes`` on the page, joined by ``\\n``."""
        return any(literal in values for literal in self.literals) or any(
            tree.find(f".//{element}") is not None for element in self.elements
        )


def needs_of(expression: XPath) -> Needs | None:
    """What ``expression`` needs on a page, or ``None`` if its shape is not the one above.

    >>> found = needs_of(XPath("//*[self::p][@class='byline' or contains(@id, 'author')]"))
    >>> sorted(found.attributes), sorted(found.literals), sorted(found.elements)
    (['class', 'id'], ['author', 'byline'], [])
    >>> needs_of(XPath("//*[not(@class='byline')]")) is None
    True
    """
    path = expression.path
    attributes: set[str] = set()
    literals: set[str] = set()
    elements: set[str] = set()
    for found in _TEST.finditer(path):
        if found["child"]:
            elements.add(found["child"])
            continue
        attribute = found["contains"] or found["test"] or found["equals"]
        if found["pattern"] is not None:
            required = required_literals(found["pattern"])
            if required is None:
                return None
            literals |= required
        else:
            literals.add(found["part"] if found["contains"] else found["value"])
        attributes.add(attribute)
    rest = _TAG_FILTER.sub("", _TEST.sub("", path), count=1)
    shape = _SHAPE.fullmatch(re.sub(r"\s+|\bor\b", "", rest))
    if shape is None or not all(literals):
        return None
    elements |= set(re.findall(r"\|\s*//([A-Za-z][\w-]*)", rest))
    # A literal holding another is found wherever that one is not: the other is enough.
    shortest = {lit for lit in literals if not any(o != lit and o in lit for o in literals)}
    return Needs(frozenset(attributes), frozenset(shortest), frozenset(elements))


def attribute_values(attributes: Iterable[str]) -> XPath:
    """An expression giving the values of ``attributes`` on a page, as plain strings."""
    return XPath(" | ".join(f"//@{name}" for name in sorted(attributes)), smart_strings=False)
