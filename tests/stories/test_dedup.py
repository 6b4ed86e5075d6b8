"""Copies by text alone: shingles, MinHash signatures stored as bytes, LSH, containment."""

from __future__ import annotations

import random

import pytest

from tests.stories.syndication import STORY_LINES
from wirewatch.stories.dedup import (
    CopyIndex,
    CopyRules,
    containment,
    shingles,
    signature_bytes,
    signature_from_bytes,
)

STORY = "\n".join(STORY_LINES)


def other_story(seed: int) -> str:
    words = ["ferry", "island", "harbour", "council", "budget", "school", "festival", "road"]
    rng = random.Random(seed)
    return " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(300))


def index_with(texts: dict[str, str], capacity: int = 100) -> CopyIndex:
    """An index holding ``texts``; containment is verified on their real shingle sets."""
    shingle_sets: dict[str, frozenset[str]] = {}
    index = CopyIndex(CopyRules(), shingle_sets.get, capacity)
    for key, text in texts.items():
        found = index.fingerprint(text)
        shingle_sets[key] = found.shingles
        index.add(key, found.signature, found.size)
    return index


def test_shingles_ignore_case_and_punctuation() -> None:
    assert shingles("NATO chief, visits KIEV!", 2) == frozenset(
        {"nato chief", "chief visits", "visits kiev"}
    )
    assert shingles("Kiev", 5) == frozenset({"kiev"})
    assert shingles("", 5) == frozenset()


def test_containment_is_the_share_of_the_smaller_set_inside_the_larger() -> None:
    small, large = frozenset({"a", "b", "c", "d"}), frozenset({"a", "b", "c", "x", "y", "z"})
    assert containment(small, large) == 0.75
    assert containment(large, small) == 0.75
    assert containment(frozenset(), large) == 0.0


def test_a_signature_survives_its_bytes() -> None:
    index = index_with({})
    signature = index.fingerprint(STORY).signature
    blob = signature_bytes(signature)
    assert len(blob) == 4 * 128
    again = signature_from_bytes(blob)
    assert again.jaccard(signature) == 1.0
    assert list(again.hashvalues) == list(signature.hashvalues)


def test_a_copy_with_a_dateline_and_credit_is_a_near_copy() -> None:
    index = index_with({"lead": STORY, "other": other_story(1)})
    copy = "KIEV (AFP) - " + STORY + "\n© AFP 2017"
    match = index.find(index.fingerprint(copy))
    assert match is not None
    assert (match.article_id, match.relation) == ("lead", "near")
    assert match.similarity == 1.0


def test_a_truncated_copy_joins_its_full_version_only_with_containment() -> None:
    index = index_with({"lead": STORY, "other": other_story(2)})
    half = "\n".join(STORY_LINES[:8])
    fingerprint = index.fingerprint(half)
    assert "lead" in index.candidates(fingerprint)
    match = index.find(fingerprint)
    assert match is not None
    assert match.relation == "truncated"
    assert match.containment == 1.0
    assert match.similarity < 0.7
    without = CopyIndex(CopyRules(use_containment=False), lambda key: None, 100)
    full = without.fingerprint(STORY)
    without.add("lead", full.signature, full.size)
    assert without.find(without.fingerprint(half)) is None


def test_an_unrelated_text_matches_nothing() -> None:
    index = index_with({"lead": STORY})
    assert index.find(index.fingerprint(other_story(3))) is None


def test_a_very_short_text_is_never_a_near_copy() -> None:
    index = index_with({"lead": STORY})
    assert index.find(index.fingerprint("NATO chief Jens Stoltenberg pledged")) is None


def test_the_index_holds_at_most_its_capacity_oldest_out_first() -> None:
    index = index_with({f"story{i}": other_story(10 + i) for i in range(5)}, capacity=3)
    assert len(index) == 3
    assert "story0" not in index and "story1" not in index
    assert index.find(index.fingerprint(other_story(10))) is None
    match = index.find(index.fingerprint(other_story(14)))
    assert match is not None and match.article_id == "story4"


@pytest.mark.parametrize("edits", [3, 10])
def test_a_lightly_edited_copy_is_near(edits: int) -> None:
    words = STORY.split()
    rng = random.Random(edits)
    for _ in range(edits):
        words[rng.randrange(len(words))] = "changed"
    index = index_with({"lead": STORY})
    match = index.find(index.fingerprint(" ".join(words)))
    assert match is not None and match.relation == "near"
