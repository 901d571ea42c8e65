"""Shared fixtures: an isolated site folder per test and a way to run the real CLI in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from handoff.config import defaults_dir

# Property tests pin behaviour, not speed (speed is scripts/bench's job): with hypothesis' default 200 ms deadline a
# busy machine fails a correct example as "unreliable timing". print_blob lets a failure found in CI be replayed.
settings.register_profile("handoff", deadline=None, print_blob=True)
settings.load_profile("handoff")


@pytest.fixture
def site_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site folder (site.toml + pipelines/ + data/) under tmp_path, selected through HANDOFF_HOME."""
    home = tmp_path / "site"
    home.mkdir()
    shutil.copy(defaults_dir() / "site.toml", home / "site.toml")
    shutil.copytree(defaults_dir() / "pipelines", home / "pipelines")
    monkeypatch.setenv("HANDOFF_HOME", str(home))
    return home


Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(site_dir: Path) -> Runner:
    """Run ``python -m handoff ARGS`` against the test site; returns the completed process."""

    def run(*args: str, lang: str = "ja", check: bool = False) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "HANDOFF_HOME": str(site_dir), "HANDOFF_LANG": lang, "COLUMNS": "200"}
        proc = subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True,
                              env=env, stdin=subprocess.DEVNULL, timeout=600)
        if check and proc.returncode != 0:
            raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
        return proc

    return run
