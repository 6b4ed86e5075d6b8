"""Regions, provinces and towns that news names without their country, to the country.

Read from the ``regions`` lists of ``wirewatch/data/countries.json`` (written for wirewatch:
"Gaza", "West Bank", "Crimea", "Darfur", "Kurdistan", "Nablus"). Lookups ignore case, accents,
hyphens and a leading "the", as ``countries.name_key`` does.

>>> country_of_region("the Gaza Strip"), country_of_region("Crimea"), country_of_region("Paris")
('PSE', 'UKR', None)
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from wirewatch.understand.countries import name_key

__all__ = ["country_of_region"]


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    raw = json.loads(
        resources.files("wirewatch.data").joinpath("countries.json").read_text("utf-8")
    )
    table: dict[str, str] = {}
    for iso3, entry in raw["countries"].items():
        for name in entry.get("regions", []):
            table.setdefault(name_key(name), iso3)
    return table


def country_of_region(name: str) -> str | None:
    """ISO alpha-3 of the country a region or town named without its country lies in."""
    return _regions().get(name_key(name))
