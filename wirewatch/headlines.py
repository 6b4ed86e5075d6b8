"""What an article or a story is called: its headline, or one fallback rule when it has none.

Every page, the JSON API and the CLI name things through these functions, so an article
without a headline reads the same everywhere, and a story is named the same way wherever it
is listed.

A story is named by its copies' **best headline**: the headline of the earliest dated copy
that has one; when no copy with a headline is dated, the headline most copies ran (ties go to
the one seen first); only when no copy has a headline, the fallback title of its lead's text.

>>> fallback_title("By Jane Smith\\nKIEV (AFP) - NATO chief Jens Stoltenberg pledged support "
...                "for Ukraine on Monday. More than 10,000 people have died.")
'NATO chief Jens Stoltenberg pledged support for Ukraine on Monday'
>>> best_headline([Headline("Blog: NATO", None), Headline("NATO backs Kyiv", "2017-07-10")])
'NATO backs Kyiv'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from wirewatch.stories.strip import strip_syndication

FALLBACK_CHARS = 100
"""The longest fallback title, in characters (cut at a word, with ``…``)."""
OPENING_CHARS = 1_000
"""How much of a text its fallback title is made from (listings read no more of it)."""
_OPENING_LINES = 6  # bylines and credits sit in the first three lines (``strip.py``)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"'“‘(]?[A-Z0-9])")


@lru_cache(maxsize=4096)  # listings show the same articles again and again
def fallback_title(text: str | None) -> str | None:
    """The title of a text that has no headline: its first sentence, without the dateline,
    byline and agency credit syndication adds; a sentence longer than ``FALLBACK_CHARS``
    characters is cut at its last clause break past the half of them (a comma, a semicolon,
    a dash), else at its last word, with ``…``; a final full stop is dropped. None for a text
    with no words."""
    if not text:
        return None
    opening = [line for line in text[:OPENING_CHARS].splitlines() if line.strip()]
    body = strip_syndication("\n".join(opening[:_OPENING_LINES]))
    first = next((line for line in body.splitlines() if line.strip()), "")
    sentence = _SENTENCE_END.split(" ".join(first.split()), maxsplit=1)[0]
    if not sentence:
        return None
    if len(sentence) > FALLBACK_CHARS:
        cut = sentence[: FALLBACK_CHARS + 1]
        clause = max(cut.rfind(", "), cut.rfind("; "), cut.rfind(" – "), cut.rfind(" — "))
        if clause >= FALLBACK_CHARS // 2:  # a whole clause reads better than a cut one
            cut = cut[:clause]
        else:
            cut = cut[:FALLBACK_CHARS].rsplit(" ", 1)[0] if " " in cut else cut[:FALLBACK_CHARS]
        return cut.rstrip(" ,;:-–—") + "…"
    return sentence[:-1] if sentence.endswith(".") and not sentence.endswith("..") else sentence


def display_title(title: str | None, text: str | None) -> str | None:
    """``title`` when it has words, else ``fallback_title(text)``."""
    given = " ".join((title or "").split())
    return given or fallback_title(text)


@dataclass(frozen=True, slots=True)
class Headline:
    """One copy's headline (None when it ran without one) and publication date as given."""

    title: str | None
    published: str | None


def best_headline(copies: Sequence[Headline]) -> str | None:
    """The story's name from its copies, in the order they were seen (see the module doc);
    None when no copy has a headline."""
    titled = [
        (name, copy.published) for copy in copies if (name := " ".join((copy.title or "").split()))
    ]
    if not titled:
        return None
    dated = [
        (moment, i, name)
        for i, (name, published) in enumerate(titled)
        if (moment := dated_at(published))
    ]
    if dated:
        return min(dated)[2]
    counts = Counter(name for name, _ in titled)
    first_seen: dict[str, int] = {}
    for index, (name, _) in enumerate(titled):
        first_seen.setdefault(name, index)
    return min(counts, key=lambda name: (-counts[name], first_seen[name]))


def dated_at(published: str | None) -> str | None:
    """``published`` as the ISO UTC time a story's span is made of, or None when it is not
    an ISO date or time (an undated copy never widens a span)."""
    if not published:
        return None
    value = published.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()
