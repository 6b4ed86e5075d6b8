"""SQL conditions that count each story-level event (quote) once: the mentions that are not
their record's representative are left out (``store.story_records`` keeps the records); an
event of an article without a story has no mention row and is a record of its own."""

from __future__ import annotations


def event_once(alias: str = "e", index: str = "idx") -> str:
    """SQL: the event ``alias`` (its index in column ``index``) is the one row standing for
    its story-level record."""
    return (
        "NOT EXISTS (SELECT 1 FROM story_event_mentions AS m_once WHERE m_once.article_id = "
        f"{alias}.article_id AND m_once.idx = {alias}.{index} AND m_once.representative = 0)"
    )


EVENT_ONCE = event_once()
"""SQL over ``e``: the event is the one row standing for its story-level record."""

QUOTE_ONCE = (
    "NOT EXISTS (SELECT 1 FROM story_quote_mentions AS m_once WHERE m_once.article_id = "
    "q.article_id AND m_once.idx = q.idx AND m_once.representative = 0)"
)
"""SQL over ``q``: the quote is the one row standing for its story-level record."""
