"""Online story clustering: which recent story an article that copies nothing belongs to.

Articles that are not copies of each other but report the same news event (two agencies'
accounts of one visit, a local paper's rewrite) form one story. Each new article is compared
with the members of recent stories, found through an inverted index of features (entities,
actor codes, numbers, keywords -> recent articles) and the copy LSH, never by a scan. Only
articles within ``window`` of it (publication time, else collection time) are compared.

The score of a pair is a weighted mean of five parts, each in [0, 1]:

=========  ======  ============================================================================
part       weight  what it measures
=========  ======  ============================================================================
text       0.35    shared keywords (the 25 most frequent content words of each)
entities   0.30    shared canonical entity names (people, organisations, places)
actors     0.10    shared CAMEO actor codes of event participants
numbers    0.10    shared numbers of 10 or more ("10,000 people", "29-member")
time       0.15    ``1 - |Δt| / window``: the same day counts most
=========  ======  ============================================================================

Set overlaps are ``|A ∩ B| / (min(|A|, |B|) + 1)``: a short article whose few names all
appear in a long one scores high, but one shared name out of one scores only 0.5. A part whose
sets are empty on either side (entities and actors before NLP, an article without numbers)
says nothing: it is left out and the other weights are scaled up, so articles stored with
``--stages extract`` still cluster on text, numbers and time.

An article joins the story of its best-scoring candidate when the score is at least
``merge_threshold``; every other candidate story scoring at least ``related_threshold`` is
linked to its story as related. The thresholds come from ``bench/copies.py``, which scores
articles on similar topics that are not the same story (nearest neighbours by word overlap,
pairs from one site) and the synthetic copies (which are): see docs/stories.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wirewatch.stories.features import StoryFeatures

WEIGHTS = {"text": 0.35, "entities": 0.30, "actors": 0.10, "numbers": 0.10, "time": 0.15}


@dataclass(frozen=True, slots=True)
class ClusterRules:
    """How close two articles must be to share a story, and how far apart in time they may be."""

    window_seconds: float = 3 * 86400.0
    merge_threshold: float = 0.55
    related_threshold: float = 0.35


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored article that may report the same event, with its story and features."""

    article_id: str
    story_id: str
    features: StoryFeatures


@dataclass(frozen=True, slots=True)
class ClusterChoice:
    """Where an article goes: ``story_id`` (None: it founds a new story) and related stories."""

    story_id: str | None
    score: float | None
    related: tuple[tuple[str, float], ...]


def overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    """``|A ∩ B| / (min(|A|, |B|) + 1)``; None when either set is empty.

    >>> overlap(frozenset({"kiev", "nato"}), frozenset({"kiev", "nato", "russia"}))
    0.6666666666666666
    """
    if not a or not b:
        return None
    return len(a & b) / (min(len(a), len(b)) + 1)


def score_parts(a: StoryFeatures, b: StoryFeatures, window_seconds: float) -> dict[str, float]:
    """Each part of the score that both articles give evidence for (see the module docstring)."""
    parts: dict[str, float | None] = {
        "text": overlap(a.keywords, b.keywords),
        "entities": overlap(a.entities, b.entities),
        "actors": overlap(a.actors, b.actors),
        "numbers": overlap(a.numbers, b.numbers),
        "time": max(0.0, 1.0 - abs(a.at - b.at) / window_seconds),
    }
    return {name: value for name, value in parts.items() if value is not None}


def score(a: StoryFeatures, b: StoryFeatures, window_seconds: float) -> float:
    """The weighted mean of the parts both articles give evidence for, in [0, 1]."""
    parts = score_parts(a, b, window_seconds)
    if abs(a.at - b.at) > window_seconds:
        return 0.0
    total = sum(WEIGHTS[name] for name in parts)
    return sum(WEIGHTS[name] * value for name, value in parts.items()) / total


def choose_story(
    features: StoryFeatures, candidates: Iterable[Candidate], rules: ClusterRules
) -> ClusterChoice:
    """The story an article joins (best score at or above the merge threshold) and the
    related stories; ties go to the story id that sorts first, so the choice is repeatable."""
    best: dict[str, float] = {}
    for candidate in candidates:
        value = round(score(features, candidate.features, rules.window_seconds), 4)
        if value > best.get(candidate.story_id, -1.0):
            best[candidate.story_id] = value
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    chosen: str | None = None
    chosen_score: float | None = None
    if ranked and ranked[0][1] >= rules.merge_threshold:
        chosen, chosen_score = ranked[0]
    related = tuple(
        (story, value)
        for story, value in ranked
        if story != chosen and value >= rules.related_threshold
    )
    return ClusterChoice(chosen, chosen_score, related)
