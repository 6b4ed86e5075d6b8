"""Fixtures of the Ray executor's tests: one local Ray cluster for the whole package.

The cluster (127.0.0.1, 2 CPUs, no token authentication: ``run/cluster/session.py``) is
started by the first test that asks for it and stopped after the package's last test, so
the test modules share one start-up instead of paying one each. Tests here that need no Ray
(ranges, spill files, the copy index's pieces) never start it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wirewatch.run.cluster.session import ray_session


@pytest.fixture(scope="package")
def ray_cluster() -> Iterator[int]:
    with ray_session(cpus=2) as cpus:
        yield cpus
