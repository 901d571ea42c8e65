"""The fault matrix's shared fixtures: a real site on SQLite or PostgreSQL, the CLI in a subprocess, and the one
assertion every fault case makes (its exit code, its message code, no traceback, no export value anywhere)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ledger.conftest import BACKENDS, PG_URL, drop_schema, schema_url, write_site


@dataclass
class FaultSite:
    """An initialised site (ledger and key created) and the environment its CLI runs with."""

    home: Path
    backend: str
    tmp: Path

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def log(self) -> Path:
        return self.data / "logs" / "handoff.jsonl"

    def env(self, **extra: str) -> dict[str, str]:
        return {**os.environ, "HANDOFF_HOME": str(self.home), "HANDOFF_STAFF": "S001", "HANDOFF_LANG": "ja",
                "COLUMNS": "200", "TMPDIR": str(self.tmp), **extra}

    def run(self, *args: str, timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
        """``python -m handoff ARGS`` on this site, no standard input."""
        return subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, env=self.env(**env), timeout=timeout)

    def sample(self, programme: str, rows: int = 300, seed: int = 11) -> Path:
        out = self.tmp.parent / "in" / f"{programme}-{rows}-{seed}.dat"
        out.parent.mkdir(exist_ok=True)
        if not out.exists():
            proc = self.run("sample", programme, "--rows", str(rows), "--seed", str(seed), "--out", str(out))
            assert proc.returncode == 0, proc.stderr
        return out


def _make_site(tmp_path: Path, backend: str, url: str = "") -> FaultSite:
    from handoff.ledger.service import Ledger

    cfg = write_site(tmp_path / "site", backend, url)
    if not (cfg.home / "pipelines").exists():
        (cfg.home / "pipelines").symlink_to(_defaults() / "pipelines")
    Ledger.create(cfg).close()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return FaultSite(cfg.home, backend, tmp)


def _defaults() -> Path:
    from handoff.config import defaults_dir

    return defaults_dir()


@pytest.fixture(params=BACKENDS)
def any_site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FaultSite]:
    """A site on each ledger backend (PostgreSQL only where HANDOFF_TEST_PG_URL is set: a schema of its own)."""
    if request.param == "postgresql":
        schema = f"f_{os.urandom(6).hex()}"
        yield _make_site(tmp_path, "postgresql", schema_url(schema))
        drop_schema(schema)
    else:
        yield _make_site(tmp_path, "sqlite")


@pytest.fixture
def fault_site(tmp_path: Path) -> FaultSite:
    """A SQLite site, for the cases where the ledger backend plays no part."""
    return _make_site(tmp_path, "sqlite")


def assert_clean_failure(proc: subprocess.CompletedProcess[str], exit_code: int, message_code: str | None,
                         *, secrets: Iterable[str] = (), log: Path | None = None) -> None:
    """The command failed as documented: its exit code, its message code on stderr, no traceback, and none of
    ``secrets`` (values from the export, a password) on stdout, stderr or in the log file."""
    shown = proc.stdout + proc.stderr
    assert proc.returncode == exit_code, f"exit {proc.returncode}, expected {exit_code}\n{shown}"
    assert "Traceback" not in shown, shown
    if message_code is not None:
        assert f"[{message_code}]" in proc.stderr, proc.stderr
    logged = log.read_text(encoding="utf-8", errors="replace") if log is not None and log.exists() else ""
    for value in secrets:
        assert value not in shown, f"an export value was shown: {message_code}"
        assert value not in logged, f"an export value was logged: {message_code}"


__all__ = ["PG_URL", "FaultSite", "assert_clean_failure"]
