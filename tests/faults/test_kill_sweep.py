"""kill -9 swept over a run — at every step boundary and at timed moments — and over a burn while xorriso writes.

After each kill: no plaintext (the proof sheet, a value from the export) anywhere but in a job's ``internal/``;
after the next start no incomplete job folder at all; the ledger verifies; the killed job is either usable
(``internal/job.json``: it burns) or abandoned (its burn refused, exit 9) — never half usable; and an abandoned
job's cycle is made again without ``--reason``. A killed burn leaves no burner writing and a disc recorded failed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handoff.pipeline.run import FAULT_POINTS
from tests.faults.conftest import FaultSite, assert_clean_failure
from tests.faults.test_interrupted_jobs import job_folders, ledger_entries, secrets_of
from tests.media.slow_drive import slow_xorriso
from tests.media.test_burn_interrupted import gone, wait_for_burner

CYCLE = "2026-10"


def plaintext_outside_internal(site: FaultSite, values: list[str]) -> list[str]:
    """Files of the site and its temporary folder, other than a job's ``internal/``, that are a proof sheet or
    hold a value from the export (in UTF-8 or CP932) — the ZIP, the disc images and the log included."""
    found = []
    for root in (site.home, site.tmp):
        for path in root.rglob("*"):
            if not path.is_file() or path.is_symlink() or "internal" in path.relative_to(root).parts:
                continue
            if "proof.pdf" in path.name:
                found.append(str(path))
                continue
            data = path.read_bytes()
            if any(v.encode("utf-8") in data or v.encode("cp932") in data for v in values):
                found.append(str(path))
    return found


def after_the_kill(site: FaultSite, export: Path) -> None:
    """The checks every kill ends with; the next start is a ``media burn`` of each job the kill left."""
    values = secrets_of(export)
    assert not plaintext_outside_internal(site, values)
    left = job_folders(site)
    usable = {f.name for f in left if (f / "internal" / "job.json").is_file()}
    for folder in left:
        disc = site.tmp.parent / f"{folder.name}.iso"
        burn = site.run("media", "burn", folder.name, "--device", f"stdio:{disc}", "--yes")
        if folder.name in usable:
            assert burn.returncode == 0, burn.stderr
        else:
            assert_clean_failure(burn, 9, "job.incomplete", secrets=values, log=site.log)
            assert not disc.exists() and not folder.exists()
    jobs = site.data / "jobs"
    assert all((f / "internal" / "job.json").is_file() for f in job_folders(site))
    assert not [p for p in jobs.iterdir() if p.name.startswith(".")] if jobs.exists() else True
    assert site.run("ledger", "verify").returncode == 0
    abandoned = {e.job for e in ledger_entries(site, "job.abandoned")}
    assert not abandoned & usable
    rerun = site.run("run", "seikatsu-hogo", "--input", str(export), "--cycle", CYCLE)
    if usable:  # the cycle was handed over by a complete job: a second one needs a reason
        assert_clean_failure(rerun, 9, "run.cycle_done", secrets=values, log=site.log)
    else:
        assert rerun.returncode in (0, 1), rerun.stderr
    assert not plaintext_outside_internal(site, values)


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_kill_at_every_step_boundary(any_site: FaultSite, point: str) -> None:
    """kill -9 right after each step of a 300-row run (and right after the ledger's record), on each backend."""
    export = any_site.sample("seikatsu-hogo", 300)
    killed = any_site.run("run", "seikatsu-hogo", "--input", str(export), "--cycle", CYCLE, HANDOFF_FAULT_AT=point)
    assert killed.returncode == -signal.SIGKILL
    after_the_kill(any_site, export)


@pytest.mark.parametrize("after", [0.5, 1.0, 1.5, 2.0, 3.0])
def test_kill_at_a_timed_moment(fault_site: FaultSite, after: float) -> None:
    """kill -9 after a fixed time of a 3,000-row run: wherever it lands (even after the run ended), the same."""
    export = fault_site.sample("seikatsu-hogo", 3000)
    proc = subprocess.Popen([sys.executable, "-m", "handoff", "run", "seikatsu-hogo", "--input", str(export),
                             "--cycle", CYCLE], env=fault_site.env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    proc.kill()
    proc.wait()
    after_the_kill(fault_site, export)


@pytest.mark.parametrize("share", [0.0, 0.5])
def test_kill_while_xorriso_writes(fault_site: FaultSite, share: float) -> None:
    """kill -9 of media burn as the disc starts or halfway: xorriso stops, the disc is recorded failed, never out."""
    site = fault_site
    export = site.sample("seikatsu-hogo", 300)
    assert site.run("run", "seikatsu-hogo", "--input", str(export), "--cycle", CYCLE).returncode in (0, 1)
    (folder,) = job_folders(site)
    image = next((folder / "medium").glob("*.iso"))
    disc = site.tmp.parent / "disc.iso"
    path = f"{slow_xorriso(site.tmp.parent / 'bin', chunk=16384, pause=0.1)}{os.pathsep}{os.environ['PATH']}"
    proc = subprocess.Popen([sys.executable, "-m", "handoff", "media", "burn", folder.name, "--device",
                             f"stdio:{disc}", "--yes"], env=site.env(PATH=path), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    burner = wait_for_burner(proc, disc)
    while disc.stat().st_size < image.stat().st_size * share and proc.poll() is None:
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    assert gone(burner, 30), "xorriso kept writing after media burn was killed"
    assert disc.stat().st_size < image.stat().st_size
    again = site.run("media", "burn", folder.name, "--device", f"stdio:{site.tmp.parent / 'b.iso'}", "--yes")
    assert again.returncode == 0 and "書込み・検証失敗" in again.stdout, again.stderr
    assert [e.payload["verified"] for e in ledger_entries(site, "medium.written")] == [False]
    handover = site.run("custody", "handover", "--medium", f"{folder.name}-M1", "--handler", "V01-H1",
                        "--quantity", "1", "--bag", "BAG-1", "--yes")
    assert_clean_failure(handover, 6, "custody.not_verified", log=site.log)
    assert site.run("ledger", "verify").returncode == 0
    assert not plaintext_outside_internal(site, secrets_of(export))
