"""Process set-up, done once by the entry point: the cycle collector, the libraries' allocator settings, and the
number of worker threads the column work uses.

Every setting here is read or made before numpy and pyarrow load; a value the site has set in the environment is
left alone.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from functools import cache
from signal import SIGINT
from types import FrameType
from typing import Any, NoReturn

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


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside the block: for work that builds a great many objects that all live until it
    ends (the audit holds every ledger entry as a dict), where each collection would only walk them again.
    What the block leaves behind is collected after it, at the usual thresholds."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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


def end_process(code: int | None) -> NoReturn:
    """End the command's process now, with ``code``, without the interpreter's shutdown (``os._exit``).

    The outcome has been reported and the log written line by line; the commands close their own files and
    databases. What the shutdown would still do is harmful or wasted: it collects cycles once more over every
    object pandas and pyarrow left alive (a noticeable time after a large run), and native libraries then tear down
    their thread pools, where pyarrow's can abort the process ("terminate called without an active exception",
    exit -6) after handoff has already said how the command ended, most often after Ctrl+C left a worker busy.
    Only standard output and error, which Python buffers, are flushed first.
    """
    import sys

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a reader that went away (``| head``) changes no exit code
            stream.flush()
    os._exit(0 if code is None else code)


class _InterruptGuard:
    """Ctrl+C (SIGINT) and SIGTERM while handoff runs.

    The first signal raises KeyboardInterrupt once, in the main thread, so the command's cleanup (a ``finally``,
    a worker pool's wait) runs to its end; later signals are only counted, so they cannot cut that cleanup or the
    error report short. Where raising would do harm (inside an import, a ``__del__``) it is raised a moment later.
    Before the command starts (while the libraries load) a signal waits and is raised as soon as the command
    starts; after the command has ended, signals are ignored and its own exit code stands.
    """

    def __init__(self) -> None:
        self._previous: dict[int, Any] = {}
        self._reset()

    def _reset(self) -> None:
        self.mode = "wait"  # wait (before the command) · raise (during it) · ignore (after it)
        self.received = 0
        self.raised = False
        self.raised_at = 0.0
        self._retries = 0

    def install(self) -> None:
        import signal
        import threading

        if self._previous or threading.current_thread() is not threading.main_thread():
            return  # installed already, or not allowed (signals belong to the main thread)
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._on_signal)

    def restore(self) -> None:
        import signal

        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()
        self._reset()  # a fresh guard for the next command in this process

    def arm(self) -> None:
        """The command starts: a signal that came while it loaded is raised now."""
        self.mode = "raise"
        if self.received and not self.raised:
            self.raised = True
            self.raised_at = time.monotonic()
            raise KeyboardInterrupt

    def settle(self) -> None:
        """The command has ended (its outcome reported): from here on a signal changes nothing.

        The signals are ignored by the operating system itself, not by Python: while the interpreter shuts down
        it puts a Python-level handler back to the default, and a Ctrl+C then would kill the process (exit -2).
        """
        import signal

        self.mode = "ignore"
        for sig in self._previous:
            signal.signal(sig, signal.SIG_IGN)

    def lost(self) -> None:
        """The KeyboardInterrupt ended where it cannot propagate (a callback, a ``__del__``): raise it again."""
        if self.mode == "raise" and self.raised:
            self.raised = False
            self._retry()

    def _on_signal(self, _signum: int, frame: FrameType | None) -> None:
        if self._retries:
            self._retries -= 1  # our own retry, not a new signal
        else:
            self.received += 1
        if (self.mode == "raise" and self.raised and self.received >= HARD_STOP_AFTER
                and time.monotonic() - self.raised_at >= HARD_STOP_GRACE):
            _hard_stop()
        if self.mode != "raise" or self.raised:
            return
        if _unsafe(frame):
            self._retry()
            return
        self.raised = True
        self.raised_at = time.monotonic()
        raise KeyboardInterrupt

    def _retry(self) -> None:
        """Deliver the signal again in 10 ms; the main thread handles it at its next safe point."""
        import _thread
        import threading

        self._retries += 1
        timer = threading.Timer(0.01, _thread.interrupt_main, args=(SIGINT,))
        timer.daemon = True
        timer.start()


# A third Ctrl+C, once the first one's cleanup has run for HARD_STOP_GRACE seconds, stops the process at once: the
# way out if that cleanup hangs, while keys pressed in a hurry still cannot cut a cleanup short. Stopping is as safe
# as kill -9, which handoff is built to survive (the next start abandons the unfinished job).
HARD_STOP_AFTER = 3
HARD_STOP_GRACE = 5.0


def _hard_stop() -> None:
    """Stop now, exit 130, with one line on stderr (written directly: nothing else may run)."""

    from handoff.messages import render

    try:
        os.write(2, f"{render('system.hard_stop')}\n".encode())
    finally:
        os._exit(130)


def _unsafe(frame: FrameType | None) -> bool:
    """Would an exception raised in ``frame`` be lost or leave a lock held? Inside the import machinery (a module
    lock's weakref callback holds the global import lock: interrupted there, every later import hangs) or a
    ``__del__`` (whose exceptions are only printed)."""
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith("<frozen importlib") or code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


INTERRUPTS = _InterruptGuard()


def started_as_command() -> bool:
    """Is this process the ``handoff`` command itself (``python -m handoff`` or the installed script)?"""
    import sys

    main = sys.modules.get("__main__")
    spec_name = getattr(getattr(main, "__spec__", None), "name", "")
    argv = getattr(sys, "argv", None) or [""]
    from pathlib import Path

    return spec_name == "handoff.__main__" or Path(argv[0]).name == "handoff"
