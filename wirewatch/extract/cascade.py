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

Two whole-page copies trafilatura makes are not made either. ``bare_extraction`` copies a
tree it is given, so that the caller's stays whole: a tree handed over as ``HandedTree`` is
worked on as it is (the caller has read from it all it needs first). And it keeps a copy of
the cleaned page, before its tags are converted, which only jusText reads, and only on pages
whose text is short or unclean: that copy is made when jusText asks for it, by cleaning a
copy of the same page again (``tree_cleaning`` reads nothing but the page and the options,
and the page is not changed in between).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from typing import Any

import trafilatura.core
import trafilatura.external
import trafilatura.main_extractor
import trafilatura.xpaths
from justext.core import define_stoplist
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import convert_tags, tree_cleaning

from wirewatch.extract.guards import guarded
from wirewatch.extract.prune import prune_unwanted_nodes

_VIDEO = len("VIDEO")
# Text nodes whose parent is none of the elements readability drops, joined in document order
# by libxslt into one string: XSLT's built-in rules walk every element and copy every text
# node; the one template here drops the text nodes whose parent is one of the three. Text
# deeper inside one (no HTML parse puts elements inside <script> or <style>) is counted too:
# the bound can only be larger for it, never smaller. Made in C, where the expression
# ``//text()[not(parent::script or ...)]`` hands Python one string per text node (three times
# slower over the first 150 dev pages; tests/extract/test_cascade.py compares the two).
_TEXT_OUTSIDE_SCRIPTS = etree.XSLT(
    etree.XML(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:output method="text" encoding="UTF-8"/>'
        '<xsl:template match="script/text()|style/text()|fencedframe/text()"/>'
        "</xsl:stylesheet>"
    )
)
_IFRAMES = etree.XPath("count(//iframe)")
_SWAP = threading.Lock()
_LOAD_HTML = trafilatura.core.load_html
_JUSTEXT_RESCUE = trafilatura.external.justext_rescue


def _guarded_lists() -> list[tuple[list[Any], list[Any]]]:
    """Each of trafilatura's lists of expressions with a regular-expression test, and the same
    expressions guarded (guards.py). The lists are changed in place for the length of an
    extraction, so every module that imported one sees the guarded expressions."""
    pairs = []
    for name in sorted(vars(trafilatura.xpaths)):
        value = getattr(trafilatura.xpaths, name)
        if isinstance(value, list) and any("re:test" in getattr(e, "path", "") for e in value):
            pairs.append((value, guarded(value)))
    return pairs


_GUARDED = _guarded_lists()


def readability_text_bound(tree: Any) -> int:
    """The most characters readability's text can have on ``tree`` (after trafilatura's trim).

    The length of ``trim(text)``, ``" ".join(text.split())``, is counted from the words
    without joining them (nor putting the page's text in ``trim``'s cache).
    """
    words = str(_TEXT_OUTSIDE_SCRIPTS(tree)).split()
    return sum(map(len, words)) + max(len(words) - 1, 0) + _VIDEO * int(_IFRAMES(tree))


def readability_cannot_win(raw_tree: Any, body: Any, text: str, options: Any) -> bool:
    """True when ``_prefer_readability`` is False whatever readability returns on ``raw_tree``."""
    if options.focus != "balanced" or not text:
        return False
    if not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(body.findall(".//p")):
        return False
    return readability_text_bound(raw_tree) <= 2 * len(text)


def prepare_justext() -> None:
    """Build now the stop words of every jusText language, which trafilatura builds (a few
    tenths of a second) the first time a page goes to jusText with no language given."""
    stop_words = trafilatura.external.JT_STOPLIST or trafilatura.external.jt_stoplist_init()
    define_stoplist(stop_words)  # jusText's own cache of the set it makes of them


class HandedTree:
    """A parsed page given to ``bare_extraction`` to work on in place, uncopied: it prunes it."""

    __slots__ = ("tree",)

    def __init__(self, tree: Any) -> None:
        self.tree = tree


class _CleanedOnDemand:
    """trafilatura's copy of the cleaned page before its tags are converted, made on first use."""

    __slots__ = ("_options", "_tree")

    def __init__(self, tree: Any, options: Any) -> None:
        self._tree, self._options = tree, options

    def made(self) -> Any:
        return tree_cleaning(copy(self._tree), self._options)

    def __copy__(self) -> Any:
        return self.made()


def _made(tree: Any) -> Any:
    return tree.made() if isinstance(tree, _CleanedOnDemand) else tree


def _prepare_tree(tree: Any, options: Any, url: str | None) -> tuple[Any, Any]:
    """trafilatura's ``_prepare_tree``: the cleaned, converted page, and the cleaned page before
    conversion, here made only if it is read (``_CleanedOnDemand``)."""
    cleaned = tree_cleaning(copy(tree), options)
    return convert_tags(cleaned, options, url), _CleanedOnDemand(tree, options)


def _load_html(htmlobject: Any, max_size: int | None = None) -> Any:
    if isinstance(htmlobject, HandedTree):
        return htmlobject.tree  # not the object given, so bare_extraction does not copy it
    return _LOAD_HTML(htmlobject, max_size)


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


def _justext_rescue(tree: Any, options: Any) -> tuple[Any, str]:
    return _JUSTEXT_RESCUE(_made(tree), options)


# trafilatura's module-level functions replaced inside the block, and their replacements.
_REPLACED: tuple[tuple[Any, str, Any], ...] = (
    (trafilatura.core, "_extract_and_compare", _extract_and_compare),
    (trafilatura.core, "_prepare_tree", _prepare_tree),
    (trafilatura.core, "load_html", _load_html),
    (trafilatura.external, "justext_rescue", _justext_rescue),
    (trafilatura.main_extractor, "prune_unwanted_nodes", prune_unwanted_nodes),
)


@contextmanager
def readability_only_when_it_can_win() -> Iterator[None]:
    """trafilatura, for the length of the block, skips readability where it cannot be taken,
    runs its expressions with their regular-expression tests guarded (guards.py), works on a
    ``HandedTree`` uncopied, makes its pre-conversion copy of the page only when read, and
    finds the outermost elements of its guarded pruning in one walk (prune.py).

    trafilatura offers no hooks for these: its module-level functions are replaced for the
    block and put back, and its lists of expressions filled with the guarded ones and put
    back, under a lock (wirewatch runs trafilatura nowhere else), so trafilatura called
    elsewhere in the process is untouched.
    """
    with _SWAP:
        originals = [getattr(module, name) for module, name, _ in _REPLACED]
        for module, name, replacement in _REPLACED:
            setattr(module, name, replacement)
        kept = [list(expressions) for expressions, _ in _GUARDED]
        for expressions, faster in _GUARDED:
            expressions[:] = faster
        try:
            yield
        finally:
            for (expressions, _), before in zip(_GUARDED, kept, strict=True):
                expressions[:] = before
            for (module, name, _), original in zip(_REPLACED, originals, strict=True):
                setattr(module, name, original)
