"""The run's NLP actors: one spaCy model each, sized from the cluster's CPUs and GPUs
(``sizing.actor_pool``), each placed with its share; and where each parsed (``Device``).

The same sizing serves both ways a run uses actors: the Ray Data pool of ``map_batches``
(``pipeline.py``: ``pool_options`` gives its size and each actor's CPUs and GPUs) and the
core Ray actors that store blocks in PostgreSQL (``start_actors``). ``ray`` is passed in
(``session.ray_module``): this module does not import it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from wirewatch.errors import UsageError
from wirewatch.run.cluster.session import cluster_gpus
from wirewatch.run.cluster.sizing import ActorShare, actor_pool
from wirewatch.run.cluster.work import Device, Understander
from wirewatch.settings import Settings


def pool_shares(ray: Any, cpus: int, workers: int | None, settings: Settings) -> list[ActorShare]:
    """What each of the run's NLP actors asks of the cluster (GPU actors first)."""
    gpus = cluster_gpus(ray)
    if settings.ray_gpu_required and gpus <= 0:
        raise UsageError("ray_gpu_required is set but the Ray cluster reports no GPU")
    return actor_pool(cpus, gpus, workers, settings.ray_gpus_per_actor)


def pool_options(shares: list[ActorShare]) -> tuple[int, dict[str, Any]]:
    """The size of a Ray Data pool of these actors, and the ``map_batches`` options giving
    each actor its CPUs and GPUs. When the pool mixes GPU and CPU actors (more workers than
    GPU shares), Ray Data is given them one actor at a time (``ray_remote_args_fn``, called
    as each actor starts, in pool order); otherwise every actor asks for the same."""
    options: dict[str, Any] = {}
    if len(set(shares)) == 1:
        options["num_cpus"] = shares[0].cpus
        if shares[0].gpus > 0:
            options["num_gpus"] = shares[0].gpus
        return len(shares), options
    following = itertools.cycle(shares)  # an actor restarted asks in turn as well
    options["num_cpus"] = min(share.cpus for share in shares)
    options["ray_remote_args_fn"] = _each(following)
    return len(shares), options


def _each(following: itertools.cycle[ActorShare]) -> Callable[[], dict[str, float]]:
    def remote_args() -> dict[str, float]:
        share = next(following)
        return {"num_cpus": share.cpus, "num_gpus": share.gpus}

    return remote_args


def start_actors(ray: Any, shares: list[ActorShare], settings: Settings, target: str) -> list[Any]:
    """Core Ray actors that store blocks in ``target`` (PostgreSQL), each placed with its
    share: an actor given a GPU share asks spaCy for the GPU."""
    actor_class = ray.remote(Understander)
    return [
        actor_class.options(num_cpus=share.cpus, num_gpus=share.gpus).remote(
            settings, target, share.gpus, settings.ray_gpu_required and share.gpus > 0
        )
        for share in shares
    ]


def actor_devices(ray: Any, actors: list[Any]) -> list[Device]:
    """Where each NLP actor parsed, as it reports it; an actor that died reports nothing."""
    asked = [actor.device.remote() for actor in actors]
    devices = []
    for pending in asked:
        try:
            devices.append(ray.get(pending))
        except Exception:  # a dead actor: nothing to report
            continue
    return devices
