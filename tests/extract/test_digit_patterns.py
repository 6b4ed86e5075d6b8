"""htmldate's date patterns find the same matches when started from digit runs."""

from __future__ import annotations

import random
import re

import htmldate.core
import pytest

from wirewatch.extract.dates import _DIGIT_START
from wirewatch.extract.digit_patterns import digit_start

_HTMLDATE = sorted(
    (name, value)
    for name, value in vars(htmldate.core).items()
    if isinstance(value, re.Pattern) and digit_start(value) is not None
)
# Runs of digits, separators, letters, spaces, and digits of other scripts (which \D does not
# match either), so that dates, near-dates and adjacent dates are common.
_OTHERS = ["/", ".", "-", "/", ".", "-", " ", "a", "\n", "<", "\u0663", "\uff10"]


def _random_text(rng: random.Random) -> str:
    def group() -> str:
        size = rng.choice([1, 2, 2, 4, 4, 3])
        first = {1: "0123456789", 2: "0123", 4: "12"}.get(size, "0123456789")
        return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(size - 1))

    parts = []
    for _ in range(rng.randint(0, 30)):
        if rng.random() < 0.6:  # two or three groups of digits joined by separators
            groups = [group() for _ in range(rng.choice([2, 3, 3]))]
            parts.append(rng.choice("/.-").join(groups))
        else:
            parts.append(rng.choice(_OTHERS))
    return "".join(parts)


def test_htmldates_digit_patterns_are_all_taken() -> None:
    names = {name for name, _ in _HTMLDATE}
    assert {"SELECT_YMD_PATTERN", "THREE_LOOSE_PATTERN", "SLASHES_PATTERN"} <= names
    assert {name for name, value in _HTMLDATE if value in _DIGIT_START} == names
    for kept in ("SIMPLE_PATTERN", "DATESTRINGS_PATTERN", "COPYRIGHT_PATTERN"):
        assert digit_start(getattr(htmldate.core, kept)) is None  # other shapes run as they are


@pytest.mark.parametrize(("name", "pattern"), _HTMLDATE)
def test_the_same_matches_in_the_same_order(name: str, pattern: re.Pattern[str]) -> None:
    fast = digit_start(pattern)
    assert fast is not None
    rng = random.Random(name)
    found = 0
    for _ in range(3000):
        text = _random_text(rng)
        expected = pattern.findall(text)
        assert fast.findall(text) == expected, text
        found += len(expected)
    assert found > 30  # the texts held matches, adjacent ones too


@pytest.mark.parametrize(
    "text",
    [
        "1/2/2024 3/4/2025",  # adjacent: the second's non-digit was consumed by the first
        "x1/2/2024/3/4/2025x",
        "\u06631/2/2024 ",  # preceded by a digit of another script: no match
        "01.02.2024",  # at the very start: no non-digit before it
        " 31-12-2023\n",
    ],
)
def test_edges(text: str) -> None:
    for _, pattern in _HTMLDATE:
        fast = digit_start(pattern)
        assert fast is not None and fast.findall(text) == pattern.findall(text)


def test_other_shapes_are_refused() -> None:
    for refused in (
        r"\D([a-z0-9]+)\D",  # may start with a letter
        r"\D([0-9]*-x)\D",  # may start with "-"
        r"\D([0-9])([0-9])\D",  # two groups
        r"(\D[0-9]+\D)",  # the non-digits inside the group
        r"\D[0-9]+\D",  # no group
    ):
        assert digit_start(re.compile(refused)) is None, refused
