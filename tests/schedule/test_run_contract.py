"""A plain ``handoff run`` judges the contract and certification as ``run --due`` does: refused when ended,
a warning when ending within the calendar's warn_days."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.schedule.conftest import Runner, jobs, sample

pytestmark = pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime is not on this machine")
TODAY = "2026-12-07 09:00:00"  # the run's day: cycle 2026-12 of the monthly 督促状 mails on 12-20


def _contract_end(home: Path, vendor: str, end: str) -> None:
    """Set ``vendor``'s contract end in the site's site.toml."""
    path = home / "site.toml"
    text = path.read_text(encoding="utf-8")
    block = re.search(rf'id = "{vendor}"\n.*?contract_end = \d{{4}}-\d{{2}}-\d{{2}}', text, re.S)
    assert block is not None
    fixed = re.sub(r"contract_end = \d{4}-\d{2}-\d{2}", f"contract_end = {end}", block.group(0))
    path.write_text(text.replace(block.group(0), fixed), encoding="utf-8")


def _run(handoff: Runner, export: Path) -> subprocess.CompletedProcess[str]:
    return handoff("run", "kokuho-tokusoku", "--input", str(export), "--cycle", "2026-12", "--staff", "S001",
                   FAKETIME=f"@{TODAY}", LD_PRELOAD=_libfaketime(), FAKETIME_DONT_RESET="1")


def _libfaketime() -> str:
    """The faketime library the ``faketime`` wrapper preloads (so the Runner keeps its own environment)."""
    found = sorted(Path("/usr/lib").rglob("libfaketime.so.1"))
    if not found:
        pytest.skip("libfaketime.so.1 is not installed")
    return str(found[0])


def test_an_ended_vendor_contract_refuses_the_run_before_any_file(home: Path, handoff: Runner) -> None:
    """Vendor V01's contract ended before the run's day: exit 6 run.blocked, no job folder, nothing recorded."""
    export = sample(home, "kokuho-tokusoku")
    _contract_end(home, "V01", "2026-11-30")
    proc = _run(handoff, export)
    assert proc.returncode == 6, proc.stderr
    assert "[run.blocked]" in proc.stderr and "2026-11-30" in proc.stderr
    assert jobs(home) == []


def test_a_contract_ending_soon_is_a_warning_and_the_run_goes_on(home: Path, handoff: Runner) -> None:
    """A contract ending 18 days after the run (warn_days 30) is printed as a warning; the job is made."""
    export = sample(home, "kokuho-tokusoku")
    _contract_end(home, "V01", "2026-12-25")
    proc = _run(handoff, export)
    assert proc.returncode in (0, 1), proc.stderr
    assert "注意:" in proc.stdout and "2026-12-25" in proc.stdout
    assert len(jobs(home)) == 1

