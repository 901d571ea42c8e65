"""The one error hierarchy: every refusal has a stable code, a ja/en message and an exit code.

Messages never carry a value from an export: only rule codes, row numbers, field names, ids and counts.
The CLI has a single handler that maps these to exit codes (see the table in README.md).
"""

from __future__ import annotations

from enum import IntEnum
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


class Interrupted(HandoffError):
    """The command was interrupted (Ctrl+C, SIGTERM); says what was kept and what was removed."""

    exit_code = ExitCode.INTERRUPTED


class StateError(HandoffError):
    """The requested action conflicts with the current state (job exists, not found, …)."""

    exit_code = ExitCode.STATE
