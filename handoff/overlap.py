"""Two independent pieces of work at once: one on a worker thread, one on the caller's.

Most of handoff's column work runs in numpy, Arrow and C libraries that release the GIL, so two such pieces
that share no data use both cores of a small office server. Errors are reported as if the two had run one
after the other: the first piece's error is the one raised.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")


def overlapped(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """``(first(), second())``, with ``first`` on a worker thread while ``second`` runs here.

    Neither may write what the other reads. When both fail, ``first``'s error is raised (``second``'s is its
    context); when only one fails, its error is raised after the other has finished.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="overlap") as pool:
        future = pool.submit(first)
        try:
            b = second()
        except BaseException:
            future.result()  # raises the first piece's own error, if it has one
            raise
        return future.result(), b
