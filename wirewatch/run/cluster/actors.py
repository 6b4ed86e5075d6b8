"""The run's NLP actors: one spaCy model each, sized from the cluster's CPUs and GPUs
(``sizing.actor_pool``), each placed with its share; and where each parsed (``Device``).

``ray`` is passed in (``session.ray_module``): this module does not import it.
"""

from __future__ import annotations

from typing import Any

from wirewatch.errors import UsageError
from wirewatch.run.cluster.session import cluster_gpus
from wirewatch.run.cluster.sizing import actor_pool
from wirewatch.run.cluster.work import Device, Understander
from wirewatch.settings import Settings


def start_actors(
    ray: Any, cpus: int, workers: int | None, settings: Settings, target: str | None
) -> list[Any]:
    """The run's NLP actors, sized from the cluster's CPUs and GPUs (``sizing.actor_pool``),
    each placed with its share: an actor given a GPU share asks spaCy for the GPU."""
    gpus = cluster_gpus(ray)
    if settings.ray_gpu_required and gpus <= 0:
        raise UsageError("ray_gpu_required is set but the Ray cluster reports no GPU")
    shares = actor_pool(cpus, gpus, workers, settings.ray_gpus_per_actor)
    actor_class = ray.remote(Understander)
    actors = [
        actor_class.options(num_cpus=share.cpus, num_gpus=share.gpus).remote(
            settings, target, share.gpus, settings.ray_gpu_required and share.gpus > 0
        )
        for share in shares
    ]
    return actors


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
