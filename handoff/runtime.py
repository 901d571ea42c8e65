"""Process set-up, done once by the entry point: the cycle collector, the libraries' allocator settings, and the
number of worker threads the column work uses.

Every setting here is read or made before numpy and pyarrow load; a value the site has set in the environment is
left alone.
"""

from __future__ import annotations

import os
from functools import cache

WORKERS_ENV = "HANDOFF_WORKERS"


@cache
def workers() -> int:
    """Threads for column work that splits across cores: ``HANDOFF_WORKERS``, else the cores this process may use.

    Read once per process. The column kernels release the GIL (numpy, Arrow, iconv), so one thread per core
    keeps every core busy; a site that shares its server with other work sets a smaller number.
    """
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return max(1, len(os.sched_getaffinity(0)))


def collect_less() -> None:
    """Run Python's cycle collector after 50,000 new container objects instead of after 700.

    A run's rows live in numpy and Arrow buffers, not in Python objects. What handoff does make in numbers
    (findings, and the modules, classes and functions pandas and pyarrow create while they are imported) lives
    until the command ends, yet at the default threshold the collector walks all of it again and again for a
    large run. Cycles are still collected, only less often.
    """
    import gc

    gc.set_threshold(50_000, 10, 10)


def library_settings() -> None:
    """Settings the libraries read when they load, chosen for a run's large columns on a small machine.

    - pyarrow's allocator (mimalloc) keeps freed memory for a second (``MIMALLOC_PURGE_DELAY``; mimalloc 2's
      own default gives it back after 10 ms), so the next stage's buffers reuse a stage's freed buffers instead
      of arriving as fresh pages that the kernel must zero first (with the default, a large ``check`` spends
      much of its time in the kernel zeroing pages).
    - mimalloc does not commit its 1 GiB arena up front (``MIMALLOC_ARENA_EAGER_COMMIT=0``). Committed up
      front, the arena is marked for transparent huge pages, so every first touch makes the kernel zero a whole
      2 MiB page, and memory given back is zeroed again in 2 MiB pages when it is reused; peak memory is the
      same either way.
    - numpy's OpenBLAS starts no thread pool (``OPENBLAS_NUM_THREADS=1``). handoff does no floating-point
      linear algebra, yet the pool's threads spin while numpy loads, taking time on the second core away from
      the read-ahead.

    They are set before any command imports numpy or pyarrow; a value set by the site is left alone.
    """
    import os

    os.environ.setdefault("MIMALLOC_PURGE_DELAY", "1000")
    os.environ.setdefault("MIMALLOC_ARENA_EAGER_COMMIT", "0")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def skip_exit_collection() -> None:
    """When the command is done, put every live object out of the cycle collector's reach (``gc.freeze``).

    While Python shuts down it collects cycles once more, walking every object that pandas, pyarrow and the
    command left alive, which for a large run takes a noticeable time for nothing. The commands close
    their files and databases themselves and the log is written line by line, so no cleanup waits on it.
    """
    import gc

    gc.freeze()
