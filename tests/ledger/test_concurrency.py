"""Concurrent writers serialise: 8 processes × 200 appends give one linear tree of 1,600 entries."""

from __future__ import annotations

import json
import multiprocessing as mp
from pathlib import Path
from typing import Any

import pytest

from handoff.config import SiteConfig, load_site
from handoff.ledger.events import Actor
from handoff.ledger.paths import LedgerPaths, read_note
from handoff.ledger.service import Ledger

WORKERS = 8
APPENDS = 200


def _worker(home: str, worker: int, barrier: Any) -> None:
    site = load_site(Path(home))
    actor = Actor("S001", f"w{worker}")
    with Ledger.open(site) as ledger:
        barrier.wait()  # all writers start together, so their appends really interleave
        for i in range(APPENDS):
            payload = {"performed_on": "2026-06-01", "result": f"w{worker}-{i}"}
            ledger.record("vendor.inspected", {"vendor": "V01"}, payload, actor)


@pytest.mark.slow
def test_eight_processes_append_without_gap_duplicate_or_fork(site: SiteConfig) -> None:
    """Every append lands exactly once, sequence numbers are 0..1599, and every checkpoint is on one tree."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    procs = [ctx.Process(target=_worker, args=(str(site.home), w, barrier)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=600)
        assert p.exitcode == 0
    with Ledger.open(site) as ledger:
        report = ledger.verify()  # recomputes the tree and checks all 1,601 checkpoints against it
        entries = list(ledger.entries())
    total = WORKERS * APPENDS
    assert report.entries == total and report.checkpoints == total + 1
    assert [e.seq for e in entries] == list(range(total))
    results = [str(e.payload["result"]) for e in entries]
    assert sorted(results) == sorted(f"w{w}-{i}" for w in range(WORKERS) for i in range(APPENDS))
    for w in range(WORKERS):  # each writer's own appends keep their order
        mine = [int(r.split("-")[1]) for r in results if r.startswith(f"w{w}-")]
        assert mine == sorted(mine)
    assert len({e.actor.os_user for e in entries}) == WORKERS
    held = read_note(LedgerPaths.of(site).checkpoint)
    assert held is not None and held.size == total  # the file outside never went backwards
    assert json.loads(entries[-1].data)["seq"] == total - 1
