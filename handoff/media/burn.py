"""Burn a medium's image with xorriso and prove the disc by reading it back.

The image is written byte for byte (``xorriso -as cdrecord``; the disc is closed, no further session). Then:

1. ``xorriso -indev DEV -check_media what=image`` reads every block of the image range; an unreadable
   block (quality ``-``) fails the medium. (``-md5 on`` / ``-check_md5_r`` compare MD5 tags that xorriso
   writes only into sessions *it* builds; the pycdlib image has none, and xorriso then reports "no MD5
   recorded" and passes — a check that cannot fail, so it is not used. The SHA-256 read-back is the
   content check.)
2. exactly the image's byte count is read from the device (drives pad the track) and its SHA-256 must equal
   the image's.

The disc in the drive must be of the type the vendor profile declares (``[vendor_profiles.X.medium] type``,
recorded in the medium's status when its image was made): xorriso's "Media current" line names it (``CD-R``,
``DVD-R sequential recording``, ``BD-R sequential recording`` …), and a disc of another type is refused before
anything is written, since the vendor's reader was agreed for that type. xorriso's cdrecord emulation writes all
three types the same way (the image is closed; for a BD-R without defect management).

Failure at any step marks the medium ``unusable`` (status file) and raises; the disc must be destroyed.
``stdio:/path/file.iso`` pseudo-drives make the whole path testable without hardware; they are not ejected.

Just before xorriso starts, the medium is marked ``burning`` (with this process's id), and the burn holds the
medium's lock file until the status moves on. xorriso dies with handoff (``handoff.media.child``). A medium
found ``burning`` while nobody holds its lock is a burn that was cut off (handoff killed, machine down): the
next command that looks at it marks it ``unusable`` (``media.burn_interrupted``) — a half-written disc, to be
destroyed and recorded as a failed write in the ledger.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from handoff.errors import HandoffError, IntegrityError, StateError, ToolError
from handoff.fs import JobDir
from handoff.media.child import die_with_parent
from handoff.media.status import MediumStatus, burn_lock_path, list_media, medium_status, write_status
from handoff.media.verify import BLOCK, is_pseudo_drive, read_back, sha256_file

Progress = Callable[[str, float], None]  # (phase: "burn" | "check" | "readback", fraction 0..1)
PAD_BLOCKS = 150  # cdrecord's default 300 KiB track padding
_WRITTEN = re.compile(r"(\d+)\s+of\s+(\d+)\s+MB written")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)%\s+fifo")
_DEVICE = re.compile(r"-dev\s+'([^']+)'\s+(\S+)\s*:\s*'([^']*)'\s*'([^']*)'")
_REGION = re.compile(r"Media region\s*:\s*(\d+)\s*,\s*(\d+)\s*,\s*([-+0])")
INTERRUPTED = "media.burn_interrupted"  # the reason an unusable medium's status gives when its burn was cut off


@dataclass(frozen=True)
class Drive:
    address: str
    vendor: str
    model: str


@dataclass(frozen=True)
class BurnResult:
    medium_id: str
    device: str
    image_sha256: str
    image_size: int
    tool: str


def xorriso() -> str:
    path = shutil.which("xorriso")
    if not path:
        raise ToolError("media.tool_missing", tool="xorriso", package="xorriso")
    return path


def tool_version() -> str:
    out = subprocess.run([xorriso(), "-version"], capture_output=True, text=True, check=False).stdout
    return out.splitlines()[0].split(" : ")[0].strip() if out else "xorriso"


def list_drives() -> list[Drive]:
    """Optical drives xorriso can use (``xorriso -devices``); an empty list when there are none."""
    proc = subprocess.run([xorriso(), "-devices"], capture_output=True, text=True, check=False)
    return parse_devices(proc.stdout + proc.stderr)


def parse_devices(text: str) -> list[Drive]:
    """Drives from ``xorriso -devices`` output: ``0  -dev '/dev/sr0' rwrw-- :  'VENDOR' 'MODEL'``."""
    return [Drive(m[1], m[3].strip(), m[4].strip()) for m in _DEVICE.finditer(text)]


def media_space(device: str) -> tuple[bool, int, str]:
    """(blank?, free 2 KiB blocks, xorriso's "Media current" line or "") of the medium in ``device``."""
    proc = subprocess.run([xorriso(), "-outdev", device, "-tell_media_space"], capture_output=True, text=True,
                          check=False)
    text = proc.stdout + proc.stderr
    status = re.search(r"Media status\s*:\s*(.*)", text)
    space = re.search(r"Media space\s*:\s*(\d+)s", text)
    if proc.returncode != 0 or not status or not space:
        raise ToolError("media.drive_unavailable", device=device)
    kind = re.search(r"Media current\s*:\s*(.+)", text)  # e.g. "DVD-R sequential recording"
    return "is blank" in status[1], int(space[1]), kind[1].strip() if kind else ""


def type_matches(current: str, declared: str) -> bool:
    """Whether xorriso's "Media current" text (e.g. "DVD-R sequential recording", "CD-R", "BD-R sequential
    recording", "DVD+R") is a disc of the declared type. DVD-R DL and DVD-RW are other discs; a "DVD+R" is
    not a DVD-R."""
    words = current.split()
    return bool(words) and words[0] == declared


def burn(job: JobDir, medium_id: str, device: str, progress: Progress | None = None, *,
         eject: bool = True) -> BurnResult:
    """Burn medium ``medium_id`` of ``job`` to ``device``, verify by read-back, mark it ``verified``."""
    if medium_status(job, medium_id).state == "missing":
        raise StateError("media.state_missing", medium=medium_id)
    lock = JobDir.try_lock(burn_lock_path(job, medium_id))
    if lock is None:
        raise StateError("media.busy", medium=medium_id)
    try:
        return _burn_held(job, medium_id, device, progress, eject=eject)
    finally:
        os.close(lock)


def settle_interrupted(job: JobDir) -> list[MediumStatus]:
    """Media left ``burning`` by a burn that no longer runs (nobody holds the medium's lock) become ``unusable``:
    the disc may be half written. Returns those media; a burn still running is left alone."""
    settled = []
    for m in list_media(job):
        if m.state != "burning":
            continue
        lock = JobDir.try_lock(burn_lock_path(job, m.medium_id))
        if lock is None:
            continue
        try:
            settled.append(_mark_interrupted(job, m.medium_id))
        finally:
            os.close(lock)
    return settled


def _mark_interrupted(job: JobDir, medium_id: str) -> MediumStatus:
    """The caller holds the medium's lock: a ``burning`` status left behind is a burn that was cut off."""
    status = medium_status(job, medium_id)
    if status.state != "burning":
        return status
    return write_status(job, medium_id, "unusable", reason=INTERRUPTED,
                        found_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))


def _burn_held(job: JobDir, medium_id: str, device: str, progress: Progress | None, *, eject: bool) -> BurnResult:
    """``burn`` with the medium's lock held: nobody else burns it, and a ``burning`` status left now is dead."""
    status = _mark_interrupted(job, medium_id)
    if status.state != "written":
        raise StateError(f"media.state_{status.state}", medium=medium_id)
    image = job.medium / str(status.details["image"])
    size, expected = int(status.details["image_size"]), str(status.details["image_sha256"])
    blank, free, kind = media_space(device)
    if not blank:
        raise StateError("media.not_blank", device=device)
    declared = str(status.details.get("medium_type") or "")
    if declared and not is_pseudo_drive(device) and not type_matches(kind, declared):
        raise StateError("media.wrong_type", device=device, found=kind or "-", expected=declared)
    if free < size // BLOCK + PAD_BLOCKS:
        raise StateError("media.no_space", device=device, needed=size // BLOCK, free=free)
    tool = tool_version()
    try:
        if sha256_file(image)[0] != expected:  # the image on disk must still be the one recorded
            raise IntegrityError("media.image_changed", medium=medium_id)
        # From here the disc may be touched: a burn cut off after this line leaves "burning" behind.
        write_status(job, medium_id, "burning", device=device, tool=tool, media_type=kind, pid=os.getpid(),
                     burn_started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        _run_burn(image, device, progress)
        verify_device(device, size, expected, progress)
    except HandoffError as exc:
        write_status(job, medium_id, "unusable", device=device, tool=tool, media_type=kind, reason=exc.code)
        raise
    finally:
        # Out it comes either way: a good disc goes to its cabinet, a bad one to the shredder.
        if eject and not is_pseudo_drive(device):
            subprocess.run([xorriso(), "-dev", device, "-eject", "all"], capture_output=True, check=False)
    write_status(job, medium_id, "verified", device=device, tool=tool, media_type=kind, readback_sha256=expected,
                 verified_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    return BurnResult(medium_id, device, expected, size, tool)


def verify_device(device: str, size: int, expected_sha256: str, progress: Progress | None = None) -> None:
    """Both read-back checks; raises IntegrityError (or ToolError) when the disc is not the image."""
    _check_media(device, size // BLOCK)
    if progress:
        progress("check", 1.0)
    read_back(device, size, expected_sha256, (lambda done, total: progress("readback", done / total))
              if progress else None)


def verify_medium(job: JobDir, medium_id: str, device: str, progress: Progress | None = None) -> str:
    """Read back a burned (e.g. returned) disc against its image hash; a mismatch marks it unusable."""
    status = medium_status(job, medium_id)
    if status.state != "verified":
        raise StateError(f"media.state_{status.state}", medium=medium_id)
    size, expected = int(status.details["image_size"]), str(status.details["image_sha256"])
    try:
        verify_device(device, size, expected, progress)
    except IntegrityError as exc:
        write_status(job, medium_id, "unusable", recheck_device=device, reason=exc.code)
        raise
    return expected


def _run_burn(image: object, device: str, progress: Progress | None) -> None:
    cmd = [xorriso(), "-abort_on", "FAILURE", "-as", "cdrecord", "-v", f"dev={device}", str(image)]
    # The burner is this process's own child and dies with it (handoff.media.child explains how and why).
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          preexec_fn=die_with_parent()) as proc:
        for line in _lines(proc.stdout) if proc.stdout else ():
            fraction = progress_fraction(line)
            if fraction is not None and progress:
                progress("burn", fraction)
        rc = proc.wait()
    if rc != 0:
        raise ToolError("media.burn_failed", device=device, rc=rc)
    if progress:
        progress("burn", 1.0)


def progress_fraction(line: str) -> float | None:
    """Share written, from a cdrecord-style ``12 of 4400 MB written`` or a native ``12.3%  fifo`` line."""
    m = _WRITTEN.search(line)
    if m and int(m[2]):
        return min(1.0, int(m[1]) / int(m[2]))
    m = _PERCENT.search(line)
    return min(1.0, float(m[1]) / 100) if m else None


def _lines(stream: IO[bytes]) -> Iterator[str]:
    """xorriso ends progress lines with CR (one line redrawn) and other lines with LF: split on both."""
    pending = b""
    while chunk := stream.read1(4096) if hasattr(stream, "read1") else stream.read(4096):
        pending += chunk
        *done, pending = re.split(rb"[\r\n]", pending)
        for raw in done:
            if raw:
                yield raw.decode("utf-8", "replace")  # tool output for progress only, never written anywhere
    if pending:
        yield pending.decode("utf-8", "replace")


def _check_media(device: str, blocks: int) -> None:
    cmd = [xorriso(), "-abort_on", "NEVER", "-indev", device, "-check_media", "what=image", "--"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    regions = [(int(m[1]), int(m[2]), m[3]) for m in _REGION.finditer(proc.stdout + proc.stderr)]
    good = sum(n for start, n, q in regions if q == "+" and start < blocks)
    bad = any(q == "-" and start < blocks for start, _n, q in regions)
    if proc.returncode != 0 or bad or good < blocks:
        raise IntegrityError("media.check_media_failed", device=device, good=good, blocks=blocks)
