"""The burner dies with handoff: a disc write must never go on after the process that records it is gone.

Killed with ``kill -9`` during ``media burn``, handoff used to leave xorriso running: it wrote the whole disc
while the medium still read "waiting to be burned" and the ledger held nothing. Now the kernel sends the burner
SIGTERM the moment handoff dies (Linux ``prctl(PR_SET_PDEATHSIG)``, set in the child between fork and exec).

Why this and not a new process group with a watchdog: a watchdog would be one more process that must itself
outlive a ``kill -9`` of handoff and be owned and ended in turn; the parent-death signal is delivered by the
kernel itself, needs no extra process, and stays set across the exec of xorriso (it is not set-uid). Why SIGTERM
and not SIGKILL: xorriso (libburn) catches SIGTERM, stops writing and releases the drive; a drive abandoned in
the middle of a write by SIGKILL may stay locked until it is unplugged. The disc is unusable either way — the
next command finds the medium still marked ``burning`` and marks it unusable (``handoff.media.burn``).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child receive SIGTERM when this process dies; None off Linux.

    The signal is tied to the *thread* that starts the child, so the child must be started by the thread that
    waits for it (the command's own thread, as ``media burn`` does). The function runs in the child between
    fork and exec, where another thread of the parent may have held a lock at the fork: it only makes the system
    call (looked up here, before the fork) and compares two process ids.
    """
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # no C library with prctl: not Linux
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    parent = os.getpid()
    term = int(signal.SIGTERM)

    def arm() -> None:
        prctl(PR_SET_PDEATHSIG, term, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was armed: it would never come
            os._exit(1)

    return arm
