"""The page's own metadata: the author search gives what trafilatura's gives."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from trafilatura.metadata import extract_author as trafilatura_author
from trafilatura.utils import load_html
from trafilatura.xpaths import AUTHOR_XPATHS

from wirewatch.extract.page_metadata import _AUTHOR, _AUTHOR_NEEDS, _AUTHOR_VALUES, extract_author

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
_TEXT = "<p>The council met on Tuesday and approved the budget after a long debate.</p>"
_BUILT = {
    "class": f"<div class='author-name'>Maria Lopez</div>{_TEXT}",
    "rel": f"<a rel='author' href='/m'>Maria Lopez</a>{_TEXT}",
    "byline": f"<p class='byline'>By Maria Lopez and Tom Reed</p>{_TEXT}",
    "itemprop": f"<span itemprop='author'>Maria Lopez</span>{_TEXT}",
    "in_comments": f"{_TEXT}<div class='comments'><span class='author'>Spam Bot</span></div>",
    "in_comments_and_byline": f"<div class='comments'><span class='author'>Spam Bot</span>"
    f"</div><span class='writer'>Maria Lopez</span>{_TEXT}",
    "time_inside": f"<span class='byline'>Maria <time>2024</time>Lopez</span>{_TEXT}",
    "none": _TEXT,
}


def _pages() -> dict[str, str]:
    pages = {
        name: f"<html><head><title>T</title></head><body><article>{body}</article></body></html>"
        for name, body in _BUILT.items()
    }
    for path in sorted(SAMPLES.glob("*.html")):
        pages[path.name] = path.read_bytes().decode("utf-8", errors="replace")
    return pages


@pytest.mark.parametrize("name", sorted(_pages()))
def test_author_is_trafilaturas(name: str) -> None:
    tree = load_html(_pages()[name])
    assert extract_author(tree) == trafilatura_author(tree)


def test_authors_found_and_comment_authors_left_out() -> None:
    pages = _pages()
    assert extract_author(load_html(pages["class"])) == "Maria Lopez"
    assert extract_author(load_html(pages["in_comments"])) is None
    assert extract_author(load_html(pages["in_comments_and_byline"])) == "Maria Lopez"


def test_a_rel_element_whose_text_is_me_once_dates_are_removed() -> None:
    # trafilatura's first expression reads the text of a child <rel> (``rel='me'``); removing
    # the <time> inside makes that text "me", so the author is found only on the pruned copy.
    page = (
        "<html><body><article><span><rel><time>2024</time>me</rel>Maria Lopez</span>"
        f"{_TEXT}</article></body></html>"
    )
    tree = load_html(page)
    assert not any(expression(tree) for expression in _AUTHOR)  # nothing on the page itself
    assert extract_author(tree) == trafilatura_author(tree) == "Me Maria Lopez"


def test_every_author_expression_has_needs() -> None:
    assert all(needs is not None for needs in _AUTHOR_NEEDS)
    first = _AUTHOR_NEEDS[0]
    assert first is not None and {"rel", "author"} <= first.elements  # rel='me', //author


def _random_page(rng: random.Random) -> str:
    # Values made of pieces of the strings the expressions test, cut and changed in case, so
    # that some pages hold what an expression needs without matching and some match.
    pieces = sorted(re.findall(r"'([^']+)'", " ".join(e.path for e in AUTHOR_XPATHS)))
    pieces += ["byline", "Byline", "posted", "by", "name", "me", "x", "-", " "]
    tags = ["a", "address", "div", "link", "p", "span", "strong", "h3", "h4", "li", "section"]
    attributes = ["class", "id", "rel", "itemprop", "data-testid", "data-component", "title"]

    def value() -> str:
        parts = []
        for _ in range(rng.randint(1, 3)):
            piece = rng.choice(pieces)
            if rng.random() < 0.4:
                start = rng.randrange(len(piece))
                piece = piece[start : rng.randint(start + 1, len(piece))]
            if rng.random() < 0.2:
                piece = piece.swapcase()
            parts.append(piece)
        return "".join(parts).replace("'", "")

    def element(depth: int) -> str:
        tag = rng.choice(tags)
        attrs = " ".join(
            f"{name}='{value()}'" for name in rng.sample(attributes, rng.randint(0, 2))
        )
        inner = "Maria Lopez" if depth > 2 or rng.random() < 0.3 else ""
        inner += "".join(element(depth + 1) for _ in range(rng.randint(0, 3 - depth)))
        if rng.random() < 0.05:
            inner += rng.choice(["<rel>me</rel>", "<author>Tom Reed</author>", "<time>2024</time>"])
        return f"<{tag} {attrs}>{inner}</{tag}>"

    body = "".join(element(0) for _ in range(rng.randint(1, 4)))
    return f"<html><body><article>{body}{_TEXT}</article></body></html>"


def test_an_expression_selects_only_where_its_needs_are_met() -> None:
    rng = random.Random(14)
    selected = skipped = 0
    for _ in range(400):
        tree = load_html(_random_page(rng))
        values = "\n".join(_AUTHOR_VALUES(tree))
        for expression, needs in zip(_AUTHOR, _AUTHOR_NEEDS, strict=True):
            assert needs is not None
            if expression(tree):
                selected += 1
                assert needs.met(tree, values)
            elif not needs.met(tree, values):
                skipped += 1
        assert extract_author(tree) == trafilatura_author(tree)
    assert selected > 100 and skipped > 100  # both cases were seen


def test_a_page_without_what_the_expressions_need_runs_none_of_them() -> None:
    tree = load_html(_pages()["none"])
    values = "\n".join(_AUTHOR_VALUES(tree))
    assert not any(needs is not None and needs.met(tree, values) for needs in _AUTHOR_NEEDS)
    assert extract_author(tree) is None
