"""The guarded pruning keeps and removes what trafilatura's does."""

from __future__ import annotations

import random
from copy import deepcopy

from lxml.etree import XPath, tostring
from trafilatura.htmlprocessing import prune_unwanted_nodes as trafilaturas
from trafilatura.utils import load_html
from trafilatura.xpaths import OVERALL_DISCARD_XPATH

from wirewatch.extract.prune import outermost, prune_unwanted_nodes


def _random_tree(rng: random.Random) -> str:
    def element(depth: int) -> str:
        tag = rng.choice(["div", "section", "p", "span", "ul", "li"])
        children = "".join(element(depth + 1) for _ in range(rng.randint(0, 4 - depth)))
        return f"<{tag}>text {depth} {children}</{tag}>tail "

    return f"<html><body>{''.join(element(0) for _ in range(3))}</body></html>"


def test_outermost_matches_are_trafilaturas() -> None:
    rng = random.Random(14)
    for _ in range(200):
        tree = load_html(_random_tree(rng))
        elements = list(tree.iter())
        chosen = rng.sample(elements, rng.randint(0, len(elements)))
        matches = dict.fromkeys(chosen)
        expected = [e for e in matches if not any(a in matches for a in e.iterancestors())]
        assert outermost(matches) == expected


def test_pruning_with_backup_is_trafilaturas() -> None:
    rng = random.Random(7)
    pruned = kept = 0
    for _ in range(100):
        page = _random_tree(rng)
        nodelist = [XPath(f"//{rng.choice(['div', 'section', 'span'])}"), XPath("//ul|//li")]
        for expressions in (nodelist, OVERALL_DISCARD_XPATH):
            ours, theirs = load_html(page), load_html(page)
            prune_unwanted_nodes(ours, expressions, with_backup=True)
            trafilaturas(theirs, expressions, with_backup=True)
            assert tostring(ours) == tostring(theirs)
            if tostring(ours) == tostring(load_html(page)):
                kept += 1
            else:
                pruned += 1
            unguarded = deepcopy(theirs)
            prune_unwanted_nodes(ours, expressions)
            trafilaturas(unguarded, expressions)
            assert tostring(ours) == tostring(unguarded)
    assert pruned > 20 and kept > 20  # both sides of the six-sevenths rule were seen
