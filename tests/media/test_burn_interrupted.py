"""A burn that is cut off: the medium is ``burning`` while xorriso writes, xorriso dies with ``media burn``, and
the next command marks the half-written disc unusable and records it as a failed write (to be destroyed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handoff.errors import StateError
from handoff.fs import JobDir
from handoff.media.burn import INTERRUPTED, burn, settle_interrupted
from handoff.media.status import burn_lock_path, medium_status, write_status
from tests.conftest import Runner
from tests.media.slow_drive import slow_xorriso
from tests.media.test_cli import finished
from tests.package.helpers import Sealed, seal
from tests.package.test_wiring import STAFF, entries, init_site, prepare_job

pytestmark = pytest.mark.skipif(shutil.which("xorriso") is None, reason="xorriso not installed")


@pytest.fixture
def sealed(tmp_path: Path) -> Sealed:
    return seal(tmp_path / "data", rows=30)


@pytest.fixture
def site_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An initialised site (overrides the conftest one, which has no ledger), selected through HANDOFF_HOME."""
    home = init_site(tmp_path / "site")
    monkeypatch.setenv("HANDOFF_HOME", str(home))
    return home


def gone(pid: int, within: float) -> bool:
    """The process has ended (or is a zombie nobody reaps) within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def children(pid: int) -> list[int]:
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
            for c in (task / "children").read_text().split()]


def test_burn_marks_the_medium_burning_before_the_burner_starts(sealed: Sealed, tmp_path: Path) -> None:
    """A good burn passes through ``burning`` (with the burning process's id) on its way to ``verified``."""
    image = sealed.images[0]
    burn(sealed.job, image.medium_id, f"stdio:{tmp_path / 'disc.iso'}")
    status = medium_status(sealed.job, image.medium_id)
    assert [h["state"] for h in status.details["history"]] == ["written", "burning", "verified"]
    assert status.details["pid"] == os.getpid() and status.details["device"] == f"stdio:{tmp_path / 'disc.iso'}"


def test_a_burning_medium_that_nobody_burns_becomes_unusable(sealed: Sealed, tmp_path: Path) -> None:
    """``burning`` left behind by a dead burn is settled to ``unusable`` (media.burn_interrupted), never burned."""
    mid = sealed.images[0].medium_id
    write_status(sealed.job, mid, "burning", device="stdio:/nowhere.iso", pid=1)
    (settled,) = settle_interrupted(sealed.job)
    assert settled.state == "unusable" and settled.details["reason"] == INTERRUPTED
    assert settled.details["device"] == "stdio:/nowhere.iso"
    with pytest.raises(StateError) as err:
        burn(sealed.job, mid, f"stdio:{tmp_path / 'disc.iso'}")
    assert err.value.code == "media.state_unusable" and not (tmp_path / "disc.iso").exists()


def test_a_burn_in_progress_is_left_alone_and_a_second_burn_refused(sealed: Sealed, tmp_path: Path) -> None:
    """While the burning process holds the medium's lock, ``burning`` stays and another burn is refused."""
    mid = sealed.images[0].medium_id
    write_status(sealed.job, mid, "burning", device="stdio:/nowhere.iso", pid=os.getpid())
    held = JobDir.try_lock(burn_lock_path(sealed.job, mid))
    assert held is not None
    try:
        assert settle_interrupted(sealed.job) == []
        with pytest.raises(StateError) as err:
            burn(sealed.job, mid, f"stdio:{tmp_path / 'disc.iso'}")
        assert err.value.code == "media.busy"
        assert medium_status(sealed.job, mid).state == "burning"
    finally:
        os.close(held)
    assert settle_interrupted(sealed.job)[0].state == "unusable"


PARENT = """
import subprocess, sys
from handoff.media.child import die_with_parent
armed = sys.argv[1] == "armed"
child = subprocess.Popen(["sleep", "60"], preexec_fn=die_with_parent() if armed else None)
print(child.pid, flush=True)
sys.stdin.read()
"""


@pytest.mark.parametrize("armed", [True, False])
def test_the_burner_dies_with_its_parent(armed: bool) -> None:
    """A child started with ``die_with_parent`` ends when its parent is killed with SIGKILL; one without lives on."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT, "armed" if armed else "plain"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    try:
        assert gone(child, 10 if armed else 1.5) is armed
    finally:
        if not armed:
            os.kill(child, 9)


def test_killed_media_burn_stops_the_burner_and_the_disc_is_recorded_failed(cli: Runner, site_dir: Path,
                                                                            tmp_path: Path) -> None:
    """kill -9 of media burn mid-write: xorriso stops; the medium turns unusable and is recorded as failed."""
    home = site_dir
    s = finished(prepare_job(home))
    image = s.images[0]
    disc = tmp_path / "disc.iso"
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_STAFF": STAFF,
           "PATH": f"{slow_xorriso(tmp_path / 'bin', chunk=16384, pause=0.25)}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.Popen([sys.executable, "-m", "handoff", "media", "burn", s.job.job_id, "--device",
                             f"stdio:{disc}", "--yes"], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    burner = wait_for_burner(proc, disc)
    proc.kill()
    proc.wait()
    assert gone(burner, 30), "xorriso kept writing after media burn was killed"
    written = disc.stat().st_size
    time.sleep(0.5)
    assert disc.stat().st_size == written < image.size
    assert medium_status(s.job, image.medium_id).state == "burning"
    listing = cli("media", "list", s.job.job_id)
    assert listing.returncode == 0 and "使用不可" in listing.stdout and "書込みは途中で止まりました" in listing.stderr
    status = medium_status(s.job, image.medium_id)
    assert status.state == "unusable" and status.details["reason"] == INTERRUPTED and status.details["pid"] == proc.pid
    other = tmp_path / "other.iso"
    again = cli("media", "burn", s.job.job_id, "--staff", STAFF, "--device", f"stdio:{other}", "--yes")
    assert again.returncode == 0 and "書込み・検証失敗" in again.stdout and not other.exists()
    (entry,) = entries(home, "medium.written")
    assert entry.payload["verified"] is False and entry.payload["drive"] == f"stdio:{disc}"
    handover = cli("custody", "handover", "--medium", image.medium_id, "--handler", "V01-H1", "--quantity", "1",
                   "--bag", "BAG-1", "--staff", STAFF, "--yes")
    assert handover.returncode == 6 and "[custody.not_verified]" in handover.stderr
    assert cli("ledger", "verify").returncode == 0


def wait_for_burner(proc: subprocess.Popen[bytes], disc: Path, within: float = 60) -> int:
    """The pid of the xorriso that writes ``disc`` for ``proc``, once some of the disc is written."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        assert proc.poll() is None, "media burn ended before it was killed"
        kids = children(proc.pid)
        if kids and disc.exists() and disc.stat().st_size > 0:
            return kids[0]
        time.sleep(0.02)
    raise AssertionError("the burn never started")
