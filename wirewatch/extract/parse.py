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
"""

from __future__ import annotations

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


def load_page(page: str) -> Any:
    """trafilatura's ``load_html(page)``, the tree made by ``PARSER``; ``None`` as it gives."""
    with _SWAP:
        original = trafilatura.utils.HTML_PARSER
        trafilatura.utils.HTML_PARSER = PARSER
        try:
            return trafilatura.utils.load_html(page)
        finally:
            trafilatura.utils.HTML_PARSER = original
