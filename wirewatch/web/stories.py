"""Stories on the web: the story listing's JSON objects and loading one story for a handler.

A story's JSON object is ``wirewatch.stories.view.story_dict`` (the one ``wirewatch show
s-...`` prints), so the CLI, the page and the API say the same thing about a story.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from wirewatch.store.story_listing import StoryListing
from wirewatch.stories.view import StoryView, story_view, summary_dict
from wirewatch.web.problems import NotFound
from wirewatch.web.readers import Readers


def listing_dict(listing: StoryListing) -> dict[str, Any]:
    return {**summary_dict(listing.summary), "lead": listing.lead, "site": listing.site}


def load_story(request: Request, story_id: str) -> StoryView:
    """The story with this id (or a unique prefix of it); ``NotFound`` when there is none."""
    readers: Readers = request.app.state.readers
    with readers.store() as store:
        found = story_view(store, story_id)
    if found is None:
        raise NotFound(f"no story with id {story_id!r}")
    return found
