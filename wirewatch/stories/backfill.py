"""Stories for articles stored before stories existed (a store from an older wirewatch).

Such articles get a story when a copy of them arrives; ``assign_missing`` gives every one of
them its story now, in the order they were stored, as if they had been ingested with stories:
copies among them find each other, and the others cluster over the same window.
"""

from __future__ import annotations

from collections.abc import Callable

from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.stories import articles_without_story
from wirewatch.stories.assign import StoryAssigner

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
