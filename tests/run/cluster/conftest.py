"""Fixtures of the Ray executor's tests: one local Ray cluster for the whole package.

The cluster (127.0.0.1, 2 CPUs, no token authentication: ``run/cluster/session.py``) is
started by the first test that asks for it. It declares one GPU, with no device behind it
(Ray's resources are logical): every run's pool then has one actor placed with the GPU
(``sizing.py``), whose spaCy finds no usable GPU (no cupy) and parses on the CPU, so each test
comparing with the local executor also checks the GPU actor's results. It is stopped after
the package's last test, so the test modules share one start-up instead of paying one each.
Tests here that need no Ray (ranges, spill files, the copy index's pieces) never start it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wirewatch.run.cluster.session import ray_session


@pytest.fixture(scope="package")
def ray_cluster() -> Iterator[int]:
    with ray_session(cpus=2, gpus=1) as cpus:
        yield cpus
