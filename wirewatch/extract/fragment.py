"""Text of markup that is not a whole page: feed entry content, a JSONL ``html`` field.

An RSS ``<description>`` is often plain text, and a JSONL record's ``html`` may be one
``<p>``. Neither is a page for trafilatura, and lxml's HTML loader gives up on some of them
(no element at all) or on pages nested deeper than its limit (256 levels), losing every
word. ``markup_text`` reads such markup with the standard library's tolerant tokenizer,
which has no depth limit and never fails: one line per block element, entities decoded,
scripts, styles and the ``<head>`` left out. Plain text comes back as it is, one line per
line.

>>> markup_text("Kyiv &amp; Warsaw agreed on Monday.")
'Kyiv & Warsaw agreed on Monday.'
>>> markup_text("<p>One <b>block</b>.</p><p>Two.</p>")
'One block.\\nTwo.'
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
    "section", "article", "pre", "dd", "dt", "figcaption", "header", "footer", "ul", "ol",
    "table", "main", "aside", "nav", "hr", "body", "html",
})  # fmt: skip
_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "head", "form", "title"}
)
_VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "wbr"})


class _TextParser(HTMLParser):
    """Collects visible text; a newline at every block boundary."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self._skipping.append(tag)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag in self._skipping:
                while self._skipping.pop() != tag:
                    pass
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def markup_text(markup: str) -> str:
    """Visible text of ``markup`` (HTML, a fragment, or plain text), one line per block."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
