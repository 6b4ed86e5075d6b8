"""The run's copy index on Ray: band keys shuffled between tasks, pairs verified, one plan.

``CopyShuffle.add`` starts one map task per block as soon as the block's signatures are
asked for (the task runs when the extraction task that signs them is done): it cuts the
block's (band key, order) rows into one partition per reduce task. ``CopyShuffle.plan`` starts
the reduce tasks, each reading its partition of every block straight from the map tasks (the
driver handles references, never rows), then one verify task per block that has candidate
pairs, given the signed blocks the pairs name (signatures, no texts: a verify task reads the
texts of its pairs from the blocks' spill files, ``spill.py``); the driver joins only the
verified pairs into the plan (``copies.make_plan``). ``release`` lets Ray free the signatures
and rows once the plan is made. The pieces are in ``copies`` and import no Ray.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from wirewatch.run.cluster.copies import (
    CopyPlan,
    Signed,
    Verified,
    block_of,
    candidate_pairs,
    make_plan,
    order_of,
    partition,
    position_of,
    verify,
)
from wirewatch.run.cluster.spill import spill_path, spill_texts
from wirewatch.stories.dedup import CopyRules

_SHARE = 0.5  # as the executor's tasks: half a CPU each


@dataclass(slots=True)
class ShuffleStats:
    """What the copy index moved and found."""

    partitions: int = 0
    rows: int = 0  # (band key, order) rows shuffled
    bytes: int = 0  # their size, 16 bytes a row
    pairs: int = 0  # candidate pairs (sharing a band key)
    verified: int = 0  # pairs that are copies
    copies: int = 0  # articles copying an earlier one of the run
    groups: int = 0  # copy groups (two or more articles)
    seconds: float = 0.0  # from the last block's signatures to the plan

    def report(self) -> str:
        return (
            f"copy index: {self.rows} band key(s) ({self.bytes} bytes) shuffled over "
            f"{self.partitions} partition(s), {self.pairs} candidate pair(s), {self.verified} "
            f"verified, {self.copies} copies in {self.groups} group(s), {self.seconds:.1f} s"
        )


def _map(signed: list[Signed], parts: int) -> list[np.ndarray] | np.ndarray:
    """A map task: the block's rows by partition (Ray stores each as one return; with one
    partition the single return is the array itself)."""
    found = partition(signed, parts)
    return found if parts > 1 else found[0]


def _reduce(*chunks: np.ndarray) -> tuple[np.ndarray, int, int]:
    """A reduce task: the candidate pairs of one partition, and the rows and bytes it read."""
    return (
        candidate_pairs(*chunks),
        sum(len(chunk) for chunk in chunks),
        sum(chunk.nbytes for chunk in chunks),
    )


def _verify(
    pairs: np.ndarray,
    rules: CopyRules,
    folder: str,
    numbers: list[int],
    *blocks: Sequence[Signed],
) -> list[Verified]:
    """A verify task: the texts its pairs need read from the spill files of blocks
    ``numbers`` (in ``folder``; ``blocks`` are their signatures, in the same order), then
    ``copies.verify``. A pair of the same text twice needs no text."""
    ids = {s.order: s.article_id for block in blocks for s in block}
    wanted: dict[int, set[int]] = defaultdict(set)
    for earlier, later in pairs.tolist():
        if ids[earlier] != ids[later]:
            for order in (earlier, later):
                wanted[block_of(order)].add(position_of(order))
    texts: dict[int, str] = {}
    for number in numbers:
        if wanted.get(number):
            found = spill_texts(spill_path(folder, number), wanted[number])
            texts.update((order_of(number, p), text) for p, text in found.items())
    return verify(pairs, rules, texts, *blocks)


class CopyShuffle:
    """One run's copy index on the cluster: ``add`` each block's signatures, then ``plan``;
    the blocks' spill files are in ``folder``."""

    def __init__(self, ray: Any, rules: CopyRules, partitions: int, folder: str) -> None:
        self._ray = ray
        self._rules = rules
        self.folder = folder
        self.partitions = max(1, partitions)
        self._map = ray.remote(num_cpus=_SHARE, num_returns=self.partitions)(_map)
        self._reduce = ray.remote(num_cpus=_SHARE)(_reduce)
        self._verify = ray.remote(num_cpus=_SHARE)(_verify)
        self.signed: dict[int, Any] = {}  # block -> reference to its list[Signed]
        self.mapped: dict[int, list[Any]] = {}  # block -> one reference per partition

    def add(self, block: int, signed: Any) -> None:
        """Block ``block``'s signatures (a reference to ``list[Signed]``), mapped when ready."""
        self.signed[block] = signed
        mapped = self._map.remote(signed, self.partitions)
        self.mapped[block] = mapped if self.partitions > 1 else [mapped]

    def plan(self) -> tuple[CopyPlan, ShuffleStats]:
        """Reduce, verify and plan; waits for every block's signatures."""
        ray = self._ray
        stats = ShuffleStats(partitions=self.partitions)
        if not self.mapped:
            return CopyPlan(), stats
        ray.wait(list(self.signed.values()), num_returns=len(self.signed))
        started = time.perf_counter()
        reduced = [
            self._reduce.remote(*(block[part] for block in self.mapped.values()))
            for part in range(self.partitions)
        ]
        found: list[np.ndarray] = []
        for pairs, rows, size in ray.get(reduced):
            found.append(pairs)
            stats.rows += rows
            stats.bytes += size
        pairs = np.unique(np.concatenate(found), axis=0) if found else np.empty((0, 2), np.int64)
        stats.pairs = len(pairs)
        by_block: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for earlier, later in pairs.tolist():
            by_block[block_of(later)].append((earlier, later))
        checks = []
        for block, block_pairs in sorted(by_block.items()):
            named = sorted({block} | {block_of(earlier) for earlier, _ in block_pairs})
            checks.append(
                self._verify.remote(
                    np.array(block_pairs, dtype=np.int64),
                    self._rules,
                    self.folder,
                    named,
                    *(self.signed[b] for b in named),
                )
            )
        verified: list[Verified] = [pair for done in ray.get(checks) for pair in done]
        plan = make_plan(verified)
        stats.verified = sum(pair.relation != "exact" for pair in verified)
        stats.copies = len(plan.matches)
        stats.groups = len(set(plan.groups.values()))
        stats.seconds = time.perf_counter() - started
        return plan, stats

    def release(self) -> None:
        """Drop the references to every block's signatures and rows (the plan is made)."""
        self.signed.clear()
        self.mapped.clear()
