"""One copy index for a whole Ray run: the pieces its shuffle runs, none of them importing Ray.

Every article of the run has a place in input order, ``order_of(block, position)``. The
extraction task that reads a block signs its articles (``sign_results``: the MinHash signature
and LSH band keys the store's copy index computes, ``wirewatch.stories.dedup``). Then

1. **map** (``partition``): each block's (band key, order) rows, cut into ``parts``
   partitions by key, 16 bytes a row;
2. **reduce** (``candidate_pairs``): one task per partition groups its rows by key; every two
   articles sharing a key are a candidate pair (earlier, later);
3. **verify** (``verify``): one task per later block compares each pair as the local copy
   index does (``CopyIndex.compare``: estimated Jaccard similarity, containment checked on the
   real shingle sets), so the same pairs pass;
4. **plan** (``make_plan``, on the driver, from the verified pairs only): for each article
   the earlier articles it copies, best first, ranked as ``CopyIndex.find`` ranks them (ties
   to the id that sorts first); copy groups by union-find; and the lead each copy would have if
   every article of the run were stored (``CopyPlan.replay``).

``StoryAssigner`` takes a ``RunCopies`` (the plan, and how far the store's band table reached
when the run began): a run article's copy is then chosen among the plan's matches that are
stored and the store's texts from before the run, exactly as the local executor's band
lookup would choose it when the run is stored in input order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from datasketch import LeanMinHash

from wirewatch.model import Article, Failure
from wirewatch.stories.dedup import (
    SCHEME,
    SEED,
    CopyIndex,
    CopyMatch,
    CopyRules,
    Fingerprint,
    Held,
    MemoryBands,
    Signer,
    comparable_shingles,
    layout_of,
    rank,
)

Result = Article | Failure
ROWS = np.dtype([("key", "<i8"), ("order", "<i8")])  # one shuffled row: 16 bytes
_POSITION_BITS = 32


def order_of(block: int, position: int) -> int:
    """An article's place in the run: its block's number, then its place in the block."""
    return (block << _POSITION_BITS) | position


def block_of(order: int) -> int:
    return order >> _POSITION_BITS


def position_of(order: int) -> int:
    return order & ((1 << _POSITION_BITS) - 1)


@dataclass(frozen=True, slots=True)
class Signed:
    """One article as the copy index sees it: place, id, shingle count, signature and band
    keys (none for a text too short to be matched). No text: the verify tasks read the texts
    of the pairs they check from the blocks' spill files (``spill.py``)."""

    order: int
    article_id: str
    size: int
    signature: np.ndarray  # uint32, one value per permutation
    keys: tuple[int, ...]


class BlockSigner:
    """Signs one block's articles as they come (``add``), in input order."""

    def __init__(self, block: int, rules: CopyRules) -> None:
        self.block = block
        self.rules = rules
        self._signer = Signer(rules.num_perm)
        self._layout = layout_of(rules)
        self.signed: list[Signed] = []

    def add(self, position: int, result: Result) -> None:
        """The result at ``position`` in the block, signed if it is an article."""
        if not isinstance(result, Article):
            return  # failures have no place
        rules = self.rules
        found = comparable_shingles(result.text, rules.shingle_size)
        signature = self._signer.sign(found)
        keys = tuple(self._layout.keys(signature)) if len(found) >= rules.min_shingles else ()
        values = np.asarray(signature.hashvalues, dtype=np.uint32)
        self.signed.append(
            Signed(order_of(self.block, position), result.id, len(found), values, keys)
        )


def sign_results(results: Sequence[Result], block: int, rules: CopyRules) -> list[Signed]:
    """The articles of block ``block`` signed, in input order (failures have no place)."""
    signer = BlockSigner(block, rules)
    for position, result in enumerate(results):
        signer.add(position, result)
    return signer.signed


def partition(signed: Sequence[Signed], parts: int) -> list[np.ndarray]:
    """Map: the block's (key, order) rows, partition ``p`` holding the keys ``k % parts == p``."""
    rows = np.array([(key, s.order) for s in signed for key in s.keys], dtype=ROWS)
    where = rows["key"] % parts
    return [rows[where == part] for part in range(parts)]


def candidate_pairs(*chunks: np.ndarray) -> np.ndarray:
    """Reduce: every (earlier, later) pair of orders sharing a key in these rows, once each,
    sorted; an (n, 2) int64 array."""
    rows = np.concatenate(chunks) if chunks else np.empty(0, dtype=ROWS)
    rows = np.unique(rows)  # sorted by key, then order
    found: set[tuple[int, int]] = set()
    if len(rows):
        starts = np.flatnonzero(np.r_[True, rows["key"][1:] != rows["key"][:-1]])
        ends = np.r_[starts[1:], len(rows)]
        for start, end in zip(starts, ends, strict=True):
            orders = rows["order"][start:end].tolist()
            for i, earlier in enumerate(orders):
                found.update((earlier, later) for later in orders[i + 1 :])
    return np.array(sorted(found), dtype=np.int64).reshape(-1, 2)


@dataclass(frozen=True, slots=True)
class Verified:
    """A candidate pair that passed: the later article copies the earlier one (``exact``:
    the same text twice, which the store records as a sighting; the later one's block is
    stored after the earlier's)."""

    earlier: int
    earlier_id: str
    later: int
    later_id: str
    relation: str
    similarity: float
    containment: float


def verify(
    pairs: np.ndarray, rules: CopyRules, texts: Mapping[int, str], *blocks: Sequence[Signed]
) -> list[Verified]:
    """The ``pairs`` that are copies, compared as ``CopyIndex.compare`` compares a new text
    with a held one; ``blocks`` hold every article the pairs name, ``texts`` their texts (by
    order) for the pairs that are not the same text twice."""
    by_order = {s.order: s for block in blocks for s in block}
    shingles: dict[int, frozenset[str]] = {}

    def shingles_at(order: int) -> frozenset[str]:
        if order not in shingles:
            shingles[order] = comparable_shingles(texts[order], rules.shingle_size)
        return shingles[order]

    places = {s.article_id: s.order for s in by_order.values()}  # the same id, the same text

    def shingles_of(article_id: str) -> frozenset[str]:
        return shingles_at(places[article_id])

    index = CopyIndex(rules, shingles_of, MemoryBands(layout_of(rules), 1))
    verified = []
    for earlier, later in pairs.tolist():
        held, new = by_order[earlier], by_order[later]
        if held.article_id == new.article_id:  # the same text twice: the store records it
            verified.append(
                Verified(earlier, held.article_id, later, new.article_id, "exact", 1.0, 1.0)
            )
            continue
        fingerprint = Fingerprint(shingles_at(later), _lean(new.signature))
        match = index.compare(fingerprint, Held(held.article_id, _lean(held.signature), held.size))
        if match is not None:
            verified.append(
                Verified(
                    earlier,
                    held.article_id,
                    later,
                    new.article_id,
                    match.relation,
                    match.similarity,
                    match.containment,
                )
            )
    return verified


def _lean(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


@dataclass(slots=True)
class CopyPlan:
    """What the run's copy index found (see the module docstring)."""

    matches: dict[str, list[CopyMatch]] = field(default_factory=dict)  # later id -> best first
    first: dict[str, int] = field(default_factory=dict)  # id -> its first place in the run
    groups: dict[str, str] = field(default_factory=dict)  # id -> group (its first member's id)
    after: dict[int, set[int]] = field(default_factory=dict)  # block -> earlier blocks it copies

    def replay(self) -> dict[str, CopyMatch]:
        """Each copy's lead (``CopyMatch.article_id``) had every article of the run been
        stored, in input order: the lead of its best match, as ``StoryAssigner`` picks it."""
        leads: dict[str, CopyMatch] = {}
        for article_id in sorted(self.matches, key=self.first.__getitem__):
            best = self.matches[article_id][0]
            lead = leads.get(best.article_id)
            leads[article_id] = best if lead is None else _as_copy_of(best, lead.article_id)
        return leads


def _as_copy_of(match: CopyMatch, lead: str) -> CopyMatch:
    return CopyMatch(lead, match.relation, match.similarity, match.containment)


def make_plan(verified: Iterable[Verified]) -> CopyPlan:
    """The run's copies from its verified pairs: ranked matches, groups by union-find, and
    which earlier blocks each block copies from."""
    pairs = list(verified)
    plan = CopyPlan()
    for pair in pairs:
        for order, article_id in ((pair.earlier, pair.earlier_id), (pair.later, pair.later_id)):
            if order < plan.first.get(article_id, order + 1):
                plan.first[article_id] = order
    found: dict[str, dict[str, CopyMatch]] = defaultdict(dict)
    parent: dict[str, str] = {}
    for pair in pairs:
        if block_of(pair.earlier) != block_of(pair.later):
            plan.after.setdefault(block_of(pair.later), set()).add(block_of(pair.earlier))
        if pair.relation == "exact" or pair.later != plan.first[pair.later_id]:
            continue  # a later sighting of a text the run already had: recorded as its copy
        match = CopyMatch(pair.earlier_id, pair.relation, pair.similarity, pair.containment)  # type: ignore[arg-type]
        held = found[pair.later_id].get(pair.earlier_id)
        if held is None or rank(match) > rank(held):
            found[pair.later_id][pair.earlier_id] = match
        _union(parent, pair.earlier_id, pair.later_id, plan.first)
    plan.matches = {
        article_id: sorted(
            candidates.values(), key=lambda m: (-rank(m)[0], -rank(m)[1], m.article_id)
        )
        for article_id, candidates in found.items()
    }
    plan.groups = {article_id: _root(parent, article_id) for article_id in parent}
    return plan


def _root(parent: dict[str, str], item: str) -> str:
    root = item
    while parent.get(root, root) != root:
        root = parent[root]
    while item != root:  # path compression
        parent[item], item = root, parent[item]
    return root


def _union(parent: dict[str, str], a: str, b: str, first: dict[str, int]) -> None:
    """Join the groups of ``a`` and ``b``; a group is named by its first member in the run."""
    parent.setdefault(a, a)
    parent.setdefault(b, b)
    root_a, root_b = _root(parent, a), _root(parent, b)
    if root_a != root_b:
        early, late = sorted((root_a, root_b), key=first.__getitem__)
        parent[late] = early


@dataclass(frozen=True, slots=True)
class RunCopies:
    """The run's copy plan as ``StoryAssigner`` uses it: ``plan``, and ``upto``, the last
    signature the store held when the run began (its band table is searched up to there)."""

    plan: CopyPlan
    upto: int

    def ranked(self, article_id: str) -> list[CopyMatch]:
        return self.plan.matches.get(article_id, [])
