"""Stories for articles stored before stories existed (a store from an older wirewatch).

Such articles get a story when a copy of them arrives; ``assign_missing`` gives every one of
them its story now, in the order they were stored, as if they had been ingested with stories:
copies among them find each other, and the others cluster over the same window.
``refresh_missing`` gives stories stored before story-level records existed their records.
"""

from __future__ import annotations

from collections.abc import Callable

from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.stories import articles_without_story
from wirewatch.store.story_records import stories_without_records
from wirewatch.stories.assign import StoryAssigner
from wirewatch.stories.records import refresh_story_records

_BATCH = 500


def assign_missing(
    store: Store, settings: Settings, *, on_assigned: Callable[[str], None] | None = None
) -> int:
    """Give a story to every stored article without one; returns how many got one."""
    assigner = StoryAssigner(store, settings)
    assigned, after = 0, 0
    while batch := articles_without_story(store, after, _BATCH):
        for seq, article_id in batch:
            after = seq
            article = store.get_article(article_id)
            if article is None:  # removed meanwhile by another process
                continue
            assigner.assign(article)
            assigned += 1
            if on_assigned is not None:
                on_assigned(article_id)
    return assigned


def refresh_missing(store: Store) -> int:
    """Store the records of every story that has events or quotes but no records yet."""
    refreshed = 0
    while batch := stories_without_records(store, _BATCH):
        for story_id in batch:
            grouped = refresh_story_records(store, story_id)
            if not grouped.events and not grouped.quotes:  # cannot happen: it would loop
                raise RuntimeError(f"story {story_id} lists events but groups none")
            refreshed += 1
    return refreshed
