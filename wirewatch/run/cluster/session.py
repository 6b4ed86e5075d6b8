"""Start a local Ray cluster or join an existing one, for one run.

A local cluster is bound to 127.0.0.1, has no dashboard, sends no usage statistics and runs
without Ray's token authentication (nothing outside this machine can reach it); it is stopped
when the run ends. Joining (``address``: ``HOST:PORT`` or ``auto``) leaves the cluster as it
was. When this process is already connected to Ray (a test, a notebook), that connection is
used and kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from wirewatch.cores import usable_cores
from wirewatch.errors import UsageError

LOCAL_HOST = "127.0.0.1"


def _ray() -> Any:
    """The ``ray`` module, imported with usage statistics off (before Ray reads the setting)."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError as exc:  # pragma: no cover - ray is a pinned dependency
        raise UsageError(f"--executor ray needs the ray package: {exc}") from exc
    return ray


@contextmanager
def ray_session(
    address: str | None = None, *, cpus: int | None = None, gpus: int | None = None
) -> Iterator[int]:
    """Connected to Ray for the ``with`` block; yields the cluster's CPUs. A local cluster
    has ``cpus`` CPUs (all usable ones by default) and ``gpus`` GPUs (None: the ones Ray
    finds; a number declares that many, whether or not a device is there)."""
    ray = _ray()
    started = False
    if not ray.is_initialized():
        if address is None:
            os.environ["RAY_AUTH_MODE"] = "disabled"
            ray.init(
                num_cpus=cpus or usable_cores(),
                num_gpus=gpus,
                include_dashboard=False,
                _node_ip_address=LOCAL_HOST,
                configure_logging=False,
                log_to_driver=False,
            )
        else:
            os.environ.setdefault("RAY_AUTH_MODE", "disabled")
            try:
                ray.init(address=address, configure_logging=False, log_to_driver=False)
            except ConnectionError as exc:
                raise UsageError(f"cannot join the Ray cluster at {address}: {exc}") from exc
        started = True
    try:
        yield max(1, int(ray.cluster_resources().get("CPU", 1)))
    finally:
        if started:
            ray.shutdown()


def cluster_gpus(ray: Any) -> float:
    """The GPUs the connected cluster reports (0 when it has none)."""
    return float(ray.cluster_resources().get("GPU", 0))


def ray_module() -> Any:
    """``ray``, for the executor (imported only when a run uses it)."""
    return _ray()
