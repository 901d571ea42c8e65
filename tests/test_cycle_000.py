"""``scripts/cycle-000``: one whole custody cycle of kodomo-iryosho at its real volume, read back from the 管理簿."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from handoff.config import load_site
from handoff.ledger.service import open_ledger
from handoff.messages import render
from handoff.paper.ledger_export import COLUMN

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "cycle-000"
EVENTS = ["ジョブ作成", "媒体作成", "通知書印刷", "媒体保管", "通知書保管", "媒体引渡し", "通知書引渡し", "納品検査",
          "媒体返却", "通知書返却", "消去証明書受領", "媒体廃棄", "通知書廃棄"]
TYPES = ["job.prepared", "medium.written", "notice.printed", "medium.stored", "notice.stored", "medium.handed_over",
         "notice.handed_over", "delivery.inspected", "medium.returned", "notice.returned",
         "deletion_certificate.received", "medium.destroyed", "notice.destroyed"]

pytestmark = pytest.mark.skipif(shutil.which("faketime") is None,
                                reason="faketime is not installed (Debian package faketime; scripts/setup installs it)")


@dataclass(frozen=True)
class Cycle:
    folder: Path
    proc: subprocess.CompletedProcess[str]
    rows: list[dict[str, str]]  # the exported 管理簿, one dict per entry keyed by the Japanese headings
    types: list[str]  # the event types as the ledger keeps them, in sequence order
    prepared: dict[str, Any]  # the payload of job.prepared as the ledger keeps it


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _ledger(home: Path) -> tuple[list[str], dict[str, Any]]:
    with open_ledger(load_site(home)) as ledger:
        entries = list(ledger.entries())
    (prepared,) = [e for e in entries if e.type == "job.prepared"]
    return [e.type for e in entries], dict(prepared.payload)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> Cycle:
    """The script run once, in a fresh folder, with no terminal."""
    folder = tmp_path_factory.mktemp("cycle") / "cycle-000"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}
    proc = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env={**env, "CYCLE_DIR": str(folder)}, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return Cycle(folder, proc, _read_csv(folder / "kanribo.csv"), *_ledger(folder / "site"))


def _one(cycle: Cycle, event: str) -> dict[str, str]:
    (row,) = [r for r in cycle.rows if r["事象"] == event]
    return row


def test_every_step_is_in_the_ledger_in_order(cycle: Cycle) -> None:
    """The export lists the thirteen steps of the cycle, in the order they were done, each once."""
    assert [r["事象"] for r in cycle.rows] == EVENTS
    assert [r["連番"] for r in cycle.rows] == [str(i) for i in range(len(EVENTS))]
    assert list(cycle.rows[0]) == list(COLUMN)


def test_the_ledger_holds_the_cycle_s_event_types_in_order(cycle: Cycle) -> None:
    """The ledger recorded the thirteen event types in order; the export's labels are their catalogue names."""
    assert cycle.types == TYPES
    assert [render(f"ledger.event.{t}", "ja") for t in TYPES] == EVENTS


def test_who_recorded_each_step_and_who_witnessed_the_destruction(cycle: Cycle) -> None:
    """S001 recorded every step; the vendor's handler took and brought back both; S002 witnessed both destructions."""
    assert {r["取扱者"].split()[0] for r in cycle.rows} == {"S001"}
    for event in ("媒体引渡し", "通知書引渡し", "媒体返却", "通知書返却"):
        assert _one(cycle, event)["相手方（業者取扱者）"].startswith("V01-H1"), event
    for event in ("媒体廃棄", "通知書廃棄"):
        assert _one(cycle, event)["立会人"].startswith("S002"), event
    job = cycle.rows[0]["ジョブ"]
    assert _one(cycle, "媒体保管")["媒体・通知書"] == f"{job}-M1"
    assert _one(cycle, "通知書保管")["媒体・通知書"] == f"{job}-N1"
    assert _one(cycle, "媒体保管")["場所・保管庫"] != _one(cycle, "通知書保管")["場所・保管庫"]


def test_the_notice_was_handed_over_on_a_later_day_and_time_never_goes_back(cycle: Cycle) -> None:
    """The notice's handover is recorded on a later Japan-time day than the medium's; times only go forward."""
    times = [dt.datetime.strptime(r["日時"], "%Y-%m-%d %H:%M:%S") for r in cycle.rows]
    assert times == sorted(times)
    medium, notice = (dt.datetime.strptime(_one(cycle, e)["日時"], "%Y-%m-%d %H:%M:%S")
                      for e in ("媒体引渡し", "通知書引渡し"))
    assert notice.date() > medium.date()
    assert _one(cycle, "消去証明書受領")["実施日"] == notice.date().isoformat()


def test_every_envelope_was_inspected_once(cycle: Cycle) -> None:
    """The delivery inspection counted every piece job.prepared recorded (about 21,000), none missing or doubled."""
    pieces = cycle.prepared["counts"]["pieces"]
    assert 20_000 <= pieces <= 22_000
    run = json.loads((cycle.folder / "run.json").read_text(encoding="utf-8"))
    assert run["report"]["pieces"] == pieces
    inspection = _one(cycle, "納品検査")
    assert inspection["数量"] == str(pieces)
    assert "missing=0 duplicated=0 unknown=0 other_job=0" in inspection["備考"]
    assert f"封筒 {pieces} 通" in cycle.proc.stdout
    assert f"管理簿 {len(EVENTS)} 件" in cycle.proc.stdout


def test_the_ledger_verifies(cycle: Cycle) -> None:
    """``ledger verify`` on the cycle's site exits 0 after the whole cycle (run at the cycle's last day)."""
    env = {**os.environ, "HANDOFF_HOME": str(cycle.folder / "site"), "HANDOFF_STAFF": "S001"}
    proc = subprocess.run(["faketime", "-f", "+1d", sys.executable, "-m", "handoff", "ledger", "verify"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"記録 {len(EVENTS)} 件" in proc.stdout
