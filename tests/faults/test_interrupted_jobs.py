"""A job is usable only when complete. A run killed or interrupted before ``internal/job.json`` leaves a job that
is never burned or handed over: it is abandoned (its folder removed, the plaintext proof sheet first; the ledger
told when it had ``job.prepared``) and its mailing cycle may be run again without ``--reason``. A burn killed
mid-write leaves no burner running and is found, half written, by the next command.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handoff.config import load_site
from handoff.ledger.events import Entry
from handoff.ledger.service import Ledger
from handoff.pipeline.recover import JOB_NAME
from tests.faults.conftest import FaultSite, assert_clean_failure
from tests.media.slow_drive import slow_xorriso
from tests.media.test_burn_interrupted import gone, wait_for_burner

CYCLE = "2026-10"


def secrets_of(export: Path) -> list[str]:
    """Names and addresses from a synthetic CP932 export: what must never be shown or logged."""
    fields = (f for line in export.read_bytes().decode("cp932").splitlines() for f in line.split(","))
    return sorted({f for f in fields if len(f) >= 5 and not f.isascii()})[:60]


def job_folders(site: FaultSite) -> list[Path]:
    jobs = site.data / "jobs"
    return sorted(p for p in jobs.iterdir() if JOB_NAME.fullmatch(p.name)) if jobs.exists() else []


def ledger_entries(site: FaultSite, kind: str) -> list[Entry]:
    with Ledger.open(load_site(site.home)) as ledger:
        return [e for e in ledger.entries() if e.type == kind]


def run(site: FaultSite, export: Path, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    return site.run("run", "seikatsu-hogo", "--input", str(export), "--cycle", CYCLE, *extra, **env)


def test_job_killed_after_the_ledger_record_is_abandoned_never_burned_nor_handed_over(any_site: FaultSite) -> None:
    """Killed after job.prepared: burn refused (9), abandonment recorded, handover refused, cycle free again."""
    site = any_site
    export = site.sample("seikatsu-hogo", 300)
    assert run(site, export, HANDOFF_FAULT_AT="record").returncode == -9
    (folder,) = job_folders(site)
    job = folder.name
    assert not (folder / "internal" / "job.json").exists() and not any((folder / "notice").iterdir())
    disc = site.tmp.parent / "disc.iso"
    burn = site.run("media", "burn", job, "--device", f"stdio:{disc}", "--yes")
    assert_clean_failure(burn, 9, "job.incomplete", secrets=secrets_of(export), log=site.log)
    assert not disc.exists() and not folder.exists()
    assert "internal/proof.pdf" in burn.stderr and "破棄" in burn.stderr
    (abandoned,) = ledger_entries(site, "job.abandoned")
    assert abandoned.job == job and abandoned.payload["reason"] == "interrupted"
    removed = abandoned.payload["removed"]
    assert removed[0] == "internal/proof.pdf" and f"package/{job}.zip" in removed and f"medium/{job}-M1.iso" in removed
    handover = site.run("custody", "handover", "--medium", f"{job}-M1", "--handler", "V01-H1", "--quantity", "1",
                        "--bag", "BAG-1", "--yes")
    assert_clean_failure(handover, 6, None, log=site.log)  # no disc of it exists in the ledger: unknown item
    assert not ledger_entries(site, "medium.handed_over")
    rerun = run(site, export)
    assert rerun.returncode in (0, 1), rerun.stderr
    assert site.run("ledger", "verify").returncode == 0


def test_a_live_run_is_left_alone_and_its_job_refused_until_it_dies(fault_site: FaultSite) -> None:
    """A live (stopped) run keeps its folder and lock: its job is refused, not removed, until the run dies."""
    site = fault_site
    export = site.sample("seikatsu-hogo", 3000)
    proc = subprocess.Popen([sys.executable, "-m", "handoff", "run", "seikatsu-hogo", "--input", str(export),
                             "--cycle", CYCLE], env=site.env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not job_folders(site) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGSTOP)
        (folder,) = job_folders(site)
        assert not (folder / "internal" / "job.json").exists(), "the run finished before it could be stopped"
        burn = site.run("media", "burn", folder.name, "--device", f"stdio:{site.tmp.parent / 'd.iso'}", "--yes")
        assert_clean_failure(burn, 9, "job.incomplete", log=site.log)
        assert folder.is_dir() and "を破棄し" not in burn.stderr
    finally:
        proc.kill()
        proc.wait()
    printed = site.run("notice", "print", folder.name, "--to-file", str(site.tmp.parent / "n.pdf"))
    assert_clean_failure(printed, 9, "job.incomplete", log=site.log)
    assert not folder.exists() and folder.name in printed.stderr and not (site.tmp.parent / "n.pdf").exists()


@pytest.mark.parametrize("command", ["run", "media burn", "notice print"])
def test_an_interrupted_folder_is_removed_when_the_next_command_starts(fault_site: FaultSite, command: str) -> None:
    """A killed run's folder is removed by the next run, media burn or notice print, naming the files removed."""
    site = fault_site
    export = site.sample("seikatsu-hogo", 300)
    assert run(site, export, HANDOFF_FAULT_AT="iso").returncode == -9
    (folder,) = job_folders(site)
    names = {p.name for p in folder.rglob("*") if p.is_file()}
    assert "exceptions.csv" in names and f"{folder.name}.zip" in names  # the proof sheet may be half drawn
    stranger = folder.parent / "not-a-job"  # a folder handoff did not make is never touched
    stranger.mkdir()
    (stranger / "memo.txt").write_text("x", encoding="utf-8")
    if command == "run":
        proc = run(site, export)
        assert proc.returncode in (0, 1), proc.stderr
        (left,) = job_folders(site)
        assert left != folder and (left / "internal" / "job.json").is_file()
    else:
        args = ["--device", f"stdio:{site.tmp.parent / 'd.iso'}", "--yes"] if command == "media burn" else \
            ["--to-file", str(site.tmp.parent / "n.pdf")]
        proc = site.run(*command.split(), folder.name, *args)
        assert_clean_failure(proc, 9, "job.incomplete", secrets=secrets_of(export), log=site.log)
        assert job_folders(site) == []
    shown = "".join(proc.stderr.split())
    assert f"ジョブ{folder.name}を破棄し" in shown and "（internal/" in shown and f"package/{folder.name}.zip" in shown
    assert not folder.exists() and not ledger_entries(site, "job.abandoned")
    assert (stranger / "memo.txt").is_file()
    assert site.run("ledger", "verify").returncode == 0


@pytest.mark.parametrize(("sig", "stage"), [("INT", "internal"), ("TERM", "iso"), ("INT", "record"),
                                            ("TERM", "notice")])
def test_ctrl_c_or_sigterm_removes_the_unfinished_job(fault_site: FaultSite, sig: str, stage: str) -> None:
    """SIGINT/SIGTERM in a run: exit 130 naming what was removed, no folder left, the cycle free again."""
    site = fault_site
    export = site.sample("seikatsu-hogo", 300)
    proc = run(site, export, HANDOFF_FAULT_AT=stage, HANDOFF_FAULT_SIGNAL=sig)
    assert_clean_failure(proc, 130, "run.interrupted", secrets=secrets_of(export), log=site.log)
    assert "中断しました" in proc.stderr and job_folders(site) == []
    assert not [p for p in site.data.rglob("*") if p.name.endswith(".part")]
    recorded = stage in ("record", "notice")
    assert len(ledger_entries(site, "job.abandoned")) == int(recorded)
    if recorded:
        assert "internal/proof.pdf" in ledger_entries(site, "job.abandoned")[0].payload["removed"]
    rerun = run(site, export)
    assert rerun.returncode in (0, 1), rerun.stderr
    assert site.run("ledger", "verify").returncode == 0


def test_an_abandonment_the_ledger_refused_is_recorded_by_a_later_start(fault_site: FaultSite) -> None:
    """Files go even when the ledger refuses the entry; a later start records the names kept in the folder."""
    site = fault_site
    export = site.sample("seikatsu-hogo", 300)
    assert run(site, export, HANDOFF_FAULT_AT="notice").returncode == -9
    (folder,) = job_folders(site)
    stranger = site.run("notice", "print", folder.name, "--to-file", str(site.tmp.parent / "n.pdf"),
                        HANDOFF_STAFF="A001")
    assert_clean_failure(stranger, 9, "job.incomplete", log=site.log)
    assert "custody.role_refused" in stranger.stderr and folder.is_dir()
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == [".lock", "abandoned.json"]
    assert not ledger_entries(site, "job.abandoned")
    listing = site.run("media", "burn", folder.name, "--device", f"stdio:{site.tmp.parent / 'd.iso'}", "--yes")
    assert_clean_failure(listing, 9, "job.incomplete", log=site.log)
    (abandoned,) = ledger_entries(site, "job.abandoned")
    assert abandoned.payload["removed"][0] == "internal/proof.pdf"
    assert f"notice/{folder.name}-N1.pdf" in abandoned.payload["removed"] and not folder.exists()


def test_a_killed_burn_leaves_no_burner_and_its_disc_is_recorded_failed(any_site: FaultSite) -> None:
    """kill -9 of media burn mid-write: xorriso stops; the next burn records the disc failed; handover refused."""
    site = any_site
    export = site.sample("seikatsu-hogo", 300)
    assert run(site, export).returncode in (0, 1)
    (folder,) = job_folders(site)
    disc = site.tmp.parent / "disc.iso"
    path = f"{slow_xorriso(site.tmp.parent / 'bin')}{os.pathsep}{os.environ['PATH']}"
    proc = subprocess.Popen([sys.executable, "-m", "handoff", "media", "burn", folder.name, "--device",
                             f"stdio:{disc}", "--yes"], env=site.env(PATH=path), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    burner = wait_for_burner(proc, disc)
    proc.kill()
    proc.wait()
    assert gone(burner, 30)
    again = site.run("media", "burn", folder.name, "--device", f"stdio:{site.tmp.parent / 'other.iso'}", "--yes")
    assert again.returncode == 0, again.stderr
    assert "書込みは途中で止まりました" in again.stderr and "書込み・検証失敗" in again.stdout
    (written,) = ledger_entries(site, "medium.written")
    assert written.payload["verified"] is False
    handover = site.run("custody", "handover", "--medium", f"{folder.name}-M1", "--handler", "V01-H1",
                        "--quantity", "1", "--bag", "BAG-1", "--yes")
    assert_clean_failure(handover, 6, "custody.not_verified", secrets=secrets_of(export), log=site.log)
    assert site.run("ledger", "verify").returncode == 0


def test_a_job_whose_disc_the_ledger_recorded_is_never_swept(fault_site: FaultSite) -> None:
    """A burned job that lost its job.json since is kept by the sweep (the ledger shows it completed), and said so."""
    site = fault_site
    export = site.sample("seikatsu-hogo", 300)
    assert run(site, export).returncode in (0, 1)
    (folder,) = job_folders(site)
    assert site.run("media", "burn", folder.name, "--device", f"stdio:{site.tmp.parent / 'd.iso'}",
                    "--yes").returncode == 0
    (folder / "internal" / "job.json").unlink()
    other = site.run("run", "seikatsu-hogo", "--input", str(export), "--cycle", "2026-11")
    assert other.returncode in (0, 1), other.stderr
    assert "[job.has_records]" in other.stderr and (folder / "internal" / "proof.pdf").is_file()
    assert not ledger_entries(site, "job.abandoned")
