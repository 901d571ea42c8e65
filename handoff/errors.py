"""The one error hierarchy: every refusal has a stable code, a ja/en message and an exit code.

Messages never carry a value from an export: only rule codes, row numbers, field names, ids and counts.
The CLI has a single handler that maps these to exit codes (see the table in README.md).
"""

from __future__ import annotations

import errno
import os
from enum import IntEnum
from pathlib import Path
from typing import ClassVar


class ExitCode(IntEnum):
    """Documented exit codes (README.md 「終了コード」)."""

    OK = 0
    FINDINGS = 1  # the run finished but rows were excluded / audit findings exist
    USAGE = 2  # wrong command-line arguments (typer's own code)
    CONFIG = 3  # site or programme configuration is invalid
    INPUT = 4  # the input file cannot be read as declared
    POLICY = 5  # fail-closed refusal: unapproved item, probable 個人番号, unencodable output …
    CUSTODY = 6  # a custody rule refuses a ledger entry (handover, return, …)
    INTEGRITY = 7  # ledger, archive or medium failed verification
    TOOL = 8  # an external tool (xorriso, 7zz, lp) is missing or failed
    STATE = 9  # job/medium state conflict: exists already, cycle already run, not found
    INTERNAL = 10  # a bug: please report with the log file
    WRITE = 11  # a file or folder could not be written: disk full, read-only, no permission
    NOT_ARRIVED = 12  # a scheduled cycle's export is not in its inbox past its lead time (handoff run --due)
    DECLINED = 13  # the operator answered no at a confirmation prompt: nothing was recorded or made
    INTERRUPTED = 130


class HandoffError(Exception):
    """Base of every expected failure. ``code`` keys the message catalogue; ``params`` fill it."""

    exit_code: ClassVar[ExitCode] = ExitCode.INTERNAL

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    def message(self, lang: str | None = None) -> str:
        from handoff.messages import render

        return render(self.code, lang, **self.params)

    def __str__(self) -> str:
        return f"[{self.code}] {self.message()}"


class ConfigError(HandoffError):
    """Site or programme configuration is invalid (names file, key and rule)."""

    exit_code = ExitCode.CONFIG


class InputError(HandoffError):
    """An input file or value cannot be read as declared (names line/row, field, offset — never the value)."""

    exit_code = ExitCode.INPUT


class PolicyError(HandoffError):
    """Fail-closed refusal: the output would carry something the council did not approve."""

    exit_code = ExitCode.POLICY


class CustodyError(HandoffError):
    """A custody rule forbids this ledger entry; nothing was written."""

    exit_code = ExitCode.CUSTODY


class IntegrityError(HandoffError):
    """Verification failed: the ledger, an archive or a medium is not what was recorded."""

    exit_code = ExitCode.INTEGRITY


class ToolError(HandoffError):
    """An external program is missing or failed."""

    exit_code = ExitCode.TOOL


class WriteError(HandoffError):
    """A file or folder could not be written (disk full, read-only, no permission); names the folder."""

    exit_code = ExitCode.WRITE


class Interrupted(HandoffError):  # noqa: N818 -- an interruption is not an error of the user's doing
    """The command was interrupted (Ctrl+C, SIGTERM); says what was kept and what was removed."""

    exit_code = ExitCode.INTERRUPTED


class NotArrivedError(HandoffError):
    """A due cycle's export has not arrived in its inbox by the day it was due; names the inbox (folder and glob)."""

    exit_code = ExitCode.NOT_ARRIVED


class Declined(HandoffError):  # noqa: N818 -- the operator's choice, not a failure
    """The operator answered no (or nothing) at a confirmation prompt; nothing was recorded or made."""

    exit_code = ExitCode.DECLINED


class StateError(HandoffError):
    """The requested action conflicts with the current state (job exists, not found, …)."""

    exit_code = ExitCode.STATE


# What the operating system says when a file cannot be written, and the message for each (one code per cause).
WRITE_ERRNOS: dict[int, str] = {
    errno.ENOSPC: "system.disk_full",
    errno.EDQUOT: "system.disk_full",
    errno.EROFS: "system.read_only",
    errno.EACCES: "system.no_permission",
    errno.EPERM: "system.no_permission",
}


def write_error(exc: BaseException, folder: Path | None = None) -> WriteError | None:
    """The WriteError for an OSError that says the disk is full, read-only or not ours to write; else None.

    The folder named is the one the OSError points at (``filename``: that folder itself when it is one, else the
    folder holding it), otherwise ``folder`` (where the caller was writing), otherwise none is known.
    """
    if not isinstance(exc, OSError) or exc.errno not in WRITE_ERRNOS:
        return None
    where = _folder_of(exc.filename) or (str(folder.absolute()) if folder is not None else UNKNOWN_FOLDER)
    return WriteError(WRITE_ERRNOS[exc.errno], folder=where, reason=errno.errorcode[exc.errno])


class _UnknownFolder:
    """The ``folder`` of a WriteError whose OSError named no file: shown as 「（場所不明）」 in the message."""

    def __format__(self, _spec: str) -> str:
        from handoff.messages import render

        return render("system.folder_unknown")


UNKNOWN_FOLDER = _UnknownFolder()


def find_write_error(exc: BaseException, folder: Path | None = None) -> WriteError | None:
    """:func:`write_error` for ``exc`` or the first OSError it was raised from (a library may wrap it: pyzipper
    refuses to close a ZIP whose member failed on a full disk). A HandoffError is already what it means."""
    if isinstance(exc, HandoffError):
        return exc if isinstance(exc, WriteError) else None
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        mapped = write_error(current, folder)
        if mapped is not None:
            return mapped
        # the explicit cause, else the exception being handled when it was raised (unless the raiser hid it)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return None


def _folder_of(filename: object) -> str | None:
    if not isinstance(filename, str | bytes) or not filename:
        return None
    path = Path(os.fsdecode(filename)).absolute()
    try:
        return str(path if path.is_dir() else path.parent)
    except OSError:  # not even allowed to look: the folder holding it is the one to name
        return str(path.parent)


LOW_SPACE = 1 << 20  # under 1 MiB free: a failed write there is taken as a full disk


def folder_write_error(folder: Path) -> WriteError | None:
    """Why ``folder`` cannot be written, when its file system says so (read-only, full, not ours); else None.

    For failures that arrive without an errno — SQLite reports a full or read-only disk in its own codes.
    """
    try:
        fs = os.statvfs(folder)
    except OSError:
        return None
    if fs.f_flag & os.ST_RDONLY:
        code = "system.read_only"
    elif fs.f_bavail * fs.f_frsize < LOW_SPACE:
        code = "system.disk_full"
    elif not os.access(folder, os.W_OK):
        code = "system.no_permission"
    else:
        return None
    return WriteError(code, folder=str(folder.absolute()), reason="statvfs")
