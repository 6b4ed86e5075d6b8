"""The page is parsed as trafilatura parses it, into elements made without a Python lookup."""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura.utils
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.etree import tostring
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from wirewatch.extract.parse import _INVALID_XML_CHARS, class_characters, load_page

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
_PAGES = {
    "form": "<html><body><form action='/s'><label>Name <input name='q' value='x'></label>"
    "<select name='s'><option>a</option></select><textarea>t</textarea></form>"
    "<p>The council met on Tuesday.</p></body></html>",
    "comments": "<!DOCTYPE html><html><body><!-- a comment --><?php echo 1; ?><p>Text &amp; "
    "more &#117;nits</p></body></html>",
    "broken": "<html><body><div><p>Unclosed <b>bold<p>Next</div></span></body>",
    "controls": "<html><body><p>Bell\x07 and\x0b vertical tab</p></body></html>",
    "doctype": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"/>\n<html><body><p>x</p></body></html>',
    "fragment": "<p>only a paragraph</p>",
}


def _pages() -> dict[str, str]:
    pages = dict(_PAGES)
    for path in sorted(SAMPLES.glob("*.html")):
        pages[path.name] = path.read_bytes().decode("utf-8", errors="replace")
    return pages


@pytest.mark.parametrize("name", sorted(_pages()))
def test_the_tree_is_trafilaturas(name: str) -> None:
    page = _pages()[name]
    ours, theirs = load_page(page), load_html(page)
    if theirs is None:
        assert ours is None
        return
    assert tostring(ours, encoding="unicode") == tostring(theirs, encoding="unicode")
    assert [e.tag for e in ours.iter()] == [e.tag for e in theirs.iter()]


def test_every_element_is_an_html_element_made_by_the_parser_in_c() -> None:
    tree = load_page(_PAGES["form"])
    assert {type(element) for element in tree.iter()} == {HtmlElement}
    assert {type(element).__name__ for element in load_html(_PAGES["form"]).iter()} > {
        "HtmlElement",
        "FormElement",
    }  # trafilatura's own parser makes form classes, through a Python lookup
    copied = tree.__copy__()
    assert {type(element) for element in copied.iter()} == {HtmlElement}


def test_trafilaturas_parser_is_put_back() -> None:
    original = trafilatura.utils.HTML_PARSER
    load_page(_PAGES["form"])
    assert trafilatura.utils.HTML_PARSER is original


def test_the_characters_searched_first_are_those_of_trafilaturas_expression() -> None:
    pattern = trafilatura.utils.INVALID_XML_CHARS
    every = "".join(map(chr, range(0x110000)))
    characters = class_characters(pattern)
    assert characters is not None
    assert sorted(set(pattern.findall(every))) == sorted(characters)
    for page in ("plain text", "a\x07bell", "end\uffff", "\x00", "", "caf\u00e9\x0b", "\ufffe"):
        assert _INVALID_XML_CHARS.sub("", page) == pattern.sub("", page)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                " ",
                "\n",
                "\t",
                "\r",
                "é",
                "€",
                "\ufffd",
                "\uffee",
                "\ufeff",
                "\U0001f600",
                "\x00",
                "\x07",
                "\x0b",
                "\x0c",
                "\x1f",
                "\x7f",
                "\ufffe",
                "\uffff",
                "\ud800",
                "\udfff",
                "\uefbf",
            ]
        )
        | st.characters(),
        max_size=30,
    ).map("".join)
)
def test_the_characters_searched_first_remove_what_the_expression_removes(page: str) -> None:
    pattern = trafilatura.utils.INVALID_XML_CHARS
    assert _INVALID_XML_CHARS.sub("", page) == pattern.sub("", page)


def test_trafilaturas_expression_is_put_back() -> None:
    original = trafilatura.utils.INVALID_XML_CHARS
    load_page(_PAGES["controls"])
    assert trafilatura.utils.INVALID_XML_CHARS is original
