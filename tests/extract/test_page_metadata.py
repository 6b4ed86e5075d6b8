"""The page's own metadata: the author search gives what trafilatura's gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from trafilatura.metadata import extract_author as trafilatura_author
from trafilatura.utils import load_html

from wirewatch.extract.page_metadata import _AUTHOR, extract_author

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
