"""Copies by text alone: shingles, MinHash signatures stored as bytes, LSH, containment."""

from __future__ import annotations

import random

import pytest

from tests.stories.syndication import STORY_LINES
from wirewatch.stories.dedup import (
    CopyIndex,
    CopyRules,
    MemoryBands,
    containment,
    layout_of,
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
    rules = CopyRules()
    bands = MemoryBands(layout_of(rules), capacity)
    index = CopyIndex(rules, shingle_sets.get, bands)
    for key, text in texts.items():
        found = index.fingerprint(text)
        shingle_sets[key] = found.shingles
        bands.add(key, found.signature, found.size)
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
    assert "lead" in [held.article_id for held in index.candidates(fingerprint)]
    match = index.find(fingerprint)
    assert match is not None
    assert match.relation == "truncated"
    assert match.containment == 1.0
    assert match.similarity < 0.7
    rules = CopyRules(use_containment=False)
    bands = MemoryBands(layout_of(rules), 100)
    without = CopyIndex(rules, lambda key: None, bands)
    full = without.fingerprint(STORY)
    bands.add("lead", full.signature, full.size)
    assert without.find(without.fingerprint(half)) is None


def test_an_unrelated_text_matches_nothing() -> None:
    index = index_with({"lead": STORY})
    assert index.find(index.fingerprint(other_story(3))) is None


def test_a_very_short_text_is_never_a_near_copy() -> None:
    index = index_with({"lead": STORY})
    assert index.find(index.fingerprint("NATO chief Jens Stoltenberg pledged")) is None


def test_the_index_holds_at_most_its_capacity_oldest_out_first() -> None:
    index = index_with({f"story{i}": other_story(10 + i) for i in range(5)}, capacity=3)
    bands = index.bands
    assert isinstance(bands, MemoryBands)
    assert len(bands) == 3
    assert "story0" not in bands and "story1" not in bands
    assert index.find(index.fingerprint(other_story(10))) is None
    match = index.find(index.fingerprint(other_story(14)))
    assert match is not None and match.article_id == "story4"


def test_band_keys_follow_datasketch_layout_and_differ_per_band() -> None:
    layout = layout_of(CopyRules())
    assert (layout.bands, layout.rows) == (37, 3)  # datasketch's optimum for 0.3 and 128
    signature = index_with({}).fingerprint(STORY).signature
    keys = layout.keys(signature)
    assert len(keys) == 37 and len(set(keys)) == 37
    assert all(-(2**63) <= key < 2**63 for key in keys)
    other = layout_of(CopyRules(lsh_threshold=0.5)).keys(signature)
    assert not set(keys) & set(other)  # another layout's keys never meet these


@pytest.mark.parametrize("edits", [3, 10])
def test_a_lightly_edited_copy_is_near(edits: int) -> None:
    words = STORY.split()
    rng = random.Random(edits)
    for _ in range(edits):
        words[rng.randrange(len(words))] = "changed"
    index = index_with({"lead": STORY})
    match = index.find(index.fingerprint(" ".join(words)))
    assert match is not None and match.relation == "near"
