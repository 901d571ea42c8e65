"""The operator's flow on the example site, driven by the real commands under ``faketime`` so that every recorded
time and every job id's clock part is the same on each run.

Only the last four characters of a job id are random (``handoff.fs.new_job_id``: ``secrets.token_hex(2)``): ``mask``
replaces them by ``xxxx`` — the same width, so a table's layout is the one the operator saw — and nothing else is
masked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# The moments of the flow, Japan time (faketime reads a UTC clock: 09:11 in Tokyo is 00:11 UTC).
DAY1 = "2026-12-07"
DAY2 = "2026-12-08"
MEDIUM_CABINET = "媒体用キャビネットA"
NOTICE_CABINET = "通知書用キャビネットB"


@dataclass(frozen=True)
class Flow:
    home: Path
    job: str  # kodomo-iryosho: burned, printed, stored, handed over (medium day 1, notice day 2), an incident
    waiting: str  # kokuho-tokusoku: prepared, nothing burned or printed

    def mask(self, text: str) -> str:
        """``text`` with each job id's random tail (4 hex digits) written ``xxxx``; nothing else changes."""
        for job in (self.job, self.waiting):
            text = text.replace(job, job[:-4] + "xxxx")
        return text


def env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a command: this site, no terminal settings or language from the caller."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_") and k not in ("COLUMNS", "LINES")}
    return {**keep, "HANDOFF_HOME": str(home), "HANDOFF_STAFF": "S001", **extra}


def handoff(home: Path, *args: str, at: str | None = None, check: bool = True, **extra: str,
            ) -> subprocess.CompletedProcess[str]:
    """``python -m handoff ARGS`` with its output piped; under faketime at ``at`` (UTC, "YYYY-MM-DD HH:MM:SS")."""
    command = [sys.executable, "-m", "handoff", *args]
    if at is not None:
        # The clock stands still at ``at``: a job id's seconds do not depend on how fast the run starts.
        command = ["faketime", "-f", at, *command]
    proc = subprocess.run(command, capture_output=True, text=True, env=env(home, **extra), stdin=subprocess.DEVNULL,
                          timeout=300)
    if check:
        assert proc.returncode in (0, 1), (args, proc.stdout[-2000:], proc.stderr[-2000:])  # 1: rows excepted
    return proc


def build(folder: Path) -> Flow:
    """A site with two jobs: one out with the vendor (medium handed over on day 1, notice on day 2, an incident
    recorded on day 2), one prepared and waiting to be burned and printed."""
    home = folder / "site"
    handoff(home, "init", "--dir", str(home), "--yes", at=f"{DAY1} 00:10:00")
    job = _run(folder, home, "kodomo-iryosho", f"{DAY1} 00:11:31")
    waiting = _run(folder, home, "kokuho-tokusoku", f"{DAY1} 00:12:02")
    handoff(home, "media", "burn", job, "--device", f"stdio:{folder / 'disc.iso'}", "--yes", at=f"{DAY1} 00:13:00")
    handoff(home, "notice", "print", job, "--to-file", str(folder / "notice.pdf"), at=f"{DAY1} 00:14:00")
    handoff(home, "custody", "store", "--medium", f"{job}-M1", "--cabinet", MEDIUM_CABINET, "--yes",
            at=f"{DAY1} 00:15:00")
    handoff(home, "custody", "store", "--notice", f"{job}-N1", "--cabinet", NOTICE_CABINET, "--yes",
            at=f"{DAY1} 00:16:00")
    handoff(home, "custody", "handover", "--medium", f"{job}-M1", "--handler", "V01-H1", "--media-count", "1",
            "--bag", "BAG-001", "--receipt", str(folder / "receipt-m.pdf"), "--yes", at=f"{DAY1} 00:17:00")
    handoff(home, "custody", "handover", "--notice", f"{job}-N1", "--handler", "V01-H1", "--media-count", "1",
            "--bag", "BAG-002", "--receipt", str(folder / "receipt-n.pdf"), "--yes", at=f"{DAY2} 00:30:00")
    handoff(home, "incident", "record", "--kind", "other", "--job", job, "--note", "封筒の数の確認", "--yes",
            at=f"{DAY2} 00:31:00")
    return Flow(home, job, waiting)


def _run(folder: Path, home: Path, programme: str, at: str) -> str:
    data = folder / f"{programme}.dat"
    handoff(home, "sample", programme, "--rows", "20", "--seed", "1", "--out", str(data), at=at)
    proc = handoff(home, "run", programme, "--input", str(data), "--json", at=at)
    return str(json.loads(proc.stdout)["job_id"])
