"""How many worker processes a run uses: the ``auto`` of ``extract_workers`` and ``nlp_processes``.

``auto`` is the usable cores (the CPU affinity of this process, so a container's or
``taskset``'s limit counts), bounded by memory: no more workers than the memory available now
holds at the peak resident size one worker was measured to reach (``docs/performance.md``),
keeping a quarter of it free. A number set by the user is taken as it is.
"""

from __future__ import annotations

import os

from wirewatch.settings import Settings

_MIB = 1024 * 1024
# Peak resident memory of one worker, measured on the WCXB dev pages (docs/performance.md),
# rounded up: an extraction worker (bench/extract.py: 233 MiB, pages shared with the process
# it was forked from included; 174 to 182 MiB over 2,100 pages in a row), and a process parsing
# with en_core_web_md (bench/ingest.py, 200 pages, defaults: 4,258 MiB for the whole process
# tree with two spaCy processes and two extraction workers, the largest process 1,929 MiB).
EXTRACT_WORKER_BYTES = 256 * _MIB
NLP_PROCESS_BYTES = 2000 * _MIB


def usable_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def available_memory() -> int | None:
    """Bytes of memory available to new processes now (``MemAvailable``), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def auto_workers(per_worker: int, *, memory: int | None = None, cores: int | None = None) -> int:
    """Cores, bounded by how many workers of ``per_worker`` bytes 3/4 of ``memory`` holds.

    >>> auto_workers(100, memory=1000, cores=16)
    7
    >>> auto_workers(100, memory=50, cores=4)
    1
    """
    cores = cores if cores is not None else usable_cores()
    memory = memory if memory is not None else available_memory()
    if memory is None:
        return cores
    return max(1, min(cores, (memory * 3 // 4) // per_worker))


def extract_workers(settings: Settings) -> int:
    """The extraction worker processes a run starts."""
    if settings.extract_workers == "auto":
        return auto_workers(EXTRACT_WORKER_BYTES)
    return int(settings.extract_workers)


def nlp_processes(settings: Settings) -> int:
    """The spaCy processes (``nlp.pipe`` ``n_process``) a run uses."""
    if settings.nlp_processes == "auto":
        return auto_workers(NLP_PROCESS_BYTES)
    return int(settings.nlp_processes)
