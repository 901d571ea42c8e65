"""Interrupted jobs: a job is usable only when complete; an interrupted one is abandoned and its folder removed.

``handoff run`` writes ``internal/job.json`` last and holds an exclusive lock on the job folder's ``.lock`` for
its whole life (``handoff.fs.JobDir``). A folder without ``job.json`` whose lock nobody holds is a run that was
killed (power cut, ``kill -9``, a full disk): its proof sheet holds names and addresses in plain text, its
password notice may be gone, and nothing of it may ever be burned, printed or handed over. The next start of
``run``, ``media burn``, ``notice print`` and the custody commands calls :func:`sweep`, which removes what the
folder holds — the in-house files (the plaintext proof sheet first), then the password notice, the ZIP, the disc
images and the rest — says so on stderr (counts and file names, never a value) and, if the ledger has the job's
``job.prepared``, records ``job.abandoned`` with the names removed, which frees the job's mailing cycle.

If the ledger cannot be written just then, the files still go (the plaintext must not wait for a database), and
``abandoned.json`` stays in the folder with the names removed, so that a later start records them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.errors import CustodyError, HandoffError, StateError
from handoff.fs import JobDir, write_atomic

if TYPE_CHECKING:
    from handoff.config import SiteConfig

REASON = "interrupted"
MARKER = "abandoned.json"
PROOF = "proof.pdf"  # handoff.mail.proof.FILE_NAME: names and addresses in plain text, so it goes first
# Removal order: the plaintext in-house files, then the password (the notice), then what it opens, then the rest.
ORDER = ("internal", "notice", "package", "medium")
RECORDED_ITEMS = frozenset({"medium.written", "notice.printed"})  # only a finished job ever had these
STAGE_GRACE = 60.0  # seconds a half-made (hidden) folder without a lock file may be a run that is just starting
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
# Only folders named as handoff names jobs (handoff.fs.new_job_id) are swept; anything else there is left alone.
JOB_NAME = re.compile(r"\d{8}-\d{6}-[A-Za-z0-9._:-]+-[0-9a-f]{4}")
STAGE_NAME = re.compile(r"\.(?P<job>.+)\.[0-9a-f]{8}\.new")
Tell = Callable[[str], None]


@dataclass(frozen=True)
class Abandoned:
    """One interrupted job cleaned up: the files removed (paths inside the job folder), the ledger's entry."""

    job: str
    removed: tuple[str, ...]
    seq: int | None = None  # the job.abandoned entry; None when the ledger never knew the job
    unrecorded: str = ""  # the ledger's error code when the entry could not be written (the next start retries)


def sweep(site: SiteConfig, staff: str, tell: Tell | None = None) -> list[Abandoned]:
    """Abandon every interrupted job folder of the site (no ``job.json``, no live run); tell what was removed."""
    jobs = site.data_path / "jobs"
    if not jobs.is_dir():
        return []
    done = []
    for root in sorted(jobs.iterdir()):
        if root.is_symlink() or not root.is_dir():
            continue
        stage = STAGE_NAME.fullmatch(root.name)
        if stage and JOB_NAME.fullmatch(stage["job"]):
            _sweep_stage(root)
        if not JOB_NAME.fullmatch(root.name):
            continue
        job = JobDir(root)
        if job.finished:
            continue
        with _held(job.root / JobDir.LOCK) as mine:
            if mine and not job.finished:  # finished between the look and the lock: a run that just ended
                try:
                    done.append(abandon(site, staff, job))
                except (HandoffError, OSError) as exc:  # the command goes on; the next start tries again
                    _failed(job.job_id, exc, tell)
    for item in done:
        report(item, tell)
    return done


def abandon(site: SiteConfig, staff: str, job: JobDir, reason: str = REASON) -> Abandoned:
    """Remove the contents of ``job`` (its lock held by the caller), then record the abandonment; the folder
    itself goes once the ledger holds the entry (or never knew the job). A job whose discs or notice the ledger
    has recorded did complete once (its ``job.json`` was lost since): it is left alone, and said so."""
    try:
        known = _kinds(site, job.job_id)
    except HandoffError:
        known = set()  # the ledger cannot say just now: the plaintext does not wait for it
    if known & RECORDED_ITEMS:
        raise StateError("job.has_records", job=job.job_id)
    removed = [*_marked(job), *_remove_contents(job)]
    try:
        seq = record(site, staff, job.job_id, reason, removed)
    except HandoffError as exc:
        with contextlib.suppress(HandoffError, OSError):  # a full disk: the names are lost, the files still gone
            write_atomic(job.root / MARKER, json.dumps({"reason": reason, "removed": removed}).encode())
        return Abandoned(job.job_id, tuple(removed), unrecorded=exc.code)
    _remove_all(job.root)
    return Abandoned(job.job_id, tuple(removed), seq)


def record(site: SiteConfig, staff: str, job: str, reason: str, removed: list[str]) -> int | None:
    """``job.abandoned`` for a job the ledger holds as prepared and not yet abandoned; None when there is none."""
    from handoff.ledger.service import job_abandoned

    kinds = _kinds(site, job)
    if "job.prepared" not in kinds or "job.abandoned" in kinds:
        return None
    try:
        return job_abandoned(site, staff, job=job, reason=reason, removed=removed).seq
    except CustodyError as exc:
        if exc.code == "custody.job_abandoned":  # another command recorded it a moment ago
            return None
        raise


def _kinds(site: SiteConfig, job: str) -> set[str]:
    """The kinds of the ledger's entries about ``job`` (none on a site without a ledger)."""
    from handoff.ledger.paths import LedgerPaths
    from handoff.ledger.service import Ledger

    if not LedgerPaths.of(site).signer.exists():
        return set()  # no ledger on this site: it cannot know the job
    with Ledger.open(site) as ledger:
        return {e.type for e in ledger.entries(job=job)}


def require_finished(job: JobDir) -> None:
    """Refuse a job whose run did not complete (exit 9): nothing of it may be burned or handed over."""
    if not job.finished:
        raise StateError("job.incomplete", job=job.job_id)


def before_custody(site: SiteConfig, staff: str, item: str, action: str, tell: Tell | None = None) -> None:
    """For ``handoff custody …``: sweep, then refuse to hand over an item (``<job>-M<n>``, ``-N<n>``, ``-P<n>``) of a
    job whose folder here is incomplete. Storing, returning and destroying stay open for what already exists."""
    swept = {a.job for a in sweep(site, staff, tell)}
    if action != "handed_over":
        return
    job = re.sub(r"-[MNP]\d+$", "", item)
    root = site.data_path / "jobs" / job
    if job in swept or (root.is_dir() and not JobDir(root).finished):
        raise StateError("job.incomplete", job=job)


def report(item: Abandoned, tell: Tell | None) -> None:
    """One line for the operator (counts, file names, the ledger entry) and one for the log."""
    from handoff.log import get_logger
    from handoff.messages import t

    get_logger(job=item.job).warning("job.abandoned", removed=len(item.removed), files=list(item.removed),
                                     seq=item.seq, unrecorded=item.unrecorded or None)
    if tell is None:
        return
    line = t("job.abandoned_removed", job=item.job, count=len(item.removed), files=", ".join(item.removed) or "-")
    if item.seq is not None:
        line += " " + t("job.abandoned_recorded", seq=item.seq)
    elif item.unrecorded:
        line += " " + t("job.abandoned_unrecorded", error=item.unrecorded)
    tell(line)


def _failed(job: str, exc: Exception, tell: Tell | None) -> None:
    from handoff.log import get_logger
    from handoff.messages import t

    code = exc.code if isinstance(exc, HandoffError) else type(exc).__name__
    get_logger(job=job).error("job.abandon_failed", error=code)
    if tell is not None:
        tell(f"[{code}] {exc.message()}" if isinstance(exc, HandoffError) else
             t("job.abandon_failed", job=job, error=code))


@contextlib.contextmanager
def _held(lock: Path, *, create: bool = True) -> Iterator[bool]:
    """Hold ``lock`` for the block if no live process holds it (yields False otherwise)."""
    fd = JobDir.try_lock(lock, create=create)
    try:
        yield fd is not None
    finally:
        if fd is not None:
            os.close(fd)


def _sweep_stage(root: Path) -> None:
    """A hidden half-made job folder (``JobDir.create`` renames it once locked): gone if its maker is."""
    lock = root / JobDir.LOCK
    if not lock.exists():
        with contextlib.suppress(OSError):
            if _age(root) > STAGE_GRACE:  # its maker died before it could even lock it
                _remove_all(root)
        return
    with _held(lock, create=False) as mine:
        if mine:
            _remove_all(root)


def _age(path: Path) -> float:
    import time

    return time.time() - path.stat().st_mtime


def _marked(job: JobDir) -> list[str]:
    """Names an earlier sweep removed but could not record (from ``abandoned.json``)."""
    try:
        names = json.loads((job.root / MARKER).read_text(encoding="utf-8")).get("removed", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [str(n) for n in names if isinstance(n, str)]


def _remove_contents(job: JobDir) -> list[str]:
    """Unlink every file of the folder in ``ORDER`` (the proof sheet first of all); returns their paths."""
    root = job.root
    removed: list[str] = []
    _unlink(root, [root / "internal" / PROOF], removed)
    for folder in [*(root / name for name in ORDER), root]:  # the whole folder last: whatever else is left
        _unlink(root, _files(folder), removed)
    return removed


def _unlink(root: Path, paths: list[Path], removed: list[str]) -> None:
    for path in paths:
        rel = path.relative_to(root).as_posix()
        if rel in (JobDir.LOCK, MARKER):  # these go last, with the folder
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(_UNSAFE.sub("?", rel)[:200])


def _files(folder: Path) -> list[Path]:
    """Files under ``folder``, and links (never followed out of it), in a stable order."""
    if folder.is_symlink() or not folder.is_dir():
        return []
    found = []
    for dirpath, dirs, names in os.walk(folder):
        here = Path(dirpath)
        found += [here / n for n in sorted(names)]
        found += [here / d for d in sorted(dirs) if (here / d).is_symlink()]  # os.walk lists those as folders
    return found


def _remove_all(root: Path) -> None:
    """Remove what is left of a folder whose files are gone (the lock, the marker, empty folders)."""
    import shutil

    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(root)
