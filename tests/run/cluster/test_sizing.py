"""The NLP actor pool sized from the cluster's CPUs and GPUs (``run/cluster/sizing.py``), and
the setting that shares GPUs between actors. No Ray here: ``test_executor.py`` runs a pool with
a GPU actor on the package's cluster, which declares one GPU.
"""

from __future__ import annotations

import pytest

from wirewatch.errors import UsageError
from wirewatch.run.cluster.sizing import SHARE, ActorShare, actor_pool
from wirewatch.settings import Settings


def _shape(pool: list[ActorShare]) -> tuple[int, int, float]:
    """Actors in all, actors given a GPU, the CPUs they ask for together."""
    return len(pool), sum(share.gpus > 0 for share in pool), round(sum(s.cpus for s in pool), 4)


def test_a_cluster_without_gpus_is_sized_by_its_cpus_as_before() -> None:
    assert actor_pool(8, 0, None, "auto") == [ActorShare(SHARE, 0.0)] * 8
    assert actor_pool(8, 0, 3, "auto") == [ActorShare(SHARE, 0.0)] * 3
    assert actor_pool(8, 0, None, 0.5) == [ActorShare(SHARE, 0.0)] * 8
    assert actor_pool(8, 4, None, "off") == [ActorShare(SHARE, 0.0)] * 8  # GPUs left alone


def test_gpus_size_the_pool_and_each_gpu_actor_asks_for_its_share() -> None:
    # One actor per GPU by default; they are among the CPU-sized actors when fewer.
    pool = actor_pool(16, 2, None, "auto")
    assert _shape(pool) == (16, 2, 8.0)
    assert pool[:2] == [ActorShare(SHARE, 1.0)] * 2 and pool[2].gpus == 0
    # More GPU actors than CPUs: the pool grows to them, and the actors together still ask
    # for half the CPUs, so the extraction tasks keep the other half.
    assert _shape(actor_pool(2, 4, None, "auto")) == (4, 4, 1.0)
    assert _shape(actor_pool(2, 2, None, 0.5)) == (4, 4, 1.0)
    assert {share.gpus for share in actor_pool(2, 2, None, 0.5)} == {0.5}
    assert _shape(actor_pool(3, 7, None, "auto")) == (7, 7, 1.4994)  # 0.2142 each, rounded down
    # --jobs fixes the pool's size: its actors take the GPUs there are shares for.
    assert _shape(actor_pool(2, 4, 2, "auto")) == (2, 2, 1.0)
    assert _shape(actor_pool(16, 1, 4, 0.25)) == (4, 4, 2.0)
    # A cluster reporting part of a GPU: one actor with what there is.
    assert actor_pool(2, 0.5, None, "auto")[0] == ActorShare(SHARE, 0.5)


def test_the_gpu_share_setting_is_auto_off_or_a_share_of_one_gpu() -> None:
    assert Settings().ray_gpus_per_actor == "auto" and Settings().ray_gpu_required is False
    assert Settings.from_sources({"ray_gpus_per_actor": "0.25"}).ray_gpus_per_actor == 0.25
    assert Settings.from_sources({"ray_gpus_per_actor": "Off"}).ray_gpus_per_actor == "off"
    for bad in ("2", "0", "-1", "some"):
        with pytest.raises(UsageError, match="ray_gpus_per_actor"):
            Settings.from_sources({"ray_gpus_per_actor": bad})
