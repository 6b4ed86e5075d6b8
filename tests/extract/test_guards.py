"""A guarded expression selects exactly what trafilatura's own selects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import trafilatura.xpaths
from hypothesis import given, settings
from hypothesis import strategies as st
from trafilatura.utils import load_html

from wirewatch.extract.cascade import readability_only_when_it_can_win
from wirewatch.extract.guards import guarded, guarded_path, required_literals

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _expression_lists() -> dict[str, list[object]]:
    return {
        name: value
        for name, value in sorted(vars(trafilatura.xpaths).items())
        if isinstance(value, list) and any("re:test" in getattr(e, "path", "") for e in value)
    }


def _patterns() -> list[str]:
    found = set()
    for expressions in _expression_lists().values():
        for expression in expressions:
            found.update(re.findall(r"re:test\([^,]+,\s*'([^']*)'", expression.path))  # type: ignore[attr-defined]
    return sorted(found)


def test_literals_are_read_from_the_pattern() -> None:
    assert required_literals("author|[Bb]yline") == {"author", "yline"}
    assert required_literals("mvp-post-add-(?:box|wrap)|infinite-?scroll") == {
        "mvp-post-add-",
        "infinite",
    }
    assert required_literals("(?:entry|article|art)-content") == {"-content"}
    assert required_literals("(^|\\s)bottom|bottom(\\s|$)") == {"bottom"}
    assert required_literals("[0-9]+") is None  # no literal: left unguarded
    assert required_literals("a|[0-9]") is None  # one branch with none at all
    assert required_literals("(?i)author") is None  # case-insensitive: left unguarded


def test_every_regular_expression_test_of_trafilatura_but_a_few_is_guarded() -> None:
    patterns = _patterns()
    unguarded = [p for p in patterns if required_literals(p) is None]
    assert len(patterns) > 30
    assert len(unguarded) <= 2, unguarded


def test_a_case_insensitive_test_and_a_union_are_handled() -> None:
    path = "//*[re:test(@class, 'fulltext', 'i') or re:test(@id|@class, 'comment-?list')]"
    assert guarded_path(path) == (
        "//*[re:test(@class, 'fulltext', 'i') or "
        '((contains(@id, "comment") or contains(@class, "comment")) and '
        "re:test(@id|@class, 'comment-?list'))]"
    )


# Words made of the patterns' own pieces, so that generated values often match them.
_PIECES = st.sampled_from(
    ["author", "Author", "by", "line", "comment", "s", "-", "list", "post", "content", "art",
     "icle", "body", "hidden", "share", " ", "_", "x", "Comments", "nav", "^", "main"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=8).map("".join), st.sampled_from(_patterns()))
def test_a_match_always_contains_one_of_the_literals(value: str, pattern: str) -> None:
    literals = required_literals(pattern)
    if literals is not None and re.search(pattern, value):
        assert any(literal in value for literal in literals)


_ATTRIBUTES = [
    "class='author-name'",
    "class='byline' id='author'",
    "id='comments' class='sidebar'",
    "class='sidebar' id='comments'",  # @id|@class reads the first in document order
    "class='article-body'",
    "id='articleBody' class='x'",
    "class='share-buttons social'",
    "class='hidden' style='display:none'",
    "style='color: red' id='main-hidden'",
    "class=''",
    "class='Comments list'",
    "class='post-entry' id='primary'",
    "",
]


def _built_page() -> str:
    tags = ["div", "span", "p", "a", "section", "article", "h3", "li", "main"]
    parts = [
        f"<{tag} {attributes}>Text {i} by Maria Lopez</{tag}>"
        for i, (tag, attributes) in enumerate(
            (tag, attributes) for tag in tags for attributes in _ATTRIBUTES
        )
    ]
    return f"<html><body><div>{''.join(parts)}</div></body></html>"


def _pages() -> dict[str, str]:
    pages = {"built": _built_page()}
    for path in sorted(SAMPLES.glob("*.html")):
        pages[path.name] = path.read_bytes().decode("utf-8", errors="replace")
    return pages


@pytest.mark.parametrize("name", sorted(_pages()))
def test_guarded_expressions_select_the_same_elements(name: str) -> None:
    tree = load_html(_pages()[name])
    selected = 0
    for expressions in _expression_lists().values():
        for original, faster in zip(expressions, guarded(expressions), strict=True):
            before, after = original(tree), faster(tree)  # type: ignore[operator]
            assert len(before) == len(after)
            assert all(a is b for a, b in zip(before, after, strict=True))
            selected += len(before)
    assert selected > 0


def test_the_lists_are_guarded_only_inside_the_block() -> None:
    lists = _expression_lists()
    before = {name: list(value) for name, value in lists.items()}
    with readability_only_when_it_can_win():
        assert all(
            [e.path for e in value] != [e.path for e in before[name]]  # type: ignore[attr-defined]
            for name, value in lists.items()
        )
    assert all(value == before[name] for name, value in lists.items())
