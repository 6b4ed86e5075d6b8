"""trafilatura's cascade with readability run only when its result could be taken.

After its own extractor, trafilatura runs readability on the page and keeps readability's
text instead when its own is structurally poor (no paragraph text, more tables than
paragraphs) or when readability's text is more than twice as long (``_prefer_readability`` in
``trafilatura/external.py``). Readability's text is made of the page's own text nodes, outside
``<script>``, ``<style>`` and ``<fencedframe>`` (which it drops first), plus "VIDEO" in the
video iframes it keeps: it can never be longer than that. So when trafilatura's text is
well-formed and at least half as long as all of that text, readability cannot be preferred
whatever it finds, and running it (a fifth of the cascade's time) changes nothing: here it is
then skipped, and everything after it (the justext rescue, the recall retry) runs as before;
nor is the copy of the whole page trafilatura makes for readability made then.
Over the 729 comparisons of ``wcxb-articles-dev`` it is skipped in 559, and the text of every
page is the same as trafilatura's own (``tests/extract/test_cascade.py`` checks the rule's
bound on pages built to stress it; ``bench/extract.py`` shows the figures).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from typing import Any

import trafilatura.core
import trafilatura.external
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import trim

_VIDEO = len("VIDEO")
# Plain strings: the default "smart" ones each make an element proxy for their parent.
_OUTSIDE_SCRIPTS = etree.XPath(
    "//text()[not(ancestor::script or ancestor::style or ancestor::fencedframe)]",
    smart_strings=False,
)
_IFRAMES = etree.XPath("count(//iframe)")
_SWAP = threading.Lock()


def readability_text_bound(tree: Any) -> int:
    """The most characters readability's text can have on ``tree`` (after trafilatura's trim)."""
    text = trim("".join(_OUTSIDE_SCRIPTS(tree)))
    return len(text) + _VIDEO * int(_IFRAMES(tree))


def readability_cannot_win(raw_tree: Any, body: Any, text: str, options: Any) -> bool:
    """True when ``_prefer_readability`` is False whatever readability returns on ``raw_tree``."""
    if options.focus != "balanced" or not text:
        return False
    if not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(body.findall(".//p")):
        return False
    return readability_text_bound(raw_tree) <= 2 * len(text)


def _no_readability(htmlinput: Any) -> HtmlElement:
    return HtmlElement()  # what trafilatura's try_readability returns when readability fails


def _extract_and_compare(
    cleaned_tree: Any, cleaned_tree_backup: Any, tree: Any, options: Any
) -> tuple[Any, str]:
    """trafilatura's ``_extract_and_compare`` (its extractor, then the comparison), with the
    comparison given no readability where it cannot be taken.

    trafilatura hands the comparison a copy of the page's tree, which only readability reads
    (and changes): where readability is skipped the tree itself is read and nothing copied.
    """
    body, text = trafilatura.core.extract_content(cleaned_tree, options)
    if options.fast:
        return body, text
    compare = trafilatura.external.compare_extraction
    if not readability_cannot_win(tree, body, text, options):
        return compare(cleaned_tree_backup, copy(tree), body, text, options)
    run_readability = trafilatura.external.try_readability
    trafilatura.external.try_readability = _no_readability  # an empty result is never preferred
    try:
        return compare(cleaned_tree_backup, tree, body, text, options)
    finally:
        trafilatura.external.try_readability = run_readability


@contextmanager
def readability_only_when_it_can_win() -> Iterator[None]:
    """trafilatura, for the length of the block, skips readability where it cannot be taken.

    trafilatura offers no hook between its extractor and the comparison: its module-level
    ``_extract_and_compare`` is replaced for the block and put back, under a lock (wirewatch
    runs trafilatura nowhere else), so trafilatura called elsewhere in the process is untouched.
    """
    with _SWAP:
        original = trafilatura.core._extract_and_compare
        trafilatura.core._extract_and_compare = _extract_and_compare
        try:
            yield
        finally:
            trafilatura.core._extract_and_compare = original
