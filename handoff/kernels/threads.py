"""The thread pools of the column work: one pool size for the whole process, and two pieces at once.

Most of handoff's column work runs in numpy, Arrow and C libraries that release the GIL, so pieces that share
no data use every core of a small office server. The pool size is ``runtime.workers()`` everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from handoff.runtime import workers

A = TypeVar("A")
B = TypeVar("B")


def pool(name: str) -> ThreadPoolExecutor:
    """A pool of ``runtime.workers()`` threads named ``name`` (use it in a ``with`` block)."""
    return ThreadPoolExecutor(max_workers=workers(), thread_name_prefix=name)


def overlapped(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """``(first(), second())``, with ``first`` on a worker thread while ``second`` runs here.

    Neither may write what the other reads. When both fail, ``first``'s error is raised (``second``'s is its
    context); when only one fails, its error is raised after the other has finished.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="overlap") as one:
        future = one.submit(first)
        try:
            b = second()
        except BaseException:
            future.result()  # raises the first piece's own error, if it has one
            raise
        return future.result(), b
