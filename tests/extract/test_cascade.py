"""Readability is skipped only where trafilatura could not take its result."""

from __future__ import annotations

from copy import copy
from pathlib import Path

import pytest
import trafilatura
import trafilatura.core
from lxml.etree import tostring
from trafilatura.external import try_readability
from trafilatura.utils import load_html, trim

from wirewatch.extract.cascade import (
    readability_cannot_win,
    readability_only_when_it_can_win,
    readability_text_bound,
)

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
_PARAGRAPH = (
    "<p>The council met on Tuesday and approved the budget after a long debate, the mayor "
    "said in a statement, adding that schools and roads would get most of the money.</p>"
)


def _pages() -> dict[str, str]:
    article = _PARAGRAPH * 6
    return {
        "article": f"<html><head><title>Budget</title></head><body><nav><a href='/'>Home</a>"
        f"</nav><article><h1>Budget approved</h1>{article}</article><aside>More news</aside>"
        "</body></html>",
        "scripts": "<html><body><script>var story = 'x'.repeat(5000);</script>"
        f"<style>p {{ color: red }}</style><div>{article}</div></body></html>",
        "video": "<html><body><div class='content'>"
        f"{article}<iframe src='https://www.youtube.com/embed/abc'></iframe>"
        "<iframe src='https://www.youtube.com/embed/def'></iframe></div></body></html>",
        "table": "<html><body><table><tr><td>Town</td><td>Budget</td></tr><tr><td>North</td>"
        f"<td>4 million</td></tr></table><div>{_PARAGRAPH}</div></body></html>",
        "short": f"<html><body><div id='main'>{_PARAGRAPH}</div><footer>(c) 2024</footer>"
        "</body></html>",
        "sidebar": (SAMPLES / "html_sidebar.html").read_text(encoding="utf-8"),
        "cp1252": (SAMPLES / "cp1252_page.html").read_bytes().decode("cp1252"),
    }


@pytest.mark.parametrize("name", sorted(_pages()))
def test_bound_is_never_below_readabilitys_text(name: str) -> None:
    tree = load_html(_pages()[name])
    found = try_readability(copy(tree))
    text = trim(tostring(found, method="text", encoding="utf-8").decode("utf-8"))
    assert len(text) <= readability_text_bound(tree)


@pytest.mark.parametrize("name", sorted(_pages()))
def test_same_text_with_and_without_the_gate(name: str) -> None:
    page = _pages()[name]
    plain = trafilatura.bare_extraction(page, include_comments=False, deduplicate=False)
    with readability_only_when_it_can_win():
        gated = trafilatura.bare_extraction(page, include_comments=False, deduplicate=False)
    assert (gated.text if gated else None) == (plain.text if plain else None)


def test_the_gate_is_put_back() -> None:
    original = trafilatura.core._extract_and_compare
    with readability_only_when_it_can_win():
        assert trafilatura.core._extract_and_compare is not original
    assert trafilatura.core._extract_and_compare is original


class _Options:
    focus = "balanced"


def test_a_body_without_paragraph_text_keeps_readability() -> None:
    tree = load_html(_pages()["article"])
    no_paragraphs = load_html("<html><body><div>Only a div of text here.</div></body></html>")
    with_paragraphs = load_html(f"<html><body>{_PARAGRAPH * 20}</body></html>")
    assert not readability_cannot_win(tree, no_paragraphs, "x" * 10_000, _Options())
    assert readability_cannot_win(tree, with_paragraphs, "x" * 10_000, _Options())
    assert not readability_cannot_win(tree, with_paragraphs, "x" * 10, _Options())
    _Options.focus = "recall"
    try:
        assert not readability_cannot_win(tree, with_paragraphs, "x" * 10_000, _Options())
    finally:
        _Options.focus = "balanced"
