"""The page parsed once, by trafilatura's own reader, into elements lxml makes without Python.

lxml gives each element it hands to Python an object of a class its parser's "class lookup"
chooses. trafilatura parses with ``lxml.html.HTMLParser``, whose lookup is a Python method
(``HtmlElementClassLookup.lookup``: a form element gets ``FormElement``, an input
``InputElement`` and so on): every element object made for the page, and trafilatura makes
hundreds of thousands of them walking and pruning its copies, costs a Python call. Here the
page is parsed by a parser with trafilatura's settings whose lookup is lxml's own
``ElementDefaultClassLookup``, done in C: every element is an ``HtmlElement``, comments,
processing instructions and entities the ``lxml.html`` classes they are. The few
``lxml.html`` form classes add methods for filling in forms, which neither trafilatura,
readability, jusText nor htmldate calls (they read tags, attributes and text, which are the
same); a copy of the tree keeps its parser, so trafilatura's copies are made the same way.

trafilatura's ``load_html`` does the reading (its repairs, its checks, its fallback to bytes)
with its module's parser replaced by this one for the length of the call, under a lock.

One of its repairs takes the characters XML forbids (most C0 controls, U+FFFE, U+FFFF) out
of the page with a regular expression, which tries its character class at every position of
the page (a tenth of a second per ten megabytes). Pages almost never hold one: here each of
those characters (read from trafilatura's own expression) is first looked for on its own, a
fast search in C, and the expression runs only on a page that holds one.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parse
import threading
from typing import Any

import trafilatura.utils
from lxml.etree import ElementDefaultClassLookup
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HTMLParser, HtmlProcessingInstruction

_SWAP = threading.Lock()


def _parser() -> HTMLParser:
    # trafilatura's settings (trafilatura/utils.py, HTML_PARSER); a test compares the trees.
    parser = HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(
        ElementDefaultClassLookup(
            element=HtmlElement,
            comment=HtmlComment,
            pi=HtmlProcessingInstruction,
            entity=HtmlEntity,
        )
    )
    return parser


PARSER = _parser()


def class_characters(pattern: re.Pattern[str]) -> str | None:
    """The characters of a pattern that is one character class of literals and ranges.

    >>> class_characters(re.compile("[a-c\\n]"))
    'abc\\n'
    >>> class_characters(re.compile("[^a]")) is None
    True
    """
    parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
    if len(parsed) != 1 or parsed[0][0] is not sre_constants.IN:
        return None
    characters = []
    for op, value in parsed[0][1]:
        if op is sre_constants.LITERAL:
            characters.append(chr(value))
        elif op is sre_constants.RANGE:
            characters.extend(chr(code) for code in range(value[0], value[1] + 1))
        else:
            return None
    return "".join(characters)


class _SearchedFirst:
    """A one-class pattern whose ``sub`` first looks for each of its characters on its own."""

    def __init__(self, pattern: re.Pattern[str], characters: str) -> None:
        self._pattern, self._characters = pattern, characters

    def sub(self, replacement: str, string: str, count: int = 0) -> str:
        if not any(character in string for character in self._characters):
            return string  # the pattern would find nothing to replace
        return self._pattern.sub(replacement, string, count)


def _searched_first(pattern: re.Pattern[str]) -> Any:
    characters = class_characters(pattern)
    if characters is None or pattern.flags & re.IGNORECASE:
        return pattern
    return _SearchedFirst(pattern, characters)


_INVALID_XML_CHARS = _searched_first(trafilatura.utils.INVALID_XML_CHARS)


def load_page(page: str) -> Any:
    """trafilatura's ``load_html(page)``, the tree made by ``PARSER``; ``None`` as it gives."""
    with _SWAP:
        parser, invalid = trafilatura.utils.HTML_PARSER, trafilatura.utils.INVALID_XML_CHARS
        trafilatura.utils.HTML_PARSER = PARSER
        trafilatura.utils.INVALID_XML_CHARS = _INVALID_XML_CHARS
        try:
            return trafilatura.utils.load_html(page)
        finally:
            trafilatura.utils.HTML_PARSER = parser
            trafilatura.utils.INVALID_XML_CHARS = invalid
