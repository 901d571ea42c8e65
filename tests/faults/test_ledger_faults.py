"""Ledger faults through the real CLI: concurrent runs of one cycle, a clock set back, a damaged or missing store,
a store restored from an older copy. Each ends in its documented exit code and message, and writes nothing."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from handoff.config import SiteConfig, load_site
from handoff.ledger import clock, events
from handoff.ledger.events import Actor
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger
from tests.faults.conftest import FaultSite, assert_clean_failure
from tests.ledger.helpers import ISO, MEDIUM_CABINET, jst, prepare

STAFF = Actor("S001", "tester")
STORE_MEDIUM = ("custody", "store", "--medium", "J1-M1", "--cabinet", MEDIUM_CABINET, "--yes")


def _site(site: FaultSite) -> SiteConfig:
    return load_site(site.home)


def _inspections(cfg: SiteConfig, count: int, first_day: int) -> None:
    with Ledger.open(cfg) as ledger:
        for day in range(first_day, first_day + count):
            payload = {"performed_on": "2026-06-01", "result": "良"}
            ledger.record("vendor.inspected", {"vendor": "V01"}, payload, STAFF, at=jst(day))


def _evidence(site: FaultSite) -> dict[str, str]:
    """A digest of every file in the ledger folder: what a refused command must leave exactly as it was."""
    root = site.data / "ledger"
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.endswith(("-wal", "-shm", ".lock"))}


def _prepared_jobs(cfg: SiteConfig) -> list[str | None]:
    with Ledger.open(cfg) as ledger:
        return [e.job for e in ledger.entries() if e.type == "job.prepared"]


# --- 1. two runs of one programme's cycle at the same time --------------------------------------------------
def test_concurrent_runs_of_one_cycle_leave_one_job(any_site: FaultSite) -> None:
    """Two runs of one programme's cycle at once: one job is recorded, the other exits 9 run.cycle_done."""
    export = any_site.sample("kodomo-iryosho", 300)
    procs: dict[int, subprocess.CompletedProcess[str]] = {}
    barrier = threading.Barrier(2)

    def run(i: int) -> None:
        barrier.wait()
        procs[i] = any_site.run("run", "kodomo-iryosho", "--input", str(export), "--cycle", "2026-09")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(p.returncode for p in procs.values())
    assert codes[0] in (0, 1) and codes[1] == 9, [p.stderr for p in procs.values()]
    [refused] = [p for p in procs.values() if p.returncode == 9]
    assert_clean_failure(refused, 9, "run.cycle_done", log=any_site.log)
    [job] = _prepared_jobs(_site(any_site))
    assert job is not None and job in refused.stderr.replace("\n", "")
    assert any_site.run("ledger", "verify").returncode == 0


# --- 2. a clock set back --------------------------------------------------------------------------------------
def _job_at_the_real_clock(cfg: SiteConfig) -> None:
    with Ledger.open(cfg) as ledger:
        ledger.record("job.prepared", {"job": "J1"}, {
            "programme": "kodomo-iryosho", "council_reference": "資料1", "approved_items": ["住所"], "vendor": "V01",
            "quantity": 100, "zip_sha256": "a" * 64, "iso_sha256": ISO}, STAFF)
        ledger.record("medium.written", {"job": "J1", "medium": "J1-M1"}, {"iso_sha256": ISO, "verified": True}, STAFF)
        ledger.record("notice.printed", {"job": "J1", "notice": "J1-N1"}, {}, STAFF)


@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime (Debian package faketime)")
def test_a_clock_set_back_a_week_cannot_record_the_notice_on_another_day(any_site: FaultSite) -> None:
    """The notice recorded with the clock a week back is exit 7 ledger.clock_behind and writes nothing."""
    _job_at_the_real_clock(_site(any_site))
    handover = ("custody", "handover", "--handler", "V01-H1", "--quantity", "100", "--bag", "BAG-1", "--yes")
    assert any_site.run(*handover, "--medium", "J1-M1").returncode == 0
    before = _evidence(any_site)
    proc = subprocess.run(["faketime", "-f", "-7d", sys.executable, "-m", "handoff", *handover, "--notice", "J1-N1"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, env=any_site.env(), timeout=300)
    assert_clean_failure(proc, 7, "ledger.clock_behind", log=any_site.log)
    assert "時計" in proc.stderr
    assert _evidence(any_site) == before  # no entry, no checkpoint, no receipt
    assert any_site.run("ledger", "verify").returncode == 0


def test_verify_flags_times_going_backwards(any_site: FaultSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry dated before the one before it (written without the rule) is exit 7 ledger.time_backwards."""
    cfg = _site(any_site)
    _inspections(cfg, 2, 5)
    monkeypatch.setattr(clock, "stamp", lambda d, last: (dataclasses.replace(d, from_clock=False),
                                                         events.format_time(d.time)))
    _inspections(cfg, 1, 1)
    proc = any_site.run("ledger", "verify")
    assert_clean_failure(proc, 7, "ledger.time_backwards", log=any_site.log)
    assert "連番 2" in proc.stderr


# --- 3. a damaged SQLite file -----------------------------------------------------------------------------------
def _damage(db: Path, kind: str) -> None:
    if kind in ("text", "replace"):
        conn = sqlite3.connect(db)
        conn.execute("DROP TRIGGER entries_no_update")
        change = "CAST(data AS TEXT)" if kind == "text" else "replace(data, 'a', 'b')"
        conn.execute(f"UPDATE entries SET data = {change} WHERE seq = 0")  # the job's job.prepared
        conn.commit()
        conn.close()
    elif kind == "half":
        os.truncate(db, db.stat().st_size // 2)
    elif kind == "deleted":
        db.unlink()  # checkpoint.txt beside it still says how many entries there were
    else:
        db.write_bytes(os.urandom(db.stat().st_size))


DAMAGE = {"text": "ledger.entry_altered", "replace": "ledger.entry_altered", "half": "ledger.store_damaged",
          "deleted": "ledger.store_missing", "garbage": "ledger.store_damaged"}
COMMANDS = {"verify": ("ledger", "verify"), "show": ("ledger", "show"), "export": ("ledger", "export", "--out"),
            "custody": STORE_MEDIUM}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_sqlite_ledger_answers_7(fault_site: FaultSite, kind: str, command: str) -> None:
    """Each damage to the SQLite file is exit 7 for reading and recording commands, and the file is left as it was."""
    cfg = _site(fault_site)
    with Ledger.open(cfg) as ledger:
        prepare(ledger)
    _inspections(cfg, 25, 2)
    db = LedgerPaths.of(cfg).db
    _damage(db, kind)
    before = _evidence(fault_site)
    args = COMMANDS[command]
    out = fault_site.tmp / "ledger.csv"
    proc = fault_site.run(*args, *([str(out)] if command == "export" else []))
    assert_clean_failure(proc, 7, DAMAGE[kind], log=fault_site.log)
    assert _evidence(fault_site) == before and not out.exists()
    assert db.exists() == (kind != "deleted")  # a missing store is never recreated


# --- 4. a store restored from an older copy, and the checkpoint file deleted --------------------------------------
def _keep_older_copy(cfg: SiteConfig) -> None:
    if cfg.ledger.backend == "sqlite":
        db = LedgerPaths.of(cfg).db
        shutil.copyfile(db, db.with_name("older.sqlite"))
        return
    _pg(cfg, "CREATE TABLE {s}.old_entries AS SELECT * FROM {s}.entries",
        "CREATE TABLE {s}.old_checkpoints AS SELECT * FROM {s}.checkpoints")


def _restore_older_copy(cfg: SiteConfig) -> None:
    if cfg.ledger.backend == "sqlite":
        db = LedgerPaths.of(cfg).db
        db.with_name("older.sqlite").replace(db)
        return
    _pg(cfg, "ALTER TABLE {s}.entries RENAME TO new_entries", "ALTER TABLE {s}.old_entries RENAME TO entries",
        "ALTER TABLE {s}.checkpoints RENAME TO new_checkpoints",
        "ALTER TABLE {s}.old_checkpoints RENAME TO checkpoints")


def _pg(cfg: SiteConfig, *statements: str) -> None:
    import psycopg

    from handoff.ledger.store_pg import split_url

    dsn, schema = split_url(cfg.ledger.url)
    with psycopg.connect(dsn, autocommit=True) as conn:
        for stmt in statements:
            conn.execute(stmt.format(s=schema))


def _count(cfg: SiteConfig) -> int:
    with Ledger.open(cfg) as ledger:
        return ledger.store.count()


def test_a_store_restored_from_an_older_copy_is_caught_with_or_without_the_checkpoint_file(
        any_site: FaultSite) -> None:
    """An older copy restored is exit 7 with checkpoint.txt ahead of it and with checkpoint.txt deleted."""
    cfg = _site(any_site)
    with Ledger.open(cfg) as ledger:
        prepare(ledger)
    _keep_older_copy(cfg)
    _inspections(cfg, 4, 2)
    _restore_older_copy(cfg)
    for args in (("ledger", "verify"), STORE_MEDIUM):
        assert_clean_failure(any_site.run(*args), 7, "ledger.external_truncated", log=any_site.log)
    LedgerPaths.of(cfg).checkpoint.unlink()
    for args in (("ledger", "verify"), STORE_MEDIUM):
        assert_clean_failure(any_site.run(*args), 7, "ledger.external_missing", log=any_site.log)
    assert not LedgerPaths.of(cfg).checkpoint.exists() and _count(cfg) == 5
