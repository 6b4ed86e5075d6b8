"""The filter options ``search`` and ``stories`` share: the same names, values and meaning as
the web's query parameters, parsed by the one parser of both (``BrowseFilters.parse``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from wirewatch.store.browse import BrowseFilters

Command = TypeVar("Command", bound=Callable[..., Any])

FILTER_NAMES = (
    "speaker", "actor", "cameo", "plover", "country", "quad_class", "polarity", "site",
    "since", "until", "story",
)  # fmt: skip
"""The filters, by their web name (``quad_class`` is ``--quad-class`` on the command line)."""

_OPTIONS = (
    ("--speaker", "NAME", "A quote by this speaker (words of the name)."),
    ("--actor", "CODE_OR_NAME", "An event with this source or target (RUS, NATO)."),
    ("--cameo", "CODE", "An event with a CAMEO code starting so (19)."),
    ("--plover", "TYPE", "An event of this PLOVER type (ASSAULT)."),
    ("--country", "ISO3", "An event in this country or with an actor of it (UKR)."),
    ("--quad-class", "1-4", "An event of this quad class (4: material conflict)."),
    ("--polarity", "P[,P...]", "An event of these polarities (asserted, denied...)."),
    ("--site", "SITE", "An article of this site (name or host)."),
    ("--since", "DATE", "On or after DATE (YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Www)."),
    ("--until", "DATE", "On or before DATE (YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Www)."),
    ("--story", "STORY_ID", "An article of this story (s-..., or a unique prefix)."),
)


def filter_options(command: Command) -> Command:
    """Add every filter option to ``command`` (each a string, None when not given)."""
    for name, metavar, help_text in reversed(_OPTIONS):
        command = click.option(name, metavar=metavar, help=help_text)(command)
    return command


def given_filters(values: dict[str, Any]) -> dict[str, str]:
    """The filter options the user gave, by web name, as typed."""
    return {name: values[name] for name in FILTER_NAMES if values.get(name) is not None}


def parse_filters(given: dict[str, str]) -> BrowseFilters:
    """``BrowseFilters.parse`` of the given options: ``UsageError`` (exit 2) for a value that
    cannot match. A story id prefix is resolved with ``BrowseFilters.with_story`` once the
    store is open, as the web resolves it."""
    return BrowseFilters.parse(
        site=given.get("site"),
        quad_class=given.get("quad_class"),
        speaker=given.get("speaker"),
        actor=given.get("actor"),
        cameo=given.get("cameo"),
        plover=given.get("plover"),
        country=given.get("country"),
        polarity=given.get("polarity"),
        since=given.get("since"),
        until=given.get("until"),
        story=given.get("story"),
    )
