"""Imported once by the extraction pool's fork server, so every worker starts warm.

A worker forked straight from the calling process calls ``warm_up`` itself before it takes
any document.

Workers are forked from that server: what is imported and loaded here (trafilatura, lxml,
htmldate, the language identifier's model, what ``extract.prepare`` loads, the caches a
first extraction fills) is shared by all of them and costs nothing per worker, and a
document's time cap is not spent on it.
"""

from __future__ import annotations

from contextlib import suppress

from wirewatch.errors import ExtractError
from wirewatch.extract import extract, prepare
from wirewatch.model import RawDocument
from wirewatch.run.threads import single_threaded_numerics
from wirewatch.settings import Settings

_WARM_UP = (
    b"<!DOCTYPE html><html lang='en'><head><title>Warm-up | Example</title>"
    b"<meta property='article:published_time' content='2024-01-02'></head><body><article>"
    b"<h1>A page read once before any document</h1><p>The council met on Tuesday and "
    b"approved the budget after a long debate, the mayor said in a statement.</p>"
    b"</article></body></html>"
)


_warm = False


def warm_up() -> None:
    """Extract one small page, so lazy imports and caches are filled before any real one."""
    global _warm
    if _warm:
        return
    _warm = True
    single_threaded_numerics()
    prepare()  # the data some pages need (jusText, dateparser): loaded once, shared by all
    with suppress(ExtractError):  # the page is fixed; a failure would only mean colder
        extract(RawDocument(source="warm-up", content=_WARM_UP, content_type="html"), Settings())


warm_up()
