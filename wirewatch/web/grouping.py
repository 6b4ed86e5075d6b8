"""Search results grouped by story: the hits of one page, in rank order of each story's best
hit, each story's copies and related articles under it."""

from __future__ import annotations

from dataclasses import dataclass, field

from wirewatch.store.browse import ArticleSummary
from wirewatch.store.story_groups import StoryOf


@dataclass(slots=True)
class Group:
    """The hits of one story (``story`` None: an article that is in no story)."""

    story: StoryOf | None
    items: list[ArticleSummary] = field(default_factory=list)


def by_story(items: list[ArticleSummary], stories: dict[str, StoryOf]) -> list[Group]:
    """``items`` grouped by their story, a group where its first hit ranks."""
    groups: list[Group] = []
    index: dict[str, Group] = {}
    for item in items:
        story = stories.get(item.id)
        if story is None:
            groups.append(Group(None, [item]))
            continue
        group = index.get(story.id)
        if group is None:
            group = index[story.id] = Group(story)
            groups.append(group)
        group.items.append(item)
    return groups

