"""Get the password notice onto paper, then remove the file: ``lp`` (CUPS) or a copy for sites without CUPS.

The PDF holds the password, so it exists on disk only between the run and the printout. The file is removed
only after ``lp`` accepted the job (exit 0) or the copy was fsynced; a failure leaves it in ``notice/`` so the
operator can try again.

Before the PDF is removed, a small marker (``printed.json``: printer, lp's request line, time — no password)
is written beside it. If the ledger write that follows fails, the next ``notice print`` records the print from
the marker instead of the printout staying untracked; the marker is removed once the ledger holds the entry.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from handoff.errors import StateError, ToolError
from handoff.fs import FILE_MODE, JobDir, fsync_dir, write_atomic
from handoff.package.notice import notice_file

MARKER = "printed.json"


def existing_notice(job: JobDir) -> Path:
    """The notice PDF of the job; a missing one is a StateError saying what to do (a new job)."""
    path = notice_file(job)
    if not path.is_file():
        raise StateError("notice.missing", job=job.job_id)
    return path


def print_notice(job: JobDir, printer: str = "") -> str:
    """Send the notice to CUPS (``lp [-d printer]``), then delete it. Returns lp's request id line."""
    path = existing_notice(job)
    lp = shutil.which("lp")
    if not lp:
        raise ToolError("notice.lp_missing")
    cmd = [lp, *(["-d", printer] if printer else []), "-t", job.job_id, "--", str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise ToolError("notice.print_failed", printer=printer or "default", rc=proc.returncode)
    request = proc.stdout.strip()
    _mark_printed(job, printer or "default", request)
    _remove(path)
    return request


def export_notice(job: JobDir, dest: Path) -> Path:
    """Copy the notice to ``dest`` (created 0600, never overwriting), then delete the original."""
    path = existing_notice(job)
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        raise StateError("notice.target_exists", path=str(dest)) from None
    try:
        with os.fdopen(fd, "wb") as out, path.open("rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    _mark_printed(job, "file", "")
    _remove(path)
    return dest


def pending_print(job: JobDir) -> dict[str, Any] | None:
    """The marker of a print whose ledger entry may be missing (None when there is none)."""
    path = job.notice / MARKER
    if not path.is_file():
        return None
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        loaded = None
    data: dict[str, Any] = loaded if isinstance(loaded, dict) else {}  # a torn marker still means it printed
    return {**data, "printer": str(data.get("printer") or "unknown")}


def clear_pending(job: JobDir) -> None:
    """The print is in the ledger: remove a PDF the crash left behind (already on paper) and the marker."""
    notice = notice_file(job)
    if notice.is_file():
        _remove(notice)
    (job.notice / MARKER).unlink(missing_ok=True)
    fsync_dir(job.notice)


def _mark_printed(job: JobDir, printer: str, request: str) -> None:
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    write_atomic(job.notice / MARKER, json.dumps({"printer": printer, "request": request, "at": when}).encode())


def _remove(path: Path) -> None:
    # Overwrite before unlinking: cheap for one page, and it keeps the password out of the old blocks on
    # file systems that overwrite in place (not a guarantee on SSDs/CoW — the folder is 0700 either way).
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.write(b"\0" * size)
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()
    fsync_dir(path.parent)
