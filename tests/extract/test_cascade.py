"""Readability is skipped only where trafilatura could not take its result."""

from __future__ import annotations

from copy import copy
from pathlib import Path

import pytest
import trafilatura
import trafilatura.core
import trafilatura.external
from lxml.etree import tostring
from lxml.html import HtmlElement
from trafilatura.external import try_readability
from trafilatura.settings import Extractor
from trafilatura.utils import load_html, trim

from wirewatch.extract import cascade
from wirewatch.extract.cascade import (
    _REPLACED,
    HandedTree,
    _extract_and_compare,
    _made,
    _prepare_tree,
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
        "fencedframe": f"<html><body><fencedframe><p>Framed text</p>{_PARAGRAPH}</fencedframe>"
        f"<div>{article}</div></body></html>",
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


_BOUND_PAGES = {
    "whitespace": "<html><head><title> A\n title </title><style>p{}</style></head><body>\n  <p>"
    " one\u00a0two \u2003 three </p>\n<script>var x = 1;</script>tail<pre>  a\n\n b </pre>"
    "<fencedframe>frame<b>bold</b>after</fencedframe><textarea> typed </textarea></body></html>",
    "empty": "<html><body><script>only a script</script></body></html>",
    "nested": "<html><body>" + "<div>x " * 200 + "</div>" * 200 + "</body></html>",
    "entities": "<html><body><p>caf&eacute; &amp; &lt;b&gt; &#8212; &nbsp;end</p></body></html>",
}


@pytest.mark.parametrize("name", sorted(_pages()) + sorted(_BOUND_PAGES))
def test_bound_counted_in_c_is_the_bound_counted_from_each_text_node(name: str) -> None:
    # The text nodes readability can use, one by one, joined and trimmed as first written.
    tree = load_html({**_pages(), **_BOUND_PAGES}[name])
    nodes = tree.xpath("//text()[not(parent::script or parent::style or parent::fencedframe)]")
    iframes = len(tree.xpath("//iframe"))
    assert readability_text_bound(tree) == len(trim("".join(nodes))) + len("VIDEO") * iframes


def test_text_inside_a_dropped_element_counts_only_when_deeper_than_its_child() -> None:
    # Text directly in <script>, <style> or <fencedframe> is left out of the bound; text in an
    # element inside one is counted: a larger bound, which only means readability runs.
    tree = load_html(f"<html><body><fencedframe>{_PARAGRAPH}</fencedframe>x</body></html>")
    assert readability_text_bound(tree) == len(trim(_PARAGRAPH.removeprefix("<p>")[:-4])) + 1
    tree = load_html("<html><body><fencedframe>inside</fencedframe>x</body></html>")
    assert readability_text_bound(tree) == 1


def test_the_gate_is_put_back() -> None:
    originals = [getattr(module, name) for module, name, _ in _REPLACED]
    with readability_only_when_it_can_win():
        for (module, name, replacement), original in zip(_REPLACED, originals, strict=True):
            assert getattr(module, name) is replacement is not original
    assert [getattr(module, name) for module, name, _ in _REPLACED] == originals


@pytest.mark.parametrize("name", sorted(_pages()))
def test_a_handed_tree_is_worked_on_uncopied_with_the_same_text(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _pages()[name]
    plain = trafilatura.bare_extraction(page, include_comments=False, deduplicate=False)
    given: list[object] = []
    sequence = trafilatura.core.trafilatura_sequence

    def spy(tree: object, *rest: object) -> object:
        given.append(tree)
        return sequence(tree, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(trafilatura.core, "trafilatura_sequence", spy)
    tree = load_html(page)
    with readability_only_when_it_can_win():
        handed = trafilatura.bare_extraction(
            HandedTree(tree),  # type: ignore[arg-type]
            include_comments=False,
            deduplicate=False,
        )
    assert given == [tree]
    assert (handed.text if handed else None) == (plain.text if plain else None)


def test_the_cleaned_copy_is_made_only_for_jusText_and_is_trafilaturas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = Extractor(comments=False, dedup=False)
    tree = load_html(_pages()["short"])
    _, theirs = trafilatura.core._prepare_tree(tree, options, None)
    cleaned, ours = _prepare_tree(tree, options, None)
    assert not isinstance(ours, HtmlElement)  # not made yet
    assert tostring(_made(ours)) == tostring(theirs) == tostring(copy(ours))
    assert tostring(cleaned) == tostring(trafilatura.core._prepare_tree(tree, options, None)[0])
    given: list[object] = []
    rescue = trafilatura.external.justext_rescue

    def spy(tree: object, options: object) -> object:
        given.append(tree)
        return rescue(tree, options)  # type: ignore[arg-type]

    monkeypatch.setattr(cascade, "_JUSTEXT_RESCUE", spy)
    plain = trafilatura.bare_extraction(_pages()["short"], include_comments=False)
    with readability_only_when_it_can_win():
        gated = trafilatura.bare_extraction(_pages()["short"], include_comments=False)
    assert given and all(isinstance(tree, HtmlElement) for tree in given)  # a short text
    assert (gated.text if gated else None) == (plain.text if plain else None)


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


def _compared_tree(page: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, bool]:
    """The page's tree, the tree the comparison was given, and whether readability was run."""
    seen: list[object] = []
    ran: list[bool] = []
    compare = trafilatura.external.compare_extraction
    readability = trafilatura.external.try_readability

    def spy_compare(cleaned: object, raw: object, *rest: object) -> object:
        seen.append(raw)
        return compare(cleaned, raw, *rest)  # type: ignore[arg-type]

    def spy_readability(tree: object) -> object:
        ran.append(True)
        return readability(tree)  # type: ignore[arg-type]

    monkeypatch.setattr(trafilatura.external, "compare_extraction", spy_compare)
    monkeypatch.setattr(trafilatura.external, "try_readability", spy_readability)
    options = Extractor(comments=False, dedup=False)
    tree = load_html(page)
    cleaned, backup = trafilatura.core._prepare_tree(tree, options, None)
    _extract_and_compare(cleaned, backup, tree, options)
    return tree, seen[0], bool(ran)


def test_the_page_is_copied_for_readability_only_where_it_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tree, compared, ran = _compared_tree(_pages()["article"], monkeypatch)
    assert not ran and compared is tree  # readability cannot win: nothing copied, nothing run
    table = _pages()["table"].replace("<div>", "<div><table><tr><td>x</td></tr></table>")
    tree, compared, ran = _compared_tree(table, monkeypatch)
    assert ran and compared is not tree  # more tables than paragraphs: it runs on a copy
