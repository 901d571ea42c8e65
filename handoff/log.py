"""structlog configuration: JSON lines in ``<data dir>/logs/handoff.jsonl``.

Log events carry codes, counts, ids and hashes only — never a value from an export and never a password.
Console output for people is printed by the CLI with rich, not through the log.

When the log file cannot be opened or written (a read-only site, a full disk, no permission), the lines go to
standard error instead, so reading commands still work; never to standard output, which carries ``--json``.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, TextIO, cast

import structlog

_configured: tuple[Path, Path | None] | None = None  # (data folder, its log file or None: standard error)


class _Sink:
    """Where rendered log lines go: the log file, one ``os.write`` per line (unbuffered, so nothing is left to
    flush, and fail, when the process ends), or standard error once the file cannot be written."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    def write(self, text: str) -> None:
        if self._fd is not None:
            try:
                _write_all(self._fd, text.encode("utf-8"))
                return
            except OSError as exc:
                self._fallback(exc)
        _to_stderr(text)

    def flush(self) -> None:
        """Each line is written whole by :meth:`write`."""

    def _fallback(self, exc: OSError) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
        _to_stderr(_line("log.file_unwritable", reason=errno.errorcode.get(exc.errno or 0, "OSError")) + "\n")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _to_stderr(text: str) -> None:
    """The same JSON, with every non-ASCII character escaped: nothing in it can act on the terminal."""
    lines = []
    for raw in text.splitlines():
        try:
            lines.append(json.dumps(json.loads(raw), ensure_ascii=True))
        except ValueError:
            lines.append(json.dumps({"event": "log.unparsed"}))
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write("".join(f"{line}\n" for line in lines))
        sys.stderr.flush()


def _line(event: str, **fields: object) -> str:
    import datetime as dt

    when = dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")
    return json.dumps({"event": event, "level": "warning", "timestamp": when, **fields})


def _open(data_dir: Path) -> tuple[Path, int | None, OSError | None]:
    path = data_dir / "logs" / "handoff.jsonl"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return path, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), None
    except OSError as exc:
        return path, None, exc


def configure(data_dir: Path) -> Path | None:
    """Send structured logs to the site's log file (created 0600 in a 0700 folder); return its path, or None when
    it cannot be written and the lines go to standard error."""
    global _configured
    if _configured is not None and _configured[0] == data_dir:
        return _configured[1]
    path, fd, failed = _open(data_dir)
    sink = _Sink(fd)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=structlog.WriteLoggerFactory(file=cast(TextIO, sink)),
        cache_logger_on_first_use=False,
    )
    if failed is not None:
        sink._fallback(failed)
    _configured = (data_dir, None if failed else path)
    return _configured[1]


def get_logger(**bind: Any) -> Any:
    return structlog.get_logger("handoff").bind(**bind)


# Until configure() is called (library use, tests), log events are built and dropped, never printed to stdout
# where they could mix with --json output.
structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
