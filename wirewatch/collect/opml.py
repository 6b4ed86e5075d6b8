"""OPML subscription lists: the feeds in them, from outlines nested to any sensible depth.

An outline with an ``xmlUrl`` is a feed (its ``title``, else ``text``, is the title); the
others are folders. Hostile XML (a DTD declaring entities) and broken XML fail as
``bad_opml`` with the parser's reason, as does a document whose root is not ``<opml>``.

>>> [f.url for f in read_opml(b'<opml version="2.0"><body><outline text="News">'
...     b'<outline text="A" xmlUrl="https://a.example/rss"/></outline></body></opml>')]
['https://a.example/rss']
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from wirewatch.errors import InputError

_MAX_DEPTH = 32  # folders inside folders; deeper is junk, not a reading list


@dataclass(frozen=True, slots=True)
class Subscription:
    url: str
    title: str | None


def read_opml(content: bytes) -> list[Subscription]:
    """The feeds of an OPML document, in document order, each URL once."""
    try:
        root = safe_xml.fromstring(content, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as exc:
        raise InputError(f"OPML refused: unsafe XML ({exc})", code="bad_opml") from None
    except ParseError as exc:
        raise InputError(f"not OPML: broken XML ({exc})", code="bad_opml") from None
    if root.tag.rsplit("}", 1)[-1].lower() != "opml":
        raise InputError(f"not OPML: the root element is <{root.tag}>", code="bad_opml")
    found: dict[str, Subscription] = {}
    stack = [(child, 1) for child in reversed(list(root))]
    while stack:
        element, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise InputError(f"OPML nests outlines deeper than {_MAX_DEPTH}", code="bad_opml")
        url = (element.get("xmlUrl") or element.get("xmlurl") or "").strip()
        if element.tag == "outline" and url and url not in found:
            title = (element.get("title") or element.get("text") or "").strip() or None
            found[url] = Subscription(url, title)
        stack.extend((child, depth + 1) for child in reversed(list(element)))
    return list(found.values())
