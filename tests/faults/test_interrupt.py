"""Ctrl+C (SIGINT) and SIGTERM at any point of a command: exit 130 with a message on stderr, never a traceback,
never a half-written file under its final name, and a ledger that still verifies.

The signals are real, sent to the CLI in a subprocess at several moments of a run of a few thousand rows (while
the libraries load, while rows are checked, while the ZIP and the disc image are written).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handoff import runtime
from tests.faults.conftest import FaultSite, assert_clean_failure

INTERRUPTED = ("[system.interrupted]", "[run.interrupted")  # the run says itself what it removed, when it can


def _secrets(export: Path) -> list[str]:
    """Names and addresses from a synthetic CP932 export: what must never be shown or logged."""
    fields = (f for line in export.read_bytes().decode("cp932").splitlines() for f in line.split(","))
    return sorted({f for f in fields if len(f) >= 5 and not f.isascii()})[:60]


def _interrupted_run(site: FaultSite, export: Path, cycle: str, delays: list[float],
                     sig: signal.Signals = signal.SIGINT) -> subprocess.CompletedProcess[str]:
    """``handoff run`` in a subprocess, sent ``sig`` after each of ``delays`` (seconds, one after the other)."""
    proc = subprocess.Popen([sys.executable, "-m", "handoff", "run", "seikatsu-hogo", "--input", str(export),
                             "--cycle", cycle, "--reason", "interrupted-run test"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                            env=site.env())
    for delay in delays:
        time.sleep(delay)
        proc.send_signal(sig)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _assert_interrupted(site: FaultSite, proc: subprocess.CompletedProcess[str], export: Path) -> None:
    """Exit 130, the interruption said in Japanese, nothing half-written left, the ledger intact."""
    assert_clean_failure(proc, 130, None, secrets=_secrets(export), log=site.log)
    assert any(code in proc.stderr for code in INTERRUPTED), proc.stderr
    assert "中断しました" in proc.stderr and "Exception ignored" not in proc.stderr
    leftovers = [p for p in site.data.rglob("*") if p.name.endswith((".part", ".unverified"))]
    assert not leftovers
    assert site.run("ledger", "verify").returncode == 0


@pytest.fixture
def timed_export(fault_site: FaultSite) -> tuple[Path, float]:
    """A 6,000-row export and how long an uninterrupted run of it takes here (the signals land within that)."""
    export = fault_site.sample("seikatsu-hogo", 6000)
    start = time.monotonic()
    full = fault_site.run("run", "seikatsu-hogo", "--input", str(export), "--cycle", "2026-11")
    assert full.returncode in (0, 1), full.stderr
    return export, time.monotonic() - start


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.45, 0.6, 0.75])
def test_ctrl_c_during_a_run_is_exit_130_with_a_message(fault_site: FaultSite, timed_export: tuple[Path, float],
                                                        fraction: float) -> None:
    """Ctrl+C at a point of the run (start-up, checks, ZIP, disc image): exit 130, 中断しました, no traceback."""
    export, duration = timed_export
    proc = _interrupted_run(fault_site, export, "2026-10", [duration * fraction])
    _assert_interrupted(fault_site, proc, export)


def test_sigterm_is_handled_like_ctrl_c(fault_site: FaultSite, timed_export: tuple[Path, float]) -> None:
    """SIGTERM (a service stop, a shutdown) ends the run as Ctrl+C does: exit 130 with the message."""
    export, duration = timed_export
    proc = _interrupted_run(fault_site, export, "2026-10", [duration * 0.5], signal.SIGTERM)
    _assert_interrupted(fault_site, proc, export)


@pytest.mark.parametrize("gap", [0.005, 0.05, 0.2])
def test_repeated_ctrl_c_cannot_cut_the_cleanup_short(fault_site: FaultSite, timed_export: tuple[Path, float],
                                                      gap: float) -> None:
    """Ctrl+C pressed again and again (during the cleanup, the report, the exit): still exit 130, one message."""
    export, duration = timed_export
    proc = _interrupted_run(fault_site, export, "2026-10", [duration * 0.5, gap, gap, gap])
    _assert_interrupted(fault_site, proc, export)
    assert proc.stderr.count("終了コード 130") == 1


def test_ctrl_c_while_handoff_loads_waits_and_is_reported(fault_site: FaultSite) -> None:
    """A Ctrl+C that arrives while the command's libraries load is held and reported once the command starts."""
    probe = ("import os, signal, sys\n"
             "sys.argv[0] = 'handoff'\n"  # as the installed command is started
             "import handoff.cli as cli\n"
             "os.kill(os.getpid(), signal.SIGINT)\n"
             "cli.main(['ledger', 'verify'])\n")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env=fault_site.env(), timeout=120)
    assert_clean_failure(proc, 130, "system.interrupted", log=fault_site.log)
    assert "中断しました" in proc.stderr


def test_the_guard_raises_once_then_ignores_and_restores() -> None:
    """The first SIGINT raises, later ones do not, the OS ignores them after the command, restore puts back."""
    before = signal.getsignal(signal.SIGINT)
    guard = runtime.INTERRUPTS
    guard.install()
    try:
        guard.arm()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)  # the handler runs here, in the main thread
        os.kill(os.getpid(), signal.SIGTERM)  # counted, not raised (a third would stop this process at once)
        time.sleep(0.05)
        assert guard.received == 2
        guard.settle()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        guard.restore()
    assert signal.getsignal(signal.SIGINT) is before
    assert guard.mode == "wait" and guard.received == 0


def test_an_interrupt_inside_a_del_is_raised_after_it() -> None:
    """A Ctrl+C landing in a ``__del__`` (where Python would only print it) is raised in the code that follows."""
    guard = runtime.INTERRUPTS
    guard.install()

    class Slow:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # the handler runs in here, and must not raise here

    try:
        guard.arm()
        with pytest.raises(KeyboardInterrupt):
            Slow()  # dropped at once
            assert guard.received == 1 and not guard.raised
            time.sleep(1)
        assert guard.raised
    finally:
        guard.restore()


def test_a_third_interrupt_stops_a_hung_cleanup_at_once(fault_site: FaultSite) -> None:
    """Ctrl+C twice more after the first one's cleanup hung 5 s: exit 130 at once, system.hard_stop, no traceback."""
    probe = ("import os, signal, time\n"
             "from handoff import runtime\n"
             "guard = runtime.INTERRUPTS\n"
             "guard.install()\n"
             "guard.arm()\n"
             "try:\n"
             "    os.kill(os.getpid(), signal.SIGINT)\n"
             "    time.sleep(5)\n"
             "except KeyboardInterrupt:\n"
             f"    time.sleep({runtime.HARD_STOP_GRACE} + 0.5)\n"
             "    for _ in range(2):\n"
             "        os.kill(os.getpid(), signal.SIGINT)\n"
             "    time.sleep(30)  # a cleanup that hangs\n"
             "print('not stopped')\n")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env=fault_site.env(), timeout=60)
    assert time.monotonic() - started < 20
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr and "not stopped" not in proc.stdout
    assert "直ちに停止しました" in proc.stderr

