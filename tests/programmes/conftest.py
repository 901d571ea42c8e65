"""A fresh site made by ``handoff init`` (as a ward makes one), and helpers to run the real CLI against it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def handoff(home: Path, *args: str, lang: str = "ja") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_STAFF": "S001", "HANDOFF_LANG": lang,
           "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env=env, timeout=600)


def confirm(home: Path, programme: str, *, items: list[str] | None = None, staff: str = "S002",
            reference: str = "資料15-1（対象帳票・項目）", date: str = "2026-04-01") -> None:
    """Append a ``[[confirmations]]`` entry to the site's site.toml, as the ward would after checking."""
    lines = ["", "[[confirmations]]", f'programme = "{programme}"', f'reference = "{reference}"', f"date = {date}",
             f'confirmed_by = "{staff}"']
    if items is not None:
        lines.append("items = [" + ", ".join(f'"{i}"' for i in items) + "]")
    with (home / "site.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def sample(home: Path, tmp: Path, programme: str, rows: int = 1200, seed: int = 7) -> Path:
    data = tmp / "in" / f"{programme}.dat"
    data.parent.mkdir(exist_ok=True)
    proc = handoff(home, "sample", programme, "--rows", str(rows), "--seed", str(seed), "--out", str(data))
    assert proc.returncode == 0, proc.stderr
    return data


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site made by ``handoff init`` under tmp_path (its own TMPDIR, as the run tests use)."""
    home = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "handoff", "init", "--dir", str(home), "--yes"], check=True,
                   capture_output=True)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    return home
