"""The monthly audit's systemd units are valid units, as systemd itself reads them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parents[2] / "scripts" / "systemd"


def _verify(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["systemd-analyze", "verify", str(folder / "handoff-audit.service"),
                           str(folder / "handoff-audit.timer")], capture_output=True, text=True, timeout=120,
                          check=False, cwd=folder)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not on this machine")
def test_audit_units_pass_systemd_analyze(tmp_path: Path) -> None:
    """handoff-audit.service and .timer pass systemd-analyze verify (the binary path pointed at this install)."""
    binary = Path(sys.executable).with_name("handoff-audit")
    service = (UNITS / "handoff-audit.service").read_text(encoding="utf-8")
    assert "/opt/handoff/.venv/bin/handoff-audit" in service and "--witness" in service
    (tmp_path / "handoff-audit.service").write_text(service.replace("/opt/handoff/.venv/bin/handoff-audit",
                                                                    str(binary)), encoding="utf-8")
    shutil.copy(UNITS / "handoff-audit.timer", tmp_path)
    done = _verify(tmp_path)
    assert done.returncode == 0, done.stderr
    broken = (UNITS / "handoff-audit.timer").read_text(encoding="utf-8").replace("*-*-01 07:00:00", "*-*-99 7")
    (tmp_path / "handoff-audit.timer").write_text(broken, encoding="utf-8")
    assert _verify(tmp_path).returncode != 0  # the check can fail: a timer it cannot read is refused
