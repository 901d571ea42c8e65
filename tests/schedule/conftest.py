"""An initialised site (ledger, key, example programmes with their mailing calendars) for the schedule tests."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., subprocess.CompletedProcess[str]]
TEMPLATES: dict[tuple[str, int], Path] = {}  # (programme, rows) -> a synthetic export made once per session


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site folder made by ``handoff init`` under tmp_path, selected through HANDOFF_HOME."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "handoff", "init", "--dir", str(site), "--yes"], check=True,
                   capture_output=True)
    monkeypatch.setenv("HANDOFF_HOME", str(site))
    monkeypatch.delenv("HANDOFF_STAFF", raising=False)
    return site


@pytest.fixture
def handoff(home: Path) -> Runner:
    """Run ``python -m handoff ARGS`` against the site; returns the completed process."""

    def run(*args: str, lang: str = "ja", **env: str) -> subprocess.CompletedProcess[str]:
        full = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_LANG": lang, "COLUMNS": "250", **env}
        full.pop("HANDOFF_STAFF", None)
        return subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True, env=full,
                              stdin=subprocess.DEVNULL, timeout=600)

    return run


def sample(home: Path, programme: str, rows: int = 30) -> Path:
    """A synthetic export of ``programme`` made by ``handoff sample`` (once per session for each size)."""
    key = (programme, rows)
    if key not in TEMPLATES or not TEMPLATES[key].is_file():
        out = home.parent / "samples" / f"{programme}-{rows}.dat"
        out.parent.mkdir(exist_ok=True)
        proc = subprocess.run([sys.executable, "-m", "handoff", "--dir", str(home), "sample", programme, "--rows",
                               str(rows), "--seed", "3", "--out", str(out)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        TEMPLATES[key] = out
    return TEMPLATES[key]


def drop(home: Path, programme: str, arrived: float, name: str = "export", rows: int = 30) -> Path:
    """Put ``programme``'s export into the inbox its calendar names, as if it arrived at ``arrived`` (epoch)."""
    from handoff.config import load_site
    from handoff.programme import find_programme

    spec = find_programme(load_site(home).pipelines_path, programme)
    assert spec.calendar is not None
    pattern = spec.calendar.inbox
    target = home / pattern.replace("*", name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sample(home, programme, rows), target)
    os.utime(target, (arrived, arrived))
    return target


def jobs(home: Path) -> list[str]:
    """The job folders of the site (finished or not)."""
    folder = home / "data" / "jobs"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def set_in_site(home: Path, pattern: str, replacement: str) -> None:
    """Edit site.toml: the first match of ``pattern`` becomes ``replacement``."""
    path = home / "site.toml"
    text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1)
    assert count == 1, pattern
    path.write_text(text, encoding="utf-8")
