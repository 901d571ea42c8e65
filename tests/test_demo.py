"""``scripts/demo`` (the README's first command): the whole loop on a fresh site, ending with a clean audit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from handoff.config import load_site
from handoff.ledger.service import open_ledger

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "demo"
ENVELOPES = ("kodomo-iryosho", "kokuho-tokusoku", "seikatsu-hogo")
POSTCARDS = ("ninpu-kyufu", "keirokai")
# One enveloped job's custody, in order, as the demo records it (the notice on the next day).
CYCLE = ["job.prepared", "medium.written", "notice.printed", "medium.stored", "notice.stored",
         "medium.handed_over", "notice.handed_over", "delivery.inspected", "medium.returned", "notice.returned",
         "deletion_certificate.received", "medium.destroyed", "notice.destroyed"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("faketime") is None or shutil.which("xorriso") is None,
                       reason="faketime and xorriso are needed (scripts/setup installs them)"),
]


@dataclass(frozen=True)
class Demo:
    folder: Path
    proc: subprocess.CompletedProcess[str]
    seconds: float


def _env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}, **extra}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo run once in a fresh folder, with no terminal."""
    folder = tmp_path_factory.mktemp("demo") / "demo"
    start = time.monotonic()
    proc = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env=_env(DEMO_DIR=str(folder)), timeout=400)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-3000:]
    return Demo(folder, proc, time.monotonic() - start)


def test_the_demo_ends_with_a_clean_audit_and_its_html_report(demo: Demo) -> None:
    """The demo exits 0; its last audit said 異常なし; the HTML report is where the closing lines say it is."""
    report = demo.folder / "audit.html"
    assert "判定: 異常なし" in demo.proc.stdout
    assert f"監査の報告書（HTML、ブラウザで開けます）: {report}" in demo.proc.stdout
    html = report.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "A001" in html


def test_the_audit_exits_0_on_the_demo_s_site(demo: Demo) -> None:
    """``handoff audit`` run again on the demo's site, on the demo's second day, exits 0 (no finding)."""
    proc = subprocess.run(["faketime", "-f", "+1d", sys.executable, "-m", "handoff", "audit", "--staff", "A001"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
                          env=_env(HANDOFF_HOME=str(demo.folder / "site")))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr


def test_every_job_went_round_the_whole_loop(demo: Demo) -> None:
    """Every job holds the custody steps in order; postcards have no delivery inspection (no envelopes to scan)."""
    with open_ledger(load_site(demo.folder / "site")) as ledger:
        entries = list(ledger.entries())
    by_job: dict[str, list[str]] = {}
    for e in entries:
        if "job" in e.subject:
            by_job.setdefault(e.subject["job"], []).append(e.type)
    assert len(by_job) == 6  # the five programmes and the keirokai pull list
    for job, types in by_job.items():
        programme = job.split("-", 2)[2].rsplit("-", 1)[0]
        assert programme in ENVELOPES + POSTCARDS
        expected = CYCLE if programme in ENVELOPES else [t for t in CYCLE if t != "delivery.inspected"]
        assert types == expected, job
    # both vendors were inspected on site
    assert sorted(e.subject.get("vendor", "") for e in entries if e.type == "vendor.inspected") == ["V01", "V02"]


def test_the_walk_through_names_each_step_and_where_its_files_are(demo: Demo) -> None:
    """Each step is headed and shows its command; the files named under 場所 are there; it took under 4 minutes."""
    out = demo.proc.stdout
    for command in ("init", "sample", "check", "run", "pull", "media burn", "notice print", "custody store",
                    "custody handover", "inspect delivery", "custody return", "certificate template",
                    "certificate record", "custody destroy", "vendor inspect", "ledger verify", "audit"):
        assert f"handoff {command}" in out, command
    assert "faketime -f +1d handoff custody handover --notice" in out
    for folder in ("exports", "drives", "notices", "receipts", "scans", "certificates"):
        assert f"場所: {demo.folder / folder}/" in out and any((demo.folder / folder).iterdir()), folder
    assert "[input.header_other_programme]" in demo.proc.stdout + demo.proc.stderr
    # About 50 s on an idle 2-core machine (2 min 15 s while other suites ran beside it): a bound for regressions.
    assert demo.seconds < 240
