"""trafilatura's guarded pruning, with the outermost matches found in one walk up the page.

Before its extractor reads a candidate body, trafilatura removes the boilerplate its
``OVERALL_DISCARD_XPATH`` selects, unless that would remove more than six sevenths of the
text (``prune_unwanted_nodes(..., with_backup=True)``). To measure that, it keeps the
outermost of the selected elements: for each one it walks all its ancestors to the root
asking whether one of them is selected too, the same ancestors again for every element
under them (a tenth of the cascade's time on pages with many matches). Here each ancestor
is asked once: whether an element or one of its ancestors is selected is remembered, and a
walk up stops at the first element whose answer is known. The elements kept, their order,
and what is removed are the same.
"""

from __future__ import annotations

from typing import Any

from trafilatura.htmlprocessing import prune_unwanted_nodes as _trafilaturas
from trafilatura.xml import delete_element


def outermost(matches: dict[Any, None]) -> list[Any]:
    """The elements of ``matches`` none of whose ancestors is in it, in the order given.

    The same as trafilatura's ``[e for e in matches if not any(a in matches for a in
    e.iterancestors())]``.
    """
    covered: dict[Any, bool] = {}  # an element: is it, or one of its ancestors, in matches

    def is_covered(element: Any) -> bool:
        path = []
        node = element
        answer = False
        while node is not None:
            known = covered.get(node)
            if known is not None:
                answer = known
                break
            if node in matches:
                answer = True
                path.append(node)
                break
            path.append(node)
            node = node.getparent()
        for visited in path:
            covered[visited] = answer
        return answer

    kept = []
    for element in matches:
        parent = element.getparent()
        if parent is None or not is_covered(parent):
            kept.append(element)
    return kept


def prune_unwanted_nodes(tree: Any, nodelist: list[Any], with_backup: bool = False) -> Any:
    """trafilatura's ``prune_unwanted_nodes``; with ``with_backup``, its outermost matches are
    found by ``outermost``."""
    if not with_backup:
        return _trafilaturas(tree, nodelist)
    matches = dict.fromkeys(element for expression in nodelist for element in expression(tree))
    outer = outermost(matches)
    old_len = len(tree.text_content())
    if old_len - sum(len(element.text_content()) for element in outer) > old_len / 7:
        for element in outer:
            delete_element(element)
    return tree
