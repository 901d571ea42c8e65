"""structlog configuration: JSON lines in ``<data dir>/logs/handoff.jsonl``.

Log events carry codes, counts, ids and hashes only — never a value from an export and never a password.
Console output for people is printed by the CLI with rich, not through the log.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import structlog

_configured_path: Path | None = None


def configure(data_dir: Path) -> Path:
    """Send structured logs to the site's log file (created 0600 in a 0700 folder)."""
    global _configured_path
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = log_dir / "handoff.jsonl"
    if _configured_path == path:
        return path
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    stream = os.fdopen(fd, "a", encoding="utf-8", buffering=1)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=structlog.WriteLoggerFactory(file=stream),
        cache_logger_on_first_use=False,
    )
    _configured_path = path
    return path


def get_logger(**bind: Any) -> Any:
    return structlog.get_logger("handoff").bind(**bind)


# Until configure() is called (library use, tests), log events are built and dropped, never printed to stdout
# where they could mix with --json output.
structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
