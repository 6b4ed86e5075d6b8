"""How many NLP actors a Ray run starts, and what each asks of the cluster: CPUs, and GPUs
where the cluster has them.

The same code sizes every cluster. Without GPUs (or with ``ray_gpus_per_actor=off``) the pool
is as it always was: one actor per worker (``--jobs``, else the cluster's CPUs), each asking
for half a CPU, so N actors leave room for N extraction tasks. When the cluster reports GPUs
(``ray.cluster_resources()["GPU"]``), ``GPUs / share`` actors ask for ``share`` of a GPU each
(``auto``: one actor per GPU; ``0.5``: two actors per GPU): with ``--jobs`` they are that many
of its actors, else the pool is as large as the larger of the CPU count and the GPU actors.
The actors' CPU asks together never pass half the cluster's CPUs, so extraction tasks can
always run beside them.

Nothing here imports Ray.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Each actor and each extraction task asks for half a CPU: N actors leave room for N tasks,
# and the two alternate (a block is extracted, then parsed) rather than compete.
SHARE = 0.5


@dataclass(frozen=True, slots=True)
class ActorShare:
    """What one NLP actor asks of the cluster."""

    cpus: float
    gpus: float = 0.0


def actor_pool(
    cpus: int, gpus: float, workers: int | None, per_actor: float | str
) -> list[ActorShare]:
    """The NLP actors of a run on a cluster of ``cpus`` CPUs and ``gpus`` GPUs; ``workers``:
    the ``--jobs`` asked for (None: sized by the cluster); ``per_actor``: the setting
    ``ray_gpus_per_actor`` (``auto``, ``off`` or a share in (0, 1]). GPU actors come first.

    >>> actor_pool(4, 0, None, "auto")
    [ActorShare(cpus=0.5, gpus=0.0), ActorShare(cpus=0.5, gpus=0.0), ActorShare(cpus=0.5, gpus=0.0), ActorShare(cpus=0.5, gpus=0.0)]
    >>> actor_pool(2, 1, None, "auto")
    [ActorShare(cpus=0.5, gpus=1.0), ActorShare(cpus=0.5, gpus=0.0)]
    >>> actor_pool(2, 2, None, 0.5)
    [ActorShare(cpus=0.25, gpus=0.5), ActorShare(cpus=0.25, gpus=0.5), ActorShare(cpus=0.25, gpus=0.5), ActorShare(cpus=0.25, gpus=0.5)]
    >>> actor_pool(2, 2, 1, "auto")
    [ActorShare(cpus=0.5, gpus=1.0)]
    >>> actor_pool(2, 2, None, "off")
    [ActorShare(cpus=0.5, gpus=0.0), ActorShare(cpus=0.5, gpus=0.0)]
    """  # noqa: E501
    count = max(1, workers or cpus)
    if gpus <= 0 or per_actor == "off":
        return [ActorShare(SHARE)] * count
    share = min(1.0, gpus) if per_actor == "auto" else float(per_actor)
    on_gpu = math.floor(gpus / share + 1e-9)
    size = count if workers else max(count, on_gpu)
    on_gpu = min(on_gpu, size)
    cpu = min(SHARE, _down(max(cpus, 1) * SHARE / size))
    return [ActorShare(cpu, share)] * on_gpu + [ActorShare(cpu)] * (size - on_gpu)


def _down(value: float) -> float:
    """``value`` rounded down to Ray's resource precision (0.0001), never to 0."""
    return max(math.floor(value * 10_000) / 10_000, 0.0001)
