"""Dictionary phrases: words joined by ``_`` (next word must follow at once) or a space (other
words may come between, in verb patterns; names in actor and agent files are always
consecutive).

>>> [(e.word, e.tight) for e in parse_phrase("NEW_&TIETYPES RELATIONS")]
[('NEW', True), ('&TIETYPES', False), ('RELATIONS', False)]
>>> words_of("ARNOR_")
('ARNOR',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPLIT = re.compile(r"(_+|\s+)")
_GROUP = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class Element:
    word: str  # upper case; "&NAME" a synset, "*" the verb, "$" "+" "%" "^" actor markers
    tight: bool  # the next element must be the very next word


def parse_phrase(text: str) -> tuple[Element, ...]:
    """PETRARCH 2 groups are read too: ``{AIR STRIKE}`` (a noun phrase) as adjacent words,
    ``(FOR RETRIAL)`` (a prepositional phrase) as its words."""
    text = _GROUP.sub(lambda m: "_".join(m.group(1).split()), text)
    text = text.replace("(", " ").replace(")", " ")
    parts = [p for p in _SPLIT.split(text.strip().upper()) if p]
    elements: list[Element] = []
    for i, part in enumerate(parts):
        if part.startswith("_") or part.isspace():
            continue
        follower = parts[i + 1] if i + 1 < len(parts) else ""
        elements.append(Element(part, follower.startswith("_")))
    if elements:  # a trailing "_" ("ARNOR_", "IN_ *") binds to what follows, if anything
        last = elements[-1]
        elements[-1] = Element(last.word, False)
    return tuple(elements)


def words_of(text: str) -> tuple[str, ...]:
    """A name's words, upper case, without the ``_`` and spaces joining them."""
    return tuple(e.word for e in parse_phrase(text))
