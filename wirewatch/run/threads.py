"""One thread per process for the numeric libraries under the stages.

wirewatch runs in parallel by processes (``nlp_processes``, ``ingest --jobs``). numpy's OpenBLAS
(used by language identification, MinHash and spaCy's vectors) otherwise starts a thread per
core in every process, and those threads spin on the cores the other processes need: measured
on ``bench/warc.py``, the same extraction took 42.5 CPU seconds in 23.5 s with them and 22.7 CPU
seconds in 21.4 s without. A thread count the user set in the environment is respected.
"""

from __future__ import annotations

import os

_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_done = False


def single_threaded_numerics() -> None:
    """Limit BLAS/OpenMP pools to one thread in this process (once; idempotent).

    Libraries loaded later, and worker processes started later, read the environment;
    libraries already loaded are limited through threadpoolctl.
    """
    global _done
    if _done:
        return
    _done = True
    if any(name in os.environ for name in _VARIABLES):
        return
    for name in _VARIABLES:
        os.environ[name] = "1"
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)
