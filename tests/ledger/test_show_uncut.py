"""``ledger show`` never cuts an id: at 40, 80 and 200 columns, piped, every job, item and checkpoint is whole on one
line (a table when it fits, else one record per entry), and ``--json`` gives the entries as recorded."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from handoff.config import SiteConfig
from handoff.ledger.service import Ledger

from .helpers import REPO, prepare

# As long as a real job id of the longest programme name (handoff.fs.new_job_id).
JOB = "20261207-091131-kokuho-tokusoku-3f9a"


def _show(site: SiteConfig, columns: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "HANDOFF_LANG")}
    env.update(HANDOFF_HOME=str(site.home), COLUMNS=columns,
               PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p))
    return subprocess.run([sys.executable, "-m", "handoff", "ledger", "show", *args], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, timeout=120, cwd=REPO)


@pytest.mark.parametrize(("columns", "table"), [("40", False), ("80", False), ("200", True)])
def test_ledger_show_keeps_every_id_whole(sqlite_site: SiteConfig, columns: str, table: bool) -> None:
    """Piped at 40/80 columns (records) and 200 (a table), every job, item and checkpoint is whole on one line."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger, JOB)
        entries = list(ledger.entries())
    proc = _show(sqlite_site, columns)
    assert proc.returncode == 0, proc.stderr
    assert "…" not in proc.stdout
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("┏") is table
    for wanted in (JOB, f"{JOB}-M1", f"{JOB}-N1"):
        assert any(wanted in line for line in lines), (columns, wanted)
    # Every entry's checkpoint (size/first 16 hex digits of the root) is there whole, one per entry.
    found = re.findall(r"(?<![0-9a-f/])(\d+)/([0-9a-f]{16})(?![0-9a-f])", proc.stdout)
    assert [int(n) for n, _ in found] == [e.seq + 1 for e in entries]


def test_ledger_show_json_is_the_entries_as_recorded(sqlite_site: SiteConfig) -> None:
    """--json prints one JSON object per line, the stored bytes of each entry, in sequence order."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger, JOB)
        entries = list(ledger.entries())
    proc = _show(sqlite_site, "40", "--json")
    lines = proc.stdout.splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [e.seq for e in entries]
    assert [line.encode() for line in lines] == [e.data for e in entries]
